"""Kerberos beside OIDC, through httpd (mod_auth_gssapi and mod_auth_openidc on the same URLs).

The stack runs its own KDC for the realm KILN.TEST on loopback (scripts/stack); stack.env names its krb5.conf
(KRB5_CONFIG) and the keytabs of pungi@KILN.TEST (KILN_KEYTAB) and of a person, carol@KILN.TEST
(KILN_KRB_PERSON_KEYTAB). No kinit: the clients get their tickets from a keytab through KRB5_CLIENT_KTNAME, as Pungi
does, into a credential cache of the test's own.
"""
import base64
import calendar
import json
import os
import subprocess
import sys
import time
import uuid

import gssapi
import productmd.composeinfo
import pytest
import requests
from odcs.client.odcs import ODCS, AuthMech
from requests_gssapi import HTTPKerberosAuth, HTTPSPNEGOAuth

from conftest import assert_error, unique

KERBEROS_KEYS = ("KRB5_CONFIG", "KILN_KEYTAB", "KILN_KRB_PERSON_KEYTAB", "KILN_KRB_REALM")


@pytest.fixture
def krb(stack, monkeypatch, tmp_path):
    """The stack's realm: its krb5.conf in the environment and a credential cache of this test's own.

    Returns a function that points KRB5_CLIENT_KTNAME at a keytab (None: no client keytab at all)."""
    missing = [k for k in KERBEROS_KEYS if not stack.env.get(k)]
    assert not missing, "the stack's KDC is not set up: stack.env lacks %s" % ", ".join(missing)
    for key in ("KRB5_CONFIG", "KILN_KEYTAB", "KILN_KRB_PERSON_KEYTAB"):
        assert os.path.isfile(stack.env[key]), "%s=%s does not exist" % (key, stack.env[key])
    monkeypatch.setenv("KRB5_CONFIG", stack.env["KRB5_CONFIG"])
    monkeypatch.setenv("KRB5CCNAME", "FILE:%s" % (tmp_path / "ccache"))
    monkeypatch.delenv("KRB5_KTNAME", raising=False)

    def use_keytab(path):
        if path is None:
            monkeypatch.setenv("KRB5_CLIENT_KTNAME", "FILE:%s" % (tmp_path / "no-such.keytab"))
        else:
            monkeypatch.setenv("KRB5_CLIENT_KTNAME", "FILE:" + path)
    return use_keytab


def pungi_compose_info(short):
    """What pungi.compose.get_compose_info builds before it asks CTS for the compose id."""
    ci = productmd.composeinfo.ComposeInfo()
    ci.release.name = "Kerberos " + short
    ci.release.short = short
    ci.release.version = "1"
    ci.release.is_layered = False
    ci.release.type = "ga"
    ci.release.internal = False
    ci.compose.label = None
    ci.compose.type = "nightly"
    ci.compose.date = time.strftime("%Y%m%d", time.localtime())
    ci.compose.respin = 0
    ci.compose.id = ci.create_compose_id()
    return ci


