"""The fault drills of scripts/drill, against the stack KILN_STACK_ENV describes (see that script)."""
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SECONDS = int(os.environ.get("DRILL_SECONDS", "12"))
THREADS = int(os.environ.get("DRILL_THREADS", "4"))
PHASES = ["resolving", "placing", "repodata", "metadata", "written", "done"]


def read_env(path):
    values = {}
    for line in open(path, encoding="utf-8"):
        if "=" in line and not line.startswith("#"):
            key, _, value = line.strip().partition("=")
            values[key] = value.strip("'\"")
    return values


ENV = read_env(os.environ["KILN_STACK_ENV"])
URL = ENV["KILN_URL"].rstrip("/")
RUNDIR = ENV["KILN_RUNDIR"]
NOTES = []


def as_postgres(cmd):
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.geteuid() == 0 else cmd


def psql(sql):
    out = subprocess.run([os.path.join(ENV["KILN_PG_BIN"], "psql"), "-h", ENV["KILN_PG_SOCKET"], "-U", "postgres", "-X",
                          "-q", "-A", "-t", "-F", "\t", "-c", sql, "kiln"], capture_output=True, text=True, timeout=60)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def http(method, path, body=None, token=None, timeout=10):
    """(status, body); status None when there was no HTTP answer."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(URL + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception:  # connection refused, reset, timeout: no answer
        return None, b""


TOKEN = subprocess.run([ENV["KILN_BIN"], "dev-token", "--config", ENV["KILN_CONFIG"], "--user", "drill", "--groups",
                        "releng"], capture_output=True, text=True, check=True).stdout.strip()
COMPOSE = {"source": {"type": "repo", "source": ENV["KILN_SAMPLE_REPO"], "packages": ["kiln-doc"]},
           "flags": ["no_reuse"]}


def submit():
    status, body = http("POST", "/api/1/composes/", COMPOSE, TOKEN)
    return json.loads(body)["id"] if status == 200 else None


class Load:
    """Threads asking GET (list) and, every 2 s each, POST (a small compose); every answer is timed."""

    def __init__(self):
        self.results = []  # (time, ok)
        self.created = []
        self.lock = threading.Lock()
        self.running = True
        self.threads = [threading.Thread(target=self.work, args=(i,), daemon=True) for i in range(THREADS)]

    def work(self, index):
        last_post = time.monotonic() - index * 0.5
        while self.running:
            if time.monotonic() - last_post >= 2.0:
                last_post = time.monotonic()
                status, body = http("POST", "/api/1/composes/", COMPOSE, TOKEN)
                if status == 200:
                    with self.lock:
                        self.created.append(json.loads(body)["id"])
            else:
                status, _ = http("GET", "/api/1/composes/?per_page=5")
            with self.lock:
                self.results.append((time.monotonic(), status == 200))
            time.sleep(0.05)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for t in self.threads:
            t.join()

    def recovery_after(self, fault):
        """Seconds from the fault to the last failed answer (0: none failed)."""
        failures = [t for t, ok in self.results if not ok and t >= fault]
        return max(failures) - fault if failures else 0.0


class Watcher:
    """Polls, through httpd, each compose's STATUS file and its API state: a tree served while its compose is not
    done, or served unfinished, is counted (once per compose)."""

    def __init__(self):
        self.ids = set()
        self.bad = set()
        self.running = True
        self.thread = threading.Thread(target=self.work, daemon=True)

    def work(self):
        while self.running:
            for cid in list(self.ids):
                status, body = http("GET", "/composes/odcs-%d/STATUS" % cid, timeout=5)
                if status != 200:
                    continue
                api_status, api = http("GET", "/api/1/composes/%d" % cid, timeout=5)
                state = json.loads(api)["state_name"] if api_status == 200 else None
                if body != b"FINISHED\n" or (state is not None and state != "done"):
                    self.bad.add(cid)
            time.sleep(0.1)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


STARTED = []


def generator(pause_at=None):
    env = dict(os.environ, KILN_CONFIG=ENV["KILN_CONFIG"])
    if pause_at:
        env["KILN_DRILL_PAUSE_AT"] = pause_at
    proc = subprocess.Popen([ENV["KILN_BIN"], "generate"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE if pause_at else subprocess.DEVNULL, text=True)
    STARTED.append(proc)
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_paused(proc, timeout=120):
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr] and None, daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if "kiln: drill: paused at" in lines.get(timeout=1):
                return True
        except queue.Empty:
            pass
    return False


def outcome(ids, timeout=90):
    """(lost, generated twice, failed ones still served) once every compose is done or failed, or at the timeout."""
    ids = sorted(set(ids))
    if not ids:
        return 0, 0, 0
    listed = ",".join(map(str, ids))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if int(psql("SELECT count(*) FROM composes WHERE id IN (%s) AND state IN (0, 1)" % listed)[0][0]) == 0:
            break
        time.sleep(0.5)
    rows = psql("SELECT id, state, coalesce(pungi_compose_id, '') FROM composes WHERE id IN (%s)" % listed)
    lost = [int(r[0]) for r in rows if r[1] != "2"]
    dones = psql("SELECT body->'compose'->>'id', count(*) FROM outbox WHERE body->'compose'->>'state_name' = 'done' "
                 "AND (body->'compose'->>'id')::bigint IN (%s) GROUP BY 1" % listed)
    twice = {int(i) for i, n in dones if int(n) > 1}
    target = ENV["KILN_TARGET_DIR"]
    for cid, state, pungi in rows:
        marker = os.path.join(target, "odcs-%s" % cid, "COMPOSE_ID")
        if state == "2" and pungi and os.path.exists(marker) and open(marker).read() != pungi:
            twice.add(int(cid))
    served_failed = 0
    for cid in lost:
        repo = "/composes/odcs-%d/compose/Temporary/odcs-%d.repo" % (cid, cid)
        if http("GET", repo)[0] == 200:
            served_failed += 1
    return len(lost), len(twice), served_failed


def api_back(fault, wait=5.0):
    """Seconds from the fault until kiln-api answers a request again (requests wait in the socket's backlog while
    it restarts); restarts it itself when nothing else did within `wait`."""
    deadline = fault + wait
    while time.monotonic() < deadline:
        if http("GET", "/api/1/composes/?per_page=1", timeout=wait)[0] == 200:
            return time.monotonic() - fault
        time.sleep(0.1)
    log = open(os.path.join(RUNDIR, "kiln-api.log"), "ab")
    proc = subprocess.Popen([ENV["KILN_API_BIN"]], env=dict(os.environ, KILN_CONFIG=ENV["KILN_CONFIG"]), stdout=log,
                            stderr=log, start_new_session=True)
    open(os.path.join(RUNDIR, "kiln-api.pid"), "w").write(str(proc.pid))
    NOTES.append("kiln-api was not restarted within %.0f s by anything else: the drill restarted it" % wait)
    for _ in range(300):
        if http("GET", "/api/1/composes/?per_page=1", timeout=2)[0] == 200:
            break
        time.sleep(0.1)
    return time.monotonic() - fault


def drill_api_kill():
    gen = generator()
    with Watcher() as watcher, Load() as load:
        time.sleep(3)
        pid = int(open(os.path.join(RUNDIR, "kiln-api.pid")).read())
        os.kill(pid, signal.SIGKILL)
        fault = time.monotonic()
        back = api_back(fault)
        time.sleep(max(0, SECONDS - 3))
        watcher.ids.update(load.created)
    lost, twice, served = outcome(load.created)
    stop(gen)
    return ("kill -9 kiln-api under load", len(load.results), sum(1 for _, ok in load.results if not ok),
            max(back, load.recovery_after(fault)), lost, twice, len(watcher.bad) + served)


def drill_postgres_restart():
    gen = generator()
    pg = [os.path.join(ENV["KILN_PG_BIN"], "pg_ctl"), "-D", os.path.join(RUNDIR, "pg")]
    with Watcher() as watcher, Load() as load:
        time.sleep(3)
        fault = time.monotonic()
        subprocess.run(as_postgres(pg + ["-l", os.path.join(RUNDIR, "pg", "server.log"), "-m", "fast", "-w", "restart"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        time.sleep(max(0, SECONDS - 3))
        watcher.ids.update(load.created)
    lost, twice, served = outcome(load.created)
    attempts = psql("SELECT count(*) FROM composes WHERE generation_attempts > 1 AND id IN (%s)"
                    % ",".join(map(str, load.created or [0])))[0][0]
    if attempts != "0":
        NOTES.append("PostgreSQL restart: %s composes used a second generation attempt" % attempts)
    stop(gen)
    return ("PostgreSQL restart under load", len(load.results), sum(1 for _, ok in load.results if not ok),
            load.recovery_after(fault), lost, twice, len(watcher.bad) + served)


def drill_generator_kill(phase):
    cid = submit()
    with Watcher() as watcher:
        watcher.ids.add(cid)
        paused = generator(pause_at=phase)
        if not wait_paused(paused):
            NOTES.append("generator never reached %s" % phase)
        paused.kill()
        paused.wait()
        fault = time.monotonic()
        # As systemd restarts it: a new generator once the dead one's database session has ended.
        for _ in range(100):
            held = psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7071 AND objid = %d" % cid)
            if held[0][0] == "0":
                break
            time.sleep(0.1)
        gen = generator()
        lost, twice, served = outcome([cid], timeout=120)
        while time.monotonic() - fault < 120 and not lost and http("GET", "/composes/odcs-%d/STATUS" % cid)[0] != 200:
            time.sleep(0.1)
        recovered = time.monotonic() - fault
        stop(gen)
    return ("kill -9 generator at %s" % phase, 1, 0, recovered, lost, twice, len(watcher.bad) + served)


def drill_broker_outage():
    gen = generator()
    stack = [os.path.join(SRC, "scripts", "stack")]
    with Watcher() as watcher, Load() as load:
        subprocess.run(stack + ["broker-stop"], capture_output=True, timeout=120)
        time.sleep(SECONDS)
        subprocess.run(stack + ["broker-start"], capture_output=True, timeout=120)
        fault = time.monotonic()
        watcher.ids.update(load.created)
    lost, twice, served = outcome(load.created)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and psql("SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0] != "0":
        time.sleep(0.5)
    delivered = time.monotonic() - fault
    unsent = int(psql("SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0])
    if unsent:
        NOTES.append("broker outage: %d messages still undelivered after 120 s" % unsent)
    stop(gen)
    return ("RabbitMQ outage under load (recover: outbox drained)", len(load.results),
            sum(1 for _, ok in load.results if not ok), delivered, lost + unsent, twice, len(watcher.bad) + served)


def main():
    started = time.monotonic()
    rows = []
    for drill in [drill_api_kill, drill_postgres_restart] + [lambda p=p: drill_generator_kill(p) for p in PHASES] \
            + [drill_broker_outage]:
        rows.append(drill())
        print("drill: %s done (%.0f s)" % (rows[-1][0], time.monotonic() - started), file=sys.stderr, flush=True)
    print("scripts/drill (KILN_PORT=%s, DRILL_SECONDS=%d, DRILL_THREADS=%d), %d cores, %.0f s"
          % (os.environ.get("KILN_PORT"), SECONDS, THREADS, os.cpu_count(), time.monotonic() - started))
    header = ("drill", "requests", "errors", "recover s", "lost", "twice", "bad served")
    print("| %s |" % " | ".join(header))
    print("|%s|" % "|".join(["---"] + ["---:"] * 6))
    for name, requests, errors, recover, lost, twice, bad in rows:
        print("| %s | %d | %d | %.1f | %d | %d | %d |" % (name, requests, errors, recover, lost, twice, bad))
    for note in NOTES:
        print("note: " + note)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for p in STARTED:
            if p.poll() is None:
                p.kill()
