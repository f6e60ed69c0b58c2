"""Crash and outage recovery of `kiln generate`, on a database and compose directory of their own (the `ops`
fixture). A generator is stopped at a chosen phase with KILN_DRILL_PAUSE_AT and killed there, or kept paused while
PostgreSQL restarts; the next generator's recovery must leave a served tree, link and `.repo` only for a done
compose, and a database restart must use no attempt."""
import os
import queue
import shutil
import signal
import subprocess
import threading
import time

from test_database_outage import pg_ctl, postgres_running, start_postgres
from test_expire import ops  # noqa: F401  (the fixture)

NO_REUSE = 64


class Generator:
    """A `kiln generate --once` whose stderr is read line by line on a thread."""

    def __init__(self, ops, pause_at, seconds=None):
        env = dict(ops.env, KILN_DRILL_PAUSE_AT=pause_at)
        if seconds is not None:
            env["KILN_DRILL_PAUSE_SECONDS"] = str(seconds)
        self.proc = subprocess.Popen([ops.stack.bin, "generate", "--once", "--workers", "1"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        self.stderr = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self.stderr.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def paused(self, timeout=120):
        """The phase it paused at, or None when it exited without pausing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                return None
            if "kiln: drill: paused at " in line:
                return line.split("paused at ", 1)[1].strip()
        raise AssertionError("the generator neither paused nor exited: %s" % "".join(self.stderr[-20:]))

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def pause_in(ops, phase):
    """A generator stopped at `phase`. A killed generator's session (and its lock) ends a moment after the kill; until
    then the next one finds nothing to do and exits, so this tries again."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        g = Generator(ops, phase)
        if g.paused() == phase:
            return g
        g.proc.wait()
        time.sleep(0.3)
    raise AssertionError("no generator reached %s" % phase)


def generate_until(ops, cid, states, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ops.generate()
        row = ops.row(cid)
        if row["state"] in states:
            return row
        time.sleep(0.3)
    raise AssertionError("compose %d never reached %s: %r" % (cid, states, ops.row(cid)))


def pungi_id(ops, cid):
    return ops.sql("SELECT coalesce(pungi_compose_id, '') FROM composes WHERE id = %d" % cid)[0][0]


def links_to(ops, cid, compose_type="test"):
    directory = ops.path(compose_type)
    if not os.path.isdir(directory):
        return set()
    target = "../odcs-%d" % cid
    paths = {e: os.path.join(directory, e) for e in os.listdir(directory)}
    return {e for e, p in paths.items() if os.path.islink(p) and os.readlink(p) == target}


def work_dirs(ops, cid):
    return [e for e in os.listdir(ops.target) if e.startswith(".tmp-odcs-%d-" % cid)]


def test_a_compose_recorded_done_but_not_placed_is_placed_by_the_recovery(ops):
    cid = ops.submit(packages="kiln-doc", flags=NO_REUSE)
    g = pause_in(ops, "done")
    # Done in the database; nothing served yet (the order is: record done, then place).
    assert ops.row(cid)["state"] == 2
    assert not os.path.lexists(ops.path("odcs-%d" % cid))
    assert os.path.isdir(ops.path(".tmp-odcs-%d-ready" % cid))
    g.kill()

    deadline = time.monotonic() + 30
    while not os.path.isdir(ops.path("odcs-%d" % cid)) and time.monotonic() < deadline:
        ops.generate()
        time.sleep(0.3)
    pid = pungi_id(ops, cid)
    assert open(ops.path("odcs-%d" % cid, "COMPOSE_ID")).read() == pid
    assert open(ops.path("odcs-%d" % cid, "STATUS")).read() == "FINISHED\n"
    assert os.path.isfile(ops.path("odcs-%d" % cid, "compose", "Temporary", "odcs-%d.repo" % cid))
    assert links_to(ops, cid) == {pid, "latest-odcs-%d" % cid}
    assert work_dirs(ops, cid) == []
    assert ops.row(cid)["state"] == 2


def test_a_compose_killed_twice_after_its_tree_was_written_fails_with_nothing_served(ops):
    cid = ops.submit(packages="kiln-doc", flags=NO_REUSE)
    first = pause_in(ops, "written")
    first_id = pungi_id(ops, cid)
    # The whole tree is written but the compose is not done: nothing of it is served.
    assert ops.row(cid)["state"] == 1
    assert not os.path.lexists(ops.path("odcs-%d" % cid))
    assert links_to(ops, cid) == set()
    first.kill()

    second = pause_in(ops, "written")
    second_id = pungi_id(ops, cid)
    assert second_id != first_id, "a second attempt takes the next respin"
    assert not os.path.lexists(ops.path("odcs-%d" % cid))
    second.kill()

    row = generate_until(ops, cid, (4,))
    assert row["reason"] == "Error while generating compose: the generator stopped unexpectedly 2 times"
    assert not os.path.lexists(ops.path("odcs-%d" % cid))
    assert links_to(ops, cid) == set()
    assert not os.path.lexists(ops.path("test", first_id)) and not os.path.lexists(ops.path("test", second_id))
    assert work_dirs(ops, cid) == []


def test_a_compose_killed_once_after_writing_is_served_with_its_final_id_only(ops):
    cid = ops.submit(packages="kiln-doc", flags=NO_REUSE)
    g = pause_in(ops, "written")
    first_id = pungi_id(ops, cid)
    g.kill()
    row = generate_until(ops, cid, (2, 4))
    assert row["state"] == 2, row["reason"]
    final_id = pungi_id(ops, cid)
    assert final_id != first_id
    assert open(ops.path("odcs-%d" % cid, "COMPOSE_ID")).read() == final_id
    assert links_to(ops, cid) == {final_id, "latest-odcs-%d" % cid}
    assert not os.path.lexists(ops.path("test", first_id))
    assert work_dirs(ops, cid) == []


def restart_postgres(stack):
    stopped = pg_ctl(stack, "-m", "fast", "-w", "stop")
    assert stopped.returncode == 0, stopped.stderr
    started = start_postgres(stack)
    assert started.returncode == 0, started.stderr
    assert postgres_running(stack)


def test_database_restarts_while_generating_use_no_attempt_and_the_generator_records_its_result(ops):
    cid = ops.submit(packages="kiln-doc", flags=NO_REUSE)
    g = Generator(ops, "placing,metadata", seconds=6)
    try:
        assert g.paused() == "placing"
        restart_postgres(ops.stack)
        # Another generator's recovery right after the restart leaves the compose to its generator.
        ops.generate()
        row = ops.row(cid)
        assert row["state"] == 1, row
        assert ops.sql("SELECT generation_attempts FROM composes WHERE id = %d" % cid)[0][0] == "1"
        assert g.paused() == "metadata"
        restart_postgres(ops.stack)
        assert g.proc.wait(timeout=120) == 0, "".join(g.stderr[-20:])
    finally:
        if g.proc.poll() is None:
            g.kill()
        if not postgres_running(ops.stack):
            start_postgres(ops.stack)
    row = ops.row(cid)
    assert row["state"] == 2, (row, "".join(g.stderr[-20:]))
    assert row["reason"] == "Compose is generated successfully"
    assert ops.sql("SELECT generation_attempts FROM composes WHERE id = %d" % cid)[0][0] == "1"
    states = [m["compose"]["state_name"] for m in ops.messages(cid)]
    assert states == ["generating", "done"], states
    assert open(ops.path("odcs-%d" % cid, "COMPOSE_ID")).read() == pungi_id(ops, cid)
    assert any("database connection re-established" in line for line in g.stderr)


def test_a_missing_source_file_fails_with_a_sentence_and_the_detail_in_the_log(ops, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ops.stack.env["KILN_SAMPLE_REPO"], repo)
    removed = [os.path.join(d, f) for d, _, files in os.walk(repo) for f in files if f.startswith("kiln-doc-")]
    assert removed, "the sample repository has no kiln-doc RPM"
    for path in removed:
        os.unlink(path)
    cid = ops.submit(packages="kiln-doc", flags=NO_REUSE)
    ops.sql("UPDATE composes SET source = '%s' WHERE id = %d" % (repo, cid))
    out = ops.generate(KILN_REPO_ROOTS='["%s", "%s"]' % (tmp_path, ops.stack.env["KILN_SAMPLE_REPO"]))
    row = ops.row(cid)
    assert row["state"] == 4
    assert row["reason"] == ("Error while generating compose: kiln-doc-1.0-1.noarch.rpm is listed in the "
                             "repository's metadata but missing from the repository")
    # The detail (which file, which error) is in the job's log line with the compose id.
    failed = [line for line in out.stderr.splitlines() if "compose failed" in line]
    assert failed and "kiln.compose.id=%d" % cid in failed[0] and "kiln-doc-" in failed[0], out.stderr
    assert not os.path.lexists(ops.path("odcs-%d" % cid))


def test_control_characters_in_package_names_stay_on_one_log_line(ops):
    cid = ops.submit(packages="kiln-doc", flags=NO_REUSE)
    forged = "2026-01-01T00:00:00.000Z-FORGED"
    ops.sql("UPDATE composes SET packages = 'kiln-doc nosuch' || chr(10) || '%s' || chr(27) || '[2J' || chr(8232) "
            "WHERE id = %d" % (forged, cid))
    out = ops.generate()
    # (not ops.row: its reason holds U+2028, which splitlines() splits)
    assert ops.sql("SELECT state FROM composes WHERE id = %d" % cid) == [["4"]]
    log = open(ops.path(".logs", "odcs-%d.log" % cid), encoding="utf-8").read()
    for text in (log, out.stderr):
        lines = text.split("\n")
        assert not [line for line in lines if line.startswith(forged)], text
        assert "\x1b" not in text and "\u2028" not in text
        mentions = [line for line in lines if forged in line]
        assert mentions and all("\\n" + forged + "\\u{1b}[2J\\u{2028}" in line for line in mentions), mentions
