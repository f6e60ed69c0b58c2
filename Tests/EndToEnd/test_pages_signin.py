"""Signing in to the pages (the local stack's development sign-in), the page session cookie, and the CSRF token
every action form carries; refusals are pages with the right status, and change nothing."""
import re

import requests

from conftest import unique

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def sign_in(stack, user, groups=(), return_to="/"):
    s = requests.Session()
    r = s.post(stack.url + "/signin/dev", data={"user": user, "groups": ",".join(groups), "return_to": return_to},
               headers={"Origin": stack.url}, allow_redirects=False, timeout=10)
    assert r.status_code == 303, r.text
    assert r.headers["Location"] == return_to
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("kiln_session=")
    for attribute in ("Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=28800"):
        assert attribute in cookie, cookie
    return s


def csrf_of(html):
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field in the page"
    return m.group(1)


def test_dev_sign_in_shows_the_user_and_sign_out_needs_the_token(stack):
    user = unique("page-user")
    s = sign_in(stack, user, groups=("releng", "qa"), return_to="/?")
    page = s.get(stack.url + "/", timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<span class="user" title="releng, qa">%s</span>' % user in page.text
    token = csrf_of(page.text)
    # Without the token, with another session's token, or from another site: refused, still signed in.
    assert s.post(stack.url + "/signout", data={}, timeout=10, allow_redirects=False).status_code == 403
    other = sign_in(stack, unique("page-other"))
    other_token = csrf_of(other.get(stack.url + "/", timeout=10).text)
    r = s.post(stack.url + "/signout", data={"csrf": other_token}, timeout=10, allow_redirects=False)
    assert r.status_code == 403
    assert "security token" in r.text
    r = s.post(stack.url + "/signout", data={"csrf": token}, headers={"Origin": "https://evil.example"},
               timeout=10, allow_redirects=False)
    assert r.status_code == 403
    r = s.post(stack.url + "/signout", data={"csrf": token}, headers={"Origin": "null"}, timeout=10,
               allow_redirects=False)
    assert r.status_code == 403
    assert user in s.get(stack.url + "/", timeout=10).text
    r = s.post(stack.url + "/signout", data={"csrf": token}, headers={"Origin": stack.url}, timeout=10,
               allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/"
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    assert user not in s.get(stack.url + "/", timeout=10).text


def test_a_forged_or_foreign_cookie_signs_nobody_in(stack):
    s = sign_in(stack, unique("page-user"))
    value = s.cookies["kiln_session"]
    payload, mac = value.split(".")
    forged = requests.get(stack.url + "/", cookies={"kiln_session": payload + "." + mac[::-1]}, timeout=10)
    assert forged.status_code == 200
    assert 'class="user"' not in forged.text
    assert ">Sign in<" in forged.text


def test_sign_in_refuses_bad_names_and_leaves_only_to_local_paths(stack):
    for user in ("", "a b", "<script>", "x" * 65):
        r = requests.post(stack.url + "/signin/dev", data={"user": user}, timeout=10, allow_redirects=False)
        assert r.status_code == 400, user
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "A user name is 1 to 64" in r.text
        assert "Set-Cookie" not in r.headers
    r = requests.post(stack.url + "/signin/dev", data={"user": "bob", "groups": "a b"}, timeout=10,
                      allow_redirects=False)
    assert r.status_code == 400
    r = requests.post(stack.url + "/signin/dev", data={"user": "bob", "extra": "1"}, timeout=10,
                      allow_redirects=False)
    assert r.status_code == 400
    assert "Unknown form field" in r.text
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = requests.post(stack.url + "/signin/dev", data={"user": "bob", "return_to": target}, timeout=10,
                          allow_redirects=False)
        assert r.status_code == 303
        assert r.headers["Location"] == "/", target


def test_an_api_url_still_takes_json_only_and_pages_refuse_unknown_arguments(stack):
    s = sign_in(stack, unique("page-user"))
    r = s.post(stack.api("composes/"), data={"source_type": "repo"}, headers=FORM, timeout=10)
    assert r.status_code == 401  # httpd: an anonymous write with a body, whatever cookie it carries
    r = requests.get(stack.url + "/?x=1", timeout=10)
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Unknown query argument" in r.text
    r = requests.get(stack.url + "/no-such-page", timeout=10)
    assert r.status_code == 404
    assert "<title>404 Not Found · Kiln</title>" in r.text
    # The sign-in page of the local stack offers the development form.
    r = requests.get(stack.url + "/signin?return_to=/cts/composes/", timeout=10)
    assert r.status_code == 200
    assert 'action="/signin/dev"' in r.text
    assert 'name="return_to" value="/cts/composes/"' in r.text


def test_login_without_the_identity_providers_login_in_front_is_refused(stack):
    # On the local stack nothing protects /login: no identity reaches kiln-api, so no session is made.
    r = requests.get(stack.url + "/login?return_to=/", timeout=10, allow_redirects=False)
    assert r.status_code == 401
    assert "Set-Cookie" not in r.headers


def test_static_assets_and_chart_js_come_from_httpd(stack):
    for path, kind in (("/static/kiln.css", "text/css"), ("/static/kiln.svg", "image/svg+xml"),
                       ("/javascript/chart.js/chart.min.js", "text/javascript")):
        r = requests.get(stack.url + path, timeout=10)
        assert r.status_code == 200, path
        assert r.headers["Content-Type"].startswith(kind), path
        assert "X-Request-Id" not in r.headers, "%s must not reach kiln-api" % path
    assert requests.get(stack.url + "/javascript/", timeout=10).status_code in (403, 404)


def test_the_api_documentation_pages_render_every_documented_operation(stack):
    for page, document in (("/docs/api/", "/api/1/openapi.json"), ("/docs/cts-api/", "/cts/api/1/openapi.json")):
        spec = requests.get(stack.url + document, timeout=10).json()
        html = requests.get(stack.url + page, timeout=10)
        assert html.status_code == 200
        operations = [(method.upper(), path, op) for path, item in spec["paths"].items()
                      for method, op in item.items() if method in ("get", "post", "put", "patch", "delete")]
        assert len(operations) > 10
        for method, path, op in operations:
            anchor = "op-" + "".join(c if c.isalnum() else "-" for c in op["operationId"])
            assert 'id="%s"' % anchor in html.text, (method, path)
            assert "<code>%s</code>" % path in html.text, path
        assert html.text.count('<article class="card operation"') == len(operations)
        assert 'href="%s"' % document in html.text
