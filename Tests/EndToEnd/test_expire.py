"""`kiln expire` and the disk-space guard on a real PostgreSQL and a real compose directory.

`kiln expire` acts on every compose of its database, so most tests here give it a database and a compose directory
of their own (the `ops` fixture) on the stack's PostgreSQL; composes are built there by a real `kiln generate`
from the stack's sample repository. One test goes through httpd on the shared stack (DELETE, then expire)."""
import json
import os
import subprocess
import uuid

import pytest
from conftest import unique

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NOW = "date_trunc('second', now() AT TIME ZONE 'utc')"


class Ops:
    def __init__(self, stack, name, target):
        self.stack = stack
        self.name = name
        self.target = str(target)
        self.env = dict(os.environ, KILN_CONFIG=stack.config, KILN_TARGET_DIR=self.target,
                        KILN_DATABASE_URL="postgresql:///%s?host=%s&user=postgres" % (name, stack.pg_socket))

    def sql(self, query):
        cmd = [os.path.join(self.stack.pg_bin, "psql"), "-h", self.stack.pg_socket, "-U", "postgres", "-X", "-q", "-A", "-t",
               "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query, self.name]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, "psql failed (%s): %s" % (query, out.stderr)
        return [line.split("\t") for line in out.stdout.splitlines() if line != ""]

    def kiln(self, *args, check=True, **env):
        out = subprocess.run([self.stack.bin, *args], capture_output=True, text=True, timeout=300,
                             env=dict(self.env, **{k: str(v) for k, v in env.items()}))
        if check:
            assert out.returncode == 0, "kiln %s exited %d:\n%s\n%s" % (" ".join(args), out.returncode, out.stdout, out.stderr)
        return out

    def submit(self, ttl=3600, packages="kiln-hello", label=None, compose_type=None, flags=0):
        """A waiting `repo` compose over the sample repository, as POST stores it."""
        rows = self.sql(
            "INSERT INTO composes (owner, source_type, source, state, results, packages, flags, arches, label, compose_type, "
            "time_submitted, time_to_expire) VALUES ('ops', 3, '%s', 0, 1, '%s', %d, 'x86_64', %s, %s, %s, %s + interval '%d seconds') "
            "RETURNING id" % (self.stack.env["KILN_SAMPLE_REPO"], packages, flags, _lit(label), _lit(compose_type), NOW, NOW, ttl))
        return int(rows[0][0])

    def generate(self, **env):
        return self.kiln("generate", "--once", "--workers", "1", **env)

    def row(self, cid):
        (text,), = self.sql(
            "SELECT row_to_json(x) FROM (SELECT state, coalesce(state_reason, '') AS reason, time_removed IS NOT NULL AS removed, "
            "coalesce(reused_id, 0) AS reused_id, coalesce(size_bytes, -1) AS size FROM composes WHERE id = %d) x" % cid)
        return json.loads(text)

    def expire_now(self, *ids):
        self.sql("UPDATE composes SET time_to_expire = %s - interval '1 second' WHERE id IN (%s)" % (NOW, ",".join(map(str, ids))))

    def path(self, *parts):
        return os.path.join(self.target, *parts)

    def messages(self, cid):
        return [json.loads(r[0]) for r in self.sql(
            "SELECT body::text FROM outbox WHERE (body->'compose'->>'id')::bigint = %d ORDER BY id" % cid)]


def _lit(value):
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


@pytest.fixture
def ops(stack, tmp_path):
    name = "kiln_ops_" + uuid.uuid4().hex[:10]
    stack.psql("SELECT 1")
    created = subprocess.run([os.path.join(stack.pg_bin, "createdb"), "-h", stack.pg_socket, "-U", "postgres", name],
                             capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    target = tmp_path / "composes"
    target.mkdir()
    o = Ops(stack, name, target)
    o.kiln("migrate", "--migrations", os.path.join(SRC, "migrations"))
    yield o
    subprocess.run([os.path.join(stack.pg_bin, "dropdb"), "-h", stack.pg_socket, "-U", "postgres", "--if-exists", name],
                   capture_output=True)


def test_an_expired_compose_is_removed_with_its_files_links_and_log(ops):
    cid = ops.submit()
    ops.generate()
    done = ops.row(cid)
    assert done["state"] == 2, done["reason"]
    pungi_id = ops.sql("SELECT pungi_compose_id FROM composes WHERE id = %d" % cid)[0][0]
    assert os.path.isdir(ops.path("odcs-%d" % cid))
    assert os.path.islink(ops.path("test", pungi_id))
    assert os.path.exists(ops.path(".logs", "odcs-%d.log" % cid))
    assert done["size"] > 0

    # Not expired yet: untouched.
    out = ops.kiln("expire")
    assert "expired, removed: none" in out.stdout
    assert ops.row(cid)["state"] == 2

    ops.expire_now(cid)
    out = ops.kiln("expire")
    assert "expired, removed: %d" % cid in out.stdout
    row = ops.row(cid)
    assert row["state"] == 3 and row["removed"]
    assert row["reason"] == "Compose is generated successfully\nCompose is expired."
    assert not os.path.lexists(ops.path("odcs-%d" % cid))
    assert not os.path.lexists(ops.path("test", pungi_id))
    assert not os.path.lexists(ops.path("test", "latest-odcs-%d" % cid))
    assert not os.path.exists(ops.path(".logs", "odcs-%d.log" % cid))
    assert not [e for e in os.listdir(ops.target) if e.startswith(".tmp-")]
    last = ops.messages(cid)[-1]
    assert last["event"] == "state-changed" and last["compose"]["state_name"] == "removed"
    assert last["compose"]["state_reason"] == "Compose is generated successfully\nCompose is expired."
    # Byte counters follow: the removed compose holds nothing on disk any more.
    assert int(ops.sql("SELECT bytes FROM compose_bytes WHERE state = 2")[0][0]) == 0


def test_a_reused_directory_stays_while_a_live_compose_uses_it(ops):
    first = ops.submit()
    ops.generate()
    second = ops.submit()
    ops.generate()
    assert ops.row(second)["reused_id"] == first
    # The reused compose is past its expiry, the reusing one is not: the files stay, nothing is removed.
    ops.expire_now(first)
    out = ops.kiln("expire")
    assert "kept, a live compose reuses their files: %d" % first in out.stdout
    assert ops.row(first)["state"] == 2
    assert os.path.isdir(ops.path("odcs-%d" % first))
    # Both expired: both removed, the files go once.
    ops.expire_now(first, second)
    out = ops.kiln("expire")
    assert ops.row(first)["state"] == 3 and ops.row(second)["state"] == 3
    assert ops.row(second)["reason"] == "Compose is generated successfully\nCompose is expired."
    assert not os.path.exists(ops.path("odcs-%d" % first))
    assert "error" not in out.stdout


def test_a_delete_then_expire_says_who_removed_it(stack, releng, admin):
    _, token = releng
    user, admin_token = admin
    c = stack.create_compose(token, source="f40-" + unique("x"))
    stack.set_state(c["id"], "done", "Compose is generated successfully")
    r = stack.request("DELETE", "composes/%d" % c["id"], token=admin_token)
    assert r.status_code == 202, r.text
    out = subprocess.run([stack.bin, "expire", "--config", stack.config], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    got = stack.get("composes/%d" % c["id"]).json()
    assert got["state_name"] == "removed"
    assert got["state_reason"] == "Compose is generated successfully\nRemoved by %s." % user
    assert got["time_removed"] is not None


def test_the_latest_of_a_series_is_kept_until_another_takes_the_link(ops):
    # Two composes of one series, as a raw_config Pungi compose names them; the link points at the second.
    no_reuse = 64
    ids = [ops.submit(compose_type="production", label="Alpha-1.0", flags=no_reuse) for _ in range(2)]
    ops.generate()
    for n, cid in enumerate(ids):
        pid = "Fedora-Rawhide-20261122.n.%d" % n
        ops.sql("UPDATE composes SET pungi_compose_id = '%s' WHERE id = %d" % (pid, cid))
        os.symlink("../odcs-%d" % cid, ops.path("production", pid))
    latest = ops.path("production", "latest-Fedora-Rawhide")
    os.symlink("../odcs-%d" % ids[1], latest)
    ops.expire_now(*ids)
    out = ops.kiln("expire")
    assert "kept, a latest-* symlink points to them: %d" % ids[1] in out.stdout
    assert ops.row(ids[0])["state"] == 3 and ops.row(ids[1])["state"] == 2
    assert not os.path.lexists(ops.path("production", "Fedora-Rawhide-20261122.n.0"))
    assert os.readlink(latest) == "../odcs-%d" % ids[1]
    assert os.path.isdir(ops.path("odcs-%d" % ids[1]))
    # A newer compose takes the link: the old latest goes, with its links, and the new link stays.
    newest = ops.submit(compose_type="production", flags=no_reuse)
    ops.generate()
    os.unlink(latest)
    os.symlink("../odcs-%d" % newest, latest)
    ops.kiln("expire")
    assert ops.row(ids[1])["state"] == 3
    assert not os.path.lexists(ops.path("production", "Fedora-Rawhide-20261122.n.1"))
    assert os.readlink(latest) == "../odcs-%d" % newest


def test_a_crash_between_commit_and_delete_is_repaired_by_the_next_run(ops):
    a = ops.submit()
    b = ops.submit(packages="kiln-hello kiln-doc")
    ops.generate()
    assert ops.row(a)["state"] == 2 and ops.row(b)["state"] == 2, (ops.row(a), ops.row(b))
    pid_a = ops.sql("SELECT pungi_compose_id FROM composes WHERE id = %d" % a)[0][0]
    # What a crash right after the state change committed leaves: removed in the database, files still there.
    ops.sql("UPDATE composes SET state = 3, time_removed = %s WHERE id = %d" % (NOW, a))
    # ... and one in the middle of deleting: the directory already renamed out of the served tree.
    trash = ops.path(".tmp-odcs-%d-somehost-4242-removed" % b)
    os.rename(ops.path("odcs-%d" % b), trash)
    ops.sql("UPDATE composes SET state = 3, time_removed = %s WHERE id = %d" % (NOW, b))
    # Leftovers of other kinds: a compose this database never had (below its highest id), one above it (kept: not
    # ours to judge), unparseable names (kept), and a generator's work directory of a done compose.
    os.makedirs(ops.path("odcs-0"))
    os.makedirs(ops.path("odcs-999999"))
    os.makedirs(ops.path("odcs-abc"))
    os.makedirs(ops.path("latest-odcs-"))
    c = ops.submit()
    ops.generate()
    work = ops.path(".tmp-odcs-%d-otherhost-7-download" % c)
    os.makedirs(work)

    dry = ops.kiln("expire", "--dry-run")
    assert "leftover would be purged: %s" % ops.path("odcs-%d" % a) in dry.stdout
    assert os.path.isdir(ops.path("odcs-%d" % a))

    out = ops.kiln("expire")
    for gone in ["odcs-%d" % a, "test/" + pid_a, "test/latest-odcs-%d" % a, ".logs/odcs-%d.log" % a, os.path.basename(trash),
                 ".logs/odcs-%d.log" % b, "odcs-0", os.path.basename(work)]:
        assert not os.path.lexists(ops.path(gone)), (gone, out.stdout)
    for kept in ["odcs-999999", "odcs-abc", "latest-odcs-", "odcs-%d" % c]:
        assert os.path.lexists(ops.path(kept)), (kept, out.stdout)
    assert "leftover purged: %s" % ops.path("odcs-%d" % a) in out.stdout
    # The next run finds nothing more to do.
    again = ops.kiln("expire")
    assert "leftover" not in again.stdout


def test_stuck_composes_fail_with_odcs_reasons(ops):
    generating = ops.submit()
    waiting = ops.submit()
    recent = ops.submit()
    ops.sql("UPDATE composes SET state = 1, time_started = %s - interval '3 hours' WHERE id = %d" % (NOW, generating))
    ops.sql("UPDATE composes SET time_submitted = %s - interval '4 days' WHERE id = %d" % (NOW, waiting))
    out = ops.kiln("expire")
    assert ops.row(generating)["reason"] == "Compose stuck in 'generating' state for longer than 7200 seconds."
    assert ops.row(generating)["state"] == 4
    assert ops.row(waiting)["reason"] == "Compose stuck in 'wait' state for longer than 3 days."
    assert ops.row(waiting)["state"] == 4
    assert ops.row(recent)["state"] == 0
    assert "failed %d: Compose stuck in 'generating'" % generating in out.stdout
    # The limits come from the configuration.
    ops.sql("UPDATE composes SET time_submitted = %s - interval '2 minutes' WHERE id = %d" % (NOW, recent))
    ops.kiln("expire", KILN_MAX_WAIT_SECONDS=60)
    assert ops.row(recent)["reason"] == "Compose stuck in 'wait' state for longer than 60 seconds."


def _sizes(ops, ids):
    return {cid: ops.row(cid)["size"] for cid in ids}


def test_low_disk_holds_composes_and_reclaim_frees_the_oldest(ops):
    ids = []
    for packages in ["kiln-hello", "kiln-hello kiln-doc", "kiln-tools"]:
        ids.append(ops.submit(packages=packages))
        ops.generate()
    sizes = _sizes(ops, ids)
    assert all(s > 0 for s in sizes.values()), sizes
    used = sum(sizes.values())
    # A quota leaves 4 KiB free; the low-water mark wants a bit more than the oldest compose frees.
    quota = used + 4096
    mark = sizes[ids[0]] + 2048
    env = {"KILN_TARGET_DIR_QUOTA": quota, "KILN_DISK_LOW_WATER": mark, "KILN_DISK_CRITICAL": "1"}

    # The guard: a new compose waits, with the reason, instead of failing.
    held = ops.submit()
    ops.generate(**env)
    row = ops.row(held)
    assert row["state"] == 0
    assert row["reason"] == "Waiting for disk space: free space on the compose volume is below the low-water mark (%s)" % _fmt(mark)

    # The dry run says which composes would go, and changes nothing.
    dry = ops.kiln("expire", "--reclaim", "--dry-run", **env)
    assert "reclaim: would be removed %d" % ids[0] in dry.stdout
    assert "reclaim: would be removed %d" % ids[1] not in dry.stdout
    assert ops.row(ids[0])["state"] == 2

    out = ops.kiln("expire", "--reclaim", **env)
    assert "reclaim: removed %d" % ids[0] in out.stdout
    first = ops.row(ids[0])
    assert first["state"] == 3
    assert first["reason"].startswith("Compose is generated successfully\nCompose is expired early: the compose volume had 4 KiB free, "
                                      "below the low-water mark of %s." % _fmt(mark))
    assert not os.path.exists(ops.path("odcs-%d" % ids[0]))
    assert [ops.row(i)["state"] for i in ids[1:]] == [2, 2]

    # Room again: the held compose is generated.
    ops.generate(**env)
    assert ops.row(held)["state"] == 2


def test_below_the_critical_mark_every_run_reclaims(ops):
    ids = []
    for packages in ["kiln-hello", "kiln-tools"]:
        ids.append(ops.submit(packages=packages))
        ops.generate()
    sizes = _sizes(ops, ids)
    quota = sum(sizes.values()) + 1024
    env = {"KILN_TARGET_DIR_QUOTA": quota, "KILN_DISK_LOW_WATER": sizes[ids[0]], "KILN_DISK_CRITICAL": 2048}
    # Above critical: a plain run reclaims nothing.
    ops.kiln("expire", **dict(env, KILN_DISK_CRITICAL=512))
    assert ops.row(ids[0])["state"] == 2
    out = ops.kiln("expire", **env)
    assert "reclaim: removed %d" % ids[0] in out.stdout
    assert ops.row(ids[0])["state"] == 3 and ops.row(ids[1])["state"] == 2


def test_reclaim_that_cannot_reach_the_mark_exits_non_zero(ops):
    cid = ops.submit()
    ops.generate()
    size = ops.row(cid)["size"]
    out = ops.kiln("expire", "--reclaim", check=False, KILN_TARGET_DIR_QUOTA=size + 1024, KILN_DISK_LOW_WATER=size * 10)
    assert out.returncode == 1
    assert "error: free space is still below the low-water mark after reclaiming" in out.stdout
    assert ops.row(cid)["state"] == 3


def test_metrics_show_free_space_and_bytes_per_state(stack):
    text = stack.get("metrics/").text
    values = {}
    for line in text.splitlines():
        if line.startswith("kiln_disk_") or line.startswith("kiln_compose_bytes"):
            key, value = line.rsplit(" ", 1)
            values[key] = int(value)
    st = os.statvfs(stack.env["KILN_TARGET_DIR"])
    assert abs(values["kiln_disk_free_bytes"] - st.f_bavail * st.f_frsize) < 256 << 20
    assert values["kiln_disk_total_bytes"] == st.f_blocks * st.f_frsize
    assert abs(values["kiln_disk_low_water_bytes"] - -(-values["kiln_disk_total_bytes"] // 10)) <= 1
    assert values["kiln_disk_low"] in (0, 1)
    done = int(stack.scalar("SELECT coalesce(sum(size_bytes), 0) FROM composes WHERE state = 2"))
    assert values['kiln_compose_bytes{state="done"}'] == done


def _fmt(n):
    """DiskSpace.format, for the messages."""
    units = ["B", "KiB", "MiB", "GiB", "TiB"]
    value, i = float(n), 0
    while abs(value) >= 1024 and i < len(units) - 1:
        value /= 1024
        i += 1
    if i == 0:
        return "%d B" % n
    rounded = round(value * 10) / 10
    return "%d %s" % (rounded, units[i]) if rounded == int(rounded) else "%s %s" % (rounded, units[i])


def test_one_run_at_a_time(ops):
    cid = ops.submit()
    ops.generate()
    ops.expire_now(cid)
    holder = subprocess.Popen([os.path.join(ops.stack.pg_bin, "psql"), "-h", ops.stack.pg_socket, "-U", "postgres", "-X", "-q",
                               "-A", "-t", ops.name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        holder.stdin.write("SELECT pg_advisory_lock(7076, 1);\nSELECT 'held';\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() in ("", "held")
        out = ops.kiln("expire")
        assert out.stdout == "another kiln expire is running: nothing done\n"
        assert ops.row(cid)["state"] == 2
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    ops.kiln("expire")
    assert ops.row(cid)["state"] == 3
