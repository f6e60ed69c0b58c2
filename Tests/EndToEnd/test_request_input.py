"""Client input on both APIs, through httpd: numbers bounded where they are parsed, names that become paths or
file lines checked, control characters refused, JSON bodies declared as JSON, metrics labels from fixed sets."""
import json
import re
import uuid

import productmd.composeinfo
import pytest
import requests

from conftest import assert_error, unique
from test_cts import builder_token, call, compose_info, import_compose, short_name

# productmd's own label check is the oracle: Kiln accepts a label exactly when productmd does.
LABELS = [
    "Alpha-1.0", "Beta-2.3", "RC-1.2", "RC-10.20", "EA-0.1", "Update-3.4", "SecurityFix-1.0", "Snapshot-1.1",
    "DevelPhaseExit-1.0", "InternalAlpha-0.9", "InternalSnapshot-4.2",
    "RC-1", "RC-1.2.3", "rc-1.2", "RC1.2", "RC-1.x", "RC-.1", "RC-1.", "Gamma-1.0", "RC-1.0-1", "-1.0", "RC--1.0",
    "../../etc", "RC-1.0/..", "a/b", "RC-1.0 ", " RC-1.0", "RC_1.0", "latest", "x" * 60,
]


def productmd_accepts(label):
    try:
        productmd.composeinfo.verify_label(label)
        return True
    except ValueError:
        return False


def post(stack, token, body):
    return stack.post_compose(body, token)


@pytest.mark.parametrize("label", LABELS)
def test_label_is_accepted_exactly_when_productmd_accepts_it(stack, releng, label):
    _, token = releng
    before = stack.counts()
    r = post(stack, token, {"source": {"type": "tag", "source": "f40-build"}, "label": label})
    if productmd_accepts(label):
        assert r.status_code == 200, r.text
        assert r.json()["label"] == label
    else:
        assert_error(r, 400, 'Invalid label "%s": it must be a productmd label such as Alpha-1.0 or RC-1.2.' % label)
        assert stack.counts() == before


@pytest.mark.parametrize("compose_type", ["../../etc", "test/..", "..", "nightly/x", "Test", "", "weekly"])
def test_compose_type_outside_the_configured_list_is_400(stack, releng, compose_type):
    _, token = releng
    before = stack.counts()
    r = post(stack, token, {"source": {"type": "tag", "source": "f40-build"}, "compose_type": compose_type})
    assert_error(r, 400, 'Unknown compose_type "%s"; it must be one of test, ci, nightly, production, development.'
                 % compose_type)
    assert stack.counts() == before


def test_every_configured_compose_type_is_accepted(stack, releng):
    _, token = releng
    for compose_type in ("test", "ci", "nightly", "production", "development"):
        r = post(stack, token, {"source": {"type": "tag", "source": "f40-build"}, "compose_type": compose_type})
        assert r.status_code == 200, r.text
        assert r.json()["compose_type"] == compose_type


def test_renew_with_a_traversing_label_is_400(stack, releng):
    user, token = releng
    compose = stack.create_compose(token)
    stack.set_state(compose["id"], "done")
    before = stack.counts()
    r = stack.request("PATCH", "composes/%d" % compose["id"], token=token, data=json.dumps({"label": "../x"}),
                      headers={"Content-Type": "application/json"})
    assert_error(r, 400, 'Invalid label "../x": it must be a productmd label such as Alpha-1.0 or RC-1.2.')
    assert stack.counts() == before


LIST_URLS = ["/api/1/composes/", "/cts/api/1/composes/", "/cts/api/1/tags/"]


@pytest.mark.parametrize("path", LIST_URLS)
@pytest.mark.parametrize("page", ["9223372036854775807", "9223372036854775808", "2147483648"])
def test_a_huge_page_is_400_and_the_responder_lives_on(stack, path, page):
    r = requests.get(stack.url + path, params={"page": page, "per_page": "1000"}, timeout=30)
    assert_error(r, 400, 'Invalid value for "page": %s. It must be at most 2147483647.' % page)
    # Every worker still answers (a trap would have killed the process and every request in flight).
    for _ in range(10):
        assert requests.get(stack.url + path, timeout=30).status_code == 200


