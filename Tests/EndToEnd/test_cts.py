"""Compose tracking (CTS API v1 under /cts/api/1/) through httpd with bearer tokens.

Fixture composeinfo.json documents are made with PyPI productmd, as Pungi makes them.
"""
import json
import threading
import uuid

import productmd.composeinfo
import requests

from conftest import assert_error, unique


def cts(stack, path):
    return stack.url + "/cts/api/1/" + path.lstrip("/")


def call(stack, method, path, token=None, body=None, raw=None, params=None):
    headers = {}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    if data is not None:
        headers["Content-Type"] = "application/json"
    return requests.request(method, cts(stack, path), headers=headers, data=data, params=params, timeout=30)


def compose_info(short, version="1", date="20260517", type_="nightly", respin=0, label=None, release_type="ga",
                 layered=False, variants=("Server",)):
    """A productmd ComposeInfo JSON document, with the id productmd computes."""
    ci = productmd.composeinfo.ComposeInfo()
    ci.release.name = "Release " + short
    ci.release.short = short
    ci.release.version = version
    ci.release.type = release_type
    ci.release.is_layered = layered
    if layered:
        ci.base_product.name = "Base Product"
        ci.base_product.short = "BP"
        ci.base_product.version = "8"
        ci.base_product.type = "eus"
    ci.compose.date = date
    ci.compose.type = type_
    ci.compose.respin = respin
    if label:
        ci.compose.label = label
        ci.compose.final = True
    for uid in variants:
        v = productmd.composeinfo.Variant(ci)
        v.id = v.uid = v.name = uid
        v.type = "variant"
        v.arches = set(["x86_64"])
        v.paths.os_tree["x86_64"] = uid + "/x86_64/os"
        ci.variants.add(v)
    ci.compose.id = ci.create_compose_id()
    return json.loads(ci.dumps())


def short_name(prefix="Kt"):
    return prefix + uuid.uuid4().hex[:8]


def import_compose(stack, token, info, **extra):
    body = {"compose_info": info}
    body.update(extra)
    r = call(stack, "POST", "composes/", token, body)
    assert r.status_code == 200, r.text
    return r.json()


def builder_token(stack, user=None, groups=("releng",)):
    return stack.token(user or unique("e2e-builder"), groups=groups)


