"""The reports under /api/1/reports/ through httpd: rows seeded through the APIs (and moved to a chosen day with SQL,
since the service stamps everything with the time it happens), then the exact figures each report gives for them.

Each test works on days no other test touches (a random day years back, or for volume readings a random day of
the past year), so the figures are exact whatever else the suite does.
"""
import datetime
import json
import random
import subprocess

import pytest

from conftest import STATES, unique
from test_cts import builder_token, call, compose_info, import_compose, short_name
from test_cts_rpms import rpms_document


def report(stack, name, **params):
    r = stack.get("reports/" + name, params=params)
    assert r.status_code == 200, (name, params, r.status_code, r.text)
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert body["report"] == name
    return body


def datasets(body):
    """{key: data}, checking each dataset has one value per label."""
    out = {}
    for d in body["datasets"]:
        assert len(d["data"]) == len(body["labels"]), d
        out[d["key"]] = d["data"]
    return out


def percentile(values, fraction):
    """PostgreSQL's percentile_cont: linear interpolation between the nearest ranks."""
    s = sorted(values)
    position = fraction * (len(s) - 1)
    lower = int(position)
    upper = min(lower + 1, len(s) - 1)
    return s[lower] + (s[upper] - s[lower]) * (position - lower)


def old_day():
    """A day between 1990 and 2009 no other test uses (reports and composes of the suite are of today)."""
    return datetime.date(1990, 1, 1) + datetime.timedelta(days=random.randrange(0, 20 * 365))


def iso(day):
    return day.isoformat()


def ts(day, seconds):
    """SQL for the timestamp `seconds` after the start of `day`."""
    return "TIMESTAMP '%s 00:00:00' + make_interval(secs => %d)" % (iso(day), seconds)


def make_composes(stack, count, **extra):
    user = unique("e2e-reports")
    token = stack.token(user)
    return [stack.create_compose(token, **extra)["id"] for _ in range(count)]


def test_composes_per_day_counts_by_state_and_source_type_with_empty_days_at_zero(stack):
    day = old_day()
    tags = make_composes(stack, 3)
    repos = make_composes(stack, 1, source=stack.env["KILN_SAMPLE_REPO"], type_="repo")
    ids = tags + repos
    # Moved to the day and to final states in one statement, before any generator could take them further.
    final = {tags[0]: "done", tags[1]: "done", tags[2]: "failed", repos[0]: "removed"}
    cases = " ".join("WHEN %d THEN %d" % (i, STATES[s]) for i, s in final.items())
    stack.psql("UPDATE composes SET state = CASE id %s END, time_submitted = %s WHERE id IN (%s)" % (
        cases, ts(day, 3600), ",".join(map(str, ids))))
    body = report(stack, "composes-per-day", **{"from": iso(day - datetime.timedelta(days=1)),
                                                 "to": iso(day + datetime.timedelta(days=1))})
    assert body["labels"] == [iso(day - datetime.timedelta(days=1)), iso(day), iso(day + datetime.timedelta(days=1))]
    assert body["chart_type"] == "bar" and "product" not in body
    data = datasets(body)
    assert data["state:done"] == [0, 2, 0]
    assert data["state:failed"] == [0, 1, 0]
    assert data["state:removed"] == [0, 1, 0]
    assert data["state:wait"] == [0, 0, 0] and data["state:generating"] == [0, 0, 0]
    assert data["source_type:tag"] == [0, 3, 0]
    assert data["source_type:repo"] == [0, 1, 0]
    for t in ("module", "pulp", "raw_config", "build", "pungi_compose"):
        assert data["source_type:%s" % t] == [0, 0, 0], t
    stacks = {d["key"]: d.get("stack") for d in body["datasets"]}
    assert stacks["state:done"] == "state" and stacks["source_type:tag"] == "source_type"
    # A state change moves the count; a compose moved to another day leaves this one.
    stack.psql("UPDATE composes SET state = %d WHERE id = %d" % (STATES["removed"], tags[0]))
    stack.psql("UPDATE composes SET time_submitted = %s WHERE id = %d" % (
        ts(day + datetime.timedelta(days=1), 60), tags[1]))
    period = {"from": iso(day), "to": iso(day + datetime.timedelta(days=1))}
    data = datasets(report(stack, "composes-per-day", **period))
    assert data["state:done"] == [0, 1]
    assert data["state:removed"] == [2, 0]
    assert data["source_type:tag"] == [2, 1]


