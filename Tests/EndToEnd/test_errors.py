"""Refused requests: status, the JSON error body with its exact message, and an unchanged database."""
import base64
import hashlib
import hmac
import json
import os
import time

import pytest

from conftest import STATES, assert_error, unique

UNAUTHORIZED_ODCS = (
    "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong "
    "credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.")
UNAUTHORIZED_HTTPD = "The bearer token is missing, malformed, expired or not valid for this server."
CHARACTERS = "Only alphanumerical characters and ' -/_.:#+?$~^,' characters are allowed in ODCS input variables"
TAG = {"source": {"type": "tag", "source": "f40-build"}}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def foreign_token(user, groups=("releng",)):
    """A well-formed HS256 JWT for `user`, signed with a key the server does not know."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": user, "iss": "kiln-dev", "iat": now, "exp": now + 3600, "groups": list(groups),
              "scope": "openid https://pagure.io/odcs/new-compose"}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    sig = hmac.new(os.urandom(32), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(sig)


# ------------------------------------------------------------------------------ authentication

def test_post_without_token_is_401(stack, unchanged):
    r = stack.post_compose(TAG, token=None)
    assert_error(r, 401, UNAUTHORIZED_ODCS)


def test_post_with_badly_signed_token_is_401_from_httpd(stack, unchanged):
    user = unique("e2e-forger")
    r = stack.post_compose(TAG, token=foreign_token(user))
    assert_error(r, 401, UNAUTHORIZED_HTTPD)
    # A real token with one signature character changed.
    good = stack.token(user)
    head, _, sig = good.rpartition(".")
    tampered = head + "." + ("A" if sig[0] != "A" else "B") + sig[1:]
    assert_error(stack.post_compose(TAG, token=tampered), 401, UNAUTHORIZED_HTTPD)
    assert_error(stack.post_compose(TAG, token="not-a-jwt"), 401, UNAUTHORIZED_HTTPD)
    assert stack.psql("SELECT 1 FROM users WHERE username = '%s'" % user) == []


def test_post_with_expired_token_is_401_from_httpd(stack, unchanged):
    user = unique("e2e-expired")
    token = stack.token(user, lifetime=-60)
    r = stack.post_compose(TAG, token=token)
    assert_error(r, 401, UNAUTHORIZED_HTTPD)
    assert stack.psql("SELECT 1 FROM users WHERE username = '%s'" % user) == []


def test_post_without_new_compose_scope_is_403(stack, unchanged):
    user = unique("e2e-noscope")
    token = stack.token(user, scopes=("renew-compose", "delete-compose"))
    r = stack.post_compose(TAG, token=token)
    assert_error(r, 403, "Request does not have required scope new-compose")


def test_post_by_user_not_in_allowed_clients_is_403(stack, unchanged):
    user = unique("e2e-outsider")
    for groups in ((), ("packagers",)):
        r = stack.post_compose(TAG, token=stack.token(user, groups=groups))
        assert_error(r, 403, "User %s is not in role allowed_clients." % user)


def test_scope_is_checked_before_role(stack, unchanged):
    user = unique("e2e-neither")
    r = stack.post_compose(TAG, token=stack.token(user, groups=(), scopes=("renew-compose",)))
    assert_error(r, 403, "Request does not have required scope new-compose")


# ------------------------------------------------------------------------------ POST validation

def test_invalid_json_is_400(stack, releng, unchanged):
    user, token = releng
    for raw in ("{not json", "", '{"source": {"type": "tag", "source": "f40-build"}'):
        r = stack.post_compose(None, token=token, raw=raw)
        assert_error(r, 400, contains="Failed to decode JSON object")


@pytest.mark.parametrize("raw", ["{}", "[]", "null", "0"])
def test_empty_json_is_400(stack, releng, unchanged, raw):
    user, token = releng
    r = stack.post_compose(None, token=token, raw=raw)
    assert_error(r, 400, "No JSON POST data submitted")


CASES = [
    ("unknown source type", {"source": {"type": "foo", "source": "x"}}, 'Unknown source type "foo"'),
    ("missing source", {"source": {"type": "tag"}}, "No source provided for 1"),
    ("empty source", {"source": {"type": "module", "source": ""}}, "No source provided for 2"),
    ("unknown flag", dict(TAG, flags=["foo"]), "Unknown flag foo"),
    ("unknown result", dict(TAG, results=["foo"]), "Unknown result foo"),
    ("bad characters in source", {"source": {"type": "tag", "source": "f40;rm -rf"}}, CHARACTERS),
    ("bad characters in label", dict(TAG, label="a<b>"), CHARACTERS),
    ("seconds_to_live string", dict(TAG, seconds_to_live="x"), "seconds_to_live should be an integer"),
    ("seconds_to_live float", dict(TAG, seconds_to_live=1.5), "seconds_to_live should be an integer"),
    ("packages not a list", {"source": {"type": "tag", "source": "f40-build", "packages": "bash"}},
     "packages should be a list"),
    ("label not a string", dict(TAG, label=5), "label should be a string"),
    ("nested dict", dict(TAG, extra={"a": "b"}), "Only 'source' key is allowed to contain dict."),
    ("missing type", {"source": {"source": "f40-build"}},
     None),  # message checked by prefix below
    ("module format", {"source": {"type": "module", "source": "testmodule"}},
     'Module definition must be in "n:s", "n:s:v" or "n:s:v:c" format, but got testmodule'),
    ("base module", {"source": {"type": "module", "source": "platform:f40"}},
     "ODCS currently cannot create compose with base modules, but platform was requested."),
    ("unknown target_dir", dict(TAG, target_dir="private"), 'Unknown "target_dir" "private"'),
    ("module defaults pair", {"source": {"type": "tag", "source": "f40-build", "module_defaults_url": "http://x/y.git"}},
     'The "module_defaults_url" and "module_defaults_commit" must be used together.'),
    ("unknown multilib method", dict(TAG, multilib_method=["foo"]), 'Unknown multilib method "foo"'),
]


@pytest.mark.parametrize("name,body,message", CASES, ids=[c[0] for c in CASES])
def test_invalid_compose_request_is_400(stack, releng, unchanged, name, body, message):
    user, token = releng
    r = stack.post_compose(body, token=token)
    if message is None:
        assert_error(r, 400, startswith="Missing type in source configuration, received: ")
    else:
        assert_error(r, 400, message)
    assert stack.psql("SELECT 1 FROM users WHERE username = '%s'" % user) == []


def test_source_not_an_object_is_400(stack, releng, unchanged):
    user, token = releng
    r = stack.post_compose({"source": "f40-build"}, token=token)
    body = assert_error(r, 400, startswith="Invalid source configuration provided: ")
    assert "f40-build" in body["message"]


def test_disallowed_arch_is_403(stack, releng, unchanged):
    user, token = releng
    r = stack.post_compose(dict(TAG, arches=["sparc"]), token=token)
    assert_error(r, 403, "User %s not allowed to operate with compose with arches=sparc." % user)


# ------------------------------------------------------------------------------ routing

@pytest.mark.parametrize("path", ["/api/1/nothing", "/api/2/composes/", "/api/1/composes/abc", "/api/1/composes/1/",
                                  "/api/1/composes/-1", "/api/1/"])
def test_unknown_route_is_404(stack, path):
    r = stack.http.get(stack.url + path, timeout=10, allow_redirects=False)
    assert_error(r, 404, "The requested URL was not found on the server.")


def test_post_to_unknown_route_is_404_and_changes_nothing(stack, releng, unchanged):
    user, token = releng
    r = stack.http.post(stack.url + "/api/1/composes/abc", data=json.dumps(TAG),
                        headers={"Authorization": "Bearer " + token}, timeout=10)
    assert_error(r, 404)


@pytest.mark.parametrize("method,path,allow", [
    ("PUT", "composes/", {"GET", "HEAD", "POST"}),
    ("DELETE", "composes/", {"GET", "HEAD", "POST"}),
    ("POST", "composes/1", {"GET", "HEAD", "PATCH", "DELETE"}),
    ("POST", "about/", {"GET", "HEAD"}),
    ("PATCH", "metrics/", {"GET", "HEAD"}),
])
def test_wrong_method_is_405_with_allow(stack, releng, unchanged, method, path, allow):
    user, token = releng
    r = stack.request(method, path, token=token, data=json.dumps(TAG))
    assert_error(r, 405, "The method is not allowed for the requested URL.")
    assert "Allow" in r.headers, r.headers
    assert {m.strip() for m in r.headers["Allow"].split(",")} == allow


def test_body_over_one_mebibyte_is_413(stack, releng, unchanged):
    user, token = releng
    padding = "a" * (1024 * 1024)
    body = json.dumps(dict(TAG, label=padding))  # just over 1 MiB: the responder's limit
    assert 1024 * 1024 < len(body) < 1114112
    assert_error(stack.post_compose(None, token=token, raw=body), 413)
    huge = json.dumps(dict(TAG, label="a" * (2 * 1024 * 1024)))  # over httpd's Content-Length limit
    assert_error(stack.post_compose(None, token=token, raw=huge), 413)
    # Chunked, so no declared length: the responder counts what it reads.
    def chunks():
        yield body[: len(body) // 2].encode()
        yield body[len(body) // 2:].encode()
    assert_error(stack.post_compose(None, token=token, raw=chunks()), 413)
    # Without a token the size is refused first as well.
    assert_error(stack.post_compose(None, token=None, raw=body), 413)


def test_body_of_exactly_one_mebibyte_is_accepted_by_size(stack, releng):
    user, token = releng
    body = json.dumps(dict(TAG, label="RC-1.0"))
    pad = 1024 * 1024 - len(body)
    body = body[:-1] + " " * pad + "}"
    assert len(body) == 1024 * 1024
    r = stack.post_compose(None, token=token, raw=body)
    assert r.status_code == 200, r.text
    assert r.json()["owner"] == user


# ------------------------------------------------------------------------------ one compose

def test_get_missing_compose_is_404(stack):
    missing = int(stack.scalar("SELECT coalesce(max(id), 0) + 1000 FROM composes"))
    r = stack.get("composes/%d" % missing)
    assert_error(r, 404, "No such compose found.")
    assert "Access-Control-Allow-Origin" not in r.headers


def test_patch_of_wait_compose_is_404(stack, releng):
    user, token = releng
    compose = stack.create_compose(token)
    cid = compose["id"]
    renewer = unique("e2e-renewer")
    renewer_token = stack.token(renewer)
    before = stack.counts()
    row = stack.compose_row(cid)
    for body in (None, json.dumps({"seconds_to_live": 600}), json.dumps({"label": "RC-9.9"})):
        r = stack.request("PATCH", "composes/%d" % cid, token=renewer_token, data=body)
        assert_error(r, 404, "No compose with id %d found" % cid)
    stack.set_state(cid, "generating", "Compose thread started")
    row = stack.compose_row(cid)
    r = stack.request("PATCH", "composes/%d" % cid, token=token)
    assert_error(r, 404, "No compose with id %d found" % cid)
    missing = before["max_id"] + 1000
    r = stack.request("PATCH", "composes/%d" % missing, token=token)
    assert_error(r, 404, "No compose with id %d found" % missing)
    assert stack.counts() == before
    assert stack.compose_row(cid) == row
    assert stack.psql("SELECT 1 FROM users WHERE username = '%s'" % renewer) == []


def test_patch_validation_precedes_lookup(stack, releng):
    user, token = releng
    compose = stack.create_compose(token)
    before = stack.counts()
    r = stack.request("PATCH", "composes/%d" % compose["id"], token=token, data=json.dumps({"seconds_to_live": "600s"}))
    assert_error(r, 400, "seconds_to_live should be an integer")
    r = stack.request("PATCH", "composes/%d" % compose["id"], token=token, data="{oops")
    assert_error(r, 400, contains="Failed to decode JSON object")
    assert stack.counts() == before


def test_patch_without_renew_scope_is_403(stack, releng):
    user, token = releng
    compose = stack.create_compose(token)
    stack.set_state(compose["id"], "done")
    row = stack.compose_row(compose["id"])
    before = stack.counts()
    r = stack.request("PATCH", "composes/%d" % compose["id"], token=stack.token(user, scopes=("new-compose",)))
    assert_error(r, 403, "Request does not have required scope renew-compose")
    r = stack.request("PATCH", "composes/%d" % compose["id"], token=stack.token(unique("e2e-out"), groups=()))
    assert_error(r, 403, contains="is not in role allowed_clients.")
    assert stack.counts() == before and stack.compose_row(compose["id"]) == row


def test_delete_wait_compose_by_someone_else_is_403(stack, releng):
    user, token = releng
    compose = stack.create_compose(token)
    cid = compose["id"]
    stranger = unique("e2e-stranger")
    before = stack.counts()
    row = stack.compose_row(cid)
    r = stack.request("DELETE", "composes/%d" % cid, token=stack.token(stranger))
    assert_error(r, 403, "Compose (id=%d) can not be canceled, it's owned by someone else." % cid)
    assert stack.counts() == before
    assert stack.compose_row(cid) == row and row["state"] == STATES["wait"]
    assert stack.psql("SELECT 1 FROM users WHERE username = '%s'" % stranger) == []


def test_delete_done_compose_by_non_admin_is_403(stack, releng):
    user, token = releng
    compose = stack.create_compose(token)
    cid = compose["id"]
    stack.set_state(cid, "done")
    row = stack.compose_row(cid)
    before = stack.counts()
    r = stack.request("DELETE", "composes/%d" % cid, token=token)  # the owner is no admin
    assert_error(r, 403, "User %s is not in role admins." % user)
    r = stack.request("DELETE", "composes/%d" % cid, token=stack.token(user, scopes=("new-compose",)))
    assert_error(r, 403, "Request does not have required scope delete-compose")
    assert_error(stack.request("DELETE", "composes/%d" % cid), 401, UNAUTHORIZED_ODCS)
    assert stack.counts() == before and stack.compose_row(cid) == row


@pytest.mark.parametrize("state", ["generating", "removed"])
def test_delete_by_admin_of_compose_not_done_or_failed_is_400(stack, releng, admin, state):
    user, token = releng
    admin_user, admin_token = admin
    compose = stack.create_compose(token)
    cid = compose["id"]
    if state == "removed":
        stack.set_state(cid, "done")
    stack.set_state(cid, state)
    row = stack.compose_row(cid)
    before = stack.counts()
    r = stack.request("DELETE", "composes/%d" % cid, token=admin_token)
    assert_error(r, 400, "Compose (id=%d) can not be removed, its state need to be in ['done', 'failed']." % cid)
    assert stack.counts() == before
    assert stack.compose_row(cid) == row


def test_delete_missing_compose_is_404(stack, admin):
    admin_user, admin_token = admin
    before = stack.counts()
    missing = before["max_id"] + 1000
    r = stack.request("DELETE", "composes/%d" % missing, token=admin_token)
    assert_error(r, 404, "No such compose found.")
    assert stack.counts() == before
