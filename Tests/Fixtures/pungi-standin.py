#!/usr/bin/env python3
"""A stand-in for `pungi-koji` (Pungi is not packaged for Debian), for Kiln's raw_config composes in tests and in
the local stack. It takes pungi-koji's command line as ODCS passes it and writes a productmd compose the way Pungi
lays one out, from the RPMs of a local repository the configuration names:

    pungi-standin.py --config=FILE --compose-dir=DIR [--no-latest-link] --test|--nightly|--ci|--production|...
                     [--label=L] [--no-label] [--parent-compose-id=ID]... [--respin-of=ID] [--koji-event N]

The configuration file is Pungi's Python-like format (`name = literal` lines). Keys read: release_name,
release_short, release_version, variants (list of variant ids, default ["Server"]), arches (default ["x86_64"]),
packages_from (a repository directory, absolute or relative to the configuration file), and for tests: sleep
(seconds to wait first), exit_status (exit with it after writing the logs), errors (lines logged as Pungi's
[ERROR   ] lines). The compose id is read from DIR/COMPOSE_ID when it exists, as Pungi does.

Writes DIR/STATUS, DIR/compose/<Variant>/<arch>/os/Packages/<letter>/<rpm> with repodata (createrepo_c),
DIR/compose/metadata/{composeinfo,rpms}.json (productmd 1.2), DIR/logs/global/pungi.global.log,
DIR/logs/global/config-dump.global.log (the configuration read, as JSON) and DIR/logs/global/arguments.json (the
arguments it was given, for tests to check).
"""
import ast
import datetime
import json
import os
import shutil
import subprocess
import sys
import time

COMPOSE_TYPES = {"test": "t", "nightly": "n", "ci": "ci", "production": "", "development": "d"}


def read_config(path):
    config = {}
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            config[node.targets[0].id] = ast.literal_eval(node.value)
    return config


def parse_arguments(argv):
    options = {"parents": [], "type": None, "label": None, "no_label": False, "respin_of": None, "koji_event": None}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--config="):
            options["config"] = arg.split("=", 1)[1]
        elif arg.startswith("--compose-dir="):
            options["compose_dir"] = arg.split("=", 1)[1]
        elif arg.startswith("--label="):
            options["label"] = arg.split("=", 1)[1]
        elif arg == "--no-label":
            options["no_label"] = True
        elif arg.startswith("--parent-compose-id="):
            options["parents"].append(arg.split("=", 1)[1])
        elif arg.startswith("--respin-of="):
            options["respin_of"] = arg.split("=", 1)[1]
        elif arg == "--koji-event":
            i += 1
            options["koji_event"] = int(argv[i])
        elif arg == "--no-latest-link":
            pass
        elif arg[2:] in COMPOSE_TYPES:
            options["type"] = arg[2:]
        else:
            sys.exit("pungi-standin: unknown argument %s" % arg)
        i += 1
    if "config" not in options or "compose_dir" not in options:
        sys.exit("pungi-standin: --config and --compose-dir are required")
    return options


def nevra(path):
    out = subprocess.run(["rpm", "-qp", "--nosignature", "--nodigest", "--qf",
                          "%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n", path],
                         check=True, capture_output=True, text=True).stdout.split("\t")
    name, epoch, version, release, arch, source = (x.strip() for x in out)
    is_source = source == "(none)"
    arch = "src" if is_source else arch
    return "%s-%s:%s-%s.%s" % (name, epoch, version, release, arch), is_source, source


