"""The compose pages in a real headless Chromium: the dashboard, the compose list (its URL is the API's query), one
compose with every field of its JSON, the build monitor following a generation live until `done`, and the renew
action for the compose's owner and its refusal for someone the API refuses. No page logs a console error; each
is saved as a screenshot in .run/screenshots/."""
import os
import re
import signal
import subprocess
import time
import urllib.parse

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import unique
from test_generate import generate_once, submit

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOTS = os.path.join(SRC, ".run", "screenshots")
CHROMEDRIVER = "/usr/bin/chromedriver"


class Browser:
    """A headless Chromium through selenium, with the console messages it logged since the last look."""

    def __init__(self, base):
        if not os.access(CHROMEDRIVER, os.X_OK):
            pytest.fail("chromedriver is missing at %s (Debian packages chromium and chromium-driver)" % CHROMEDRIVER,
                        pytrace=False)
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--window-size=1280,900"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        except WebDriverException as e:
            pytest.fail("headless Chromium did not start through %s: %s" % (CHROMEDRIVER, e.msg), pytrace=False)
        self.base = base

    def get(self, path):
        self.driver.get(self.base + path)

    def path(self):
        parts = urllib.parse.urlsplit(self.driver.current_url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def console_errors(self):
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def text(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait(self, predicate, timeout=20, message=""):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: predicate(), message)

    def screenshot(self, name):
        """The whole page, as tall as its content."""
        os.makedirs(SCREENSHOTS, exist_ok=True)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(1280, max(900, min(height + 40, 4000)))
        path = os.path.join(SCREENSHOTS, name + ".png")
        assert self.driver.save_screenshot(path), path
        self.driver.set_window_size(1280, 900)
        return path

    def sign_in(self, user, groups=()):
        """The development sign-in, as a person uses it; comes back to the page that was open."""
        back = self.path()
        self.get("/signin?return_to=" + urllib.parse.quote(back, safe=""))
        self.driver.find_element(By.ID, "signin-user").send_keys(user)
        self.driver.find_element(By.ID, "signin-groups").send_keys(",".join(groups))
        self.driver.find_element(By.CSS_SELECTOR, "form[action='/signin/dev'] button[type=submit]").click()
        self.wait(lambda: self.path() == back, message="sign-in did not return to %s" % back)
        assert self.text("header .user") == user


@pytest.fixture(scope="module")
def browser(stack):
    b = Browser(stack.url)
    yield b
    b.driver.quit()


def assert_no_console_errors(browser, page):
    errors = browser.console_errors()
    assert errors == [], "%s logged console errors: %r" % (page, errors)


def row_ids(browser):
    return [int(a.text) for a in browser.all("table.composes tbody tr td:first-child a")]


def api_ids(stack, query):
    r = requests.get(stack.url + "/api/1/composes/?" + query, timeout=10)
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["items"]]


def made(stack, token, owner_state_pairs):
    ids = []
    for state in owner_state_pairs:
        c = submit(stack, token, flags=["no_reuse"])
        if state != "wait":
            stack.set_state(c["id"], state, reason="set by test_pages_composes")
        ids.append(c["id"])
    return ids


def test_the_dashboard_shows_states_queue_volume_and_failures(stack, browser):
    user = unique("page-dash")
    token = stack.token(user)
    waiting, failed = made(stack, token, ["wait", "failed"])
    browser.get("/")
    assert browser.driver.title == "Dashboard · Kiln"
    counts = {li.find_element(By.CLASS_NAME, "label").text: int(li.find_element(By.CLASS_NAME, "count").text)
              for li in browser.all("ul.tiles li")}
    assert set(counts) == {"wait", "generating", "done", "removed", "failed"}
    metrics = requests.get(stack.api("metrics/"), timeout=10).text
    for state, n in counts.items():
        total = sum(int(v) for v in re.findall(r'composes_total\{[^}]*state="%s"\} (\d+)' % state, metrics))
        assert n == total, (state, n, total)
    # The queue: the oldest waiting composes, as the API lists them (the one just made among them when few wait).
    oldest = api_ids(stack, "state=wait&order_by=id&per_page=10")
    assert [int(a.text) for a in browser.all("#queue ol.queue li > a")] == oldest
    assert len(oldest) == 10 or waiting in oldest
    assert "%d waiting" % counts["wait"] in browser.text("#queue")
    assert browser.text("#disk-free").endswith("B")
    failure = [r for r in browser.all("#failures tbody tr") if r.find_element(By.TAG_NAME, "a").text == str(failed)]
    assert failure and "set by test_pages_composes" in failure[0].text
    for href in ("/odcs/composes/", "/cts/composes/", "/cts/tags/", "/diff/", "/reports/", "/docs/api/"):
        assert browser.all("main a[href='%s']" % href), href
    assert_no_console_errors(browser, "/")
    browser.screenshot("dashboard")


