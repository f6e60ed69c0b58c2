"""GET /api/1/composes/: filters, ordering, pagination and the absolute links in `meta`."""

import pytest

from conftest import assert_error, unique, unique_label

META_KEYS = {"page", "pages", "per_page", "total", "first", "last", "prev", "next"}


@pytest.fixture
def owned(stack):
    """A fresh owner, their token, and a helper that creates composes for them."""
    user = unique("e2e-lister")
    token = stack.token(user)

    def make(n=1, type_="tag", source="f40-build", **extra):
        return [stack.create_compose(token, source=source, type_=type_, **extra)["id"] for _ in range(n)]

    return user, token, make


def listing(stack, query, headers=None, path="composes/"):
    r = stack.get(path + "?" + query if query else path, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"items", "meta"}
    assert set(body["meta"]) == META_KEYS
    return body, r


def test_default_page_size_and_links(stack, owned):
    user, token, make = owned
    ids = make(12)
    base = stack.url + "/api/1/composes/"
    body, r = listing(stack, "owner=" + user)
    meta = body["meta"]
    assert [c["id"] for c in body["items"]] == sorted(ids, reverse=True)[:10]
    assert meta["page"] == 1 and meta["per_page"] == 10 and meta["total"] == 12 and meta["pages"] == 2
    assert meta["first"] == base + "?page=1&per_page=10&owner=" + user
    assert meta["last"] == base + "?page=2&per_page=10&owner=" + user
    assert meta["prev"] is None
    assert meta["next"] == base + "?page=2&per_page=10&owner=" + user
    # Following `next` gives the rest, with a `prev` back.
    r2 = stack.http.get(meta["next"], timeout=10)
    assert r2.status_code == 200
    page2 = r2.json()
    assert [c["id"] for c in page2["items"]] == sorted(ids, reverse=True)[10:]
    assert page2["meta"]["page"] == 2 and page2["meta"]["next"] is None
    assert page2["meta"]["prev"] == base + "?page=1&per_page=10&owner=" + user
    # Items are the list shape: no pungi_config_dump.
    assert all("pungi_config_dump" not in c for c in body["items"] + page2["items"])


def test_links_keep_other_arguments_in_request_order(stack, owned):
    user, token, make = owned
    ids = make(5)
    base = stack.url + "/api/1/composes/"
    body, _ = listing(stack, "compose_type=test&owner=%s&page=2&order_by=id&per_page=2&source_type=tag"
                             "&compose_type=nightly" % user)
    meta = body["meta"]
    others = "&compose_type=test&owner=%s&order_by=id&source_type=tag" % user
    assert meta["first"] == base + "?page=1&per_page=2" + others
    assert meta["prev"] == base + "?page=1&per_page=2" + others
    assert meta["next"] == base + "?page=3&per_page=2" + others
    assert meta["last"] == base + "?page=3&per_page=2" + others
    assert [c["id"] for c in body["items"]] == sorted(ids)[2:4]
    # An argument the list does not read is refused, not ignored.
    r = stack.get("composes/?owner=%s&_private=x" % user)
    assert r.status_code == 400 and r.json()["message"].startswith('Unknown query argument "_private"')


def test_forwarded_headers_are_honoured_in_links(stack, owned):
    user, token, make = owned
    make(3)
    headers = {"X-Forwarded-Host": "odcs.example.com", "X-Forwarded-Proto": "https", "X-Script-Name": "/odcs"}
    expected = "https://odcs.example.com/odcs/api/1/composes/?page=%d&per_page=1&owner=" + user
    # The proxy may strip the prefix before forwarding, or keep it in the path.
    for path in ("/api/1/composes/", "/odcs/api/1/composes/"):
        r = stack.http.get(stack.url + path, params={"per_page": 1, "owner": user}, headers=headers, timeout=10)
        assert r.status_code == 200, (path, r.text)
        meta = r.json()["meta"]
        assert meta["first"] == expected % 1, path
        assert meta["next"] == expected % 2, path
        assert meta["last"] == expected % 3, path
    # Host alone.
    body, _ = listing(stack, "per_page=1&owner=" + user, headers={"X-Forwarded-Host": "proxy.example.org:8443"})
    assert body["meta"]["first"] == "http://proxy.example.org:8443/api/1/composes/?page=1&per_page=1&owner=" + user
    # The item URLs do not depend on the request (they come from target_dir_url).
    assert body["items"][0]["toplevel_url"].startswith("http://127.0.0.1:")


