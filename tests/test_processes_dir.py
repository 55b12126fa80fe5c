"""The process models shipped in processes/: they deploy, and the rectification stage runs."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engine import bpmn, clock
from engine.models import HumanTask, TaskState
from engine.services import instances, processes, tasks, timers
from tests.conftest import ROOT

CST = timedelta(hours=8)


def test_every_process_deploys(session, admin):
    files = bpmn.read_bundle(ROOT / "processes")
    assert any(name.endswith(".bpmn") for name in files)
    results = processes.deploy(session, files, admin)
    assert {r.process_id for r in results} >= {"rectification"}
    assert all(r.is_new for r in results)


def open_tasks(session, instance):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.state == TaskState.OPEN).order_by(HumanTask.id)).all()


@pytest.fixture
def rectification(session, admin, make_user):
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin)
    people = {
        "edu": make_user("edu_contact", groups=["被评议部门", "教育局"]),
        "health": make_user("health_contact", groups=["被评议部门", "卫健局"]),
        "committee": make_user("jkww", groups=["教科文卫工委"]),
        "office": make_user("office", groups=["评议办"]),
    }
    clock.set_now(datetime(2023, 10, 31, 9, tzinfo=UTC) - CST)
    instance = instances.start_instance(session, "rectification", people["office"], {
        "department": "教育局", "department_group": "教育局", "committee_group": "教科文卫工委",
        "issued_on": "2023-10-31", "opinions": [{"problem": "课后服务覆盖不足"}, {"problem": "校园安全"}]},
        title="教育局整改落实", business_key="2023-D01")
    return instance, people


PLAN = {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items": [  # a row per issued problem, each kept
    {"problem": "课后服务覆盖不足", "measures": "扩大覆盖", "deadline": "2023-12-31", "responsible": "王局长"},
    {"problem": "校园安全", "measures": "排查隐患", "deadline": "2023-12-31", "responsible": "李副局长"}]}
REPORT = {"report_summary": "已按方案完成主要整改任务。", "report_items": [
    {"problem": "课后服务覆盖不足", "measures": "扩大覆盖", "status": "done", "evidence": "覆盖率 98%"},
    {"problem": "校园安全", "measures": "排查隐患", "status": "done", "evidence": "隐患已整改"}]}


def test_rectification_deadlines_are_calendar_months(session, rectification):
    instance, people = rectification
    [plan] = open_tasks(session, instance)
    assert plan.title == "提交整改方案：教育局"
    assert plan.due_at == datetime(2023, 11, 30, 23, 59, 59, tzinfo=UTC) - CST
    assert "2023-11-30" in plan.instructions and "共 2 条" in plan.instructions
    assert [t.element_id for t in tasks.my_tasks(session, people["edu"])] == ["submit_plan"]
    assert tasks.my_tasks(session, people["health"]) == []  # lane_owners: only this department
    tasks.complete_task(session, plan.id, PLAN, people["edu"])
    [review] = open_tasks(session, instance)
    assert review.lane == "责任委室" and [t.id for t in tasks.my_tasks(session, people["committee"])] == [review.id]
    tasks.complete_task(session, review.id, {"approved": False, "comment": "措施不够具体"}, people["committee"])
    [again] = open_tasks(session, instance)
    assert again.element_id == "submit_plan" and "退回意见：措施不够具体" in again.instructions
    tasks.complete_task(session, again.id, PLAN, people["edu"])
    tasks.complete_task(session, open_tasks(session, instance)[0].id, {"approved": True}, people["committee"])
    [report] = open_tasks(session, instance)
    assert report.due_at == datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC) - CST


def test_late_plan_is_escalated_and_stays_open(session, sessions, rectification):
    instance, people = rectification
    session.commit()
    clock.set_now(datetime(2023, 11, 24, 1, tzinfo=UTC))
    assert timers.run_due_timers(sessions) == 1  # the 7-day reminder
    clock.set_now(datetime(2023, 12, 1, 1, tzinfo=UTC))
    assert timers.run_due_timers(sessions) == 1  # overdue
    session.expire_all()
    titles = sorted(t.title for t in open_tasks(session, instance))
    assert titles == ["提交整改方案：教育局", "督办逾期整改方案：教育局"]
    followup = next(t for t in open_tasks(session, instance) if t.element_id == "plan_overdue_followup")
    assert followup.priority == 2 and [t.id for t in tasks.my_tasks(session, people["office"])] == [followup.id]
    tasks.complete_task(session, followup.id, {"followup_note": "已电话督促，承诺12月5日前提交"}, people["office"])
    plan = next(t for t in open_tasks(session, instance) if t.element_id == "submit_plan")
    tasks.complete_task(session, plan.id, PLAN, people["edu"])
    assert [t.element_id for t in open_tasks(session, instance)] == ["review_plan"]
