"""A participant's day in real Chromium, in Chinese: sign in, inbox, claim, fill and submit the task
form (repeating rows, a file), inline errors, the instance diagram, switching the language.

Screenshots go to tests/artifacts/ (ignored by git) for people to look at."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import Attachment
from engine.services import tasks
from tests.browser.conftest import DESKTOP, PHONE, horizontal_overflow, login, screenshot, task_row, user

try:
    from playwright.sync_api import expect
except ImportError:  # no Playwright: the `browser` fixture skips (or fails when PINGYI_REQUIRE_BROWSER=1)
    expect = None

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TITLE = "提交整改方案：教育局"


def test_phone_inbox_claim_fill_and_submit(open_page, plan, session, tmp_path):
    page = open_page(PHONE)
    login(page, "dept")

    page.get_by_role("link", name="我的任务").click()
    row = page.locator(f'[data-task="{plan.task_id}"]')
    expect(row.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.locator("#task-count")).to_have_text("1")
    assert horizontal_overflow(page) == 0
    screenshot(page, "inbox-phone.png")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "inbox-desktop.png")
    page.set_viewport_size(PHONE)

    row.get_by_role("button", name="领取").click()
    expect(page.locator(".alert-success")).to_have_text("已领取该任务。")
    assert task_row(session, "write_plan").assignee_id == plan.users["dept"]
    page.goto("/?tab=mine")
    expect(row.get_by_text("由您办理")).to_be_visible()
    row.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/tasks/{plan.task_id}")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".instructions")).to_have_text("请针对教育局的评议意见逐条填写整改措施。")

    page.get_by_label("方案概述").fill("成立整改专班，逐条落实。")
    rows = page.locator("[data-repeat-row]")
    expect(rows).to_have_count(1)
    rows.nth(0).get_by_label("问题").fill("课后服务")
    rows.nth(0).get_by_label("完成时限").fill("2023-12-31")
    rows.nth(0).get_by_label("目标").fill("全覆盖")
    page.get_by_role("button", name="增加一行").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("问题").fill("校园安全")
    rows.nth(1).get_by_label("完成时限").fill("2024-03-31")
    pdf = tmp_path / "整改方案.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files('input[name="evidence__upload"]', pdf)
    assert horizontal_overflow(page) == 0
    screenshot(page, "task-phone.png")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "task-desktop.png")
    page.set_viewport_size(PHONE)

    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("h1")).to_have_text("确认整改方案")
    confirm = task_row(session, "confirm")
    assert page.url.endswith(f"/tasks/{confirm.id}")
    expect(page.locator(".alert-success")).to_have_text(f"“{TITLE}”已完成。")
    expect(page.locator(".instructions")).to_have_text("请确认方案“成立整改专班，逐条落实。”并提交。")

    earlier = page.locator("#earlier")  # the plan this step confirms is open by itself
    expect(earlier.locator(".accordion-collapse")).to_have_class(re.compile(r"\bshow\b"))
    table = earlier.locator("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("课后服务")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("2023-12-31")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("校园安全")
    expect(earlier.get_by_role("link", name="整改方案.pdf")).to_be_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, "next-task-phone.png")

    submitted = task_row(session, "write_plan").submitted
    [(public_id, filename)] = session.execute(select(Attachment.public_id, Attachment.filename)).all()
    session.commit()
    assert filename == "整改方案.pdf" and submitted["evidence"] == [public_id]
    assert submitted["items"] == [{"problem": "课后服务", "deadline": "2023-12-31", "target": "全覆盖"},
                                  {"problem": "校园安全", "deadline": "2024-03-31"}]
    # the link serves the file to this signed-in browser (PDFs open inline)
    response = page.request.get(earlier.get_by_role("link", name="整改方案.pdf").get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf" and response.body() == PDF


def test_instance_diagram_marks_done_and_current(open_page, plan, session):
    tasks.complete_task(session, plan.task_id, {"summary": "成立整改专班。", "items": [
        {"problem": "课后服务", "deadline": "2023-12-31"}]}, user(session, plan.users["dept"]))
    session.commit()

    page = open_page(DESKTOP)
    login(page, "dept")
    page.goto(f"/instances/{plan.instance_id}")
    page.wait_for_selector('#diagram[data-rendered="true"]')

    def element(element_id):
        return page.locator(f'#diagram g.djs-element[data-element-id="{element_id}"]')

    expect(element("confirm")).to_have_class(re.compile(r"\bpingyi-current\b"))
    for done in ("start", "write_plan"):
        expect(element(done)).to_have_class(re.compile(r"\bpingyi-done\b"))
        expect(element(done)).not_to_have_class(re.compile(r"\bpingyi-current\b"))
    expect(element("end")).not_to_have_class(re.compile(r"\bpingyi-(done|current)\b"))
    # app.css really paints them (the marker alone would be invisible)
    fill = "el => getComputedStyle(el.querySelector('.djs-visual > :first-child')).fill"
    assert element("confirm").evaluate(fill) == "rgb(255, 243, 205)"
    assert element("write_plan").evaluate(fill) == "rgb(209, 231, 221)"
    expect(page.locator(".timeline")).to_contain_text("发起流程")
    screenshot(page, "instance-desktop.png")

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector('#diagram[data-rendered="true"]')
    assert horizontal_overflow(page) == 0  # the diagram keeps a readable size and scrolls in its own frame
    assert page.locator(".diagram-scroll").evaluate("e => e.scrollWidth > e.clientWidth")
    screenshot(page, "instance-phone.png")


def test_missing_answers_are_shown_inline_in_chinese(open_page, plan, session):
    page = open_page(PHONE)
    login(page, "dept")
    page.goto(f"/tasks/{plan.task_id}")
    page.locator("[data-repeat-row]").nth(0).get_by_label("问题").fill("课后服务")
    page.get_by_role("button", name="提交", exact=True).click()

    summary = page.locator('[data-field="summary"]')
    expect(summary.locator(".invalid-feedback")).to_have_text("此项必填。")
    expect(summary.locator("textarea")).to_have_class(re.compile(r"\bis-invalid\b"))
    deadline = page.locator("[data-repeat-row]").nth(0).locator(".pingyi-field", has=page.get_by_label("完成时限"))
    expect(deadline.locator(".invalid-feedback")).to_have_text("此项必填。")
    expect(page.locator("[data-repeat-row]").nth(0).get_by_label("问题")).to_have_value("课后服务")  # input is kept
    expect(page.locator(".alert-success")).to_have_count(0)
    assert page.url.endswith(f"/tasks/{plan.task_id}")
    expect(page.locator("#form-problems")).to_have_text("未提交：有 2 处需要修改，已在下方标出。")
    expect(summary.locator("textarea")).to_be_focused()  # the page goes to the first answer to correct
    screenshot(page, "task-errors-phone.png")

    after = task_row(session, "write_plan")
    assert after.state == "open" and after.submitted is None


def open_menu(page, label):
    """The collapsed navigation of a phone; wait for Bootstrap's animation to end, as a person would."""
    page.get_by_role("button", name=label).click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator("#nav")).not_to_have_class(re.compile(r"\bcollapsing\b"))


def test_language_switch_from_the_phone_menu(open_page, plan):
    page = open_page(PHONE)
    login(page, "dept")
    page.goto(f"/tasks/{plan.task_id}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    open_menu(page, "菜单")
    screenshot(page, "menu-phone.png")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(f"/tasks/{plan.task_id}")  # back on the same page
    expect(page.get_by_role("button", name="Submit", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Add row")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name="My tasks")).to_be_visible()   # kept in the session

    open_menu(page, "Menu")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("link", name="我的任务")).to_be_visible()
