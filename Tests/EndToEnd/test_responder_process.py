"""The kiln-api process itself, spoken to over FastCGI on its own socket: it answers, and SIGTERM stops it cleanly."""
import os
import signal
import socket
import struct
import subprocess
import time

import pytest

FCGI_BEGIN_REQUEST, FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT = 1, 3, 4, 5, 6


def _record(kind, request_id, content):
    return struct.pack("!BBHHBx", 1, kind, request_id, len(content), 0) + content


def _pair(name, value):
    def length(n):
        return struct.pack("!B", n) if n < 128 else struct.pack("!I", n | 0x80000000)
    name, value = name.encode(), value.encode()
    return length(len(name)) + length(len(value)) + name + value


def fastcgi_request(path, params):
    """One FastCGI responder request (no keep-alive); returns (status, headers text, body bytes)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    body = b"".join(_pair(k, v) for k, v in params.items())
    s.sendall(_record(FCGI_BEGIN_REQUEST, 1, struct.pack("!HB5x", 1, 0))
              + _record(FCGI_PARAMS, 1, body) + _record(FCGI_PARAMS, 1, b"") + _record(FCGI_STDIN, 1, b""))
    out, buffer = b"", b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        buffer += chunk
        while len(buffer) >= 8:
            _, kind, _, length, padding = struct.unpack("!BBHHB", buffer[:7])
            if len(buffer) < 8 + length + padding:
                break
            content, buffer = buffer[8:8 + length], buffer[8 + length + padding:]
            if kind == FCGI_STDOUT:
                out += content
            elif kind == FCGI_END_REQUEST:
                s.close()
                head, _, payload = out.partition(b"\r\n\r\n")
                status = int(head.split(b"\r\n")[0].split()[1])
                return status, head.decode(), payload
    s.close()
    raise AssertionError("connection closed before FCGI_END_REQUEST")


@pytest.fixture
def responder(stack, tmp_path):
    api_bin = stack.env.get("KILN_API_BIN")
    assert api_bin and os.path.exists(api_bin), "KILN_API_BIN (the built kiln-api) is missing from stack.env"
    sock = os.path.join(stack.rundir, "process-test.sock")
    log = tmp_path / "kiln-api.log"
    env = dict(os.environ, KILN_CONFIG=stack.config, KILN_SOCKET=sock, KILN_WORKERS="2")
    with open(log, "wb") as out:
        proc = subprocess.Popen([api_bin], env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 10
    while not os.path.exists(sock) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert os.path.exists(sock), "kiln-api did not create its socket: " + log.read_text()
    yield proc, sock, log
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_responder_answers_fastcgi_and_stops_cleanly_on_sigterm(responder):
    proc, sock, log = responder
    status, head, body = fastcgi_request(sock, {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "/api/1/about/", "REQUEST_URI": "/api/1/about/", "QUERY_STRING": "",
        "HTTP_HOST": "kiln.test", "HTTP_X_REQUEST_ID": "process-test-1"})
    assert status == 200
    assert "Content-Type: application/json" in head
    assert "X-Request-Id: process-test-1" in head
    assert b'"auth_backend": "oidc_or_kerberos"' in body

    status, _, body = fastcgi_request(sock, {"REQUEST_METHOD": "POST", "SCRIPT_NAME": "/api/1/composes/", "CONTENT_LENGTH": "0"})
    assert status == 401
    assert b'"status": 401' in body

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    assert not os.path.exists(sock), "the responder left its socket behind"
    text = log.read_text()
    assert "shutting down" in text and "responder stopped" in text
    assert "process-test-1" not in text or "kiln.request.id=process-test-1" in text


def test_bad_configuration_exits_78_and_names_the_key(stack, tmp_path):
    env = dict(os.environ, KILN_CONFIG=stack.config, KILN_WORKERS="0")
    out = subprocess.run([stack.env["KILN_API_BIN"]], env=env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 78
    assert "configuration key workers: must be 1 to 256" in out.stderr
