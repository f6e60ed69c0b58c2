"""The odcs command-line tool against the stack, exactly as README.md shows it, and the stack's OIDC token endpoint
(client credentials grant) it gets its token from."""
import base64
import calendar
import json
import os
import re
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import STATES, assert_error

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MARKER = "<!-- These commands are run as they are by Tests/EndToEnd/test_odcs_cli_readme.py. -->"


def readme_commands(number):
    """The ```sh block that follows the number-th MARKER in README.md, reading this stack's stack.env."""
    text = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    parts = text.split(MARKER)
    assert len(parts) == 3, "README.md should mark its two odcs command-line examples"
    block = re.match(r"\s*```sh\n(.*?)\n```", parts[number], re.S)
    assert block, "no ```sh block after marker %d in README.md" % number
    script = block.group(1)
    assert script.startswith(". .run/stack.env\n")
    return ". %s\n%s" % (os.environ["KILN_STACK_ENV"], script[len(". .run/stack.env\n"):])


def token_endpoint(stack):
    for key in ("KILN_OIDC_TOKEN_URL", "KILN_OIDC_CLIENT_ID", "KILN_OIDC_CLIENT_SECRET", "KILN_ODCS_HOME",
                "KILN_KOJI_HUB_URL", "KILN_KOJI_TOP_URL"):
        assert stack.env.get(key), "the stack's stand-ins are not set up: stack.env lacks %s" % key
    return stack.env["KILN_OIDC_TOKEN_URL"], stack.env["KILN_OIDC_CLIENT_ID"], stack.env["KILN_OIDC_CLIENT_SECRET"]


def claims(jwt):
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_client_credentials_grant_gives_a_token_httpd_accepts(stack):
    url, client_id, secret = token_endpoint(stack)
    r = requests.post(url, data={"grant_type": "client_credentials", "client_id": client_id,
                                 "client_secret": secret}, timeout=30)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 3600
    token = claims(answer["access_token"])
    assert token["sub"] == "kiln-cli" and token["groups"] == ["releng"]
    assert "https://pagure.io/odcs/new-compose" in token["scope"].split()
    assert abs(token["exp"] - (time.time() + 3600)) <= 60
    # HTTP Basic (client_secret_basic) works the same way.
    basic = requests.post(url, data={"grant_type": "client_credentials"}, auth=(client_id, secret), timeout=30)
    assert basic.status_code == 200 and claims(basic.json()["access_token"])["sub"] == "kiln-cli"

    body = {"source": {"type": "repo", "source": stack.env["KILN_SAMPLE_REPO"], "packages": ["kiln-hello"]}}
    created = stack.post_compose(body, answer["access_token"])
    assert created.status_code == 200, created.text
    assert created.json()["owner"] == "kiln-cli"


