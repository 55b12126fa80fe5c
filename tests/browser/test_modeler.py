"""An administrator edits a model in the browser: renames a task and gives it a new form in the
side panel, deploys version 2 (new instances start on it, older ones stay on version 1), and sees
a broken script marked on its element after a check; ballot settings are picked from lists."""
from __future__ import annotations

import json
import re

from lxml import etree
from sqlalchemy import select

import forms
from engine import bpmn
from engine.models import ProcessDraft, ProcessInstance, ProcessVersion
from engine.services import instances, processes
from tests.browser.conftest import DESKTOP, PASSWORD, login, screenshot
from tests.conftest import ROOT, bundle

try:
    from playwright.sync_api import expect
except ImportError:  # no Playwright: the `browser` fixture skips (or fails when PINGYI_REQUIRE_BROWSER=1)
    expect = None

SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NEW_FORM = {"title": "确认", "type": "object", "required": ["confirmed"],
            "properties": {"confirmed": {"type": "boolean", "title": "确认无误"},
                           "comment": {"type": "string", "title": "确认意见", "maxLength": 2000}}}


def versions_of_instances(session) -> dict[int, int]:
    session.expire_all()
    found = dict(session.execute(select(ProcessInstance.id, ProcessVersion.version)
                                 .join(ProcessVersion, ProcessInstance.process_version_id == ProcessVersion.id)).all())
    session.commit()
    return found


def open_editor(page, process_id: str) -> None:
    page.goto(f"/processes/{process_id}/edit")
    expect(page.locator("#canvas")).to_have_attribute("data-ready", "true")


def select_element(page, element_id: str) -> None:
    page.locator(f'#canvas .djs-element[data-element-id="{element_id}"]').click()
    expect(page.locator("#panel [data-field=id]")).to_have_text(element_id)


def test_an_admin_edits_deploys_and_sees_problems_on_elements(open_page, session, admin, make_user, tmp_path):
    make_user("boss", password=PASSWORD, is_admin=True, display_name="赵主任")
    processes.deploy(session, bundle("inbox"), admin, form_checker=forms.check_bundle_form)
    old = instances.start_instance(session, "plan", admin, {"department": "教育局", "issued_on": "2026-03-01"}).id
    session.commit()
    form_file = tmp_path / "confirm2-schema.json"
    form_file.write_text(json.dumps(NEW_FORM, ensure_ascii=False), encoding="utf-8")

    page = open_page(DESKTOP)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "boss")
    page.get_by_role("link", name="流程管理").click()
    expect(page.locator('[data-process="plan"] tr[data-version="1"]')).to_have_count(1)
    page.locator('[data-process="plan"]').get_by_role("link", name="编辑").click()
    expect(page.locator("#canvas")).to_have_attribute("data-ready", "true")

    viewport = page.locator("#canvas svg g.viewport")
    before = viewport.get_attribute("transform")
    page.get_by_role("button", name="放大").click()
    expect(viewport).not_to_have_attribute("transform", before)
    page.get_by_role("button", name="显示整个流程图").click()
    expect(viewport).to_have_attribute("transform", before)

    select_element(page, "confirm")
    name = page.get_by_label("名称", exact=True)
    name.fill("确认整改方案（新）")
    name.press("Tab")
    expect(page.locator('#canvas .djs-element[data-element-id="confirm"]')).to_contain_text("确认整改方案（新）")
    page.locator("#panel [data-field=uploadForm]").set_input_files(str(form_file))
    expect(page.locator("#panel [data-field=form]")).to_have_value("confirm2-schema.json")
    screenshot(page, "modeler-side-panel.png")

    page.locator("#deploy-draft").click()
    page.wait_for_url("**/processes/plan/v2")
    expect(page.locator("#changes .diff-changed[data-element=confirm]")).to_contain_text("确认整改方案（新）")
    screenshot(page, "modeler-version-2.png")

    page.goto("/start/plan")
    page.get_by_label("被评议部门").fill("卫健局")
    page.get_by_label("交办日期").fill("2026-04-01")
    page.get_by_role("button", name="发起").click()
    page.wait_for_url(lambda url: "/start/" not in url)
    started = versions_of_instances(session)
    new = max(started)
    assert started[old] == 1 and started[new] == 2
    session.expire_all()
    deployed = session.scalars(select(ProcessVersion).where(ProcessVersion.version == 2)).one()
    assert deployed.forms["confirm2-schema.json"] == NEW_FORM and "确认整改方案（新）" in deployed.bpmn_xml
    session.commit()

    open_editor(page, "plan")
    select_element(page, "write_plan")
    script = page.locator("#panel [data-field=preScript]")
    script.fill("deadline = = add_months(issued_on, 1)")
    script.press("Tab")
    page.locator("#check-draft").click()
    expect(page.locator("#canvas")).to_have_attribute("data-checked", "1")
    expect(page.locator('#canvas .djs-element.pingyi-problem[data-element-id="write_plan"]')).to_have_count(1)
    expect(page.locator('.djs-overlays[data-container-id="write_plan"] .pingyi-problem-badge')).to_have_count(1)
    expect(page.locator('#problem-list li[data-element="write_plan"]')).to_contain_text("前置脚本")
    screenshot(page, "modeler-problem-on-element.png")

    page.locator("#deploy-draft").click()  # refused: still on the editor, nothing deployed
    expect(page.locator("#modeler-status")).to_contain_text("1")
    session.expire_all()
    assert session.scalars(select(ProcessVersion.version).order_by(ProcessVersion.version)).all() == [1, 2]
    session.commit()


