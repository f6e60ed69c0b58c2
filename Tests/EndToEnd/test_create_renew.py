"""POST defaults and expiry rules, PATCH copy/extend rules, and the outbox message a change writes."""
import calendar
import json
import time

from conftest import unique, unique_label

COMPOSE_KEYS = {
    "id", "owner", "source_type", "source", "state", "state_name", "state_reason", "time_to_expire", "time_submitted",
    "time_started", "time_done", "time_removed", "removed_by", "result_repo", "result_repofile", "toplevel_url", "flags",
    "results", "sigkeys", "koji_event", "koji_task_id", "packages", "builds", "arches", "multilib_arches",
    "multilib_method", "lookaside_repos", "modular_koji_tags", "module_defaults_url", "label", "compose_type",
    "pungi_compose_id", "target_dir", "scratch_modules", "parent_pungi_compose_ids", "scratch_build_tasks", "modules",
    "respin_of", "base_module_br_name", "base_module_br_stream", "base_module_br_stream_version_lte",
    "base_module_br_stream_version_gte",
}


def ts(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def ttl(compose):
    return ts(compose["time_to_expire"]) - ts(compose["time_submitted"])


def test_post_defaults(stack, releng):
    user, token = releng
    c = stack.create_compose(token)
    assert set(c) == COMPOSE_KEYS
    cid = c["id"]
    with open(stack.config, encoding="utf-8") as f:
        target_url = json.load(f)["target_dir_url"].rstrip("/")
    assert c["toplevel_url"] == "%s/odcs-%d" % (target_url, cid)
    assert c["result_repo"] == "%s/odcs-%d/compose/Temporary" % (target_url, cid)
    assert c["result_repofile"] == "%s/odcs-%d/compose/Temporary/odcs-%d.repo" % (target_url, cid, cid)
    expected = {
        "owner": user, "source_type": 1, "source": "f40-build", "state": 0, "state_name": "wait", "state_reason": None,
        "time_started": None, "time_done": None, "time_removed": None, "removed_by": None, "flags": [],
        "results": ["repository"], "sigkeys": "", "koji_event": None, "koji_task_id": None, "packages": None,
        "builds": None, "arches": "x86_64", "multilib_arches": "", "multilib_method": 0, "lookaside_repos": "",
        "modular_koji_tags": None, "module_defaults_url": None, "label": None, "compose_type": "test",
        "pungi_compose_id": None, "target_dir": "default", "scratch_modules": None, "parent_pungi_compose_ids": None,
        "scratch_build_tasks": None, "modules": None, "respin_of": None, "base_module_br_name": None,
        "base_module_br_stream": None, "base_module_br_stream_version_lte": None,
        "base_module_br_stream_version_gte": None,
    }
    assert {k: c[k] for k in expected} == expected
    assert ttl(c) == 86400
    assert abs(ts(c["time_submitted"]) - time.time()) <= 5


def test_seconds_to_live_rules(stack, releng):
    user, token = releng
    assert ttl(stack.create_compose(token, seconds_to_live=999999999)) == 259200  # clamped to the maximum
    assert ttl(stack.create_compose(token, **{"seconds-to-live": "600"})) == 600  # legacy key, string accepted
    # A lifetime that ends before the compose starts is refused (ODCS stored it).
    r = stack.post_compose({"source": {"type": "tag", "source": "f40"}, "seconds_to_live": -100}, token)
    assert r.status_code == 400
    assert r.json()["message"] == "seconds_to_live must be a positive number of seconds, not -100."
    assert ttl(stack.create_compose(token, seconds_to_live=0)) == 86400  # falsy: the default
    r = stack.post_compose({"source": {"type": "tag", "source": "f40"}, "seconds-to-live": "abc"}, token)
    assert r.status_code == 400
    assert r.json()["message"].startswith("Invalid seconds_to_live specified in request: ")


def test_source_is_deduplicated_and_fields_kept(stack, releng):
    user, token = releng
    c = stack.create_compose(token, source="a b a b")
    assert sorted(c["source"].split(" ")) == ["a", "b"]
    body = {"source": {"type": "tag", "source": "f40-build", "scratch_build_tasks": ["41", "42"], "koji_event": 7},
            "multilib_arches": ["i686"], "multilib_method": ["runtime", "devel"],
            "lookaside_repos": ["http://127.0.0.1/a"], "parent_pungi_compose_ids": ["Fedora-40-1"]}
    r = stack.post_compose(body, token)
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["source_type"] == 1 and m["scratch_build_tasks"] == "41 42" and m["koji_event"] == 7
    assert m["multilib_arches"] == "i686" and m["multilib_method"] == 3
    assert m["lookaside_repos"] == "http://127.0.0.1/a"  # an allowed_remote_urls host
    assert m["parent_pungi_compose_ids"] == "Fedora-40-1"


def test_patch_label_change_makes_a_copy(stack, releng):
    user, token = releng
    label = unique_label()
    c = stack.create_compose(token, label=label)
    stack.set_state(c["id"], "done", "Compose is generated successfully")
    pungi_id = stack.scalar("SELECT pungi_compose_id FROM composes WHERE id = %d" % c["id"])
    new_label = unique_label()
    r = stack.request("PATCH", "composes/%d" % c["id"], token=token, data=json.dumps({"label": new_label}))
    assert r.status_code == 200, r.text
    copy = r.json()
    assert copy["id"] != c["id"] and copy["state_name"] == "wait"
    assert copy["label"] == new_label and copy["respin_of"] == pungi_id
    r = stack.request("PATCH", "composes/%d" % c["id"], token=token, data=json.dumps({"sigkeys": ["abcd1234"]}))
    assert r.status_code == 200
    assert r.json()["sigkeys"] == "abcd1234" and r.json()["label"] == label and r.json()["id"] not in (c["id"], copy["id"])
    # A failed compose is always copied, even without changes.
    stack.set_state(copy["id"], "failed", "Error while generating compose: boom")
    r = stack.request("PATCH", "composes/%d" % copy["id"], token=token)
    assert r.status_code == 200
    assert r.json()["id"] > copy["id"] and r.json()["state_name"] == "wait" and r.json()["respin_of"] is None
    assert stack.compose_row(c["id"])["state"] == 2 and stack.compose_row(copy["id"])["state"] == 4


def test_patch_extend_reaches_reused_and_reusing_composes(stack, releng):
    user, token = releng
    a, b, c = (stack.create_compose(token)["id"] for _ in range(3))
    # b reuses a's files; c reuses b's.
    stack.psql("UPDATE composes SET reused_id = %d WHERE id = %d" % (a, b))
    stack.psql("UPDATE composes SET reused_id = %d WHERE id = %d" % (b, c))
    for cid in (a, b, c):
        stack.set_state(cid, "done")
    stack.psql("UPDATE composes SET time_to_expire = date_trunc('second', now() AT TIME ZONE 'utc') + interval '60 seconds' "
               "WHERE id IN (%d, %d, %d)" % (a, b, c))
    shown = stack.get("composes/%d" % b).json()
    assert shown["toplevel_url"].endswith("/odcs-%d" % a)  # a reusing compose shows the other's files
    r = stack.request("PATCH", "composes/%d" % b, token=token, data=json.dumps({"seconds_to_live": 3600}))
    assert r.status_code == 200, r.text
    assert r.json()["id"] == b
    expires = {cid: ts(stack.compose_row(cid)["time_to_expire"]) for cid in (a, b, c)}
    now = time.time()
    for cid in (a, b, c):
        assert abs(expires[cid] - (now + 3600)) <= 5, (cid, expires)


def test_post_writes_a_state_changed_message(stack, releng):
    user, token = releng
    c = stack.create_compose(token)
    rows = stack.psql("SELECT topic_suffix, body::text FROM outbox WHERE body->'compose'->>'id' = '%d' ORDER BY id"
                      % c["id"])
    assert len(rows) == 1, rows
    topic, body = rows[0]
    assert topic == "odcs.compose.state-changed"
    message = json.loads(body)
    assert message["event"] == "state-changed"
    assert message["compose"] == c
    # Cancelling writes the next one.
    r = stack.request("DELETE", "composes/%d" % c["id"], token=token)
    assert r.status_code == 202
    rows = stack.psql("SELECT body::text FROM outbox WHERE body->'compose'->>'id' = '%d' ORDER BY id" % c["id"])
    assert len(rows) == 2
    last = json.loads(rows[-1][0])["compose"]
    assert last["state_name"] == "failed" and last["state_reason"] == "Canceled by %s" % user
