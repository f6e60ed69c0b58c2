"""/api/1/metrics/, /api/1/openapi.json and /cts/api/1/openapi.json."""
import os
import re
import shutil
import subprocess
import sys

import pytest
import requests

from conftest import unique

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def metric_value(text, name, labels):
    """The value of one sample, or None when absent."""
    pattern = re.compile(r"^%s\{%s\} (\S+)$" % (re.escape(name), re.escape(labels)), re.M)
    found = pattern.findall(text)
    assert len(found) <= 1, (name, labels, found)
    return float(found[0]) if found else None


def get_metrics(stack):
    r = stack.get("metrics/")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain"), r.headers
    return r.text


def test_metrics_count_composes_live(stack):
    labels = 'source_type="tag",state="wait"'
    before = get_metrics(stack)
    wait_before = metric_value(before, "composes_total", labels)
    assert wait_before is not None, before[:2000]
    assert "# TYPE composes_total gauge" in before
    # The value is the real count.
    assert wait_before == int(stack.scalar("SELECT count(*) FROM composes WHERE source_type = 1 AND state = 0"))

    user = unique("e2e-metrics")
    compose = stack.create_compose(stack.token(user))
    after = get_metrics(stack)
    assert metric_value(after, "composes_total", labels) == wait_before + 1

    # Moving it to done moves one count from wait to done.
    done_labels = 'source_type="tag",state="done"'
    done_before = metric_value(after, "composes_total", done_labels)
    stack.set_state(compose["id"], "done")
    moved = get_metrics(stack)
    assert metric_value(moved, "composes_total", labels) == wait_before
    assert metric_value(moved, "composes_total", done_labels) == done_before + 1

    # Every (source_type, state) pair by name, as ODCS writes them.
    for t in ("tag", "module", "repo", "pulp", "raw_config", "build", "pungi_compose"):
        for s in ("wait", "generating", "done", "removed", "failed"):
            assert metric_value(moved, "composes_total", 'source_type="%s",state="%s"' % (t, s)) is not None, (t, s)


def test_metrics_count_http_requests(stack):
    text = get_metrics(stack)
    assert "kiln_http_requests_total" in text
    labels = 'method="GET",route="/api/1/metrics/",status="200"'
    first = metric_value(text, "kiln_http_requests_total", labels)
    second = metric_value(get_metrics(stack), "kiln_http_requests_total", labels)
    # Counters are per responder process; the two requests may be answered by the same one.
    assert first is not None and second is not None and second >= first


def promtool_problems(text):
    """What `promtool check metrics` (Debian's prometheus package) says about `text`: (exit status, lines)."""
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is missing: install Debian's prometheus package (scripts/install-deps does)",
                    pytrace=False)
    out = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    return out.returncode, sorted(line for line in (out.stdout + out.stderr).splitlines() if line.strip())


def families(text):
    """{family: {"type", "help", "labels": set of label-name tuples, "samples": [(name, labels dict, value)]}}."""
    out = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^# (HELP|TYPE) (\S+) (.*)$", line)
        if m:
            kind, name, rest = m.groups()
            entry = out.setdefault(name, {"type": None, "help": None, "labels": set(), "samples": []})
            assert entry[kind.lower()] is None, "second %s for %s" % (kind, name)
            entry[kind.lower()] = rest
            current = name
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', line)
        assert m, "not a sample line: %r" % line
        name, labels, value = m.groups()
        pairs = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', labels or ""))
        family = current
        assert name == family or (out[family]["type"] == "histogram" and name in (
            family + "_bucket", family + "_sum", family + "_count")), "sample %s outside its family %s" % (name, family)
        out[family]["labels"].add(tuple(sorted(k for k in pairs if k != "le")))
        out[family]["samples"].append((name, pairs, float(value)))
    return out


def check_histograms(parsed):
    """Every histogram: cumulative buckets ending in +Inf, whose count is _count, per label set."""
    for name, family in parsed.items():
        if family["type"] != "histogram":
            continue
        series = {}
        for sample, labels, value in family["samples"]:
            key = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
            entry = series.setdefault(key, {"buckets": [], "sum": None, "count": None})
            if sample.endswith("_bucket"):
                entry["buckets"].append((labels["le"], value))
            else:
                entry[sample.rsplit("_", 1)[1]] = value
        assert series, "histogram %s has no samples" % name
        for key, entry in series.items():
            bounds = [le for le, _ in entry["buckets"]]
            counts = [v for _, v in entry["buckets"]]
            assert bounds[-1] == "+Inf", (name, key, bounds)
            assert [float(b) for b in bounds[:-1]] == sorted(float(b) for b in bounds[:-1]), (name, key, bounds)
            assert counts == sorted(counts), (name, key, counts)
            assert counts[-1] == entry["count"] and entry["sum"] is not None, (name, key, entry)


def generation_count(text, state):
    return metric_value(text, "kiln_compose_generation_duration_seconds_count", 'state="%s"' % state)


def generate_once(stack):
    out = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once"], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr


