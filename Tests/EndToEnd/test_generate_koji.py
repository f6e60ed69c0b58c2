"""Koji-sourced composes end to end: a Koji hub stand-in speaking Koji's XML-RPC (Tests/Fixtures/koji-standin.py)
over a Koji top directory made from rpmbuild RPMs; `kiln generate` gathers tags and builds from it."""
import json
import os
import subprocess
import tempfile
import time

import pytest
from conftest import unique
from test_generate import rpm_names, sample, wait_finished

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Fixtures")


@pytest.fixture(scope="module")
def koji(stack):
    out_dir = tempfile.mkdtemp(prefix="kiln-koji-")
    made = subprocess.run([os.path.join(FIXTURES, "make-koji-fixture"), sample(stack), out_dir], capture_output=True, text=True)
    assert made.returncode == 0, "make-koji-fixture failed: " + made.stderr
    sigkey = json.load(open(os.path.join(out_dir, "state.json")))["sigkey"]
    port_file = os.path.join(out_dir, "port")
    proc = subprocess.Popen(["python3", os.path.join(FIXTURES, "koji-standin.py"), "--state", os.path.join(out_dir, "state.json"),
                             "--port-file", port_file, "--topdir", os.path.join(out_dir, "topdir")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not (os.path.exists(port_file) and open(port_file).read()):
        assert time.monotonic() < deadline and proc.poll() is None, "the Koji stand-in did not start"
        time.sleep(0.05)
    port = open(port_file).read().strip()
    yield {"hub": "http://127.0.0.1:%s/kojihub" % port, "files": "http://127.0.0.1:%s/kojifiles" % port,
           "topdir": os.path.join(out_dir, "topdir"), "sigkey": sigkey}
    proc.terminate()
    proc.wait()


def generate(stack, koji, local=True):
    env = dict(os.environ, KILN_KOJI_HUB_URL=koji["hub"], KILN_KOJI_TOP_URL=koji["topdir"] if local else koji["files"])
    out = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once"], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr


def post(stack, token, source, **extra):
    body = {"source": dict({"type": "tag", "source": "f40-build"}, **source)}
    body.update(extra)
    r = stack.post_compose(body, token)
    assert r.status_code == 200, r.text
    return r.json()


def binaries(stack, compose):
    return {n for n, cat in rpm_names(stack, compose)[1] if cat == "binary"}


def test_tag_compose_takes_the_latest_builds_with_inheritance_at_the_last_event(stack, releng, koji):
    _, token = releng
    c = post(stack, token, {"packages": ["kiln-hello"], "sigkeys": [koji["sigkey"]]}, flags=["no_reuse"])
    generate(stack, koji)
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "done", done["state_reason"]
    assert done["koji_event"] == 200
    # kiln-lib 1.1 is tagged into f40-build itself at event 200; kiln-hello comes from f40 by inheritance.
    assert binaries(stack, done) == {"kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.1-1.noarch"}
    info = rpm_names(stack, done)[0]
    sigs = {nevra: data["sigkey"] for arch in info.rpms.rpms["Temporary"].values() for rpms in arch.values() for nevra, data in rpms.items()}
    assert sigs["kiln-hello-0:1.0-1.x86_64"] == koji["sigkey"]


def test_event_pinning_no_inheritance_and_unsigned(stack, releng, koji):
    _, token = releng
    pinned = post(stack, token, {"packages": ["kiln-hello"], "koji_event": 150, "sigkeys": [koji["sigkey"]]}, flags=["no_reuse"])
    parent_only = post(stack, token, {"source": "f40-build", "packages": ["kiln-lib"], "sigkeys": [koji["sigkey"]]},
                       flags=["no_inheritance", "no_deps", "no_reuse"])
    tools_signed = post(stack, token, {"packages": ["kiln-tools"], "sigkeys": [koji["sigkey"]]}, flags=["no_reuse"])
    tools_any = post(stack, token, {"packages": ["kiln-tools"], "sigkeys": [koji["sigkey"], ""]}, flags=["no_reuse"])
    unknown = post(stack, token, {"source": "no-such-tag"})
    generate(stack, koji)

    p = wait_finished(stack, pinned["id"])
    assert p["state_name"] == "done" and p["koji_event"] == 150
    assert binaries(stack, p) == {"kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.0-1.noarch"}  # before kiln-lib 1.1 was tagged
    o = wait_finished(stack, parent_only["id"])
    assert o["state_name"] == "done" and binaries(stack, o) == {"kiln-lib-0:1.1-1.noarch"}
    s = wait_finished(stack, tools_signed["id"])
    assert s["state_name"] == "failed"
    assert s["state_reason"] == ("Error while generating compose: RPMs not signed with any of the keys %s: "
                                 "kiln-tools-3.0~rc1-2.src.rpm, kiln-tools-3.0~rc1-2.x86_64.rpm" % koji["sigkey"])
    a = wait_finished(stack, tools_any["id"])
    assert a["state_name"] == "done" and binaries(stack, a) == {"kiln-tools-1:3.0~rc1-2.x86_64"}
    u = wait_finished(stack, unknown["id"])
    assert u["state_name"] == "failed" and "no-such-tag" in u["state_reason"]


def test_build_compose_over_http_top_directory(stack, releng, koji):
    _, token = releng
    c = post(stack, token, {"type": "build", "source": "", "builds": ["kiln-extra-2.0-1", "kiln-doc-1.0-1"], "sigkeys": [""]},
             flags=["no_reuse"])
    generate(stack, koji, local=False)
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "done", done["state_reason"]
    assert binaries(stack, done) == {"kiln-extra-0:2.0-1.noarch", "kiln-doc-0:1.0-1.noarch"}


def test_tag_compose_reuse_depends_on_the_tag_not_changing(stack, releng, koji):
    _, token = releng
    marker = unique("reuse")  # respin_of is compared exactly: nothing from an earlier run can match
    first = post(stack, token, {"packages": ["kiln-doc"], "sigkeys": [koji["sigkey"]], "koji_event": 100}, respin_of=marker)
    generate(stack, koji)
    # Same request pinned later: f40-build changed between 100 and 200 (kiln-lib 1.1), so no reuse.
    later = post(stack, token, {"packages": ["kiln-doc"], "sigkeys": [koji["sigkey"]], "koji_event": 200}, respin_of=marker)
    # Same request at the same event: reused.
    same = post(stack, token, {"packages": ["kiln-doc"], "sigkeys": [koji["sigkey"]], "koji_event": 100}, respin_of=marker)
    generate(stack, koji)
    a, b, c = (wait_finished(stack, x["id"]) for x in (first, later, same))
    assert a["state_name"] == b["state_name"] == c["state_name"] == "done"
    assert c["toplevel_url"] == a["toplevel_url"]
    assert b["toplevel_url"] != a["toplevel_url"]


def test_pungi_compose_source_rebuilds_another_composes_rpm_set(stack, releng, koji):
    _, token = releng
    # An existing compose (here one of Kiln's own, which carries productmd metadata like any Pungi compose).
    original = post(stack, token, {"packages": ["kiln-hello"], "sigkeys": [koji["sigkey"]]}, flags=["no_reuse"])
    generate(stack, koji)
    o = wait_finished(stack, original["id"])
    assert o["state_name"] == "done", o["state_reason"]
    variant_url = o["toplevel_url"] + "/compose/Temporary"
    again = post(stack, token, {"type": "pungi_compose", "source": variant_url}, flags=["no_reuse"])
    generate(stack, koji)
    a = wait_finished(stack, again["id"])
    assert a["state_name"] == "done", a["state_reason"]
    assert binaries(stack, a) == binaries(stack, o) == {"kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.1-1.noarch"}
    assert sorted(a["builds"].split()) == ["kiln-hello-1.0-1", "kiln-lib-1.1-1"]
    assert sorted(a["packages"].split()) == ["kiln-hello", "kiln-lib"]
    assert a["sigkeys"] == koji["sigkey"]


def sigkeys_by_nevra(stack, compose):
    info = rpm_names(stack, compose)[0]
    return {nevra: data["sigkey"] for arch in info.rpms.rpms["Temporary"].values() for rpms in arch.values()
            for nevra, data in rpms.items()}


def test_scratch_build_tasks_add_their_unsigned_rpms(stack, releng, koji):
    _, token = releng
    # f40 alone has kiln-lib 1.0; scratch build task 3001 rebuilt kiln-lib 1.1, which the solver then prefers.
    without = post(stack, token, {"source": "f40", "packages": ["kiln-hello"], "sigkeys": [koji["sigkey"]]},
                   flags=["no_reuse"])
    tagged = post(stack, token, {"source": "f40", "packages": ["kiln-hello"], "sigkeys": [koji["sigkey"]],
                                 "scratch_build_tasks": ["3001"]}, flags=["no_reuse"])
    only = post(stack, token, {"type": "build", "source": "", "scratch_build_tasks": ["3001"]}, flags=["no_reuse"])
    generate(stack, koji, local=False)  # over HTTP: the task output is downloaded from Koji's work directory

    w = wait_finished(stack, without["id"])
    assert w["state_name"] == "done", w["state_reason"]
    assert binaries(stack, w) == {"kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.0-1.noarch"}
    t = wait_finished(stack, tagged["id"])
    assert t["state_name"] == "done", t["state_reason"]
    assert t["scratch_build_tasks"] == "3001"
    assert binaries(stack, t) == {"kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.1-1.noarch"}
    sigs = sigkeys_by_nevra(stack, t)
    # Scratch builds are never signed; asked for by task id, they are taken whatever the signing keys say.
    assert sigs["kiln-lib-0:1.1-1.noarch"] is None and sigs["kiln-lib-0:1.1-1.src"] is None
    assert sigs["kiln-hello-0:1.0-1.x86_64"] == koji["sigkey"]
    o = wait_finished(stack, only["id"])
    assert o["state_name"] == "done", o["state_reason"]
    assert binaries(stack, o) == {"kiln-lib-0:1.1-1.noarch"}
    lib = os.path.join(stack.env["KILN_TARGET_DIR"], "odcs-%d" % o["id"], "compose", "Temporary", "x86_64", "os",
                       "Packages", "k", "kiln-lib-1.1-1.noarch.rpm")
    with open(lib, "rb") as placed, open(os.path.join(koji["topdir"], "work", "tasks", "3002", "3002",
                                                      "kiln-lib-1.1-1.noarch.rpm"), "rb") as built:
        assert placed.read() == built.read()


@pytest.mark.parametrize("task,reason", [
    ("3010", "Koji task 3010 is FAILED, not a finished (CLOSED) build"),
    ("3020", "Koji task 3020 is a createrepo task, not a build"),
    ("3030", "Koji task 3030's kiln-lib-1.1-1.noarch.rpm is damaged: its digests do not match"),
    ("2999999", "Koji has no task 2999999"),
])
def test_scratch_build_tasks_that_cannot_be_used_fail_the_compose(stack, releng, koji, task, reason):
    _, token = releng
    c = post(stack, token, {"type": "build", "source": "", "scratch_build_tasks": [task]}, flags=["no_reuse"])
    generate(stack, koji)
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "failed"
    assert done["state_reason"] == "Error while generating compose: " + reason
