"""The page tests' own tools can fail: the HTML validation names an invalid page and its error, console errors are
caught and drained, screenshots are PNGs of the whole page, and the browser signs in and out through
the pages' own forms."""
import os
import struct

import pytest

from conftest import HtmlValidation, file_name, unique

VALID = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Fine</title></head>'
         '<body><main><p>fine</p></main></body></html>\n')
# An empty <title> and a <ul> inside a <p>: two errors vnu reports.
INVALID = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title></title></head>'
           '<body><p>text<ul><li>item</li></ul></body></html>\n')


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "%s is not a PNG" % path
    return struct.unpack(">II", head[16:24])


def test_html_validation_fails_naming_the_page_and_error(tmp_path):
    validation = HtmlValidation(str(tmp_path / "pages"))
    validation("/fine/", VALID)
    assert validation.check() == 1
    validation("/fine/", VALID)
    validation("/broken/?page=2", INVALID)
    with pytest.raises(AssertionError) as failure:
        validation.check()
    text = str(failure.value)
    assert "in 2 page(s)" in text, text
    assert "/broken/?page=2 (line 2" in text and "title" in text, text
    assert "/fine/ (" not in text, text
    # Checked pages are not checked again.
    assert validation.check() == 0
    assert sorted(os.listdir(tmp_path / "pages")) == ["broken_page_2.html", "fine-2.html", "fine.html"]


def test_file_names_keep_only_safe_characters():
    assert file_name("/odcs/composes/?state=done&page=3") == "odcs_composes_state_done_page_3"
    assert file_name("crawl/") == "crawl"
    assert file_name("/") == "index"
    long_a, long_b = file_name("x" * 200 + "a"), file_name("x" * 200 + "b")
    assert len(long_a) == len(long_b) == 120 and long_a.startswith("x" * 110 + "-") and long_a != long_b


def test_console_errors_are_collected_and_drained(browser):
    browser.get("data:text/html,<title>t</title><script>console.error('kiln-harness-' + (40 + 2))</script>")
    errors = browser.console_errors()
    assert len(errors) == 1 and "kiln-harness-42" in errors[0], errors
    assert browser.console_errors() == []
    # A script that throws is an error too.
    browser.get("data:text/html,<title>t</title><script>undefinedFunctionOfKiln()</script>")
    errors = browser.console_errors()
    assert len(errors) == 1 and "undefinedFunctionOfKiln" in errors[0], errors


def test_screenshot_is_a_png_of_the_whole_page(browser, screenshot):
    browser.get("data:text/html,<title>tall</title><body style='margin:0'><div style='height:2000px'>tall</div>")
    path = screenshot("harness-tall")
    assert path.endswith(os.path.join(".run", "screenshots", "harness-tall.png"))
    width, height = png_size(path)
    assert width == 1280 and height >= 2000, (width, height)
    # The window keeps its width.
    assert browser.execute_script("return window.innerWidth") == 1280



def test_sign_in_and_out_through_the_forms(stack, browser):
    user = unique("e2e-signin")
    browser.sign_in(user, groups=("releng", "qa"))
    cookie = browser.get_cookie("kiln_session")
    assert cookie["httpOnly"] and cookie["path"] == "/", cookie
    assert browser.current_url == stack.url + "/"
    shown = browser.find_element("css selector", "header .user")
    assert (shown.text, shown.get_attribute("title")) == (user, "releng, qa")
    browser.sign_out()
    assert browser.current_url == stack.url + "/"
    assert browser.find_elements("css selector", "header .user") == []
    assert browser.find_element("link text", "Sign in").get_attribute("href").startswith(stack.url + "/signin?")
    assert browser.console_errors() == []
