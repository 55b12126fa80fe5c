"""What the form script does for long lists and large files, in real Chromium: a long list of check
boxes (the meeting's deputies) filtered by what is typed, the ones shown ticked at once, the count of
ticked ones kept up to date and what was ticked sent; a file over its field's limit refused at once."""
from __future__ import annotations

from sqlalchemy import select

import forms
from engine.models import HumanTask
from engine.services import instances, processes
from tests.browser.conftest import PASSWORD, PHONE, login, screenshot
from tests.conftest import bundle

try:
    from playwright.sync_api import expect
except ImportError:  # no Playwright: the `browser` fixture skips (or fails when PINGYI_REQUIRE_BROWSER=1)
    expect = None


def open_first_task(open_page, session, folder: str, process_id: str, starter, data: dict, username: str):
    """Deploy a test bundle, start its process and open its first task at phone width as `username`."""
    processes.deploy(session, bundle(folder), None, form_checker=forms.check_bundle_form)
    instance = instances.start_instance(session, process_id, starter, data)
    task_id = session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance.id))
    session.commit()
    page = open_page(PHONE)
    login(page, username)
    page.goto(f"/tasks/{task_id}")
    return page, task_id


def test_a_delegation_is_ticked_through_the_filter(open_page, session, make_user):
    clerk = make_user("clerk", password=PASSWORD)
    page, task_id = open_first_task(open_page, session, "long_choices", "pick", clerk, {}, "clerk")
    count = page.locator("[data-choice-count]")
    expect(count).to_have_text("已选 0 项")
    page.locator("[data-choice-filter]").fill("女埠")
    shown = page.locator("[data-choice-list] .form-check:visible")
    expect(shown).to_have_count(7)
    page.locator("[data-choice-filter]").press("Enter")  # filters; does not send the form
    page.get_by_role("button", name="选中筛出的").click()
    expect(count).to_have_text("已选 7 项")
    screenshot(page, "long-choices-phone.png")
    page.locator("[data-choice-filter]").fill("")
    expect(page.locator("[data-choice-list] .form-check:visible")).to_have_count(21)
    page.get_by_label("代表城关1（城关代表团）").check()
    expect(count).to_have_text("已选 8 项")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(lambda url: f"/tasks/{task_id}" not in url)

    session.expire_all()
    submitted = session.get(HumanTask, task_id).submitted
    session.commit()
    assert sorted(submitted["deputies"]) == sorted(["d城关1"] + [f"d女埠{i}" for i in range(1, 8)])


def test_a_file_over_the_fields_limit_is_refused_before_sending(open_page, session, make_user):
    office = make_user("office", groups=["评议办"], password=PASSWORD)
    make_user("investigator", groups=["调查组"], password=PASSWORD)
    page, _task_id = open_first_task(open_page, session, "form_fixes", "report", office, {"year": 2024}, "investigator")
    picker = page.locator('input[name="evidence__upload"]')
    picker.set_input_files([{"name": "大.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"1" * 5000}])
    expect(page.locator("[data-file-feedback]").first).to_have_text("“大.pdf”超过 4 KB，请选择较小的文件。")
    assert picker.evaluate("input => input.files.length") == 0  # nothing left to send
    picker.set_input_files([{"name": "小.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"1" * 500}])
    expect(page.locator("[data-file-feedback]").first).to_be_hidden()