@pytest.mark.parametrize("path", LIST_URLS)
def test_the_last_allowed_page_is_200_with_no_items(stack, path):
    r = requests.get(stack.url + path, params={"page": "2147483647", "per_page": "1000"}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["items"] == [] and body["meta"]["page"] == 2147483647 and body["meta"]["per_page"] == 1000


def test_a_huge_page_of_a_compose_rpm_list_is_400(stack):
    token = builder_token(stack)
    info = compose_info(short_name())
    cid = import_compose(stack, token, info)["payload"]["compose"]["id"]
    r = call(stack, "GET", "composes/%s/rpms/" % cid, params={"page": "9223372036854775807"})
    assert_error(r, 400, 'Invalid value for "page": 9223372036854775807. It must be at most 2147483647.')


@pytest.mark.parametrize("key,seconds", [("seconds_to_live", -1), ("seconds_to_live", -9223372036854775808),
                                         ("seconds-to-live", "-60"), ("seconds-to-live", "0")])
def test_a_negative_lifetime_is_400(stack, releng, key, seconds):
    _, token = releng
    before = stack.counts()
    r = post(stack, token, {"source": {"type": "tag", "source": "f40-build"}, key: seconds})
    assert_error(r, 400, "seconds_to_live must be a positive number of seconds, not %s." % int(seconds))
    assert stack.counts() == before


def test_a_negative_lifetime_on_renew_is_400_and_changes_nothing(stack, releng):
    _, token = releng
    compose = stack.create_compose(token)
    stack.set_state(compose["id"], "done")
    row = stack.compose_row(compose["id"])
    r = stack.request("PATCH", "composes/%d" % compose["id"], token=token,
                      data=json.dumps({"seconds_to_live": -9223372036854775808}),
                      headers={"Content-Type": "application/json"})
    assert_error(r, 400, "seconds_to_live must be a positive number of seconds, not -9223372036854775808.")
    assert stack.compose_row(compose["id"]) == row


@pytest.mark.parametrize("event", [-1, 9223372036854775807, 2147483648])
def test_koji_event_out_of_range_is_400(stack, releng, event):
    _, token = releng
    r = post(stack, token, {"source": {"type": "tag", "source": "f40-build", "koji_event": event}})
    assert_error(r, 400, "koji_event must be an integer from 0 to 2147483647.")


def test_nul_in_a_string_is_400_naming_the_field_and_nothing_is_stored(stack, releng):
    _, token = releng
    before = stack.counts()
    raw = '{"source": {"type": "tag", "source": "f40-build", "packages": ["kiln-hello\\u0000x"]}}'
    r = stack.post_compose(None, token, raw=raw)
    assert_error(r, 400, 'Field "source.packages[0]" contains a control character, which is not allowed.')
    assert stack.counts() == before


def test_control_characters_in_cts_bodies_are_400(stack):
    token = builder_token(stack)
    info = compose_info(short_name())
    info["payload"]["release"]["name"] = "Release\u0000X"
    r = call(stack, "POST", "composes/", token, {"compose_info": info})
    assert_error(r, 400,
                 'Field "compose_info.payload.release.name" contains a control character, which is not allowed.')


def test_control_characters_in_query_arguments_are_400(stack):
    r = requests.get(stack.url + "/api/1/composes/?owner=a%00b", timeout=30)
    assert_error(r, 400, 'Query argument "owner" contains a control character, which is not allowed.')
    r = requests.get(stack.url + "/cts/api/1/composes/?id=a%0Ab", timeout=30)
    assert_error(r, 400, 'Query argument "id" contains a control character, which is not allowed.')


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          None, "application/jsonx"])
def test_a_body_not_declared_json_is_415_on_every_json_route(stack, admin, content_type):
    _, token = admin
    compose = stack.create_compose(token)
    cid = import_compose(stack, token, compose_info(short_name()))["payload"]["compose"]["id"]
    tag = requests.get(stack.url + "/cts/api/1/tags/", timeout=30).json()
    routes = [
        ("POST", "/api/1/composes/", {"source": {"type": "tag", "source": "f40-build"}}),
        ("PATCH", "/api/1/composes/%d" % compose["id"], {"seconds_to_live": 60}),
        ("POST", "/cts/api/1/composes/", {"compose_info": compose_info(short_name())}),
        ("PATCH", "/cts/api/1/composes/%s" % cid, {"action": "set_url", "compose_url": "https://h/c"}),
        ("POST", "/cts/api/1/tags/", {"name": unique("t"), "description": "d", "documentation": "d"}),
        ("POST", "/cts/api/1/composes/%s/rpms/" % cid, {"header": {}}),
        ("PUT", "/cts/api/1/composes/%s/rpms/" % cid, {"header": {}}),
    ]
    if tag["items"]:
        routes.append(("PATCH", "/cts/api/1/tags/%d" % tag["items"][0]["id"], {"description": "x"}))
    before = stack.counts()
    changes = stack.scalar("SELECT count(*) FROM cts_compose_changes")
    headers = {"Authorization": "Bearer " + token}
    if content_type:
        headers["Content-Type"] = content_type
    for method, path, body in routes:
        # requests adds no Content-Type of its own to a bytes body.
        r = requests.request(method, stack.url + path, data=json.dumps(body).encode(), headers=headers, timeout=30)
        assert r.status_code == 415, (method, path, r.status_code, r.text)
        got = r.json()
        assert got["status"] == 415 and got["error"] == "Unsupported Media Type", got
        assert got["message"].startswith("The request body must be JSON, sent with Content-Type: application/json"), got
    assert stack.counts() == before
    assert stack.scalar("SELECT count(*) FROM cts_compose_changes") == changes


