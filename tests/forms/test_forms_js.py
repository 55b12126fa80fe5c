"""forms.js in a real Chromium: adding and removing rows, showing conditional fields. The page is the
macro's output plus the script; no server is needed. Skipped when no Chromium can be launched."""
from __future__ import annotations

import shutil

import pytest

from forms import STATIC_DIR, FormData, build_form, parse_definition, process
from tests.forms.conftest import IMPORT, make_env

sync_api = pytest.importorskip("playwright.sync_api")

SCHEMA = {"type": "object", "properties": {
    "has_issue": {"type": "string", "enum": ["yes", "no"]},
    "agree": {"type": "boolean"},
    "rows": {"type": "array", "maxItems": 3, "items": {"type": "object", "properties": {
        "kind": {"type": "string", "enum": ["a", "b"]}, "problem": {"type": "string"}},
        "dependencies": {"kind": {"oneOf": [
            {"properties": {"kind": {"const": "a"}, "detail": {"type": "string"}}},
            {"properties": {"kind": {"const": "b"}}}]}}}}},
    "dependencies": {"has_issue": {"oneOf": [
        {"properties": {"has_issue": {"const": "yes"}, "issue": {"type": "string"}}, "required": ["issue"]},
        {"properties": {"has_issue": {"const": "no"}}}]}},
    "if": {"properties": {"agree": {"const": True}}, "required": ["agree"]},
    "then": {"properties": {"signature": {"type": "string"}}},
}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = None
        for options in ({}, {"executable_path": shutil.which("chromium") or shutil.which("chromium-browser")}):
            if "executable_path" in options and not options["executable_path"]:
                continue
            try:
                launched = playwright.chromium.launch(**options)
                break
            except sync_api.Error:
                continue
        if launched is None:
            pytest.skip("no Chromium to run forms.js in")
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    definition = parse_definition(SCHEMA)
    form = build_form(definition, data={"rows": [{"kind": "b", "problem": "first"}]})
    body = make_env().from_string(IMPORT + "{{ render_form(form, definition) }}").render(
        form=form, definition=definition)
    script = (STATIC_DIR / "forms.js").read_text(encoding="utf-8")
    page = browser.new_page()
    page.set_content(f"<!doctype html><html><body><form id='f'>{body}</form><script>{script}</script></body></html>")
    yield page
    page.close()


def visible(page, path: str) -> bool:
    return page.locator(f'[data-field="{path}"]').first.is_visible()


def posted(page) -> FormData:
    pairs = page.evaluate("() => Array.from(new FormData(document.getElementById('f')).entries())")
    return FormData([tuple(pair) for pair in pairs])


def test_conditional_fields_follow_their_sibling(page):
    assert not visible(page, "issue") and not visible(page, "signature")
    page.select_option("#has_issue", "yes")
    assert visible(page, "issue")
    page.select_option("#has_issue", "no")
    assert not visible(page, "issue")
    page.check("#agree")
    assert visible(page, "signature")
    page.uncheck("#agree")
    assert not visible(page, "signature")


def test_rows_are_added_and_removed(page):
    add = page.locator("[data-repeat-add]")
    add.click()
    add.click()
    assert page.locator("[data-repeat-row]").count() == 3 and add.is_disabled()   # maxItems
    page.fill('[name="rows-2-problem"]', "third")
    page.select_option('[name="rows-2-kind"]', "a")
    assert page.locator('[name="rows-2-detail"]').is_visible()                      # a condition inside the new row
    assert not page.locator('[name="rows-1-detail"]').is_visible()
    page.fill('[name="rows-2-detail"]', "details")
    page.locator("[data-repeat-row]").nth(1).locator("[data-repeat-remove]").click()
    assert page.locator("[data-repeat-row]").count() == 2 and add.is_enabled()
    data, errors = process(parse_definition(SCHEMA), posted(page))
    assert errors == {}
    assert data["rows"] == [{"kind": "b", "problem": "first"}, {"kind": "a", "problem": "third", "detail": "details"}]