def test_ballot_settings_are_chosen_by_name(open_page, session, admin, make_user):
    """The side panel offers the rule sets, ballot kinds and groups for `ballot.open` as lists; the
    choice is written into the diagram as the Python literal the engine evaluates."""
    make_user("boss", password=PASSWORD, is_admin=True, display_name="赵主任")
    make_user("m1", groups=["常委会组成人员"])
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=forms.check_bundle_form)
    session.commit()

    page = open_page(DESKTOP)
    login(page, "boss")
    open_editor(page, "evaluation_meeting_item")
    select_element(page, "open_vote")
    rule_set = page.locator("#panel [data-field=param-rule_set]")
    expect(rule_set.locator("option[value='\"A\"']")).to_contain_text("以全体组成人员过半数定等次")
    rule_set.select_option(label="B – B：满意票超过全体组成人员半数为满意，否则不满意（两档）")
    group = page.locator("#panel [data-field=param-committee_group]")
    expect(group).to_have_value('"常委会组成人员"')  # the model's '常委会组成人员' is that group
    page.locator("#panel [data-field=param-kind]").select_option(value='"reevaluation"')
    page.locator("#save-draft").click()
    expect(page.locator("#modeler-status")).to_have_class(re.compile("text-success"))
    session.expire_all()
    xml = session.scalars(select(ProcessDraft.bpmn_xml)
                          .where(ProcessDraft.process_id == "evaluation_meeting_item")).one()
    session.commit()
    vote = etree.fromstring(xml.encode()).xpath("//*[@id='open_vote']")[0]
    values = {p.get("id"): p.get("value") for p in vote.iter(f"{{{SPIFF}}}parameter")}
    assert (values["rule_set"], values["kind"]) == ('"B"', '"reevaluation"')
    assert values["committee_group"] == "'常委会组成人员'"  # untouched: written only when changed
    assert values["subject"] == "unit['name']"  # the other parameters are kept


def test_a_model_without_layout_says_why_it_cannot_be_drawn(open_page, session, admin, make_user):
    make_user("boss", password=PASSWORD, is_admin=True, display_name="赵主任")
    processes.deploy(session, bundle("service"), admin, form_checker=forms.check_bundle_form)  # no BPMNDiagram
    session.commit()
    page = open_page(DESKTOP)
    login(page, "boss")
    page.goto("/processes/meeting_vote/edit")
    expect(page.locator("#canvas")).to_have_attribute("data-ready", "failed")
    expect(page.locator("#modeler-status")).to_contain_text("没有图形布局（BPMNDiagram）")


