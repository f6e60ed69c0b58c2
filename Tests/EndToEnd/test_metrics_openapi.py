"""/api/1/metrics/, /api/1/openapi.json and /cts/api/1/openapi.json."""
import os
import re
import subprocess
import sys

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
