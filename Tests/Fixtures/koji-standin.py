#!/usr/bin/env python3
"""A Koji hub stand-in for tests: Koji's real XML-RPC wire protocol over a fake state read from a JSON file.

    koji-standin.py --state STATE.json [--port 0] [--port-file PATH] [--topdir DIR] [--hub-path /kojihub]
                    [--koji-version 1.36.1] [--verbose]

Listens on 127.0.0.1 only. POST <hub-path> is the hub; GET/HEAD /kojifiles/<path> serves DIR (Koji's top
directory) read-only, with a real 404 for missing files. With --port 0 the kernel picks the port; --port-file gets
it (written atomically once the socket listens). The state file is re-read when its mtime changes, so a test can
tag a build "later" by rewriting it. SIGTERM/SIGINT stop the server.

Wire behaviour, as a real hub answers:
- results and faults: HTTP 200, Content-Type text/xml, Koji-Version header; <nil/> for None (keys never dropped),
  <i8> beyond 32 bits, <boolean>1/0</boolean>, times as 'YYYY-MM-DD HH:MM:SS+00:00' strings, *_ts as doubles;
- kwargs: a trailing struct with a true __starstar; bound against the real hub signatures (fault 1019 with
  Python's TypeError text for unknown/duplicate/missing arguments);
- faults: 1000 GenericError with Koji's exact strings, 1019 ParameterError, 1 for other exceptions;
- GET on the hub path: 405 with Allow: POST; an empty or unparseable body: 400 text/plain 'Invalid request: ...'.

Test-only helpers (not Koji): GET /_standin/status/<code> answers that status; GET /_standin/redirect?to=<path>
answers 302; GET /_standin/sleep/<seconds> answers 200 after that long;
GET /_standin/bytes/<n> answers n bytes (?length=no: without Content-Length); GET /_standin/stall/<seconds> sends
ten bytes of a hundred, then stalls that long; GET/POST /_standin/echo answers JSON
{method, path, headers, body}.

State file (JSON):
{
  "koji_version": "1.36.1",                      optional
  "events": [{"id": 1, "ts": 1700000001.0}, ...], getLastEvent is the highest id
  "tags": [{"id": 1, "name": "f40", "arches": "x86_64", "locked": false, "create_event": 1,
            "extra": {}, "packages": ["bash", ...],     optional package list (absent: every package allowed)
            "blocked": ["foo"],                         optional blocked packages
            "parents": [{"parent": "f40", "priority": 0, "maxdepth": null, "intransitive": false,
                         "noconfig": false, "pkg_filter": "", "create_event": 1}]}],
  "builds": [{"id": 1, "name": "bash", "version": "5.2", "release": "1", "epoch": null, "state": 1,
              "volume_name": "DEFAULT", "owner_name": "kiln", "task_id": null, "creation_event": 90,
              "completion_ts": 1700000000.0, "extra": null,
              "tags": [{"tag": "f40", "event": 100, "revoke_event": null}],
              "rpms": [{"id": 1, "name": "bash", "arch": "x86_64", "size": 123, "payloadhash": "...",
                        "buildtime": 1700000000, "sigkeys": ["a15b79cc"]}]}]
}
RPM version/release/epoch default to the build's.
"""

import argparse
import builtins
import datetime
import fnmatch
import hashlib
import inspect
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
import urllib.parse
import xmlrpc.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAXINT = 2**31 - 1
MININT = -(2**31)


# ---------------------------------------------------------------------------------------------------------------
# Koji's exceptions (koji.GenericError and the subclasses that matter here)

class GenericError(Exception):
    faultCode = 1000


class ParameterError(GenericError):
    faultCode = 1019


class ServerOffline(GenericError):
    faultCode = 1014


# ---------------------------------------------------------------------------------------------------------------
# Koji's marshalling: xmlrpc.client plus <i8> for 64-bit ints (koji.xmlrpcplus.ExtendedMarshaller)

class KojiMarshaller(xmlrpc.client.Marshaller):
    dispatch = dict(xmlrpc.client.Marshaller.dispatch)

    def dump_int(self, value, write):
        if value > 2**63 - 1 or value < -(2**63):
            raise OverflowError("long int exceeds XML-RPC limits")
        if MININT <= value <= MAXINT:
            write("<value><int>%d</int></value>\n" % value)
        else:
            write("<value><i8>%d</i8></value>\n" % value)

    dispatch[int] = dump_int


def dumps_response(result=None, fault=None):
    marshaller = KojiMarshaller("utf-8", allow_none=True)
    if fault is not None:
        body = marshaller.dumps(fault)
        text = "<?xml version='1.0'?>\n<methodResponse>\n%s</methodResponse>\n" % body
    else:
        body = marshaller.dumps((result,))
        text = "<?xml version='1.0'?>\n<methodResponse>\n%s</methodResponse>\n" % body
    return text.encode("utf-8")


