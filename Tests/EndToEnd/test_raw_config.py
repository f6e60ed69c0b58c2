"""raw_config composes as ODCS makes them: a Pungi configuration from git at the requested commit, Pungi (the
stand-in Tests/Fixtures/pungi-standin.py, configured as the local stack's pungi_command) run within its time limit,
its productmd tree taken as the compose, its log kept."""
import json
import os
import re
import subprocess

import requests
from conftest import assert_error
from test_generate import generate_once, toplevel_dir


def configs(stack):
    path = stack.env.get("KILN_PUNGI_CONFIGS")
    assert path and os.path.isdir(os.path.join(path, ".git")), \
        "the stack's Pungi configuration repository (KILN_PUNGI_CONFIGS, made by make-pungi-configs) is missing"
    return path


def head(stack):
    return subprocess.run(["git", "-C", configs(stack), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def post(stack, token, source, **extra):
    r = stack.post_compose(dict({"source": {"type": "raw_config", "source": source}}, **extra), token)
    assert r.status_code == 200, r.text
    return r.json()


def test_raw_config_compose_is_pungis_tree_at_the_requested_commit(stack, releng):
    _, token = releng
    commit = head(stack)
    created = post(stack, token, "sample#" + commit, label="RC-1.0", compose_type="production",
                   parent_pungi_compose_ids=["Parent-1-20240101.0"], respin_of="Old-1-20240101.0")
    by_branch = post(stack, token, "sample#main")
    generate_once(stack)

    done = stack.get("composes/%d" % created["id"]).json()
    assert done["state_name"] == "done", done["state_reason"]
    assert re.fullmatch(r"odcs-%d-1-\d{8}\.0" % done["id"], done["pungi_compose_id"]), done["pungi_compose_id"]
    # As ODCS: a raw_config compose has no repository or .repo file of Kiln's.
    assert done["result_repo"] == "" and done["result_repofile"] == ""
    top = toplevel_dir(stack, done)
    from productmd.compose import Compose
    compose = Compose(top)
    assert compose.info.compose.id == done["pungi_compose_id"]
    assert compose.info.compose.label == "RC-1.0"
    assert compose.info.release.short == "KilnSample"
    assert list(compose.info.variants.variants) == ["Server"]
    binaries = {nevra for arch in compose.rpms.rpms["Server"].values() for rpms in arch.values() for nevra in rpms}
    assert "kiln-hello-0:1.0-1.x86_64" in binaries
    assert os.path.exists(os.path.join(top, "compose", "Server", "x86_64", "os", "repodata", "repomd.xml"))

    # Pungi got ODCS's arguments, in the configuration's directory of a checkout of that commit.
    with open(os.path.join(top, "logs", "global", "arguments.json")) as f:
        called = json.load(f)
    argv = called["argv"]
    assert argv[0].startswith("--config=") and argv[0].endswith("/sample.conf")
    assert "--no-latest-link" in argv and "--production" in argv and "--label=RC-1.0" in argv
    assert "--parent-compose-id=Parent-1-20240101.0" in argv and "--respin-of=Old-1-20240101.0" in argv
    compose_dir = [a for a in argv if a.startswith("--compose-dir=")][0].split("=", 1)[1]
    assert os.path.basename(compose_dir).startswith(".tmp-odcs-%d-" % done["id"])  # hidden until placed
    assert called["source_name"] == "sample"
    assert called["cwd"] == os.path.dirname(argv[0].split("=", 1)[1])

    # Its standard error is the compose log (served where the ODCS client tails it), its output kept beside.
    log = requests.get(done["toplevel_url"] + "/pungi-stderr.log", timeout=10)
    assert log.status_code == 200 and "Pungi stand-in: config" in log.text and commit in log.text
    with open(os.path.join(top, "pungi-stdout.log")) as f:
        assert f.read() == "stand-in pungi-koji output\n"
    # ODCS's links in <target_dir>/production/.
    links = os.path.join(stack.env["KILN_TARGET_DIR"], "production")
    for name in (done["pungi_compose_id"], "latest-odcs-%d" % done["id"], "latest-odcs-%d-RC-1.0" % done["id"]):
        assert os.readlink(os.path.join(links, name)) == "../odcs-%d" % done["id"]

    # A production compose keeps the configuration Pungi used (shown on the detail only).
    assert json.loads(done["pungi_config_dump"])["release_short"] == "KilnSample"
    listed = stack.get("composes/?source_type=raw_config&per_page=100").json()["items"]
    assert done["id"] in [c["id"] for c in listed]
    assert all("pungi_config_dump" not in c for c in listed)

    branch = stack.get("composes/%d" % by_branch["id"]).json()
    assert branch["state_name"] == "done", branch["state_reason"]
    assert Compose(toplevel_dir(stack, branch)).info.compose.type == "test"


def test_pungi_past_its_time_limit_fails_and_leaves_nothing(stack, releng):
    _, token = releng
    created = post(stack, token, "slow#main")
    generate_once(stack)
    failed = stack.get("composes/%d" % created["id"]).json()
    assert failed["state_name"] == "failed"
    assert failed["state_reason"] == ("Error while generating compose: Compose has taken more time than allowed by "
                                      "configuration (2 seconds)")
    target = stack.env["KILN_TARGET_DIR"]
    name = "odcs-%d" % created["id"]
    assert not os.path.exists(os.path.join(target, name))
    assert not [e for e in os.listdir(target) if e.startswith(".tmp-%s-" % name)]
    # No stand-in is left running from that compose.
    ps = subprocess.run(["pgrep", "-f", "pungi-standin.py.*%s" % name], capture_output=True, text=True)
    assert ps.stdout == ""


def test_failing_pungi_fails_with_its_errors_and_keeps_its_log(stack, releng):
    _, token = releng
    created = post(stack, token, "broken#main")
    generate_once(stack)
    failed = stack.get("composes/%d" % created["id"]).json()
    assert failed["state_name"] == "failed"
    reason = failed["state_reason"]
    assert reason.startswith("Error while generating compose: Pungi exited with status 3: "), reason
    assert "[ERROR   ] Failed to resolve dependencies in Server.x86_64" in reason
    assert reason.endswith("; see the compose log")
    log = requests.get(failed["toplevel_url"] + "/pungi-stderr.log", timeout=10)
    assert log.status_code == 200 and "Compose run failed: phase gather" in log.text


def test_unknown_commit_fails_naming_it(stack, releng):
    _, token = releng
    created = post(stack, token, "sample#0123456789abcdef0123456789abcdef01234567")
    generate_once(stack)
    failed = stack.get("composes/%d" % created["id"]).json()
    assert failed["state_name"] == "failed"
    assert failed["state_reason"] == (
        "Error while generating compose: The Pungi configuration repository %s has no commit or branch "
        "\"0123456789abcdef0123456789abcdef01234567\"" % configs(stack))


def test_raw_config_sources_and_fields_are_checked_at_post(stack, releng, unchanged):
    _, token = releng
    for source, message in [
        ("nosuch#main", 'Source "nosuch" does not exist in server configuration.'),
        ("sample#-evil", 'The commit "-evil" of raw_config source "sample" must be a commit hash or a branch name.'),
        ("sample#a..b", 'The commit "a..b" of raw_config source "sample" must be a commit hash or a branch name.'),
        ("sample", 'Source must be in "source_name#commit_hash" format for "raw_config" source_type.'),
    ]:
        assert_error(stack.post_compose({"source": {"type": "raw_config", "source": source}}, token), 400,
                     message=message)
    r = stack.post_compose({"source": {"type": "raw_config", "source": "sample#main"}, "arches": ["x86_64"]}, token)
    assert_error(r, 400, message='Field "arches" does not apply to raw_config composes.')
    r = stack.post_compose({"source": {"type": "raw_config", "source": "sample#main"}, "results": ["iso"]}, token)
    assert_error(r, 400, startswith='Result "iso" does not apply to raw_config composes')
