"""The measuring client of scripts/bench-tracking: one keep-alive connection, one request at a time, latency of
each request from send to last byte; prints p50, p99 and the ratio to the baseline (GET one compose)."""
import datetime
import http.client
import json
import random
import sys
import time
import urllib.parse

url, composes, requests = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
parsed = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
rng = random.Random(20261122)


def get(path):
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise SystemExit("GET %s answered %d: %s" % (path, r.status, body[:300]))
    return body


def measure(name, paths, n, check=None):
    for p in paths(5):  # warm up
        get(p)
    times = []
    for p in paths(n):
        t = time.perf_counter()
        body = get(p)
        times.append(time.perf_counter() - t)
        if check:
            check(json.loads(body))
    times.sort()
    p50 = times[len(times) // 2] * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    return name, p50, p99


def compose_id(i):
    day = (datetime.date(2020, 1, 1) + datetime.timedelta(days=i // 100)).strftime("%Y%m%d")
    return "Bench-1-%s.n.%d" % (day, i % 100)


def pick(make):
    return lambda n: [make() for _ in range(n)]


def some(expected_min):
    def check(body):
        if body["meta"]["total"] < expected_min or not body["items"]:
            raise SystemExit("too few results: %r" % body["meta"])
    return check


base = "/cts/api/1/composes/"
rare_nvr = lambda: base + "?rpm_nvr=pkg%d-1.%d-1.fc40" % (rng.randrange(20000), rng.randrange(10))
hot_nvr = lambda: base + "?rpm_nvr=bash-5.2.%d-1.fc40" % rng.randrange(10)
diff = base + "Bench-diff-1-20990101.n.0/diff/Bench-diff-1-20990101.n.1"


def diff_check(body):
    s = body["summary"]
    want = {"added": 250, "removed": 250, "upgraded": 1000, "downgraded": 200, "unchanged": 3550}
    if s != want:
        raise SystemExit("diff summary %r, expected %r" % (s, want))


results = [
    measure("GET one compose (baseline)", pick(lambda: base + compose_id(rng.randrange(1, composes + 1))), requests),
    measure("list ?tag=nightly (25% of composes)", pick(lambda: base + "?tag=nightly"), requests, some(composes // 4)),
    measure("list ?tag=milestone (0.1%)", pick(lambda: base + "?tag=milestone"), requests, some(1)),
    measure("list ?rpm_nvr= (build in ~25 composes)", pick(rare_nvr), requests, some(1)),
    measure("list ?rpm_nvr= (build in 10% of composes)", pick(hot_nvr), requests, some(composes // 20)),
    measure("list ?rpm_name= (package in ~300 composes)", pick(lambda: base + "?rpm_name=pkg%d" % rng.randrange(20000)), requests, some(1)),
    measure("diff of two 5,000-package composes", pick(lambda: diff), max(20, requests // 5), diff_check),
    measure("rpms/ of a 5,000-package compose, page 40 of 50", pick(lambda: base + "Bench-diff-1-20990101.n.0/rpms/?per_page=100&page=40"),
            requests),
]
baseline = results[0][1]
print("%-48s %10s %10s %14s" % ("request", "p50 ms", "p99 ms", "p50 / baseline"))
for name, p50, p99 in results:
    print("%-48s %10.2f %10.2f %13.1fx" % (name, p50, p99, p50 / baseline))
goals = {"list": 50.0, "diff": 200.0}
for name, p50, p99 in results[1:7]:
    goal = goals["diff"] if name.startswith("diff") else goals["list"]
    print("%-48s p99 %.1f ms: %s (goal < %.0f ms)" % (name, p99, "met" if p99 < goal else "MISSED", goal))
