"""Compose generation end to end: POST a `repo` compose through httpd, a real `kiln generate` builds it from a
repository of RPMs made with rpmbuild, then dnf installs from it and productmd loads it."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests
from conftest import assert_error, unique
from odcs.client.odcs import ODCS, AuthMech


def generate_once(stack, workers=1):
    """Runs `kiln generate --once` (recovers abandoned composes first, then builds every waiting one)."""
    out = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once", "--workers", str(workers)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out


@pytest.fixture
def generator(stack):
    """A long-running `kiln generate`, as the local stack and systemd run it; stopped after the test."""
    log = tempfile.NamedTemporaryFile(prefix="kiln-generate-", suffix=".log", delete=False)
    proc = subprocess.Popen([stack.bin, "generate", "--config", stack.config], stdout=log, stderr=subprocess.STDOUT)
    time.sleep(0.5)
    yield proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def sample(stack):
    path = stack.env.get("KILN_SAMPLE_REPO")
    assert path and os.path.exists(os.path.join(path, "repodata", "repomd.xml")), \
        "the stack's sample repository (KILN_SAMPLE_REPO, built by scripts/build-sample-repo) is missing"
    return path


def submit(stack, token, **extra):
    body = {"source": {"type": "repo", "source": sample(stack)}}
    source = extra.pop("source_extra", {})
    body["source"].update(source)
    body.update(extra)
    r = stack.post_compose(body, token)
    assert r.status_code == 200, r.text
    return r.json()


def wait_finished(stack, compose_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c = stack.get("composes/%d" % compose_id).json()
        if c["state_name"] in ("done", "failed"):
            return c
        time.sleep(0.2)
    raise AssertionError("compose %d did not finish: %r" % (compose_id, c))


def toplevel_dir(stack, compose):
    return os.path.join(stack.env["KILN_TARGET_DIR"], compose["toplevel_url"].rsplit("/", 1)[1])


def rpm_names(stack, compose):
    from productmd.compose import Compose
    c = Compose(toplevel_dir(stack, compose))
    names = set()
    for arches in c.rpms.rpms["Temporary"].values():
        for srpm, rpms in arches.items():
            for nevra, info in rpms.items():
                names.add((nevra, info["category"]))
    return c, names


def test_repo_compose_is_generated_installable_and_loads_in_productmd(stack, releng, generator):
    user, token = releng
    created = submit(stack, token, source_extra={"packages": ["kiln-hello"]}, seconds_to_live=3600, flags=["no_reuse"])
    # watch_logs=True: the client tails <toplevel_url>/pungi-stderr.log with Range requests while it waits.
    done = ODCS(stack.url + "/", auth_mech=AuthMech.OpenIDC, openidc_token=token).wait_for_compose(
        created["id"], timeout=60, watch_logs=True)
    assert done["state_name"] == "done", done
    assert done["state_reason"] == "Compose is generated successfully"
    assert done["koji_event"] == 1700000000  # the source repository's repomd revision pins it
    assert re.fullmatch(r"odcs-%d-1-\d{8}\.t\.0" % created["id"], done["pungi_compose_id"]), done["pungi_compose_id"]
    detail = stack.get("composes/%d" % created["id"]).json()
    assert detail["progress"]["phase"] == "done"
    # ODCS's links in <target_dir>/<compose_type>/, relative to the compose.
    links = os.path.join(stack.env["KILN_TARGET_DIR"], "test")
    for name in [done["pungi_compose_id"], "latest-odcs-%d" % created["id"]]:
        assert os.readlink(os.path.join(links, name)) == "../odcs-%d" % created["id"]
    # The time to live counts from completion.
    assert done["time_done"] is not None
    assert abs(_seconds(done["time_to_expire"]) - _seconds(done["time_done"]) - 3600) <= 1

    # productmd loads it, and it holds exactly the package, its dependency (newest version) and their sources.
    info, names = rpm_names(stack, done)
    assert info.info.compose.id == done["pungi_compose_id"]
    assert info.info.compose.type == "test"
    assert names == {
        ("kiln-hello-0:1.0-1.x86_64", "binary"), ("kiln-lib-0:1.1-1.noarch", "binary"),
        ("kiln-hello-0:1.0-1.src", "source"), ("kiln-lib-0:1.1-1.src", "source"),
    }, names

    # The .repo file and the log are served by httpd; dnf installs from the repo file.
    repofile = requests.get(done["result_repofile"], timeout=10)
    assert repofile.status_code == 200 and "[odcs-%d]" % created["id"] in repofile.text
    log = requests.get(done["toplevel_url"] + "/pungi-stderr.log", timeout=10)
    assert log.status_code == 200 and "is done" in log.text
    root = tempfile.mkdtemp(prefix="kiln-dnf-")
    reposdir = tempfile.mkdtemp(prefix="kiln-repos-")
    try:
        with open(os.path.join(reposdir, "kiln.repo"), "w") as f:
            f.write(repofile.text)
        out = subprocess.run(["dnf", "--installroot=" + root, "--releasever=12", "--setopt=reposdir=" + reposdir,
                              "--nogpgcheck", "--setopt=install_weak_deps=False", "-y", "install", "kiln-hello"],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        q = subprocess.run(["rpm", "--root", root, "-q", "kiln-hello", "kiln-lib"], capture_output=True, text=True)
        assert q.stdout.split() == ["kiln-hello-1.0-1.x86_64", "kiln-lib-1.1-1.noarch"], q.stdout + q.stderr
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(reposdir, ignore_errors=True)


def _seconds(stamp):
    return time.mktime(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def test_idle_generator_starts_a_new_compose_within_a_second(stack, releng, generator):
    _, token = releng
    time.sleep(1)  # let it go idle, waiting on NOTIFY
    created = submit(stack, token, source_extra={"packages": ["kiln-doc"]}, flags=["no_reuse"])
    start = time.monotonic()
    while time.monotonic() - start < 5:
        state = stack.get("composes/%d" % created["id"]).json()["state_name"]
        if state != "wait":
            break
        time.sleep(0.05)
    assert time.monotonic() - start < 1.5, "the generator did not wake up on NOTIFY"
    assert wait_finished(stack, created["id"])["state_name"] == "done"


def test_no_deps_check_deps_and_missing_packages(stack, releng):
    _, token = releng
    nodeps = submit(stack, token, source_extra={"packages": ["kiln-hello"]}, flags=["no_deps", "no_reuse"])
    broken = submit(stack, token, source_extra={"packages": ["kiln-broken"]}, flags=["check_deps"])
    lenient = submit(stack, token, source_extra={"packages": ["kiln-broken"]}, flags=["no_reuse"])
    missing = submit(stack, token, source_extra={"packages": ["kiln-hello", "no-such-package", "another-missing"]})
    generate_once(stack)

    c = wait_finished(stack, nodeps["id"])
    assert c["state_name"] == "done"
    assert {n for n, cat in rpm_names(stack, c)[1] if cat == "binary"} == {"kiln-hello-0:1.0-1.x86_64"}

    c = wait_finished(stack, broken["id"])
    assert c["state_name"] == "failed"
    assert c["state_reason"].startswith("Error while generating compose: Broken dependencies"), c["state_reason"]
    assert "kiln-missing-dependency" in c["state_reason"]
    assert not os.path.exists(toplevel_dir(stack, c)), "a failed compose must leave no directory"

    c = wait_finished(stack, lenient["id"])
    assert c["state_name"] == "done"
    assert ("kiln-broken-0:1.0-1.noarch", "binary") in rpm_names(stack, c)[1]

    c = wait_finished(stack, missing["id"])
    assert c["state_name"] == "failed"
    assert "another-missing" in c["state_reason"] and "no-such-package" in c["state_reason"], c["state_reason"]


def test_identical_compose_reuses_the_first_and_no_reuse_does_not(stack, releng):
    _, token = releng
    marker = unique("reuse")  # respin_of is compared exactly: nothing from an earlier run can match
    first = submit(stack, token, source_extra={"packages": ["kiln-extra"]}, arches=["x86_64"], respin_of=marker)
    generate_once(stack)
    second = submit(stack, token, source_extra={"packages": ["kiln-extra"]}, arches=["x86_64"], seconds_to_live=200000, respin_of=marker)
    fresh = submit(stack, token, source_extra={"packages": ["kiln-extra"]}, arches=["x86_64"], flags=["no_reuse"], respin_of=marker)
    generate_once(stack)
    a = wait_finished(stack, first["id"])
    b = wait_finished(stack, second["id"])
    f = wait_finished(stack, fresh["id"])
    assert a["state_name"] == b["state_name"] == f["state_name"] == "done"
    assert b["toplevel_url"] == a["toplevel_url"] and b["pungi_compose_id"] == a["pungi_compose_id"]
    assert not os.path.exists(os.path.join(stack.env["KILN_TARGET_DIR"], "odcs-%d" % second["id"]))
    # The reused compose now lives at least as long as the request that reuses it asked for.
    first_now = stack.get("composes/%d" % first["id"]).json()
    assert _seconds(first_now["time_to_expire"]) >= _seconds(second["time_submitted"]) + 200000 - 1
    assert _seconds(b["time_to_expire"]) >= _seconds(second["time_submitted"]) + 200000 - 1
    assert f["toplevel_url"].endswith("/odcs-%d" % fresh["id"]) and f["pungi_compose_id"] != a["pungi_compose_id"]


def test_repository_outside_the_allowed_roots_is_refused_at_submission(stack, releng):
    _, token = releng
    before = stack.counts()
    root = stack.env["KILN_REPO_ROOT"]
    for path in ["/etc", root + "/../composes", root + "/sample/../../pg", "relative/path", root + "/does-not-exist"]:
        r = stack.post_compose({"source": {"type": "repo", "source": path}}, token)
        assert_error(r, 400, contains="must be an absolute path" if not path.startswith("/") else "not under an allowed")
    link = os.path.join(root, "escape-" + unique("l"))
    os.symlink("/etc", link)
    try:
        r = stack.post_compose({"source": {"type": "repo", "source": link}}, token)
        assert_error(r, 400, contains="not under an allowed repository root")
        r = stack.post_compose({"source": {"type": "repo", "source": sample(stack)}, "lookaside_repos": ["/usr"]}, token)
        assert_error(r, 400, contains="not under an allowed repository root")
    finally:
        os.unlink(link)
    assert stack.counts() == before


def test_abandoned_compose_is_retried_once_then_failed(stack, releng):
    _, token = releng
    target = stack.env["KILN_TARGET_DIR"]
    # A generator that died mid-way: state generating, its lock gone, a half-written temporary directory left.
    c = submit(stack, token, source_extra={"packages": ["kiln-doc"]}, flags=["no_reuse"])
    stack.psql("UPDATE composes SET state = 1, generation_attempts = 1 WHERE id = %d" % c["id"])
    leftover = os.path.join(target, ".tmp-odcs-%d-deadhost-1" % c["id"])
    os.makedirs(os.path.join(leftover, "compose"))
    generate_once(stack)
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "done"
    assert stack.scalar("SELECT generation_attempts FROM composes WHERE id = %d" % c["id"]) == "2"
    assert not os.path.exists(leftover)

    d = submit(stack, token, source_extra={"packages": ["kiln-doc"]}, flags=["no_reuse"])
    stack.psql("UPDATE composes SET state = 1, generation_attempts = 2 WHERE id = %d" % d["id"])
    generate_once(stack)
    failed = wait_finished(stack, d["id"])
    assert failed["state_name"] == "failed"
    assert failed["state_reason"] == "Error while generating compose: the generator stopped unexpectedly 2 times"


def test_killed_generator_leaves_no_half_written_compose(stack, releng):
    _, token = releng
    c = submit(stack, token, flags=["no_reuse"])  # every package: the slowest compose of the sample
    proc = subprocess.Popen([stack.bin, "generate", "--config", stack.config, "--once"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    target = os.path.join(stack.env["KILN_TARGET_DIR"], "odcs-%d" % c["id"])
    # Kill it as soon as it has claimed the compose, wherever it is.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and stack.get("composes/%d" % c["id"]).json()["state_name"] == "wait":
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    state = stack.get("composes/%d" % c["id"]).json()["state_name"]
    if state == "generating":
        # Whatever exists under the final name is whole.
        assert not os.path.exists(target) or open(os.path.join(target, "STATUS")).read() == "FINISHED\n"
    # The dead generator's database session (and so its lock on the compose) ends a moment after the kill; the next
    # generator recovers the compose once it has.
    deadline = time.monotonic() + 20
    while stack.get("composes/%d" % c["id"]).json()["state_name"] not in ("done", "failed") and time.monotonic() < deadline:
        generate_once(stack)
        time.sleep(0.2)
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "done"
    assert open(os.path.join(target, "STATUS")).read() == "FINISHED\n"
    assert not [e for e in os.listdir(stack.env["KILN_TARGET_DIR"]) if e.startswith(".tmp-odcs-%d-" % c["id"])]


def test_two_generators_build_fifty_composes_each_exactly_once(stack, releng):
    _, token = releng
    ids = [submit(stack, token, source_extra={"packages": ["kiln-doc"]}, flags=["no_reuse"])["id"] for _ in range(50)]
    procs = [subprocess.Popen([stack.bin, "generate", "--config", stack.config, "--once", "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read()
    rows = stack.psql("SELECT id, state, generation_attempts, generated_by FROM composes WHERE id IN (%s)" % ",".join(map(str, ids)))
    assert len(rows) == 50
    assert all(r[1] == "2" and r[2] == "1" for r in rows), rows
    assert len({r[3] for r in rows}) >= 2, "both generators should have taken some: %r" % {r[3] for r in rows}
    outbox = stack.psql("SELECT body->'compose'->>'id', body->'compose'->>'state_name' FROM outbox "
                        "WHERE (body->'compose'->>'id')::bigint IN (%s)" % ",".join(map(str, ids)))
    for compose_id in ids:
        states = [s for i, s in outbox if i == str(compose_id)]
        assert states == ["wait", "generating", "done"], (compose_id, states)


@pytest.fixture
def http_repo(stack):
    """The sample repository served over HTTP by a plain web server on loopback."""
    proc = subprocess.Popen(["python3", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", sample(stack)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = proc.stdout.readline()
    m = re.search(r"port (\d+)", line)
    assert m, "python3 -m http.server did not start: %r" % line
    yield "http://127.0.0.1:%s/" % m.group(1)
    proc.terminate()
    proc.wait()


def test_repository_by_url_is_fetched_with_only_what_the_compose_needs(stack, releng, http_repo):
    _, token = releng
    r = stack.post_compose({"source": {"type": "repo", "source": http_repo, "packages": ["kiln-extra"]}, "flags": ["no_reuse"]}, token)
    assert r.status_code == 200, r.text
    c = r.json()
    generate_once(stack)
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "done", done["state_reason"]
    assert done["koji_event"] == 1700000000
    names = {n for n, cat in rpm_names(stack, done)[1]}
    assert names == {"kiln-extra-0:2.0-1.noarch", "kiln-doc-0:1.0-1.noarch", "kiln-extra-0:2.0-1.src", "kiln-doc-0:1.0-1.src"}, names
    assert not [e for e in os.listdir(stack.env["KILN_TARGET_DIR"]) if e.startswith(".tmp-odcs-%d-" % c["id"])]


def test_unreachable_repository_url_fails_the_compose_with_the_reason(stack, releng):
    _, token = releng
    r = stack.post_compose({"source": {"type": "repo", "source": "http://127.0.0.1:9/nothing/"}}, token)
    c = r.json()
    generate_once(stack)
    failed = wait_finished(stack, c["id"])
    assert failed["state_name"] == "failed"
    assert failed["state_reason"].startswith("Error while generating compose: ") and "127.0.0.1:9" in failed["state_reason"], failed["state_reason"]


PULP_STATE = {"repositories": [
    {"id": "rhel-8-for-x86_64-baseos-rpms__8", "notes": {
        "relative_url": "content/dist/rhel8/8/x86_64/baseos/os", "content_set": "rhel-8-for-x86_64-baseos-rpms",
        "arch": "x86_64", "signatures": "199e2f91fd431d51,5a6340b3", "product_versions": "[\"8\"]",
        "include_in_download_service": "True"}},
    {"id": "rhel-8-for-aarch64-baseos-rpms__8", "notes": {
        "relative_url": "content/dist/rhel8/8/aarch64/baseos/os", "content_set": "rhel-8-for-aarch64-baseos-rpms",
        "arch": "aarch64", "signatures": "fd431d51", "product_versions": "[\"8\"]",
        "include_in_download_service": "True"}},
    {"id": "direct-repo", "notes": {"relative_url": "content/direct", "arch": "x86_64", "signatures": "",
                                    "product_versions": "[]", "include_in_download_service": "True"}},
]}


@pytest.fixture
def pulp(tmp_path):
    state = tmp_path / "pulp.json"
    state.write_text(__import__("json").dumps(PULP_STATE))
    port_file = tmp_path / "port"
    script = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "pulp-standin.py")
    proc = subprocess.Popen(["python3", script, "--state", str(state), "--port-file", str(port_file), "--log", str(tmp_path / "log")])
    deadline = time.monotonic() + 10
    while not port_file.exists() or not port_file.read_text():
        assert time.monotonic() < deadline and proc.poll() is None, "the Pulp stand-in did not start"
        time.sleep(0.05)
    yield "http://127.0.0.1:%s" % port_file.read_text(), tmp_path / "log"
    proc.terminate()
    proc.wait()


def generate_once_with(stack, env):
    out = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once"], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, **env))
    assert out.returncode == 0, out.stderr


def test_pulp_compose_is_a_repo_file_of_the_found_repositories(stack, releng, pulp):
    _, token = releng
    url, log = pulp
    r = stack.post_compose({"source": {"type": "pulp", "source": "rhel-8-for-x86_64-baseos-rpms rhel-8-for-aarch64-baseos-rpms direct-repo"},
                            "flags": ["use_only_compatible_arch"]}, token)
    assert r.status_code == 200, r.text
    c = r.json()
    generate_once_with(stack, {"KILN_PULP_SERVER_URL": url})
    done = wait_finished(stack, c["id"])
    assert done["state_name"] == "done", done["state_reason"]
    assert sorted(done["arches"].split()) == ["aarch64", "x86_64"]
    assert sorted(done["sigkeys"].split()) == ["199e2f91fd431d51", "5a6340b3", "fd431d51"]
    text = requests.get(done["result_repofile"], timeout=10).text
    assert text.startswith("\n[direct-repo]\n")
    assert "[rhel-8-for-x86_64-baseos-rpms__8]\nname=rhel-8-for-x86_64-baseos-rpms__8\nbaseurl=%s/content/dist/rhel8/8/$basearch/baseos/os\nenabled=1\ngpgcheck=0\nskip_if_unavailable=1\n" % url in text
    assert "-debuginfo" not in text
    sent = [__import__("json").loads(line) for line in open(log)]
    assert sent[0]["method"] == "POST" and sent[0]["body"]["criteria"]["filters"]["notes.include_in_download_service"] == "True"
    assert {"method": "GET", "path": "/pulp/api/v2/repositories/direct-repo/", "body": None} in sent


def test_pulp_absent_repositories_fail_or_are_dropped(stack, releng, pulp):
    _, token = releng
    url, _ = pulp
    strict = stack.post_compose({"source": {"type": "pulp", "source": "rhel-8-for-x86_64-baseos-rpms gone-1"}}, token).json()
    lenient = stack.post_compose({"source": {"type": "pulp", "source": "rhel-8-for-x86_64-baseos-rpms gone-1"},
                                  "flags": ["ignore_absent_pulp_repos"]}, token).json()
    generate_once_with(stack, {"KILN_PULP_SERVER_URL": url})
    s = wait_finished(stack, strict["id"])
    assert s["state_name"] == "failed"
    assert s["state_reason"] == ("Error while generating compose: Failed to find all the source(s) rhel-8-for-x86_64-baseos-rpms, "
                                 "gone-1 in Pulp, found only rhel-8-for-x86_64-baseos-rpms")
    l = wait_finished(stack, lenient["id"])
    assert l["state_name"] == "done" and l["source"] == "rhel-8-for-x86_64-baseos-rpms"


@pytest.mark.parametrize("methods, expected_i686", [
    ([], set()),
    (["runtime"], {"kiln-mlib"}),
    (["devel"], {"kiln-mlib-devel", "kiln-mlib"}),
    (["runtime", "devel"], {"kiln-mlib-devel", "kiln-mlib"}),
    (["all"], {"kiln-mlib-devel", "kiln-mlib", "kiln-mtool"}),
])
def test_multilib_adds_the_compatible_builds_the_method_takes(stack, releng, methods, expected_i686):
    _, token = releng
    repo = os.path.join(stack.env["KILN_REPO_ROOT"], "multilib")
    made = subprocess.run([os.path.join(os.path.dirname(__file__), "..", "Fixtures", "build-multilib-repo"), repo],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    body = {"source": {"type": "repo", "source": repo, "packages": ["kiln-app"]}, "flags": ["no_reuse"],
            "multilib_arches": ["x86_64"], "multilib_method": methods}
    r = stack.post_compose(body, token)
    assert r.status_code == 200, r.text
    generate_once(stack)
    done = wait_finished(stack, r.json()["id"])
    assert done["state_name"] == "done", done["state_reason"]
    binaries = {n for n, cat in rpm_names(stack, done)[1] if cat == "binary"}
    assert {n for n in binaries if n.endswith(".x86_64")} == {
        "kiln-app-0:1.0-1.x86_64", "kiln-mlib-0:1.0-1.x86_64", "kiln-mlib-devel-0:1.0-1.x86_64", "kiln-mtool-0:1.0-1.x86_64"}
    assert {n.split("-0:")[0] for n in binaries if n.endswith(".i686")} == expected_i686
    for name in expected_i686:
        assert os.path.exists(os.path.join(toplevel_dir(stack, done), "compose/Temporary/x86_64/os/Packages/k/%s-1.0-1.i686.rpm" % name))
