#!/usr/bin/env python3
"""An OIDC provider's token introspection endpoint (RFC 7662) for Kiln's tests of `kiln check-token`, and its token
endpoint for the client credentials grant (RFC 6749 §4.4), which the odcs command-line tool uses against the local
stack.

  POST /introspect   application/x-www-form-urlencoded `token=...[&token_type_hint=...]`, client authenticated with
                     HTTP Basic (client_secret_basic, RFC 6749 §2.3.1: id and secret form-encoded before base64)
      200 {"active": true, "exp": ..., "client_id": ..., "token_type": "Bearer", ...} for a known active token
      200 {"active": false} for an unknown, revoked or expired token
      401 {"error": "invalid_client"} for missing or wrong client credentials
      400 {"error": "invalid_request"} without a token

  POST /token        application/x-www-form-urlencoded `grant_type=client_credentials`, the client authenticated with
                     `client_id` and `client_secret` in the form (client_secret_post, what odcs' TokenManager sends)
                     or with HTTP Basic (client_secret_basic)
      200 {"access_token": <JWT>, "token_type": "Bearer", "expires_in": ..., "scope": ...}: a JWS (HS256, signed
          with the hex key in --signing-key-file, the key the local httpd verifies tokens with) whose claims are the
          client's "sub", "groups" and "scope", "iss" "kiln-oidc-standin", "iat" and "exp"
      400 {"error": "unsupported_grant_type"} for any other grant (there is no user login here)
      401 {"error": "invalid_client"} for an unknown client or a wrong secret
      400 {"error": "invalid_request"} for a form without a grant_type, a repeated parameter or both ways of
          authenticating at once

State: a JSON file {"client_id": ..., "client_secret": ..., "tokens": {"<token>": {"active": bool, "exp": int}},
"clients": {"<client id>": {"secret": ..., "sub": ..., "groups": [...], "scope": "...", "lifetime": seconds}}}
(introspection's client and tokens, the token endpoint's clients), read on every request so a test can change it.
Listens on 127.0.0.1 only; `--port 0 --port-file F` picks a free port and writes it to F. Requests are appended to
`--log` (JSON lines, secrets left out).
"""
import argparse
import base64
import hashlib
import hmac
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
    parser.add_argument("--signing-key-file", help="hex HMAC-SHA256 key the token endpoint signs access tokens with")
    args = parser.parse_args()

    def b64url(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def sign(claims):
        with open(args.signing_key_file) as f:
            key = bytes.fromhex(f.read().strip())
        head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        body = b64url(json.dumps(claims, separators=(",", ":")).encode())
        mac = hmac.new(key, ("%s.%s" % (head, body)).encode(), hashlib.sha256).digest()
        return "%s.%s.%s" % (head, body, b64url(mac))

    def basic_client(auth):
        if not auth.startswith("Basic "):
            return None
        try:
            ident, _, secret = base64.b64decode(auth[6:], validate=True).decode().partition(":")
        except ValueError:
            return ("", "")
        return (unquote_plus(ident), unquote_plus(secret))

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
            if not 0 <= length <= 65536:
                return self.answer(400, {"error": "invalid_request"})
            raw = self.rfile.read(length).decode(errors="replace")
            fields = parse_qs(raw, keep_blank_values=True)
            form = {k: v[0] for k, v in fields.items()}
            auth = self.headers.get("Authorization", "")
            if args.log:
                with open(args.log, "a") as f:
                    logged = {k: v for k, v in form.items() if k != "client_secret"}
                    f.write(json.dumps({"path": self.path, "form": logged, "authorization": auth,
                                        "content_type": self.headers.get("Content-Type")}) + "\n")
            if self.path == "/token":
                return self.token(state, fields, form, auth)
            if self.path != "/introspect":
                return self.answer(404, {"error": "not_found"})
            client = basic_client(auth)
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

        def token(self, state, fields, form, auth):
            """The client credentials grant: the client's own identity as a signed access token."""
            if any(len(v) > 1 for v in fields.values()) or "grant_type" not in form:
                return self.answer(400, {"error": "invalid_request"})
            basic = basic_client(auth)
            if basic is not None and ("client_id" in form or "client_secret" in form):
                return self.answer(400, {"error": "invalid_request"})
            ident, secret = basic if basic is not None else (form.get("client_id"), form.get("client_secret"))
            client = state.get("clients", {}).get(ident or "")
            if client is None or not secret or not hmac.compare_digest(secret, client["secret"]):
                return self.answer(401, {"error": "invalid_client"})
            if form["grant_type"] != "client_credentials":
                return self.answer(400, {"error": "unsupported_grant_type"})
            now = int(time.time())
            lifetime = int(client.get("lifetime", 3600))
            claims = {"sub": client["sub"], "iss": "kiln-oidc-standin", "iat": now, "exp": now + lifetime,
                      "scope": client.get("scope", "openid"), "groups": client.get("groups", []), "azp": ident}
            return self.answer(200, {"access_token": sign(claims), "token_type": "Bearer", "expires_in": lifetime,
                                     "scope": claims["scope"]})

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
