#!/usr/bin/env python3
"""A yum repository mirror stand-in for Kiln's tests: serves a directory over HTTP, except for the paths a rules file
names, which misbehave as a hostile or broken server would.

Rules: a JSON file (read again on every request) mapping a path, e.g. "/Packages/k/kiln-doc-1.0-1.noarch.rpm", to
  {"status": 403}                 answer that status
  {"redirect": "http://..."}      answer 302 with that Location
  {"tamper": true}                the file with its first byte changed (same size)
  {"extra": N}                    the file followed by N more bytes (Content-Length says the whole)
  {"stall": S}                    headers and 10 bytes, then nothing for S seconds
Listens on 127.0.0.1 only; `--port-file F` receives the chosen port. Every request path is appended to `--log`.
"""
import argparse
import json
import os
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send(self, status, body, headers=()):
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            with open(args.log, "a") as f:
                f.write(path + "\n")
            try:
                with open(args.rules) as f:
                    rule = json.load(f).get(path, {})
            except (OSError, ValueError):
                rule = {}
            if "status" in rule:
                return self.send(rule["status"], b"refused\n")
            if "redirect" in rule:
                return self.send(302, b"moved\n", [("Location", rule["redirect"])])
            local = os.path.realpath(os.path.join(args.root, path.lstrip("/")))
            if not local.startswith(os.path.realpath(args.root) + os.sep) or not os.path.isfile(local):
                return self.send(404, b"not found\n")
            with open(local, "rb") as f:
                data = f.read()
            if rule.get("tamper"):
                data = bytes([data[0] ^ 0xFF]) + data[1:]
            if "extra" in rule:
                data += b"x" * rule["extra"]
            if "stall" in rule:
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[:10])
                self.wfile.flush()
                time.sleep(rule["stall"])
                self.close_connection = True
                return
            self.send(200, data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
