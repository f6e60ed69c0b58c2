"""The unmodified `odcs` client from PyPI against Kiln, through httpd and mod_auth_openidc."""
import calendar
import hashlib
import json
import os
import subprocess
import sys
import time

import pytest
import requests
from odcs.client.odcs import ODCS, AuthMech, ComposeSourceBuild, ComposeSourcePulp, ComposeSourceTag

from conftest import STATES, unique, unique_label


def parse_time(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def client_for(stack, token):
    return ODCS(stack.url + "/", auth_mech=AuthMech.OpenIDC, openidc_token=token)


def test_new_compose_deprecated_api(stack, releng):
    user, token = releng
    odcs = client_for(stack, token)
    label = unique_label()
    before = time.time()
    compose = odcs.new_compose(
        "f40-build", "tag", seconds_to_live=3600, packages=["bash", "coreutils"], flags=["no_deps"],
        sigkeys=["deadbeef"], results=["iso"], arches=["x86_64", "aarch64"], label=label, compose_type="nightly")
    assert compose["owner"] == user
    assert compose["source_type"] == 1
    assert compose["source"] == "f40-build"
    assert compose["state"] == 0 and compose["state_name"] == "wait"
    assert compose["packages"] == "bash coreutils"
    assert compose["flags"] == ["no_deps"]
    assert compose["sigkeys"] == "deadbeef"
    assert compose["results"] == ["repository", "iso"]
    assert compose["arches"] == "x86_64 aarch64"
    assert compose["label"] == label
    assert compose["compose_type"] == "nightly"
    # The client sends the legacy key "seconds-to-live": it must be honoured.
    ttl = parse_time(compose["time_to_expire"]) - parse_time(compose["time_submitted"])
    assert ttl == 3600
    assert before - 5 <= parse_time(compose["time_submitted"]) <= time.time() + 5
    cid = compose["id"]
    assert compose["toplevel_url"].endswith("/odcs-%d" % cid)
    assert compose["result_repofile"].endswith("/odcs-%d/compose/Temporary/odcs-%d.repo" % (cid, cid))
    row = stack.compose_row(cid)
    assert row["state"] == 0 and row["owner"] == user


def test_request_compose_tag_build_pulp(stack, releng):
    user, token = releng
    odcs = client_for(stack, token)
    label = unique_label()
    tag = odcs.request_compose(
        ComposeSourceTag("f40-build", packages=["httpd"], builds=["foo-1.0-1.fc40"]),
        label=label, arches=["x86_64"], flags=["no_inheritance", "check_deps"], seconds_to_live=600)
    assert tag["source_type"] == 1 and tag["source"] == "f40-build"
    assert tag["packages"] == "httpd" and tag["builds"] == "foo-1.0-1.fc40"
    assert tag["flags"] == ["no_inheritance", "check_deps"]
    assert parse_time(tag["time_to_expire"]) - parse_time(tag["time_submitted"]) == 600
    assert tag["owner"] == user and tag["label"] == label

    build = odcs.request_compose(ComposeSourceBuild(["foo-1.0-1.fc40", "bar-2.0-1.fc40"]), label=label)
    assert build["source_type"] == 6 and build["source"] == ""
    assert build["builds"] == "foo-1.0-1.fc40 bar-2.0-1.fc40"
    assert build["state_name"] == "wait"

    pulp = odcs.request_compose(ComposeSourcePulp(["rhel-8-for-x86_64-baseos-rpms"]), label=label)
    assert pulp["source_type"] == 4 and pulp["source"] == "rhel-8-for-x86_64-baseos-rpms"
    assert pulp["state_name"] == "wait"

    ids = {tag["id"], build["id"], pulp["id"]}
    assert len(ids) == 3
    listed = odcs.find_composes(label=label, per_page=10)
    assert {c["id"] for c in listed["items"]} == ids
    assert listed["meta"]["total"] == 3


def test_find_composes_by_owner_state_and_source_type(stack, releng):
    user, token = releng
    odcs = client_for(stack, token)
    a = odcs.request_compose(ComposeSourceTag("f40-build"))
    b = odcs.request_compose(ComposeSourceTag("f41-build"))
    c = odcs.request_compose(ComposeSourceBuild(["foo-1.0-1.fc40"]))
    stack.set_state(b["id"], "done", "Compose is generated successfully")

    everything = odcs.find_composes(owner=user)
    assert [x["id"] for x in everything["items"]] == [c["id"], b["id"], a["id"]]  # default order -id
    assert everything["meta"]["total"] == 3

    for state in ("done", 2, "2"):
        done = odcs.find_composes(owner=user, state=state)
        assert [x["id"] for x in done["items"]] == [b["id"]], state
        assert done["items"][0]["state_name"] == "done"
    waiting = odcs.find_composes(owner=user, state="wait")
    assert [x["id"] for x in waiting["items"]] == [c["id"], a["id"]]

    tags = odcs.find_composes(owner=user, source_type="tag")
    assert [x["id"] for x in tags["items"]] == [b["id"], a["id"]]
    tags_by_number = odcs.find_composes(owner=user, source_type=1)
    assert [x["id"] for x in tags_by_number["items"]] == [b["id"], a["id"]]
    builds = odcs.find_composes(owner=user, source_type="build", state="wait")
    assert [x["id"] for x in builds["items"]] == [c["id"]]

    paged = odcs.find_composes(owner=user, per_page=2, page=2, order_by="id")
    assert [x["id"] for x in paged["items"]] == [c["id"]]
    assert paged["meta"]["page"] == 2 and paged["meta"]["pages"] == 2


def test_get_compose(stack, releng):
    user, token = releng
    odcs = client_for(stack, token)
    created = odcs.request_compose(ComposeSourceTag("f40-build"), label=unique_label())
    got = odcs.get_compose(created["id"])
    # The detail view adds pungi_config_dump to the list/POST shape; everything else is equal.
    assert "pungi_config_dump" in got and got["pungi_config_dump"] is None
    del got["pungi_config_dump"]
    assert got == created
    # Anonymous clients can read too.
    anon = ODCS(stack.url + "/")
    assert anon.get_compose(created["id"])["owner"] == user
    with pytest.raises(requests.HTTPError) as e:
        anon.get_compose(999999999)
    assert e.value.response.status_code == 404


def test_renew_done_compose_extends_it(stack, releng):
    user, token = releng
    odcs = client_for(stack, token)
    created = odcs.request_compose(ComposeSourceTag("f40-build"), label=unique_label())
    cid = created["id"]
    stack.set_state(cid, "done", "Compose is generated successfully")
    # The backend would have recomputed the expiry; make it close so that extending is visible.
    stack.psql("UPDATE composes SET time_to_expire = date_trunc('second', now() AT TIME ZONE 'utc') + interval '100 seconds' "
               "WHERE id = %d" % cid)
    old_expire = parse_time(stack.compose_row(cid)["time_to_expire"])
    before = int(time.time())
    renewed = odcs.renew_compose(cid, seconds_to_live=7200)
    assert renewed["id"] == cid
    assert renewed["state_name"] == "done"
    new_expire = parse_time(renewed["time_to_expire"])
    assert new_expire > old_expire
    assert before + 7200 - 5 <= new_expire <= int(time.time()) + 7200 + 5
    assert parse_time(odcs.get_compose(cid)["time_to_expire"]) == new_expire
    # A shorter renewal never shortens the expiry.
    again = odcs.renew_compose(cid, seconds_to_live=60)
    assert again["id"] == cid and parse_time(again["time_to_expire"]) == new_expire
    assert int(stack.scalar("SELECT count(*) FROM composes WHERE owner = '%s'" % user)) == 1


def test_renew_removed_compose_respins_it(stack, releng):
    user, token = releng
    odcs = client_for(stack, token)
    label = unique_label()
    created = odcs.request_compose(ComposeSourceTag("f40-build", packages=["bash"]), label=label,
                                   arches=["x86_64"], flags=["no_deps"])
    old_id = created["id"]
    stack.set_state(old_id, "done", "Compose is generated successfully")
    stack.set_state(old_id, "removed", "Compose is generated successfully\nCompose is expired.")
    pungi_id = stack.scalar("SELECT pungi_compose_id FROM composes WHERE id = %d" % old_id)

    other_user = unique("e2e-renewer")
    other = client_for(stack, stack.token(other_user, groups=("releng",)))
    renewed = other.renew_compose(old_id, seconds_to_live=1800)
    assert renewed["id"] != old_id and renewed["id"] > old_id
    assert renewed["state"] == 0 and renewed["state_name"] == "wait"
    assert renewed["owner"] == other_user
    assert renewed["respin_of"] == pungi_id
    assert renewed["source"] == "f40-build" and renewed["source_type"] == 1
    assert renewed["packages"] == "bash" and renewed["flags"] == ["no_deps"]
    assert renewed["label"] == label
    assert renewed["pungi_compose_id"] is None and renewed["state_reason"] is None
    assert renewed["time_done"] is None and renewed["time_removed"] is None and renewed["removed_by"] is None
    assert parse_time(renewed["time_to_expire"]) - parse_time(renewed["time_submitted"]) == 1800
    # The old compose is untouched.
    old = odcs.get_compose(old_id)
    assert old["state_name"] == "removed" and old["id"] == old_id
    assert stack.compose_row(renewed["id"])["state"] == STATES["wait"]


def test_delete_wait_compose_as_owner_cancels_it(stack, releng):
    user, token = releng
    odcs = client_for(stack, token)
    created = odcs.request_compose(ComposeSourceTag("f40-build"), label=unique_label())
    answer = odcs.delete_compose(created["id"])
    assert answer == {"status": 202, "message": "Compose (id=%d) has been canceled" % created["id"]}
    got = odcs.get_compose(created["id"])
    assert got["state"] == 4 and got["state_name"] == "failed"
    assert got["state_reason"] == "Canceled by %s" % user
    row = stack.compose_row(created["id"])
    assert row["state"] == 4 and row["state_reason"] == "Canceled by %s" % user


def test_delete_done_compose_as_admin_marks_it_expired(stack, releng, admin):
    user, token = releng
    admin_user, admin_token = admin
    created = client_for(stack, token).request_compose(ComposeSourceTag("f40-build"), label=unique_label())
    cid = created["id"]
    stack.set_state(cid, "done", "Compose is generated successfully")
    r = stack.request("DELETE", "composes/%d" % cid, token=admin_token)
    assert r.status_code == 202, r.text
    assert r.json() == {
        "status": 202,
        "message": "The delete request for compose (id=%d) has been accepted and will be processed by backend later." % cid,
    }
    got = client_for(stack, admin_token).get_compose(cid)
    assert got["removed_by"] == admin_user
    assert got["state_name"] == "done"  # the expiry job removes it later
    assert abs(parse_time(got["time_to_expire"]) - time.time()) <= 5

    # The same through the client, on a failed compose.
    failed = client_for(stack, token).request_compose(ComposeSourceTag("f40-build"))
    stack.set_state(failed["id"], "failed", "Error while generating compose: boom")
    answer = client_for(stack, admin_token).delete_compose(failed["id"])
    assert answer["status"] == 202
    assert stack.compose_row(failed["id"])["removed_by"] == admin_user


def test_about(stack):
    odcs = ODCS(stack.url + "/")
    about = odcs.about()  # GET /api/1/about, without the trailing slash
    assert set(about) >= {"version", "auth_backend", "allowed_clients", "raw_config_urls", "sigkeys"}
    assert about["auth_backend"] == "oidc_or_kerberos"
    assert about["allowed_clients"]["groups"] == {"releng": {}}
    assert about["allowed_clients"]["users"] == {}
    configs = stack.env["KILN_PUNGI_CONFIGS"]
    assert about["raw_config_urls"] == {
        "broken": {"url": configs, "config_filename": "broken.conf", "seconds_to_live": 600},
        "sample": {"url": configs, "config_filename": "sample.conf"},
        "slow": {"url": configs, "config_filename": "slow.conf", "pungi_timeout": 2},
    }
    assert about["sigkeys"] == []
    assert isinstance(about["version"], str) and about["version"]
    slash = stack.get("about/")
    assert slash.status_code == 200 and slash.json() == about


# ----------------------------------------------------------------------------- the odcs CLI

def _cli_env(stack, tmp_path, token):
    """A HOME with an odcs.toml naming Kiln and a cached access token, as TokenManager stores it.

    The CLI reads no token from its command line (`--token` is parsed and ignored): for a URL without
    "localhost" it uses TokenManager, which takes a cached, unexpired access token without contacting
    the identity provider.
    """
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".cache").mkdir()
    id_provider = "http://127.0.0.1:9/kiln-e2e-no-idp/"
    client_id = "kiln-e2e"
    (home / ".config" / "odcs.toml").write_text(
        '[redhat]\n[redhat.kiln]\nurl = "%s/"\nid_provider = "%s"\noidc_authz_code_client_id = "%s"\n'
        % (stack.url, id_provider, client_id))
    # token_manager._get_default_cache_file: sha256 over str(args), once per argument.
    args = (client_id, os.path.join(id_provider, "auth"), os.path.join(id_provider, "token"))
    h = hashlib.sha256()
    for _ in args:
        h.update(str(args).encode("utf-8"))
    cache = home / ".cache" / ("odcs_auth_token_%s.json" % h.hexdigest()[:8])
    cache.write_text(json.dumps({"access_token": token}))
    env = dict(os.environ)
    env.update({"HOME": str(home), "NO_OIDC_AUTHZ_CODE": "1"})
    env.pop("OIDC_CLIENT_ID", None)
    env.pop("OIDC_CLIENT_SECRET", None)
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    return env


