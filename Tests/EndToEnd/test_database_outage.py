"""PostgreSQL goes away and comes back: 503 JSON meanwhile, 200 right after."""
import os
import subprocess
import time


from conftest import assert_error


def as_postgres(cmd):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


def pg_ctl(stack, *args):
    cmd = as_postgres([os.path.join(stack.pg_bin, "pg_ctl"), "-D", os.path.join(stack.rundir, "pg")] + list(args))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def start_postgres(stack):
    """The same start as scripts/stack start_postgres."""
    pgdata = os.path.join(stack.rundir, "pg")
    options = ("-c listen_addresses='' -c unix_socket_directories='%s' -c max_connections=200 -c fsync=on "
               "-c shared_buffers=128MB" % stack.pg_socket)
    return pg_ctl(stack, "-l", os.path.join(pgdata, "server.log"), "-w", "-t", "60", "-o", options, "start")


def postgres_running(stack):
    return pg_ctl(stack, "status").returncode == 0


def test_database_outage_answers_503_then_recovers(stack):
    # Warm up: every responder thread that will serve us holds a connection to the old server.
    for _ in range(16):
        assert stack.get("composes/?per_page=1").status_code == 200
    assert postgres_running(stack)
    stopped = pg_ctl(stack, "-m", "fast", "-w", "stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        for path in ("composes/", "composes/?per_page=1", "composes/1", "metrics/"):
            r = stack.get(path)
            assert_error(r, 503)
            assert r.json()["message"] == "The database is unavailable; try again shortly.", path
        token = stack.token("e2e-outage-writer")
        r = stack.post_compose({"source": {"type": "tag", "source": "f40-build"}}, token)
        assert_error(r, 503, "The database is unavailable; try again shortly.")
        # about/ and openapi.json do not need the database.
        assert stack.get("about/").status_code == 200
        assert stack.get("openapi.json").status_code == 200
    finally:
        if not postgres_running(stack):
            started = start_postgres(stack)
            assert started.returncode == 0, started.stderr

    # The first request after recovery must succeed: a thread whose connection died reconnects by itself.
    first = stack.get("composes/")
    statuses = [first.status_code]
    deadline = time.monotonic() + 2.0
    while statuses[-1] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
        statuses.append(stack.get("composes/").status_code)
    assert statuses[-1] == 200, "GET /api/1/composes/ never recovered within 2 s: %s" % statuses
    # Requests spread over the other threads (fresh HTTP connections) must succeed too.
    later = []
    for _ in range(24):
        r = stack.http.get(stack.api("composes/?per_page=1"), headers={"Connection": "close"}, timeout=10)
        later.append(r.status_code)
    assert statuses == [200], "503 after recovery before the first 200: %s (first body %s)" % (statuses, first.text)
    assert later == [200] * len(later), later


def test_restart_without_traffic_first_requests_succeed(stack):
    """Every thread still holds a connection to the old server process: each must reconnect on first use."""
    user = "e2e-restart-writer"
    token = stack.token(user)
    for _ in range(16):
        assert stack.get("composes/?per_page=1").status_code == 200
    stopped = pg_ctl(stack, "-m", "fast", "-w", "stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        started = start_postgres(stack)
        assert started.returncode == 0, started.stderr
    finally:
        if not postgres_running(stack):
            start_postgres(stack)
    before = int(stack.scalar("SELECT count(*) FROM composes WHERE owner = '%s'" % user))
    # A write first: its transaction's first statement finds the dead connection.
    r = stack.post_compose({"source": {"type": "tag", "source": "f40-build"}}, token)
    assert r.status_code == 200, "POST right after a database restart: %d %s" % (r.status_code, r.text)
    assert int(stack.scalar("SELECT count(*) FROM composes WHERE owner = '%s'" % user)) == before + 1
    statuses = [stack.get("composes/?per_page=1").status_code for _ in range(24)]
    statuses += [stack.get("composes/%d" % r.json()["id"]).status_code for _ in range(8)]
    statuses += [stack.get("metrics/").status_code for _ in range(8)]
    assert statuses == [200] * len(statuses), statuses
