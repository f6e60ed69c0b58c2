"""Every field, flag and result of an ODCS compose request is either honoured or refused at POST: this walks the
whole request (ODCS 0.9.2's keys) and, for each, either proves its effect on a generated compose or gets the 400
that names it."""
import json
import os
import re
import shutil
import subprocess
import time

import pytest
import requests
from conftest import assert_error
from test_generate import pulp, rpm_names, sample, toplevel_dir, wait_finished  # noqa: F401 (pulp is a fixture)
from test_generate_koji import koji  # noqa: F401 (a fixture)

# ODCS 0.9.2's compose request: its top-level keys, the keys of `source`, its flags and results.
REQUEST_KEYS = ["source", "seconds_to_live", "seconds-to-live", "flags", "results", "arches", "multilib_arches",
                "multilib_method", "lookaside_repos", "parent_pungi_compose_ids", "label", "compose_type",
                "target_dir", "respin_of"]
SOURCE_KEYS = ["type", "source", "packages", "builds", "sigkeys", "koji_event", "modular_koji_tags",
               "module_defaults_url", "module_defaults_commit", "scratch_modules", "scratch_build_tasks", "modules",
               "base_module_br_name", "base_module_br_stream", "base_module_br_stream_version_lte",
               "base_module_br_stream_version_gte"]
FLAGS = ["no_deps", "no_inheritance", "include_unpublished_pulp_repos", "check_deps", "include_done_modules",
         "ignore_absent_pulp_repos", "no_reuse", "use_only_compatible_arch", "no_label"]
RESULTS = ["repository", "iso", "ostree", "boot.iso"]

# What a tag compose refuses, with the words the refusal must contain (the module fields among them are honoured by
# module composes: test_generate_modules.py).
REFUSED = {
    "source.scratch_modules": ({"scratch_modules": ["m:s:1:c"]}, 'Field "source.scratch_modules" does not apply'),
    "source.base_module_br_name": ({"base_module_br_name": "platform"},
                                   'Field "source.base_module_br_name" does not apply'),
    "source.base_module_br_stream": ({"base_module_br_stream": "f40"},
                                     'Field "source.base_module_br_stream" does not apply'),
    "source.base_module_br_stream_version_lte": ({"base_module_br_stream_version_lte": 4},
                                                 'Field "source.base_module_br_stream_version_lte" does not apply'),
    "source.base_module_br_stream_version_gte": ({"base_module_br_stream_version_gte": 4},
                                                 'Field "source.base_module_br_stream_version_gte" does not apply'),
    "flag include_done_modules": ({}, 'Flag "include_done_modules" does not apply'),
    "result ostree": ({}, 'Result "ostree" needs rpm-ostree'),
    "result boot.iso": ({}, 'Result "boot.iso" needs lorax'),
}


def test_what_kiln_cannot_honour_is_refused_naming_it(stack, releng, unchanged):
    _, token = releng
    for name, (extra_source, words) in REFUSED.items():
        body = {"source": dict({"type": "tag", "source": "f40-build"}, **extra_source)}
        if name.startswith("flag "):
            body["flags"] = [name.split()[1]]
        if name.startswith("result "):
            body["results"] = [name.split()[1]]
        r = stack.post_compose(body, token)
        assert_error(r, 400)
        assert words in r.json()["message"], (name, r.json()["message"])
    r = stack.post_compose({"source": {"type": "tag", "source": "f40-build"}, "priority": 5}, token)
    assert_error(r, 400, message='Unknown field "priority" in the compose request.')


def binaries(stack, compose):
    return {n for n, cat in rpm_names(stack, compose)[1] if cat == "binary"}


def ttl(compose):
    """The lifetime of a finished compose: it counts from when it was done."""
    stamp = lambda s: time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))  # noqa: E731
    return stamp(compose["time_to_expire"]) - stamp(compose["time_done"])


