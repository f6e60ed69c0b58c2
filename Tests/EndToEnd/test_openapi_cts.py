"""The OpenAPI document served at /api/1/openapi.json, held against the compose tracking API it describes.

Real requests go through httpd to every operation under /cts/api/1/; each answer must have a status the document
lists for that operation, a media type it lists for that status, and a body that validates against the documented
schema (openapi-schema-validator, OpenAPI 3.0 semantics: `nullable`, `$ref` into `components`). Every status the
document lists (except 503, the database outage) must really occur. The documented methods and security are held
against the router (405 and its `Allow` header) and the permission checks (401 without a token).
"""
import json

import pytest
import requests
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from conftest import unique
from test_cts import builder_token, call, compose_info, import_compose, short_name
from test_cts_rpms import BASE, NEXT, rpms_document

METHODS = ("get", "put", "post", "delete", "patch")
PREFIX = "/cts/api/1/"
# Statuses a healthy stack cannot produce on purpose.
UNTESTABLE = {"503"}
TOO_LARGE = {"padding": "x" * (1024 * 1024 + 10)}


def not_json(stack, method, path, token):
    """A JSON body sent as text/plain, as a cross-site form would: 415."""
    headers = {"Authorization": "Bearer " + token, "Content-Type": "text/plain"}
    return requests.request(method, stack.url + "/cts/api/1/" + path, headers=headers, data=b"{}", timeout=30)


class Checker:
    """Checks answers against the document and remembers which (operation, status) pairs were seen."""

    def __init__(self, spec):
        self.spec = spec
        self.seen = set()

    def resolve(self, obj):
        while "$ref" in obj:
            ref = obj["$ref"]
            assert ref.startswith("#/"), ref
            node = self.spec
            for part in ref[2:].split("/"):
                node = node[part]
            obj = node
        return obj

    def operation(self, method, template):
        item = self.spec["paths"].get(template)
        assert item is not None, "the document has no path %s" % template
        op = item.get(method)
        assert op is not None, "the document has no %s %s" % (method.upper(), template)
        return op

    def validate(self, schema, instance):
        """Validates `instance` against `schema`, whose `$ref`s point into the document's components."""
        root = {"components": self.spec["components"], "allOf": [schema]}
        OAS30Validator(root, format_checker=oas30_format_checker).validate(instance)

    def check(self, method, template, response):
        """The answer's status, media type and body are as documented; returns the decoded body."""
        op = self.operation(method, template)
        status = str(response.status_code)
        where = "%s %s -> %s %s" % (method.upper(), template, status, response.text[:300])
        assert status in op["responses"], "undocumented status: " + where
        documented = self.resolve(op["responses"][status])
        content = documented.get("content", {})
        media = response.headers.get("Content-Type", "").split(";")[0].strip()
        assert media in content, "undocumented media type %r (documented: %s): %s" % (media, sorted(content), where)
        body = response.json() if media == "application/json" else response.text
        schema = content[media].get("schema")
        assert schema is not None, "no schema for " + where
        try:
            self.validate(schema, body)
        except ValidationError as e:
            raise AssertionError("answer does not match the documented schema: %s\n%s" % (where, e)) from None
        if media == "application/json" and response.status_code >= 400:
            assert body["status"] == response.status_code, where
        self.seen.add((op["operationId"], status))
        return body


@pytest.fixture(scope="module")
def spec(stack):
    r = stack.get("openapi.json")
    assert r.status_code == 200, r.text
    return r.json()


def tracking_operations(spec):
    """(method, path template, operation) for every operation under /cts/api/1/."""
    return [(m, p, op) for p, item in spec["paths"].items() if p.startswith(PREFIX)
            for m, op in item.items() if m in METHODS]


def concrete(template):
    """A URL for a path template, with values that name nothing."""
    path = template.replace("{compose_id}", "Nope-1-20260101.n.0").replace("{other_compose_id}", "Nope-1-20260102.n.0")
    return path.replace("{tag}", "999999")


