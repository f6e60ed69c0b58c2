"""Compose contents through httpd with bearer tokens: rpms.json uploaded with an import, by PUT/POST, fetched from
compose_url by `kiln import-contents`, and written by Kiln's own generator; the rpms/ listing, the rpm_nvr and
rpm_name list filters, and diffs between composes that differ by known packages.

Fixture composeinfo.json / rpms.json documents and compose trees are made with PyPI productmd, as Pungi makes them.
"""
import json
import os
import subprocess

import productmd.composeinfo
import productmd.compose
import productmd.rpms

from conftest import assert_error, unique
from test_cts import builder_token, call, compose_info, import_compose, short_name


def rpms_document(info, packages, variant="Server", arches=("x86_64",)):
    """A productmd rpms.json for `info`'s compose: each package is (name, epoch, version, release, arch); every
    binary is listed with its SRPM (same N-E-V-R) under each of `arches` (noarch under all of them)."""
    rm = productmd.rpms.Rpms()
    compose = info["payload"]["compose"]
    rm.compose.id = compose["id"]
    rm.compose.type = compose["type"]
    rm.compose.date = compose["date"]
    rm.compose.respin = compose["respin"]
    for arch in arches:
        for name, epoch, version, release, rpm_arch in packages:
            if rpm_arch not in (arch, "noarch", "i686"):
                continue
            srpm = "%s-%s:%s-%s.src" % (name, epoch, version, release)
            rm.add(variant, arch, srpm, "%s/source/tree/Packages/%s/%s-%s-%s.src.rpm" % (variant, name[0], name, version, release),
                   "a15b79cc", "source")
            rm.add(variant, arch, "%s-%s:%s-%s.%s" % (name, epoch, version, release, rpm_arch),
                   "%s/%s/os/Packages/%s/%s-%s-%s.%s.rpm" % (variant, arch, name[0], name, version, release, rpm_arch),
                   None if name.startswith("unsigned") else "a15b79cc", "binary", srpm)
    return json.loads(rm.dumps())


BASE = [
    ("bash", 0, "5.2.26", "3.fc40", "x86_64"),
    ("glibc", 0, "2.39", "1.fc40", "x86_64"),
    ("glibc", 0, "2.39", "1.fc40", "i686"),
    ("vim", 2, "9.1", "1.fc40", "x86_64"),
    ("kernel", 0, "6.9.0", "1.fc40", "x86_64"),
    ("tool", 0, "2.0", "1.fc40", "x86_64"),
    ("gone", 0, "1.0", "1.fc40", "noarch"),
    ("python3-dateutil", 1, "2.8.2", "12.fc40", "noarch"),
]
NEXT = [
    ("bash", 0, "5.2.26", "10.fc40", "x86_64"),     # release 3 -> 10: numeric, an upgrade
    ("glibc", 0, "2.39", "1.fc40", "x86_64"),       # unchanged
    ("glibc", 0, "2.40", "1.fc40", "i686"),         # multilib half upgraded on its own
    ("vim", 1, "9.2", "1.fc40", "x86_64"),          # lower epoch: a downgrade despite the newer version
    ("kernel", 0, "6.9.0^git1", "1.fc40", "x86_64"),  # caret: after 6.9.0, an upgrade
    ("tool", 0, "2.0~rc1", "1.fc40", "x86_64"),     # tilde: before 2.0, a downgrade
    ("new", 0, "0.1", "1.fc40", "noarch"),
    ("python3-dateutil", 1, "2.8.2", "12.fc40", "noarch"),
]


def nevra(p):
    return "%s-%s:%s-%s.%s" % p


def imported_with(stack, token, packages, **kw):
    info = compose_info(short_name("Kr"), **kw)
    answer = import_compose(stack, token, info, rpms=rpms_document(info, packages))
    return answer["payload"]["compose"]["id"], answer


