"""The report pages in a real headless Chromium: /reports/ and /reports/<name> draw each report's JSON with Chart.js
(the points are read back from the Chart instance), log no console errors, and show the same figures in a table for
people without JavaScript. Screenshots go to .run/screenshots/.

The browser is started here (headless Chromium through Debian's chromedriver): a missing chromium or chromedriver
fails the test naming it.
"""
import datetime
import os
import shutil
import subprocess
import time

import pytest
import requests

from conftest import STATES, unique
from test_cts import builder_token, compose_info, import_compose, short_name
from test_cts_rpms import rpms_document

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCREENSHOTS = os.path.join(REPO, ".run", "screenshots")
REPORTS = ("composes-per-day", "generation-time", "time-to-done", "volume", "product-size")


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium driven by Debian's chromedriver, collecting the browser console."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is missing: pip install -r Tests/EndToEnd/requirements.txt", pytrace=False)
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.access(driver_path, os.X_OK):
        pytest.fail("chromedriver is missing: install Debian's chromium-driver (scripts/install-deps)", pytrace=False)
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("chromium is missing: install Debian's chromium (scripts/install-deps)", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    options.add_argument("--headless=new")
    options.add_argument("--window-size=1280,900")
    options.add_argument("--disable-gpu")
    options.add_argument("--disable-dev-shm-usage")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    yield driver
    driver.quit()


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def seed(stack):
    """Something to draw in every report, today: a compose done, a generation, a volume reading and a product."""
    user = unique("e2e-report-pages")
    compose = stack.create_compose(stack.token(user))
    stack.set_state(compose["id"], "done")
    stack.psql("UPDATE composes SET time_submitted = time_done - interval '90 seconds' WHERE id = %d" % compose["id"])
    stack.psql("INSERT INTO generation_times (compose_id, finished_at, state, seconds) "
               "VALUES (%d, now() AT TIME ZONE 'utc', %d, 42.5)" % (compose["id"], STATES["done"]))
    out = subprocess.run([stack.bin, "expire", "--config", stack.config], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    short = short_name("Rw")
    today = stack.scalar("SELECT to_char(now() AT TIME ZONE 'utc', 'YYYYMMDD')")
    info = compose_info(short, version="1", date=today, variants=("Server",))
    packages = [("p%d" % i, 0, "1.0", "1", "x86_64") for i in range(7)]
    import_compose(stack, builder_token(stack), info, rpms=rpms_document(info, packages))
    return short


def open_report(driver, stack, path):
    driver.get(stack.url + path)
    from selenium.webdriver.common.by import By
    canvas = driver.find_element(By.ID, "report-chart")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if canvas.get_attribute("data-drawn") or canvas.get_attribute("data-error"):
            break
        time.sleep(0.2)
    assert canvas.get_attribute("data-error") is None, canvas.get_attribute("data-error")
    assert canvas.get_attribute("data-drawn"), "the chart was not drawn within 20 s"
    return driver.execute_script(
        "const c = Chart.getChart(document.getElementById('report-chart'));"
        "return {type: c.config.type, labels: c.data.labels,"
        " datasets: c.data.datasets.map(d => ({label: d.label, data: d.data}))};")


def table_rows(driver):
    from selenium.webdriver.common.by import By
    rows = driver.find_elements(By.CSS_SELECTOR, "#report-table tbody tr")
    return [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in rows]


def test_every_report_page_draws_its_json_and_tables_the_same_figures(stack, chromium):
    product = seed(stack)
    today = stack.scalar("SELECT (now() AT TIME ZONE 'utc')::date")
    start = (datetime.date.fromisoformat(today) - datetime.timedelta(days=6)).isoformat()
    for name in REPORTS:
        query = "?from=%s&to=%s" % (start, today) + ("&product=" + product if name == "product-size" else "")
        chart = open_report(chromium, stack, "/reports/" + name + query)
        api = requests.get(stack.api("reports/" + name + query), timeout=30).json()
        # The plot is the API's JSON, point for point.
        assert chart["labels"] == api["labels"] and len(chart["labels"]) == 7
        assert chart["type"] == api["chart_type"]
        assert [d["label"] for d in chart["datasets"]] == [d["label"] for d in api["datasets"]]
        assert [d["data"] for d in chart["datasets"]] == [d["data"] for d in api["datasets"]]
        points = [v for d in chart["datasets"] for v in d["data"] if v not in (None, 0)]
        assert points, "%s has no data points: %r" % (name, chart)
        # The table: a row per day, a column per dataset.
        rows = table_rows(chromium)
        assert [r[0] for r in rows] == api["labels"]
        assert all(len(r) == 1 + len(api["datasets"]) for r in rows)
        assert console_errors(chromium) == [], name
        link = chromium.find_element("id", "report-json").get_attribute("href")
        assert link == stack.url + "/api/1/reports/" + name + query
        chromium.save_screenshot(os.path.join(SCREENSHOTS, "report-%s.png" % name))
        if name == "time-to-done":
            counts = next(d for d in api["datasets"] if d["key"] == "count")["data"]
            assert counts[-1] >= 1
        if name == "product-size":
            assert chart["datasets"][0]["label"] == "Server 1 packages"
            assert chart["datasets"][0]["data"][-1] == 7
            assert rows[-1][1] == "7"


def test_the_index_links_every_report_and_bad_input_is_an_html_page(stack, chromium):
    from selenium.webdriver.common.by import By
    chromium.get(stack.url + "/reports/?from=2026-01-01&to=2026-01-31")
    links = [a.get_attribute("href") for a in chromium.find_elements(By.CSS_SELECTOR, "ul.reports a:not(.muted)")]
    assert links == [stack.url + "/reports/%s?from=2026-01-01&to=2026-01-31" % n for n in REPORTS[:-1]]
    assert "choose a product above" in chromium.find_element(By.CSS_SELECTOR, "ul.reports").text
    assert console_errors(chromium) == []
    chromium.save_screenshot(os.path.join(SCREENSHOTS, "reports-index.png"))
    # The form goes to the page it is on, with the same argument names as the API.
    chromium.get(stack.url + "/reports/product-size")
    assert "Choose a product" in chromium.page_source
    chromium.save_screenshot(os.path.join(SCREENSHOTS, "report-product-size-form.png"))
    for path, status in (("/reports/volume?from=2026-02-30", 400), ("/reports/volume?page=1", 400),
                         ("/reports/nothing", 404), ("/reports/?from=2020-01-01&to=2022-01-01", 400)):
        r = requests.get(stack.url + path, timeout=30)
        assert r.status_code == status, (path, r.status_code)
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "error-message" in r.text


def test_without_javascript_the_table_still_has_the_figures(stack):
    today = stack.scalar("SELECT (now() AT TIME ZONE 'utc')::date")
    r = requests.get(stack.url + "/reports/time-to-done?from=%s&to=%s" % (today, today), timeout=30)
    assert r.status_code == 200
    api = requests.get(stack.api("reports/time-to-done?from=%s&to=%s" % (today, today)), timeout=30).json()
    count = next(d for d in api["datasets"] if d["key"] == "count")["data"][0]
    assert '<tr><th scope="row">%s</th>' % today in r.text
    assert '<td class="num">%d</td></tr>' % count in r.text
