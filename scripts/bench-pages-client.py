"""The measuring client of scripts/bench-pages: every page URL over one keep-alive connection, one request at a time,
latency from send to last byte. Each page is measured in several runs of N requests; a run's p50 and p99 are taken
and the median over the runs is printed, with the ratio of the p50 to the baseline (GET one compose as JSON) and the
goal. A run also ends when it has taken `budget` seconds (after at least MIN_REQUESTS requests), so a slow page
costs minutes, not hours; the requests a page's figures rest on are printed when fewer than asked for. A page that
answers 404 is not there yet: printed as missing. Any other answer but 200 fails the script."""
import datetime
import http.client
import random
import statistics
import sys
import time
import urllib.parse

url, composes, tracked, requests, runs, budget = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), \
    int(sys.argv[5]), float(sys.argv[6])
GOAL_MS = 50.0
MIN_REQUESTS = 5
PER_PAGE = 20
parsed = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
rng = random.Random(20261203)


class Answer(Exception):
    def __init__(self, path, status, body):
        super().__init__("GET %s answered %d: %s" % (path, status, body[:300]))
        self.status = status


def get(path):
    conn.request("GET", path, headers={"Accept": "text/html"})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise Answer(path, r.status, body.decode("utf-8", "replace"))
    return body


def percentile(times, q):
    return times[min(len(times) - 1, int(len(times) * q))] * 1000


def measure(paths):
    """(p50, p99) in ms, each the median over `runs` runs, and the fewest requests a run made; raises Answer on a
    non-200."""
    for p in paths(MIN_REQUESTS):  # warm up the connection, the responder thread and the database's caches
        get(p)
    p50s, p99s, counts = [], [], []
    for _ in range(runs):
        times = []
        started = time.perf_counter()
        for p in paths(requests):
            t = time.perf_counter()
            get(p)
            times.append(time.perf_counter() - t)
            if len(times) >= MIN_REQUESTS and time.perf_counter() - started > budget:
                break
        times.sort()
        p50s.append(percentile(times, 0.5))
        p99s.append(percentile(times, 0.99))
        counts.append(len(times))
    return statistics.median(p50s), statistics.median(p99s), min(counts)


def tracked_id(i):
    """The compose id of the i-th tracked compose scripts/bench-tracking.sql loads."""
    day = (datetime.date(2020, 1, 1) + datetime.timedelta(days=i // 100)).strftime("%Y%m%d")
    return "Bench-1-%s.n.%d" % (day, i % 100)


def fixed(path):
    return lambda n: [path] * n


def pick(make):
    return lambda n: [make() for _ in range(n)]


# Deep pages: a random page in the second half of the list.
odcs_pages = max(1, composes // PER_PAGE)
cts_pages = max(1, tracked // PER_PAGE)
deep_odcs = lambda: "/odcs/composes/?per_page=%d&page=%d" % (PER_PAGE, rng.randrange(odcs_pages // 2, odcs_pages) + 1)
deep_cts = lambda: "/cts/composes/?per_page=%d&page=%d" % (PER_PAGE, rng.randrange(cts_pages // 2, cts_pages) + 1)
diff_a, diff_b = "Bench-diff-1-20990101.n.0", "Bench-diff-1-20990101.n.1"
# The tracked composes' dates run from 2020-01-01 for tracked / 100 days; the reports cover their last year.
last_day = datetime.date(2020, 1, 1) + datetime.timedelta(days=tracked // 100)
year = "from=%s&to=%s" % (last_day - datetime.timedelta(days=365), last_day)
today = datetime.datetime.now(datetime.timezone.utc).date()
month = "from=%s&to=%s" % (today - datetime.timedelta(days=30), today)

pages = [
    ("dashboard /", fixed("/")),
    ("compose list", fixed("/odcs/composes/")),
    ("compose list ?state=done&source_type=tag", fixed("/odcs/composes/?state=done&source_type=tag")),
    ("compose list ?owner=carol&order_by=-time_done", fixed("/odcs/composes/?owner=carol&order_by=-time_done")),
    ("compose list, a deep page", pick(deep_odcs)),
    ("compose detail", pick(lambda: "/odcs/composes/%d" % rng.randrange(1, composes + 1))),
    ("tracked list", fixed("/cts/composes/")),
    ("tracked list ?tag=nightly", fixed("/cts/composes/?tag=nightly")),
    ("tracked list ?rpm_name=", pick(lambda: "/cts/composes/?rpm_name=pkg%d" % rng.randrange(20000))),
    ("tracked list, a deep page", pick(deep_cts)),
    ("tracked detail", pick(lambda: "/cts/composes/" + tracked_id(rng.randrange(1, tracked + 1)))),
    ("tracked detail, 5,000 packages", fixed("/cts/composes/" + diff_a)),
    ("tags", fixed("/cts/tags/")),
    ("tag nightly", fixed("/cts/tags/nightly")),
    ("diff form", fixed("/diff/")),
    ("diff of two 5,000-package composes", fixed("/diff/?from=%s&to=%s" % (diff_a, diff_b))),
    ("reports", fixed("/reports/")),
    ("report composes-per-day", fixed("/reports/composes-per-day?" + month)),
    ("report generation-time", fixed("/reports/generation-time?" + month)),
    ("report volume", fixed("/reports/volume?" + month)),
    ("report time-to-done", fixed("/reports/time-to-done?" + month)),
    ("report product-size ?product=Bench", fixed("/reports/product-size?product=Bench&" + year)),
    ("API docs", fixed("/docs/api/")),
    ("tracking API docs", fixed("/docs/cts-api/")),
]

baseline, _, _ = measure(pick(lambda: "/api/1/composes/%d" % rng.randrange(1, composes + 1)))
print("%-46s %9s %9s %8s  %s" % ("page", "p50 ms", "p99 ms", "p50/base", "goal p99 < %.0f ms" % GOAL_MS))
print("%-46s %9.2f %9s %7.1fx" % ("(baseline: GET /api/1/composes/{id}, JSON)", baseline, "", 1.0))
met = missed = missing = failed = 0
for name, paths in pages:
    try:
        p50, p99, count = measure(paths)
    except Answer as e:
        if e.status == 404:
            print("%-46s %9s %9s %8s  missing (404)" % (name, "-", "-", "-"))
            missing += 1
        else:
            print("%-46s %9s %9s %8s  FAILED: %s" % (name, "-", "-", "-", e))
            failed += 1
        # The connection may be closed after an error answer.
        conn.close()
        continue
    ok = p99 < GOAL_MS
    met, missed = met + ok, missed + (not ok)
    few = "" if count >= requests else " (%d requests a run: the %g s budget)" % (count, budget)
    print("%-46s %9.2f %9.2f %7.1fx  %s%s" % (name, p50, p99, p50 / baseline, "met" if ok else "NOT MET", few))
    sys.stdout.flush()
print("%d pages measured: %d met the goal, %d did not; %d missing; %d failed" % (met + missed, met, missed, missing,
                                                                                 failed))
sys.exit(1 if failed else 0)