def test_order_by(stack, owned):
    user, token, make = owned
    tag = make(1, "tag")[0]
    build = make(1, "build", source="")[0]
    pulp = make(1, "pulp", source="cs-1")[0]
    assert tag < build < pulp

    def order(key):
        body, _ = listing(stack, "owner=%s&order_by=%s" % (user, key))
        return [c["id"] for c in body["items"]]

    assert order("-id") == [pulp, build, tag]
    assert order("id") == [tag, build, pulp]
    assert order("source_type") == [tag, pulp, build]  # 1, 4, 6
    assert order("-source_type") == [build, pulp, tag]
    body, _ = listing(stack, "owner=" + user)
    assert [c["id"] for c in body["items"]] == [pulp, build, tag]  # default -id


@pytest.mark.parametrize("key", ["foo", "-", "-foo", "source_Typo", "pungi_config_dump"])
def test_invalid_order_by_is_400(stack, key):
    r = stack.get("composes/", params={"order_by": key})
    assert_error(r, 400, startswith="An invalid order_by key was suplied, allowed keys are")


def test_state_name_and_number_are_equivalent(stack, owned):
    user, token, make = owned
    a, b, c = make(3)
    stack.set_state(a, "done", "Compose is generated successfully")
    stack.set_state(c, "done", "Compose is generated successfully")
    by_name, _ = listing(stack, "owner=%s&state=done" % user)
    by_number, _ = listing(stack, "owner=%s&state=2" % user)
    assert [x["id"] for x in by_name["items"]] == [c, a]
    assert by_name["items"] == by_number["items"]
    assert by_name["meta"]["total"] == by_number["meta"]["total"] == 2
    waiting, _ = listing(stack, "owner=%s&state=0" % user)
    assert [x["id"] for x in waiting["items"]] == [b]
    nothing, _ = listing(stack, "owner=%s&state=bogus" % user)
    assert nothing["items"] == [] and nothing["meta"]["total"] == 0
    # An empty value is no filter.
    everything, _ = listing(stack, "owner=%s&state=" % user)
    assert everything["meta"]["total"] == 3


def test_source_type_name_and_number_are_equivalent(stack, owned):
    user, token, make = owned
    tag = make(1, "tag")[0]
    make(1, "build", source="")
    by_name, _ = listing(stack, "owner=%s&source_type=tag" % user)
    by_number, _ = listing(stack, "owner=%s&source_type=1" % user)
    assert [x["id"] for x in by_name["items"]] == [tag]
    assert by_name["items"] == by_number["items"]


def test_filters_by_label_and_source(stack, owned):
    user, token, make = owned
    label = unique_label()
    labelled = make(1, label=label)[0]
    other = make(1, source="f41-build")[0]
    body, _ = listing(stack, "label=" + label)
    assert [c["id"] for c in body["items"]] == [labelled]
    body, _ = listing(stack, "owner=%s&source=f41-build" % user)
    assert [c["id"] for c in body["items"]] == [other]


def test_pagination_edges(stack, owned):
    user, token, make = owned
    make(3)
    body, _ = listing(stack, "owner=%s&per_page=0" % user)
    assert body["items"] == [] and body["meta"]["pages"] == 0 and body["meta"]["total"] == 3
    assert body["meta"]["last"].endswith("?page=0&per_page=0&owner=" + user)
    body, _ = listing(stack, "owner=%s&page=7" % user)
    assert body["items"] == [] and body["meta"]["page"] == 7 and body["meta"]["next"] is None
    body, _ = listing(stack, "owner=%s&page=abc&per_page=xyz" % user)
    assert body["meta"]["page"] == 1 and body["meta"]["per_page"] == 10 and len(body["items"]) == 3
    body, _ = listing(stack, "owner=%s&page=0" % user)
    assert body["meta"]["page"] == 1


def test_cors_header_on_successful_gets(stack, owned):
    user, token, make = owned
    cid = make(1)[0]
    for path in ("composes/", "composes/%d" % cid, "about/", "about", "metrics/"):
        r = stack.get(path)
        assert r.status_code == 200, path
        assert r.headers.get("Access-Control-Allow-Origin") == "*", (path, r.headers)
    # Not on errors, nor on writes (as in ODCS).
    assert "Access-Control-Allow-Origin" not in stack.get("composes/?order_by=nope").headers
    post = stack.post_compose({"source": {"type": "tag", "source": "f40-build"}}, token)
    assert post.status_code == 200 and "Access-Control-Allow-Origin" not in post.headers


def test_head_on_list(stack, owned):
    user, token, make = owned
    make(1)
    r = stack.request("HEAD", "composes/?owner=" + user)
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["Content-Type"].startswith("application/json")