def decode_args(params):
    """koji.decode_args: a trailing dict with a true __starstar holds the kwargs."""
    args = list(params)
    kwargs = {}
    if args and isinstance(args[-1], dict) and args[-1].get("__starstar"):
        kwargs = dict(args.pop())
        del kwargs["__starstar"]
    return args, kwargs


def timestamp_string(ts):
    if ts is None:
        return None
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).isoformat(" ")


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------------------------
# The fake Koji state

class State:
    def __init__(self, data, topdir):
        self.topdir = topdir
        self.koji_version = data.get("koji_version", "1.36.1")
        self.events = sorted(data.get("events", []), key=lambda e: e["id"])
        if not self.events:
            self.events = [{"id": 1, "ts": 1700000000.0}]
        self.tags = {}
        self.tags_by_name = {}
        for tag in data.get("tags", []):
            tag = dict(tag)
            tag.setdefault("arches", None)
            tag.setdefault("locked", False)
            tag.setdefault("extra", {})
            tag.setdefault("create_event", self.events[0]["id"])
            tag.setdefault("update_events", [])
            tag.setdefault("parents", [])
            self.tags[tag["id"]] = tag
            self.tags_by_name[tag["name"]] = tag
        self.builds = {}
        self.rpms = {}
        self.taggings = []  # (tag_id, build_id, create_event, revoke_event)
        for build in data.get("builds", []):
            build = dict(build)
            build.setdefault("epoch", None)
            build.setdefault("state", 1)
            build.setdefault("volume_name", "DEFAULT")
            build.setdefault("owner_name", "kiln")
            build.setdefault("owner_id", 1)
            build.setdefault("task_id", None)
            build.setdefault("extra", None)
            build.setdefault("completion_ts", self.events[0]["ts"])
            build.setdefault("start_ts", build["completion_ts"])
            build.setdefault("creation_event", self.events[0]["id"])
            build.setdefault("package_id", None)
            build["nvr"] = "%s-%s-%s" % (build["name"], build["version"], build["release"])
            self.builds[build["id"]] = build
            for rpm in build.get("rpms", []):
                rpm = dict(rpm)
                rpm["build_id"] = build["id"]
                rpm.setdefault("version", build["version"])
                rpm.setdefault("release", build["release"])
                rpm.setdefault("epoch", build["epoch"])
                rpm.setdefault("size", 0)
                rpm.setdefault("buildtime", int(build["completion_ts"]))
                rpm.setdefault("payloadhash", hashlib.md5(("%s" % rpm["id"]).encode()).hexdigest())
                rpm.setdefault("sigkeys", [])
                rpm.setdefault("buildroot_id", None)
                self.rpms[rpm["id"]] = rpm
            for tagging in build.get("tags", []):
                tag = self.tags_by_name.get(tagging["tag"])
                if tag is None:
                    raise ValueError("build %s tagged into unknown tag %s" % (build["nvr"], tagging["tag"]))
                self.taggings.append((tag["id"], build["id"], tagging["event"], tagging.get("revoke_event")))
        self.tasks = {}
        for task in data.get("tasks", []):
            task = dict(task)
            task.setdefault("parent", None)
            task.setdefault("arch", "noarch")
            task.setdefault("owner", 1)
            task.setdefault("channel_id", 1)
            task.setdefault("create_ts", self.events[0]["ts"])
            task.setdefault("result", None)
            self.tasks[task["id"]] = task
        package_names = sorted({b["name"] for b in self.builds.values()})
        self.package_ids = {name: i + 1 for i, name in enumerate(package_names)}

    # --- helpers ---------------------------------------------------------------------------------------------

    def event_ts(self, event_id):
        for event in self.events:
            if event["id"] == event_id:
                return event["ts"]
        return None

    @staticmethod
    def check_event(event):
        if event is not None and not is_int(event):
            raise GenericError("Invalid event: %r" % (event,))

    def lookup_tag(self, info, event=None):
        """The tag for an id, name or {id|name}, or None. Raises ParameterError for other types."""
        if isinstance(info, dict):
            if "id" in info:
                info = info["id"]
            elif "name" in info:
                info = info["name"]
            else:
                raise ParameterError("Invalid tagInfo: %r" % (info,))
        if is_int(info):
            tag = self.tags.get(info)
        elif isinstance(info, str):
            tag = self.tags_by_name.get(info)
        else:
            raise ParameterError("Invalid name or id value: %r" % (info,))
        if tag is not None and event is not None and tag["create_event"] > event:
            return None
        return tag

    @staticmethod
    def visible(create_event, revoke_event, event):
        if event is None:
            return revoke_event is None
        return create_event <= event and (revoke_event is None or event < revoke_event)

    def direct_parents(self, tag_id, event):
        links = []
        for parent in self.tags[tag_id]["parents"]:
            parent_tag = self.tags_by_name.get(parent["parent"])
            if parent_tag is None:
                continue
            create_event = parent.get("create_event", self.tags[tag_id]["create_event"])
            if not self.visible(create_event, parent.get("revoke_event"), event):
                continue
            links.append({
                "parent_id": parent_tag["id"],
                "name": parent_tag["name"],
                "priority": parent.get("priority", 0),
                "maxdepth": parent.get("maxdepth"),
                "intransitive": bool(parent.get("intransitive", False)),
                "noconfig": bool(parent.get("noconfig", False)),
                "pkg_filter": parent.get("pkg_filter", ""),
                "child_id": tag_id,
            })
        links.sort(key=lambda link: (link["priority"], link["parent_id"]))
        return links

    def full_inheritance(self, tag_id, event):
        """readFullInheritance: depth-first in priority order, loops and repeats pruned, intransitive links followed
        only from the root, maxdepth honoured."""
        order = []
        seen = {tag_id}

        def walk(current, currdepth, maxdepth, filters, path):
            for link in self.direct_parents(current, event):
                if link["intransitive"] and currdepth > 1:
                    continue
                parent_id = link["parent_id"]
                if parent_id in path or parent_id in seen:
                    continue
                nextdepth = link["maxdepth"]
                if nextdepth is None:
                    if maxdepth is not None:
                        nextdepth = maxdepth - 1
                elif maxdepth is not None:
                    nextdepth = min(nextdepth, maxdepth) - 1
                link_filters = list(filters)
                if link["pkg_filter"]:
                    link_filters.append(link["pkg_filter"])
                row = dict(link)
                row["currdepth"] = currdepth
                row["nextdepth"] = nextdepth
                row["filter"] = link_filters
                seen.add(parent_id)
                order.append(row)
                if nextdepth is None or nextdepth > 0:
                    walk(parent_id, currdepth + 1, nextdepth, link_filters, path | {parent_id})

        walk(tag_id, 1, None, [], {tag_id})
        return order

    def allowed_packages(self, chain):
        """Package name -> allowed, over [tag] + ancestors (nearest wins); None when no tag lists packages."""
        listed = False
        allowed = {}
        for tag_id, filters in chain:
            tag = self.tags[tag_id]
            for name in tag.get("blocked", []):
                allowed.setdefault(name, False)
            if "packages" in tag:
                listed = True
                for name in tag["packages"]:
                    if all(not re.match(f, name) for f in filters):
                        allowed.setdefault(name, True)
        return allowed if listed else None

    def tag_row(self, tag, event=None):
        row = {
            "id": tag["id"], "name": tag["name"], "perm_id": None, "perm": None, "arches": tag["arches"],
            "locked": bool(tag["locked"]), "maven_support": False, "maven_include_all": False,
            "extra": dict(tag["extra"]),
        }
        if event is not None:
            row["query_event"] = event
        return row

    def build_row(self, build):
        return {
            "id": build["id"], "build_id": build["id"], "version": build["version"], "release": build["release"],
            "epoch": build["epoch"], "draft": False, "state": build["state"],
            "completion_time": timestamp_string(build["completion_ts"]), "promotion_time": None,
            "start_time": timestamp_string(build["start_ts"]), "task_id": build["task_id"],
            "creation_event_id": build["creation_event"],
            "creation_time": timestamp_string(self.event_ts(build["creation_event"]) or build["completion_ts"]),
            "package_id": build["package_id"] or self.package_ids[build["name"]], "package_name": build["name"],
            "name": build["name"], "volume_id": 0 if build["volume_name"] == "DEFAULT" else 1,
            "volume_name": build["volume_name"], "nvr": build["nvr"],
            "creation_ts": self.event_ts(build["creation_event"]) or build["completion_ts"],
            "start_ts": build["start_ts"], "completion_ts": build["completion_ts"], "promotion_ts": None,
            "owner_id": build["owner_id"], "owner_name": build["owner_name"], "promoter_id": None,
            "promoter_name": None, "cg_id": None, "source": None, "extra": build["extra"], "cg_name": None,
        }

    def tagged_build_row(self, build, tag, create_event):
        row = {
            "tag_id": tag["id"], "tag_name": tag["name"], "id": build["id"], "build_id": build["id"],
            "version": build["version"], "release": build["release"], "epoch": build["epoch"],
            "state": build["state"], "completion_time": timestamp_string(build["completion_ts"]),
            "promotion_time": None, "start_time": timestamp_string(build["start_ts"]), "task_id": build["task_id"],
            "draft": False, "owner_id": build["owner_id"], "owner_name": build["owner_name"],
            "promoter_id": None, "promoter_name": None, "creation_event_id": build["creation_event"],
            "creation_time": timestamp_string(self.event_ts(build["creation_event"]) or build["completion_ts"]),
            "volume_id": 0 if build["volume_name"] == "DEFAULT" else 1, "volume_name": build["volume_name"],
            "package_id": build["package_id"] or self.package_ids[build["name"]], "package_name": build["name"],
            "name": build["name"], "nvr": build["nvr"], "create_event": create_event,
        }
        return row

    def rpm_row(self, rpm, listing=False):
        row = {
            "name": rpm["name"], "version": rpm["version"], "release": rpm["release"], "arch": rpm["arch"],
            "id": rpm["id"], "epoch": rpm["epoch"], "draft": False, "payloadhash": rpm["payloadhash"],
            "size": rpm["size"], "buildtime": rpm["buildtime"], "buildroot_id": rpm["buildroot_id"],
            "build_id": rpm["build_id"], "metadata_only": False, "extra": None,
        }
        if listing:
            row["nvr"] = "%s-%s-%s" % (rpm["name"], rpm["version"], rpm["release"])
            row["external_repo_id"] = 0
            row["external_repo_name"] = "INTERNAL"
        return row

    def find_build(self, info):
        """getBuild's lookup: an int id, 'N-V-R' (optionally 'E:N-V-R'), or {name, version, release} / {id}."""
        if is_int(info):
            return self.builds.get(info)
        if isinstance(info, dict):
            if "id" in info:
                return self.builds.get(info["id"])
            wanted = (info.get("name"), info.get("version"), info.get("release"))
        elif isinstance(info, str):
            parts = info.rsplit("-", 2)
            if len(parts) != 3 or not all(parts):
                raise GenericError("invalid format: %s" % info)
            name = parts[0].split(":", 1)[1] if ":" in parts[0] else parts[0]
            wanted = (name, parts[1], parts[2])
        else:
            raise GenericError("Invalid type for argument: %s" % type(info))
        for build in self.builds.values():
            if (build["name"], build["version"], build["release"]) == wanted:
                return build
        return None

    def tagged(self, tag_id, event, inherit, latest, package, prefix, strict_tag_name, btype=None):
        chain = [(tag_id, [])]
        if inherit:
            chain += [(link["parent_id"], link["filter"]) for link in self.full_inheritance(tag_id, event)]
        allowed = self.allowed_packages(
            [(tag_id, [])] + [(link["parent_id"], link["filter"]) for link in self.full_inheritance(tag_id, event)])
        result = []
        seen_packages = set()
        for current, _filters in chain:
            rows = [t for t in self.taggings if t[0] == current and self.visible(t[2], t[3], event)]
            rows.sort(key=lambda t: (t[2], t[1]), reverse=True)
            for _tag_id, build_id, create_event, _revoke in rows:
                build = self.builds[build_id]
                if build["state"] != 1:
                    continue
                if btype is not None and build.get("btype", "rpm") != btype:
                    continue
                if allowed is not None and not allowed.get(build["name"], False):
                    continue
                if package is not None and build["name"] != package:
                    continue
                if prefix is not None and not build["name"].lower().startswith(prefix.lower()):
                    continue
                if latest:
                    if build["name"] in seen_packages:
                        continue
                    seen_packages.add(build["name"])
                result.append((build, self.tags[current], create_event))
        return result

    def signed_file(self, rpm, sigkey):
        if not self.topdir:
            return None
        build = self.builds[rpm["build_id"]]
        base = self.topdir if build["volume_name"] == "DEFAULT" else os.path.join(self.topdir, "vol", build["volume_name"])
        name = "%s-%s-%s.%s.rpm" % (rpm["name"], rpm["version"], rpm["release"], rpm["arch"])
        path = os.path.join(base, "packages", build["name"], build["version"], build["release"])
        if sigkey:
            path = os.path.join(path, "data", "signed", sigkey, rpm["arch"], name)
        else:
            path = os.path.join(path, rpm["arch"], name)
        return path if os.path.isfile(path) else None


