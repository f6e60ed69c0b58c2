"""Remote and local sources end to end: URLs outside `allowed_remote_urls` are refused at POST; a mirror that redirects
elsewhere, serves tampered, oversized or stalled files or forbids a file makes the compose fail with one sentence
naming the URL and nothing is served; local repositories cannot publish files from outside their root; `kiln
import-contents` fetches only from allowed, well-formed compose URLs.

The stack allows 127.0.0.1 (any port); 127.0.0.2 and localhost stand for hosts that are not allowed. Mirrors are
Tests/Fixtures/repo-standin.py serving the stack's sample repository."""
import gzip
import json
import os
import re
import shutil
import subprocess
import time

import pytest
import requests
from conftest import assert_error, unique
from test_generate import sample, wait_finished

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Fixtures")
PREFIX = "Error while generating compose: "


class Mirror:
    def __init__(self, root, workdir):
        self.rules_file = os.path.join(workdir, "rules.json")
        self.log_file = os.path.join(workdir, "requests.log")
        port_file = os.path.join(workdir, "port")
        self.set_rules({})
        open(self.log_file, "w").close()
        self.proc = subprocess.Popen(["python3", os.path.join(FIXTURES, "repo-standin.py"), "--root", root,
                                      "--rules", self.rules_file, "--port-file", port_file, "--log", self.log_file])
        deadline = time.monotonic() + 10
        while not (os.path.exists(port_file) and open(port_file).read()):
            assert time.monotonic() < deadline and self.proc.poll() is None, "the repository stand-in did not start"
            time.sleep(0.05)
        self.url = "http://127.0.0.1:%s/" % open(port_file).read().strip()

    def set_rules(self, rules):
        with open(self.rules_file, "w") as f:
            json.dump(rules, f)

    def requested(self):
        return open(self.log_file).read().split()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


@pytest.fixture
def mirror(stack, tmp_path):
    os.makedirs(tmp_path / "a")
    m = Mirror(sample(stack), str(tmp_path / "a"))
    yield m
    m.stop()


@pytest.fixture
def elsewhere(stack, tmp_path):
    """A second server, another origin: it must never be asked for anything."""
    os.makedirs(tmp_path / "b")
    m = Mirror(sample(stack), str(tmp_path / "b"))
    yield m
    m.stop()


def primary_path(repo):
    repomd = open(os.path.join(repo, "repodata", "repomd.xml")).read()
    block = repomd[repomd.index('<data type="primary">'):]
    return os.path.join(repo, re.search(r'href="([^"]+)"', block).group(1))


def location(repo, name):
    """The `location href` of binary package `name` in a repository's primary.xml."""
    xml = gzip.open(primary_path(repo)).read().decode()
    for block in xml.split("<package ")[1:]:
        if "<name>%s</name>" % name in block and "<arch>src</arch>" not in block:
            return re.search(r'<location href="([^"]+)"', block).group(1)
    raise AssertionError("no package %s in %s" % (name, repo))


def rewrite_primary(repo, change):
    """Rewrites a repository's primary.xml.gz in place (same file name: libsolv reads it by repomd's href)."""
    path = primary_path(repo)
    xml = gzip.open(path).read().decode()
    changed = change(xml)
    assert changed != xml
    with gzip.open(path, "wb") as f:
        f.write(changed.encode())


def post_repo(stack, token, source, packages=("kiln-doc",)):
    r = stack.post_compose({"source": {"type": "repo", "source": source, "packages": list(packages)},
                            "flags": ["no_reuse"]}, token)
    assert r.status_code == 200, r.text
    return r.json()


def generate(stack, **env):
    out = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once"], capture_output=True, text=True,
                         timeout=300, env=dict(os.environ, **env))
    assert out.returncode == 0, out.stderr
    return out


def assert_failed_and_not_served(stack, compose, reason):
    done = wait_finished(stack, compose["id"])
    assert done["state_name"] == "failed", done
    assert done["state_reason"] == PREFIX + reason, done["state_reason"]
    name = "odcs-%d" % compose["id"]
    target = stack.env["KILN_TARGET_DIR"]
    assert not os.path.exists(os.path.join(target, name))
    assert not [e for e in os.listdir(target) if e.startswith(".tmp-%s-" % name)]
    assert requests.get("%s/composes/%s/" % (stack.url, name), timeout=10).status_code == 404
    return done


def test_remote_urls_outside_the_allowed_list_are_refused_at_submission(stack, releng):
    _, token = releng
    before = stack.counts()
    refused = {
        "http://127.0.0.2:8080/repo/": "is not an allowed remote source on this server.",
        "https://localhost/repo/": "is not an allowed remote source on this server.",
        # ("=" and "@" are refused before, by ODCS's character check of every input.)
        "http://127.0.0.1:1/repo/?x": "is not usable as a remote source: it has a query.",
        "http://127.0.0.1:1/repo/#x": "is not usable as a remote source: it has a fragment.",
        "http://127.0.0.1/a/../../etc/": "is not usable as a remote source: it has a . or .. segment.",
    }
    for url, why in refused.items():
        message = 'URL "%s" %s' % (url, why)
        assert_error(stack.post_compose({"source": {"type": "repo", "source": url}}, token), 400, message=message)
        r = stack.post_compose({"source": {"type": "repo", "source": sample(stack)}, "lookaside_repos": [url]}, token)
        assert_error(r, 400, message=message)
        r = stack.post_compose({"source": {"type": "pungi_compose", "source": url + "compose/Server"}}, token)
        assert_error(r, 400, message='URL "%scompose/Server" %s' % (url, why))
    assert stack.counts() == before


