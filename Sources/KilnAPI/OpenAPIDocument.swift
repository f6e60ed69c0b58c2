internal import KilnFastCGI

/// The OpenAPI 3 document served at `/api/1/openapi.json`.
enum OpenAPIDocument {
    static var response: HTTPResponse {
        HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    static let json: String = #"""
    {
      "openapi": "3.0.3",
      "info": {
        "title": "Kiln compose service",
        "version": "1",
        "description": "Kiln serves the ODCS 0.9.2 REST API v1 under `/api/1/`, so the `odcs` Python client and CLI work unchanged, and the compose tracking API of CTS 1.3 (API v1) under `/cts/api/1/`, so Pungi with `cts_url = https://<host>/cts` and CTS clients work unchanged. Beyond CTS, the tracking API records the RPMs each compose holds (`/cts/api/1/composes/{compose_id}/rpms/`), finds the composes that hold a build (`rpm_nvr`, `rpm_name`) and diffs composes (`/cts/api/1/composes/{compose_id}/diff/{other_compose_id}`).\n\nConventions (both APIs):\n* All JSON errors have the shape `{\"status\": <int>, \"error\": \"<reason phrase>\", \"message\": \"<text>\"}` with the same HTTP status.\n* A URL that matches no route answers 404 (Error JSON). A known route called with a method it does not support answers 405 (Error JSON) with an `Allow` header; so does a method outside GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS on any URL (`Allow` is then empty for a URL that is no route). ODCS answers 500 in both cases; Kiln does not copy that.\n* Success codes follow ODCS: 200 for POST and PATCH (not 201), 202 for DELETE.\n* Times are UTC, formatted `YYYY-MM-DDTHH:MM:SSZ` (whole seconds).\n* GET requests never need an identity. Writes need one; the identity is established by httpd in front of Kiln (OIDC bearer token via mod_auth_openidc, Kerberos/SPNEGO or a TLS client certificate), never taken from the request body.\n* Request bodies larger than the configured maximum (default 1 MiB) get 413.\n* A POST, PATCH or PUT body must be sent with `Content-Type: application/json` (parameters allowed; `application/<x>+json` too); a body with any other Content-Type, or none, answers 415 and is not read (an empty body needs none). No string or key in a body may hold a control character (400 `Field \"<field>\" contains a control character, which is not allowed.`), nor may a query argument (400 naming it) or a compose id or tag in a path (404). Malformed JSON answers 400 with a message containing `Failed to decode JSON object: <reason>: line 1 column <n> (char <n-1>)` (no HTML around it), and a JSON value that is not an object 400 `The request body must be a JSON object` (for RPM list uploads, `Cannot parse \"rpms\": ...` in both cases).\n* Every GET route also answers HEAD.\n* A database that cannot be reached answers 503 with `Retry-After: 5`.\n\nCompose tracking under `/cts/api/1/` follows CTS 1.3: compose ids are productmd ids (strings), tags are addressed by id or name, lists are `{\"items\", \"meta\"}` with CTS's paging, successful writes answer 200 (never 201), and validation, permission and lookup messages are CTS's own. Write permissions are CTS's: roles `allowed_builders` and `admins`, per-tag taggers and untaggers (users or groups), and under OIDC the scopes `new-compose`, `edit-compose`, `new-tag` and `edit-tag` (under `oidc_base_namespace`). Where Kiln deliberately differs from CTS (all listed in `docs/compatibility.md`):\n* a wrong method is 405 with `Allow`, not 500; a trailing slash is optional on every tracking route;\n* the import answer always carries the id and respin Kiln stored (CTS echoed the client's id unless it bumped the respin), and respins come from a per release/version/date counter that never goes down, so a lower respin requested later does not fill a gap;\n* `final` is stored and reported as imported (CTS always reported false);\n* boolean filters accept `true`, `false`, `1`, `0` in any case and a bad boolean or a non-integer `respin` is 400 (CTS compared raw strings); `%` and `_` in substring filters match literally;\n* `compose_url` given at import or by `set_url` must be an absolute http or https URL with a host, without user information, whitespace or control characters (CTS only checked that it starts with `http`); a `.repo` file is made only for a variant the compose was imported with (404 otherwise); variant uids at import must be productmd's (letters and digits, `-` between nested ids);\n* productmd parse errors read `Cannot parse \"compose_info\": <reason>` in productmd's words, not a Python exception repr; the `order_by` error lists keys as `id, date, ...`, not a Python list;\n* `per_page` is at most 1000 and `page` at most 2147483647 (400 above it); `respin` at import at most 999999999;\n* `/cts/api/1/metrics/` lists every tag, also those on no compose; `/cts/api/1/about/` shows `allowed_builders` as lists of names;\n* compose histories may contain `moved` entries, written by `kiln track-locations`; composes Kiln generates are tracked automatically (builder `kiln`);\n* messages are written in the same transaction as the change and delivered later (topics `<prefix>.cts.<event>`)."
      },
      "servers": [
        {"url": "/"}
      ],
      "tags": [
        {"name": "composes", "description": "Compose requests: list, submit, inspect, renew, cancel or expire."},
        {"name": "service", "description": "Information about the service itself."},
        {"name": "tracking", "description": "Compose tracking (CTS API v1): import productmd composes, query them, tag and untag them, record where they live, read their history."},
        {"name": "tracking tags", "description": "Tags tracked composes carry, and who may put them on (taggers) and take them off (untaggers)."},
        {"name": "contents", "description": "Kiln extensions beyond CTS and PDC: the RPMs a tracked compose holds, uploading them, and diffs between composes."},
        {"name": "tracking service", "description": "Identity, information and metrics of the tracking service."}
      ],
      "security": [
        {"bearerAuth": []}
      ],
      "paths": {
        "/api/1/composes/": {
          "get": {
            "tags": ["composes"],
            "operationId": "listComposes",
            "summary": "List composes",
            "description": "Returns one page of composes, newest first unless `order_by` says otherwise. Filters are exact matches and are ignored when empty (`?label=` filters nothing). `state` and `source_type` accept either the integer id or the name. Items never contain `pungi_config_dump`. A page beyond the last one answers 200 with empty `items`. A non-integer `page` or `per_page` falls back to its default; `page` below 1 is treated as 1 and above 2147483647 answers 400, a negative `per_page` counts as 20, one above 1000 as 1000, and `per_page=0` gives no items and `pages` 0. The `meta` links are absolute URLs built from the request (honouring `X-Forwarded-Host`, `X-Forwarded-Proto` and `X-Script-Name`), with `page` and `per_page` first, then the other query arguments in request order.",
            "security": [],
            "parameters": [
              {"name": "owner", "in": "query", "description": "Owner user name.", "schema": {"type": "string"}},
              {
                "name": "source_type",
                "in": "query",
                "description": "Source type, as its integer id (1-7) or its name.",
                "schema": {
                  "anyOf": [
                    {"type": "integer", "minimum": 1, "maximum": 7},
                    {"$ref": "#/components/schemas/SourceTypeName"}
                  ]
                }
              },
              {"name": "source", "in": "query", "description": "The whole stored source string (space-separated list), compared exactly.", "schema": {"type": "string"}},
              {
                "name": "state",
                "in": "query",
                "description": "Compose state, as its integer id (0-4) or its name.",
                "schema": {
                  "anyOf": [
                    {"type": "integer", "minimum": 0, "maximum": 4},
                    {"$ref": "#/components/schemas/StateName"}
                  ]
                }
              },
              {"name": "koji_task_id", "in": "query", "description": "Koji task id.", "schema": {"type": "integer"}},
              {"name": "pungi_compose_id", "in": "query", "description": "Pungi compose id, e.g. `odcs-12-1-20240101.t.0`.", "schema": {"type": "string"}},
              {"name": "compose_type", "in": "query", "description": "Compose type (test, ci, nightly, production, development).", "schema": {"type": "string"}},
              {"name": "label", "in": "query", "description": "Compose label.", "schema": {"type": "string"}},
              {
                "name": "order_by",
                "in": "query",
                "description": "Sort key, optionally prefixed with `-` for descending order. Default `-id`. Any other value answers 400 with a message starting `An invalid order_by key was suplied, allowed keys are`. Unlike ODCS (whose list has the typo `source_Type`), `source_type` is accepted.",
                "schema": {
                  "type": "string",
                  "default": "-id",
                  "enum": [
                    "id", "owner", "source_type", "koji_event", "state", "time_to_expire", "time_submitted", "time_done", "time_removed",
                    "-id", "-owner", "-source_type", "-koji_event", "-state", "-time_to_expire", "-time_submitted", "-time_done", "-time_removed"
                  ]
                }
              },
              {"name": "page", "in": "query", "description": "Page number, starting at 1, at most 2147483647 (400 above it).", "schema": {"type": "integer", "default": 1, "maximum": 2147483647}},
              {"name": "per_page", "in": "query", "description": "Number of items per page, at most 1000 (a larger value counts as 1000).", "schema": {"type": "integer", "default": 10, "maximum": 1000}}
            ],
            "responses": {
              "200": {
                "description": "One page of composes.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ComposeList"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"}
            }
          },
          "post": {
            "tags": ["composes"],
            "operationId": "createCompose",
            "summary": "Request a new compose",
            "description": "Validates the request and stores a new compose in state `wait`; the backend generates it later. The answer is **200** (not 201) with the new compose. Needs an identity in role `allowed_clients` (and, under OIDC, the scope `new-compose`); per-client restrictions (source types, sources, results, flags, arches, compose types, target dirs, raw config keys) apply unless the caller is an admin. Unknown keys are ignored. `results` always includes `repository`; `arches` defaults to the configured arches; `compose_type` defaults to `test`; `seconds_to_live` (or the legacy `seconds-to-live`) defaults to 24 hours and is clamped to the configured maximum (72 hours by default), with per-raw-config overrides. String values may only contain alphanumerical characters and ` -/_.:#+?$~^,` (except in `packages`), and JSON `null` is rejected. 503 means the compose could not be handed to the backend queue.",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/ComposeRequest"},
                  "example": {
                    "source": {"type": "tag", "source": "f40-build", "packages": ["bash"], "sigkeys": [""]},
                    "arches": ["x86_64"],
                    "seconds_to_live": 3600,
                    "flags": ["no_deps"],
                    "results": ["repository"]
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The compose was accepted (state `wait`).",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/Compose"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "503": {"$ref": "#/components/responses/ServiceUnavailable"}
            }
          }
        },
        "/api/1/composes/{id}": {
          "parameters": [
            {"$ref": "#/components/parameters/ComposeId"}
          ],
          "get": {
            "tags": ["composes"],
            "operationId": "getCompose",
            "summary": "Get one compose",
            "description": "Returns the compose with all its fields plus `pungi_config_dump`. An unknown id answers 404 `No such compose found.`",
            "security": [],
            "responses": {
              "200": {
                "description": "The compose.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ComposeDetail"}
                  }
                }
              },
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          },
          "patch": {
            "tags": ["composes"],
            "operationId": "renewCompose",
            "summary": "Renew, extend or respin a compose",
            "description": "The body is optional (an empty body means `{}`). Needs an identity in role `allowed_clients` (and, under OIDC, the scope `renew-compose`). The body is validated first; then the compose must exist and be `done`, `failed` or `removed`, otherwise 404 `No compose with id <id> found` (also for `wait` and `generating`). If the compose is `removed` or `failed`, or the request changes `label` or `sigkeys`, or gives `source.modules` or `source.builds`, a **new compose** (new id, state `wait`) is created as a copy with the same Koji event, and `respin_of` set to the old `pungi_compose_id`. Otherwise the expiry is extended to `max(time_to_expire, now + seconds_to_live)` (it never shortens), also on the compose it reuses and on the composes reusing it, and the same compose is returned. The answer is 200 in both cases.",
            "requestBody": {
              "required": false,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/RenewRequest"},
                  "example": {"seconds_to_live": 86400}
                }
              }
            },
            "responses": {
              "200": {
                "description": "The renewed compose, or the new copy.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/Compose"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"}
            }
          },
          "delete": {
            "tags": ["composes"],
            "operationId": "deleteCompose",
            "summary": "Cancel a waiting compose or mark a finished one as expired",
            "description": "Needs an identity (and, under OIDC, the scope `delete-compose`). A compose in state `wait` is **cancelled** by its owner or an admin: it becomes `failed` with reason `Canceled by <user>`, and the message is `Compose (id=<id>) has been canceled`; anyone else gets 403. Otherwise only admins may delete (403 `User <user> is not in role admins.`), and the compose must be `done` or `failed` (else 400): it is **marked as expired** (`time_to_expire` = now, `removed_by` = the caller) and the message is `The delete request for compose (id=<id>) has been accepted and will be processed by backend later.` The state does not change here; the cleanup job later moves it to `removed` and deletes its files.",
            "responses": {
              "202": {
                "description": "The compose was cancelled or marked as expired.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/DeleteResponse"},
                    "example": {"status": 202, "message": "Compose (id=3) has been canceled"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          }
        },
        "/api/1/about/": {
          "get": {
            "tags": ["service"],
            "operationId": "about",
            "summary": "About this service",
            "description": "Version, authentication backend, allowed clients, the configured raw config sources and the default sigkeys, as ODCS `/api/1/about/`.",
            "security": [],
            "responses": {
              "200": {"$ref": "#/components/responses/About"}
            }
          }
        },
        "/api/1/about": {
          "get": {
            "tags": ["service"],
            "operationId": "aboutNoSlash",
            "summary": "About this service (no trailing slash)",
            "description": "Same as `/api/1/about/`, served directly (ODCS redirects with 308; the `odcs` client calls this form).",
            "security": [],
            "responses": {
              "200": {"$ref": "#/components/responses/About"}
            }
          }
        },
        "/api/1/metrics/": {
          "get": {
            "tags": ["service"],
            "operationId": "metrics",
            "summary": "Prometheus metrics",
            "description": "Metrics in the Prometheus text exposition format (`text/plain; version=0.0.4; charset=utf-8`), computed when requested. Includes the ODCS metric `composes_total{source_type,state}` (label values are names) besides Kiln's own metrics.",
            "security": [],
            "responses": {
              "200": {
                "description": "Prometheus text exposition.",
                "content": {
                  "text/plain": {
                    "schema": {"type": "string"},
                    "example": "# HELP composes_total Total number of composes\n# TYPE composes_total gauge\ncomposes_total{source_type=\"tag\",state=\"done\"} 3\n"
                  }
                }
              }
            }
          }
        },
        "/api/1/openapi.json": {
          "get": {
            "tags": ["service"],
            "operationId": "openapi",
            "summary": "This OpenAPI document",
            "description": "This OpenAPI 3 description of both APIs: the ODCS-compatible one under `/api/1/` and the CTS-compatible tracking one under `/cts/api/1/` (ODCS serves none; CTS serves its own at `/static/openapispec.json`). Needs no database.",
            "security": [],
            "responses": {
              "200": {
                "description": "The OpenAPI 3.0 document.",
                "content": {
                  "application/json": {
                    "schema": {"type": "object"}
                  }
                }
              }
            }
          }
        },
        "/cts/api/1/composes/": {
          "description": "Methods GET, HEAD and POST; any other method answers 405 with `Allow: GET, HEAD, POST` (CTS: 500). The trailing slash is optional.",
          "get": {
            "tags": ["tracking"],
            "operationId": "ctsListComposes",
            "summary": "List tracked composes",
            "description": "One page of tracked composes (CTS `GET /api/1/composes/`), ordered by `-date`, then `-id` unless `order_by` says otherwise; ties are broken by import order, newest first.\n\n**Field filters.** Each of the 17 fields `id`, `date`, `respin`, `type`, `label`, `final`, `release_name`, `release_version`, `release_short`, `release_is_layered`, `release_type`, `release_internal`, `base_product_name`, `base_product_short`, `base_product_version`, `base_product_type`, `builder` can be matched exactly (`<field>=`) or by substring (`<field>_contains=`, `<field>_startswith=`, `<field>_endswith=`). Empty values are ignored. As in CTS, one match is applied per field: the last one given with a value, in the order exact, `_contains`, `_startswith`, `_endswith` (so `id=x&id_contains=y` only applies `id_contains`). Substring matches are case-sensitive and compare the value as text; unlike CTS, `%` and `_` in the value are matched literally, not as SQL wildcards. Exact `respin` must be an integer and exact `final`, `release_is_layered` and `release_internal` must be `true`, `false`, `1` or `0` in any case (400 `Invalid value for \"final\": maybe. It must be true, false, 1 or 0.`); CTS compared the raw strings.\n\n**Other filters.** `date_before` / `date_after`: the compose date (YYYYMMDD) is strictly before / after the value (text comparison). `tag` (repeatable, all ANDed): `tag=X` requires tag X, `tag=-X` excludes it; an empty `tag=` anywhere means composes with no tag at all and the other `tag` values are ignored. `rpm_nvr` and `rpm_name` (Kiln extensions): composes whose recorded RPM list holds such an RPM in any variant and arch.\n\n**Ordering.** `order_by` is repeatable; each value is a field name, `-` prefixed for descending. `release_version` sorts numerically (digits and dots only), `id` as text (`.n.10` before `.n.2`). An unknown key, or a bare `-`, answers 400 `An invalid order_by key was suplied, allowed keys are: id, date, respin, type, label, final, release_name, release_version, release_short, release_is_layered, release_type, release_internal, base_product_name, base_product_short, base_product_version, base_product_type, builder` (CTS's spelling of \"suplied\", without its Python list repr).\n\n**Paging** as everywhere: `page`, `per_page` (default 10, at most 1000). The `meta` links repeat every other query argument in request order, repeats included, except `endpoint` and names starting with `_`.",
            "security": [],
            "parameters": [
              {"name": "id", "in": "query", "description": "Exact compose id.", "schema": {"type": "string"}},
              {"name": "id_contains", "in": "query", "description": "Compose id contains the value.", "schema": {"type": "string"}},
              {"name": "id_startswith", "in": "query", "description": "Compose id starts with the value.", "schema": {"type": "string"}},
              {"name": "id_endswith", "in": "query", "description": "Compose id ends with the value.", "schema": {"type": "string"}},
              {"name": "date", "in": "query", "description": "Exact compose date (YYYYMMDD).", "schema": {"type": "string"}},
              {"name": "date_contains", "in": "query", "description": "Compose date contains the value.", "schema": {"type": "string"}},
              {"name": "date_startswith", "in": "query", "description": "Compose date starts with the value, e.g. `202605`.", "schema": {"type": "string"}},
              {"name": "date_endswith", "in": "query", "description": "Compose date ends with the value.", "schema": {"type": "string"}},
              {"name": "respin", "in": "query", "description": "Exact respin; must be an integer (else 400 `Invalid value for \"respin\": x. It must be an integer.`).", "schema": {"type": "integer", "format": "int32"}},
              {"name": "respin_contains", "in": "query", "description": "Respin, as text, contains the value.", "schema": {"type": "string"}},
              {"name": "respin_startswith", "in": "query", "description": "Respin, as text, starts with the value.", "schema": {"type": "string"}},
              {"name": "respin_endswith", "in": "query", "description": "Respin, as text, ends with the value.", "schema": {"type": "string"}},
              {"name": "type", "in": "query", "description": "Exact compose type (production, nightly, test, ci, development).", "schema": {"type": "string"}},
              {"name": "type_contains", "in": "query", "description": "Compose type contains the value.", "schema": {"type": "string"}},
              {"name": "type_startswith", "in": "query", "description": "Compose type starts with the value.", "schema": {"type": "string"}},
              {"name": "type_endswith", "in": "query", "description": "Compose type ends with the value.", "schema": {"type": "string"}},
              {"name": "label", "in": "query", "description": "Exact label, e.g. `RC-1.0`.", "schema": {"type": "string"}},
              {"name": "label_contains", "in": "query", "description": "Label contains the value.", "schema": {"type": "string"}},
              {"name": "label_startswith", "in": "query", "description": "Label starts with the value.", "schema": {"type": "string"}},
              {"name": "label_endswith", "in": "query", "description": "Label ends with the value.", "schema": {"type": "string"}},
              {"name": "final", "in": "query", "description": "Final (labelled) composes: `true`, `false`, `1` or `0`, any case; anything else is 400.", "schema": {"$ref": "#/components/schemas/BooleanFilter"}},
              {"name": "final_contains", "in": "query", "description": "`final`, as text (`true`/`false`), contains the value.", "schema": {"type": "string"}},
              {"name": "final_startswith", "in": "query", "description": "`final`, as text, starts with the value.", "schema": {"type": "string"}},
              {"name": "final_endswith", "in": "query", "description": "`final`, as text, ends with the value.", "schema": {"type": "string"}},
              {"name": "release_name", "in": "query", "description": "Exact release name.", "schema": {"type": "string"}},
              {"name": "release_name_contains", "in": "query", "description": "Release name contains the value.", "schema": {"type": "string"}},
              {"name": "release_name_startswith", "in": "query", "description": "Release name starts with the value.", "schema": {"type": "string"}},
              {"name": "release_name_endswith", "in": "query", "description": "Release name ends with the value.", "schema": {"type": "string"}},
              {"name": "release_version", "in": "query", "description": "Exact release version.", "schema": {"type": "string"}},
              {"name": "release_version_contains", "in": "query", "description": "Release version contains the value.", "schema": {"type": "string"}},
              {"name": "release_version_startswith", "in": "query", "description": "Release version starts with the value.", "schema": {"type": "string"}},
              {"name": "release_version_endswith", "in": "query", "description": "Release version ends with the value.", "schema": {"type": "string"}},
              {"name": "release_short", "in": "query", "description": "Exact release short name, e.g. `Fedora`.", "schema": {"type": "string"}},
              {"name": "release_short_contains", "in": "query", "description": "Release short name contains the value.", "schema": {"type": "string"}},
              {"name": "release_short_startswith", "in": "query", "description": "Release short name starts with the value.", "schema": {"type": "string"}},
              {"name": "release_short_endswith", "in": "query", "description": "Release short name ends with the value.", "schema": {"type": "string"}},
              {"name": "release_is_layered", "in": "query", "description": "Layered releases: `true`, `false`, `1` or `0`, any case; anything else is 400.", "schema": {"$ref": "#/components/schemas/BooleanFilter"}},
              {"name": "release_is_layered_contains", "in": "query", "description": "`release_is_layered`, as text, contains the value.", "schema": {"type": "string"}},
              {"name": "release_is_layered_startswith", "in": "query", "description": "`release_is_layered`, as text, starts with the value.", "schema": {"type": "string"}},
              {"name": "release_is_layered_endswith", "in": "query", "description": "`release_is_layered`, as text, ends with the value.", "schema": {"type": "string"}},
              {"name": "release_type", "in": "query", "description": "Exact release type (lower case: ga, updates, updates-testing, eus, aus, els, tus, e4s, fast).", "schema": {"type": "string"}},
              {"name": "release_type_contains", "in": "query", "description": "Release type contains the value.", "schema": {"type": "string"}},
              {"name": "release_type_startswith", "in": "query", "description": "Release type starts with the value.", "schema": {"type": "string"}},
              {"name": "release_type_endswith", "in": "query", "description": "Release type ends with the value.", "schema": {"type": "string"}},
              {"name": "release_internal", "in": "query", "description": "Internal releases: `true`, `false`, `1` or `0`, any case; anything else is 400.", "schema": {"$ref": "#/components/schemas/BooleanFilter"}},
              {"name": "release_internal_contains", "in": "query", "description": "`release_internal`, as text, contains the value.", "schema": {"type": "string"}},
              {"name": "release_internal_startswith", "in": "query", "description": "`release_internal`, as text, starts with the value.", "schema": {"type": "string"}},
              {"name": "release_internal_endswith", "in": "query", "description": "`release_internal`, as text, ends with the value.", "schema": {"type": "string"}},
              {"name": "base_product_name", "in": "query", "description": "Exact base product name (layered releases only).", "schema": {"type": "string"}},
              {"name": "base_product_name_contains", "in": "query", "description": "Base product name contains the value.", "schema": {"type": "string"}},
              {"name": "base_product_name_startswith", "in": "query", "description": "Base product name starts with the value.", "schema": {"type": "string"}},
              {"name": "base_product_name_endswith", "in": "query", "description": "Base product name ends with the value.", "schema": {"type": "string"}},
              {"name": "base_product_short", "in": "query", "description": "Exact base product short name.", "schema": {"type": "string"}},
              {"name": "base_product_short_contains", "in": "query", "description": "Base product short name contains the value.", "schema": {"type": "string"}},
              {"name": "base_product_short_startswith", "in": "query", "description": "Base product short name starts with the value.", "schema": {"type": "string"}},
              {"name": "base_product_short_endswith", "in": "query", "description": "Base product short name ends with the value.", "schema": {"type": "string"}},
              {"name": "base_product_version", "in": "query", "description": "Exact base product version.", "schema": {"type": "string"}},
              {"name": "base_product_version_contains", "in": "query", "description": "Base product version contains the value.", "schema": {"type": "string"}},
              {"name": "base_product_version_startswith", "in": "query", "description": "Base product version starts with the value.", "schema": {"type": "string"}},
              {"name": "base_product_version_endswith", "in": "query", "description": "Base product version ends with the value.", "schema": {"type": "string"}},
              {"name": "base_product_type", "in": "query", "description": "Exact base product type.", "schema": {"type": "string"}},
              {"name": "base_product_type_contains", "in": "query", "description": "Base product type contains the value.", "schema": {"type": "string"}},
              {"name": "base_product_type_startswith", "in": "query", "description": "Base product type starts with the value.", "schema": {"type": "string"}},
              {"name": "base_product_type_endswith", "in": "query", "description": "Base product type ends with the value.", "schema": {"type": "string"}},
              {"name": "builder", "in": "query", "description": "Exact builder: the user who imported the compose (`kiln` for composes Kiln generated, `anonymous` under noauth).", "schema": {"type": "string"}},
              {"name": "builder_contains", "in": "query", "description": "Builder contains the value.", "schema": {"type": "string"}},
              {"name": "builder_startswith", "in": "query", "description": "Builder starts with the value.", "schema": {"type": "string"}},
              {"name": "builder_endswith", "in": "query", "description": "Builder ends with the value.", "schema": {"type": "string"}},
              {"name": "date_before", "in": "query", "description": "Composes dated strictly before this YYYYMMDD date (text comparison).", "schema": {"type": "string"}, "example": "20260601"},
              {"name": "date_after", "in": "query", "description": "Composes dated strictly after this YYYYMMDD date (text comparison).", "schema": {"type": "string"}, "example": "20260101"},
              {
                "name": "tag",
                "in": "query",
                "description": "Repeatable, ANDed: `tag=X` requires tag X, `tag=-X` requires that the compose does not carry X. An empty value (`tag=`) selects the composes with no tag at all, whatever the other `tag` values say.",
                "style": "form",
                "explode": true,
                "schema": {"type": "array", "items": {"type": "string"}},
                "example": ["nightly", "-removed"]
              },
              {"name": "rpm_nvr", "in": "query", "description": "Kiln extension: composes whose RPM list holds an RPM (any variant, arch or package arch) of this build, given as `name-version-release` or, to pin the epoch, `name-epoch:version-release`. Anything else is 400 `Invalid value for \"rpm_nvr\": bash. It must be name-version-release, e.g. bash-5.2.26-3.fc40.`", "schema": {"type": "string"}, "example": "bash-5.2.26-3.fc40"},
              {"name": "rpm_name", "in": "query", "description": "Kiln extension: composes whose RPM list holds an RPM with this package name.", "schema": {"type": "string"}, "example": "bash"},
              {
                "name": "order_by",
                "in": "query",
                "description": "Repeatable sort keys, applied in order; `-` prefix for descending. Default `-date`, then `-id`; an empty value means the default.",
                "style": "form",
                "explode": true,
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/TrackedComposeOrderKey"}},
                "example": ["-date", "release_short"]
              },
              {"$ref": "#/components/parameters/Page"},
              {"$ref": "#/components/parameters/PerPage"}
            ],
            "responses": {
              "200": {
                "description": "One page of tracked composes.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/TrackedComposeList"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          },
          "post": {
            "tags": ["tracking"],
            "operationId": "ctsImportCompose",
            "summary": "Import (track) a compose",
            "description": "Records a compose described by its productmd `composeinfo.json` (what Pungi sends when `cts_url` is set). Needs an identity in role `allowed_builders` (admins are not builders) and, under OIDC, the scope `new-compose`: 401 without identity, 403 `Request does not have required scope new-compose` or `User <user> is not in role allowed_builders.` The builder recorded is the caller (`anonymous` under noauth).\n\nChecks, in order, each a 400 that stores nothing: the body is JSON (`Failed to decode JSON object: ...`), not empty, `{}` or `null` (`No JSON POST data submitted`, no trailing period, as CTS), a JSON object (`The request body must be a JSON object`), has `compose_info` (`No \"compose_info\" field in JSON POST data.`), `compose_info` follows productmd's rules (`Cannot parse \"compose_info\": <reason>`, e.g. `Compose: Field 'type' has invalid value: weird` or `missing key \"header\"`), `parent_compose_ids` is a list of compose ids, `respin_of` is a compose id, `compose_url` is an absolute http or https URL with a host and no user information, whitespace or control characters (`\"compose_url\" field must be a valid http(s) URL`; CTS stored anything), `rpms` is a valid productmd `rpms.json` document (`Cannot parse \"rpms\": <reason>`), every parent is tracked (`Cannot find parent compose with id <id>.`) and `respin_of` is tracked (`Cannot find respin_of compose with id <id>.`).\n\nThe stored id is productmd's `create_compose_id()` with the first respin at or above the requested one that is free for the release short name, version and date (whatever the compose type). Respins come from a counter kept in the importing transaction: parallel imports get different respins and a respin never goes down, so unlike CTS a lower respin requested later does not fill a gap. A `compose-created` message is written for the new compose, and a `compose-changed` one for each parent and for `respin_of`.\n\nThe answer is **200** (not 201) with the posted `composeinfo.json` as productmd writes it (header version 1.2), variants echoed as posted, and `payload.compose.id` and `respin` those Kiln stored. CTS echoed the client's id unless a respin bump happened.",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/ComposeImportRequest"}
                }
              }
            },
            "responses": {
              "200": {
                "description": "The compose was imported. The body is its productmd ComposeInfo with the stored id and respin.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ComposeInfo"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/composes/{compose_id}": {
          "description": "Methods GET, HEAD and PATCH; any other method answers 405 with `Allow: GET, HEAD, PATCH` (CTS: 500). A trailing slash is accepted.",
          "parameters": [
            {"$ref": "#/components/parameters/TrackedComposeId"}
          ],
          "get": {
            "tags": ["tracking"],
            "operationId": "ctsGetCompose",
            "summary": "Get one tracked compose",
            "description": "The compose JSON, or 404 `No such compose found.`",
            "security": [],
            "responses": {
              "200": {
                "description": "The tracked compose.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/TrackedCompose"}
                  }
                }
              },
              "404": {"$ref": "#/components/responses/ComposeNotFound"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          },
          "patch": {
            "tags": ["tracking"],
            "operationId": "ctsPatchCompose",
            "summary": "Tag, untag or set the URL of a tracked compose",
            "description": "Needs an identity (401) and, under OIDC, the scope `edit-compose` (403 `Request does not have required scope edit-compose`). Then, in order: the compose exists (404 `No such compose found.`), the body is not empty, `{}` or `null` (400 `No JSON PATCH data submitted.`), it has an `action` (400 `No \"action\" field in JSON PATCH data.`), and `user_data`, when given, is a string.\n\n* `tag` / `untag`: `tag` names an existing tag (400 `No \"tag\" field in JSON PATCH data.`, 400 `Tag \"<name>\" does not exist`), and the caller is one of the tag's taggers (untaggers), in one of its tagger (untagger) groups, or an admin (403 `User \"<user>\" does not have \"taggers\" permission for tag \"<tag>\".`, `\"untaggers\"` for untag). Idempotent: tagging a compose that carries the tag, or untagging one that does not, answers 200 and records nothing. An effective change records a `tagged` / `untagged` change with `user_data` and writes a `compose-tagged` / `compose-untagged` message.\n* `set_url`: the caller is in `allowed_builders` or an admin (403 `User \"<user>\" does not have permission to set compose_url`); `compose_url` is given (400 `No \"compose_url\" field in JSON PATCH data.`) and is an absolute http or https URL with a host and no user information, whitespace or control characters (400 `\"compose_url\" field must be a valid http(s) URL`). No change is recorded (as CTS); a `compose-changed` message is written, and Kiln schedules a new fetch of the compose's `rpms.json` from the new URL.\n* Any other action: 400 `Unknown action.`\n\nThe answer is 200 with the compose after the change.",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/TrackedComposePatch"},
                  "examples": {
                    "tag": {"value": {"action": "tag", "tag": "nightly", "user_data": "https://tickets.example/123"}},
                    "untag": {"value": {"action": "untag", "tag": "nightly"}},
                    "set_url": {"value": {"action": "set_url", "compose_url": "https://kojipkgs.example/compose/Fedora-Rawhide-20200517.n.1"}}
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The compose after the change (or unchanged, for a tag it already had or an untag of a tag it did not have).",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/TrackedCompose"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/ComposeNotFound"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/composes/{compose_id}/changes/": {
          "description": "Methods GET and HEAD; any other method answers 405. The trailing slash is optional.",
          "parameters": [
            {"$ref": "#/components/parameters/TrackedComposeId"}
          ],
          "get": {
            "tags": ["tracking"],
            "operationId": "ctsComposeChanges",
            "summary": "Change history of a tracked compose",
            "description": "Every change, oldest first: `created`, `tagged`, `untagged`, and Kiln's `moved` (written by `kiln track-locations` when it finds the compose at another URL). `set_url` records no change, as in CTS. Not paged. 404 `No such compose found.`",
            "security": [],
            "responses": {
              "200": {
                "description": "The compose's changes.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ChangeList"}
                  }
                }
              },
              "404": {"$ref": "#/components/responses/ComposeNotFound"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/composes/{compose_id}/repo/": {
          "description": "Methods GET and HEAD; any other method answers 405. The trailing slash is optional.",
          "parameters": [
            {"$ref": "#/components/parameters/TrackedComposeId"}
          ],
          "get": {
            "tags": ["tracking"],
            "operationId": "ctsComposeRepo",
            "summary": "A .repo file for one variant of a tracked compose",
            "description": "A dnf/yum `.repo` file pointing at `<compose_url>/compose/<variant>/$basearch/os/`. Checks, in order: the compose exists (404 `No such compose found.`), `variant` is given and not empty (400 `variant is required.`), `variant` is one of the compose's variants, as imported (or, for a compose imported before Kiln kept them, those of its RPM list) (404 `Compose <id> has no variant \"<variant>\".`; CTS wrote any text into the file), the compose has a `compose_url` (404 `Compose does not have any URL set`).",
            "security": [],
            "parameters": [
              {"name": "variant", "in": "query", "required": true, "description": "Variant id, e.g. `Server`. The variant is not checked against the compose.", "schema": {"type": "string", "minLength": 1}}
            ],
            "responses": {
              "200": {
                "description": "Five lines, each ending in a newline.",
                "content": {
                  "text/plain": {
                    "schema": {"type": "string"},
                    "example": "[Fedora-Rawhide-20200517.n.1-Server]\nname=Compose Fedora-Rawhide-20200517.n.1 (RPMs) - Server\nbaseurl=https://kojipkgs.example/compose/Fedora-Rawhide-20200517.n.1/compose/Server/$basearch/os/\nenabled=1\ngpgcheck=0\n"
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "404": {"$ref": "#/components/responses/ComposeNotFound"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/composes/{compose_id}/rpms/": {
          "description": "Kiln extension (neither CTS nor PDC has it). Methods GET, HEAD, POST and PUT; any other method answers 405 with `Allow: GET, HEAD, POST, PUT`. The trailing slash is optional.",
          "parameters": [
            {"$ref": "#/components/parameters/TrackedComposeId"}
          ],
          "get": {
            "tags": ["contents"],
            "operationId": "ctsListComposeRPMs",
            "summary": "The RPMs a tracked compose holds",
            "description": "One page of the compose's RPM list: one item per variant, arch and RPM, ordered by variant, arch, name, package arch, then epoch, version and release as text. Filters are exact and ignored when empty. The list comes from the `rpms.json` Kiln wrote (composes Kiln generated), one uploaded with the import or later, or one `kiln import-contents` fetched from `<compose_url>/compose/metadata/rpms.json`. 404 `No such compose found: <id>.` for an unknown compose, 404 `Compose <id> has no RPM list recorded.` while it has none.",
            "security": [],
            "parameters": [
              {"name": "variant", "in": "query", "description": "Exact variant id.", "schema": {"type": "string"}},
              {"name": "arch", "in": "query", "description": "Exact arch the RPM is listed under (a noarch or source package is listed under every arch that has it).", "schema": {"type": "string"}},
              {"name": "rpm_arch", "in": "query", "description": "Exact arch of the package itself (`x86_64`, `noarch`, `src`, ...).", "schema": {"type": "string"}},
              {"name": "name", "in": "query", "description": "Exact package name.", "schema": {"type": "string"}},
              {"name": "category", "in": "query", "description": "`binary`, `debug` or `source`; anything else is 400 `Invalid value for \"category\": rpm. It must be binary, debug or source.`", "schema": {"$ref": "#/components/schemas/RPMCategory"}},
              {"$ref": "#/components/parameters/Page"},
              {"$ref": "#/components/parameters/PerPage"}
            ],
            "responses": {
              "200": {
                "description": "One page of RPMs.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ComposeRPMList"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "404": {"$ref": "#/components/responses/NoRPMList"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          },
          "post": {
            "tags": ["contents"],
            "operationId": "ctsUploadComposeRPMs",
            "summary": "Record the RPM list of a tracked compose that has none",
            "description": "The body is the compose's productmd `rpms.json` document. Needs an identity (401) and, under OIDC, the scope `edit-compose` (403); only the compose's builder and admins may upload (403 `User \"<user>\" may not change the RPM list of compose <id>: only its builder (<builder>) and admins may.`). Checks, in order: the compose exists (404 `No such compose found.`), the body is not empty (400 `No JSON POST data submitted.`), it parses (400 `Cannot parse \"rpms\": <reason>`, productmd's `Rpms.add` rules), its `payload.compose.id`, when given, names this compose (400 `Cannot parse \"rpms\": it describes compose <other>, not <id>.`), and the compose has no list yet (409 `Compose <id> already has an RPM list; PUT replaces it.`). Bodies over the configured maximum get 413; larger composes are fetched from their `compose_url` instead.",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/RPMsDocument"}
                }
              }
            },
            "responses": {
              "200": {
                "description": "The list was recorded.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ContentsStatus"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/ComposeNotFound"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          },
          "put": {
            "tags": ["contents"],
            "operationId": "ctsReplaceComposeRPMs",
            "summary": "Record or replace the RPM list of a tracked compose",
            "description": "As POST, but an existing list (uploaded, fetched or generated) is replaced, so there is no 409; an empty body is 400 `No JSON PUT data submitted.`",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/RPMsDocument"}
                }
              }
            },
            "responses": {
              "200": {
                "description": "The list was recorded.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ContentsStatus"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/ComposeNotFound"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/composes/{compose_id}/diff/{other_compose_id}": {
          "description": "Kiln extension (neither CTS nor PDC has it). Methods GET and HEAD; any other method answers 405. A trailing slash is accepted.",
          "parameters": [
            {"$ref": "#/components/parameters/TrackedComposeId"},
            {"name": "other_compose_id", "in": "path", "required": true, "description": "The compose to compare with (the \"to\" side).", "schema": {"type": "string"}, "example": "Fedora-Rawhide-20200518.n.0"}
          ],
          "get": {
            "tags": ["contents"],
            "operationId": "ctsDiffComposes",
            "summary": "What changed from one tracked compose to another",
            "description": "Per variant and arch, the RPMs added, removed, upgraded and downgraded from `compose_id` to `other_compose_id`; only variants and arches where something changed are listed. Within one variant and arch the RPMs of one name and package arch pair up: the highest version leaving against the highest arriving is an upgrade or a downgrade in rpm's own order (epoch, version, release, each compared with rpmvercmp: `~` sorts before anything, `^` after the end); any other version of it is removed or added. What remains of a name on both sides (a package that changed arch) pairs up when it is exactly one RPM on each side. Two spellings of one version (`1.0`, `1.00`) are a removal and an addition. Lists are ordered by name, arch and version. Both composes must be tracked (404 `No such compose found: <id>.`) and have an RPM list (404 `Compose <id> has no RPM list recorded.`).",
            "security": [],
            "responses": {
              "200": {
                "description": "The differences.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ComposeDiff"}
                  }
                }
              },
              "404": {"$ref": "#/components/responses/NoRPMList"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/tags/": {
          "description": "Methods GET, HEAD and POST; any other method answers 405 with `Allow: GET, HEAD, POST`. The trailing slash is optional.",
          "get": {
            "tags": ["tracking tags"],
            "operationId": "ctsListTags",
            "summary": "List tags",
            "description": "One page of tags, `-id` first unless `order_by` says otherwise. Kiln seeds `periodic`, `nightly`, `milestone-candidate`, `milestone`, `qa-passed` and `removed`.",
            "security": [],
            "parameters": [
              {"name": "id", "in": "query", "description": "Exact tag id; a value that is not a number matches nothing.", "schema": {"type": "integer", "format": "int64"}},
              {"name": "name", "in": "query", "description": "Exact tag name.", "schema": {"type": "string"}},
              {
                "name": "order_by",
                "in": "query",
                "description": "Repeatable: `id`, `name`, `-id`, `-name`. Default `-id`. Anything else is 400 `An invalid order_by key was suplied, allowed keys are: id, name`.",
                "style": "form",
                "explode": true,
                "schema": {"type": "array", "items": {"type": "string", "enum": ["id", "name", "-id", "-name"]}}
              },
              {"$ref": "#/components/parameters/Page"},
              {"$ref": "#/components/parameters/PerPage"}
            ],
            "responses": {
              "200": {
                "description": "One page of tags.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/TagList"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          },
          "post": {
            "tags": ["tracking tags"],
            "operationId": "ctsCreateTag",
            "summary": "Create a tag",
            "description": "Admins only: 401 without identity, 403 `Request does not have required scope new-tag` under OIDC, 403 `User <user> is not in role admins.` Checks, in order: the body is not empty, `{}` or `null` (400 `No JSON POST data submitted.`), `name`, `description` and `documentation` are non-empty strings (400 `Tag \"name\" is not defined.`, then `description`, then `documentation`), `user_data` is a string when given, and the name is free (400 `Tag <name> already exists`). Records a `created` change with `user_data`. The answer is 200 with the new tag.",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/TagCreate"}
                }
              }
            },
            "responses": {
              "200": {
                "description": "The new tag.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/Tag"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/tags/{tag}": {
          "description": "Methods GET, HEAD and PATCH; any other method answers 405 with `Allow: GET, HEAD, PATCH`. A trailing slash is accepted.",
          "parameters": [
            {"$ref": "#/components/parameters/TagRef"}
          ],
          "get": {
            "tags": ["tracking tags"],
            "operationId": "ctsGetTag",
            "summary": "Get one tag by id or name",
            "description": "A value of digits only is a tag id, anything else a tag name. 404 `No such tag found.`",
            "security": [],
            "responses": {
              "200": {
                "description": "The tag.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/Tag"}
                  }
                }
              },
              "404": {"$ref": "#/components/responses/TagNotFound"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          },
          "patch": {
            "tags": ["tracking tags"],
            "operationId": "ctsPatchTag",
            "summary": "Edit a tag, its taggers and its untaggers",
            "description": "Admins only: 401 without identity, 403 `Request does not have required scope edit-tag` under OIDC, 403 `User <user> is not in role admins.` The tag is addressed by its **numeric id only**: a name, or an unknown id, is 404 `No such tag found.` An empty, `{}` or `null` body is 400 `No JSON POST data submitted.` (CTS's wording, \"POST\" included).\n\n`name`, `description` and `documentation` are applied when truthy (a non-string is 400 `Tag \"<key>\" must be a string.`; a rename to a taken name is 400 `Tag <name> already exists`); these edits record no change, as in CTS.\n\nThe optional `action` (`add_tagger`, `remove_tagger`, `add_untagger`, `remove_untagger`; else 400 `Unknown action.`) needs `username` and/or `group` (400 `Either \"username\" or \"group\" should be defined.`); the user is handled before the group. `add_*` creates an unknown user, and records a change every time for a user (the list gets no duplicate) but only when it is new for a group. `remove_*` of a user Kiln has never seen is 400 `User does not exist`; removing someone not listed does nothing. Changes carry `user_data`. The answer is 200 with the tag after the change.",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/TagPatch"},
                  "examples": {
                    "add_tagger": {"value": {"action": "add_tagger", "group": "qa", "user_data": "https://tickets.example/7"}},
                    "edit": {"value": {"description": "Composes that passed QA"}}
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The tag after the change.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/Tag"}
                  }
                }
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/TagNotFound"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/tags/{tag}/changes/": {
          "description": "Methods GET and HEAD; any other method answers 405. The trailing slash is optional.",
          "parameters": [
            {"$ref": "#/components/parameters/TagRef"}
          ],
          "get": {
            "tags": ["tracking tags"],
            "operationId": "ctsTagChanges",
            "summary": "Change history of a tag",
            "description": "Every change, oldest first: `created`, `add_tagger`, `remove_tagger`, `add_untagger`, `remove_untagger` (field edits record none). Not paged. The tag by id or name; 404 `No such tag found.`",
            "security": [],
            "responses": {
              "200": {
                "description": "The tag's changes.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/ChangeList"}
                  }
                }
              },
              "404": {"$ref": "#/components/responses/TagNotFound"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/userinfo": {
          "description": "Methods GET and HEAD; any other method answers 405. A trailing slash is accepted (CTS: no trailing slash).",
          "get": {
            "tags": ["tracking service"],
            "operationId": "ctsUserinfo",
            "summary": "Who the caller is and what they may do",
            "description": "The one read that needs an identity: 401 without one. It is also the one read whose bearer token httpd checks (an invalid or expired token is httpd's 401, same JSON shape). Permissions: `can_create_compose` = scope `new-compose` and role `allowed_builders`; `can_create_tag` = scope `new-tag` and admin; `can_edit_tag` = scope `edit-tag` and admin; `can_set_url` = scope `edit-compose` and (builder or admin); `is_tagger_of` / `is_untagger_of` = with scope `edit-compose`, the tags (in id order) the caller may put on / take off, all of them for an admin. Scopes only count under OIDC. Under noauth the user is `anonymous` and everything is allowed.",
            "responses": {
              "200": {
                "description": "The caller and their permissions.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/UserInfo"}
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        },
        "/cts/api/1/about/": {
          "description": "Methods GET and HEAD; any other method answers 405. The trailing slash is optional.",
          "get": {
            "tags": ["tracking service"],
            "operationId": "ctsAbout",
            "summary": "About the tracking service",
            "description": "Version, authentication backend and the `allowed_builders` role, as CTS `/api/1/about/`. Needs no database. CTS showed `allowed_builders` as its raw configuration dict; Kiln shows two lists of names.",
            "security": [],
            "responses": {
              "200": {
                "description": "Information about this service.",
                "content": {
                  "application/json": {
                    "schema": {"$ref": "#/components/schemas/TrackingAbout"}
                  }
                }
              }
            }
          }
        },
        "/cts/api/1/metrics/": {
          "description": "Methods GET and HEAD; any other method answers 405. The trailing slash is optional.",
          "get": {
            "tags": ["tracking service"],
            "operationId": "ctsMetrics",
            "summary": "Prometheus metrics of the tracking service",
            "description": "The gauge `composes_total{tag=\"<name>\"}`, the number of tracked composes carrying each tag, computed when requested, in the Prometheus text exposition format (`text/plain; version=0.0.4; charset=utf-8`). Every tag is listed, also those on no compose (CTS listed only tags in use, and added its process metrics).",
            "security": [],
            "responses": {
              "200": {
                "description": "Prometheus text exposition.",
                "content": {
                  "text/plain": {
                    "schema": {"type": "string"},
                    "example": "# HELP composes_total Number of tagged composes\n# TYPE composes_total gauge\ncomposes_total{tag=\"nightly\"} 12\ncomposes_total{tag=\"removed\"} 0\n"
                  }
                }
              },
              "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
            }
          }
        }
      },
      "components": {
        "securitySchemes": {
          "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "OIDC access token, validated by mod_auth_openidc in httpd. Depending on the deployment, Kerberos (SPNEGO) or a TLS client certificate may be used instead; Kiln only sees the identity httpd established."
          }
        },
        "parameters": {
          "ComposeId": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Compose id. A non-integer id matches no route (404).",
            "schema": {"type": "integer", "minimum": 1}
          },
          "TrackedComposeId": {
            "name": "compose_id",
            "in": "path",
            "required": true,
            "description": "A productmd compose id as Kiln stored it (percent-encode reserved characters).",
            "schema": {"type": "string"},
            "example": "Fedora-Rawhide-20200517.n.1"
          },
          "TagRef": {
            "name": "tag",
            "in": "path",
            "required": true,
            "description": "A tag: digits only are its numeric id, anything else its name (PATCH takes the id only).",
            "schema": {"type": "string"},
            "example": "nightly"
          },
          "Page": {
            "name": "page",
            "in": "query",
            "description": "Page number, starting at 1. A non-integer falls back to 1; below 1 counts as 1; above 2147483647 answers 400. A page past the end answers 200 with no items.",
            "schema": {"type": "integer", "default": 1, "maximum": 2147483647}
          },
          "PerPage": {
            "name": "per_page",
            "in": "query",
            "description": "Items per page: default 10, at most 1000 (CTS: unbounded). A non-integer falls back to 10, a negative value counts as 20, and 0 gives no items and `pages` 0.",
            "schema": {"type": "integer", "default": 10, "maximum": 1000}
          }
        },
        "responses": {
          "BadRequest": {
            "description": "Invalid request (bad JSON, failed validation, invalid filter or order key, wrong state for the operation).",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 400, "error": "Bad Request", "message": "No JSON POST data submitted"}
              }
            }
          },
          "Unauthorized": {
            "description": "The request needs an identity and none was established.",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 401, "error": "Unauthorized", "message": "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required."}
              }
            }
          },
          "Forbidden": {
            "description": "The caller lacks the role, the OIDC scope, or the per-client permission for this input.",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 403, "error": "Forbidden", "message": "User dev is not in role allowed_clients."}
              }
            }
          },
          "NotFound": {
            "description": "No such compose (or, for PATCH, no compose in a renewable state).",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 404, "error": "Not Found", "message": "No such compose found."}
              }
            }
          },
          "MethodNotAllowed": {
            "description": "The route exists but does not support this method. The `Allow` header lists the supported ones.",
            "headers": {
              "Allow": {"description": "Supported methods.", "schema": {"type": "string"}}
            },
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 405, "error": "Method Not Allowed", "message": "The method is not allowed for the requested URL."}
              }
            }
          },
          "PayloadTooLarge": {
            "description": "The request body exceeds the configured maximum size.",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 413, "error": "Request Entity Too Large", "message": "The request body is larger than 1048576 bytes."}
              }
            }
          },
          "UnsupportedMediaType": {
            "description": "The request has a body that is not declared as JSON (`Content-Type` other than `application/json` or `application/<x>+json`, or none). The body is not read.",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 415, "error": "Unsupported Media Type", "message": "The request body must be JSON, sent with Content-Type: application/json, not \"text/plain\"."}
              }
            }
          },
          "ServiceUnavailable": {
            "description": "The compose could not be scheduled (the backend queue is unavailable).",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 503, "error": "Service Unavailable", "message": "The database is unavailable; try again shortly."}
              }
            }
          },
          "About": {
            "description": "Information about this service.",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/About"}
              }
            }
          },
          "ComposeNotFound": {
            "description": "No tracked compose has this id.",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 404, "error": "Not Found", "message": "No such compose found."}
              }
            }
          },
          "TagNotFound": {
            "description": "No tag has this id or name (for PATCH: this id).",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 404, "error": "Not Found", "message": "No such tag found."}
              }
            }
          },
          "NoRPMList": {
            "description": "A compose is not tracked (`No such compose found: <id>.`) or has no RPM list recorded (`Compose <id> has no RPM list recorded.`: not uploaded, or the fetch from its `compose_url` is pending or failing).",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 404, "error": "Not Found", "message": "Compose Fedora-Rawhide-20200517.n.1 has no RPM list recorded."}
              }
            }
          },
          "Conflict": {
            "description": "The request conflicts with the current state.",
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 409, "error": "Conflict", "message": "Compose Fedora-Rawhide-20200517.n.1 already has an RPM list; PUT replaces it."}
              }
            }
          },
          "DatabaseUnavailable": {
            "description": "The database cannot be reached; retry. The next request on each responder reconnects.",
            "headers": {
              "Retry-After": {"description": "Seconds to wait (5).", "schema": {"type": "integer"}}
            },
            "content": {
              "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"status": 503, "error": "Service Unavailable", "message": "The database is unavailable; try again shortly."}
              }
            }
          }
        },
        "schemas": {
          "Error": {
            "type": "object",
            "description": "Every error response, with `status` equal to the HTTP status.",
            "required": ["status", "error", "message"],
            "properties": {
              "status": {"type": "integer", "description": "HTTP status code."},
              "error": {"type": "string", "description": "HTTP reason phrase, e.g. `Bad Request`."},
              "message": {"type": "string", "description": "Human-readable explanation."}
            }
          },
          "StateName": {
            "type": "string",
            "description": "Compose state name: wait (0), generating (1), done (2), removed (3), failed (4).",
            "enum": ["wait", "generating", "done", "removed", "failed"]
          },
          "SourceTypeName": {
            "type": "string",
            "description": "Source type name: tag (1), module (2), repo (3), pulp (4), raw_config (5), build (6), pungi_compose (7).",
            "enum": ["tag", "module", "repo", "pulp", "raw_config", "build", "pungi_compose"]
          },
          "FlagName": {
            "type": "string",
            "description": "Compose flag. In the compose JSON, flags are listed in bit order: no_deps (1), no_inheritance (2), include_unpublished_pulp_repos (4), check_deps (8), include_done_modules (16), ignore_absent_pulp_repos (32), no_reuse (64), use_only_compatible_arch (128), no_label (256).",
            "enum": ["no_deps", "no_inheritance", "include_unpublished_pulp_repos", "check_deps", "include_done_modules", "ignore_absent_pulp_repos", "no_reuse", "use_only_compatible_arch", "no_label"]
          },
          "ResultName": {
            "type": "string",
            "description": "Compose result: repository (1, always present), iso (2), ostree (4), boot.iso (8).",
            "enum": ["repository", "iso", "ostree", "boot.iso"]
          },
          "MultilibMethodName": {
            "type": "string",
            "description": "Multilib method: none (0), runtime (1), devel (2), all (4).",
            "enum": ["none", "runtime", "devel", "all"]
          },
          "Compose": {
            "type": "object",
            "description": "A compose, as ODCS `Compose.json()`. Lists of values are stored and shown as space-separated strings.",
            "required": [
              "id", "owner", "source_type", "source", "state", "state_name", "state_reason",
              "time_to_expire", "time_submitted", "time_started", "time_done", "time_removed", "removed_by",
              "result_repo", "result_repofile", "toplevel_url", "flags", "results", "sigkeys",
              "koji_event", "koji_task_id", "packages", "builds", "arches", "multilib_arches", "multilib_method",
              "lookaside_repos", "modular_koji_tags", "module_defaults_url", "label", "compose_type", "pungi_compose_id",
              "target_dir", "scratch_modules", "parent_pungi_compose_ids", "scratch_build_tasks", "modules", "respin_of",
              "base_module_br_name", "base_module_br_stream", "base_module_br_stream_version_lte", "base_module_br_stream_version_gte"
            ],
            "properties": {
              "id": {"type": "integer", "description": "Compose id."},
              "owner": {"type": "string", "description": "User who requested the compose (`unknown` without authentication)."},
              "source_type": {"type": "integer", "enum": [1, 2, 3, 4, 5, 6, 7], "description": "1 tag, 2 module, 3 repo, 4 pulp, 5 raw_config, 6 build, 7 pungi_compose."},
              "source": {"type": "string", "description": "Space-separated sources (tag, modules, content sets, `name#commit`, URL...)."},
              "state": {"type": "integer", "enum": [0, 1, 2, 3, 4], "description": "0 wait, 1 generating, 2 done, 3 removed, 4 failed."},
              "state_name": {"$ref": "#/components/schemas/StateName"},
              "state_reason": {"type": "string", "nullable": true, "description": "Why the compose is in its state."},
              "time_to_expire": {"type": "string", "format": "date-time", "description": "When the compose expires and is removed."},
              "time_submitted": {"type": "string", "format": "date-time", "description": "When the compose was requested."},
              "time_started": {"type": "string", "format": "date-time", "nullable": true, "description": "When generation started."},
              "time_done": {"type": "string", "format": "date-time", "nullable": true, "description": "When generation finished successfully."},
              "time_removed": {"type": "string", "format": "date-time", "nullable": true, "description": "When the compose was removed."},
              "removed_by": {"type": "string", "nullable": true, "description": "User who deleted the compose."},
              "result_repo": {"type": "string", "description": "URL of the repository (`<target_dir_url>/odcs-N/compose/Temporary`); empty for raw_config or a non-default target_dir."},
              "result_repofile": {"type": "string", "description": "URL of the .repo file; empty for raw_config or a non-default target_dir."},
              "toplevel_url": {"type": "string", "description": "URL of the compose directory (`<target_dir_url>/odcs-N`); empty for a non-default target_dir."},
              "flags": {"type": "array", "items": {"$ref": "#/components/schemas/FlagName"}, "description": "Flag names in bit order."},
              "results": {"type": "array", "items": {"$ref": "#/components/schemas/ResultName"}, "description": "Result names in bit order."},
              "sigkeys": {"type": "string", "description": "Space-separated signing keys in preference order; empty when none."},
              "koji_event": {"type": "integer", "nullable": true, "description": "Koji event the compose is pinned to."},
              "koji_task_id": {"type": "integer", "nullable": true, "description": "Koji task id."},
              "packages": {"type": "string", "nullable": true, "description": "Space-separated package names."},
              "builds": {"type": "string", "nullable": true, "description": "Space-separated build NVRs."},
              "arches": {"type": "string", "description": "Space-separated architectures."},
              "multilib_arches": {"type": "string", "description": "Space-separated multilib architectures."},
              "multilib_method": {"type": "integer", "minimum": 0, "description": "Bitmask: runtime 1, devel 2, all 4 (0 = none)."},
              "lookaside_repos": {"type": "string", "nullable": true, "description": "Space-separated lookaside repository URLs."},
              "modular_koji_tags": {"type": "string", "nullable": true, "description": "Space-separated Koji tags with modules."},
              "module_defaults_url": {"type": "string", "nullable": true, "description": "`<git url> <commit or branch>` of the module defaults."},
              "label": {"type": "string", "nullable": true, "description": "Compose label."},
              "compose_type": {"type": "string", "nullable": true, "description": "test, ci, nightly, production or development."},
              "pungi_compose_id": {"type": "string", "nullable": true, "description": "Pungi compose id, e.g. `odcs-12-1-20240101.t.0`."},
              "target_dir": {"type": "string", "description": "`default`, the name of a configured extra target dir, or `unknown`."},
              "scratch_modules": {"type": "string", "nullable": true, "description": "Space-separated N:S:V:C of scratch modules."},
              "parent_pungi_compose_ids": {"type": "string", "nullable": true, "description": "Space-separated parent Pungi compose ids."},
              "scratch_build_tasks": {"type": "string", "nullable": true, "description": "Space-separated Koji scratch build task ids."},
              "modules": {"type": "string", "nullable": true, "description": "Space-separated N:S:V:C of (non-scratch) modules."},
              "respin_of": {"type": "string", "nullable": true, "description": "Pungi compose id this compose is a respin of."},
              "base_module_br_name": {"type": "string", "nullable": true, "description": "Base module buildrequire name."},
              "base_module_br_stream": {"type": "string", "nullable": true, "description": "Base module buildrequire stream."},
              "base_module_br_stream_version_lte": {"type": "integer", "nullable": true, "description": "Base module stream version upper bound."},
              "base_module_br_stream_version_gte": {"type": "integer", "nullable": true, "description": "Base module stream version lower bound."}
            },
            "example": {
              "id": 3, "owner": "dev", "source_type": 2, "source": "testmodule:master",
              "state": 0, "state_name": "wait", "state_reason": null,
              "time_to_expire": "2024-01-02T10:00:00Z", "time_submitted": "2024-01-01T10:00:00Z",
              "time_started": null, "time_done": null, "time_removed": null, "removed_by": null,
              "result_repo": "http://localhost/odcs/odcs-3/compose/Temporary",
              "result_repofile": "http://localhost/odcs/odcs-3/compose/Temporary/odcs-3.repo",
              "toplevel_url": "http://localhost/odcs/odcs-3",
              "flags": [], "results": ["repository"], "sigkeys": "", "koji_event": null, "koji_task_id": null,
              "packages": null, "builds": null, "arches": "x86_64", "multilib_arches": "", "multilib_method": 0,
              "lookaside_repos": "", "modular_koji_tags": null, "module_defaults_url": null, "label": null,
              "compose_type": "test", "pungi_compose_id": null, "target_dir": "default", "scratch_modules": null,
              "parent_pungi_compose_ids": null, "scratch_build_tasks": null, "modules": null, "respin_of": null,
              "base_module_br_name": null, "base_module_br_stream": null,
              "base_module_br_stream_version_lte": null, "base_module_br_stream_version_gte": null
            }
          },
          "ComposeDetail": {
            "description": "A compose with all fields, as returned by GET `/api/1/composes/{id}`.",
            "allOf": [
              {"$ref": "#/components/schemas/Compose"},
              {
                "type": "object",
                "required": ["pungi_config_dump"],
                "properties": {
                  "pungi_config_dump": {"type": "string", "nullable": true, "description": "The Pungi configuration used (raw_config production/development composes)."},
                  "progress": {
                    "type": "object",
                    "description": "Kiln only, once a generator has taken the compose: the phase and how far into it the generator is.",
                    "required": ["phase", "done", "total"],
                    "properties": {
                      "phase": {"type": "string", "example": "placing packages"},
                      "done": {"type": "integer"},
                      "total": {"type": "integer"}
                    }
                  }
                }
              }
            ]
          },
          "Meta": {
            "type": "object",
            "description": "Pagination information. The links are absolute URLs.",
            "required": ["page", "pages", "per_page", "total", "first", "last", "prev", "next"],
            "properties": {
              "page": {"type": "integer", "description": "This page number."},
              "pages": {"type": "integer", "description": "Number of pages (0 when there are no items or per_page is 0)."},
              "per_page": {"type": "integer", "description": "Items per page."},
              "total": {"type": "integer", "description": "Number of matching composes."},
              "first": {"type": "string", "format": "uri", "description": "Link to the first page."},
              "last": {"type": "string", "format": "uri", "description": "Link to the last page."},
              "prev": {"type": "string", "format": "uri", "nullable": true, "description": "Link to the previous page, null on the first page."},
              "next": {"type": "string", "format": "uri", "nullable": true, "description": "Link to the next page, null on the last page."}
            }
          },
          "ComposeList": {
            "type": "object",
            "required": ["items", "meta"],
            "properties": {
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/Compose"}},
              "meta": {"$ref": "#/components/schemas/Meta"}
            }
          },
          "ComposeSource": {
            "type": "object",
            "description": "What to compose. List values are joined with spaces when stored. What `source` must hold for each `type` (an empty or missing one where it is required answers 400 `No source provided for <type number>`): `tag` a Koji tag; `module` N:S, N:S:V or N:S:V:C entries (may be empty when `scratch_modules` is given; base modules answer 400); `repo` absolute paths of existing repositories under the configured `repo_roots`, or http(s) URLs (others answer 400); `pulp` content sets or repository ids; `raw_config` exactly one `name#commit` whose name is configured in `raw_config_urls` (400 otherwise); `build` nothing (may be empty: the content is `builds`); `pungi_compose` the URL of a Pungi variant directory.",
            "required": ["type"],
            "properties": {
              "type": {"$ref": "#/components/schemas/SourceTypeName"},
              "source": {"type": "string", "description": "Space-separated sources. Required (non-empty) except for `build` and for `module` with `scratch_modules`. `raw_config` takes exactly one `name#commit`; `module` takes N:S, N:S:V or N:S:V:C entries (base modules are refused)."},
              "packages": {"type": "array", "items": {"type": "string"}, "description": "Package names to include."},
              "builds": {"type": "array", "items": {"type": "string"}, "description": "Build NVRs to include."},
              "sigkeys": {"type": "array", "items": {"type": "string"}, "description": "Signing keys in preference order; an empty string allows unsigned packages. Defaults to the configured sigkeys."},
              "koji_event": {"type": "integer", "description": "Koji event to pin the content to, 0 to 2147483647 (400 otherwise).", "minimum": 0, "maximum": 2147483647},
              "modular_koji_tags": {"type": "array", "items": {"type": "string"}, "description": "Koji tags with modules."},
              "module_defaults_url": {"type": "string", "description": "Git URL of the module defaults; must be given together with `module_defaults_commit`."},
              "module_defaults_commit": {"type": "string", "description": "Commit or branch of the module defaults; must be given together with `module_defaults_url`."},
              "scratch_modules": {"type": "array", "items": {"type": "string"}, "description": "N:S:V:C of scratch modules."},
              "scratch_build_tasks": {"type": "array", "items": {"type": "string"}, "description": "Koji scratch build task ids."},
              "modules": {"type": "array", "items": {"type": "string"}, "description": "N:S:V:C of modules."},
              "base_module_br_name": {"type": "string", "description": "Base module buildrequire name."},
              "base_module_br_stream": {"type": "string", "description": "Base module buildrequire stream."},
              "base_module_br_stream_version_lte": {"type": "integer", "description": "Base module stream version upper bound, 0 to 2147483647 (400 otherwise).", "minimum": 0, "maximum": 2147483647},
              "base_module_br_stream_version_gte": {"type": "integer", "description": "Base module stream version lower bound, 0 to 2147483647 (400 otherwise).", "minimum": 0, "maximum": 2147483647}
            }
          },
          "ComposeRequest": {
            "type": "object",
            "description": "Body of POST `/api/1/composes/`. Unknown keys are ignored.",
            "required": ["source"],
            "properties": {
              "source": {"$ref": "#/components/schemas/ComposeSource"},
              "seconds_to_live": {"type": "integer", "description": "Lifetime in seconds after completion; default 86400 (also for 0), clamped to the configured maximum. A negative value answers 400.", "minimum": 0},
              "seconds-to-live": {
                "description": "Legacy alias of `seconds_to_live` (sent by the `odcs` client), used when `seconds_to_live` is absent; a numeric string is accepted.",
                "anyOf": [{"type": "integer"}, {"type": "string"}]
              },
              "flags": {"type": "array", "items": {"$ref": "#/components/schemas/FlagName"}},
              "results": {"type": "array", "items": {"$ref": "#/components/schemas/ResultName"}, "description": "`repository` is always added."},
              "arches": {"type": "array", "items": {"type": "string"}, "description": "Architectures; default the configured arches (x86_64)."},
              "multilib_arches": {"type": "array", "items": {"type": "string"}},
              "multilib_method": {"type": "array", "items": {"$ref": "#/components/schemas/MultilibMethodName"}},
              "lookaside_repos": {"type": "array", "items": {"type": "string"}, "description": "Lookaside repository URLs."},
              "parent_pungi_compose_ids": {"type": "array", "items": {"type": "string"}},
              "label": {"type": "string", "description": "Compose label (passed to pungi-koji) in productmd's format, `<milestone>-<major>.<minor>` (`Alpha-1.0`, `RC-1.2`; milestones EA, DevelPhaseExit, InternalAlpha, Alpha, InternalSnapshot, Beta, Snapshot, RC, Update, SecurityFix); anything else answers 400. Empty means none.", "pattern": "^((EA|DevelPhaseExit|InternalAlpha|Alpha|InternalSnapshot|Beta|Snapshot|RC|Update|SecurityFix)-[0-9]+\\.[0-9]+)?$"},
              "compose_type": {"type": "string", "description": "One of the configured `compose_types` (by default test, ci, nightly, production, development); default test. Any other answers 400.", "enum": ["test", "ci", "nightly", "production", "development"]},
              "target_dir": {"type": "string", "description": "`default` or the name of a configured extra target dir."},
              "respin_of": {"type": "string", "description": "Pungi compose id this compose respins."}
            }
          },
          "RenewRequest": {
            "type": "object",
            "description": "Optional body of PATCH `/api/1/composes/{id}`. Other keys are ignored.",
            "properties": {
              "seconds_to_live": {"type": "integer", "description": "New lifetime in seconds from now; default 86400 (also for 0), clamped to the configured maximum. A negative value answers 400.", "minimum": 0},
              "seconds-to-live": {
                "description": "Legacy alias of `seconds_to_live`; the `odcs` CLI sends it as a string.",
                "anyOf": [{"type": "integer"}, {"type": "string"}]
              },
              "label": {"type": "string", "description": "A new label in productmd's format (as for POST; 400 otherwise); a different label creates a new compose.", "pattern": "^((EA|DevelPhaseExit|InternalAlpha|Alpha|InternalSnapshot|Beta|Snapshot|RC|Update|SecurityFix)-[0-9]+\\.[0-9]+)?$"},
              "sigkeys": {"type": "array", "items": {"type": "string"}, "description": "New signing keys; different sigkeys create a new compose."},
              "source": {
                "type": "object",
                "description": "Content overrides; either key creates a new compose.",
                "properties": {
                  "modules": {"type": "array", "items": {"type": "string"}},
                  "builds": {"type": "array", "items": {"type": "string"}}
                }
              }
            }
          },
          "DeleteResponse": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {
              "status": {"type": "integer", "description": "Always 202.", "example": 202},
              "message": {"type": "string", "description": "What was done."}
            }
          },
          "About": {
            "type": "object",
            "required": ["version", "auth_backend", "allowed_clients", "raw_config_urls", "sigkeys"],
            "properties": {
              "version": {"type": "string", "description": "Service version."},
              "auth_backend": {"type": "string", "description": "noauth, kerberos, openidc, kerberos_or_ssl, oidc_or_kerberos or ssl."},
              "allowed_clients": {"type": "object", "additionalProperties": true, "description": "`{\"groups\": {...}, \"users\": {...}}` with per-client permitted attributes."},
              "raw_config_urls": {"type": "object", "additionalProperties": true, "description": "Configured raw config sources by name."},
              "sigkeys": {"type": "array", "items": {"type": "string"}, "description": "Default signing keys."}
            }
          },
          "BooleanFilter": {
            "type": "string",
            "description": "`true`, `false`, `1` or `0`, in any case.",
            "pattern": "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)$"
          },
          "TrackedComposeOrderKey": {
            "type": "string",
            "description": "A field of the tracked compose list, `-` prefixed for descending order.",
            "enum": [
              "id", "date", "respin", "type", "label", "final", "release_name", "release_version", "release_short",
              "release_is_layered", "release_type", "release_internal", "base_product_name", "base_product_short",
              "base_product_version", "base_product_type", "builder",
              "-id", "-date", "-respin", "-type", "-label", "-final", "-release_name", "-release_version", "-release_short",
              "-release_is_layered", "-release_type", "-release_internal", "-base_product_name", "-base_product_short",
              "-base_product_version", "-base_product_type", "-builder"
            ]
          },
          "ComposeTypeName": {
            "type": "string",
            "description": "productmd compose type; the id suffix is `.t`, `.ci`, `.n`, none, `.d` respectively.",
            "enum": ["test", "ci", "nightly", "production", "development"]
          },
          "ComposeInfo": {
            "type": "object",
            "description": "A productmd `composeinfo.json` as Kiln writes it (header version 1.2). In the tracked compose JSON it is rebuilt from the stored fields and `variants` is always `{}`; the import answer echoes the posted variants.",
            "required": ["header", "payload"],
            "properties": {
              "header": {
                "type": "object",
                "required": ["type", "version"],
                "properties": {
                  "type": {"type": "string", "enum": ["productmd.composeinfo"]},
                  "version": {"type": "string", "enum": ["1.2"]}
                }
              },
              "payload": {
                "type": "object",
                "required": ["compose", "release", "variants"],
                "properties": {
                  "compose": {
                    "type": "object",
                    "required": ["id", "date", "respin", "type"],
                    "properties": {
                      "id": {"type": "string", "description": "productmd's `create_compose_id()`, e.g. `Fedora-Rawhide-20200517.n.1`."},
                      "date": {"type": "string", "pattern": "^[0-9]{8}$", "description": "YYYYMMDD."},
                      "respin": {"type": "integer", "minimum": 0},
                      "type": {"$ref": "#/components/schemas/ComposeTypeName"},
                      "label": {"type": "string", "description": "Only when the compose has a label, e.g. `RC-1.0`."},
                      "final": {"type": "boolean", "description": "Only together with `label`. Kiln reports the imported value; CTS always said false."}
                    },
                    "additionalProperties": false
                  },
                  "release": {
                    "type": "object",
                    "required": ["name", "short", "version", "type", "internal"],
                    "properties": {
                      "name": {"type": "string"},
                      "short": {"type": "string"},
                      "version": {"type": "string"},
                      "type": {"type": "string", "description": "Lower case; `ga` when the import had none."},
                      "internal": {"type": "boolean"},
                      "is_layered": {"type": "boolean", "enum": [true], "description": "Only for a layered release."}
                    },
                    "additionalProperties": false
                  },
                  "base_product": {
                    "type": "object",
                    "description": "Only for a layered release.",
                    "required": ["name", "short", "version", "type"],
                    "properties": {
                      "name": {"type": "string"},
                      "short": {"type": "string"},
                      "version": {"type": "string"},
                      "type": {"type": "string"}
                    },
                    "additionalProperties": false
                  },
                  "variants": {"type": "object", "additionalProperties": true, "description": "`{}` in the tracked compose JSON (variants are not stored); as posted in the import answer."}
                },
                "additionalProperties": false
              }
            },
            "additionalProperties": false
          },
          "ComposeInfoInput": {
            "type": "object",
            "description": "A productmd `composeinfo.json` as Pungi writes it, checked by productmd's rules (other keys are ignored): header version `<major>.<minor>`, at least 1.0, with type `productmd.composeinfo` from 1.1 on; compose `id` non-empty with 8 consecutive digits; `date` YYYYMMDD; `type` a compose type; `respin` an integer from 0; `label` (optional) `<milestone>-<X>.<Y>` with a productmd milestone name (EA, DevelPhaseExit, InternalAlpha, Alpha, InternalSnapshot, Beta, Snapshot, RC, Update, SecurityFix); `final` only counts with a label; release and base product `name` and `short` non-empty, `version` a name or dotted numbers, `type` (any case) one of fast, ga, updates, updates-testing, eus, aus, els, tus, e4s; `base_product` required when the release is layered. The id Kiln stores is rebuilt from these fields; the posted `id` is only checked.",
            "required": ["header", "payload"],
            "properties": {
              "header": {
                "type": "object",
                "required": ["version"],
                "properties": {
                  "type": {"type": "string", "description": "`productmd.composeinfo`; required from version 1.1 on."},
                  "version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$"}
                }
              },
              "payload": {
                "type": "object",
                "required": ["compose", "release", "variants"],
                "properties": {
                  "compose": {
                    "type": "object",
                    "required": ["id", "date", "type", "respin"],
                    "properties": {
                      "id": {"type": "string", "pattern": "[0-9]{8}"},
                      "date": {"type": "string", "pattern": "^[0-9]{8}$"},
                      "type": {"$ref": "#/components/schemas/ComposeTypeName"},
                      "respin": {"type": "integer", "minimum": 0, "maximum": 2147483647},
                      "label": {"type": "string", "nullable": true},
                      "final": {"type": "boolean", "nullable": true}
                    }
                  },
                  "release": {"$ref": "#/components/schemas/ProductInput"},
                  "base_product": {"$ref": "#/components/schemas/ProductInput"},
                  "variants": {"type": "object", "additionalProperties": true, "description": "Variants by id. Not stored; echoed in the import answer. The first (sorted) matters only for RHEL 5 ids."}
                }
              }
            }
          },
          "ProductInput": {
            "type": "object",
            "description": "A release or base product in an imported `composeinfo.json`. `is_layered` and `internal` apply to the release only.",
            "required": ["name", "short", "version"],
            "properties": {
              "name": {"type": "string", "minLength": 1},
              "short": {"type": "string", "minLength": 1},
              "version": {"type": "string", "minLength": 1, "description": "A name that does not start with a digit, or dotted numbers."},
              "type": {"type": "string", "nullable": true, "description": "ga (default), fast, updates, updates-testing, eus, aus, els, tus or e4s, any case."},
              "is_layered": {"type": "boolean", "nullable": true},
              "internal": {"type": "boolean", "nullable": true}
            }
          },
          "ComposeImportRequest": {
            "type": "object",
            "description": "Body of POST `/cts/api/1/composes/`. Other keys are ignored.",
            "required": ["compose_info"],
            "properties": {
              "compose_info": {"$ref": "#/components/schemas/ComposeInfoInput"},
              "parent_compose_ids": {"type": "array", "nullable": true, "items": {"type": "string", "minLength": 1}, "description": "Tracked composes this one was built from (repeats count once)."},
              "respin_of": {"type": "string", "nullable": true, "description": "The tracked compose this one respins; an empty string counts as none."},
              "compose_url": {"type": "string", "nullable": true, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@\\s]+([/?#][^\\s]*)?$", "description": "Where the compose lives: an absolute http or https URL with a host (a DNS name, an IPv4 address or a bracketed IPv6 address, optionally a port 1-65535), without user information, whitespace or control characters."},
              "rpms": {
                "description": "Kiln extension: the compose's productmd `rpms.json`, recorded as its RPM list in the same transaction (a malformed one refuses the whole import).",
                "nullable": true,
                "allOf": [{"$ref": "#/components/schemas/RPMsDocument"}]
              }
            }
          },
          "TrackedCompose": {
            "type": "object",
            "description": "A tracked compose, as CTS's ComposeJSON. Also the `compose` of every tracking message.",
            "required": ["compose_info", "builder", "tags", "parents", "children", "respin_of", "respun_by", "compose_url"],
            "properties": {
              "compose_info": {"$ref": "#/components/schemas/ComposeInfo"},
              "builder": {"type": "string", "description": "Who imported it (`kiln` for composes Kiln generated)."},
              "tags": {"type": "array", "items": {"type": "string"}, "description": "Names of the tags it carries."},
              "parents": {"type": "array", "items": {"type": "string"}, "description": "Ids of the composes it was built from."},
              "children": {"type": "array", "items": {"type": "string"}, "description": "Ids of the composes built from it."},
              "respin_of": {"type": "string", "nullable": true, "description": "Id of the compose it respins."},
              "respun_by": {"type": "array", "items": {"type": "string"}, "description": "Ids of its respins."},
              "compose_url": {"type": "string", "nullable": true, "description": "Where it lives (set at import, by `set_url`, or by `kiln track-locations`)."}
            },
            "additionalProperties": false
          },
          "TrackedComposeList": {
            "type": "object",
            "required": ["items", "meta"],
            "properties": {
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/TrackedCompose"}},
              "meta": {"$ref": "#/components/schemas/Meta"}
            },
            "additionalProperties": false
          },
          "TrackedComposePatch": {
            "type": "object",
            "description": "Body of PATCH `/cts/api/1/composes/{compose_id}`.",
            "required": ["action"],
            "properties": {
              "action": {"type": "string", "enum": ["tag", "untag", "set_url"]},
              "tag": {"type": "string", "minLength": 1, "description": "For `tag` and `untag`: the tag name."},
              "compose_url": {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@\\s]+([/?#][^\\s]*)?$", "description": "For `set_url`: the new location, an absolute http or https URL as for import."},
              "user_data": {"type": "string", "nullable": true, "description": "Free text (e.g. a ticket URL) kept in the change record and the message."}
            }
          },
          "Change": {
            "type": "object",
            "description": "One entry of a compose's or a tag's history.",
            "required": ["time", "action", "user", "message", "user_data"],
            "properties": {
              "time": {"type": "string", "format": "date-time", "description": "UTC, `YYYY-MM-DDTHH:MM:SSZ`."},
              "action": {"type": "string", "description": "Compose: `created`, `tagged`, `untagged`, `moved`. Tag: `created`, `add_tagger`, `remove_tagger`, `add_untagger`, `remove_untagger`."},
              "user": {"type": "string", "description": "Who made the change."},
              "message": {"type": "string", "nullable": true, "description": "e.g. `User \"alice\" added \"nightly\" tag.`; null for `created`."},
              "user_data": {"type": "string", "nullable": true, "description": "The `user_data` of the request."}
            },
            "additionalProperties": false
          },
          "ChangeList": {
            "type": "object",
            "required": ["changes"],
            "properties": {
              "changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}}
            },
            "additionalProperties": false
          },
          "Tag": {
            "type": "object",
            "description": "A tag; the lists are in the order they were granted.",
            "required": ["id", "name", "description", "documentation", "taggers", "untaggers", "tagger_groups", "untagger_groups"],
            "properties": {
              "id": {"type": "integer", "format": "int64"},
              "name": {"type": "string"},
              "description": {"type": "string"},
              "documentation": {"type": "string", "description": "Usually a URL."},
              "taggers": {"type": "array", "items": {"type": "string"}, "description": "Users who may put the tag on."},
              "untaggers": {"type": "array", "items": {"type": "string"}, "description": "Users who may take it off."},
              "tagger_groups": {"type": "array", "items": {"type": "string"}},
              "untagger_groups": {"type": "array", "items": {"type": "string"}}
            },
            "additionalProperties": false
          },
          "TagList": {
            "type": "object",
            "required": ["items", "meta"],
            "properties": {
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
              "meta": {"$ref": "#/components/schemas/Meta"}
            },
            "additionalProperties": false
          },
          "TagCreate": {
            "type": "object",
            "description": "Body of POST `/cts/api/1/tags/`.",
            "required": ["name", "description", "documentation"],
            "properties": {
              "name": {"type": "string", "minLength": 1},
              "description": {"type": "string", "minLength": 1},
              "documentation": {"type": "string", "minLength": 1},
              "user_data": {"type": "string", "nullable": true}
            }
          },
          "TagPatch": {
            "type": "object",
            "description": "Body of PATCH `/cts/api/1/tags/{tag}`: field edits and/or one permission action.",
            "properties": {
              "name": {"type": "string"},
              "description": {"type": "string"},
              "documentation": {"type": "string"},
              "action": {"type": "string", "nullable": true, "enum": ["add_tagger", "remove_tagger", "add_untagger", "remove_untagger"]},
              "username": {"type": "string", "nullable": true},
              "group": {"type": "string", "nullable": true},
              "user_data": {"type": "string", "nullable": true}
            }
          },
          "UserInfo": {
            "type": "object",
            "required": ["username", "permissions"],
            "properties": {
              "username": {"type": "string"},
              "permissions": {
                "type": "object",
                "required": ["can_create_compose", "can_create_tag", "can_edit_tag", "can_set_url", "is_tagger_of", "is_untagger_of"],
                "properties": {
                  "can_create_compose": {"type": "boolean"},
                  "can_create_tag": {"type": "boolean"},
                  "can_edit_tag": {"type": "boolean"},
                  "can_set_url": {"type": "boolean"},
                  "is_tagger_of": {"type": "array", "items": {"type": "string"}},
                  "is_untagger_of": {"type": "array", "items": {"type": "string"}}
                },
                "additionalProperties": false
              }
            },
            "additionalProperties": false
          },
          "TrackingAbout": {
            "type": "object",
            "required": ["version", "auth_backend", "allowed_builders"],
            "properties": {
              "version": {"type": "string"},
              "auth_backend": {"type": "string"},
              "allowed_builders": {
                "type": "object",
                "required": ["users", "groups"],
                "properties": {
                  "users": {"type": "array", "items": {"type": "string"}},
                  "groups": {"type": "array", "items": {"type": "string"}}
                },
                "additionalProperties": false
              }
            },
            "additionalProperties": false
          },
          "RPMCategory": {
            "type": "string",
            "enum": ["binary", "debug", "source"]
          },
          "RPMsDocument": {
            "type": "object",
            "description": "A productmd `rpms.json`: `payload.rpms` is variant → arch → SRPM NEVRA → RPM NEVRA → `{category, path, sigkey}`. Checked as productmd's `Rpms.add` does: no `src`/`nosrc` arch keys (source RPMs are listed under the binary arches), arches without `-` or `.`, NEVRAs `name-epoch:version-release.arch`, `category` `source` exactly for `src`/`nosrc` RPMs. An RPM listed twice in one variant and arch counts once.",
            "required": ["header", "payload"],
            "properties": {
              "header": {
                "type": "object",
                "required": ["type", "version"],
                "properties": {
                  "type": {"type": "string", "enum": ["productmd.rpms"]},
                  "version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$"}
                }
              },
              "payload": {
                "type": "object",
                "required": ["rpms"],
                "properties": {
                  "compose": {
                    "type": "object",
                    "description": "When it has an `id`, it must be the compose's.",
                    "properties": {"id": {"type": "string"}}
                  },
                  "rpms": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "object",
                      "description": "Arches of one variant.",
                      "additionalProperties": {
                        "type": "object",
                        "description": "SRPM groups of one arch.",
                        "additionalProperties": {
                          "type": "object",
                          "description": "RPMs of one SRPM.",
                          "additionalProperties": {
                            "type": "object",
                            "required": ["category"],
                            "properties": {
                              "category": {"$ref": "#/components/schemas/RPMCategory"},
                              "path": {"type": "string", "nullable": true},
                              "sigkey": {"type": "string", "nullable": true}
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "ComposeRPM": {
            "type": "object",
            "description": "One RPM of a compose in one variant and arch.",
            "required": ["variant", "arch", "nevra", "name", "epoch", "version", "release", "rpm_arch", "srpm_nevra", "category", "sigkey", "path"],
            "properties": {
              "variant": {"type": "string"},
              "arch": {"type": "string", "description": "The arch it is listed under."},
              "nevra": {"type": "string", "description": "`name-epoch:version-release.arch`, epoch always written."},
              "name": {"type": "string"},
              "epoch": {"type": "integer", "minimum": 0},
              "version": {"type": "string"},
              "release": {"type": "string"},
              "rpm_arch": {"type": "string", "description": "The package's own arch."},
              "srpm_nevra": {"type": "string", "description": "The SRPM group it is listed in."},
              "category": {"$ref": "#/components/schemas/RPMCategory"},
              "sigkey": {"type": "string", "nullable": true},
              "path": {"type": "string", "nullable": true, "description": "Relative to the compose's `compose/` directory."}
            },
            "additionalProperties": false,
            "example": {
              "variant": "Server", "arch": "x86_64", "nevra": "bash-0:5.2.26-3.fc40.x86_64", "name": "bash", "epoch": 0,
              "version": "5.2.26", "release": "3.fc40", "rpm_arch": "x86_64", "srpm_nevra": "bash-0:5.2.26-3.fc40.src",
              "category": "binary", "sigkey": "a15b79cc", "path": "Server/x86_64/os/Packages/b/bash-5.2.26-3.fc40.x86_64.rpm"
            }
          },
          "ComposeRPMList": {
            "type": "object",
            "required": ["items", "meta"],
            "properties": {
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/ComposeRPM"}},
              "meta": {"$ref": "#/components/schemas/Meta"}
            },
            "additionalProperties": false
          },
          "ContentsStatus": {
            "type": "object",
            "description": "A compose's recorded RPM list, after an upload.",
            "required": ["compose_id", "source", "rpm_count", "imported_at", "imported_by", "fetch_attempts", "fetch_error"],
            "properties": {
              "compose_id": {"type": "string"},
              "source": {"type": "string", "nullable": true, "enum": ["generated", "uploaded", "fetched", null], "description": "Where the list came from."},
              "rpm_count": {"type": "integer", "minimum": 0, "description": "Entries recorded (one per variant, arch and RPM)."},
              "imported_at": {"type": "string", "format": "date-time", "nullable": true},
              "imported_by": {"type": "string", "nullable": true},
              "fetch_attempts": {"type": "integer", "minimum": 0, "description": "Failed fetches from `compose_url` so far."},
              "fetch_error": {"type": "string", "nullable": true, "description": "Why the last fetch failed."}
            },
            "additionalProperties": false
          },
          "DiffChange": {
            "type": "object",
            "required": ["name", "from", "to"],
            "properties": {
              "name": {"type": "string"},
              "from": {"type": "string", "description": "NEVRA in the first compose."},
              "to": {"type": "string", "description": "NEVRA in the second compose."}
            },
            "additionalProperties": false
          },
          "DiffTree": {
            "type": "object",
            "description": "The changes within one variant and arch; NEVRAs as `name-epoch:version-release.arch`.",
            "required": ["added", "removed", "upgraded", "downgraded"],
            "properties": {
              "added": {"type": "array", "items": {"type": "string"}},
              "removed": {"type": "array", "items": {"type": "string"}},
              "upgraded": {"type": "array", "items": {"$ref": "#/components/schemas/DiffChange"}},
              "downgraded": {"type": "array", "items": {"$ref": "#/components/schemas/DiffChange"}}
            },
            "additionalProperties": false
          },
          "ComposeDiff": {
            "type": "object",
            "required": ["from", "to", "variants", "summary"],
            "properties": {
              "from": {"type": "string", "description": "The first compose's id."},
              "to": {"type": "string", "description": "The second compose's id."},
              "variants": {
                "type": "object",
                "description": "Variant → arch → changes; only where something changed.",
                "additionalProperties": {
                  "type": "object",
                  "additionalProperties": {"$ref": "#/components/schemas/DiffTree"}
                }
              },
              "summary": {
                "type": "object",
                "required": ["added", "removed", "upgraded", "downgraded", "unchanged"],
                "properties": {
                  "added": {"type": "integer", "minimum": 0},
                  "removed": {"type": "integer", "minimum": 0},
                  "upgraded": {"type": "integer", "minimum": 0},
                  "downgraded": {"type": "integer", "minimum": 0},
                  "unchanged": {"type": "integer", "minimum": 0, "description": "RPMs both composes hold in the same variant and arch."}
                },
                "additionalProperties": false
              }
            },
            "additionalProperties": false,
            "example": {
              "from": "Fedora-Rawhide-20200517.n.0", "to": "Fedora-Rawhide-20200518.n.0",
              "variants": {"Server": {"x86_64": {
                "added": ["new-0:0.1-1.fc40.noarch"], "removed": ["gone-0:1.0-1.fc40.noarch"],
                "upgraded": [{"name": "bash", "from": "bash-0:5.2.26-3.fc40.x86_64", "to": "bash-0:5.2.26-10.fc40.x86_64"}],
                "downgraded": []
              }}},
              "summary": {"added": 1, "removed": 1, "upgraded": 1, "downgraded": 0, "unchanged": 12}
            }
          }
        }
      }
    }
    """#
}