# ---------------------------------------------------------------------------------------------------------------
# The hub methods, with the real signatures (argument binding and TypeError texts follow from them)

class RootExports:
    def __init__(self, state):
        self.state = state

    def getAPIVersion(self):
        return 1

    def getKojiVersion(self):
        return self.state.koji_version

    def hello(self, *args):
        return "Hello World"

    def echo(self, *args):
        return list(args)

    def getLastEvent(self, before=None, strict=True):
        events = self.state.events
        if before is not None:
            if not isinstance(before, (int, float)) or isinstance(before, bool):
                raise GenericError("Invalid type for before: %s" % type(before))
            events = [e for e in events if e["ts"] < before]
            if not events:
                if strict:
                    raise GenericError("query returned no rows")
                return None
        last = events[-1]
        return {"id": last["id"], "ts": float(last["ts"])}

    def getEvent(self, id, strict=True):
        for event in self.state.events:
            if event["id"] == id:
                return {"id": event["id"], "ts": float(event["ts"])}
        if strict:
            raise GenericError("query returned no rows")
        return None

    def getTag(self, tagInfo, strict=False, event=None, blocked=False):
        self.state.check_event(event)
        tag = self.state.lookup_tag(tagInfo, event)
        if tag is None:
            if strict:
                raise GenericError("No such tagInfo: %r" % (tagInfo,))
            return None
        return self.state.tag_row(tag, event)

    def _tag_id_strict(self, tag, event=None):
        found = self.state.lookup_tag(tag, event)
        if found is None:
            raise GenericError("No such entry in table tag: %s" % (tag,))
        return found["id"]

    def getInheritanceData(self, tag, event=None):
        self.state.check_event(event)
        return self.state.direct_parents(self._tag_id_strict(tag, event), event)

    def getFullInheritance(self, tag, event=None, reverse=False, stops=None, jumps=None):
        if stops:
            raise ParameterError("stops option has been removed since 1.26")
        if jumps:
            raise ParameterError("jumps option has been removed since 1.26")
        self.state.check_event(event)
        return self.state.full_inheritance(self._tag_id_strict(tag, event), event)

    def tagChangedSinceEvent(self, event, taglist):
        if not is_int(event):
            raise GenericError("Invalid event: %r" % (event,))
        tags = set(taglist)
        for tag_id, _build_id, create_event, revoke_event in self.state.taggings:
            if tag_id in tags and (create_event > event or (revoke_event is not None and revoke_event > event)):
                return True
        for tag_id in tags:
            tag = self.state.tags.get(tag_id)
            if tag is None:
                continue
            if tag["create_event"] > event or any(e > event for e in tag["update_events"]):
                return True
            for parent in tag["parents"]:
                if parent.get("create_event", tag["create_event"]) > event:
                    return True
                if parent.get("revoke_event") is not None and parent["revoke_event"] > event:
                    return True
        return False

    def _tagged(self, tag, event, inherit, latest, package, prefix, type, strict, method):
        self.state.check_event(event)
        if type not in (None, "rpm", "module"):
            if type in ("maven", "win", "image"):
                return None
            raise GenericError("unsupported build type: %s" % type)
        found = self.state.lookup_tag(tag, event)
        if found is None:
            if strict:
                raise GenericError("No such tagInfo: %r" % (tag,))
            return None
        return self.state.tagged(found["id"], event, inherit, latest, package, prefix, strict, btype=type)

    def listTagged(self, tag, event=None, inherit=False, prefix=None, latest=False, package=None, owner=None,
                   type=None, strict=True, extra=False, draft=None):
        selected = self._tagged(tag, event, inherit, latest, package, prefix, type, strict, "listTagged")
        if selected is None:
            return []
        rows = []
        for build, found_tag, create_event in selected:
            row = self.state.tagged_build_row(build, found_tag, create_event)
            if extra:
                row["extra"] = build["extra"]
            rows.append(row)
        return rows

    def listTaggedRPMS(self, tag, event=None, inherit=False, latest=False, package=None, arch=None, rpmsigs=False,
                       owner=None, type=None, strict=True, extra=True, draft=None):
        if arch is not None and not isinstance(arch, (str, list, tuple)):
            raise GenericError("Invalid type for arch option: %s" % builtins.type(arch))
        selected = self._tagged(tag, event, inherit, latest, package, None, type, strict, "listTaggedRPMS")
        if selected is None:
            return [] if self.state.lookup_tag(tag, event) is None else [[], []]
        arches = None if arch is None else ([arch] if isinstance(arch, str) else list(arch))
        builds = []
        rpms = []
        for build, found_tag, create_event in selected:
            builds.append(self.state.tagged_build_row(build, found_tag, create_event))
            for rpm in sorted((r for r in self.state.rpms.values() if r["build_id"] == build["id"]),
                              key=lambda r: r["id"]):
                if arches is not None and rpm["arch"] not in arches:
                    continue
                row = self.state.rpm_row(rpm)
                if not extra:
                    del row["extra"]
                if rpmsigs:
                    for sigkey in (rpm["sigkeys"] or [None]):
                        signed = dict(row)
                        signed["sigkey"] = sigkey
                        rpms.append(signed)
                else:
                    rpms.append(row)
        return [rpms, builds]

    def getBuild(self, buildInfo, strict=False):
        build = self.state.find_build(buildInfo)
        if build is None:
            if strict:
                raise GenericError("No such build: %r" % (buildInfo,))
            return None
        return self.state.build_row(build)

    def listRPMs(self, buildID=None, buildrootID=None, imageID=None, componentBuildrootID=None, hostID=None,
                 arches=None, queryOpts=None, draft=None):
        if arches is not None and not isinstance(arches, (str, list, tuple)):
            raise GenericError('Invalid type for "arches" parameter: %s' % type(arches))
        wanted = None if arches is None else ([arches] if isinstance(arches, str) else list(arches))
        rows = []
        for rpm in sorted(self.state.rpms.values(), key=lambda r: r["id"]):
            if buildID is not None and rpm["build_id"] != buildID:
                continue
            if wanted is not None and rpm["arch"] not in wanted:
                continue
            rows.append(self.state.rpm_row(rpm, listing=True))
        return rows

    def listBuildRPMs(self, build):
        if is_int(build):
            return self.listRPMs(buildID=build)
        found = self.state.find_build(build)
        if found is None:
            raise GenericError("No such build: %r" % (build,))
        return self.listRPMs(buildID=found["id"])

    def getRPM(self, rpminfo, strict=False, multi=False):
        rpm = None
        if is_int(rpminfo) or (isinstance(rpminfo, str) and rpminfo.isdigit()):
            rpm = self.state.rpms.get(int(rpminfo))
            parsed = rpminfo
        else:
            if isinstance(rpminfo, dict):
                parsed = {k: rpminfo.get(k) for k in ("name", "version", "release", "arch")}
            elif isinstance(rpminfo, str):
                text = rpminfo[:-4] if rpminfo.endswith(".rpm") else rpminfo
                text = text.split("@", 1)[0]
                head, _, arch = text.rpartition(".")
                parts = head.rsplit("-", 2)
                if len(parts) != 3 or not arch:
                    raise GenericError("invalid format: %s" % rpminfo)
                parsed = {"name": parts[0], "version": parts[1], "release": parts[2], "arch": arch}
            else:
                raise GenericError("Invalid type for argument: %s" % type(rpminfo))
            for candidate in self.state.rpms.values():
                if all(candidate[k] == parsed[k] for k in ("name", "version", "release", "arch")):
                    rpm = candidate
                    break
        if rpm is None:
            if strict:
                raise GenericError("No such rpm: %r" % (parsed,))
            return [] if multi else None
        row = self.state.rpm_row(rpm, listing=True)
        del row["nvr"]
        return [row] if multi else row

    def queryRPMSigs(self, rpm_id=None, sigkey=None, queryOpts=None):
        if rpm_id is not None and not is_int(rpm_id):
            found = self.getRPM(rpm_id)
            if found is None:
                return []
            rpm_id = found["id"]
        if sigkey is not None:
            sigkey = sigkey.lower()
        rows = []
        for rpm in sorted(self.state.rpms.values(), key=lambda r: r["id"]):
            if rpm_id is not None and rpm["id"] != rpm_id:
                continue
            for key in rpm["sigkeys"]:
                if sigkey is not None and key != sigkey:
                    continue
                sighash = hashlib.md5(("%s:%s" % (rpm["id"], key)).encode()).hexdigest()
                rows.append({"rpm_id": rpm["id"], "sigkey": key, "sighash": sighash})
        return rows

    def getRPMChecksums(self, rpm_id, checksum_types=None, cacheonly=False):
        if not is_int(rpm_id):
            raise GenericError("rpm_id must be an integer")
        if checksum_types is None:
            checksum_types = ["md5", "sha256"]
        if not isinstance(checksum_types, list):
            raise GenericError("checksum_type must be a list")
        rpm = self.state.rpms.get(rpm_id)
        if rpm is None:
            return {}
        result = {}
        for key in rpm["sigkeys"]:
            path = self.state.signed_file(rpm, key)
            sums = {}
            for kind in checksum_types:
                if path is None:
                    sums[kind] = None
                else:
                    with open(path, "rb") as f:
                        sums[kind] = hashlib.new(kind, f.read()).hexdigest()
            result[key] = sums
        return result

    # --- tasks (scratch builds) ------------------------------------------------------------------------------

    def _task_row(self, task, request):
        closed = task["state"] in (2, 3, 5)
        row = {
            "id": task["id"], "state": task["state"], "create_time": timestamp_string(task["create_ts"]),
            "create_ts": task["create_ts"], "start_time": timestamp_string(task["create_ts"] + 1),
            "start_ts": task["create_ts"] + 1,
            "completion_time": timestamp_string(task["create_ts"] + 60) if closed else None,
            "completion_ts": task["create_ts"] + 60 if closed else None, "channel_id": task["channel_id"],
            "host_id": 1, "parent": task["parent"], "label": None, "waiting": None, "awaited": None,
            "owner": task["owner"], "method": task["method"], "arch": task["arch"], "priority": 20, "weight": 1.0,
        }
        if request:
            row["request"] = task.get("request", [])
        return row

    def getTaskInfo(self, task_id, request=False, strict=False):
        if isinstance(task_id, list):
            return [self.getTaskInfo(one, request, strict) for one in task_id]
        if not is_int(task_id):
            raise GenericError("invalid task id: %r" % (task_id,))
        task = self.state.tasks.get(task_id)
        if task is None:
            if strict:
                raise GenericError("query returned no rows")
            return None
        return self._task_row(task, request)

    def getTaskChildren(self, task_id, request=False, strict=False):
        if strict and task_id not in self.state.tasks:
            raise GenericError("query returned no rows")
        children = sorted((t for t in self.state.tasks.values() if t["parent"] == task_id), key=lambda t: t["id"])
        return [self._task_row(t, request) for t in children]

    def getTaskResult(self, taskId, raise_fault=True):
        task = self.state.tasks.get(taskId)
        if task is None:
            raise GenericError("No such task: %r" % (taskId,))
        if task["state"] == 5 and raise_fault:
            raise GenericError("Task %d failed" % taskId)
        if task["state"] != 2:
            raise GenericError("Task %d is not finished" % taskId)
        return task["result"]

    def listTags(self, build=None, package=None, perms=True, queryOpts=None, pattern=None):
        if build is not None and package is not None:
            raise GenericError("only one of build and package may be specified")
        tags = sorted(self.state.tags.values(), key=lambda t: t["id"])
        if build is not None:
            found = self.state.find_build(build)
            if found is None:
                raise GenericError("No such build: %s" % (build,))
            ids = {t[0] for t in self.state.taggings if t[1] == found["id"] and t[3] is None}
            tags = [t for t in tags if t["id"] in ids]
        if pattern is not None:
            tags = [t for t in tags if fnmatch.fnmatch(t["name"].lower(), pattern.lower())]
        rows = []
        for tag in tags:
            row = {"id": tag["id"], "name": tag["name"], "arches": tag["arches"], "locked": bool(tag["locked"]),
                   "maven_support": False, "maven_include_all": False}
            if perms:
                row["perm_id"] = None
                row["perm"] = None
            rows.append(row)
        return rows