def test_both_metrics_endpoints_pass_promtool_and_share_no_name_with_two_meanings(stack, releng):
    user, token = releng
    # Composes other tests left waiting are finished first, so the one below is the only one generated after this.
    generate_once(stack)
    before = get_metrics(stack)
    done_before = generation_count(before, "done")
    assert done_before is not None, before[:3000]
    # Traffic of several kinds, and a compose really generated.
    sample = stack.env["KILN_SAMPLE_REPO"]
    r = stack.post_compose({"source": {"type": "repo", "source": sample, "packages": ["kiln-hello"]},
                            "flags": ["no_reuse"]}, token)
    assert r.status_code == 200, r.text
    cid = r.json()["id"]
    assert stack.get("composes/?per_page=2").status_code == 200
    assert stack.get("composes/%d" % cid).status_code == 200
    assert stack.get("no-such-route").status_code == 404
    assert requests.get(stack.url + "/cts/api/1/composes/", timeout=30).status_code == 200
    generate_once(stack)
    assert stack.get("composes/%d" % cid).json()["state_name"] == "done"

    odcs = get_metrics(stack)
    cts = requests.get(stack.url + "/cts/api/1/metrics/", timeout=30)
    assert cts.status_code == 200 and cts.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    cts = cts.text

    # The only complaint is ODCS's own gauge, kept by name and help for ODCS dashboards.
    status, problems = promtool_problems(odcs)
    assert problems == ['composes_total non-counter metrics should not have "_total" suffix'], problems
    assert status != 0
    status, problems = promtool_problems(cts)
    assert (status, problems) == (0, []), problems
    # promtool does complain about what these endpoints used to serve, so its silence means something.
    _, old = promtool_problems("# HELP kiln_http_request_duration_seconds_sum x\n"
                               "# TYPE kiln_http_request_duration_seconds_sum counter\n"
                               'kiln_http_request_duration_seconds_sum{route="/"} 1.5\n')
    assert len(old) == 2, old

    parsed_odcs, parsed_cts = families(odcs), families(cts)
    for parsed in (parsed_odcs, parsed_cts):
        for name, family in parsed.items():
            assert family["help"] and family["type"] in ("counter", "gauge", "histogram"), (name, family)
            assert family["samples"], "family %s has no samples" % name
            assert (family["type"] == "counter") == name.endswith("_total") or name == "composes_total", name
        check_histograms(parsed)
    assert parsed_odcs["composes_total"]["help"] == "Total number of composes"
    assert parsed_odcs["composes_total"]["type"] == "gauge"
    assert parsed_odcs["composes_total"]["labels"] == {("source_type", "state")}
    assert parsed_odcs["kiln_http_request_duration_seconds"]["type"] == "histogram"
    assert parsed_odcs["kiln_http_request_duration_seconds"]["labels"] == {("method", "route")}
    assert parsed_odcs["kiln_compose_generation_duration_seconds"]["type"] == "histogram"
    assert parsed_odcs["kiln_compose_generation_duration_seconds"]["labels"] == {("state",)}
    assert parsed_cts["kiln_tagged_composes"]["labels"] == {("tag",)}
    # A name on both endpoints means the same thing on both: same type, help and labels.
    for name in set(parsed_odcs) & set(parsed_cts):
        a, b = parsed_odcs[name], parsed_cts[name]
        assert (a["type"], a["help"], a["labels"]) == (b["type"], b["help"], b["labels"]), name
    assert "composes_total" not in parsed_cts

    # The generated compose is in the generation histogram; latency labels are route patterns, never paths.
    assert generation_count(odcs, "done") == done_before + 1
    routes = {labels["route"] for name, labels, _ in parsed_odcs["kiln_http_request_duration_seconds"]["samples"]}
    assert {"/api/1/composes/", "/api/1/composes/:id", "unmatched"} <= routes, routes
    assert not any(str(cid) in route for route in routes), routes


def test_openapi_document_is_valid(stack):
    r = stack.get("openapi.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    script = os.path.join(REPO, "scripts", "check-openapi")
    out = subprocess.run([sys.executable, script, stack.api("openapi.json")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, (out.stdout, out.stderr)


def test_served_documents_are_the_repository_files(stack):
    """Both documents are served byte for byte as they are in the repository, through httpd."""
    resources = os.path.join(REPO, "Sources", "KilnAPI", "Resources")
    for url, name in ((stack.api("openapi.json"), "openapi.json"),
                      (stack.url + "/cts/api/1/openapi.json", "openapi-cts.json")):
        r = requests.get(url, timeout=30)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        assert r.headers["Content-Type"].startswith("application/json"), r.headers
        with open(os.path.join(resources, name), "rb") as f:
            assert r.content == f.read(), url


def test_tracking_document_is_valid_and_holds_the_tracking_operations(stack):
    url = stack.url + "/cts/api/1/openapi.json"
    script = os.path.join(REPO, "scripts", "check-openapi")
    out = subprocess.run([sys.executable, script, url], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, (out.stdout, out.stderr)
    tracking = requests.get(url, timeout=30).json()
    full = stack.get("openapi.json").json()
    shared = {p: item for p, item in full["paths"].items() if p.startswith("/cts/api/1/")}
    assert set(tracking["paths"]) == set(shared) | {"/cts/api/1/openapi.json"}
    for path, item in shared.items():
        assert tracking["paths"][path] == item, path
    assert tracking["paths"]["/cts/api/1/openapi.json"]["get"]["operationId"] == "ctsOpenapi"
