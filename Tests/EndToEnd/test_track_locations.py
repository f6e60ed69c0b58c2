"""`kiln track-locations` and `kiln promote` run as processes against the stack's database, checked through the CTS
API (/cts/api/1/) and the outbox.

Compose trees are made with PyPI productmd (ComposeInfo.dump, as Pungi writes compose/metadata/composeinfo.json) in
tmp directories. Each test points target_dir, target_dir_url and compose_roots at its own directories and URL
prefixes (KILN_<KEY> overrides), so composes of other tests are outside its roots and never judged.
"""
import json
import os
import shutil
import subprocess
import uuid

import productmd.composeinfo
import productmd.compose
import pytest
import requests

from conftest import unique
from test_cts import builder_token, call, compose_info, import_compose, short_name
from test_expire import Ops, SRC


def write_tree(toplevel, short, version="1", date="20260517", type_="nightly", respin=0):
    """A compose toplevel as Pungi leaves it: <toplevel>/compose/metadata/composeinfo.json. Returns its id."""
    ci = productmd.composeinfo.ComposeInfo()
    ci.release.name = "Release " + short
    ci.release.short = short
    ci.release.version = version
    ci.release.type = "ga"
    ci.compose.date = date
    ci.compose.type = type_
    ci.compose.respin = respin
    v = productmd.composeinfo.Variant(ci)
    v.id = v.uid = v.name = "Server"
    v.type = "variant"
    v.arches = set(["x86_64"])
    v.paths.os_tree["x86_64"] = "Server/x86_64/os"
    ci.variants.add(v)
    ci.compose.id = ci.create_compose_id()
    metadata = os.path.join(toplevel, "compose", "metadata")
    os.makedirs(metadata, exist_ok=True)
    ci.dump(os.path.join(metadata, "composeinfo.json"))
    # productmd reads it back as a compose, as a consumer would.
    assert productmd.compose.Compose(toplevel).info.compose.id == ci.compose.id
    return ci.compose.id


class Tracker:
    """Compose roots in tmp: Kiln's target dir, a Pungi tree served over http (depth 2) and a local tree (file://)."""

    def __init__(self, stack, tmp_path):
        self.stack = stack
        tag = uuid.uuid4().hex[:10]
        self.target = str(tmp_path / "target")
        self.pungi = str(tmp_path / "pungi")
        self.local = str(tmp_path / "local")
        for d in (self.target, self.pungi, self.local):
            os.makedirs(d)
        self.target_url = "http://kiln-%s.example/composes" % tag
        self.pungi_url = "https://pungi-%s.example/compose" % tag
        self.roots = [{"path": self.pungi, "url": self.pungi_url, "depth": 2}, self.local]

    def env(self, **extra):
        env = dict(os.environ, KILN_CONFIG=self.stack.config, KILN_TARGET_DIR=self.target, KILN_TARGET_DIR_URL=self.target_url,
                   KILN_COMPOSE_ROOTS=json.dumps(self.roots))
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def run(self, *args, expect=0, **extra):
        out = subprocess.run([self.stack.bin, "track-locations", *args], capture_output=True, text=True, timeout=120,
                             env=self.env(**extra))
        assert out.returncode == expect, "kiln track-locations exited %d:\n%s\n%s" % (out.returncode, out.stdout, out.stderr)
        return out.stdout

    def compose(self, cid):
        r = call(self.stack, "GET", "composes/" + cid)
        assert r.status_code == 200, (cid, r.status_code, r.text)
        return r.json()

    def changes(self, cid):
        r = call(self.stack, "GET", "composes/%s/changes/" % cid)
        assert r.status_code == 200, r.text
        return r.json()["changes"]

    def messages(self, cid):
        rows = self.stack.psql(
            "SELECT topic_suffix, body::text FROM outbox "
            "WHERE body->'compose'->'compose_info'->'payload'->'compose'->>'id' = '%s' "
            "ORDER BY id" % cid)
        return [(topic, json.loads(body)) for topic, body in rows]