class Hub:
    """Dispatch, argument binding and fault construction (kojixmlrpc)."""

    HIDDEN = {"multiCall", "system.multicall"}

    def __init__(self, state_path, topdir):
        self.state_path = state_path
        self.topdir = topdir
        self.lock = threading.Lock()
        self.mtime = None
        self.state = None
        self.reload()

    def reload(self):
        with self.lock:
            mtime = os.stat(self.state_path).st_mtime_ns
            if mtime != self.mtime:
                with open(self.state_path) as f:
                    data = json.load(f)
                self.state = State(data, self.topdir)
                self.mtime = mtime
            return self.state

    def methods(self, exports):
        table = {}
        for name, fn in inspect.getmembers(exports, inspect.ismethod):
            if not name.startswith("_"):
                table[name] = fn
        table["system.listMethods"] = lambda: sorted(n for n in self.methods(exports) if n not in self.HIDDEN)
        table["_listapi"] = lambda: [{"name": n, "args": []} for n in sorted(table)]
        table["multiCall"] = lambda calls: self.multicall(exports, calls)
        table["system.multicall"] = table["multiCall"]
        return table

    def call(self, exports, method, params):
        table = self.methods(exports)
        fn = table.get(method)
        if fn is None:
            raise GenericError("Invalid method: %s" % method)
        args, kwargs = decode_args(params)
        try:
            inspect.signature(fn).bind(*args, **kwargs)
        except TypeError:
            try:
                fn(*args, **kwargs)  # fails the same way, with Python's own message
            except TypeError as error:
                raise ParameterError(str(error))
            raise
        return fn(*args, **kwargs)

    def multicall(self, exports, calls):
        results = []
        for entry in calls:
            try:
                if not isinstance(entry, dict) or "methodName" not in entry:
                    raise GenericError("Invalid multicall entry: %r" % (entry,))
                results.append([self.call(exports, entry["methodName"], entry.get("params", []))])
            except GenericError as error:
                results.append({"faultCode": error.faultCode, "faultString": ", ".join(str(a) for a in error.args),
                                "traceback": traceback.format_exc().splitlines()})
            except Exception as error:
                results.append({"faultCode": 1, "faultString": "%s: %s" % (type(error), error),
                                "traceback": traceback.format_exc().splitlines()})
        return results

    def handle(self, body):
        """The methodResponse bytes for a request body, or raises ValueError for an unparseable request."""
        try:
            params, method = xmlrpc.client.loads(body, use_builtin_types=True)
        except Exception as error:
            raise ValueError(str(error) or type(error).__name__)
        if method is None:
            raise ValueError("not a methodCall")
        exports = RootExports(self.reload())
        try:
            result = self.call(exports, method, params)
            return dumps_response(result)
        except GenericError as error:
            return dumps_response(fault=xmlrpc.client.Fault(error.faultCode, str(error)))
        except Exception as error:
            return dumps_response(fault=xmlrpc.client.Fault(1, "%s: %s" % (type(error), error)))


