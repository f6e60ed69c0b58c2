/// The OpenAPI 3 document served at `/api/1/openapi.json`.
enum OpenAPIDocument {
    static let json: String = #"""
    {
      "openapi": "3.0.3",
      "info": {
        "title": "Kiln compose service",
        "version": "1",
        "description": "Kiln serves the ODCS 0.9.2 REST API v1, so the `odcs` Python client and CLI work unchanged.\n\nConventions:\n* All JSON errors have the shape `{\"status\": <int>, \"error\": \"<reason phrase>\", \"message\": \"<text>\"}` with the same HTTP status.\n* A URL that matches no route answers 404 (Error JSON). A known route called with a method it does not support answers 405 (Error JSON) with an `Allow` header. ODCS answers 500 in both cases; Kiln does not copy that.\n* Success codes follow ODCS: 200 for POST and PATCH (not 201), 202 for DELETE.\n* Times are UTC, formatted `YYYY-MM-DDTHH:MM:SSZ` (whole seconds).\n* GET requests never need an identity. Writes need one; the identity is established by httpd in front of Kiln (OIDC bearer token via mod_auth_openidc, Kerberos/SPNEGO or a TLS client certificate), never taken from the request body.\n* Request bodies larger than the configured maximum (default 1 MiB) get 413.\n* POST and PATCH bodies are parsed as JSON whatever their Content-Type."
      },
      "servers": [
        {"url": "/"}
      ],
      "tags": [
        {"name": "composes", "description": "Compose requests: list, submit, inspect, renew, cancel or expire."},
        {"name": "service", "description": "Information about the service itself."}
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
            "description": "Returns one page of composes, newest first unless `order_by` says otherwise. Filters are exact matches and are ignored when empty (`?label=` filters nothing). `state` and `source_type` accept either the integer id or the name. Items never contain `pungi_config_dump`. A page beyond the last one answers 200 with empty `items`. A non-integer `page` or `per_page` falls back to its default; `page` below 1 is treated as 1, a negative `per_page` as 20, and `per_page=0` gives no items and `pages` 0. The `meta` links are absolute URLs built from the request (honouring `X-Forwarded-Host`, `X-Forwarded-Proto` and `X-Script-Name`), with `page` and `per_page` first, then the other query arguments in request order.",
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
              {"name": "page", "in": "query", "description": "Page number, starting at 1.", "schema": {"type": "integer", "default": 1}},
              {"name": "per_page", "in": "query", "description": "Number of items per page.", "schema": {"type": "integer", "default": 10}}
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
              "404": {"$ref": "#/components/responses/NotFound"}
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
            "description": "The OpenAPI 3 description of the ODCS-compatible API (ODCS itself serves none).",
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
            "description": "What to compose. List values are joined with spaces when stored.",
            "required": ["type"],
            "properties": {
              "type": {"$ref": "#/components/schemas/SourceTypeName"},
              "source": {"type": "string", "description": "Space-separated sources. Required (non-empty) except for `build` and for `module` with `scratch_modules`. `raw_config` takes exactly one `name#commit`; `module` takes N:S, N:S:V or N:S:V:C entries (base modules are refused)."},
              "packages": {"type": "array", "items": {"type": "string"}, "description": "Package names to include."},
              "builds": {"type": "array", "items": {"type": "string"}, "description": "Build NVRs to include."},
              "sigkeys": {"type": "array", "items": {"type": "string"}, "description": "Signing keys in preference order; an empty string allows unsigned packages. Defaults to the configured sigkeys."},
              "koji_event": {"type": "integer", "description": "Koji event to pin the content to."},
              "modular_koji_tags": {"type": "array", "items": {"type": "string"}, "description": "Koji tags with modules."},
              "module_defaults_url": {"type": "string", "description": "Git URL of the module defaults; must be given together with `module_defaults_commit`."},
              "module_defaults_commit": {"type": "string", "description": "Commit or branch of the module defaults; must be given together with `module_defaults_url`."},
              "scratch_modules": {"type": "array", "items": {"type": "string"}, "description": "N:S:V:C of scratch modules."},
              "scratch_build_tasks": {"type": "array", "items": {"type": "string"}, "description": "Koji scratch build task ids."},
              "modules": {"type": "array", "items": {"type": "string"}, "description": "N:S:V:C of modules."},
              "base_module_br_name": {"type": "string", "description": "Base module buildrequire name."},
              "base_module_br_stream": {"type": "string", "description": "Base module buildrequire stream."},
              "base_module_br_stream_version_lte": {"type": "integer", "description": "Base module stream version upper bound."},
              "base_module_br_stream_version_gte": {"type": "integer", "description": "Base module stream version lower bound."}
            }
          },
          "ComposeRequest": {
            "type": "object",
            "description": "Body of POST `/api/1/composes/`. Unknown keys are ignored.",
            "required": ["source"],
            "properties": {
              "source": {"$ref": "#/components/schemas/ComposeSource"},
              "seconds_to_live": {"type": "integer", "description": "Lifetime in seconds after completion; default 86400, clamped to the configured maximum."},
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
              "label": {"type": "string", "description": "Compose label (passed to pungi-koji)."},
              "compose_type": {"type": "string", "description": "test (default), ci, nightly, production or development."},
              "target_dir": {"type": "string", "description": "`default` or the name of a configured extra target dir."},
              "respin_of": {"type": "string", "description": "Pungi compose id this compose respins."}
            }
          },
          "RenewRequest": {
            "type": "object",
            "description": "Optional body of PATCH `/api/1/composes/{id}`. Other keys are ignored.",
            "properties": {
              "seconds_to_live": {"type": "integer", "description": "New lifetime in seconds from now; default 86400, clamped to the configured maximum."},
              "seconds-to-live": {
                "description": "Legacy alias of `seconds_to_live`; the `odcs` CLI sends it as a string.",
                "anyOf": [{"type": "integer"}, {"type": "string"}]
              },
              "label": {"type": "string", "description": "A new label; a different label creates a new compose."},
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
          }
        }
      }
    }
    """#
}