def test_the_list_is_the_apis_query_and_its_form_filters_by_state(stack, browser):
    user = unique("page-list")
    token = stack.token(user)
    ids = made(stack, token, ["done", "wait", "done", "failed", "done"])
    browser.get("/odcs/composes/?owner=%s&per_page=2" % user)
    assert row_ids(browser) == api_ids(stack, "owner=%s&per_page=2" % user) == sorted(ids, reverse=True)[:2]
    # The form: state done, ascending ids; the URL it makes is the API's query, and shows the API's items.
    Select(browser.driver.find_element(By.ID, "f-state")).select_by_value("done")
    Select(browser.driver.find_element(By.ID, "f-order")).select_by_value("id")
    browser.driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    browser.wait(lambda: "state=done" in browser.path(), message="the filter form was not sent")
    query = urllib.parse.urlsplit(browser.driver.current_url).query
    done = [i for i, s in zip(ids, ["done", "wait", "done", "failed", "done"]) if s == "done"]
    assert row_ids(browser) == api_ids(stack, query) == done[:2]
    assert browser.driver.find_element(By.ID, "api-link").get_attribute("href") == \
        stack.url + "/api/1/composes/?" + query
    assert "3 composes, page 1 of 2" in browser.text("p.summary")
    browser.driver.find_element(By.CSS_SELECTOR, "nav.pager a[rel=next]").click()
    browser.wait(lambda: "page=2" in browser.path(), message="no second page")
    assert row_ids(browser) == done[2:]
    assert "state=done" in browser.path() and "owner=%s" % user in browser.path()
    assert_no_console_errors(browser, "/odcs/composes/")
    browser.get("/odcs/composes/?state=done&per_page=20")
    browser.screenshot("compose-list")


def test_the_detail_shows_every_field_of_the_json(stack, browser):
    token = stack.token(unique("page-detail"))
    compose = submit(stack, token, flags=["no_reuse"])
    generate_once(stack)
    full = requests.get(stack.api("composes/%d" % compose["id"]), timeout=10).json()
    assert full["state_name"] == "done", full
    browser.get("/odcs/composes/%d" % compose["id"])
    names = [dt.text for dt in browser.all("#compose-fields dt")]
    assert names == list(full)
    values = dict(zip(names, [dd.text for dd in browser.all("#compose-fields dd")]))
    assert values["owner"] == full["owner"] and values["source"] == full["source"]
    assert values["result_repofile"] == full["result_repofile"]
    assert browser.text("#compose-state") == "done"
    links = {a.text: a.get_attribute("href") for a in browser.all("ul.links a")}
    assert links["JSON"] == stack.url + "/api/1/composes/%d" % compose["id"]
    assert links[".repo file"] == full["result_repofile"]
    assert links["composeinfo.json"] == full["toplevel_url"] + "/compose/metadata/composeinfo.json"
    assert requests.get(links["composeinfo.json"], timeout=10).status_code == 200
    assert "is done" in browser.text("#compose-log")
    assert_no_console_errors(browser, "/odcs/composes/%d" % compose["id"])
    browser.screenshot("compose-detail")


