"""The rectification ledger (整改台账): each problem with its measures and what became of it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

import forms
from engine import bpmn, clock, repository, runtime
from engine.models import HumanTask
from engine.models import TaskState as RowState
from engine.services import instances, ledger, processes, tasks
from tests.conftest import ROOT

OPINIONS = {"教育局": [{"problem": "课后服务覆盖不足", "target": "覆盖率达到95%", "deadline": "2025-12-31"},
                      {"problem": "校园周边交通安全隐患", "target": "完成整治"}],
            "卫健局": [{"problem": "基层医疗人员不足", "target": "补足编制"}]}


@pytest.fixture
def rectifications(session, admin, make_user):
    clock.set_now(datetime(2025, 11, 5, 2, tzinfo=UTC))  # opinions issued a few days ago: nothing overdue
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=forms.check_bundle_form)
    people = {"edu": make_user("edu", groups=["教育局"]), "health": make_user("health", groups=["卫健局"]),
              "committee": make_user("committee", groups=["教科文卫工委"]),
              "office": make_user("office", groups=["评议办"])}
    started = {}
    for code, (name, year) in {"D01": ("教育局", 2025), "D02": ("卫健局", 2025)}.items():
        started[name] = instances.start_instance(session, "rectification", admin, {
            "department": name, "department_group": name, "committee_group": "教科文卫工委",
            "issued_on": f"{year}-10-31", "opinions": OPINIONS[name]}, business_key=f"{year}-{code}",
            title=f"{name}整改落实")
    return people, started


SUMMARY = "已按整改方案完成主要整改任务。"


def step(session, instance, element):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.element_id == element,
                                                   HumanTask.state == RowState.OPEN)).one()


def rows_of(session, instance, task, key, **answers):
    """The rows the task's form lists (read-only parts included), each answered with `answers`."""
    data = runtime.find_task(repository.peek(session, instance), task.task_guid).data
    return [{**row, **{k: (v(row) if callable(v) else v) for k, v in answers.items()}} for row in data[key]]


def submit_plan(session, instance, user):
    task = step(session, instance, "submit_plan")
    tasks.complete_task(session, task.id, {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items": rows_of(
        session, instance, task, "plan_items", measures=lambda row: f"{row['problem']}：制定措施",
        deadline="2025-12-20", responsible="分管副局长")}, user)


def test_plans_and_reports_line_up_by_problem(session, rectifications):
    people, started = rectifications
    edu, health = started["教育局"], started["卫健局"]
    submit_plan(session, edu, people["edu"])
    submit_plan(session, health, people["health"])
    before_report = ledger.ledger(session, _auditor(session), 2025)
    assert [(e.department, e.problem, e.target, e.status) for e in before_report] == [
        ("卫健局", "基层医疗人员不足", "补足编制", ""), ("教育局", "课后服务覆盖不足", "覆盖率达到95%", ""),
        ("教育局", "校园周边交通安全隐患", "完成整治", "")]
    assert before_report[1].measures == "课后服务覆盖不足：制定措施" and before_report[1].responsible == "分管副局长"

    tasks.complete_task(session, step(session, edu, "review_plan").id, {"approved": True}, people["committee"])
    report = step(session, edu, "submit_report")
    statuses = {"课后服务覆盖不足": ("done", "覆盖率96%"), "校园周边交通安全隐患": ("long_term", "")}
    answered = rows_of(session, edu, report, "report_items", status=lambda row: statuses[row["problem"]][0],
                       evidence=lambda row: statuses[row["problem"]][1])
    tasks.complete_task(session, report.id, {"report_summary": SUMMARY, "report_items": answered}, people["edu"])
    rows = [e for e in ledger.ledger(session, _auditor(session), 2025) if e.department == "教育局"]
    assert [(e.problem, e.status, e.evidence) for e in rows] == [
        ("课后服务覆盖不足", "已完成", "覆盖率96%"),
        ("校园周边交通安全隐患", "需长期坚持", "")]  # statuses as the form names them
    assert rows[0].plan_task_id and rows[0].report_task_id == report.id
    assert ledger.years(session) == [2025]
    assert ledger.ledger(session, _auditor(session), 2024) == []


