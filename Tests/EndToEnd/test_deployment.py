"""How the stack is put together, as in production: the FastCGI socket (the trust boundary: 0660, httpd's group
only), kiln-api restarted after it dies, httpd following no symlink out of the compose directory, and the units'
ReadWritePaths= against the compose directories."""
import grp
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import time
import uuid

import pytest
import requests

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HTTPD_GROUP = "www-data"  # User/Group in httpd/kiln-local.conf.in


def can_connect_as(user, path):
    """Whether `user` may connect to the unix socket `path` (connect(2) needs write permission on it)."""
    code = "import socket, sys\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect(sys.argv[1])\n" \
           "except PermissionError:\n    sys.exit(13)\nsys.exit(0)\n"
    out = subprocess.run(["runuser", "-u", user, "--", "python3", "-c", code, path], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode in (0, 13), out.stderr
    return out.returncode == 0


def test_fastcgi_socket_is_0660_with_httpds_group_only(stack):
    path = stack.env["KILN_FCGI_SOCKET"]
    st = os.stat(path)
    assert stat.S_ISSOCK(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o660, oct(stat.S_IMODE(st.st_mode))
    assert os.geteuid() == 0, "the end-to-end suite runs the stack as root, as scripts/test does"
    group = grp.getgrgid(st.st_gid)
    assert group.gr_name == HTTPD_GROUP
    # Nobody but httpd's user is in that group, by membership or as a primary group.
    assert group.gr_mem in ([], [HTTPD_GROUP])
    assert [u.pw_name for u in pwd.getpwall() if u.pw_gid == st.st_gid] == [HTTPD_GROUP]
    assert st.st_uid == 0
    # Anyone else cannot reach the responder (and so cannot pose as a user); httpd's user can.
    assert not can_connect_as("nobody", path)
    assert can_connect_as(HTTPD_GROUP, path)
    assert requests.get(stack.api("about/"), timeout=30).status_code == 200


def wait_for_answer(stack, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            r = requests.get(stack.api("about/"), timeout=timeout)
            if r.status_code == 200:
                return r
        except requests.exceptions.RequestException:
            pass
        time.sleep(0.1)
    return None


def test_killed_responder_is_restarted_and_answers_again(stack):
    pid_file = os.path.join(stack.rundir, "kiln-api.pid")
    old = int(open(pid_file, encoding="ascii").read())
    os.kill(old, 0)
    os.kill(old, signal.SIGKILL)
    killed = time.monotonic()
    r = wait_for_answer(stack, 8)
    assert r is not None, "kiln-api did not answer within 8 s of being killed"
    # Restarted after RestartSec=2s, as kiln-api.service does; a GET sent meanwhile waited in the backlog.
    assert 1.5 < time.monotonic() - killed < 8
    new = int(open(pid_file, encoding="ascii").read())
    assert new != old
    os.kill(new, 0)
    with pytest.raises(ProcessLookupError):
        os.kill(old, 0)
    # Still 0660 with httpd's group: the socket is the supervisor's, it outlives the responder.
    assert stat.S_IMODE(os.stat(stack.env["KILN_FCGI_SOCKET"]).st_mode) == 0o660


@pytest.fixture
def compose_root(stack):
    """Directories and links made in the stack's compose root for one test, removed afterwards."""
    root = stack.env["KILN_TARGET_DIR"]
    made = []

    def make(relative):
        path = os.path.join(root, relative)
        made.append(path)
        return path
    yield make
    for path in reversed(made):
        if os.path.islink(path) or os.path.isfile(path):
            os.unlink(path)
        elif os.path.isdir(path):
            shutil.rmtree(path)


def get_composes(stack, relative):
    return requests.get(stack.url + "/composes/" + relative, timeout=30, allow_redirects=False)


def test_httpd_follows_no_symlink_out_of_the_compose_directory(stack, compose_root):
    tag = uuid.uuid4().hex[:8]
    compose = compose_root("odcs-9%08d" % (int(tag, 16) % 10 ** 8))
    os.makedirs(os.path.join(compose, "compose", "Temporary"))
    with open(os.path.join(compose, "compose", "Temporary", "hello.repo"), "w", encoding="utf-8") as f:
        f.write("[hello]\n")
    # Links into /etc: inside a compose (its files come from its sources), at the top and in a type directory.
    os.symlink("/etc", os.path.join(compose, "compose", "etc"))
    os.symlink("/etc/passwd", os.path.join(compose, "passwd"))
    os.symlink("/etc", compose_root("e2e-etc-%s" % tag))
    types = compose_root("e2e-type-%s" % tag)
    os.makedirs(types)
    os.symlink("../" + os.path.basename(compose), os.path.join(types, "latest-odcs-e2e"))
    os.symlink("/etc", os.path.join(types, "etc"))
    os.lchown(os.path.join(types, "etc"), pwd.getpwnam("nobody").pw_uid, -1)

    refused = ["%s/compose/etc/passwd" % os.path.basename(compose), "%s/passwd" % os.path.basename(compose),
               "e2e-etc-%s/passwd" % tag, "e2e-type-%s/etc/passwd" % tag,
               "e2e-type-%s/latest-odcs-e2e/passwd" % tag, "e2e-type-%s/latest-odcs-e2e/compose/etc/passwd" % tag]
    for relative in refused:
        r = get_composes(stack, relative)
        assert r.status_code in (403, 404), (relative, r.status_code)
        assert "root:" not in r.text
        assert r.headers["Content-Type"].startswith("application/json"), relative
        assert json.loads(r.text)["status"] == r.status_code

    # Kiln's own kind of link, <type>/latest-* -> ../odcs-<id>, made by the compose directory's owner, works.
    r = get_composes(stack, "e2e-type-%s/latest-odcs-e2e/compose/Temporary/hello.repo" % tag)
    assert r.status_code == 200, r.status_code
    assert r.text == "[hello]\n"
    assert get_composes(stack, "%s/compose/Temporary/hello.repo" % os.path.basename(compose)).text == "[hello]\n"


SHARED_HTTPD = ("kiln-common.conf", "kiln-auth.conf")
# Directives that belong to the shared files only: a copy of one of them in either site file would let the
# tested configuration and the shipped one drift apart.
SHARED_ONLY = ("ProxyPass ", "ErrorDocument ", "Alias ", "AliasMatch ", "RewriteRule ", "RequestReadTimeout ",
               "<Directory \"/var/lib/kiln", "<Directory \"@TARGET_DIR@", "AuthType oauth20", "AuthType GSSAPI",
               "GssapiCredStore ", "Header always set Allow")


def active_lines(path):
    return [line.strip() for line in open(path, encoding="utf-8") if line.strip() and not line.strip().startswith("#")]


def test_local_and_production_httpd_share_their_common_directives():
    """Both site files include the shared files, and neither repeats what those hold."""
    local = active_lines(os.path.join(SRC, "httpd", "kiln-local.conf.in"))
    production = active_lines(os.path.join(SRC, "httpd", "kiln.conf"))
    for name in SHARED_HTTPD:
        assert 'Include "@SRCDIR@/httpd/%s"' % name in local, name
        assert "Include /usr/share/kiln/httpd/%s" % name in production, name
    for lines in (local, production):
        assert not [line for line in lines if line.startswith(SHARED_ONLY)]
        # Each site names its keytab for the Negotiate branch of httpd/kiln-auth.conf.
        assert [line for line in lines if line.startswith("Define KILN_HTTP_KEYTAB ")]
    assert "Define KILN_GSSAPI_SSL_ONLY On" in production
    # The pages' development sign-in has a URL on the local stack only.
    assert 'Define KILN_DEV_SIGN_IN_URL "-"' in production
    assert 'Define KILN_DEV_SIGN_IN_URL "/signin/dev"' in local
    common = active_lines(os.path.join(SRC, "httpd", "kiln-common.conf"))
    assert "Options Indexes SymLinksIfOwnerMatch" in common
    assert not [line for line in common if "FollowSymLinks" in line]


def test_production_httpd_configuration_parses(tmp_path):
    """httpd/kiln.conf as shipped, with its install paths pointed at the repository and a scratch directory,
    passes `apache2 -t` with the modules its header says to enable."""
    for tool in ("openssl", "/usr/sbin/apache2"):
        assert shutil.which(tool), "%s is not installed (scripts/install-deps installs it)" % tool
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=kiln.test",
                    "-keyout", str(tls / "server.key"), "-out", str(tls / "server.crt")],
                   check=True, capture_output=True, timeout=60)
    shutil.copy(tls / "server.crt", tls / "client-ca.crt")
    site = open(os.path.join(SRC, "httpd", "kiln.conf"), encoding="utf-8").read()
    site = site.replace("/usr/share/kiln/httpd", os.path.join(SRC, "httpd")).replace("/etc/kiln/tls", str(tls))
    site = site.replace("/var/lib/kiln/composes", str(tmp_path / "composes"))
    (tmp_path / "composes").mkdir()
    (tmp_path / "site.conf").write_text(site)
    modules = ["mpm_event", "authn_core", "authz_core", "authz_user", "alias", "mime", "dir", "autoindex", "env",
               "reqtimeout", "ssl", "headers", "rewrite", "proxy", "proxy_fcgi", "auth_openidc", "auth_gssapi",
               "buffer", "asis", "socache_shmcb"]
    main = ['ServerRoot "%s"' % tmp_path, 'DefaultRuntimeDir "%s"' % tmp_path, 'PidFile "%s/httpd.pid"' % tmp_path,
            "Listen 127.0.0.1:80", "Listen 127.0.0.1:443", 'Define APACHE_LOG_DIR "%s"' % tmp_path,
            'ErrorLog "%s/error.log"' % tmp_path]
    main += ["LoadModule %s_module /usr/lib/apache2/modules/mod_%s.so" % (m, m) for m in modules]
    main.append('Include "%s"' % (tmp_path / "site.conf"))
    (tmp_path / "httpd.conf").write_text("\n".join(main) + "\n")
    out = subprocess.run(["/usr/sbin/apache2", "-t", "-f", str(tmp_path / "httpd.conf")], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Syntax OK" in out.stderr


def run_check_units(*args, unit_dir=None):
    env = dict(os.environ)
    if unit_dir:
        env["KILN_UNIT_DIR"] = unit_dir
    return subprocess.run([os.path.join(SRC, "scripts", "check-units"), *args], capture_output=True, text=True,
                          timeout=300, env=env)


def read_write_paths(unit):
    paths = []
    for line in open(os.path.join(SRC, "systemd", unit), encoding="utf-8"):
        key, _, value = line.strip().partition("=")
        if key == "ReadWritePaths":
            paths += value.split()
    return paths


def test_documented_compose_directories_are_writable_for_the_units_that_write_them():
    text = open(os.path.join(SRC, "docs", "configuration.md"), encoding="utf-8").read()
    example = text.split("## Example: production", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    config = json.loads(example)
    dirs = [config["target_dir"]] + list(config["extra_target_dirs"].values())
    assert len(dirs) >= 2
    for unit in ("kiln-generate.service", "kiln-expire.service"):
        roots = read_write_paths(unit)
        for d in dirs:
            assert any(d == r or d.startswith(r.rstrip("/") + "/") for r in roots), (unit, d, roots)


def test_check_units_refuses_a_compose_directory_the_units_cannot_write(tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"target_dir": "/var/lib/kiln/composes",
                                   "extra_target_dirs": {"private": "/srv/elsewhere/private"}}))
    inside = tmp_path / "inside.json"
    inside.write_text(json.dumps({"extra_target_dirs": {"private": "/var/lib/kiln/private"}}))
    ok = run_check_units("--config", str(inside))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run_check_units("--config", str(outside))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    for unit in ("kiln-generate.service", "kiln-expire.service"):
        assert "%s: compose directory /srv/elsewhere/private (%s) is not under ReadWritePaths=/var/lib/kiln" % (
            unit, outside) in bad.stdout, bad.stdout
    # A unit copy whose ReadWritePaths= no longer covers the documented example is caught without --config.
    units = tmp_path / "units"
    shutil.copytree(os.path.join(SRC, "systemd"), units)
    generate = units / "kiln-generate.service"
    generate.write_text(generate.read_text().replace("ReadWritePaths=/var/lib/kiln\n",
                                                     "ReadWritePaths=/var/lib/kiln/composes\n"))
    narrowed = run_check_units(unit_dir=str(units))
    assert narrowed.returncode == 1
    assert "kiln-generate.service: compose directory /var/lib/kiln/private (the production example" in narrowed.stdout
    assert "kiln-expire.service" not in narrowed.stdout


def test_check_units_refuses_a_socket_others_could_connect_to(tmp_path):
    units = tmp_path / "units"
    shutil.copytree(os.path.join(SRC, "systemd"), units)
    socket_unit = units / "kiln-api.socket"
    text = socket_unit.read_text()
    assert "SocketMode=0660\n" in text and "SocketGroup=www-data\n" in text
    socket_unit.write_text(text.replace("SocketMode=0660\n", "SocketMode=0666\n").replace("SocketGroup=www-data\n", ""))
    out = run_check_units(unit_dir=str(units))
    assert out.returncode == 1
    assert "kiln-api.socket: SocketMode=0666: anyone who can connect can claim any identity; use 0660" in out.stdout
    assert "kiln-api.socket: no SocketGroup=: set httpd's group (www-data)" in out.stdout
