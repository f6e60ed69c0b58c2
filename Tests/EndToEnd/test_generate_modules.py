"""Module composes end to end: a Module Build Service stand-in (Tests/Fixtures/mbs-standin.py) resolves N:S to
complete builds, the Koji stand-in holds the module builds' tags (Tests/Fixtures/make-koji-fixture --modules), and
`kiln generate` writes the modules' RPMs with modules.yaml in the repodata and productmd's modules.json.

The stack's own kiln-api has no mbs_url, so it refuses module composes; the composes here are submitted to a second
kiln-api configured with the stand-in's URL, spoken to over FastCGI as httpd speaks to it."""
import json
import os
import shutil
import subprocess
import tempfile
import time

import pytest
from conftest import assert_error
from test_generate import rpm_names, sample, toplevel_dir, wait_finished
from test_responder_process import FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT, _pair, _record

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Fixtures")


def start_standin(args, out_dir, name):
    port_file = os.path.join(out_dir, name + ".port")
    proc = subprocess.Popen(["python3", os.path.join(FIXTURES, args[0])] + args[1:] + ["--port-file", port_file],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not (os.path.exists(port_file) and open(port_file).read()):
        assert time.monotonic() < deadline and proc.poll() is None, "the %s stand-in did not start" % name
        time.sleep(0.05)
    return proc, open(port_file).read().strip()


@pytest.fixture(scope="module")
def services(stack):
    out_dir = tempfile.mkdtemp(prefix="kiln-modules-")
    rpms = os.path.join(out_dir, "module-rpms")
    built = subprocess.run([os.path.join(FIXTURES, "build-module-rpms"), rpms], capture_output=True, text=True)
    assert built.returncode == 0, "build-module-rpms failed: " + built.stderr
    made = subprocess.run([os.path.join(FIXTURES, "make-koji-fixture"), sample(stack), out_dir, "--modules", rpms],
                          capture_output=True, text=True)
    assert made.returncode == 0, "make-koji-fixture failed: " + made.stderr
    koji, koji_port = start_standin(["koji-standin.py", "--state", os.path.join(out_dir, "state.json"),
                                     "--topdir", os.path.join(out_dir, "topdir")], out_dir, "koji")
    log = os.path.join(out_dir, "mbs.log")
    mbs, mbs_port = start_standin(["mbs-standin.py", "--state", os.path.join(rpms, "modules.json"), "--log", log],
                                  out_dir, "mbs")
    yield {"hub": "http://127.0.0.1:%s/kojihub" % koji_port, "topdir": os.path.join(out_dir, "topdir"),
           "mbs": "http://127.0.0.1:%s/module-build-service" % mbs_port, "mbs_log": log}
    for proc in (koji, mbs):
        proc.terminate()
        proc.wait()
    shutil.rmtree(out_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def responder(stack, services):
    """A kiln-api with mbs_url set, on its own socket."""
    api_bin = stack.env.get("KILN_API_BIN")
    assert api_bin and os.path.exists(api_bin), "KILN_API_BIN (the built kiln-api) is missing from stack.env"
    sock = os.path.join(stack.rundir, "modules-test.sock")
    log = open(os.path.join(stack.rundir, "modules-test-api.log"), "wb")
    env = dict(os.environ, KILN_CONFIG=stack.config, KILN_SOCKET=sock, KILN_WORKERS="2", KILN_MBS_URL=services["mbs"])
    proc = subprocess.Popen([api_bin], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 10
    while not os.path.exists(sock) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert os.path.exists(sock), "kiln-api with mbs_url did not create its socket"
    yield sock
    proc.terminate()
    proc.wait()
    log.close()


def post(sock, body, user="alice", groups="releng"):
    """POST /api/1/composes/ over FastCGI with the variables httpd's OIDC module passes; returns (status, JSON)."""
    import socket
    import struct
    data = json.dumps(body).encode()
    params = {"REQUEST_METHOD": "POST", "SCRIPT_NAME": "/api/1/composes/", "REQUEST_URI": "/api/1/composes/",
              "QUERY_STRING": "", "HTTP_HOST": "kiln.test", "CONTENT_TYPE": "application/json",
              "CONTENT_LENGTH": str(len(data)), "REMOTE_USER": user, "OIDC_CLAIM_groups": groups,
              "OIDC_CLAIM_scope": "openid https://pagure.io/odcs/new-compose"}
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock)
    s.sendall(_record(1, 1, struct.pack("!HB5x", 1, 0))
              + _record(FCGI_PARAMS, 1, b"".join(_pair(k, v) for k, v in params.items())) + _record(FCGI_PARAMS, 1, b"")
              + _record(FCGI_STDIN, 1, data) + _record(FCGI_STDIN, 1, b""))
    out, buffer = b"", b""
    while True:
        chunk = s.recv(65536)
        assert chunk, "connection closed before FCGI_END_REQUEST"
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
                return int(head.split(b"\r\n")[0].split()[1]), json.loads(payload)


def submit(sock, source, **extra):
    body = {"source": dict({"type": "module"}, **source)}
    body.update(extra)
    status, answer = post(sock, body)
    assert status == 200, answer
    return answer


def generate(stack, services):
    env = dict(os.environ, KILN_KOJI_HUB_URL=services["hub"], KILN_KOJI_TOP_URL=services["topdir"],
               KILN_MBS_URL=services["mbs"])
    out = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once"], capture_output=True, text=True,
                         timeout=300, env=env)
    assert out.returncode == 0, out.stderr


APP = "kiln-app:1:20240101000000:aaaa1111"
LIB = "kiln-lib:2:20240101000000:bbbb2222"


def test_module_compose_is_refused_without_mbs_url(stack, releng):
    _, token = releng
    r = stack.post_compose({"source": {"type": "module", "source": "kiln-app:1"}}, token)
    assert_error(r, 400, contains="an administrator must configure mbs_url")


def test_module_compose_resolves_through_mbs_and_carries_module_metadata(stack, services, responder):
    c = submit(responder, {"source": "kiln-app:1"}, flags=["no_reuse"])
    assert c["source"] == "kiln-app:1"
    generate(stack, services)
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "done", done["state_reason"]
    # The latest ready kiln-app:1 (not the older one, the done one or the scratch build), and what it requires,
    # without the base module platform; source is rewritten to the sorted N:S:V:C list.
    assert done["source"] == APP + " " + LIB
    assert done["koji_event"] is None
    info, names = rpm_names(stack, done)
    assert {n for n, cat in names if cat == "binary"} == {
        "kiln-modapp-0:1.0-1.module_f40+1+aaaa1111.noarch", "kiln-modlib-0:2.0-1.module_f40+2+bbbb2222.noarch"}
    assert {n for n, cat in names if cat == "source"} == {
        "kiln-modapp-0:1.0-1.module_f40+1+aaaa1111.src", "kiln-modlib-0:2.0-1.module_f40+2+bbbb2222.src"}

    # productmd's modules.json, as productmd loads it.
    modules = info.modules.modules["Temporary"]["x86_64"]
    assert sorted(modules) == [APP, LIB]
    assert modules[APP]["metadata"] == {"uid": APP, "name": "kiln-app", "stream": "1", "version": "20240101000000",
                                        "context": "aaaa1111", "koji_tag": "module-kiln-app-1-20240101000000-aaaa1111"}
    assert sorted(modules[APP]["rpms"]) == ["kiln-modapp-0:1.0-1.module_f40+1+aaaa1111.noarch",
                                            "kiln-modapp-0:1.0-1.module_f40+1+aaaa1111.src"]
    modulemd = os.path.join(toplevel_dir(stack, done), "compose", modules[APP]["modulemd_path"]["binary"])
    assert os.path.isfile(modulemd) and modulemd.endswith("modules.yaml.gz")

    # The repodata carries modules.yaml: dnf sees both module streams.
    root = tempfile.mkdtemp(prefix="kiln-dnf-")
    try:
        out = subprocess.run(
            ["dnf", "--installroot=" + root, "--releasever=40", "--setopt=reposdir=/nonexistent",
             "--setopt=module_platform_id=platform:f40", "--repofrompath=kiln," + os.path.join(
                 toplevel_dir(stack, done), "compose", "Temporary", "x86_64", "os"),
             "--nogpgcheck", "-q", "module", "list"], capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        rows = {tuple(line.split()[:2]) for line in out.stdout.splitlines() if line.startswith("kiln-")}
        assert rows == {("kiln-app", "1"), ("kiln-lib", "2")}, out.stdout
    finally:
        shutil.rmtree(root, ignore_errors=True)

    # What Kiln asked MBS: ready builds of kiln-app:1, newest first, verbose.
    asked = [json.loads(line)["path"] for line in open(services["mbs_log"])]
    assert any("name=kiln-app&stream=1&state=ready&verbose=true&order_desc_by=version" in p for p in asked), asked


def test_no_deps_include_done_and_complete_nsvcs(stack, services, responder):
    alone = submit(responder, {"source": "kiln-app:1"}, flags=["no_deps", "no_reuse"])
    done_too = submit(responder, {"source": "kiln-app:1"}, flags=["include_done_modules", "no_deps", "no_reuse"])
    older = submit(responder, {"source": "kiln-app:1:20230101000000:aaaa1111 kiln-lib:2"}, flags=["no_deps"])
    missing = submit(responder, {"source": "kiln-nothing:1"})
    generate(stack, services)
    a = wait_finished(stack, alone["id"])
    assert a["state_name"] == "done" and a["source"] == APP, a["state_reason"]
    d = wait_finished(stack, done_too["id"])
    assert d["state_name"] == "done" and d["source"] == "kiln-app:1:20250101000000:aaaa1111", d["state_reason"]
    assert {n for n, cat in rpm_names(stack, d)[1] if cat == "binary"} == {
        "kiln-modapp-0:1.1-1.module_f40+3+aaaa1111.noarch"}
    o = wait_finished(stack, older["id"])
    assert o["state_name"] == "done" and o["source"] == "kiln-app:1:20230101000000:aaaa1111 " + LIB
    m = wait_finished(stack, missing["id"])
    assert m["state_name"] == "failed"
    assert m["state_reason"] == "Error while generating compose: Failed to find module kiln-nothing:1 in the MBS."


def test_base_module_filters_narrow_the_mbs_query(stack, services, responder):
    newer = submit(responder, {"source": "kiln-lib:2", "base_module_br_name": "platform",
                               "base_module_br_stream_version_gte": 400000}, flags=["no_reuse"])
    older = submit(responder, {"source": "kiln-lib:2", "base_module_br_stream": "f40",
                               "base_module_br_stream_version_lte": 390000}, flags=["no_reuse"])
    generate(stack, services)
    n = wait_finished(stack, newer["id"])
    assert n["state_name"] == "done" and n["source"] == LIB, n["state_reason"]
    assert n["base_module_br_name"] == "platform" and n["base_module_br_stream_version_gte"] == 400000
    o = wait_finished(stack, older["id"])
    assert o["state_name"] == "failed"
    assert o["state_reason"] == "Error while generating compose: Failed to find module kiln-lib:2 in the MBS."
    asked = [json.loads(line)["path"] for line in open(services["mbs_log"])]
    assert any("base_module_br_stream=f40&base_module_br_stream_version_lte=390000" in p for p in asked), asked


def test_module_compose_from_modular_koji_tags_needs_no_mbs(stack, releng, services):
    _, token = releng
    asked_before = len(open(services["mbs_log"]).readlines())
    # Through the stack's own kiln-api: with modular_koji_tags, no Module Build Service is needed.
    r = stack.post_compose({"source": {"type": "module", "source": "kiln-app:1",
                                       "modular_koji_tags": ["f40-modular"]}, "flags": ["no_reuse"]}, token)
    assert r.status_code == 200, r.text
    generate(stack, services)
    done = wait_finished(stack, r.json()["id"])
    assert done["state_name"] == "done", done["state_reason"]
    assert done["source"] == APP + " " + LIB and done["modular_koji_tags"] == "f40-modular"
    assert sorted(rpm_names(stack, done)[0].modules.modules["Temporary"]["x86_64"]) == [APP, LIB]
    assert len(open(services["mbs_log"]).readlines()) == asked_before


def test_tag_compose_adds_the_modules_of_modular_koji_tags_and_named_modules(stack, releng, services):
    _, token = releng
    r = stack.post_compose({"source": {"type": "tag", "source": "f40", "packages": ["kiln-hello"], "sigkeys": [""],
                                       "modular_koji_tags": ["f40-modular"]}, "flags": ["no_reuse"]}, token)
    assert r.status_code == 200, r.text
    named = stack.post_compose({"source": {"type": "tag", "source": "f40", "packages": ["kiln-hello"], "sigkeys": [""],
                                           "modules": ["kiln-app:1:20250101000000:aaaa1111"]}, "flags": ["no_reuse"]},
                               token)
    assert named.status_code == 200, named.text
    generate(stack, services)
    done = wait_finished(stack, r.json()["id"])
    assert done["state_name"] == "done", done["state_reason"]
    info, names = rpm_names(stack, done)
    # The requested package with its dependency, and every RPM of the latest module streams in the modular tag.
    assert {n for n, cat in names if cat == "binary"} == {
        "kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.0-1.noarch",
        "kiln-modapp-0:1.0-1.module_f40+1+aaaa1111.noarch", "kiln-modlib-0:2.0-1.module_f40+2+bbbb2222.noarch"}
    assert sorted(info.modules.modules["Temporary"]["x86_64"]) == [APP, LIB]
    n = wait_finished(stack, named.json()["id"])
    assert n["state_name"] == "done", n["state_reason"]
    info, names = rpm_names(stack, n)
    assert "kiln-modapp-0:1.1-1.module_f40+3+aaaa1111.noarch" in {x for x, cat in names if cat == "binary"}
    assert sorted(info.modules.modules["Temporary"]["x86_64"]) == ["kiln-app:1:20250101000000:aaaa1111"]


@pytest.fixture(scope="module")
def defaults_repo(stack):
    """A git repository of modulemd-defaults documents, served over plain HTTP (git's dumb protocol)."""
    top = tempfile.mkdtemp(prefix="kiln-defaults-")
    work = os.path.join(top, "work")
    os.makedirs(work)
    for name, stream in (("kiln-app", "1"), ("unrelated", "9")):
        with open(os.path.join(work, name + ".yaml"), "w") as f:
            f.write('---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: %s\n  stream: "%s"\n'
                    '  profiles:\n    "%s": [default]\n...\n' % (name, stream, stream))
    git = ["git", "-c", "user.name=kiln", "-c", "user.email=kiln@localhost", "-C", work]
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "defaults"]):
        subprocess.run(git + command, check=True, capture_output=True)
    commit = subprocess.run(git + ["rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    bare = os.path.join(top, "srv", "defaults.git")
    subprocess.run(["git", "clone", "-q", "--bare", work, bare], check=True, capture_output=True)
    subprocess.run(["git", "-C", bare, "update-server-info"], check=True, capture_output=True)
    server = subprocess.Popen(["python3", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory",
                               os.path.join(top, "srv")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N (...)"
    port = line.split(" port ")[1].split()[0]
    yield {"url": "http://127.0.0.1:%s/defaults.git" % port, "commit": commit}
    server.terminate()
    server.wait()
    shutil.rmtree(top, ignore_errors=True)


def test_module_defaults_from_git_join_modules_yaml(stack, services, responder, defaults_repo):
    c = submit(responder, {"source": "kiln-app:1", "module_defaults_url": defaults_repo["url"],
                           "module_defaults_commit": defaults_repo["commit"]}, flags=["no_reuse"])
    absent = submit(responder, {"source": "kiln-app:1", "module_defaults_url": defaults_repo["url"],
                                "module_defaults_commit": "0123456789abcdef"}, flags=["no_reuse"])
    generate(stack, services)
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "done", done["state_reason"]
    assert done["module_defaults_url"] == defaults_repo["url"] + " " + defaults_repo["commit"]
    repo = os.path.join(toplevel_dir(stack, done), "compose", "Temporary", "x86_64", "os")
    text = subprocess.run("zcat %s/repodata/*modules.yaml.gz" % repo, shell=True, capture_output=True,
                          text=True).stdout
    # The defaults of the compose's modules only.
    assert "document: modulemd-defaults" in text and "module: kiln-app" in text and "unrelated" not in text
    root = tempfile.mkdtemp(prefix="kiln-dnf-")
    try:
        out = subprocess.run(["dnf", "--installroot=" + root, "--releasever=40", "--setopt=reposdir=/nonexistent",
                              "--setopt=module_platform_id=platform:f40", "--repofrompath=kiln," + repo,
                              "--nogpgcheck", "-q", "module", "list", "kiln-app"],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        assert any(line.split()[:2] == ["kiln-app", "1"] and "[d]" in line for line in out.stdout.splitlines()), \
            out.stdout
    finally:
        shutil.rmtree(root, ignore_errors=True)
    a = wait_finished(stack, absent["id"])
    assert a["state_name"] == "failed"
    assert a["state_reason"] == ("Error while generating compose: The module defaults repository %s has no commit "
                                 "0123456789abcdef" % defaults_repo["url"])


def test_scratch_modules_are_taken_as_named(stack, services, responder):
    SCRATCH = "kiln-app:1:20260101000000:cccc3333"
    only = submit(responder, {"source": "", "scratch_modules": [SCRATCH]}, flags=["no_reuse"])
    both = submit(responder, {"source": "kiln-lib:2", "scratch_modules": [SCRATCH]}, flags=["no_reuse"])
    unknown = submit(responder, {"source": "kiln-lib:2", "scratch_modules": [APP]}, flags=["no_reuse"])
    generate(stack, services)
    o = wait_finished(stack, only["id"])
    assert o["state_name"] == "done", o["state_reason"]
    assert o["source"] == "" and o["scratch_modules"] == SCRATCH
    info, names = rpm_names(stack, o)
    assert {n for n, cat in names if cat == "binary"} == {"kiln-modapp-0:1.2-1.module_f40+4+cccc3333.noarch"}
    assert sorted(info.modules.modules["Temporary"]["x86_64"]) == [SCRATCH]
    b = wait_finished(stack, both["id"])
    assert b["state_name"] == "done" and b["source"] == LIB, b["state_reason"]
    assert sorted(rpm_names(stack, b)[0].modules.modules["Temporary"]["x86_64"]) == [SCRATCH, LIB]
    u = wait_finished(stack, unknown["id"])
    assert u["state_name"] == "failed"
    assert u["state_reason"] == "Error while generating compose: Failed to find scratch module %s in the MBS." % APP


def test_identical_module_compose_is_reused(stack, services, responder):
    first = submit(responder, {"source": "kiln-lib:2"}, label="RC-1.0")
    generate(stack, services)
    second = submit(responder, {"source": "kiln-lib:2"}, label="RC-1.0")
    generate(stack, services)
    a, b = wait_finished(stack, first["id"]), wait_finished(stack, second["id"])
    assert a["state_name"] == b["state_name"] == "done", (a["state_reason"], b["state_reason"])
    assert b["source"] == LIB and b["toplevel_url"] == a["toplevel_url"]


@pytest.mark.parametrize("source,message", [
    ({"source": "kiln-app:1", "packages": ["kiln-modapp"]},
     'Field "source.packages" does not apply to module composes.'),
    ({"source": "kiln-app:1:latest"}, 'Module definition must be in "n:s", "n:s:v" or "n:s:v:c" format'),
    ({"source": "platform:f40"}, "ODCS currently cannot create compose with base modules, but platform was requested."),
    ({"source": "kiln-app:1", "module_defaults_url": "http://example.com/d.git", "module_defaults_commit": "abc1234"},
     'URL "http://example.com/d.git" is not an allowed remote source on this server.'),
    ({"source": "kiln-app:1", "module_defaults_url": "http://127.0.0.1/d.git", "module_defaults_commit": "HEAD"},
     "module_defaults_commit must be a git commit id (7 to 64 lowercase hex digits)."),
])
def test_module_requests_that_cannot_be_honoured_are_refused(responder, source, message):
    status, answer = post(responder, {"source": dict({"type": "module"}, **source)})
    assert status == 400 and message in answer["message"], answer