def test_the_report_form_lists_the_plan_and_a_problem_named_twice_is_matched_in_order(session, rectifications, admin):
    people, _started = rectifications
    twice = instances.start_instance(session, "rectification", admin, {  # the committee names one problem twice
        "department": "教育局", "department_group": "教育局", "committee_group": "教科文卫工委",
        "issued_on": "2025-10-31", "opinions": [{"problem": "课后服务覆盖不足", "target": "城区学校全覆盖"},
                                                {"problem": "课后服务覆盖不足", "target": "农村学校全覆盖"}]},
        business_key="2025-D01-2", title="教育局整改落实（二）")
    plan = step(session, twice, "submit_plan")
    items = rows_of(session, twice, plan, "plan_items", deadline="2025-12-20", responsible="副局长")
    items[0]["measures"], items[1]["measures"] = "措施一", "措施二"
    tasks.complete_task(session, plan.id, {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items": items},
                        people["edu"])
    tasks.complete_task(session, step(session, twice, "review_plan").id, {"approved": True}, people["committee"])
    report = step(session, twice, "submit_report")
    listed = rows_of(session, twice, report, "report_items")
    assert listed == [{"problem": "课后服务覆盖不足", "measures": "措施一"},
                      {"problem": "课后服务覆盖不足", "measures": "措施二"}]
    listed[0].update(status="done")
    listed[1].update(status="in_progress")
    tasks.complete_task(session, report.id, {"report_summary": SUMMARY, "report_items": listed}, people["edu"])
    rows = ledger.ledger(session, _auditor(session), 2025)
    assert [(e.target, e.measures, e.status) for e in rows if e.measures] == [
        ("城区学校全覆盖", "措施一", "已完成"), ("农村学校全覆盖", "措施二", "正在整改")]


def test_each_sees_only_their_own(session, rectifications):
    people, started = rectifications
    for name, who in (("教育局", "edu"), ("卫健局", "health")):
        submit_plan(session, started[name], people[who])
    assert {e.department for e in ledger.ledger(session, people["edu"])} == {"教育局"}
    assert ledger.ledger(session, people["office"]) == []  # no part in either (nothing is overdue yet)
    assert {e.department for e in ledger.ledger(session, _auditor(session))} == {"教育局", "卫健局"}


def test_departments_without_a_plan_are_listed_from_the_opinions_and_become_overdue(session, rectifications):
    people, started = rectifications
    rows = ledger.ledger(session, _auditor(session), 2025)
    assert [(e.department, e.problem, e.target, e.opinion_deadline, e.plan_task_id, e.overdue) for e in rows] == [
        ("卫健局", "基层医疗人员不足", "补足编制", "", None, ""),
        ("教育局", "课后服务覆盖不足", "覆盖率达到95%", "2025-12-31", None, ""),  # the opinion's own 整改时限
        ("教育局", "校园周边交通安全隐患", "完成整治", "", None, "")]  # issued, no plan yet, not yet due
    assert {e.department for e in ledger.ledger(session, people["health"])} == {"卫健局"}  # its own task to do
    submit_plan(session, started["教育局"], people["edu"])
    late_plan = step(session, started["卫健局"], "submit_plan")
    clock.set_now(late_plan.due_at + timedelta(hours=10))  # the plan was due on 30 November
    rows = ledger.ledger(session, _auditor(session), 2025)
    health = [e for e in rows if e.department == "卫健局"]
    assert [(e.plan_task_id, e.overdue, e.overdue_since) for e in health] == [(None, "submit_plan", late_plan.due_at)]
    edu = [e for e in rows if e.department == "教育局"]
    assert [(e.measures, e.opinion_deadline, e.overdue) for e in edu] == [
        ("课后服务覆盖不足：制定措施", "2025-12-31", ""), ("校园周边交通安全隐患：制定措施", "", "")]

    tasks.complete_task(session, step(session, started["教育局"], "review_plan").id, {"approved": True},
                        people["committee"])
    report = step(session, started["教育局"], "submit_report")
    clock.set_now(report.due_at + timedelta(hours=1))
    edu = [e for e in ledger.ledger(session, _auditor(session), 2025) if e.department == "教育局"]
    assert {(e.overdue, e.overdue_since, e.status) for e in edu} == {("submit_report", report.due_at, "")}


def test_a_stopped_rectification_without_a_plan_is_left_out(session, rectifications, admin):
    _people, started = rectifications
    instances.terminate(session, started["卫健局"].id, admin, "误发起")
    assert {e.department for e in ledger.ledger(session, _auditor(session), 2025)} == {"教育局"}


def test_the_opinions_come_as_drafted_approved_and_issued(session, admin, make_user):
    """In the year's per-department rectification the committee drafts the opinions: each with its
    own deadline; the department appears once they are issued."""
    clock.set_now(datetime(2025, 10, 20, 2, tzinfo=UTC))
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=forms.check_bundle_form)
    committee, office = make_user("jkww", groups=["教科文卫工委"]), make_user("office", groups=["评议办"])
    council = make_user("council", groups=["主任会议"])
    make_user("edu", groups=["教育局"])
    instance = instances.start_instance(session, "department_rectification", admin, {
        "rectify_unit": {"code": "D01", "name": "县教育局", "group": "教育局", "office_group": "教科文卫工委"},
        "findings": {}, "results": {}, "timetable": {"end": "2025-10-31"}, "year": 2025},
        business_key="2025-D01-rectify", title="县教育局")  # no branch: named by its title
    opinions = [{"problem": "课后服务覆盖不足", "target": "覆盖率达到95%", "deadline": "2026-03-31"},
                {"problem": "执法不够规范", "target": "完成培训", "deadline": "2025-12-31"}]
    tasks.complete_task(session, step(session, instance, "draft_opinions").id, {"opinions": opinions}, committee)
    tasks.complete_task(session, step(session, instance, "approve_opinions").id, {"approved": True}, council)
    assert ledger.ledger(session, office, 2025) == [] and ledger.years(session) == []  # approved, not issued
    tasks.complete_task(session, step(session, instance, "issue_opinions").id, {"issued_on": "2025-10-20"}, office)
    rows = ledger.ledger(session, office, 2025)
    assert [(e.department, e.problem, e.target, e.opinion_deadline, e.plan_task_id) for e in rows] == [
        ("县教育局", "课后服务覆盖不足", "覆盖率达到95%", "2026-03-31", None),
        ("县教育局", "执法不够规范", "完成培训", "2025-12-31", None)]
    assert ledger.years(session) == [2025]