def test_time_to_done_takes_median_and_95th_percentile_of_each_day(stack):
    day = old_day()
    ids = make_composes(stack, 5)
    seconds = {ids[0]: 10, ids[1]: 20, ids[2]: 60}     # done that day (the third removed since)
    stack.psql(
        "UPDATE composes SET time_submitted = %s, state = CASE WHEN id = %d THEN %d ELSE %d END, "
        "time_done = CASE %s END WHERE id IN (%s)" % (
            ts(day, 100), ids[2], STATES["removed"], STATES["done"],
            " ".join("WHEN id = %d THEN %s" % (i, ts(day, 100 + s)) for i, s in seconds.items()),
            ",".join(map(str, ids[:3]))))
    # Submitted the day before, done on the next day after 3 h; and one failed (never done) that day.
    stack.psql("UPDATE composes SET state = %d, time_submitted = %s, time_done = %s WHERE id = %d" % (
        STATES["done"], ts(day, 80000), ts(day + datetime.timedelta(days=1), 80000 + 10800 - 86400), ids[3]))
    stack.psql("UPDATE composes SET state = %d, time_submitted = %s WHERE id = %d" % (
        STATES["failed"], ts(day, 50), ids[4]))
    body = report(stack, "time-to-done", **{"from": iso(day), "to": iso(day + datetime.timedelta(days=2))})
    data = datasets(body)
    values = sorted(seconds.values())
    assert data["count"] == [3, 1, 0]
    assert data["median_seconds"] == [percentile(values, 0.5), 10800.0, None]
    assert data["p95_seconds"] == [percentile(values, 0.95), 10800.0, None]
    assert data["median_seconds"][0] == 20.0
    assert data["p95_seconds"][0] == pytest.approx(56.0, abs=1e-9)
    assert set(data) == {"median_seconds", "p95_seconds", "count"}


def generate_once(stack):
    out = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once"], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr


def test_generation_time_per_day_from_each_recorded_generation(stack, releng):
    day = old_day()
    (owner,) = make_composes(stack, 1)
    stack.psql("UPDATE composes SET state = %d WHERE id = %d" % (STATES["done"], owner))
    rows = [(5, 2), (7, 2), (11, 2), (30.5, 2), (3, 4), (9, 4)]
    stack.psql("INSERT INTO generation_times (compose_id, finished_at, state, seconds) VALUES %s" % ", ".join(
        "(%d, %s, %d, %s)" % (owner, ts(day, 600 + n), state, seconds) for n, (seconds, state) in enumerate(rows)))
    body = report(stack, "generation-time", **{"from": iso(day - datetime.timedelta(days=1)), "to": iso(day)})
    data = datasets(body)
    done = [s for s, state in rows if state == 2]
    assert data["count"] == [0, 4]
    assert data["failed"] == [0, 2]
    assert data["median_seconds"] == [None, 9.0]
    assert data["p95_seconds"] == [None, percentile(done, 0.95)]
    assert data["p95_seconds"][1] == pytest.approx(27.575, abs=1e-9)

    # A compose the generator really builds records its generation, today.
    generate_once(stack)    # composes other tests left waiting first
    sample = stack.env["KILN_SAMPLE_REPO"]
    r = stack.post_compose({"source": {"type": "repo", "source": sample, "packages": ["kiln-hello"]},
                            "flags": ["no_reuse"]}, releng[1])
    assert r.status_code == 200, r.text
    cid = r.json()["id"]
    today = stack.scalar("SELECT (now() AT TIME ZONE 'utc')::date")
    before = datasets(report(stack, "generation-time", **{"from": today, "to": today}))["count"][0]
    generate_once(stack)
    assert stack.get("composes/%d" % cid).json()["state_name"] == "done"
    recorded = stack.psql("SELECT state, seconds FROM generation_times WHERE compose_id = %d" % cid)
    assert len(recorded) == 1 and recorded[0][0] == "2" and float(recorded[0][1]) >= 0, recorded
    after = report(stack, "generation-time", **{"from": today, "to": today})
    if after["labels"] == [today]:
        assert datasets(after)["count"][0] >= before + 1


