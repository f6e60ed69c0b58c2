"""`kiln check-token`: JWT files and opaque tokens checked at an RFC 7662 introspection endpoint (a stand-in in
Tests/Fixtures speaking the real protocol), with the exit codes systemd acts on and the figures /api/1/metrics/ shows."""
import base64
import json
import os
import subprocess
import time

import pytest

DAY = 86400
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Fixtures")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims):
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    return "%s.%s.%s" % (header, b64url(json.dumps(claims).encode()), b64url(b"not-checked-here"))


def check(stack, *args, **env):
    return subprocess.run([stack.bin, "check-token", "--config", stack.config, *args], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, **env))


@pytest.mark.parametrize("left_days, status, code", [
    (90, "ok", 0), (31, "ok", 0), (20, "warning", 0), (8, "warning", 0), (6, "failing", 1), (0.5, "failing", 1),
    (-1, "expired", 1),
])
def test_a_jwt_file_by_days_left(stack, tmp_path, left_days, status, code):
    path = tmp_path / "token.jwt"
    exp = int(time.time() + left_days * DAY)
    path.write_text(jwt({"sub": "kiln", "exp": exp}) + "\n")
    out = check(stack, "--token-file", str(path))
    assert out.returncode == code, out.stdout + out.stderr
    assert out.stdout.startswith(status + ": Token %s " % path), out.stdout
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(exp))
    assert when in out.stdout
    if status != "ok":
        assert "Renew it as docs/operations.md (\"Renewing the service token\") says" in out.stdout


@pytest.mark.parametrize("content", ["", "garbage", "a.b.c", jwt({"sub": "no-exp"}), jwt({"exp": "soon"})])
def test_garbage_or_a_token_without_expiry_is_unreadable(stack, tmp_path, content):
    path = tmp_path / "token"
    path.write_text(content)
    out = check(stack, "--token-file", str(path))
    assert out.returncode == 1
    assert out.stdout.startswith("unreadable: Token %s" % path), out.stdout
    assert "Renew it as" in out.stdout


def test_a_missing_file_is_unreadable(stack, tmp_path):
    out = check(stack, "--token-file", str(tmp_path / "absent"))
    assert out.returncode == 1
    assert out.stdout == "unreadable: Token {0}: cannot read {0}. Renew it as docs/operations.md (\"Renewing the service token\") says, " \
                         "then run `kiln check-token` again.\n".format(tmp_path / "absent")


@pytest.fixture
def oidc(tmp_path):
    state = tmp_path / "oidc.json"
    state.write_text(json.dumps({"client_id": "kiln", "client_secret": "s3cret:+&", "tokens": {}}))
    port_file = tmp_path / "oidc.port"
    log = tmp_path / "oidc.log"
    proc = subprocess.Popen(["python3", os.path.join(FIXTURES, "oidc-standin.py"), "--state", str(state),
                             "--port-file", str(port_file), "--log", str(log)])
    deadline = time.monotonic() + 10
    while not port_file.exists() or not port_file.read_text():
        assert time.monotonic() < deadline and proc.poll() is None, "the OIDC stand-in did not start"
        time.sleep(0.05)
    yield {"url": "http://127.0.0.1:%s/introspect" % port_file.read_text(), "state": state, "log": log}
    proc.kill()
    proc.wait()


def test_configured_tokens_are_checked_recorded_and_exported(stack, tmp_path, oidc):
    now = int(time.time())
    jwt_file = tmp_path / "koji.jwt"
    jwt_file.write_text(jwt({"exp": now + 20 * DAY}))
    opaque = tmp_path / "pulp.token"
    opaque.write_text("opaque-token-1\n")
    revoked = tmp_path / "revoked.token"
    revoked.write_text("opaque-token-2")
    secret = tmp_path / "client.secret"
    secret.write_text("s3cret:+&\n")
    state = json.loads(oidc["state"].read_text())
    state["tokens"] = {"opaque-token-1": {"active": True, "exp": now + 90 * DAY},
                       "opaque-token-2": {"active": False, "exp": now + 90 * DAY}}
    oidc["state"].write_text(json.dumps(state))
    tokens = [
        {"name": "koji", "file": str(jwt_file)},
        {"name": "pulp", "file": str(opaque), "introspection_url": oidc["url"], "client_id": "kiln", "client_secret_file": str(secret)},
        {"name": "revoked", "file": str(revoked), "introspection_url": oidc["url"], "client_id": "kiln", "client_secret_file": str(secret)},
    ]
    out = check(stack, KILN_SERVICE_TOKENS=json.dumps(tokens))
    assert out.returncode == 1, out.stdout
    lines = out.stdout.splitlines()
    assert lines[0].startswith("warning: Token koji expires on ")
    assert lines[1].startswith("ok: Token pulp expires on %s (89 days left)." % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 90 * DAY))) \
        or lines[1].startswith("ok: Token pulp expires on %s (90 days left)." % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 90 * DAY)))
    assert lines[2].startswith("unreadable: Token revoked: the OIDC provider says the token is not active")
    # What the provider received: a form-encoded token, client_secret_basic credentials.
    sent = [json.loads(l) for l in oidc["log"].read_text().splitlines()]
    assert sent[0]["form"] == {"token": "opaque-token-1", "token_type_hint": "access_token"}
    assert sent[0]["content_type"] == "application/x-www-form-urlencoded"
    assert base64.b64decode(sent[0]["authorization"][6:]).decode() == "kiln:s3cret%3A%2B%26"

    rows = stack.psql("SELECT name, status FROM token_checks WHERE name IN ('koji', 'pulp', 'revoked') ORDER BY name")
    assert rows == [["koji", "warning"], ["pulp", "ok"], ["revoked", "unreadable"]]
    metrics = stack.get("metrics/").text
    assert 'kiln_service_token_status{name="koji",status="warning"} 1' in metrics
    assert 'kiln_service_token_status{name="pulp",status="ok"} 0' in metrics
    assert 'kiln_service_token_status{name="revoked",status="unreadable"} 4' in metrics
    assert 'kiln_service_token_expiry_timestamp_seconds{name="pulp"} %d' % (now + 90 * DAY) in metrics

    # Wrong client secret: the provider refuses the client, the check fails and says so.
    secret.write_text("wrong")
    out = check(stack, KILN_SERVICE_TOKENS=json.dumps(tokens[1:2]))
    assert out.returncode == 1
    assert "unreadable: Token pulp: the introspection endpoint %s answered HTTP 401." % oidc["url"] in out.stdout
    # A token no longer configured is forgotten.
    assert stack.psql("SELECT name FROM token_checks WHERE name IN ('koji', 'pulp', 'revoked') ORDER BY name") == [["pulp"]]


def test_no_configured_tokens_is_not_a_failure(stack):
    out = check(stack, KILN_SERVICE_TOKENS="[]")
    assert out.returncode == 0
    assert out.stdout == "no service_tokens configured: nothing to check\n"


def test_a_bad_token_configuration_is_refused_at_load(stack):
    out = check(stack, KILN_SERVICE_TOKENS=json.dumps([{"name": "x", "file": "relative"}]))
    assert out.returncode != 0
    assert "service_tokens[0]" in out.stderr + out.stdout