def test_every_tracking_route_is_documented(spec):
    documented = {(m, p) for m, p, _ in tracking_operations(spec)}
    expected = {
        ("get", "/cts/api/1/composes/"), ("post", "/cts/api/1/composes/"),
        ("get", "/cts/api/1/composes/{compose_id}"), ("patch", "/cts/api/1/composes/{compose_id}"),
        ("get", "/cts/api/1/composes/{compose_id}/changes/"), ("get", "/cts/api/1/composes/{compose_id}/repo/"),
        ("get", "/cts/api/1/composes/{compose_id}/rpms/"), ("post", "/cts/api/1/composes/{compose_id}/rpms/"),
        ("put", "/cts/api/1/composes/{compose_id}/rpms/"),
        ("get", "/cts/api/1/composes/{compose_id}/diff/{other_compose_id}"),
        ("get", "/cts/api/1/tags/"), ("post", "/cts/api/1/tags/"),
        ("get", "/cts/api/1/tags/{tag}"), ("patch", "/cts/api/1/tags/{tag}"), ("get", "/cts/api/1/tags/{tag}/changes/"),
        ("get", "/cts/api/1/userinfo"), ("get", "/cts/api/1/about/"), ("get", "/cts/api/1/metrics/"),
    }
    assert documented == expected


def test_documented_methods_and_security_are_what_the_server_does(stack, spec):
    """Undocumented methods answer 405 with exactly the documented ones (plus HEAD) in `Allow`; operations that
    need a bearer token answer 401 without one, the others never do."""
    for template, item in spec["paths"].items():
        if not template.startswith(PREFIX):
            continue
        url = stack.url + concrete(template)
        documented = {m.upper() for m in item if m in METHODS}
        for method in METHODS:
            if method.upper() in documented:
                continue
            r = requests.request(method.upper(), url, timeout=30)
            assert r.status_code == 405, (method, template, r.status_code, r.text)
            allowed = set(r.headers["Allow"].split(", "))
            assert allowed == documented | {"HEAD"}, (template, allowed, documented)
        for method in documented:
            op = item[method.lower()]
            security = op.get("security", spec.get("security"))
            r = requests.request(method, url, timeout=30, data="{}", headers={"Content-Type": "application/json"})
            if security:
                assert security == [{"bearerAuth": []}], (method, template, security)
                assert r.status_code == 401, (method, template, r.status_code, r.text)
            else:
                assert r.status_code != 401, (method, template, r.text)
        if "GET" in documented:
            assert requests.head(url, timeout=30).status_code != 405, template