def test_rpm_redirected_to_another_origin_fails_the_compose_and_nothing_is_served(stack, releng, mirror, elsewhere):
    _, token = releng
    href = location(sample(stack), "kiln-doc")
    mirror.set_rules({"/" + href: {"redirect": elsewhere.url + href}})
    c = post_repo(stack, token, mirror.url)
    generate(stack)
    assert_failed_and_not_served(
        stack, c, "could not fetch %s%s: HTTP 302 redirect to another origin is not followed" % (mirror.url, href))
    assert "/" + href in mirror.requested()
    assert elsewhere.requested() == []


def test_redirect_within_the_host_but_outside_the_allowed_prefix_is_not_followed(stack, releng, tmp_path):
    """An allow-list entry that is a URL prefix holds through redirects: the mirror's own redirect to another path of
    the same origin, outside the prefix, is refused and that path is never asked for."""
    _, token = releng
    shutil.copytree(sample(stack), tmp_path / "site" / "repo")
    shutil.copytree(sample(stack), tmp_path / "site" / "private")
    os.makedirs(tmp_path / "work")
    site = Mirror(str(tmp_path / "site"), str(tmp_path / "work"))
    try:
        href = location(sample(stack), "kiln-doc")
        site.set_rules({"/repo/" + href: {"redirect": "/private/" + href}})
        c = post_repo(stack, token, site.url + "repo/")
        generate(stack, KILN_ALLOWED_REMOTE_URLS=json.dumps([site.url + "repo/"]))
        assert_failed_and_not_served(
            stack, c, "could not fetch %srepo/%s: HTTP 302 redirect to a location that is not an allowed source is "
                      "not followed" % (site.url, href))
        assert "/repo/" + href in site.requested()
        assert not [p for p in site.requested() if p.startswith("/private/")]
    finally:
        site.stop()


def test_rpm_that_does_not_match_its_metadata_fails_the_compose(stack, releng, mirror):
    _, token = releng
    href = location(sample(stack), "kiln-doc")
    mirror.set_rules({"/" + href: {"tamper": True}})
    c = post_repo(stack, token, mirror.url)
    generate(stack)
    assert_failed_and_not_served(stack, c, "%s does not match its repository metadata (sha256 mismatch)" % href.split("/")[-1])


def test_rpm_larger_than_its_metadata_says_is_not_downloaded(stack, releng, mirror):
    _, token = releng
    href = location(sample(stack), "kiln-doc")
    mirror.set_rules({"/" + href: {"extra": 5 << 20}})
    c = post_repo(stack, token, mirror.url)
    generate(stack)
    assert_failed_and_not_served(stack, c, "could not fetch %s%s: the answer is larger than allowed" % (mirror.url, href))


def test_forbidden_and_stalled_files_fail_with_the_url_and_the_cause(stack, releng, mirror):
    _, token = releng
    href = location(sample(stack), "kiln-doc")
    mirror.set_rules({"/" + href: {"status": 403}})
    c = post_repo(stack, token, mirror.url)
    generate(stack)
    assert_failed_and_not_served(stack, c, "could not fetch %s%s: HTTP 403" % (mirror.url, href))

    mirror.set_rules({"/" + href: {"stall": 60}})
    c = post_repo(stack, token, mirror.url)
    start = time.monotonic()
    generate(stack, KILN_REMOTE_STALL_TIMEOUT="1")
    assert time.monotonic() - start < 40
    assert_failed_and_not_served(stack, c, "could not fetch %s%s: timed out" % (mirror.url, href))


def test_metadata_that_does_not_match_repomd_fails_the_compose(stack, releng, mirror):
    _, token = releng
    primary = "/" + os.path.relpath(primary_path(sample(stack)), sample(stack))
    mirror.set_rules({primary: {"tamper": True}})
    c = post_repo(stack, token, mirror.url)
    generate(stack)
    assert_failed_and_not_served(stack, c, "the primary metadata of %s does not match its repomd.xml" % mirror.url)


def copy_of_sample(stack):
    repo = os.path.join(stack.env["KILN_REPO_ROOT"], unique("copy"))
    shutil.copytree(sample(stack), repo)
    return repo


def no_symlinks_in_composes(stack):
    target = stack.env["KILN_TARGET_DIR"]
    for entry in os.listdir(target):
        if entry.startswith("odcs-"):
            for top, dirs, files in os.walk(os.path.join(target, entry)):
                for name in dirs + files:
                    assert not os.path.islink(os.path.join(top, name)), os.path.join(top, name)