def test_the_ledger_costs_the_same_queries_for_many_departments(session, rectifications, admin, db_engine):
    people, _started = rectifications
    auditor = _auditor(session)

    def statements() -> int:
        sent = []
        record = lambda *args: sent.append(1)  # noqa: E731
        event.listen(db_engine, "before_cursor_execute", record)
        try:
            ledger.year_ledger(session, auditor, 2025)
        finally:
            event.remove(db_engine, "before_cursor_execute", record)
        return len(sent)

    statements()  # the labels of the model, read once
    few = statements()
    for n in range(8):
        instance = instances.start_instance(session, "rectification", admin, {
            "department": f"部门{n}", "department_group": "教育局", "committee_group": "教科文卫工委",
            "issued_on": "2025-10-31", "opinions": OPINIONS["教育局"]}, business_key=f"2025-X{n}", title=f"部门{n}")
        if n % 2:
            submit_plan(session, instance, people["edu"])
    session.flush()
    assert len(ledger.ledger(session, auditor, 2025)) == 3 + 8 * 2
    assert statements() == few


def _auditor(session):
    from engine.models import User
    from engine.services import users

    found = session.scalar(select(User).where(User.username == "auditor"))
    return found or users.create_user(session, "auditor", "审计员", None, is_auditor=True)