def test_tracking_answers_match_the_document(stack, spec):
    c = Checker(spec)
    C, ONE = "/cts/api/1/composes/", "/cts/api/1/composes/{compose_id}"
    CHANGES, REPO = ONE + "/changes/", ONE + "/repo/"
    RPMS, DIFF = ONE + "/rpms/", ONE + "/diff/{other_compose_id}"
    TAGS, TAG, TAG_CHANGES = "/cts/api/1/tags/", "/cts/api/1/tags/{tag}", "/cts/api/1/tags/{tag}/changes/"
    builder_name = unique("e2e-oa-builder")
    builder = builder_token(stack, builder_name)
    other_builder = builder_token(stack)
    outsider = stack.token(unique("e2e-oa-outsider"), groups=("packagers",))
    admin = stack.token(unique("e2e-oa-admin"), groups=("kiln-admins",))
    short = short_name("Ko")
    nope = "Nope-1-20260101.n.0"

    # Import, with and without an RPM list, with relations; and every refusal.
    info_a = compose_info(short, date="20260601", label="RC-1.0")
    answer = c.check("post", C, call(stack, "POST", "composes/", builder, {"compose_info": info_a, "rpms": rpms_document(info_a, BASE)}))
    a = answer["payload"]["compose"]["id"]
    info_b = compose_info(short, date="20260602")
    r = call(stack, "POST", "composes/", builder, {"compose_info": info_b, "rpms": rpms_document(info_b, NEXT),
                                                  "parent_compose_ids": [a], "compose_url": "https://kojipkgs.example/b"})
    b = c.check("post", C, r)["payload"]["compose"]["id"]
    info_bare = compose_info(short, date="20260603")
    bare = c.check("post", C, call(stack, "POST", "composes/", builder, {"compose_info": info_bare, "respin_of": a}))["payload"]["compose"]["id"]
    c.check("post", C, call(stack, "POST", "composes/", builder, {}))
    c.check("post", C, call(stack, "POST", "composes/", None, {"compose_info": info_a}))
    c.check("post", C, call(stack, "POST", "composes/", outsider, {"compose_info": info_a}))
    c.check("post", C, call(stack, "POST", "composes/", builder, TOO_LARGE))
    c.check("post", C, not_json(stack, "POST", "composes/", builder))

    # The list, with the filters the document describes; items must be there to be validated.
    listed = c.check("get", C, call(stack, "GET", "composes/", params=[
        ("release_short", short), ("id_startswith", short), ("date_after", "20260531"), ("date_before", "20260603"),
        ("tag", "-removed"), ("order_by", "date"), ("order_by", "-id"), ("per_page", "1")]))
    assert [i["compose_info"]["payload"]["compose"]["id"] for i in listed["items"]] == [a]
    assert listed["meta"]["total"] == 2 and listed["meta"]["next"]
    listed = c.check("get", C, call(stack, "GET", "composes/", params={"release_short": short, "final": "TRUE"}))
    assert [i["compose_info"]["payload"]["compose"]["id"] for i in listed["items"]] == [a]
    assert listed["items"][0]["compose_info"]["payload"]["compose"]["final"] is True
    listed = c.check("get", C, call(stack, "GET", "composes/", params={"rpm_name": "gone", "release_short": short}))
    assert [i["compose_info"]["payload"]["compose"]["id"] for i in listed["items"]] == [a]
    c.check("get", C, call(stack, "GET", "composes/", params={"final": "maybe"}))

    # One compose, and PATCH: tag, set_url, and every refusal.
    got = c.check("get", ONE, call(stack, "GET", "composes/" + b))
    assert got["parents"] == [a] and got["compose_url"] == "https://kojipkgs.example/b"
    c.check("get", ONE, call(stack, "GET", "composes/" + nope))
    tagged = c.check("patch", ONE, call(stack, "PATCH", "composes/" + a, admin, {"action": "tag", "tag": "nightly", "user_data": "t-1"}))
    assert tagged["tags"] == ["nightly"] and tagged["children"] == [b] and tagged["respun_by"] == [bare]
    url = "https://kojipkgs.example/compose/" + a
    assert c.check("patch", ONE, call(stack, "PATCH", "composes/" + a, builder, {"action": "set_url", "compose_url": url}))["compose_url"] == url
    c.check("patch", ONE, call(stack, "PATCH", "composes/" + a, builder, {"action": "dance"}))
    c.check("patch", ONE, call(stack, "PATCH", "composes/" + a, None, {"action": "tag", "tag": "nightly"}))
    c.check("patch", ONE, call(stack, "PATCH", "composes/" + a, outsider, {"action": "untag", "tag": "nightly"}))
    c.check("patch", ONE, call(stack, "PATCH", "composes/" + nope, builder, {"action": "tag", "tag": "nightly"}))
    c.check("patch", ONE, call(stack, "PATCH", "composes/" + a, builder, TOO_LARGE))
    c.check("patch", ONE, not_json(stack, "PATCH", "composes/" + a, builder))

    # History and .repo files.
    changes = c.check("get", CHANGES, call(stack, "GET", "composes/%s/changes/" % a))["changes"]
    assert [(x["action"], x["user_data"]) for x in changes] == [("created", None), ("tagged", "t-1")]
    c.check("get", CHANGES, call(stack, "GET", "composes/%s/changes/" % nope))
    repo = c.check("get", REPO, call(stack, "GET", "composes/%s/repo/" % a, params={"variant": "Server"}))
    assert repo.startswith("[%s-Server]\n" % a)
    c.check("get", REPO, call(stack, "GET", "composes/%s/repo/" % a))
    c.check("get", REPO, call(stack, "GET", "composes/%s/repo/" % bare, params={"variant": "Server"}))

    # RPM lists: listing, uploading, replacing, and every refusal.
    rpms = c.check("get", RPMS, call(stack, "GET", "composes/%s/rpms/" % a, params={"category": "binary", "per_page": 3}))
    assert len(rpms["items"]) == 3 and rpms["meta"]["total"] == 8
    c.check("get", RPMS, call(stack, "GET", "composes/%s/rpms/" % a, params={"category": "rpm"}))
    c.check("get", RPMS, call(stack, "GET", "composes/%s/rpms/" % bare))
    info_bare["payload"]["compose"]["id"] = bare
    doc = rpms_document(info_bare, NEXT[:2])
    c.check("post", RPMS, call(stack, "POST", "composes/%s/rpms/" % a, builder, rpms_document(info_a, BASE)))
    c.check("post", RPMS, call(stack, "POST", "composes/%s/rpms/" % bare, None, doc))
    c.check("post", RPMS, call(stack, "POST", "composes/%s/rpms/" % bare, other_builder, doc))
    c.check("post", RPMS, call(stack, "POST", "composes/%s/rpms/" % nope, builder, doc))
    c.check("post", RPMS, call(stack, "POST", "composes/%s/rpms/" % bare, builder, raw=""))
    c.check("post", RPMS, call(stack, "POST", "composes/%s/rpms/" % bare, builder, TOO_LARGE))
    c.check("post", RPMS, not_json(stack, "POST", "composes/%s/rpms/" % bare, builder))
    status = c.check("post", RPMS, call(stack, "POST", "composes/%s/rpms/" % bare, builder, doc))
    assert status["compose_id"] == bare and status["source"] == "uploaded" and status["imported_by"] == builder_name
    assert c.check("put", RPMS, call(stack, "PUT", "composes/%s/rpms/" % bare, admin, rpms_document(info_bare, NEXT)))["rpm_count"] == 16
    c.check("put", RPMS, call(stack, "PUT", "composes/%s/rpms/" % bare, None, doc))
    c.check("put", RPMS, call(stack, "PUT", "composes/%s/rpms/" % bare, other_builder, doc))
    c.check("put", RPMS, call(stack, "PUT", "composes/%s/rpms/" % nope, builder, doc))
    c.check("put", RPMS, call(stack, "PUT", "composes/%s/rpms/" % bare, builder, raw="{nope"))
    c.check("put", RPMS, call(stack, "PUT", "composes/%s/rpms/" % bare, builder, TOO_LARGE))
    c.check("put", RPMS, not_json(stack, "PUT", "composes/%s/rpms/" % bare, builder))

    # Diffs.
    diff = c.check("get", DIFF, call(stack, "GET", "composes/%s/diff/%s" % (a, b)))
    assert diff["summary"] == {"added": 3, "removed": 2, "upgraded": 5, "downgraded": 4, "unchanged": 4}
    c.check("get", DIFF, call(stack, "GET", "composes/%s/diff/%s" % (a, nope)))

    # Tags: list, create, read, edit, history, and every refusal.
    tags = c.check("get", TAGS, call(stack, "GET", "tags/", params={"order_by": "id", "per_page": 3}))
    assert [t["name"] for t in tags["items"]] == ["periodic", "nightly", "milestone-candidate"]
    c.check("get", TAGS, call(stack, "GET", "tags/", params={"order_by": "colour"}))
    name = unique("e2e-oa-tag")
    body = {"name": name, "description": "d", "documentation": "https://docs.example/" + name, "user_data": "t-2"}
    tag = c.check("post", TAGS, call(stack, "POST", "tags/", admin, body))
    c.check("post", TAGS, call(stack, "POST", "tags/", admin, body))
    c.check("post", TAGS, call(stack, "POST", "tags/", None, body))
    c.check("post", TAGS, call(stack, "POST", "tags/", builder, body))
    c.check("post", TAGS, call(stack, "POST", "tags/", admin, TOO_LARGE))
    c.check("post", TAGS, not_json(stack, "POST", "tags/", admin))
    assert c.check("get", TAG, call(stack, "GET", "tags/" + name))["id"] == tag["id"]
    c.check("get", TAG, call(stack, "GET", "tags/%d" % tag["id"]))
    c.check("get", TAG, call(stack, "GET", "tags/no-such-tag-here"))
    edited = c.check("patch", TAG, call(stack, "PATCH", "tags/%d" % tag["id"], admin, {"action": "add_tagger", "group": "packagers"}))
    assert edited["tagger_groups"] == ["packagers"]
    c.check("patch", TAG, call(stack, "PATCH", "tags/%d" % tag["id"], admin, {"action": "fly"}))
    c.check("patch", TAG, call(stack, "PATCH", "tags/" + name, admin, {"description": "x"}))
    c.check("patch", TAG, call(stack, "PATCH", "tags/%d" % tag["id"], None, {"description": "x"}))
    c.check("patch", TAG, call(stack, "PATCH", "tags/%d" % tag["id"], builder, {"description": "x"}))
    c.check("patch", TAG, call(stack, "PATCH", "tags/%d" % tag["id"], admin, TOO_LARGE))
    c.check("patch", TAG, not_json(stack, "PATCH", "tags/%d" % tag["id"], admin))
    history = c.check("get", TAG_CHANGES, call(stack, "GET", "tags/%s/changes/" % name))["changes"]
    assert [(x["action"], x["user_data"]) for x in history] == [("created", "t-2"), ("add_tagger", None)]
    c.check("get", TAG_CHANGES, call(stack, "GET", "tags/no-such-tag-here/changes/"))

    # Identity and service.
    me = c.check("get", "/cts/api/1/userinfo", call(stack, "GET", "userinfo", outsider))
    assert name in me["permissions"]["is_tagger_of"]
    c.check("get", "/cts/api/1/userinfo", call(stack, "GET", "userinfo"))
    c.check("get", "/cts/api/1/about/", call(stack, "GET", "about/"))
    metrics = c.check("get", "/cts/api/1/metrics/", call(stack, "GET", "metrics/"))
    assert 'kiln_tagged_composes{tag="%s"} 0' % name in metrics

    # Every status the document lists for an operation was really answered.
    missing = sorted("%s %s" % (op["operationId"], status) for _, _, op in tracking_operations(spec)
                     for status in op["responses"] if status not in UNTESTABLE and (op["operationId"], status) not in c.seen)
    assert not missing, "documented but never answered: " + ", ".join(missing)


