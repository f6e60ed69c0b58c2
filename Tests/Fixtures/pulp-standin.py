#!/usr/bin/env python3
"""A Pulp 2 REST API stand-in for Kiln's tests: the two calls ODCS makes for `pulp` composes.

  POST /pulp/api/v2/repositories/search/   {"criteria": {"filters": {"notes.content_set": {"$in": [...]},
                                            ["notes.include_in_download_service": "True"]}, "fields": [...]}}
  GET  /pulp/api/v2/repositories/<id>/     the repository, or 404 {"error_message": "Missing resource(s): repository=<id>"}

State: a JSON file with {"repositories": [{"id": ..., "notes": {...}}, ...]}. Listens on 127.0.0.1 only;
`--port 0 --port-file F` picks a free port and writes it to F. Every request is appended to `--log` (JSON lines)
so tests can check what Kiln sent. `--serve /content/x=DIR` also serves DIR's files under that URL prefix, as
Pulp's content server does, so a `.repo` file of a pulp compose works with dnf on the local stack.
"""
import argparse
import json
import os
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--log")
    parser.add_argument("--serve", action="append", default=[], help="URL-PREFIX=DIRECTORY of static files")
    args = parser.parse_args()
    served = [(prefix.rstrip("/") + "/", os.path.realpath(directory))
              for prefix, directory in (item.split("=", 1) for item in args.serve)]
    with open(args.state) as f:
        repositories = json.load(f)["repositories"]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def record(self, body=None):
            if args.log:
                with open(args.log, "a") as f:
                    f.write(json.dumps({"method": self.command, "path": self.path, "body": body}) + "\n")

        def answer(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                self.record(raw.decode(errors="replace"))
                return self.answer(400, {"error_message": "Invalid JSON"})
            self.record(body)
            if self.path != "/pulp/api/v2/repositories/search/":
                return self.answer(404, {"error_message": "Missing resource(s): %s" % self.path})
            filters = body.get("criteria", {}).get("filters", {})
            wanted = filters.get("notes.content_set", {}).get("$in", [])
            published = filters.get("notes.include_in_download_service")
            found = [r for r in repositories
                     if r["notes"].get("content_set") in wanted
                     and (published is None or r["notes"].get("include_in_download_service") == published)]
            fields = body.get("criteria", {}).get("fields")
            if fields:
                found = [{k: v for k, v in r.items() if k in fields} for r in found]
            self.answer(200, found)

        def content(self):
            for prefix, directory in served:
                if self.path.startswith(prefix):
                    path = os.path.realpath(os.path.join(directory, self.path[len(prefix):].split("?")[0]))
                    if not path.startswith(directory + os.sep) or not os.path.isfile(path):
                        self.answer(404, {"error_message": "Not found"})
                        return True
                    with open(path, "rb") as f:
                        data = f.read()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return True
            return False

        def do_GET(self):
            if self.content():
                return
            self.record()
            m = re.fullmatch(r"/pulp/api/v2/repositories/([^/]+)/", self.path)
            if not m:
                return self.answer(404, {"error_message": "Missing resource(s): %s" % self.path})
            for r in repositories:
                if r["id"] == m.group(1):
                    return self.answer(200, r)
            self.answer(404, {"error_message": "Missing resource(s): repository=%s" % m.group(1)})

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