def all_rpms(stack, compose_id, **params):
    params.setdefault("per_page", 1000)
    r = call(stack, "GET", "composes/%s/rpms/" % compose_id, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_rpms_imported_with_the_compose_are_listed_filtered_and_paged(stack):
    token = builder_token(stack)
    cid, _ = imported_with(stack, token, BASE)
    body = all_rpms(stack, cid)
    # 8 binaries + 7 SRPMs (glibc's two arches share one), all in Server/x86_64.
    assert body["meta"]["total"] == 15
    listed = {(i["variant"], i["arch"], i["nevra"]) for i in body["items"]}
    assert ("Server", "x86_64", "vim-2:9.1-1.fc40.x86_64") in listed
    assert ("Server", "x86_64", "glibc-0:2.39-1.fc40.i686") in listed
    item = next(i for i in body["items"] if i["nevra"] == "python3-dateutil-1:2.8.2-12.fc40.noarch")
    assert item == {
        "variant": "Server", "arch": "x86_64", "nevra": "python3-dateutil-1:2.8.2-12.fc40.noarch", "name": "python3-dateutil",
        "epoch": 1, "version": "2.8.2", "release": "12.fc40", "rpm_arch": "noarch",
        "srpm_nevra": "python3-dateutil-1:2.8.2-12.fc40.src", "category": "binary", "sigkey": "a15b79cc",
        "path": "Server/x86_64/os/Packages/p/python3-dateutil-2.8.2-12.fc40.noarch.rpm",
    }
    assert [i["nevra"] for i in all_rpms(stack, cid, name="glibc")["items"]] == [
        "glibc-0:2.39-1.fc40.i686", "glibc-0:2.39-1.fc40.src", "glibc-0:2.39-1.fc40.x86_64"]
    assert [i["nevra"] for i in all_rpms(stack, cid, name="glibc", rpm_arch="i686")["items"]] == ["glibc-0:2.39-1.fc40.i686"]
    assert all_rpms(stack, cid, category="source")["meta"]["total"] == 7
    assert all_rpms(stack, cid, variant="Everything")["meta"]["total"] == 0
    assert all_rpms(stack, cid, arch="aarch64")["meta"]["total"] == 0
    page = all_rpms(stack, cid, per_page=4, page=2, category="binary")
    assert page["meta"]["total"] == 8 and page["meta"]["pages"] == 2 and len(page["items"]) == 4
    assert page["meta"]["prev"].endswith("/cts/api/1/composes/%s/rpms/?page=1&per_page=4&category=binary" % cid)
    assert page["meta"]["next"] is None
    assert_error(call(stack, "GET", "composes/%s/rpms/" % cid, params={"category": "rpm"}), 400,
                 "Invalid value for \"category\": rpm. It must be binary, debug or source.")


def test_diff_of_composes_that_differ_by_known_packages(stack):
    token = builder_token(stack)
    a, _ = imported_with(stack, token, BASE)
    b, _ = imported_with(stack, token, NEXT)
    r = call(stack, "GET", "composes/%s/diff/%s" % (a, b))
    assert r.status_code == 200, r.text
    diff = r.json()
    assert diff["from"] == a and diff["to"] == b
    tree = diff["variants"]["Server"]["x86_64"]

    def change(old, new):
        return {"name": old[0], "from": nevra(old), "to": nevra(new)}
    # glibc's new SRPM arrives beside the old one, which glibc.x86_64 still needs: an addition, not an upgrade.
    assert tree["added"] == ["glibc-0:2.40-1.fc40.src", "new-0:0.1-1.fc40.noarch", "new-0:0.1-1.fc40.src"]
    assert tree["removed"] == ["gone-0:1.0-1.fc40.noarch", "gone-0:1.0-1.fc40.src"]
    assert tree["upgraded"] == [
        change(("bash", 0, "5.2.26", "3.fc40", "src"), ("bash", 0, "5.2.26", "10.fc40", "src")), change(BASE[0], NEXT[0]),
        change(BASE[2], NEXT[2]),
        change(("kernel", 0, "6.9.0", "1.fc40", "src"), ("kernel", 0, "6.9.0^git1", "1.fc40", "src")), change(BASE[4], NEXT[4]),
    ]
    assert tree["downgraded"] == [
        change(("tool", 0, "2.0", "1.fc40", "src"), ("tool", 0, "2.0~rc1", "1.fc40", "src")), change(BASE[5], NEXT[5]),
        change(("vim", 2, "9.1", "1.fc40", "src"), ("vim", 1, "9.2", "1.fc40", "src")), change(BASE[3], NEXT[3]),
    ]
    # glibc.x86_64 with its SRPM and python3-dateutil with its SRPM stayed.
    assert diff["summary"] == {"added": 3, "removed": 2, "upgraded": 5, "downgraded": 4, "unchanged": 4}
    # The other way round, upgrades become downgrades.
    back = call(stack, "GET", "composes/%s/diff/%s" % (b, a)).json()
    assert back["summary"] == {"added": 2, "removed": 3, "upgraded": 4, "downgraded": 5, "unchanged": 4}
    assert call(stack, "GET", "composes/%s/diff/%s" % (a, a)).json()["variants"] == {}
    assert_error(call(stack, "GET", "composes/%s/diff/nope-20260101.n.0" % a), 404, "No such compose found: nope-20260101.n.0.")
    bare = import_compose(stack, token, compose_info(short_name("Kr")))["payload"]["compose"]["id"]
    assert_error(call(stack, "GET", "composes/%s/diff/%s" % (a, bare)), 404, "Compose %s has no RPM list recorded." % bare)
    assert_error(call(stack, "GET", "composes/%s/rpms/" % bare), 404, "Compose %s has no RPM list recorded." % bare)
    assert_error(call(stack, "POST", "composes/%s/diff/%s" % (a, b), token, {}), 405)


def test_which_composes_contain_a_build_or_a_package(stack):
    token = builder_token(stack)
    marker = unique("pkg").replace("-", "")
    old, _ = imported_with(stack, token, [(marker, 0, "1.0", "1", "x86_64")], date="20260510")
    new, _ = imported_with(stack, token, [(marker, 0, "1.1", "1", "x86_64"), ("bash", 0, "5.2.26", "3.fc40", "x86_64")], date="20260511")

    def ids(**params):
        r = call(stack, "GET", "composes/", params=params)
        assert r.status_code == 200, r.text
        return [c["compose_info"]["payload"]["compose"]["id"] for c in r.json()["items"]]
    assert ids(rpm_nvr="%s-1.0-1" % marker) == [old]
    assert ids(rpm_nvr="%s-0:1.1-1" % marker) == [new]
    assert ids(rpm_nvr="%s-1:1.1-1" % marker) == []
    assert ids(rpm_name=marker) == [new, old]
    assert ids(rpm_name=marker, rpm_nvr="bash-5.2.26-3.fc40") == [new]
    r = call(stack, "GET", "composes/", params={"rpm_name": marker, "per_page": 1})
    assert r.json()["meta"]["total"] == 2 and r.json()["meta"]["next"].endswith("rpm_name=%s" % marker)
    assert_error(call(stack, "GET", "composes/", params={"rpm_nvr": "bash"}), 400,
                 "Invalid value for \"rpm_nvr\": bash. It must be name-version-release, e.g. bash-5.2.26-3.fc40.")


def contents_rows(stack, compose_id):
    return int(stack.scalar(
        "SELECT count(*) FROM cts_compose_rpms cr JOIN cts_composes c ON c.id = cr.compose_key WHERE c.compose_id = '%s'" % compose_id))


def test_upload_by_put_and_post_permissions_and_errors_change_nothing(stack):
    user = unique("e2e-owner")
    token = builder_token(stack, user)
    info = compose_info(short_name("Kr"))
    cid = import_compose(stack, token, info)["payload"]["compose"]["id"]
    info["payload"]["compose"]["id"] = cid
    doc = rpms_document(info, BASE)
    path = "composes/%s/rpms/" % cid

    assert_error(call(stack, "PUT", path, None, doc), 401)
    other = builder_token(stack)
    assert_error(call(stack, "PUT", path, other, doc), 403, contains="only its builder (%s) and admins may" % user)
    no_scope = stack.token(user, groups=("releng",), scopes=["new-compose"])
    assert_error(call(stack, "PUT", path, no_scope, doc), 403, contains="edit-compose")
    assert_error(call(stack, "PUT", "composes/nope-20260101.n.0/rpms/", token, doc), 404, "No such compose found.")
    assert_error(call(stack, "PUT", path, token, raw="{nope"), 400, startswith="Cannot parse \"rpms\": Failed to decode JSON object")
    assert_error(call(stack, "PUT", path, token, raw=""), 400, "No JSON PUT data submitted.")
    broken = json.loads(json.dumps(doc))
    broken["payload"]["rpms"]["Server"]["src"] = {}
    assert_error(call(stack, "PUT", path, token, broken), 400,
                 "Cannot parse \"rpms\": Server lists arch \"src\"; source RPMs are listed under the binary arches.")
    foreign = json.loads(json.dumps(doc))
    foreign["payload"]["compose"]["id"] = "Other-1-20260101.n.0"
    assert_error(call(stack, "PUT", path, token, foreign), 400,
                 "Cannot parse \"rpms\": it describes compose Other-1-20260101.n.0, not %s." % cid)
    big = json.loads(json.dumps(doc))
    big["padding"] = "x" * (1024 * 1024 + 10)
    assert_error(call(stack, "PUT", path, token, big), 413)
    assert_error(call(stack, "DELETE", path, token), 405)
    assert contents_rows(stack, cid) == 0
    assert stack.scalar("SELECT count(*) FROM cts_compose_contents cc JOIN cts_composes c ON c.id = cc.compose_key "
                        "WHERE c.compose_id = '%s'" % cid) == "0"

    r = call(stack, "POST", path, token, doc)
    assert r.status_code == 200, r.text
    assert r.json()["compose_id"] == cid and r.json()["source"] == "uploaded" and r.json()["rpm_count"] == 15
    assert r.json()["imported_by"] == user
    assert_error(call(stack, "POST", path, token, rpms_document(info, NEXT)), 409,
                 "Compose %s already has an RPM list; PUT replaces it." % cid)
    assert contents_rows(stack, cid) == 15
    admin = stack.token(unique("e2e-admin"), groups=("kiln-admins",))
    r = call(stack, "PUT", path, admin, rpms_document(info, NEXT[:2]))
    assert r.status_code == 200, r.text
    assert [i["name"] for i in all_rpms(stack, cid, category="binary")["items"]] == ["bash", "glibc"]
    assert contents_rows(stack, cid) == 4


def test_import_with_a_malformed_rpms_field_imports_nothing(stack):
    token = builder_token(stack)
    info = compose_info(short_name("Kr"))
    before = int(stack.scalar("SELECT count(*) FROM cts_composes"))
    r = call(stack, "POST", "composes/", token, {"compose_info": info, "rpms": {"header": {"type": "productmd.rpms"}}})
    assert_error(r, 400, "Cannot parse \"rpms\": header version must be a string like \"1.2\".")
    assert int(stack.scalar("SELECT count(*) FROM cts_composes")) == before


def write_compose_tree(stack, name, info, packages):
    """A Pungi-like compose directory under the stack's compose root (served by httpd at /composes/<name>),
    written with productmd; returns its URL."""
    root = os.path.join(stack.env["KILN_TARGET_DIR"], name)
    metadata = os.path.join(root, "compose", "metadata")
    os.makedirs(metadata, exist_ok=True)
    ci = productmd.composeinfo.ComposeInfo()
    ci.loads(json.dumps(info))
    ci.dump(os.path.join(metadata, "composeinfo.json"))
    rm = productmd.rpms.Rpms()
    rm.loads(json.dumps(rpms_document(info, packages)))
    rm.dump(os.path.join(metadata, "rpms.json"))
    # productmd itself can read the tree back, as Pungi's consumers do.
    assert productmd.compose.Compose(root).rpms.compose.id == info["payload"]["compose"]["id"]
    return stack.url + "/composes/" + name


def import_contents(stack, compose_id):
    return subprocess.run([stack.bin, "import-contents", "--config", stack.config, "--retry-after", "0", "--compose", compose_id],
                          capture_output=True, text=True, timeout=120)


def test_contents_are_fetched_from_compose_url_and_failures_are_retried(stack):
    token = builder_token(stack)
    info = compose_info(short_name("Kf"))
    cid = import_compose(stack, token, info)["payload"]["compose"]["id"]
    info["payload"]["compose"]["id"] = cid
    name = unique("fixture-tree")
    url = write_compose_tree(stack, name, info, BASE)
    # First a URL with nothing there: the fetch fails, is recorded, and set_url starts over.
    r = call(stack, "PATCH", "composes/" + cid, token, {"action": "set_url", "compose_url": url + "-missing"})
    assert r.status_code == 200, r.text
    out = import_contents(stack, cid)
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert "failed %s: could not fetch %s-missing/compose/metadata/rpms.json: HTTP 404\n" % (cid, url) in out.stdout, out.stdout
    assert stack.scalar("SELECT fetch_error IS NOT NULL FROM cts_compose_contents cc JOIN cts_composes c ON c.id = cc.compose_key "
                        "WHERE c.compose_id = '%s'" % cid) == "t"
    assert_error(call(stack, "GET", "composes/%s/rpms/" % cid), 404)
    r = call(stack, "PATCH", "composes/" + cid, token, {"action": "set_url", "compose_url": url})
    assert r.status_code == 200, r.text
    out = import_contents(stack, cid)
    assert "fetched %s: 15 rpms" % cid in out.stdout, (out.stdout, out.stderr)
    body = all_rpms(stack, cid)
    assert body["meta"]["total"] == 15
    assert "vim-2:9.1-1.fc40.x86_64" in {i["nevra"] for i in body["items"]}
    assert stack.scalar("SELECT source FROM cts_compose_contents cc JOIN cts_composes c ON c.id = cc.compose_key "
                        "WHERE c.compose_id = '%s'" % cid) == "fetched"
    # Nothing left to fetch for it: a second run does not touch it.
    again = import_contents(stack, cid)
    assert cid not in again.stdout


def test_generated_compose_is_tracked_with_its_rpms(stack, releng):
    from test_generate import generate_once, submit, wait_finished
    _, token = releng
    compose = submit(stack, token, source_extra={"packages": ["kiln-extra"]}, arches=["x86_64"], flags=["no_reuse"])
    generate_once(stack)
    done = wait_finished(stack, compose["id"])
    assert done["state_name"] == "done", done
    pungi_id = done["pungi_compose_id"]
    body = all_rpms(stack, pungi_id)
    names = {i["name"] for i in body["items"]}
    assert "kiln-extra" in names
    written = json.load(open(os.path.join(stack.env["KILN_TARGET_DIR"], "odcs-%d" % compose["id"], "compose", "metadata", "rpms.json")))
    expected = {(v, a, n) for v, arches in written["payload"]["rpms"].items() for a, groups in arches.items()
                for rpms in groups.values() for n in rpms}
    assert {(i["variant"], i["arch"], i["nevra"]) for i in body["items"]} == expected
    assert stack.scalar("SELECT cc.source FROM cts_compose_contents cc JOIN cts_composes c ON c.id = cc.compose_key "
                        "WHERE c.compose_id = '%s'" % pungi_id) == "generated"