class FakeResponse:
    def __init__(self, status, body, content_type="application/json"):
        self.status_code = status
        self.headers = {"Content-Type": content_type}
        self.text = json.dumps(body) if content_type == "application/json" else body

    def json(self):
        return json.loads(self.text)


def test_the_checks_catch_answers_the_document_does_not_describe(stack, spec):
    """The checks above can fail: wrong shapes, undocumented statuses and media types are refused."""
    c = Checker(spec)
    token = builder_token(stack)
    info = compose_info(short_name("Ko"))
    cid = import_compose(stack, token, info)["payload"]["compose"]["id"]
    real = call(stack, "GET", "composes/" + cid)
    compose = c.check("get", "/cts/api/1/composes/{compose_id}", real)
    broken = []
    for mutate in (lambda x: x.pop("builder"), lambda x: x.update(tags="nightly"), lambda x: x.update(respin_of=7),
                   lambda x: x["compose_info"]["payload"]["compose"].update(respin="0"),
                   lambda x: x["compose_info"]["payload"]["compose"].update(type="weekly"),
                   lambda x: x.update(extra=1)):
        wrong = json.loads(json.dumps(compose))
        mutate(wrong)
        broken.append(wrong)
    for wrong in broken:
        with pytest.raises(AssertionError, match="does not match the documented schema"):
            c.check("get", "/cts/api/1/composes/{compose_id}", FakeResponse(200, wrong))
    # A tag is not a compose; an error needs all three keys.
    tag = call(stack, "GET", "tags/nightly").json()
    with pytest.raises(AssertionError, match="does not match"):
        c.check("get", "/cts/api/1/composes/{compose_id}", FakeResponse(200, tag))
    with pytest.raises(AssertionError, match="does not match"):
        c.check("get", "/cts/api/1/composes/{compose_id}", FakeResponse(404, {"status": 404, "message": "x"}))
    with pytest.raises(AssertionError, match="undocumented status"):
        c.check("get", "/cts/api/1/composes/{compose_id}", FakeResponse(409, {"status": 409, "error": "Conflict", "message": "x"}))
    with pytest.raises(AssertionError, match="undocumented media type"):
        c.check("get", "/cts/api/1/composes/{compose_id}", FakeResponse(200, "text", content_type="text/plain"))
    # Nullable fields take null; a null where the document does not allow it is refused.
    nulled = json.loads(json.dumps(compose))
    nulled["compose_url"] = None
    c.check("get", "/cts/api/1/composes/{compose_id}", FakeResponse(200, nulled))
    nulled["builder"] = None
    with pytest.raises(AssertionError, match="does not match"):
        c.check("get", "/cts/api/1/composes/{compose_id}", FakeResponse(200, nulled))