@pytest.mark.parametrize("form, auth, status, error", [
    ({"grant_type": "client_credentials", "client_id": "kiln-local-cli", "client_secret": "wrong"}, None, 401,
     "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, None, 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
    ({"grant_type": "password", "client_id": "kiln-local-cli", "client_secret": None}, None, 400,
     "unsupported_grant_type"),
    ({"client_id": "kiln-local-cli", "client_secret": None}, None, 400, "invalid_request"),
    ({"grant_type": "client_credentials", "client_id": "kiln-local-cli"}, "basic", 400, "invalid_request"),
])
def test_token_endpoint_refusals(stack, form, auth, status, error):
    url, client_id, secret = token_endpoint(stack)
    form = {k: (secret if v is None else v) for k, v in form.items()}
    r = requests.post(url, data=form, auth=(client_id, secret) if auth else None, timeout=30)
    assert r.status_code == status, r.text
    assert r.json() == {"error": error}
    assert "access_token" not in r.text


def test_odcs_cli_as_the_readme_shows_it(stack):
    """The README's commands, run by bash as they are written (only stack.env's path is this stack's), while a
    generator runs as the stack's own does (pointed at the Koji hub stand-in): create, wait, get, renew."""
    token_endpoint(stack)
    odcs = os.path.join(SRC, ".run", "venv", "bin", "odcs")
    assert os.access(odcs, os.X_OK), "%s is missing: the test venv (make test) installs the odcs client" % odcs
    script = readme_commands(1)

    # No token cached from an earlier run: the tool must get its own from the token endpoint.
    cache = os.path.join(stack.env["KILN_ODCS_HOME"], ".cache")
    for name in os.listdir(cache):
        if name.startswith("odcs_auth_token_"):
            os.unlink(os.path.join(cache, name))
    requests_log = os.path.join(stack.rundir, "oidc", "requests.log")
    logged = len(open(requests_log).readlines()) if os.path.exists(requests_log) else 0

    # Composes earlier tests left waiting are handled as every other test's generator handles them (no Koji).
    flush = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once"], capture_output=True,
                           text=True, timeout=600)
    assert flush.returncode == 0, flush.stderr
    before = int(stack.scalar("SELECT coalesce(max(id), 0) FROM composes"))
    env = dict(os.environ, KILN_KOJI_HUB_URL=stack.env["KILN_KOJI_HUB_URL"],
               KILN_KOJI_TOP_URL=stack.env["KILN_KOJI_TOP_URL"])
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    log = tempfile.NamedTemporaryFile(prefix="kiln-generate-", suffix=".log", delete=False)
    generator = subprocess.Popen([stack.bin, "generate", "--config", stack.config], stdout=log,
                                 stderr=subprocess.STDOUT, env=env)
    try:
        out = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=SRC, capture_output=True, text=True,
                             timeout=600, stdin=subprocess.DEVNULL, env=env)
    finally:
        generator.terminate()
        generator.wait(timeout=30)
    assert out.returncode == 0, (out.stdout, out.stderr, open(log.name).read()[-2000:])

    rows = stack.psql("SELECT id, owner, state, source, packages FROM composes WHERE id > %d ORDER BY id" % before)
    assert len(rows) == 1, rows
    cid, owner, state, source, packages = rows[0]
    assert (owner, int(state), source, packages) == ("kiln-cli", STATES["done"], "f40", "kiln-hello")
    # `odcs wait` and `odcs --no-wait get` printed the done compose; renew printed it with its new expiry.
    printed = [json.loads(m) for m in re.findall(r"^\{\n.*?^\}$", out.stdout, re.S | re.M)]
    assert [(c["id"], c["state_name"], c["owner"]) for c in printed] == [(int(cid), "done", "kiln-cli")] * 3
    expiry = calendar.timegm(time.strptime(printed[2]["time_to_expire"], "%Y-%m-%dT%H:%M:%SZ"))
    assert abs(expiry - (time.time() + 172800)) <= 120
    repofile = requests.get(printed[1]["result_repofile"], timeout=30)
    assert repofile.status_code == 200 and "baseurl=" in repofile.text
    # The tool's token came from the stand-in's token endpoint, once (then from its cache).
    grants = [json.loads(line) for line in open(requests_log).readlines()[logged:]]
    assert [(g["path"], g["form"]) for g in grants] == [
        ("/token", {"grant_type": "client_credentials", "client_id": "kiln-local-cli"})]
    assert [f for f in os.listdir(cache) if f.startswith("odcs_auth_token_") and f.endswith(".json")]


def test_a_token_for_another_server_is_refused(stack):
    """A token the stand-in signs is only good because it is signed with this stack's key: a forged one is not."""
    url, client_id, secret = token_endpoint(stack)
    good = requests.post(url, data={"grant_type": "client_credentials", "client_id": client_id,
                                    "client_secret": secret}, timeout=30).json()["access_token"]
    head, body, sig = good.split(".")
    forged = "%s.%s.%s" % (head, body, ("A" if sig[0] != "A" else "B") + sig[1:])
    before = stack.counts()
    r = stack.post_compose({"source": {"type": "repo", "source": stack.env["KILN_SAMPLE_REPO"]}}, forged)
    assert_error(r, 401, "The bearer token is missing, malformed, expired or not valid for this server.")
    assert stack.counts() == before


def test_odcs_cli_with_kerberos_as_the_readme_shows_it(stack):
    """The README's Kerberos commands: kinit from carol's keytab into the stack's own credential cache, the odcs
    tool falling back to Kerberos, curl with Negotiate."""
    token_endpoint(stack)
    for key in ("KRB5_CONFIG", "KILN_KRB_PERSON_KEYTAB"):
        assert stack.env.get(key), "the stack's KDC is not set up: stack.env lacks %s" % key
    before = int(stack.scalar("SELECT coalesce(max(id), 0) FROM composes"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("KRB5CCNAME", "KRB5_CLIENT_KTNAME", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET",
                        "OTEL_EXPORTER_OTLP_ENDPOINT")}
    out = subprocess.run(["bash", "-euo", "pipefail", "-c", readme_commands(2)], cwd=SRC, capture_output=True,
                         text=True, timeout=300, stdin=subprocess.DEVNULL, env=env)
    assert out.returncode == 0, (out.stdout, out.stderr)
    rows = stack.psql("SELECT owner, source_type, builds FROM composes WHERE id > %d ORDER BY id" % before)
    assert rows == [["carol", "6", "kiln-hello-1.0-1"]], rows
    created, userinfo = [json.loads(m) for m in re.findall(r"^\{.*?^\}$|^\{.*\}$", out.stdout, re.S | re.M)]
    assert created["owner"] == "carol"
    assert userinfo["username"] == "carol"
    # The ticket went to the stack's own credential cache, not the user's default one.
    assert os.path.getsize(os.path.join(os.path.dirname(stack.env["KRB5_CONFIG"]), "ccache")) > 0