def summary(stdout):
    line = [l for l in stdout.splitlines() if l.startswith("summary: ")]
    assert len(line) == 1, stdout
    return dict((part.rsplit(" ", 1)[0], int(part.rsplit(" ", 1)[1])) for part in line[0][len("summary: "):].split(", "))


@pytest.fixture
def tracker(stack, tmp_path):
    return Tracker(stack, tmp_path)


def test_new_moved_deleted_and_restored_directories(stack, tracker):
    s = short_name("Tl")
    a = write_tree(os.path.join(tracker.pungi, "rawhide", s + "-A"), s, date="20260501")
    b = write_tree(os.path.join(tracker.local, "b"), s, date="20260502")
    c = write_tree(os.path.join(tracker.target, "odcs-c"), s, date="20260503", type_="production")
    # Not composes: hidden work directories and symlinks are not followed, a directory without metadata is skipped.
    write_tree(os.path.join(tracker.target, ".tmp-odcs-9"), s, date="20260504")
    os.symlink(os.path.join(tracker.local, "b"), os.path.join(tracker.local, "latest-b"))
    os.makedirs(os.path.join(tracker.local, "not-a-compose", "deeper"))

    # 1. Untracked composes on disk are imported, with the URL their root maps them to.
    out = tracker.run()
    assert summary(out) == {"moved": 0, "removed": 0, "restored": 0, "imported": 3, "unchanged": 0,
                            "not judged": summary(out)["not judged"], "skipped": 0, "errors": 0}, out
    assert "imported: %s from %s/rawhide/%s-A as %s/rawhide/%s-A" % (a, tracker.pungi, s, tracker.pungi_url, s) in out
    urls = {a: "%s/rawhide/%s-A" % (tracker.pungi_url, s), b: "file://%s/b" % tracker.local, c: "%s/odcs-c" % tracker.target_url}
    for cid, url in urls.items():
        got = tracker.compose(cid)
        assert got["compose_url"] == url
        assert got["builder"] == "kiln-track-locations"
        assert got["tags"] == []
        assert [(ch["action"], ch["user"]) for ch in tracker.changes(cid)] == [("created", "kiln-track-locations")]
        assert [t for t, _ in tracker.messages(cid)] == ["cts.compose-created"]
    assert tracker.compose(c)["compose_info"]["payload"]["compose"]["type"] == "production"

    # 2. Nothing changed on disk: everything unchanged, nothing written.
    outbox = stack.outbox_count()
    out = tracker.run()
    assert summary(out)["unchanged"] == 3 and summary(out)["imported"] == 0 and summary(out)["errors"] == 0, out
    assert stack.outbox_count() == outbox

    # 3. A moved to the local tree, B deleted.
    os.rename(os.path.join(tracker.pungi, "rawhide", s + "-A"), os.path.join(tracker.local, "a-moved"))
    shutil.rmtree(os.path.join(tracker.local, "b"))
    out = tracker.run()
    got = summary(out)
    assert (got["moved"], got["removed"], got["unchanged"], got["imported"], got["errors"]) == (1, 1, 1, 0, 0), out
    assert "moved: %s %s -> file://%s/a-moved" % (a, urls[a], tracker.local) in out
    assert "removed: %s (%s is gone)" % (b, urls[b]) in out

    moved = tracker.compose(a)
    assert moved["compose_url"] == "file://%s/a-moved" % tracker.local
    last = tracker.changes(a)[-1]
    assert (last["action"], last["user"]) == ("moved", "kiln-track-locations")
    assert last["message"] == 'Compose found at "file://%s/a-moved"; it was at "%s".' % (tracker.local, urls[a])
    topic, body = tracker.messages(a)[-1]
    assert topic == "cts.compose-changed"
    assert body["event"] == "compose-changed" and body["agent"] == "kiln-track-locations"
    assert body["compose"]["compose_url"] == "file://%s/a-moved" % tracker.local

    gone = tracker.compose(b)
    assert gone["tags"] == ["removed"] and gone["compose_url"] == urls[b]
    last = tracker.changes(b)[-1]
    assert (last["action"], last["user"]) == ("tagged", "kiln-track-locations")
    assert last["message"] == 'User "kiln-track-locations" added "removed" tag.'
    assert last["user_data"] == "Directory %s/b is gone." % tracker.local
    topic, body = tracker.messages(b)[-1]
    assert topic == "cts.compose-tagged" and body["tag"] == "removed" and body["compose"]["tags"] == ["removed"]
    # The tag filter sees it, as services asking CTS for live composes would.
    r = call(stack, "GET", "composes/", params={"release_short": s, "tag": "-removed", "per_page": 50})
    assert sorted(i["compose_info"]["payload"]["compose"]["id"] for i in r.json()["items"]) == sorted([a, c])

    # 4. Idempotent again.
    outbox = stack.outbox_count()
    out = tracker.run()
    assert summary(out)["unchanged"] == 3 and summary(out)["moved"] == 0 and summary(out)["removed"] == 0, out
    assert stack.outbox_count() == outbox

    # 5. B is back where it was recorded: the removed tag comes off.
    write_tree(os.path.join(tracker.local, "b"), s, date="20260502")
    out = tracker.run()
    assert summary(out)["restored"] == 1, out
    assert tracker.compose(b)["tags"] == []
    assert tracker.changes(b)[-1]["action"] == "untagged"
    assert tracker.messages(b)[-1][0] == "cts.compose-untagged"

    # --dry-run says what it would do and changes nothing.
    shutil.rmtree(os.path.join(tracker.local, "b"))
    outbox = stack.outbox_count()
    out = tracker.run("--dry-run")
    assert "would be removed: %s" % b in out and summary(out)["removed"] == 1, out
    assert tracker.compose(b)["tags"] == [] and stack.outbox_count() == outbox


