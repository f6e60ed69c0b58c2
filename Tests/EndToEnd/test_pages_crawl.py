"""Every page a person can reach: a breadth-first crawl from the dashboard (`/`) in headless Chromium over the
same-origin links, each page checked for status 200, an HTML body with a non-empty <title>, no console errors,
and HTML that passes the Nu HTML Checker; a screenshot of each lands in .run/screenshots/crawl-*.png. Then the
basics without JavaScript: the dashboard and the compose list still show their rows.

Composes are seeded through the APIs first (moved through their states as the backend would), so lists, details,
tags and the diff have rows to show.
"""
import collections
import re
import urllib.parse

import pytest
import requests

from conftest import open_chromium, unique
from test_cts import compose_info, import_compose, short_name
from test_cts_rpms import BASE, NEXT, rpms_document

# The crawl's bounds: links followed this many steps from a start page, at most this many pages in all, and at most
# PER_SHAPE pages of one shape (the same path with ids in the same places and the same query argument names), so
# a list of thousands of composes costs two detail pages, not thousands.
MAX_DEPTH = 3
MAX_PAGES = 80
PER_SHAPE = 2
# Not pages: the API's JSON, compose files, assets, and the sign-out and OpenID Connect sign-in steps (redirects).
NOT_PAGES = re.compile(r"^/(api/|cts/api/|composes/|javascript/|static/|signout|login)")
# Page families the navigation already links to that are not built at this commit: each of their URLs must answer
# 404 (and is not crawled further). Once a family is built, its pages answer 200 and the crawl fails asking for the
# family to be taken off this list, so that its pages are checked like every other.
PENDING = ()


