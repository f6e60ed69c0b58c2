#!/usr/bin/env python3
"""An OIDC provider's token introspection endpoint (RFC 7662) for Kiln's tests of `kiln check-token`.

  POST /introspect   application/x-www-form-urlencoded `token=...[&token_type_hint=...]`, client authenticated with
                     HTTP Basic (client_secret_basic, RFC 6749 §2.3.1: id and secret form-encoded before base64)
      200 {"active": true, "exp": ..., "client_id": ..., "token_type": "Bearer", ...} for a known active token
      200 {"active": false} for an unknown, revoked or expired token
      401 {"error": "invalid_client"} for missing or wrong client credentials
      400 {"error": "invalid_request"} without a token

State: a JSON file {"client_id": ..., "client_secret": ..., "tokens": {"<token>": {"active": bool, "exp": int}}},
read on every request so a test can change it. Listens on 127.0.0.1 only; `--port 0 --port-file F` picks a free port
and writes it to F. Requests are appended to `--log` (JSON lines).
"""
import argparse
import base64
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--log")
    args = parser.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="introspection"')
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            with open(args.state) as f:
                state = json.load(f)
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length).decode()
            form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            auth = self.headers.get("Authorization", "")
            if args.log:
                with open(args.log, "a") as f:
                    f.write(json.dumps({"path": self.path, "form": form, "authorization": auth,
                                        "content_type": self.headers.get("Content-Type")}) + "\n")
            if self.path != "/introspect":
                return self.answer(404, {"error": "not_found"})
            client = None
            if auth.startswith("Basic "):
                try:
                    ident, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                    client = (unquote_plus(ident), unquote_plus(secret))
                except ValueError:
                    client = None
            if client != (state["client_id"], state["client_secret"]):
                return self.answer(401, {"error": "invalid_client"})
            token = form.get("token")
            if not token:
                return self.answer(400, {"error": "invalid_request"})
            known = state["tokens"].get(token)
            if not known or not known.get("active") or known.get("exp", 0) <= time.time():
                return self.answer(200, {"active": False})
            return self.answer(200, {"active": True, "exp": known["exp"], "client_id": state["client_id"],
                                     "token_type": "Bearer", "scope": "openid"})

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