def test_a_compose_imported_by_pungi_is_matched_not_imported_again(stack, tracker):
    """Pungi imported it through the API and set its URL; the tree at that URL is the same compose."""
    s = short_name("Tp")
    token = builder_token(stack)
    info = compose_info(s, date="20260510")
    cid = import_compose(stack, token, info)["payload"]["compose"]["id"]
    url = "%s/rawhide/%s" % (tracker.pungi_url, cid)
    r = call(stack, "PATCH", "composes/" + cid, token, {"action": "set_url", "compose_url": url})
    assert r.status_code == 200, r.text
    write_tree(os.path.join(tracker.pungi, "rawhide", cid), s, date="20260510")
    out = tracker.run()
    assert summary(out)["unchanged"] == 1 and summary(out)["imported"] == 0, out
    assert tracker.compose(cid)["builder"] != "kiln-track-locations"


def test_what_cannot_be_reconciled_is_reported_and_exits_1(stack, tracker, tmp_path):
    s = short_name("Te")
    kept = write_tree(os.path.join(tracker.pungi, "f1", "kept"), s, date="20260501")
    tracker.run()
    assert tracker.compose(kept)["compose_url"] == "%s/f1/kept" % tracker.pungi_url

    # The Pungi volume is not there (unmounted): its composes are not judged, certainly not removed.
    os.rename(tracker.pungi, tracker.pungi + ".away")
    # An unreadable composeinfo.json, and the same untracked compose twice.
    broken = os.path.join(tracker.local, "broken", "compose", "metadata")
    os.makedirs(broken)
    with open(os.path.join(broken, "composeinfo.json"), "w") as f:
        f.write('{"header": {"type": "productmd.composeinfo", "version": "1.2"}, "payload": {"compose": {')
    twin = write_tree(os.path.join(tracker.local, "twin-1"), s, date="20260502")
    write_tree(os.path.join(tracker.local, "twin-2"), s, date="20260502")
    # A root that must be a mount point and is not.
    unmounted = str(tmp_path / "unmounted")
    os.makedirs(unmounted)
    tracker.roots.append({"path": unmounted, "mount_point": True})

    out = tracker.run(expect=1)
    assert "root %s: MISSING (No such file or directory)" % tracker.pungi in out, out
    assert "root %s: MISSING (not a mount point (mount_point is set): is the volume mounted?)" % unmounted in out, out
    assert "skipped: %s: compose root %s is missing" % (kept, tracker.pungi) in out, out
    assert "error: %s/broken: compose/metadata/composeinfo.json is not JSON:" % tracker.local in out, out
    assert "error: id collision: untracked %s is at %s/twin-1, %s/twin-2; not imported" % (twin, tracker.local, tracker.local) in out
    assert summary(out)["errors"] == 4 and summary(out)["removed"] == 0, out
    assert tracker.compose(kept)["tags"] == []
    assert call(stack, "GET", "composes/" + twin).status_code == 404

    # Volume back, problems fixed: exit 0, the compose never left.
    os.rename(tracker.pungi + ".away", tracker.pungi)
    shutil.rmtree(os.path.join(tracker.local, "broken"))
    shutil.rmtree(os.path.join(tracker.local, "twin-2"))
    tracker.roots.pop()
    out = tracker.run()
    assert summary(out)["unchanged"] == 1 and summary(out)["imported"] == 1 and summary(out)["errors"] == 0, out
    assert [ch["action"] for ch in tracker.changes(kept)] == ["created"]