def test_json_with_parameters_or_a_json_suffix_is_accepted(stack, releng):
    _, token = releng
    for content_type in ("application/json; charset=utf-8", "Application/JSON", "application/vnd.kiln+json"):
        r = stack.post_compose({"source": {"type": "tag", "source": "f40-build"}}, token,
                               headers={"Content-Type": content_type})
        assert r.status_code == 200, (content_type, r.text)


def repo_compose(stack, variants=("Server", "Everything")):
    token = builder_token(stack)
    info = compose_info(short_name(), variants=variants)
    cid = import_compose(stack, token, info, compose_url="https://composes.example.com/c/")["payload"]["compose"]["id"]
    return cid


def test_repo_file_only_for_a_variant_of_the_compose(stack):
    cid = repo_compose(stack)
    r = call(stack, "GET", "composes/%s/repo/" % cid, params={"variant": "Everything"})
    assert r.status_code == 200, r.text
    assert r.text == ("[%s-Everything]\nname=Compose %s (RPMs) - Everything\n"
                      "baseurl=https://composes.example.com/c/compose/Everything/$basearch/os/\n"
                      "enabled=1\ngpgcheck=0\n") % (cid, cid)
    for variant in ("Client", "Server\nbaseurl=https://evil.example.com/\ngpgcheck=0", "Server]\n[x", "../Server"):
        r = call(stack, "GET", "composes/%s/repo/" % cid, params={"variant": variant})
        assert_error(r, 404, 'Compose %s has no variant "%s".' % (cid, variant))


@pytest.mark.parametrize("url", [
    "http://h/c\nbaseurl=https://evil.example.com/", "https://h/c\r\ngpgcheck=0", "http", "httpx://h/c",
    "http:/h/c", "http://", "http://user@h/c", "http://h/c d", "ftp://h/c", "http://h:99999/c",
])
def test_compose_url_must_be_a_valid_http_url(stack, url):
    token = builder_token(stack)
    before = stack.scalar("SELECT count(*) FROM cts_composes")
    r = call(stack, "POST", "composes/", token, {"compose_info": compose_info(short_name()), "compose_url": url})
    assert r.status_code == 400, (url, r.text)
    assert stack.scalar("SELECT count(*) FROM cts_composes") == before
    cid = repo_compose(stack)
    r = call(stack, "PATCH", "composes/%s" % cid, token, {"action": "set_url", "compose_url": url})
    assert r.status_code == 400, (url, r.text)
    assert call(stack, "GET", "composes/%s" % cid).json()["compose_url"] == "https://composes.example.com/c/"


