#!/usr/bin/env python3
"""A Module Build Service REST API stand-in for Kiln's tests: the query ODCS makes to resolve module composes.

  GET /module-build-service/1/module-builds/?name=&stream=&version=&context=&state=...&verbose=true
      &order_desc_by=version&per_page=N&page=P[&base_module_br_name=&base_module_br_stream=
      &base_module_br_stream_version_lte=&base_module_br_stream_version_gte=]

Answers MBS's JSON: {"items": [...], "meta": {"first", "last", "next", "prev", "page", "pages", "per_page",
"total"}}, with verbose records (id, name, stream, version as a string, context, state as a number and state_name,
koji_tag, modulemd, scratch, buildrequires). `state` may be given several times, by name or number; without it
every state matches. A module's base module is its platform buildrequire (stream f40 = stream version 400000).

State: a Tests/Fixtures/build-module-rpms modules.json. Listens on 127.0.0.1 only; `--port 0 --port-file F` picks a
free port and writes it to F. Every request is appended to `--log` (JSON lines) so tests can check what Kiln sent.
"""
import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

STATES = ["init", "wait", "build", "done", "failed", "ready", "garbage"]
BASE = {"name": "platform", "stream": "f40", "stream_version": 400000}


def record(index, module):
    return {
        "id": index + 1, "name": module["name"], "stream": module["stream"], "version": module["version"],
        "context": module["context"], "state": STATES.index(module["state"]), "state_name": module["state"],
        "state_reason": None, "koji_tag": module["koji_tag"], "modulemd": module["modulemd"],
        "scratch": module["scratch"], "owner": "kiln", "rpms": [],
        "time_submitted": "2024-01-01T00:00:00Z", "time_modified": "2024-01-01T01:00:00Z",
        "time_completed": "2024-01-01T01:00:00Z",
        "buildrequires": {} if module["name"] == "platform" else {
            "platform": {"stream": BASE["stream"], "version": "1", "context": "00000000", "filtered_rpms": []}},
    }


def matches(module, query):
    for key in ("name", "stream", "version", "context"):
        if key in query and query[key][0] != module[key]:
            return False
    if "state" in query:
        wanted = {STATES[int(s)] if s.isdigit() and int(s) < len(STATES) else s for s in query["state"]}
        if module["state"] not in wanted:
            return False
    is_base = module["name"] == "platform"
    if "base_module_br_name" in query and (is_base or query["base_module_br_name"][0] != BASE["name"]):
        return False
    if "base_module_br_stream" in query and (is_base or query["base_module_br_stream"][0] != BASE["stream"]):
        return False
    if "base_module_br_stream_version_lte" in query and (
            is_base or BASE["stream_version"] > int(query["base_module_br_stream_version_lte"][0])):
        return False
    if "base_module_br_stream_version_gte" in query and (
            is_base or BASE["stream_version"] < int(query["base_module_br_stream_version_gte"][0])):
        return False
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--log")
    args = parser.parse_args()
    with open(args.state) as f:
        modules = json.load(f)["modules"]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlsplit(self.path)
            if args.log:
                with open(args.log, "a") as f:
                    f.write(json.dumps({"method": "GET", "path": self.path}) + "\n")
            if url.path != "/module-build-service/1/module-builds/":
                return self.answer(404, {"error": "Not Found", "message": "The requested URL was not found",
                                         "status": 404})
            query = parse_qs(url.query)
            try:
                per_page = int(query.get("per_page", ["10"])[0])
                page = int(query.get("page", ["1"])[0])
            except ValueError:
                return self.answer(400, {"error": "Bad Request", "message": "per_page and page must be numbers",
                                         "status": 400})
            found = [record(i, m) for i, m in enumerate(modules) if matches(m, query)]
            if query.get("order_desc_by") == ["version"]:
                found.sort(key=lambda r: int(r["version"]), reverse=True)
            if query.get("verbose", ["false"])[0].lower() not in ("true", "1"):
                found = [{k: r[k] for k in ("id", "name", "stream", "version", "context", "state", "state_name",
                                            "koji_tag", "scratch")} for r in found]
            pages = max(1, -(-len(found) // per_page))
            host = "http://%s:%d" % self.server.server_address[:2]

            def page_url(n):
                params = [(k, v) for k, values in query.items() if k != "page" for v in values] + [("page", n)]
                return host + url.path + "?" + urlencode(params)
            self.answer(200, {
                "items": found[(page - 1) * per_page:page * per_page],
                "meta": {"first": page_url(1), "last": page_url(pages),
                         "next": page_url(page + 1) if page < pages else None,
                         "prev": page_url(page - 1) if page > 1 else None,
                         "page": page, "pages": pages, "per_page": per_page, "total": len(found)},
            })

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(server.server_address[1]))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