def test_pungi_flow_import_read_back_and_set_url(stack):
    """Pungi POSTs compose_info, reads id and respin back (and loads it with productmd), then PATCHes set_url."""
    user = unique("e2e-pungi")
    token = builder_token(stack, user)
    short = short_name()
    info = compose_info(short, label="RC-1.0")
    answer = import_compose(stack, token, info, parent_compose_ids=[], respin_of=None)
    ci = productmd.composeinfo.ComposeInfo()
    ci.loads(json.dumps(answer))
    assert ci.compose.id == "%s-1-20260517.n.0" % short
    assert ci.compose.respin == 0
    assert ci.compose.id == ci.create_compose_id()
    assert sorted(answer["payload"]["variants"]) == ["Server"]
    cid = ci.compose.id
    r = call(stack, "GET", "composes/" + cid)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["builder"] == user
    assert got["compose_info"]["payload"]["compose"] == {
        "id": cid, "date": "20260517", "respin": 0, "type": "nightly", "label": "RC-1.0", "final": True}
    assert got["compose_info"]["payload"]["variants"] == {}
    assert got["compose_url"] is None and got["tags"] == [] and got["parents"] == []
    url = "https://kojipkgs.example/compose/" + cid
    r = call(stack, "PATCH", "composes/" + cid, token, {"action": "set_url", "compose_url": url})
    assert r.status_code == 200, r.text
    assert r.json()["compose_url"] == url
    # The message went through the outbox with the change.
    rows = stack.psql("SELECT topic_suffix, body->>'event', body->'compose'->>'compose_url' FROM outbox "
                      "WHERE body->'compose'->'compose_info'->'payload'->'compose'->>'id' = '%s' ORDER BY id" % cid)
    assert rows == [["cts.compose-created", "compose-created", ""], ["cts.compose-changed", "compose-changed", url]]
    r = call(stack, "GET", "composes/%s/repo/" % cid, params={"variant": "Server"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
    assert r.text == ("[%s-Server]\nname=Compose %s (RPMs) - Server\nbaseurl=%s/compose/Server/$basearch/os/\n"
                      "enabled=1\ngpgcheck=0\n" % (cid, cid, url))
    changes = call(stack, "GET", "composes/%s/changes/" % cid).json()["changes"]
    assert [(c["action"], c["user"]) for c in changes] == [("created", user)]


def test_respins_per_release_and_date_never_go_down(stack):
    token = builder_token(stack)
    short = short_name()
    ids = [import_compose(stack, token, compose_info(short, respin=0))["payload"]["compose"]["id"] for _ in range(2)]
    assert ids == ["%s-1-20260517.n.0" % short, "%s-1-20260517.n.1" % short]
    # Another type shares the counter (CTS: unique per short, version and date).
    prod = import_compose(stack, token, compose_info(short, type_="production"))["payload"]["compose"]
    assert prod["id"] == "%s-1-20260517.2" % short and prod["respin"] == 2
    # A requested respin is a lower bound ...
    assert import_compose(stack, token, compose_info(short, respin=7))["payload"]["compose"]["respin"] == 7
    # ... and a lower one afterwards never goes back down to a free gap.
    assert import_compose(stack, token, compose_info(short, respin=3))["payload"]["compose"]["respin"] == 8
    # Another date starts again from the requested respin.
    assert import_compose(stack, token, compose_info(short, date="20260518"))["payload"]["compose"]["respin"] == 0
    # Layered and non-GA ids follow productmd.
    lay = import_compose(stack, token, compose_info(short, version="2", release_type="updates", layered=True))
    assert lay["payload"]["compose"]["id"] == "%s-2-updates-BP-8-eus-20260517.n.0" % short


def test_parallel_importers_get_distinct_respins(stack):
    token = builder_token(stack)
    short = short_name()
    n = 12
    results = [None] * n
    barrier = threading.Barrier(n)

    def worker(i):
        info = compose_info(short, respin=0)
        barrier.wait()
        r = requests.post(cts(stack, "composes/"), data=json.dumps({"compose_info": info}), timeout=60,
                          headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        results[i] = (r.status_code, r.text)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(status == 200 for status, _ in results), results
    respins = sorted(json.loads(text)["payload"]["compose"]["respin"] for _, text in results)
    assert respins == list(range(n))
    assert stack.scalar("SELECT count(DISTINCT compose_id) FROM cts_composes WHERE release_short = '%s'" % short) == str(n)


def test_import_errors_change_nothing(stack):
    token = builder_token(stack)
    short = short_name()
    before = stack.scalar("SELECT count(*) FROM cts_composes")
    outbox = stack.outbox_count()
    assert_error(call(stack, "POST", "composes/", token, raw="{nope"), 400, contains="Failed to decode JSON object")
    assert_error(call(stack, "POST", "composes/", token, {}), 400, "No JSON POST data submitted")
    assert_error(call(stack, "POST", "composes/", token, {"x": 1}), 400, 'No "compose_info" field in JSON POST data.')
    info = compose_info(short)
    del info["header"]
    assert_error(call(stack, "POST", "composes/", token, {"compose_info": info}), 400,
                 'Cannot parse "compose_info": missing key "header"')
    info = compose_info(short)
    info["payload"]["compose"]["type"] = "weird"
    assert_error(call(stack, "POST", "composes/", token, {"compose_info": info}), 400,
                 "Cannot parse \"compose_info\": Compose: Field 'type' has invalid value: weird")
    info = compose_info(short)
    info["payload"]["compose"]["respin"] = "1"
    assert_error(call(stack, "POST", "composes/", token, {"compose_info": info}), 400,
                 startswith="Cannot parse \"compose_info\": Compose: Field 'respin' has invalid type")
    assert_error(call(stack, "POST", "composes/", token, {"compose_info": compose_info(short), "parent_compose_ids": ["nope-1"]}),
                 400, "Cannot find parent compose with id nope-1.")
    assert_error(call(stack, "POST", "composes/", token, {"compose_info": compose_info(short), "respin_of": "nope-2"}),
                 400, "Cannot find respin_of compose with id nope-2.")
    assert stack.scalar("SELECT count(*) FROM cts_composes") == before
    assert stack.outbox_count() == outbox
    # The failed imports did not use up respins.
    assert import_compose(stack, token, compose_info(short))["payload"]["compose"]["respin"] == 0


def test_permission_matrix(stack):
    """Who may import, tag, untag, set_url and manage tags."""
    builder = builder_token(stack)
    outsider_name = unique("e2e-outsider")
    outsider = stack.token(outsider_name, groups=("packagers",))
    admin_name = unique("e2e-ctsadmin")
    admin = stack.token(admin_name, groups=("kiln-admins",))
    no_scope = stack.token(unique("e2e-noscope"), groups=("releng", "kiln-admins"), scopes=("openid",))
    info = compose_info(short_name())
    cid = info["payload"]["compose"]["id"]
    # Import: login, scope, role allowed_builders (admins are not builders).
    assert_error(call(stack, "POST", "composes/", None, {"compose_info": info}), 401)
    assert_error(call(stack, "POST", "composes/", no_scope, {"compose_info": info}), 403,
                 "Request does not have required scope new-compose")
    assert_error(call(stack, "POST", "composes/", outsider, {"compose_info": info}), 403,
                 "User %s is not in role allowed_builders." % outsider_name)
    assert_error(call(stack, "POST", "composes/", admin, {"compose_info": info}), 403,
                 "User %s is not in role allowed_builders." % admin_name)
    import_compose(stack, builder, info)
    # Tags: admins create them and name their taggers.
    tag = unique("e2e-tag")
    body = {"name": tag, "description": "d", "documentation": "https://docs.example/" + tag}
    assert_error(call(stack, "POST", "tags/", builder, body), 403, startswith="User ")
    r = call(stack, "POST", "tags/", admin, body)
    assert r.status_code == 200, r.text
    tag_id = r.json()["id"]
    assert_error(call(stack, "POST", "tags/", admin, body), 400, "Tag %s already exists" % tag)
    # set_url: builders and admins only.
    assert_error(call(stack, "PATCH", "composes/" + cid, outsider, {"action": "set_url", "compose_url": "http://x/"}), 403,
                 'User "%s" does not have permission to set compose_url' % outsider_name)
    assert call(stack, "PATCH", "composes/" + cid, admin, {"action": "set_url", "compose_url": "http://x/"}).status_code == 200
    assert_error(call(stack, "PATCH", "composes/" + cid, builder, {"action": "set_url", "compose_url": "ftp://x/"}), 400,
                 '"compose_url" field must be a valid http(s) URL')
    # Tagging: not a tagger -> 403; a tagger group member -> 200; untag needs untagger.
    assert_error(call(stack, "PATCH", "composes/" + cid, outsider, {"action": "tag", "tag": tag}), 403,
                 'User "%s" does not have "taggers" permission for tag "%s".' % (outsider_name, tag))
    r = call(stack, "PATCH", "tags/%d" % tag_id, admin, {"action": "add_tagger", "group": "packagers", "user_data": "ticket-1"})
    assert r.status_code == 200 and r.json()["tagger_groups"] == ["packagers"], r.text
    r = call(stack, "PATCH", "composes/" + cid, outsider, {"action": "tag", "tag": tag, "user_data": "why"})
    assert r.status_code == 200 and r.json()["tags"] == [tag], r.text
    # Idempotent: a second tag writes no record and no message.
    outbox = stack.outbox_count()
    assert call(stack, "PATCH", "composes/" + cid, outsider, {"action": "tag", "tag": tag}).status_code == 200
    assert stack.outbox_count() == outbox
    assert_error(call(stack, "PATCH", "composes/" + cid, outsider, {"action": "untag", "tag": tag}), 403,
                 'User "%s" does not have "untaggers" permission for tag "%s".' % (outsider_name, tag))
    r = call(stack, "PATCH", "tags/%d" % tag_id, admin, {"action": "add_untagger", "username": outsider_name})
    assert r.json()["untaggers"] == [outsider_name]
    r = call(stack, "PATCH", "composes/" + cid, outsider, {"action": "untag", "tag": tag})
    assert r.status_code == 200 and r.json()["tags"] == []
    events = stack.psql("SELECT body->>'event', body->>'tag', body->>'agent', coalesce(body->>'user_data', '') FROM outbox "
                        "WHERE body->>'tag' = '%s' ORDER BY id" % tag)
    assert events == [["compose-tagged", tag, outsider_name, "why"], ["compose-untagged", tag, outsider_name, ""]]
    changes = call(stack, "GET", "composes/%s/changes/" % cid).json()["changes"]
    assert [c["action"] for c in changes] == ["created", "tagged", "untagged"]
    assert changes[1]["message"] == 'User "%s" added "%s" tag.' % (outsider_name, tag) and changes[1]["user_data"] == "why"
    tag_changes = call(stack, "GET", "tags/%s/changes/" % tag).json()["changes"]
    assert [c["action"] for c in tag_changes] == ["created", "add_tagger", "add_untagger"]
    assert tag_changes[1]["message"] == 'Tagger permission granted to group "packagers".'
    # userinfo
    info = call(stack, "GET", "userinfo", outsider).json()
    assert info["username"] == outsider_name
    assert info["permissions"]["can_create_compose"] is False and info["permissions"]["can_set_url"] is False
    assert tag in info["permissions"]["is_tagger_of"] and tag in info["permissions"]["is_untagger_of"]
    assert_error(call(stack, "GET", "userinfo"), 401)
    # Tag management errors.
    assert_error(call(stack, "PATCH", "tags/" + tag, admin, {"description": "x"}), 404, "No such tag found.")
    assert_error(call(stack, "PATCH", "tags/%d" % tag_id, admin, {"action": "add_tagger"}), 400,
                 'Either "username" or "group" should be defined.')
    assert_error(call(stack, "PATCH", "tags/%d" % tag_id, admin, {"action": "remove_tagger", "username": unique("ghost")}), 400,
                 "User does not exist")
    assert_error(call(stack, "PATCH", "tags/%d" % tag_id, admin, {"action": "fly"}), 400, "Unknown action.")


def test_compose_patch_errors_and_wrong_methods(stack):
    token = builder_token(stack)
    info = compose_info(short_name())
    cid = import_compose(stack, token, info)["payload"]["compose"]["id"]
    assert_error(call(stack, "PATCH", "composes/nope-20260101.1", token, {"action": "tag"}), 404, "No such compose found.")
    assert_error(call(stack, "PATCH", "composes/" + cid, token, {}), 400, "No JSON PATCH data submitted.")
    assert_error(call(stack, "PATCH", "composes/" + cid, token, {"tag": "x"}), 400, 'No "action" field in JSON PATCH data.')
    assert_error(call(stack, "PATCH", "composes/" + cid, token, {"action": "tag"}), 400, 'No "tag" field in JSON PATCH data.')
    assert_error(call(stack, "PATCH", "composes/" + cid, token, {"action": "tag", "tag": "no-such"}), 400,
                 'Tag "no-such" does not exist')
    assert_error(call(stack, "PATCH", "composes/" + cid, token, {"action": "dance"}), 400, "Unknown action.")
    r = call(stack, "DELETE", "composes/" + cid, token)
    assert_error(r, 405)
    assert r.headers["Allow"] == "GET, HEAD, PATCH"
    assert_error(call(stack, "GET", "composes/nope-20260101.1"), 404, "No such compose found.")
    assert_error(call(stack, "GET", "composes/%s/repo/" % cid), 400, "variant is required.")
    assert_error(call(stack, "GET", "composes/%s/repo/" % cid, params={"variant": "Server"}), 404,
                 "Compose does not have any URL set")
    assert_error(call(stack, "GET", "nothing-here"), 404)


def test_list_filters_tags_and_order(stack):
    token = builder_token(stack)
    admin = stack.token(unique("e2e-ctsadmin"), groups=("kiln-admins",))
    short = short_name("Kf")
    a = import_compose(stack, token, compose_info(short, date="20260101"))["payload"]["compose"]["id"]
    b = import_compose(stack, token, compose_info(short, date="20260102", label="Beta-1.0"))["payload"]["compose"]["id"]
    c = import_compose(stack, token, compose_info(short, date="20260103", type_="production"))["payload"]["compose"]["id"]
    for cid, tag in ((a, "nightly"), (b, "nightly"), (b, "milestone")):
        assert call(stack, "PATCH", "composes/" + cid, admin, {"action": "tag", "tag": tag}).status_code == 200

    def ids(**params):
        r = call(stack, "GET", "composes/", params=dict(params, release_short=short))
        assert r.status_code == 200, r.text
        return [i["compose_info"]["payload"]["compose"]["id"] for i in r.json()["items"]]

    assert ids() == [c, b, a]  # default -date, -id
    assert ids(order_by="date") == [a, b, c]
    assert ids(tag="nightly") == [b, a]
    assert ids(tag=["nightly", "-milestone"]) == [a]
    assert ids(tag="") == [c]
    assert ids(date_before="20260102") == [a]
    assert ids(date_after="20260101", date_before="20260103") == [b]
    # One match per field, the last of "", _contains, _startswith, _endswith given (CTS): _contains is ignored here.
    assert ids(id_endswith=".n.0", id_contains="0102") == [b, a]
    assert ids(id_contains="0102") == [b]
    assert ids(final="true") == [b] and ids(final="1") == [b] and ids(final="0") == [c, a] and ids(final="False") == [c, a]
    assert ids(label="Beta-1.0") == [b]
    assert ids(type="production", respin="0") == [c]
    assert_error(call(stack, "GET", "composes/", params={"final": "maybe"}), 400,
                 'Invalid value for "final": maybe. It must be true, false, 1 or 0.')
    assert_error(call(stack, "GET", "composes/", params={"order_by": "-"}), 400, startswith="An invalid order_by key was suplied")
    r = call(stack, "GET", "composes/", params=[("release_short", short), ("tag", "nightly"), ("tag", "-x"), ("per_page", "1")])
    meta = r.json()["meta"]
    assert meta["total"] == 2 and meta["pages"] == 2
    assert meta["next"] == stack.url + "/cts/api/1/composes/?page=2&per_page=1&release_short=%s&tag=nightly&tag=-x" % short
    metrics = requests.get(cts(stack, "metrics/"), timeout=10).text
    assert "# HELP kiln_tagged_composes Tracked composes carrying each tag\n# TYPE kiln_tagged_composes gauge\n" in metrics
    assert 'kiln_tagged_composes{tag="milestone"} ' in metrics
    # composes_total is ODCS's count by source type and state, on /api/1/metrics/ only.
    assert "composes_total" not in metrics


def test_seeded_tags_and_about(stack):
    names = [t["name"] for t in call(stack, "GET", "tags/", params={"per_page": 100, "order_by": "id"}).json()["items"]]
    assert names[:6] == ["periodic", "nightly", "milestone-candidate", "milestone", "qa-passed", "removed"]
    r = call(stack, "GET", "tags/nightly")
    assert r.status_code == 200 and r.json()["id"] == 2
    assert call(stack, "GET", "tags/2").json()["name"] == "nightly"
    about = call(stack, "GET", "about/").json()
    assert about["auth_backend"] == "oidc_or_kerberos"
    assert about["allowed_builders"] == {"users": [], "groups": ["releng"]}


def test_generated_composes_are_tracked_with_parents_and_respin_of(stack, releng):
    """Kiln's own composes: registered when done, builder kiln, compose_url = toplevel_url, relations linked."""
    from test_generate import generate_once, submit, wait_finished
    _, token = releng
    parent = import_compose(stack, builder_token(stack), compose_info(short_name()))["payload"]["compose"]["id"]
    earlier = import_compose(stack, builder_token(stack), compose_info(short_name()))["payload"]["compose"]["id"]
    compose = submit(stack, token, source_extra={"packages": ["kiln-extra"]}, arches=["x86_64"], flags=["no_reuse"],
                     parent_pungi_compose_ids=[parent, "untracked-20260101.n.0"], respin_of=earlier)
    generate_once(stack)
    done = wait_finished(stack, compose["id"])
    assert done["state_name"] == "done", done
    pungi_id = done["pungi_compose_id"]
    assert pungi_id.startswith("odcs-%d-1-" % compose["id"])
    r = call(stack, "GET", "composes/", params={"builder": "kiln", "id": pungi_id})
    items = r.json()["items"]
    assert len(items) == 1, r.text
    tracked = items[0]
    assert tracked["builder"] == "kiln"
    assert tracked["compose_url"] == done["toplevel_url"]
    assert tracked["parents"] == [parent] and tracked["respin_of"] == earlier
    assert tracked["compose_info"]["payload"]["release"]["short"] == "odcs-%d" % compose["id"]
    assert call(stack, "GET", "composes/" + parent).json()["children"] == [pungi_id]
    assert call(stack, "GET", "composes/" + earlier).json()["respun_by"] == [pungi_id]
    # The done transition and the registration went out together.
    topics = stack.psql("SELECT topic_suffix FROM outbox "
                        "WHERE body->'compose'->'compose_info'->'payload'->'compose'->>'id' = '%s'" % pungi_id)
    assert topics == [["cts.compose-created"]]