def metric_series(stack):
    r = requests.get(stack.url + "/api/1/metrics/", timeout=30)
    assert r.status_code == 200
    return re.findall(r'^kiln_http_requests_total\{method="([^"]*)",route="([^"]*)",status="(\d+)"\} \d+$',
                      r.text, re.M)


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}
ROUTE_LABELS = {
    "unmatched", "/api/1/composes/", "/api/1/composes/:id", "/api/1/about/", "/api/1/metrics/", "/api/1/openapi.json",
    "/cts/api/1/composes/", "/cts/api/1/composes/:compose_id", "/cts/api/1/composes/:compose_id/changes/",
    "/cts/api/1/composes/:compose_id/repo/", "/cts/api/1/composes/:compose_id/rpms/",
    "/cts/api/1/composes/:compose_id/diff/:other_compose_id", "/cts/api/1/tags/", "/cts/api/1/tags/:tag",
    "/cts/api/1/tags/:tag/changes/", "/cts/api/1/userinfo", "/cts/api/1/about/", "/cts/api/1/metrics/",
    "/cts/api/1/openapi.json",
    # Reports.
    "/api/1/reports/composes-per-day", "/api/1/reports/generation-time", "/api/1/reports/time-to-done",
    "/api/1/reports/volume", "/api/1/reports/product-size",
    # HTML pages (route patterns too: `/reports/:name`, never `/reports/volume`).
    "/", "/signin", "/signin/dev", "/login", "/signout", "/docs/api/", "/docs/cts-api/", "/reports/", "/reports/:name",
    "/cts/composes/", "/cts/composes/:compose_id", "/cts/composes/:compose_id/tags", "/cts/tags/", "/cts/tags/:tag",
    "/diff/",
    "/odcs/composes/", "/odcs/composes/:id", "/odcs/composes/:id/renew", "/odcs/composes/:id/cancel",
}


def test_made_up_methods_are_405_and_counted_as_other(stack):
    methods = ["KILN%s" % uuid.uuid4().hex[:12].upper() for _ in range(40)]
    for i, method in enumerate(methods):
        path = "/api/1/about/" if i % 2 else "/cts/api/1/composes/%s" % uuid.uuid4().hex
        r = requests.request(method, stack.url + path, timeout=30)
        assert r.status_code == 405, (method, r.status_code, r.text)
        assert r.json()["status"] == 405
        assert r.headers["Allow"] == ("GET, HEAD" if i % 2 else "GET, HEAD, PATCH"), r.headers
    series = metric_series(stack)
    assert series
    assert {m for m, _, _ in series} <= KNOWN_METHODS, sorted({m for m, _, _ in series} - KNOWN_METHODS)
    assert any(m == "other" and s == "405" for m, _, s in series), series


@pytest.mark.parametrize("path,allow", [
    ("/api/1/about/", "GET, HEAD"), ("/api/1/composes/", "GET, HEAD, POST"),
    ("/api/1/composes/7?x=1", "GET, HEAD, PATCH, DELETE"),
    ("/cts/api/1/composes/", "GET, HEAD, POST"), ("/cts/api/1/composes/F-1-20260101.n.0", "GET, HEAD, PATCH"),
    ("/cts/api/1/composes/F-1-20260101.n.0/rpms/", "GET, HEAD, POST, PUT"), ("/cts/api/1/tags/7", "GET, HEAD, PATCH"),
    ("/cts/api/1/composes/F-1-20260101.n.0/changes/", "GET, HEAD"),
])
def test_trace_refused_by_httpd_is_405_with_the_routes_methods(stack, path, allow):
    r = requests.request("TRACE", stack.url + path, timeout=30)
    assert_error(r, 405)
    assert r.headers["Allow"] == allow
    # Every other method the route does not take gets the same list from the responder.
    r = requests.request("OPTIONS", stack.url + path, timeout=30)
    assert_error(r, 405)
    assert r.headers["Allow"] == allow


def test_route_labels_are_route_names_not_paths(stack):
    for _ in range(10):
        requests.get(stack.url + "/cts/api/1/composes/%s/changes/" % uuid.uuid4().hex, timeout=30)
        requests.get(stack.url + "/api/1/nothing-%s" % uuid.uuid4().hex, timeout=30)
        requests.get(stack.url + "/api/1/composes/%d" % (10 ** 12 + uuid.uuid4().int % 1000), timeout=30)
    routes = {r for _, r, _ in metric_series(stack)}
    assert routes <= ROUTE_LABELS, sorted(routes - ROUTE_LABELS)
    assert "/cts/api/1/composes/:compose_id/changes/" in routes and "/api/1/composes/:id" in routes
    assert "unmatched" in routes
    for _ in range(10):
        for path in ("/reports/volume", "/reports/time-to-done?from=2026-01-01&to=2026-01-02", "/reports/nothing"):
            requests.get(stack.url + path, timeout=30)
    routes = {r for _, r, _ in metric_series(stack)}
    assert "/reports/:name" in routes and not any(r.startswith("/reports/") and ":" not in r and r != "/reports/"
                                                  for r in routes), sorted(routes)
