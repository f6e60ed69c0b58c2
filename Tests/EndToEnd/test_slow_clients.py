"""Slow and unauthenticated uploads through httpd: httpd refuses anonymous writes before reading their bodies,
holds the whole body of an authenticated one before the responder sees it, and bounds bodies in time and size,
so slow clients never occupy the responder's threads."""
import json
import socket
import threading
import time
import urllib.parse

import requests

from conftest import assert_error, unique

UNAUTHORIZED_ODCS = (
    "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong "
    "credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.")
DECLARED = 1 << 20  # what the slow clients announce: the largest body httpd and the responder accept


def connect(stack, timeout=10):
    url = urllib.parse.urlsplit(stack.url)
    s = socket.create_connection((url.hostname, url.port), timeout=timeout)
    return s


def send_head(s, method, path, length=None, token=None, extra=()):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: kiln.test", "Content-Type: application/json"]
    if length is not None:
        lines.append("Content-Length: %d" % length)
    if token is not None:
        lines.append("Authorization: Bearer " + token)
    lines += list(extra)
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())


def read_response(s):
    """Reads one HTTP/1.1 response (Content-Length or chunked); returns (status, headers, body bytes)."""
    data = b""

    def more():
        chunk = s.recv(65536)
        assert chunk, "connection closed inside the response: %r" % data
        return chunk
    while b"\r\n\r\n" not in data:
        data += more()
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if headers.get("transfer-encoding") == "chunked":
        body = b""
        while True:
            while b"\r\n" not in rest:
                rest += more()
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += more()
            body, rest = body + rest[:size], rest[size + 2:]
            if size == 0:
                return int(lines[0].split()[1]), headers, body
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        rest += more()
    return int(lines[0].split()[1]), headers, rest[:length]


class SlowUploads:
    """Clients that announce a 1 MiB body and send it a few hundred bytes at a time, fast enough for httpd's
    minimum rate and far too slow to finish while a test runs."""

    def __init__(self, stack, tokens):
        self.sockets = []
        self.stop = threading.Event()
        for token in tokens:
            s = connect(stack)
            send_head(s, "POST", "/api/1/composes/", DECLARED, token)
            s.sendall(b'{"source": {"type": "tag", "source": "')
            self.sockets.append(s)
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self):
        while not self.stop.wait(0.25):
            for s in self.sockets:
                try:
                    s.sendall(b"a" * 300)
                except OSError:
                    pass

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.sockets:
            s.close()


def test_anonymous_write_is_refused_before_its_body_is_read(stack):
    before = stack.counts()
    s = connect(stack)
    try:
        send_head(s, "POST", "/api/1/composes/", DECLARED)
        s.sendall(b'{"source": ')
        started = time.monotonic()
        status, headers, body = read_response(s)
        elapsed = time.monotonic() - started
    finally:
        s.close()
    # The answer comes with 11 of 1,048,576 bytes sent: nobody waited for the body.
    assert elapsed < 2, elapsed
    assert status == 401
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body) == {"status": 401, "error": "Unauthorized", "message": UNAUTHORIZED_ODCS}
    # The responder never saw it: no request id of its own.
    assert "x-request-id" not in headers
    assert stack.counts() == before


def test_anonymous_writes_keep_the_responders_answers(stack):
    """What the odcs client and the API tests rely on: the same JSON 401 for an anonymous write, whether httpd
    refuses it (a body) or the responder does (no body), and 405 for a method a path does not have."""
    with_body = requests.post(stack.api("composes/"), json={"source": {"type": "tag", "source": "f40-build"}},
                              timeout=30)
    assert_error(with_body, 401, UNAUTHORIZED_ODCS)
    assert "X-Request-Id" not in with_body.headers
    without_body = requests.delete(stack.api("composes/1"), timeout=30)
    assert_error(without_body, 401, UNAUTHORIZED_ODCS)
    assert "X-Request-Id" in without_body.headers
    chunked = requests.post(stack.api("composes/"), data=iter([b'{"source": ', b'{}}']), timeout=30,
                            headers={"Content-Type": "application/json"})
    assert_error(chunked, 401, UNAUTHORIZED_ODCS)
    r = requests.put(stack.url + "/cts/api/1/tags/", timeout=30)
    assert r.status_code == 405, r.text


def test_sixteen_slow_uploads_do_not_delay_reads(stack):
    """Eight anonymous and eight authenticated clients trickle 1 MiB bodies; the responder has eight threads.
    Reads and a fast write are still answered at once, and nothing the slow clients sent is stored."""
    user = unique("e2e-slow")
    token = stack.token(user)
    before = stack.counts()
    slow = SlowUploads(stack, [None] * 8 + [token] * 8)
    try:
        time.sleep(1.0)  # every slow client is well into its body
        for i in range(6):
            started = time.monotonic()
            r = stack.http.get(stack.api("composes/?per_page=1"), timeout=10)
            elapsed = time.monotonic() - started
            assert r.status_code == 200, r.text
            assert elapsed < 1.0, "GET %d took %.2f s behind 16 slow uploads" % (i, elapsed)
            time.sleep(0.2)
        started = time.monotonic()
        r = stack.http.get(stack.url + "/cts/api/1/composes/", timeout=10)
        assert r.status_code == 200 and time.monotonic() - started < 1.0
        fast = stack.create_compose(stack.token(unique("e2e-fast")))
        assert fast["state_name"] == "wait"
    finally:
        slow.close()
    after = stack.counts()
    assert after["composes"] == before["composes"] + 1
    assert stack.psql("SELECT 1 FROM users WHERE username = '%s'" % user) == []


def test_slow_authenticated_upload_arrives_whole(stack):
    """A body sent in pieces over two seconds reaches the responder complete (httpd holds it, then hands it over
    with its length), and a chunked one too."""
    token = stack.token(unique("e2e-trickle"))
    body = json.dumps({"source": {"type": "tag", "source": "f40-build"}, "seconds_to_live": 3600}).encode()
    s = connect(stack)
    try:
        send_head(s, "POST", "/api/1/composes/", len(body), token)
        for i in range(0, len(body), 16):
            s.sendall(body[i:i + 16])
            time.sleep(2.0 / (len(body) / 16))
        status, headers, answer = read_response(s)
    finally:
        s.close()
    assert status == 200, answer
    created = json.loads(answer)
    assert created["source"] == "f40-build" and created["state_name"] == "wait"
    assert stack.compose_row(created["id"])["owner"].startswith("e2e-trickle")

    def pieces():
        for i in range(0, len(body), 20):
            time.sleep(0.05)
            yield body[i:i + 20]
    r = requests.post(stack.api("composes/"), data=pieces(), timeout=30,
                      headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text
    assert r.json()["source"] == "f40-build"


def test_stalled_body_times_out_with_408(stack):
    """A client that stops sending its body is cut off by httpd (RequestReadTimeout: 20 s to start, then at
    least 500 bytes/s, 60 s at most); the responder never waits for it."""
    token = stack.token(unique("e2e-stall"))
    before = stack.counts()
    s = connect(stack, timeout=40)
    try:
        send_head(s, "POST", "/api/1/composes/", 4096, token)
        s.sendall(b'{"source": ')
        started = time.monotonic()
        status, headers, body = read_response(s)
        elapsed = time.monotonic() - started
    finally:
        s.close()
    assert status == 408, body
    assert json.loads(body)["status"] == 408
    assert 15 < elapsed < 30, elapsed
    assert stack.counts() == before