def _odcs_cli(env, *args):
    cmd = [sys.executable, "-c", "import sys; from odcs.client.cli import main; sys.exit(main())", "-e", "kiln"]
    out = subprocess.run(cmd + list(args), capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    return out


def test_odcs_cli(stack, releng, tmp_path):
    user, token = releng
    env = _cli_env(stack, tmp_path, token)
    out = _odcs_cli(env, "--no-wait", "create-tag", "f40-build", "bash", "--arch", "aarch64", "--flag", "no_deps")
    assert out.returncode == 0, (out.stdout, out.stderr)
    created = json.loads(out.stdout[out.stdout.index("{"):])
    assert created["owner"] == user and created["state_name"] == "wait"
    assert created["packages"] == "bash" and created["arches"] == "aarch64" and created["flags"] == ["no_deps"]
    assert [c["id"] for c in stack.get("composes/", params={"owner": user}).json()["items"]] == [created["id"]]
    cid = created["id"]

    out = _odcs_cli(env, "--no-wait", "get", str(cid))
    assert out.returncode == 0, (out.stdout, out.stderr)
    assert json.loads(out.stdout[out.stdout.index("{"):])["id"] == cid

    # renew passes --seconds-to-live as a string.
    stack.set_state(cid, "done", "Compose is generated successfully")
    stack.psql("UPDATE composes SET time_to_expire = date_trunc('second', now() AT TIME ZONE 'utc') + interval '50 seconds' "
               "WHERE id = %d" % cid)
    out = _odcs_cli(env, "--no-wait", "renew", str(cid), "--seconds-to-live", "5000")
    assert out.returncode == 0, (out.stdout, out.stderr)
    renewed = json.loads(out.stdout[out.stdout.index("{"):])
    assert renewed["id"] == cid
    assert abs(parse_time(renewed["time_to_expire"]) - (time.time() + 5000)) <= 10

    out = _odcs_cli(env, "about")
    assert out.returncode == 0, (out.stdout, out.stderr)
    assert json.loads(out.stdout[out.stdout.index("{"):])["auth_backend"] == "oidc_or_kerberos"
