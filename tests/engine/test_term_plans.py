"""The term plan (规划表): checking rows, one approval per term, the year's departments, coverage, and
the BPMN model `term_plan` run through the services from draft to approval."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine import bpmn, repository, runtime
from engine.connectors import Context
from engine.errors import Conflict, InvalidInput, PermissionDenied
from engine.models import Ballot, HumanTask, TaskState, TermPlan
from engine.services import instances, org, processes, tasks, term_plans
from engine.services.org_operations import check, departments
from tests.conftest import ROOT


@pytest.fixture
def county(session, make_user):
    office = make_user("office", groups=["评议办"])
    party = make_user("party", groups=["党组"])
    org.create_unit(session, "office", {"code": "JKW", "name": "教科文卫工委", "group_name": "教科文卫工委",
                                        "leader_name": "陈静"}, office)
    org.create_unit(session, "office", {"code": "CJW", "name": "财经工委", "group_name": "财经工委"}, office)
    for code, name, group in (("D01", "县教育局", "教育局"), ("D02", "县卫生健康委员会", "卫健委"),
                              ("D03", "县财政局", "财政局")):
        org.create_unit(session, "department", {
            "code": code, "name": name, "short_name": name[1:], "group_name": group, "office_code": "JKW",
            "leader_name": "王副主任", "vice_mayor": "李副县长", "superior": "市" + name[1:]}, office)
    return {"office": office, "party": party}


def row(code, year, **extra):
    return {"department_code": code, "year": year, "deadline": f"{year}-10-31", **extra}


def test_a_department_may_appear_once_per_term(session, county):
    with pytest.raises(InvalidInput) as caught:
        term_plans.check_rows(session, 2022, [row("D01", 2023), row("D02", 2023), row("D01", 2025)])
    message = "; ".join(caught.value.params["problems"])
    assert "县教育局" in message and "2023" in message and "2025" in message
    assert caught.value.errors == {"rows.2.department_code": "duplicate_department"}


def test_rows_are_checked_and_completed_from_the_department(session, county):
    cleaned = term_plans.check_rows(session, 2022, [row("D01", 2022, office_code="财经工委")])
    assert cleaned == [{"department_code": "D01", "year": 2022, "office_code": "CJW", "leader_name": "王副主任",
                        "deadline": date(2022, 10, 31)}]
    with pytest.raises(InvalidInput) as caught:
        term_plans.check_rows(session, 2022, [row("D09", 2022), row("D02", 2027), row("D03", 2024, office_code="X"),
                                              {"department_code": "D01", "year": 2023, "deadline": "31.10.2023"}])
    assert caught.value.errors == {"rows.0.department_code": "unknown_department", "rows.1.year": "year_outside_term",
                                   "rows.2.office_code": "unknown_office", "rows.3.deadline": "deadline_invalid"}
    assert caught.value.params["problems"][1] == "第 2 行：县卫生健康委员会的评议年度 2027 不在 2022—2026 届期内。"


def test_only_one_approved_plan_per_term(session, county):
    rows = [row("D01", 2022), row("D02", 2023)]
    first = term_plans.save_plan(session, term_start=2022, rows=rows, status="approved", actor=county["party"])
    assert (first.term_end, first.approved_by_id, len(first.rows)) == (2026, county["party"].id, 2)
    with pytest.raises(Conflict):
        term_plans.save_plan(session, term_start=2022, rows=rows, status="approved", actor=county["party"])
    with pytest.raises(PermissionDenied):
        term_plans.save_plan(session, term_start=2027, rows=rows, status="approved", actor=county["office"])
    assert check(_ctx(session), [row("D03", 2024)], 2022) == {
        "ok": False, "errors": ["2022—2026 届期已有经批准的规划表。"]}
    # terms follow each other: one that shares a year with an approved term is refused, the next is not
    with pytest.raises(Conflict):
        term_plans.save_plan(session, term_start=2024, rows=[row("D01", 2027)], status="approved",
                             actor=county["party"])
    assert check(_ctx(session), [row("D03", 2020)], 2018) == {
        "ok": False, "errors": ["届期与已批准的 2022—2026 届期规划表重叠。"]}
    following = term_plans.save_plan(session, term_start=2027, rows=[row("D01", 2027)], status="approved",
                                     actor=county["party"])
    assert term_plans.approved_plan(session, 2026) is first and term_plans.approved_plan(session, 2027) is following


def _ctx(session):
    return Context(session)


def test_planned_departments_and_coverage(session, county):
    term_plans.save_plan(session, term_start=2022, rows=[
        row("D01", 2023, office_code="CJW", leader_name="赵主任"), row("D02", 2024)],
        status="approved", actor=county["party"])
    [planned] = term_plans.planned_departments(session, 2023)
    assert planned == {"code": "D01", "name": "县教育局", "short_name": "教育局", "group": "教育局",
                       "office_code": "CJW", "office_name": "财经工委", "office_group": "财经工委", "leader": "赵主任",
                       "vice_mayor": "李副县长", "superior": "市教育局", "party_group": None, "deadline": "2023-10-31"}
    assert term_plans.planned_departments(session, 2022) == []
    assert term_plans.planned_departments(session, 2031) == []
    session.add_all([
        Ballot(public_id="b1", title="t", subject="县教育局", subject_key="D01", year=2023, kind="meeting",
               rule_set_code="default", rules={}, status="closed"),
        Ballot(public_id="b2", title="t", subject="县卫健委", subject_key="D02", year=2024, kind="meeting",
               rule_set_code="default", rules={}, status="open"),
        Ballot(public_id="b3", title="t", subject="县财政局", subject_key="D03", year=2024, kind="reevaluation",
               rule_set_code="default", rules={}, status="closed")])
    session.flush()
    result = term_plans.coverage(session, 2022)
    assert [d["code"] for d in result.years[2023]] == ["D01"] and [d["code"] for d in result.years[2024]] == ["D02"]
    assert sorted(result.years) == [2022, 2023, 2024, 2025, 2026]
    assert [d["code"] for d in result.unplanned] == ["D03"]
    assert result.evaluated == {"D01": [2023]}
    org.deactivate_unit(session, "department", "D03", county["office"])
    assert term_plans.coverage(session, 2022).unplanned == []
    assert [d["code"] for d in departments(_ctx(session))] == ["D01", "D02"]


def open_task(session, instance, element):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.element_id == element,
                                                   HumanTask.state == TaskState.OPEN)).one()


def test_the_term_plan_model_from_draft_to_approval(session, county, admin):
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin)
    office, party = county["office"], county["party"]
    instance = instances.start_instance(session, "term_plan", office, {})
    draft = open_task(session, instance, "draft")
    assert draft.lane == "评议办" and [t.id for t in tasks.my_tasks(session, office)] == [draft.id]
    data = runtime.find_task(repository.load(session, instance), draft.task_guid).data
    assert data["department_options"][0] == {"value": "D01", "label": "县教育局"}
    assert data["office_options"] == [{"value": "CJW", "label": "财经工委"}, {"value": "JKW", "label": "教科文卫工委"}]
    assert data["rows"][0] == {"department_code": "D01", "office_code": "JKW", "leader_name": "王副主任"}
    assert len(data["rows"]) == 3  # one row per department to start from

    # a department twice: back to the draft with the reason in the instructions
    tasks.complete_task(session, draft.id, {"term_start": 2022, "rows": [
        row("D01", 2022), row("D02", 2023), row("D01", 2024)]}, office)
    draft = open_task(session, instance, "draft")
    assert "县教育局在本届内安排了两次：2022 年（第 1 行）和 2024 年（第 3 行）" in draft.instructions
    assert draft.title == "起草评议规划表（2022—2026）"
    assert session.scalar(select(TermPlan.id)) is None

    tasks.complete_task(session, draft.id, {"term_start": 2022, "rows": [
        row("D01", 2022), row("D02", 2023)]}, office)
    review = open_task(session, instance, "review")
    assert review.lane == "党组" and tasks.my_tasks(session, office) == []
    assert "2022 年：县教育局\n2023 年：县卫生健康委员会\n2024 年：（未安排）" in review.instructions
    plan = session.scalar(select(TermPlan))
    assert (plan.status, plan.instance_id, len(plan.rows)) == ("submitted", instance.id, 2)
    with pytest.raises(InvalidInput) as caught:
        tasks.complete_task(session, review.id, {"decision": "return"}, party)
    assert "comments" in caught.value.errors

    tasks.complete_task(session, review.id, {"decision": "return", "comments": "财政局应在2024年评议"}, party)
    session.refresh(plan)
    assert (plan.status, plan.comments) == ("returned", "财政局应在2024年评议")
    draft = open_task(session, instance, "draft")
    assert "党组退回意见：财政局应在2024年评议" in draft.instructions
    tasks.complete_task(session, draft.id, {"term_start": 2022, "rows": [
        row("D01", 2022), row("D02", 2023), row("D03", 2024)]}, office)

    review = open_task(session, instance, "review")
    tasks.complete_task(session, review.id, {"decision": "approve"}, party)
    session.refresh(instance)
    session.refresh(plan)
    assert instance.status == "completed"
    assert (plan.status, plan.comments, plan.approved_by_id) == ("approved", None, party.id)
    assert session.scalars(select(TermPlan.id)).all() == [plan.id]  # one plan, updated in place
    assert [d["code"] for d in term_plans.planned_departments(session, 2024)] == ["D03"]
