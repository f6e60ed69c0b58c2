"""A bounded property-based run of both APIs against the served OpenAPI document (schemathesis).

Every operation of /api/1/ and /cts/api/1/ gets its documented examples, schemathesis' coverage cases (boundary and
invalid values of each parameter and body field, undocumented methods) and 25 generated cases, deterministically,
as an admin with a dev token. No answer may be a 5xx, and every answer must be documented: its status, its media
type, its headers and its body schema; an undocumented method answers 405 with the documented ones in `Allow`. A failure names the operation and the request that broke the rule (a curl line).
"""
import json
import os
import subprocess
import sys
import time
import urllib.parse

from conftest import unique

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    # Methods the document does not list for a path answer 405 with an `Allow` header naming those it does.
    "unsupported_method",
    "allow_header_conformance",
])

# The documented examples of the path parameters: the examples phase reaches real records through them.
EXAMPLE_COMPOSE = "Fedora-Rawhide-20200517.n.1"
EXAMPLE_TAG = "nightly"


def compose_info(compose_id):
    short, version, rest = compose_id.split("-", 2)
    date, _, respin = rest.split(".", 2)
    return {
        "header": {"type": "productmd.composeinfo", "version": "1.2"},
        "payload": {
            "compose": {"id": compose_id, "date": date, "type": "nightly", "respin": int(respin)},
            "release": {"name": "Fedora", "short": short, "version": version, "type": "ga"},
            "variants": {"Everything": {"id": "Everything", "uid": "Everything", "name": "Everything",
                                        "type": "variant"}},
        },
    }


def rpms_document(compose_id):
    srpm = "kiln-hello-0:1.0-1.src"
    return {
        "header": {"type": "productmd.rpms", "version": "1.2"},
        "payload": {
            "compose": {"id": compose_id, "date": "20200517", "type": "nightly", "respin": 1},
            "rpms": {"Everything": {"x86_64": {srpm: {
                "kiln-hello-0:1.0-1.x86_64": {"path": "Everything/x86_64/os/Packages/k/kiln-hello-1.0-1.x86_64.rpm",
                                              "sigkey": None, "category": "binary"},
                srpm: {"path": "Everything/source/tree/Packages/k/kiln-hello-1.0-1.src.rpm", "sigkey": None,
                       "category": "source"},
            }}}},
        },
    }


def seed_examples(stack, token):
    """The compose and tag the document's examples name, with an RPM list and a URL."""
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    cts = stack.url + "/cts/api/1/"
    quoted = urllib.parse.quote(EXAMPLE_COMPOSE)
    if stack.http.get(cts + "composes/" + quoted, timeout=30).status_code == 404:
        body = {"compose_info": compose_info(EXAMPLE_COMPOSE), "compose_url": "https://kojipkgs.example.com/compose/x"}
        r = stack.http.post(cts + "composes/", data=json.dumps(body), headers=headers, timeout=30)
        assert r.status_code == 200, r.text
    assert stack.http.get(cts + "composes/" + quoted, timeout=30).status_code == 200
    if stack.http.get(cts + "tags/" + EXAMPLE_TAG, timeout=30).status_code == 404:
        body = {"name": EXAMPLE_TAG, "description": "Nightly composes", "documentation": "https://example.com/nightly"}
        r = stack.http.post(cts + "tags/", data=json.dumps(body), headers=headers, timeout=30)
        assert r.status_code == 200, r.text
    r = stack.http.put(cts + "composes/%s/rpms/" % quoted, data=json.dumps(rpms_document(EXAMPLE_COMPOSE)),
                       headers=headers, timeout=30)
    assert r.status_code == 200, r.text


def failures_section(output):
    """The FAILURES part of schemathesis' report: each failing operation with its check and a curl line."""
    start = output.find("FAILURES")
    end = output.find("WARNINGS", start)
    if start < 0:
        return output[-6000:]
    return output[start:end if end > 0 else None]


def test_both_apis_conform_to_the_served_document(stack, tmp_path):
    user = unique("e2e-fuzz")
    token = stack.token(user, groups=("releng", "kiln-admins"))
    seed_examples(stack, token)
    st = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    cmd = [
        st, "run", stack.api("openapi.json"), "--url", stack.url + "/",
        "--header", "Authorization: Bearer " + token,
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", "25",
        "--generation-deterministic",
        # One worker: hypothesis describes strategies with ast.parse, which is not thread-safe on Python 3.11.
        "--workers", "1",
        "--request-timeout", "30",
        "--no-color",
        "--warnings", "off",
    ]
    started = time.monotonic()
    # Run in a scratch directory: schemathesis keeps state next to where it runs.
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    elapsed = time.monotonic() - started
    output = out.stdout + out.stderr
    assert out.returncode == 0, "schemathesis found answers off the document:\n" + failures_section(output)
    # Every documented operation was exercised (schemathesis counts `/api/1/about` and `/api/1/about/` once).
    doc = stack.get("openapi.json").json()
    operations = len({(path.rstrip("/"), method) for path, item in doc["paths"].items() for method in item
                      if method in ("get", "head", "post", "put", "patch", "delete")})
    assert "Tested: %d" % operations in output, output[-3000:]
    # Bounded: the run must stay well inside the suite's budget.
    assert elapsed < 180, "the property-based run took %.0f s" % elapsed