# ---------------------------------------------------------------------------------------------------------------
# HTTP

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "koji-standin"
    hub = None
    hub_path = "/kojihub"
    topdir = None
    verbose = False

    def log_message(self, format, *args):
        if self.verbose:
            sys.stderr.write("koji-standin: %s\n" % (format % args))

    def send_bytes(self, status, body, content_type, extra_headers=()):
        # 1xx, 204 and 304 answers carry no body (RFC 9110); writing one would corrupt the next keep-alive answer.
        if status in (204, 304) or 100 <= status < 200:
            body = b""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        body = self.read_body()
        if path == "/_standin/echo":
            return self.echo(body)
        if path != self.hub_path:
            return self.send_bytes(404, b"Not Found\n", "text/plain")
        if not body:
            return self.send_bytes(400, b"Invalid request: Empty request\n", "text/plain")
        try:
            response = self.hub.handle(body)
        except ValueError as error:
            return self.send_bytes(400, ("Invalid request: %s\n" % error).encode(), "text/plain")
        self.send_bytes(200, response, "text/xml", [("Koji-Version", self.hub.state.koji_version)])

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        path = parts.path
        if path == self.hub_path:
            self.read_body()
            return self.send_bytes(
                405, b"This is an XML-RPC server. Only POST requests are accepted.\n", "text/plain",
                [("Allow", "POST")])
        if path.startswith("/_standin/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self.send_bytes(code, ("status %d\n" % code).encode(), "text/plain")
        if path == "/_standin/redirect":
            target = urllib.parse.parse_qs(parts.query).get("to", ["/"])[0]
            return self.send_bytes(302, b"redirect\n", "text/plain", [("Location", target)])
        if path == "/_standin/echo":
            return self.echo(b"")
        if path.startswith("/_standin/sleep/"):
            time.sleep(float(path.rsplit("/", 1)[1]))
            return self.send_bytes(200, b"slept\n", "text/plain")
        if path.startswith("/_standin/bytes/"):
            # That many bytes; ?length=no leaves Content-Length out (the body ends when the connection closes).
            body = b"k" * int(path.rsplit("/", 1)[1])
            if urllib.parse.parse_qs(parts.query).get("length") == ["no"]:
                self.close_connection = True
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
                return
            return self.send_bytes(200, body, "application/octet-stream")
        if path.startswith("/_standin/stall/"):
            # Headers and ten bytes of a hundred, then nothing for that many seconds.
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"k" * 10)
            self.wfile.flush()
            time.sleep(float(path.rsplit("/", 1)[1]))
            self.close_connection = True
            return
        if path.startswith("/kojifiles/") and self.topdir:
            return self.serve_file(urllib.parse.unquote(path[len("/kojifiles/"):]))
        self.send_bytes(404, b"Not Found\n", "text/plain")

    do_HEAD = do_GET

    def echo(self, body):
        document = {
            "method": self.command, "path": self.path,
            "headers": [[name, value] for name, value in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
        }
        self.send_bytes(200, json.dumps(document).encode(), "application/json")

    def serve_file(self, relative):
        root = os.path.realpath(self.topdir)
        full = os.path.realpath(os.path.join(root, relative))
        if not (full == root or full.startswith(root + os.sep)) or not os.path.isfile(full):
            return self.send_bytes(404, b"Not Found\n", "text/plain")
        with open(full, "rb") as f:
            data = f.read()
        content_type = "application/x-rpm" if full.endswith(".rpm") else "application/octet-stream"
        self.send_bytes(200, data, content_type)


def main():
    parser = argparse.ArgumentParser(description="Koji hub stand-in for tests")
    parser.add_argument("--state", required=True, help="JSON file describing tags, builds, RPMs and events")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--port-file", help="write the port here once listening")
    parser.add_argument("--topdir", help="Koji top directory served read-only at /kojifiles/")
    parser.add_argument("--hub-path", default="/kojihub")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()

    Handler.hub = Hub(options.state, options.topdir)
    Handler.hub_path = options.hub_path
    Handler.topdir = options.topdir
    Handler.verbose = options.verbose

    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if options.port_file:
        temporary = options.port_file + ".tmp"
        with open(temporary, "w") as f:
            f.write("%d\n" % port)
        os.replace(temporary, options.port_file)
    if options.verbose:
        sys.stderr.write("koji-standin: listening on 127.0.0.1:%d\n" % port)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # A parent may start us with signals blocked (swift-corelibs-foundation's Process passes on the spawning
    # thread's mask, and test-runner threads block nearly everything): make sure SIGTERM/SIGINT get through.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
