"""Rows that may be removed and added (tests/data/rows), in real Chromium: the read-only requirement of
each row stays with its row when one is removed, one is added and the form is sent back for a missing
answer. (The rectification plan itself keeps every issued row: tests/web/test_read_only_rows.py.)"""
from __future__ import annotations

from sqlalchemy import select

import forms
from engine.models import HumanTask
from engine.services import instances, processes
from tests.browser.conftest import DESKTOP, PASSWORD, login
from tests.conftest import bundle

try:
    from playwright.sync_api import expect
except ImportError:  # no Playwright: the `browser` fixture skips (or fails when PINGYI_REQUIRE_BROWSER=1)
    expect = None

OPINIONS = [{"problem": "问题一", "target": "要求一"}, {"problem": "问题二", "target": "要求二"},
            {"problem": "问题三", "target": "要求三"}]


def test_rows_keep_their_requirements_through_removal_addition_and_a_refusal(open_page, session, make_user, admin):
    processes.deploy(session, bundle("rows"), admin, form_checker=forms.check_bundle_form)
    make_user("edu", groups=["教育局"], password=PASSWORD)
    instance = instances.start_instance(session, "rows", admin, {"opinions": OPINIONS})
    task_id = session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance.id,
                                                        HumanTask.element_id == "submit_plan"))
    session.commit()

    page = open_page(DESKTOP)
    login(page, "edu")
    page.goto(f"/tasks/{task_id}")
    page.get_by_label("方案概述").fill("成立整改领导小组，逐条落实。")
    rows = page.locator("[data-repeat-row]")
    expect(rows).to_have_count(3)
    rows.nth(1).get_by_role("button", name="删除此行").click()  # 问题二 goes
    expect(rows).to_have_count(2)
    page.get_by_role("button", name="增加一行").click()
    expect(rows).to_have_count(3)
    for index, (problem, measures) in enumerate((("问题一", "措施一"), ("问题三", "措施三"), ("新问题", ""))):
        if problem == "新问题":
            rows.nth(index).get_by_label("问题").fill(problem)
        rows.nth(index).get_by_label("整改措施").fill(measures)
        rows.nth(index).get_by_label("完成时限").fill("2026-12-31")
        rows.nth(index).get_by_label("责任人").fill("副局长")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # the new row's measures are missing
    rows = page.locator("[data-repeat-row]")
    expect(rows).to_have_count(3)
    expect(rows.nth(1).get_by_label("评议意见提出的整改要求")).to_have_value("要求三")
    rows.nth(2).get_by_label("整改措施").fill("新措施")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(lambda url: f"/tasks/{task_id}" not in url)

    session.expire_all()
    submitted = session.get(HumanTask, task_id).submitted
    session.commit()
    assert [(row["problem"], row.get("target")) for row in submitted["plan_items"]] == [
        ("问题一", "要求一"), ("问题三", "要求三"), ("新问题", None)]