def expire(stack):
    out = subprocess.run([stack.bin, "expire", "--config", stack.config], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr + out.stdout


def test_volume_shows_each_days_last_reading_and_kiln_expire_records_and_prunes_them(stack):
    today = datetime.date.fromisoformat(stack.scalar("SELECT (now() AT TIME ZONE 'utc')::date"))
    day = today - datetime.timedelta(days=random.randrange(30, 330))
    stack.psql(
        "INSERT INTO volume_readings (taken_at, free_bytes, total_bytes, compose_bytes) VALUES "
        "(%s, 700, 1000, 200), (%s, 650, 1000, 250), (%s, 600, 1000, 300)" % (
            ts(day, 60), ts(day, 86000), ts(day, 3600)))
    body = report(stack, "volume", **{"from": iso(day), "to": iso(day + datetime.timedelta(days=1))})
    data = datasets(body)
    assert data == {"free_bytes": [650, None], "compose_bytes": [250, None], "total_bytes": [1000, None]}

    # One reading per run of kiln expire, with the volume's figures; readings past 400 days are deleted.
    old = stack.scalar("INSERT INTO volume_readings (taken_at, free_bytes, total_bytes, compose_bytes) VALUES "
                       "(now() AT TIME ZONE 'utc' - interval '401 days', 1, 2, 1) RETURNING id")
    kept = stack.scalar("INSERT INTO volume_readings (taken_at, free_bytes, total_bytes, compose_bytes) VALUES "
                        "(now() AT TIME ZONE 'utc' - interval '399 days', 1, 2, 1) RETURNING id")
    last = int(stack.scalar("SELECT coalesce(max(id), 0) FROM volume_readings"))
    expire(stack)
    new = stack.psql("SELECT free_bytes, total_bytes, compose_bytes, taken_at::date FROM volume_readings "
                     "WHERE id > %d ORDER BY id" % last)
    assert len(new) >= 1, "kiln expire recorded no reading"
    free, total, composes, taken = (int(new[-1][0]), int(new[-1][1]), int(new[-1][2]), new[-1][3])
    assert 0 < free <= total and composes >= 0
    assert stack.scalar("SELECT count(*) FROM volume_readings WHERE id = %s" % old) == "0"
    assert stack.scalar("SELECT count(*) FROM volume_readings WHERE id = %s" % kept) == "1"
    stack.psql("DELETE FROM volume_readings WHERE id = %s" % kept)
    data = datasets(report(stack, "volume", **{"from": taken, "to": taken}))
    latest = stack.psql("SELECT free_bytes, total_bytes, compose_bytes FROM volume_readings "
                        "WHERE taken_at::date = DATE '%s' ORDER BY taken_at DESC, id DESC LIMIT 1" % taken)[0]
    assert [data["free_bytes"][0], data["total_bytes"][0], data["compose_bytes"][0]] == [int(v) for v in latest]


def merged_rpms(info, per_variant):
    """One rpms.json with each variant's packages."""
    doc = None
    for variant, packages in per_variant.items():
        part = rpms_document(info, packages, variant=variant, arches=("x86_64", "aarch64"))
        if doc is None:
            doc = part
        else:
            doc["payload"]["rpms"].update(part["payload"]["rpms"])
    return doc


def pkgs(prefix, n, arch="x86_64"):
    return [("%s%d" % (prefix, i), 0, "1.0", "1", arch) for i in range(n)]


def test_product_size_gives_each_variants_packages_of_the_last_compose_of_each_day(stack):
    token = builder_token(stack)
    short = short_name("Rp")
    day = old_day()
    date = day.strftime("%Y%m%d")
    next_date = (day + datetime.timedelta(days=2)).strftime("%Y%m%d")
    period = {"from": iso(day), "to": iso(day + datetime.timedelta(days=2))}

    def imported(version, date, respin, per_variant):
        info = compose_info(short, version=version, date=date, respin=respin, variants=tuple(per_variant))
        answer = import_compose(stack, token, info, rpms=merged_rpms(info, per_variant))
        return answer["payload"]["compose"]["id"]

    # Respin 0 and 1 on one day: respin 1 is the day's. noarch packages count once whatever arches list them.
    imported("10", date, 0, {"Server": pkgs("a", 2), "Workstation": pkgs("b", 1)})
    day_one = imported("10", date, 1, {"Server": pkgs("a", 3) + pkgs("a", 3, "aarch64") + pkgs("n", 2, "noarch"),
                                       "Workstation": pkgs("b", 4)})
    day_three = imported("10", next_date, 0, {"Workstation": pkgs("b", 6)})
    other = imported("9", next_date, 0, {"Server": pkgs("c", 1)})
    # The compose Kiln generated for day three holds 4096 bytes on the compose volume.
    (odcs,) = make_composes(stack, 1)
    stack.psql("UPDATE composes SET state = 2, size_bytes = 4096 WHERE id = %d" % odcs)
    stack.psql("UPDATE cts_composes SET odcs_compose_id = %d WHERE compose_id = '%s'" % (odcs, day_three))

    body = report(stack, "product-size", product=short, **period)
    assert body["product"] == short
    by_key = {d["key"]: d for d in body["datasets"]}
    assert list(by_key) == ["packages:9:Server", "packages:10:Server", "packages:10:Workstation", "bytes:10"]
    # Server of day one: a0..a2 for two arches (6 NEVRAs) and two noarch packages listed under both arches.
    assert by_key["packages:10:Server"]["data"] == [8, None, None]
    assert by_key["packages:10:Workstation"]["data"] == [4, None, 6]
    assert by_key["packages:10:Workstation"]["compose_ids"] == [day_one, None, day_three]
    assert by_key["packages:9:Server"]["data"] == [None, None, 1]
    assert by_key["packages:9:Server"]["compose_ids"] == [None, None, other]
    assert by_key["bytes:10"]["data"] == [None, None, 4096]
    assert by_key["bytes:10"]["unit"] == "bytes" and by_key["packages:9:Server"]["unit"] == "packages"
    assert by_key["packages:10:Workstation"]["label"] == "Workstation 10 packages"

    # Replacing a compose's list replaces its counts.
    info = compose_info(short, version="9", date=next_date, respin=0, variants=("Server",))
    r = call(stack, "PUT", "composes/%s/rpms/" % other, token, merged_rpms(info, {"Server": pkgs("c", 5)}))
    assert r.status_code == 200, r.text
    body = report(stack, "product-size", product=short, **period)
    assert {d["key"]: d["data"] for d in body["datasets"]}["packages:9:Server"] == [None, None, 5]
    # A product without composes in the period has no datasets, only its days.
    empty = report(stack, "product-size", product=short_name("Rq"), **{"from": iso(day), "to": iso(day)})
    assert empty["datasets"] == [] and empty["labels"] == [iso(day)]


@pytest.mark.parametrize("name,params,message", [
    ("volume", {"bogus": "1"}, 'Unknown query argument "bogus" (this endpoint takes from, to).'),
    ("composes-per-day", {"product": "Fedora"}, 'Unknown query argument "product" (this endpoint takes from, to).'),
    ("time-to-done", {"from": "2026-02-30"},
     'Invalid value for "from": 2026-02-30. It must be a date, YYYY-MM-DD, from 1970-01-01 to 9999-12-30.'),
    ("generation-time", {"from": "2026-05-02", "to": "2026-05-01"},
     '"from" (2026-05-02) must not be after "to" (2026-05-01).'),
    ("volume", {"from": "2024-01-01", "to": "2025-01-01"},
     "The period from 2024-01-01 to 2025-01-01 is 367 days long; a report covers at most 366 days."),
    ("product-size", {}, 'The product-size report needs "product": a release short name.'),
    ("product-size", {"product": "x" * 201}, 'Invalid value for "product": longer than 200 characters.'),
])
def test_bad_arguments_answer_400_and_change_nothing(stack, unchanged, name, params, message):
    r = stack.get("reports/" + name, params=params)
    assert r.status_code == 400, r.text
    assert r.json() == {"status": 400, "error": "Bad Request", "message": message}


def test_a_repeated_argument_is_refused_and_the_default_period_is_the_last_30_days(stack):
    r = stack.get("reports/volume?from=2026-01-01&from=2026-01-02")
    assert r.status_code == 400 and r.json()["message"] == 'Query argument "from" is given more than once.'
    body = report(stack, "time-to-done")
    today = stack.scalar("SELECT (now() AT TIME ZONE 'utc')::date")
    assert body["to"] == today and len(body["labels"]) == 30 and body["labels"][-1] == today
    assert body["from"] == body["labels"][0]
    r = stack.http.head(stack.api("reports/composes-per-day"), timeout=30)
    assert r.status_code == 200
    assert stack.get("reports/nothing").status_code == 404
    r = stack.request("POST", "reports/volume", token=stack.token(unique("e2e-reports")), data=json.dumps({}))
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"