@pytest.mark.parametrize("escape", ["dotdot", "xml_base"])
def test_local_location_outside_the_repository_is_refused(stack, releng, escape):
    _, token = releng
    repo = copy_of_sample(stack)
    try:
        href = location(repo, "kiln-doc")
        if escape == "dotdot":
            # The same bytes, in the sibling sample repository: they would match, but they are not this repository's.
            outside = "../%s/%s" % (os.path.basename(sample(stack)), href)
            rewrite_primary(repo, lambda xml: xml.replace('href="%s"' % href, 'href="%s"' % outside))
        else:
            rewrite_primary(repo, lambda xml: xml.replace('<location href="%s"' % href,
                                                          '<location xml:base="file:///etc/" href="%s"' % href))
        c = post_repo(stack, token, repo)
        generate(stack)
        assert_failed_and_not_served(
            stack, c, "The repository's metadata places %s outside the repository" % href.split("/")[-1])
        no_symlinks_in_composes(stack)
    finally:
        shutil.rmtree(repo)


@pytest.mark.parametrize("link", ["file", "directory"])
def test_local_rpm_behind_a_symlink_is_not_published(stack, releng, link):
    _, token = releng
    repo = copy_of_sample(stack)
    outside = os.path.join(stack.env["KILN_RUNDIR"], unique("outside"))
    try:
        href = location(repo, "kiln-doc")
        # A byte-identical copy outside the repository root, reached through a symlink inside it.
        os.makedirs(outside)
        shutil.copy(os.path.join(repo, href), os.path.join(outside, os.path.basename(href)))
        if link == "file":
            os.unlink(os.path.join(repo, href))
            os.symlink(os.path.join(outside, os.path.basename(href)), os.path.join(repo, href))
        else:
            # Every package moved into a directory that is a symlink to the outside copy's.
            moved = "pkgs/" + os.path.basename(href)
            rewrite_primary(repo, lambda xml: xml.replace('href="%s"' % href, 'href="%s"' % moved))
            os.symlink(outside, os.path.join(repo, "pkgs"))
        c = post_repo(stack, token, repo)
        generate(stack)
        assert_failed_and_not_served(stack, c, "%s is not a regular file inside its repository (a symlink, or a location "
                                               "outside it)" % os.path.basename(href))
        no_symlinks_in_composes(stack)
    finally:
        shutil.rmtree(repo)
        shutil.rmtree(outside, ignore_errors=True)


def tracked_compose_with_url(stack, compose_url):
    """A tracked compose whose compose_url is set directly (as rows written before URLs were validated may hold)."""
    from test_cts import builder_token, compose_info, import_compose, short_name
    token = builder_token(stack)
    cid = import_compose(stack, token, compose_info(short_name("Kr")))["payload"]["compose"]["id"]
    stack.psql("UPDATE cts_composes SET compose_url = '%s' WHERE compose_id = '%s'" % (compose_url.replace("'", "''"), cid))
    return cid


def import_contents(stack, cid):
    return subprocess.run([stack.bin, "import-contents", "--config", stack.config, "--retry-after", "0", "--compose", cid],
                          capture_output=True, text=True, timeout=120)


def test_import_contents_fetches_only_from_allowed_well_formed_compose_urls(stack, mirror, elsewhere):
    # The query would make "<compose_url>/compose/metadata/rpms.json" a query value and fetch the path before it.
    cases = {
        mirror.url + "secret?x=": "compose_url %ssecret?x= is not usable: it has a query" % mirror.url,
        "http://127.0.0.2:%s/c" % mirror.url.rsplit(":", 1)[1].strip("/"):
            "compose_url http://127.0.0.2:%s/c is not an allowed remote source" % mirror.url.rsplit(":", 1)[1].strip("/"),
        mirror.url + "c/../../etc": "compose_url %sc/../../etc is not usable: it has a . or .. segment" % mirror.url,
    }
    for url, reason in cases.items():
        cid = tracked_compose_with_url(stack, url)
        out = import_contents(stack, cid)
        assert out.returncode == 1, (out.stdout, out.stderr)
        assert "failed %s: %s\n" % (cid, reason) in out.stdout, out.stdout
    # An allowed URL whose rpms.json redirects to another origin: not followed.
    mirror.set_rules({"/c/compose/metadata/rpms.json": {"redirect": elsewhere.url + "x/rpms.json"}})
    cid = tracked_compose_with_url(stack, mirror.url + "c")
    out = import_contents(stack, cid)
    assert "failed %s: could not fetch %sc/compose/metadata/rpms.json: HTTP 302 redirect to another origin is not " \
           "followed\n" % (cid, mirror.url) in out.stdout, out.stdout
    # (Every attempt of the run asks again; none goes further.)
    assert set(mirror.requested()) == {"/c/compose/metadata/rpms.json"}
    assert elsewhere.requested() == []