def test_a_new_process_opens_in_the_modeler_and_deploys(open_page, session, admin, make_user):
    make_user("boss", password=PASSWORD, is_admin=True, display_name="赵主任")
    session.commit()
    page = open_page(DESKTOP)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "boss")
    page.goto("/processes/")
    page.fill("#new-name", "专项调研")
    page.fill("#new-id", "dept_survey")
    page.get_by_role("button", name="新建并绘制").click()
    expect(page.locator("#canvas")).to_have_attribute("data-ready", "true")
    expect(page.locator('#canvas .djs-element[data-element-id="start"]')).to_have_count(1)
    select_element(page, "start")
    page.get_by_role("button", name="部署").click()
    expect(page.locator(".alert")).to_contain_text("第 1 版已部署")
    session.expire_all()
    assert session.scalar(select(ProcessVersion.name).where(ProcessVersion.process_id == "dept_survey")) == "专项调研"
    session.commit()


def test_a_pooled_process_gets_its_name_and_a_form_made_in_another_tab(open_page, session, admin, make_user):
    make_user("boss", password=PASSWORD, is_admin=True, display_name="赵主任")
    processes.deploy(session, bundle("pooled"), admin, form_checker=forms.check_bundle_form)  # a pool, no lanes
    session.commit()
    page = open_page(DESKTOP)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "boss")
    open_editor(page, "pooled")
    page.locator('#canvas .djs-element[data-element-id="pool"] .djs-hit').first.click(position={"x": 300, "y": 20})
    expect(page.locator("#panel [data-field=id]")).to_have_text("pool")
    expect(page.locator("#panel [data-field=startedBy]")).to_contain_text("只有管理员")  # no lanes
    process_name = page.locator("#panel [data-field=processName]")
    process_name.fill("教育局专项调研")
    process_name.press("Tab")

    editor = page.context.new_page()  # the form editor's tab
    editor.goto("/processes/forms/survey-schema.json?process=pooled")
    editor.locator("#schema").fill(json.dumps(NEW_FORM, ensure_ascii=False))
    editor.get_by_role("button", name="保存到草稿").click()
    expect(editor.locator(".alert")).to_contain_text("表单已保存")
    editor.close()
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # back on the modeler's tab
    select_element(page, "fill")
    expect(page.locator("#panel [data-field=form] option[value='survey-schema.json']")).to_have_count(1)
    page.locator("#panel [data-field=form]").select_option("survey-schema.json")
    page.locator("#deploy-draft").click()
    page.wait_for_url("**/processes/pooled/v2")
    session.expire_all()
    deployed = session.scalars(select(ProcessVersion).where(ProcessVersion.version == 2)).one()
    assert deployed.name == "教育局专项调研" and deployed.forms["survey-schema.json"] == NEW_FORM
    session.commit()


def test_check_warns_about_a_lane_that_is_no_group_and_the_panel_says_who_may_start(open_page, session, admin,
                                                                                   make_user):
    make_user("boss", password=PASSWORD, is_admin=True, display_name="赵主任")
    make_user("office", groups=["评议办"])  # the lane 被评议部门 names no group
    processes.deploy(session, bundle("inbox"), admin, form_checker=forms.check_bundle_form)
    session.commit()
    page = open_page(DESKTOP)
    login(page, "boss")
    open_editor(page, "plan")
    expect(page.locator("#panel [data-field=startedBy]")).to_contain_text("组“评议办”（开始事件所在泳道）的成员")
    page.locator("#check-draft").click()
    expect(page.locator("#canvas")).to_have_attribute("data-warnings", "1")
    expect(page.locator("#canvas")).to_have_attribute("data-checked", "0")
    expect(page.locator('.djs-overlays[data-container-id="lane_dept"] .pingyi-warning-badge')).to_have_count(1)
    warned = page.locator('#problem-list li[data-kind="warning"][data-element="lane_dept"]')
    expect(warned).to_contain_text("泳道“被评议部门”：没有这个名称的组")
    expect(page.locator("#modeler-status")).to_contain_text("警告（仍可部署）: 1")
    warned.locator("a").click()  # selects the lane
    expect(page.locator("#panel [data-field=id]")).to_have_text("lane_dept")