def test_a_compose_kiln_generated_and_expired_is_tagged_removed(stack, tmp_path):
    """Own database (like the expiry tests): generate, track, expire (which deletes odcs-<id>), track again."""
    name = "kiln_track_" + uuid.uuid4().hex[:10]
    created = subprocess.run([os.path.join(stack.pg_bin, "createdb"), "-h", stack.pg_socket, "-U", "postgres", name],
                             capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    try:
        target = tmp_path / "composes"
        target.mkdir()
        ops = Ops(stack, name, target)
        ops.env["KILN_TARGET_DIR_URL"] = "http://kiln-gen.example/composes"
        ops.kiln("migrate", "--migrations", os.path.join(SRC, "migrations"))
        cid = ops.submit()
        ops.generate()
        assert ops.row(cid)["state"] == 2
        (pungi_id, url), = ops.sql("SELECT compose_id, compose_url FROM cts_composes WHERE odcs_compose_id = %d" % cid)
        assert url == "http://kiln-gen.example/composes/odcs-%d" % cid

        out = ops.kiln("track-locations")
        assert summary(out.stdout)["unchanged"] == 1 and summary(out.stdout)["imported"] == 0, out.stdout

        ops.expire_now(cid)
        ops.kiln("expire")
        assert not os.path.exists(ops.path("odcs-%d" % cid))
        out = ops.kiln("track-locations")
        assert "removed: %s (%s is gone)" % (pungi_id, url) in out.stdout, out.stdout
        tags = ops.sql("SELECT t.name FROM cts_compose_tags ct JOIN cts_tags t ON t.id = ct.tag_id "
                       "JOIN cts_composes c ON c.id = ct.compose_id WHERE c.compose_id = '%s'" % pungi_id)
        assert tags == [["removed"]]
        (topic, tag), = ops.sql(
            "SELECT topic_suffix, body->>'tag' FROM outbox WHERE topic_suffix = 'cts.compose-tagged'")
        assert (topic, tag) == ("cts.compose-tagged", "removed")
        out = ops.kiln("track-locations")
        assert summary(out.stdout)["unchanged"] == 1 and summary(out.stdout)["removed"] == 0, out.stdout
    finally:
        subprocess.run([os.path.join(stack.pg_bin, "dropdb"), "-h", stack.pg_socket, "-U", "postgres", "--if-exists", name],
                       capture_output=True)


# ----------------------------------------------------------------------------------------------------- promotion

def promote(stack, rules, *args, expect=0):
    env = dict(os.environ, KILN_CONFIG=stack.config, KILN_PROMOTION_RULES=json.dumps(rules))
    out = subprocess.run([stack.bin, "promote", *args], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == expect, "kiln promote exited %d:\n%s\n%s" % (out.returncode, out.stdout, out.stderr)
    return out.stdout


def tag(stack, token, cid, name, action="tag"):
    r = call(stack, "PATCH", "composes/" + cid, token, {"action": action, "tag": name})
    assert r.status_code == 200, r.text


def tags(stack, cid):
    return call(stack, "GET", "composes/" + cid).json()["tags"]


def test_promotion_tags_the_newest_qa_passed_compose_and_moves_an_exclusive_tag(stack, admin):
    _, admin_token = admin
    token = builder_token(stack)
    s = short_name("Pr")
    older = import_compose(stack, token, compose_info(s, date="20260601"))["payload"]["compose"]["id"]
    day2 = import_compose(stack, token, compose_info(s, date="20260602"))["payload"]["compose"]["id"]
    day2_respin = import_compose(stack, token, compose_info(s, date="20260602"))["payload"]["compose"]["id"]
    other = import_compose(stack, token, compose_info(short_name("Px"), date="20260609"))["payload"]["compose"]["id"]
    for cid in (older, day2, other):
        tag(stack, admin_token, cid, "qa-passed")
    rule = {"name": unique("nightly"), "tag": "nightly", "release_short": s, "required_tags": ["qa-passed"], "min_interval": "1d",
            "exclusive": True}

    out = promote(stack, [rule], "--dry-run")
    assert out.splitlines() == ["dry run: nothing was changed", "rule %s: would tag %s nightly" % (rule["name"], day2)]
    assert tags(stack, day2) == ["qa-passed"]

    out = promote(stack, [rule])
    assert out.strip() == "rule %s: tagged %s nightly" % (rule["name"], day2)
    assert tags(stack, day2) == ["qa-passed", "nightly"]
    assert "nightly" not in tags(stack, other) and "nightly" not in tags(stack, older)
    last = call(stack, "GET", "composes/%s/changes/" % day2).json()["changes"][-1]
    assert (last["action"], last["user"], last["message"], last["user_data"]) == (
        "tagged", "kiln-promote", 'User "kiln-promote" added "nightly" tag.', 'Promotion rule "%s".' % rule["name"])
    (body,), = stack.psql("SELECT body::text FROM outbox WHERE topic_suffix = 'cts.compose-tagged' "
                          "AND body->'compose'->'compose_info'->'payload'->'compose'->>'id' = '%s' AND body->>'tag' = 'nightly'" % day2)
    body = json.loads(body)
    assert body["agent"] == "kiln-promote" and body["compose"]["tags"] == ["qa-passed", "nightly"]

    # Ran less than a day ago: not due; forced, the newest already has the tag.
    assert "rule %s: not due (next in" % rule["name"] in promote(stack, [rule])
    outbox = stack.outbox_count()
    assert promote(stack, [rule], "--force").strip() == "rule %s: %s already tagged nightly" % (rule["name"], day2)
    assert stack.outbox_count() == outbox

    # A newer respin passes QA: the tag moves to it (exclusive).
    tag(stack, admin_token, day2_respin, "qa-passed")
    out = promote(stack, [rule], "--force")
    assert out.strip() == "rule %s: tagged %s nightly; took it off %s" % (rule["name"], day2_respin, day2)
    assert tags(stack, day2_respin) == ["qa-passed", "nightly"] and tags(stack, day2) == ["qa-passed"]
    last = call(stack, "GET", "composes/%s/changes/" % day2).json()["changes"][-1]
    assert (last["action"], last["user"]) == ("untagged", "kiln-promote")

    # It is removed (by track-locations, say): the next eligible one gets the tag back.
    tag(stack, admin_token, day2_respin, "removed")
    out = promote(stack, [rule], "--force")
    assert out.strip() == "rule %s: tagged %s nightly; took it off %s" % (rule["name"], day2, day2_respin)

    # Nothing eligible for a release: said so, exit 0; a rule naming an unknown tag fails the run.
    empty = dict(rule, name=unique("none"), release_short=short_name("Pn"))
    bad = dict(rule, name=unique("bad"), tag="no-such-tag-" + uuid.uuid4().hex[:6])
    out = promote(stack, [empty, bad], "--force", expect=1)
    assert "rule %s: no eligible compose" % empty["name"] in out
    assert "rule %s: error: tag %s does not exist" % (bad["name"], bad["tag"]) in out
    # --rule runs one rule only.
    out = promote(stack, [empty, bad], "--rule", empty["name"])
    assert out.strip() == "rule %s: no eligible compose" % empty["name"]