def test_pungi_registers_a_compose_in_cts_with_its_keytab(stack, krb):
    """Pungi's two CTS requests, byte for byte as pungi/compose.py makes them (requests with requests-kerberos'
    HTTPKerberosAuth, the keytab in KRB5_CLIENT_KTNAME): POST compose_info, read the id and respin back, PATCH
    set_url. The compose is recorded as built by pungi (the principal without its realm)."""
    krb(stack.env["KILN_KEYTAB"])
    cts_url = stack.url + "/cts/"
    ci = pungi_compose_info("Kb" + uuid.uuid4().hex[:8])
    url = os.path.join(cts_url, "api/1/composes/")
    data = {"compose_info": json.loads(ci.dumps()), "parent_compose_ids": None, "respin_of": None}
    rv = requests.post(url, json=data, auth=HTTPKerberosAuth(), timeout=30)
    rv.raise_for_status()
    cts_ci = productmd.composeinfo.ComposeInfo()
    cts_ci.loads(rv.text)
    assert cts_ci.compose.id == ci.compose.id
    assert cts_ci.compose.respin == 0
    # Mutual authentication: httpd proved itself with the service key (requests-gssapi checked it).
    assert rv.headers["WWW-Authenticate"].startswith("Negotiate ")

    # translate_path_raw(translate_paths, compose_dir): the topdir as its public URL.
    compose_dir = "https://kojipkgs.example/compose/" + ci.compose.id
    patch = requests.patch(os.path.join(cts_url, "api/1/composes", ci.compose.id),
                           json={"action": "set_url", "compose_url": compose_dir}, auth=HTTPKerberosAuth(), timeout=30)
    assert patch.status_code == 200, patch.text
    assert patch.json()["compose_url"] == compose_dir

    got = requests.get(os.path.join(cts_url, "api/1/composes", ci.compose.id), timeout=30).json()
    assert got["builder"] == "pungi"
    assert got["compose_url"] == compose_dir
    changes = requests.get(os.path.join(cts_url, "api/1/composes", ci.compose.id, "changes/"), timeout=30).json()
    assert [(c["action"], c["user"]) for c in changes["changes"]] == [("created", "pungi")]

    # The one read that needs the caller: groups come from kiln.json's user_groups (pungi is in releng).
    info = requests.get(os.path.join(cts_url, "api/1/userinfo"), auth=HTTPSPNEGOAuth(), timeout=30)
    assert info.status_code == 200, info.text
    assert info.json()["username"] == "pungi"
    assert info.json()["permissions"]["can_create_compose"] is True


def odcs_kerberos(stack):
    return ODCS(stack.url + "/", auth_mech=AuthMech.Kerberos)


def test_odcs_client_with_kerberos_creates_and_renews(stack, krb):
    krb(stack.env["KILN_KRB_PERSON_KEYTAB"])
    client = odcs_kerberos(stack)
    created = client.new_compose(stack.env["KILN_SAMPLE_REPO"], "repo", packages=["kiln-hello"],
                                 flags=["no_reuse"])
    assert created["owner"] == "carol"
    assert created["state_name"] == "wait"
    assert stack.compose_row(created["id"])["owner"] == "carol"

    stack.set_state(created["id"], "done", "Compose is generated successfully")
    # Two days: longer than the default lifetime it was created with, within max_seconds_to_live.
    renewed = client.renew_compose(created["id"], seconds_to_live=172800)
    assert renewed["id"] == created["id"]
    expires = calendar.timegm(time.strptime(renewed["time_to_expire"], "%Y-%m-%dT%H:%M:%SZ"))
    assert abs(expires - (time.time() + 172800)) <= 15

    # carol is in releng (user_groups), not an admin: her identity reaches the permission checks.
    with pytest.raises(requests.HTTPError) as refused:
        client.delete_compose(created["id"])
    assert_error(refused.value.response, 403, "User carol is not in role admins.")


def test_without_a_ticket_a_write_gets_401_and_nothing_changes(stack, krb):
    """No keytab (requests-gssapi has nothing to answer the challenge with), no Authorization header, and a
    Negotiate token that is not a ticket for this server: 401 each time, no compose recorded."""
    before = stack.counts()
    krb(None)
    with pytest.raises(requests.HTTPError) as refused:
        odcs_kerberos(stack).new_compose(stack.env["KILN_SAMPLE_REPO"], "repo", packages=["kiln-hello"])
    assert refused.value.response.status_code == 401

    body = json.dumps({"source": {"type": "repo", "source": stack.env["KILN_SAMPLE_REPO"]}})
    anonymous = requests.post(stack.api("composes/"), data=body, headers={"Content-Type": "application/json"},
                              timeout=30)
    assert_error(anonymous, 401, startswith="The server could not verify that you are authorized")
    challenges = anonymous.headers["WWW-Authenticate"]
    assert "Negotiate" in challenges and "Bearer" in challenges, challenges

    forged = requests.post(stack.api("composes/"), data=body, timeout=30,
                           headers={"Content-Type": "application/json", "Authorization": "Negotiate YWJjZGVm"})
    assert_error(forged, 401, "The Kerberos ticket is malformed, expired or not valid for this server.")

    # A DELETE has no body, so the responder itself answers; its 401 challenges too.
    delete = requests.delete(stack.api("composes/1"), timeout=30)
    assert delete.status_code == 401 and "Negotiate" in delete.headers["WWW-Authenticate"]
    assert stack.counts() == before


