"""Who a compose belongs to: the token's subject, never anything in the request body."""

from conftest import unique

UNAUTHORIZED = (
    "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong "
    "credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.")


def test_owner_is_the_token_subject(stack):
    user = unique("e2e-owner")
    token = stack.token(user, groups=("packagers", "releng"))
    # An owner in the body is refused outright (no field is accepted and ignored), ...
    r = stack.post_compose({"source": {"type": "tag", "source": "f40-build"}, "owner": "mallory"}, token)
    assert r.status_code == 400 and r.json()["message"] == 'Unknown field "owner" in the compose request.'
    # ... and identity headers from the client are not read.
    body = {"source": {"type": "tag", "source": "f40-build"}}
    r = stack.post_compose(body, token, headers={"Remote-User": "mallory", "X-Remote-User": "mallory"})
    assert r.status_code == 200, r.text
    compose = r.json()
    assert compose["owner"] == user
    assert stack.compose_row(compose["id"])["owner"] == user
    assert stack.psql("SELECT count(*) FROM users WHERE username = '%s'" % user) == [["1"]]


def test_users_row_created_on_first_post_only(stack):
    user = unique("e2e-newcomer")
    token = stack.token(user)
    assert stack.psql("SELECT 1 FROM users WHERE username = '%s'" % user) == []
    # Reading needs no identity and records nobody.
    assert stack.get("composes/", params={"owner": user}).status_code == 200
    assert stack.psql("SELECT 1 FROM users WHERE username = '%s'" % user) == []
    users_before = int(stack.scalar("SELECT count(*) FROM users"))
    stack.create_compose(token)
    assert stack.psql("SELECT count(*) FROM users WHERE username = '%s'" % user) == [["1"]]
    assert int(stack.scalar("SELECT count(*) FROM users")) == users_before + 1
    # A second POST does not add another row.
    stack.create_compose(token)
    assert stack.psql("SELECT count(*) FROM users WHERE username = '%s'" % user) == [["1"]]
    assert int(stack.scalar("SELECT count(*) FROM users")) == users_before + 1


def test_headers_cannot_impersonate_without_token(stack):
    before = stack.counts()
    r = stack.post_compose({"source": {"type": "tag", "source": "f40-build"}}, token=None,
                           headers={"Remote-User": "admin", "X-Remote-User": "admin", "OIDC-Access-Token": "x",
                                    "OIDC_CLAIM_scope": "https://pagure.io/odcs/new-compose"})
    assert r.status_code == 401, r.text
    assert r.json() == {"status": 401, "error": "Unauthorized", "message": UNAUTHORIZED}
    assert stack.counts() == before


def test_admin_can_cancel_another_users_wait_compose(stack):
    owner = unique("e2e-owner")
    admin = unique("e2e-admin")
    compose = stack.create_compose(stack.token(owner))
    r = stack.request("DELETE", "composes/%d" % compose["id"], token=stack.token(admin, groups=("kiln-admins",)))
    assert r.status_code == 202, r.text
    assert r.json() == {"status": 202, "message": "Compose (id=%d) has been canceled" % compose["id"]}
    row = stack.compose_row(compose["id"])
    assert row["state"] == 4 and row["state_reason"] == "Canceled by %s" % admin
    assert row["owner"] == owner