def main():
    options = parse_arguments(sys.argv[1:])
    config = read_config(options["config"])
    top = options["compose_dir"]
    log_dir = os.path.join(top, "logs", "global")
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "arguments.json"), "w") as f:
        json.dump({"argv": sys.argv[1:], "cwd": os.getcwd(),
                   "source_name": os.environ.get("ODCS_RAW_CONFIG_SOURCE_NAME")}, f, indent=1)
    log = open(os.path.join(log_dir, "pungi.global.log"), "a")

    def say(level, text):
        line = "%s [%-8s] %s" % (time.strftime("%Y-%m-%d %H:%M:%S"), level, text)
        log.write(line + "\n")
        log.flush()
        print(line, file=sys.stderr, flush=True)

    with open(os.path.join(top, "STATUS"), "w") as f:
        f.write("STARTED\n")
    say("INFO", "Pungi stand-in: config %s, compose dir %s" % (options["config"], top))
    print("stand-in pungi-koji output", flush=True)
    if config.get("sleep"):
        time.sleep(float(config["sleep"]))
    for error in config.get("errors", []):
        say("ERROR", error)
    if config.get("exit_status"):
        with open(os.path.join(top, "STATUS"), "w") as f:
            f.write("DOOMED\n")
        sys.exit(int(config["exit_status"]))

    short = config.get("release_short", "Kiln")
    version = config.get("release_version", "1")
    compose_type = options["type"] or "test"
    id_file = os.path.join(top, "COMPOSE_ID")
    date = datetime.datetime.utcnow().strftime("%Y%m%d")
    if os.path.exists(id_file):
        with open(id_file) as f:
            compose_id = f.read().strip()
        stamp = compose_id.rsplit("-", 1)[1].split(".")  # DATE[.TYPE].RESPIN
        date, respin = stamp[0], int(stamp[-1])
    else:
        respin = 0
        suffix = COMPOSE_TYPES[compose_type]
        compose_id = "%s-%s-%s%s.%d" % (short, version, date, "." + suffix if suffix else "", respin)
        with open(id_file, "w") as f:
            f.write(compose_id + "\n")

    packages_from = config.get("packages_from")
    if packages_from and not os.path.isabs(packages_from):
        packages_from = os.path.join(os.path.dirname(os.path.abspath(options["config"])), packages_from)
    rpms = sorted(f for f in os.listdir(packages_from) if f.endswith(".rpm")) if packages_from else []
    variants = config.get("variants", ["Server"])
    arches = config.get("arches", ["x86_64"])
    compose_meta = {"id": compose_id, "date": date, "respin": respin, "type": compose_type}
    if options["label"] and not options["no_label"]:
        compose_meta["label"] = options["label"]
        compose_meta["final"] = False
    rpm_meta = {}
    variant_meta = {}
    for variant in variants:
        rpm_meta[variant] = {}
        paths = {"os_tree": {}, "repository": {}, "packages": {}}
        for arch in arches:
            tree = os.path.join(top, "compose", variant, arch, "os")
            os.makedirs(tree, exist_ok=True)
            groups = rpm_meta[variant].setdefault(arch, {})
            for rpm in rpms:
                source_path = os.path.join(packages_from, rpm)
                full, is_source, source_rpm = nevra(source_path)
                if is_source or not (rpm.endswith(".%s.rpm" % arch) or rpm.endswith(".noarch.rpm")):
                    continue
                relative = os.path.join(variant, arch, "os", "Packages", rpm[0].lower(), rpm)
                os.makedirs(os.path.dirname(os.path.join(top, "compose", relative)), exist_ok=True)
                shutil.copyfile(source_path, os.path.join(top, "compose", relative))
                srpm_nevra = nevra(os.path.join(packages_from, source_rpm))[0] \
                    if os.path.exists(os.path.join(packages_from, source_rpm)) else full
                groups.setdefault(srpm_nevra, {})[full] = {"path": relative, "sigkey": None, "category": "binary"}
            subprocess.run(["createrepo_c", "--quiet", "--no-database", "--general-compress-type=gz", tree], check=True)
            for key, value in (("os_tree", ""), ("repository", ""), ("packages", "/Packages")):
                paths[key][arch] = "%s/%s/os%s" % (variant, arch, value)
        variant_meta[variant] = {"id": variant, "uid": variant, "name": variant, "type": "variant", "arches": arches,
                                 "paths": paths}
        say("INFO", "Variant %s: %d arches" % (variant, len(arches)))

    metadata = os.path.join(top, "compose", "metadata")
    os.makedirs(metadata, exist_ok=True)
    release = {"name": config.get("release_name", short), "short": short, "version": version, "type": "ga",
               "internal": False}
    with open(os.path.join(metadata, "composeinfo.json"), "w") as f:
        json.dump({"header": {"type": "productmd.composeinfo", "version": "1.2"},
                   "payload": {"compose": compose_meta, "release": release, "variants": variant_meta}},
                  f, indent=4, sort_keys=True)
    with open(os.path.join(metadata, "rpms.json"), "w") as f:
        json.dump({"header": {"type": "productmd.rpms", "version": "1.2"},
                   "payload": {"compose": compose_meta, "rpms": rpm_meta}}, f, indent=4, sort_keys=True)
    with open(os.path.join(log_dir, "config-dump.global.log"), "w") as f:
        json.dump(config, f, indent=4, sort_keys=True)
    with open(os.path.join(top, "STATUS"), "w") as f:
        f.write("FINISHED\n")
    say("INFO", "Compose finished: %s" % compose_id)


if __name__ == "__main__":
    main()
