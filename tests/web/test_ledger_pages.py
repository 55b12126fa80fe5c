"""The rectification ledger (整改台账) page and its Excel copy."""
from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

import forms
from engine import bpmn, clock
from engine.models import HumanTask
from engine.services import instances, processes, tasks
from tests.conftest import ROOT
from tests.web.conftest import PASSWORD, text


@pytest.fixture
def plan_submitted(session, make_user, admin):
    clock.set_now(datetime(2025, 11, 5, 2, tzinfo=UTC))
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=forms.check_bundle_form)
    edu = make_user("edu", groups=["教育局"], password=PASSWORD)
    make_user("stranger", password=PASSWORD)
    instance = instances.start_instance(session, "rectification", admin, {
        "department": "教育局", "department_group": "教育局", "committee_group": "教科文卫工委",
        "issued_on": "2025-10-31", "opinions": [{"problem": "课后服务覆盖不足", "target": "覆盖率达到95%",
                                                 "deadline": "2025-12-31"},
                                                {"problem": "=HYPERLINK(\"http://x\")", "target": ""}]},
        business_key="2025-D01", title="教育局整改落实")
    plan = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                  HumanTask.element_id == "submit_plan"))
    tasks.complete_task(session, plan.id, {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items": [
        {"problem": "课后服务覆盖不足", "target": "覆盖率达到95%", "measures": "扩大课后服务", "deadline": "2025-12-20",
         "responsible": "副局长"},
        {"problem": "=HYPERLINK(\"http://x\")", "measures": "核查", "deadline": "2025-12-20",
         "responsible": "副局长"}]}, edu)  # as the page sends them: each row with what the committee asked
    session.commit()
    return instance


def test_the_department_sees_its_ledger(client, login, plan_submitted):
    login("edu")
    page = text(client.get("/ledger/"))
    assert "整改台账 · 2025" in page and "课后服务覆盖不足" in page and "扩大课后服务" in page
    assert "覆盖率达到95%" in page and "尚未报告" in page
    assert 'id="ledger-link"' in text(client.get("/instances/"))


def test_someone_without_a_part_sees_no_rows(client, login, plan_submitted):
    login("stranger")
    page = text(client.get("/ledger/"))
    assert "课后服务覆盖不足" not in page and "尚无您有权查看的已交办评议意见" in page
    sheet = load_workbook(io.BytesIO(client.get("/ledger/ledger.xlsx?year=2025").data)).active
    assert sheet.max_row == 1  # the header only


def test_the_ledger_as_excel_keeps_text_as_text(client, login, plan_submitted):
    login("edu")
    response = client.get("/ledger/ledger.xlsx?year=2025")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["部门", "问题", "整改要求", "整改时限", "整改措施", "完成时限", "责任人", "状态", "已逾期",
                       "佐证材料", "报告日期"]
    assert rows[1][:9] == ["教育局", "课后服务覆盖不足", "覆盖率达到95%", "2025-12-31", "扩大课后服务", "2025-12-20",
                           "副局长", "尚未报告", None]
    assert sheet.cell(row=3, column=2).data_type == "s"  # what someone typed is never a formula


def test_a_department_without_a_plan_shows_and_is_overdue(client, login, session, make_user, admin,
                                                          plan_submitted):
    make_user("auditor", is_auditor=True, password=PASSWORD)
    late = instances.start_instance(session, "rectification", admin, {
        "department": "卫健局", "department_group": "卫健局", "committee_group": "教科文卫工委",
        "issued_on": "2025-10-31", "opinions": [{"problem": "基层医疗人员不足", "target": "补足编制",
                                                 "deadline": "2026-06-30"}]},
        business_key="2025-D02", title="卫健局整改落实")
    session.commit()
    login("auditor")
    page = text(client.get("/ledger/?year=2025"))
    assert "基层医疗人员不足" in page and "2026-06-30" in page and "未报送方案" in page
    assert "未报送整改方案的部门：1 个" in page and "已逾期" not in page  # due on 30 November
    clock.set_now(datetime(2025, 12, 1, 2, tzinfo=UTC))
    assert session.scalar(select(HumanTask.state).where(HumanTask.instance_id == late.id,
                                                        HumanTask.element_id == "submit_plan")) == "open"
    session.commit()
    page = text(client.get("/ledger/?year=2025"))
    assert "已逾期的部门：1 个" in page and "已逾期（2025-11-30 到期）" in page
    sheet = load_workbook(io.BytesIO(client.get("/ledger/ledger.xlsx?year=2025").data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    health = [row for row in rows if row[0] == "卫健局"]
    assert [row[1:5] + row[7:9] for row in health] == [
        ["基层医疗人员不足", "补足编制", "2026-06-30", None, "未报送方案", "已逾期（2025-11-30 到期）"]]


def test_signed_out_goes_to_sign_in(client, plan_submitted):
    assert client.get("/ledger/").status_code == 302
    assert client.get("/ledger/ledger.xlsx").status_code == 302


def test_the_report_lists_every_planned_problem_and_none_can_be_dropped(client, login, session, admin,
                                                                        plan_submitted):
    review = session.scalar(select(HumanTask).where(HumanTask.instance_id == plan_submitted.id,
                                                    HumanTask.element_id == "review_plan"))
    tasks.complete_task(session, review.id, {"approved": True}, admin, reason="责任委室请假，代为审核")
    report = session.scalar(select(HumanTask).where(HumanTask.instance_id == plan_submitted.id,
                                                    HumanTask.element_id == "submit_report"))
    session.commit()
    login("edu")
    page = text(client.get(f"/tasks/{report.id}"))
    assert "课后服务覆盖不足" in page and "扩大课后服务" in page  # the plan's rows, to report on
    answers = {"report_summary": "已按整改方案推进各项整改任务。", "_action": "submit",
               "report_items-0-status": "done"}  # the second planned problem left out of the post
    response = client.post(f"/tasks/{report.id}", data=answers)
    assert response.status_code == 422 and "此列表的行不能删除" in text(response)
    answers["report_items-1-status"] = "in_progress"
    assert client.post(f"/tasks/{report.id}", data=answers).status_code == 302