def test_every_other_field_flag_and_result_is_honoured(stack, releng, koji, pulp):  # noqa: F811
    _, token = releng
    repo = sample(stack)
    # A lookaside repository holding only kiln-lib: the dependency is found there and not placed.
    lookaside = os.path.join(stack.env["KILN_REPO_ROOT"], "lookaside-lib")
    if not os.path.exists(os.path.join(lookaside, "repodata")):
        os.makedirs(lookaside, exist_ok=True)
        for f in os.listdir(repo):
            if f.startswith("kiln-lib-1.1-1"):
                shutil.copy(os.path.join(repo, f), lookaside)
        subprocess.run(["createrepo_c", "--quiet", "--general-compress-type=gz", lookaside], check=True)
    multilib = os.path.join(stack.env["KILN_REPO_ROOT"], "multilib")
    made = subprocess.run([os.path.join(os.path.dirname(__file__), "..", "Fixtures", "build-multilib-repo"), multilib],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    first = stack.post_compose({"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]},
                                "flags": ["no_reuse"]}, token).json()
    tagged = {"type": "tag", "source": "f40-build", "sigkeys": [koji["sigkey"]]}
    cases = {
        "seconds_to_live": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]},
                            "seconds_to_live": 4000, "flags": ["no_reuse"]},
        "seconds-to-live": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]},
                            "seconds-to-live": "5000", "flags": ["no_reuse"]},
        "source.packages + flag no_deps": {"source": {"type": "repo", "source": repo, "packages": ["kiln-hello"]},
                                           "flags": ["no_deps", "no_reuse"]},
        "arches": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]},
                   "arches": ["x86_64", "aarch64"], "flags": ["no_reuse"]},
        "lookaside_repos": {"source": {"type": "repo", "source": repo, "packages": ["kiln-hello"]},
                            "lookaside_repos": [lookaside], "flags": ["no_reuse"]},
        "multilib": {"source": {"type": "repo", "source": multilib, "packages": ["kiln-app"]},
                     "multilib_arches": ["x86_64"], "multilib_method": ["devel"], "flags": ["no_reuse"]},
        "label + compose_type + target_dir": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]},
                                              "label": "RC-2.1", "compose_type": "nightly", "target_dir": "default",
                                              "flags": ["no_reuse"]},
        "parents + respin_of": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]},
                                "flags": ["no_reuse"]},
        "flag check_deps": {"source": {"type": "repo", "source": repo, "packages": ["kiln-broken"]},
                            "flags": ["check_deps", "no_reuse"]},
        "flag no_reuse": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]}, "flags": ["no_reuse"]},
        "reused": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc", "kiln-extra"]}},
        "reusing": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc", "kiln-extra"]}},
        "flag no_label": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]},
                          "flags": ["no_label", "no_reuse"]},
        "result iso": {"source": {"type": "repo", "source": repo, "packages": ["kiln-doc"]}, "results": ["iso"],
                       "flags": ["no_reuse"]},
        "source.sigkeys": {"source": dict(tagged, packages=["kiln-hello"]), "flags": ["no_reuse"]},
        "source.koji_event": {"source": dict(tagged, packages=["kiln-hello"], koji_event=150), "flags": ["no_reuse"]},
        "flag no_inheritance": {"source": dict(tagged, packages=["kiln-lib"]),
                                "flags": ["no_inheritance", "no_deps", "no_reuse"]},
        "source.builds": {"source": {"type": "build", "builds": ["kiln-doc-1.0-1"], "sigkeys": [""]},
                          "flags": ["no_reuse"]},
        "source.scratch_build_tasks": {"source": {"type": "build", "scratch_build_tasks": ["3001"]},
                                       "flags": ["no_reuse"]},
        "pulp flags": {"source": {"type": "pulp", "source": "rhel-8-for-x86_64-baseos-rpms gone-1"},
                       "flags": ["ignore_absent_pulp_repos", "use_only_compatible_arch",
                                 "include_unpublished_pulp_repos"]},
    }
    # Parents and respin_of link to a tracked compose: the first one, once it is done.
    generate(stack, koji, pulp)
    parent = wait_finished(stack, first["id"])
    assert parent["state_name"] == "done", parent["state_reason"]
    cases["parents + respin_of"].update(parent_pungi_compose_ids=[parent["pungi_compose_id"]],
                                        respin_of=parent["pungi_compose_id"])
    created = {}
    for name, body in cases.items():
        r = stack.post_compose(body, token)
        assert r.status_code == 200, (name, r.text)
        created[name] = r.json()
    generate(stack, koji, pulp)
    done = {name: wait_finished(stack, c["id"]) for name, c in created.items()}
    for name, c in done.items():
        if name != "flag check_deps":
            assert c["state_name"] == "done", (name, c["state_reason"])

    assert ttl(done["seconds_to_live"]) == 4000 and ttl(done["seconds-to-live"]) == 5000
    assert binaries(stack, done["source.packages + flag no_deps"]) == {"kiln-hello-0:1.0-1.x86_64"}
    arches = done["arches"]
    assert sorted(os.listdir(os.path.join(toplevel_dir(stack, arches), "compose", "Temporary"))) == [
        "aarch64", "odcs-%d.repo" % arches["id"], "source", "x86_64"]
    assert binaries(stack, done["lookaside_repos"]) == {"kiln-hello-0:1.0-1.x86_64"}
    assert {n for n in binaries(stack, done["multilib"]) if n.endswith(".i686")} == {
        "kiln-mlib-0:1.0-1.i686", "kiln-mlib-devel-0:1.0-1.i686"}
    labelled = done["label + compose_type + target_dir"]
    assert re.fullmatch(r"odcs-\d+-1-\d{8}\.n\.0", labelled["pungi_compose_id"])
    from productmd.compose import Compose
    assert Compose(toplevel_dir(stack, labelled)).info.compose.label == "RC-2.1"
    assert labelled["toplevel_url"].endswith("/odcs-%d" % labelled["id"])
    tracked = requests.get(stack.url + "/cts/api/1/composes/" + done["parents + respin_of"]["pungi_compose_id"],
                           timeout=10).json()
    assert tracked["parents"] == [parent["pungi_compose_id"]]
    assert tracked["respin_of"] == parent["pungi_compose_id"]
    check = done["flag check_deps"]
    assert check["state_name"] == "failed" and "kiln-missing-dependency" in check["state_reason"]
    assert done["flag no_reuse"]["toplevel_url"].endswith("/odcs-%d" % done["flag no_reuse"]["id"])
    # Without no_reuse an identical request reuses the earlier compose's tree.
    assert done["reusing"]["toplevel_url"] == done["reused"]["toplevel_url"]
    assert not done["reusing"]["toplevel_url"].endswith("/odcs-%d" % done["reusing"]["id"])
    assert Compose(toplevel_dir(stack, done["flag no_label"])).info.compose.label is None
    assert os.path.exists(os.path.join(toplevel_dir(stack, done["result iso"]), "compose", "metadata",
                                       "images.json"))
    sigs = {nevra: data["sigkey"] for arch in rpm_names(stack, done["source.sigkeys"])[0].rpms.rpms["Temporary"]
            .values() for rpms in arch.values() for nevra, data in rpms.items()}
    assert sigs["kiln-hello-0:1.0-1.x86_64"] == koji["sigkey"]
    assert done["source.koji_event"]["koji_event"] == 150
    assert binaries(stack, done["source.koji_event"]) == {"kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.0-1.noarch"}
    assert binaries(stack, done["flag no_inheritance"]) == {"kiln-lib-0:1.1-1.noarch"}
    assert binaries(stack, done["source.builds"]) == {"kiln-doc-0:1.0-1.noarch"}
    assert binaries(stack, done["source.scratch_build_tasks"]) == {"kiln-lib-0:1.1-1.noarch"}
    pulped = done["pulp flags"]
    assert pulped["source"] == "rhel-8-for-x86_64-baseos-rpms"  # ignore_absent_pulp_repos dropped gone-1
    assert "/$basearch/" in requests.get(pulped["result_repofile"], timeout=10).text  # use_only_compatible_arch

    # Every key, flag and result of the request was walked: refused above or honoured here.
    walked = set(REFUSED) | {"source.type", "source.source"}
    for name in cases:
        walked |= {part.strip() for part in name.split("+")}
    # Honoured on module composes and on tag composes with modules, proved in test_generate_modules.py.
    walked |= {"source.modular_koji_tags", "source.modules", "source.module_defaults_url",
               "source.module_defaults_commit", "source.scratch_modules", "source.base_module_br_name",
               "source.base_module_br_stream", "source.base_module_br_stream_version_lte",
               "source.base_module_br_stream_version_gte", "flag include_done_modules"}
    walked |= {"source.packages", "flag no_deps", "multilib_arches", "multilib_method", "label", "compose_type",
               "target_dir", "parent_pungi_compose_ids", "respin_of", "flag ignore_absent_pulp_repos",
               "flag use_only_compatible_arch", "flag include_unpublished_pulp_repos", "result repository", "source",
               "flags", "results", "source.koji_event"}
    expected = set(REQUEST_KEYS) | {"source." + k for k in SOURCE_KEYS} | {"flag " + f for f in FLAGS} | \
        {"result " + r for r in RESULTS}
    assert expected - walked == set()


def generate(stack, koji, pulp):  # noqa: F811
    env = dict(os.environ, KILN_KOJI_HUB_URL=koji["hub"], KILN_KOJI_TOP_URL=koji["topdir"],
               KILN_PULP_SERVER_URL=pulp[0])
    # One worker: the reused pair is built one after the other, so the second finds the first done.
    out = subprocess.run([stack.bin, "generate", "--config", stack.config, "--once", "--workers", "1"],
                         capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
