"""Every BPMN model shipped in processes/ opens in the bpmn-js viewer, with its lanes and tasks."""
from __future__ import annotations

import re

import forms
from engine import bpmn
from engine.services import processes
from tests.browser.conftest import DESKTOP, PASSWORD, login, screenshot
from tests.conftest import ROOT

try:
    from playwright.sync_api import expect
except ImportError:  # no Playwright: the `browser` fixture skips (or fails when PINGYI_REQUIRE_BROWSER=1)
    expect = None


def test_every_model_opens_in_the_viewer(open_page, session, admin, make_user):
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=forms.check_bundle_form)
    make_user("office", groups=["评议办"], password=PASSWORD)
    session.commit()
    files = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "processes").glob("*.bpmn")}
    page = open_page(DESKTOP)
    login(page, "office")
    page.goto("/processes/")
    for _name, text in sorted(files.items()):
        process_id = re.search(r'<bpmn:process id="([^"]+)"', text).group(1)
        tasks = re.findall(r'<bpmn:(?:userTask|serviceTask|scriptTask|callActivity) id="([^"]+)"', text)
        page.goto(f"/processes/{process_id}/")
        expect(page.locator("#diagram")).to_have_attribute("data-rendered", "true")
        for task in tasks:
            expect(page.locator(f'#diagram .djs-element[data-element-id="{task}"]')).to_have_count(1)
        lanes = re.findall(r'<bpmn:lane id="([^"]+)"', text)
        for lane in lanes:
            expect(page.locator(f'#diagram .djs-element[data-element-id="{lane}"]')).to_have_count(1)
        screenshot(page, f"model-{process_id}.png")