def shape(url):
    """The kind of page a URL is: path segments carrying a digit become {id}, query values are dropped."""
    parts = urllib.parse.urlsplit(url)
    path = "/".join("{id}" if re.search(r"\d", seg) else seg for seg in parts.path.split("/"))
    keys = sorted({k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def pending(path):
    return path.startswith(PENDING)


def answer_summary(r):
    """A short account of an answer that is not a page: where it redirects, else its title or first words."""
    if r.headers.get("Location"):
        return "-> " + r.headers["Location"]
    m = re.search(r"<title>(.*?)</title>", r.text, re.S)
    return m.group(1).strip() if m else r.text[:200]


def page_links(browser):
    """Every <a href> of the loaded page that the crawl follows: same origin, not rel=nofollow, not a non-page."""
    anchors = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'), a => [a.href, a.rel || ''])")
    origin = urllib.parse.urlsplit(browser.url)
    links = []
    for href, rel in anchors:
        parts = urllib.parse.urlsplit(href)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc) or "nofollow" in rel.split():
            continue
        if NOT_PAGES.match(parts.path):
            continue
        links.append(urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")))
    return links


@pytest.fixture(scope="module")
def seeded(stack):
    """ODCS composes in each state and two tracked composes with contents (one tagged), made through the APIs."""
    owner = unique("e2e-pages")
    token = stack.token(owner, groups=("releng",))
    admin = stack.token(unique("e2e-pages-admin"), groups=("releng", "kiln-admins"))
    composes = {}
    for state in ("wait", "done", "failed", "removed"):
        c = stack.create_compose(token)
        if state == "failed":
            stack.set_state(c["id"], "failed", "Error while generating compose: no such package: bash")
        elif state != "wait":
            stack.set_state(c["id"], state)
        composes[state] = c["id"]
    short = short_name("Kp")
    tracked = []
    for respin, packages in enumerate((BASE, NEXT)):
        info = compose_info(short, respin=respin)
        answer = import_compose(stack, admin, info, rpms=rpms_document(info, packages))
        tracked.append(answer["payload"]["compose"]["id"])
    r = requests.patch(stack.url + "/cts/api/1/composes/" + tracked[1], json={"action": "tag", "tag": "nightly"},
                       headers={"Authorization": "Bearer " + admin}, timeout=30)
    assert r.status_code == 200, r.text
    return {"owner": owner, "composes": composes, "tracked": tracked}


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_page_loads_has_a_title_no_console_errors_and_valid_html(stack, browser, screenshot, validate_html,
                                                                          seeded, who):
    """Crawled as nobody, then signed in as an admin (the pages then carry their action forms and CSRF tokens)."""
    if who == "admin":
        browser.sign_in(unique("e2e-pages-admin"), groups=("releng", "kiln-admins"))
    base = stack.url
    # Pages the dashboard may not link to directly: the seeded composes' details and the diff of the tracked pair.
    starts = ["/"] + ["/odcs/composes/%d" % i for i in seeded["composes"].values()] + [
        "/cts/composes/" + seeded["tracked"][1],
        "/diff/?from=%s&to=%s" % tuple(seeded["tracked"])]
    queue = collections.deque((base + path, 0) for path in starts)
    queued = {url for url, _ in queue}
    shapes = collections.Counter()
    visited, problems = [], []
    http = requests.Session()
    for cookie in browser.get_cookies():
        http.cookies.set(cookie["name"], cookie["value"], path=cookie.get("path", "/"))
    while queue and len(visited) < MAX_PAGES:
        url, depth = queue.popleft()
        path = url[len(base):]
        visited.append(path)
        r = http.get(url, timeout=60, allow_redirects=False)
        if pending(path):
            if r.status_code != 404:
                problems.append("%s: HTTP %d, but its family is listed in PENDING as not built: take it off the "
                                "list" % (path, r.status_code))
            continue
        if r.status_code != 200:
            problems.append("%s: HTTP %d %s" % (path, r.status_code, answer_summary(r)))
            continue
        if not r.headers.get("Content-Type", "").startswith("text/html"):
            problems.append("%s: Content-Type %r, not HTML" % (path, r.headers.get("Content-Type")))
            continue
        validate_html("%s %s" % (who, path), r.text)
        browser.open(url)
        if not browser.title.strip():
            problems.append("%s: empty <title>" % path)
        errors = browser.console_errors()
        if errors:
            problems.append("%s: console errors %s" % (path, errors))
        screenshot("crawl-%s%s" % (who, path))
        if depth >= MAX_DEPTH:
            continue
        for link in page_links(browser):
            if link in queued:
                continue
            queued.add(link)
            if shapes[shape(link)] >= PER_SHAPE:
                continue
            shapes[shape(link)] += 1
            queue.append((link, depth + 1))
    http.close()
    assert not problems, "%d of %d pages failed:\n  %s" % (len(problems), len(visited), "\n  ".join(problems))
    # Every family was reached (those already built as pages): the navigation links them all.
    reached = {shape(base + p) for p in visited}
    families = ["/", "/odcs/composes/", "/odcs/composes/{id}", "/cts/composes/", "/cts/composes/{id}", "/cts/tags/",
                "/diff/", "/reports/", "/docs/api/", "/docs/cts-api/"]
    if who == "anonymous":
        families.append("/signin?return_to")
    for family in families:
        assert family in reached or pending(family), "the crawl never reached a page %s; it visited %s" % (
            family, visited)
    pages = [p for p in visited if not pending(p)]
    assert validate_html.check() == len(pages)


def test_basics_work_without_javascript(stack, seeded):
    """A Chromium with JavaScript switched off: the dashboard and the compose list are there, with their rows."""
    driver = open_chromium(javascript=False)
    try:
        # JavaScript really is off: a page script that would rename the page does not run.
        driver.get("data:text/html,<title>static</title><script>document.title = 'scripted'</script>")
        assert driver.title == "static"
        # The dashboard: a tile per state, its count, and a link to the list of composes in that state.
        driver.get(stack.url + "/")
        assert driver.title == "Dashboard · Kiln"
        tiles = {}
        for tile in driver.find_elements("css selector", ".tiles li"):
            label = tile.find_element("css selector", ".label").text
            tiles[label] = (int(tile.find_element("css selector", ".count").text),
                            tile.find_element("css selector", "a").get_attribute("href"))
        assert sorted(tiles) == ["done", "failed", "generating", "removed", "wait"], tiles
        for state in ("wait", "done", "failed", "removed"):
            assert tiles[state][0] >= 1, tiles
            assert tiles[state][1] == stack.url + "/odcs/composes/?state=" + state, tiles
        # The compose list, filtered by the seeded owner in a plain GET form: their four composes.
        r = requests.get(stack.url + "/odcs/composes/", timeout=30)
        if pending("/odcs/composes/"):
            assert r.status_code == 404, "/odcs/composes/ is built now: take it off PENDING"
            return
        driver.get(stack.url + "/odcs/composes/?owner=" + seeded["owner"])
        assert driver.find_elements("css selector", "table tbody tr"), "no table rows without JavaScript"
        hrefs = {a.get_attribute("href") for a in driver.find_elements("css selector", "table tbody tr a[href]")}
        assert {stack.url + "/odcs/composes/%d" % i for i in seeded["composes"].values()} <= hrefs, hrefs
    finally:
        driver.quit()