class PausingGenerator:
    """`kiln generate --once` stopping for `seconds` at each drill phase, so that a person (or a test) can watch the
    compose go through them."""

    def __init__(self, stack, seconds):
        env = dict(os.environ, KILN_DRILL_PAUSE_AT="resolving,placing,repodata,metadata,written",
                   KILN_DRILL_PAUSE_SECONDS=str(seconds))
        self.proc = subprocess.Popen([stack.bin, "generate", "--config", stack.config, "--once", "--workers", "1"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def finish(self, timeout=120):
        try:
            _, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
            _, err = self.proc.communicate()
        return self.proc.returncode, err


def test_the_build_monitor_follows_a_generation_until_done(stack, browser):
    token = stack.token(unique("page-monitor"))
    generate_once(stack)  # nothing else waiting: the paused generator takes only this compose
    compose = submit(stack, token, flags=["no_reuse"])
    cid = compose["id"]
    browser.get("/odcs/composes/%d" % cid)
    assert browser.text("#monitor-state") == "wait"
    assert browser.text("#monitor-log") == ""
    generator = PausingGenerator(stack, seconds=3)
    try:
        browser.wait(lambda: browser.text("#monitor-state") == "generating", timeout=30,
                     message="the monitor never showed generating")
        seen = set()
        sizes = []

        def observe():
            seen.add(browser.text("#monitor-phase"))
            sizes.append(len(browser.driver.find_element(By.ID, "monitor-log").get_attribute("textContent")))
            return len(seen) >= 2 and len(set(sizes)) >= 2

        browser.wait(observe, timeout=60, message="the monitor did not change while generating")
        browser.screenshot("build-monitor")
        browser.wait(lambda: browser.text("#monitor-state") == "done", timeout=90,
                     message="the monitor never showed done")
    finally:
        code, err = generator.finish()
    assert code == 0, err
    assert "paused at resolving" in err
    # Done: the whole log, as httpd serves it, and the page's badge follows.
    whole = requests.get(stack.url + "/composes/odcs-%d/pungi-stderr.log" % cid, timeout=10).text
    browser.wait(lambda: browser.driver.find_element(By.ID, "monitor-log").get_attribute("textContent") == whole,
                 message="the monitor does not show the whole log")
    assert "Compose odcs-%d" % cid in whole and whole.rstrip().endswith("is done")
    assert browser.text("#compose-state") == "done"
    assert "whole log" in browser.text("#monitor-status")
    assert browser.driver.find_element(By.ID, "monitor-progress").get_attribute("value") == "1"
    assert len(sizes) > 1 and sizes == sorted(sizes), "the log only grows"
    assert_no_console_errors(browser, "the build monitor")
    # Without JavaScript's help the page shows the state and the end of the log as rendered.
    page = requests.get(stack.url + "/odcs/composes/%d" % cid, timeout=10).text
    assert 'id="monitor"' not in page and "is done" in page


def test_renew_works_for_the_owner_and_is_refused_to_another_user(stack, browser):
    owner = unique("page-owner")
    compose = submit(stack, stack.token(owner), flags=["no_reuse"])
    cid = compose["id"]
    stack.set_state(cid, "done")
    before = stack.compose_row(cid)["time_to_expire"]
    browser.get("/odcs/composes/%d" % cid)
    assert not browser.all("#renew-form")
    browser.sign_in(owner, groups=("releng",))
    browser.driver.find_element(By.ID, "renew-seconds").send_keys("172800")
    browser.driver.find_element(By.CSS_SELECTOR, "#renew-form button[type=submit]").click()
    browser.wait(lambda: "notice=" in browser.path(), message="renew did not come back to the compose")
    assert browser.path() == "/odcs/composes/%d?notice=extended" % cid
    assert "Renewed" in browser.text("#notice")
    after = stack.compose_row(cid)["time_to_expire"]
    assert after > before, (before, after)
    assert_no_console_errors(browser, "the renewed compose")

    # Someone outside allowed_clients: no form on the page, and the action itself answers the API's 403.
    other = unique("page-other")
    browser.sign_in(other)
    assert not browser.all("#renew-form")
    assert "Renew: User %s is not in role allowed_clients." % other in browser.text("#actions")
    csrf = browser.driver.find_element(By.CSS_SELECTOR, "form[action='/signout'] input[name=csrf]").get_attribute(
        "value")
    session = {"kiln_session": browser.driver.get_cookie("kiln_session")["value"]}
    r = requests.post(stack.url + "/odcs/composes/%d/renew" % cid, data={"csrf": csrf}, cookies=session,
                      headers={"Origin": stack.url}, allow_redirects=False, timeout=10)
    assert r.status_code == 403
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "User %s is not in role allowed_clients." % other in r.text
    # The same refusal in the browser: the form the owner had, sent by this person.
    browser.driver.execute_script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "const i = document.createElement('input'); i.type = 'hidden'; i.name = 'csrf'; i.value = arguments[1];"
        "f.appendChild(i); document.body.appendChild(f); f.submit();",
        "/odcs/composes/%d/renew" % cid, csrf)
    browser.wait(lambda: browser.driver.title.startswith("403"), message="no 403 page")
    assert "User %s is not in role allowed_clients." % other in browser.text(".error-message")
    errors = browser.console_errors()
    assert all("status of 403" in e["message"] for e in errors), errors
    assert stack.compose_row(cid)["time_to_expire"] == after