def test_a_replayed_ticket_is_refused(stack, krb):
    """An authenticator captured from one request and sent again: httpd's replay cache refuses it."""
    krb(stack.env["KILN_KRB_PERSON_KEYTAB"])
    host = stack.url.split("//", 1)[1].split(":", 1)[0]
    context = gssapi.SecurityContext(name=gssapi.Name("HTTP@" + host, gssapi.NameType.hostbased_service),
                                     usage="initiate", mech=gssapi.MechType.kerberos)
    header = {"Authorization": "Negotiate " + base64.b64encode(context.step()).decode(),
              "Content-Type": "application/json"}
    body = json.dumps({"source": {"type": "repo", "source": stack.env["KILN_SAMPLE_REPO"],
                                  "packages": ["kiln-hello"]}, "flags": ["no_reuse"]})
    first = requests.post(stack.api("composes/"), data=body, headers=header, timeout=30)
    assert first.status_code == 200, first.text
    assert first.json()["owner"] == "carol"
    before = stack.counts()
    again = requests.post(stack.api("composes/"), data=body, headers=header, timeout=30)
    assert_error(again, 401, "The Kerberos ticket is malformed, expired or not valid for this server.")
    assert stack.counts() == before


def test_the_same_url_takes_a_bearer_token_or_a_ticket(stack, krb):
    krb(stack.env["KILN_KRB_PERSON_KEYTAB"])
    user = unique("e2e-bearer")
    token = stack.token(user, groups=("releng",))
    body = {"source": {"type": "repo", "source": stack.env["KILN_SAMPLE_REPO"], "packages": ["kiln-hello"]},
            "flags": ["no_reuse"]}
    by_token = requests.post(stack.api("composes/"), json=body, timeout=30,
                             headers={"Authorization": "Bearer " + token})
    by_ticket = requests.post(stack.api("composes/"), json=body, auth=HTTPSPNEGOAuth(), timeout=30)
    assert by_token.status_code == 200 and by_ticket.status_code == 200, (by_token.text, by_ticket.text)
    assert by_token.json()["owner"] == user
    assert by_ticket.json()["owner"] == "carol"
    assert stack.compose_row(by_token.json()["id"])["owner"] == user
    assert stack.compose_row(by_ticket.json()["id"])["owner"] == "carol"
    # Reads need neither.
    assert requests.get(stack.api("composes/%d" % by_ticket.json()["id"]), timeout=30).json()["owner"] == "carol"


def test_odcs_cli_falls_back_to_kerberos(stack, krb, tmp_path):
    """The odcs CLI with no OIDC client credentials and no terminal uses Kerberos (its TokenManager gets no
    token), as for a user with a ticket."""
    krb(stack.env["KILN_KRB_PERSON_KEYTAB"])
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "odcs.toml").write_text(
        '[redhat]\n[redhat.kiln]\nurl = "%s/"\nid_provider = "http://127.0.0.1:9/no-idp/"\n'
        'oidc_authz_code_client_id = "kiln"\n' % stack.url)
    env = dict(os.environ, HOME=str(home), NO_OIDC_AUTHZ_CODE="1")
    for key in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        env.pop(key, None)
    cmd = [sys.executable, "-c", "import sys; from odcs.client.cli import main; sys.exit(main())", "-e", "kiln",
           "--no-wait", "create-build", "kiln-hello-1.0-1"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, (out.stdout, out.stderr)
    created = json.loads(out.stdout[out.stdout.index("{"):])
    assert created["owner"] == "carol" and created["source_type"] == 6
    assert stack.compose_row(created["id"])["owner"] == "carol"
