"""The term plan's approval as the Party group sees it: a link to the plan it reviews (it has no
organisation menu), and the draft's rows by the names of their departments and offices, on the page
and in the draft's Word document (their choices come from task data)."""
from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from engine import bpmn
from engine.models import HumanTask, TaskState, TermPlan
from engine.services import instances, org, processes, tasks
from tests.conftest import ROOT
from tests.web.conftest import PASSWORD, read, text


@pytest.fixture
def submitted(session, make_user, admin):
    office = make_user("office", groups=["评议办"], password=PASSWORD)
    make_user("party", groups=["党组"], password=PASSWORD, display_name="党组书记")
    org.create_unit(session, "office", {"code": "JKW", "name": "教科文卫工委", "group_name": "教科文卫工委"}, office)
    for code, name in (("D01", "县教育局"), ("D02", "县财政局")):
        org.create_unit(session, "department", {"code": code, "name": name, "group_name": name[1:],
                                                "office_code": "JKW", "leader_name": "王副主任"}, office)
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin)
    instance = instances.start_instance(session, "term_plan", office, {})
    draft = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                    HumanTask.element_id == "draft")).one()
    tasks.complete_task(session, draft.id, {"term_start": 2027, "rows": [
        {"department_code": "D01", "year": 2027, "deadline": "2027-10-31", "office_code": "JKW"},
        {"department_code": "D02", "year": 2028, "deadline": "2028-10-31"}]}, office)
    return instance, draft


def test_the_approver_opens_the_plan_from_the_task(client, login, session, submitted):
    instance, draft = submitted
    review = read(session, select(HumanTask.id).where(HumanTask.instance_id == instance.id,
                                                       HumanTask.element_id == "review",
                                                       HumanTask.state == TaskState.OPEN))
    plan = read(session, select(TermPlan.id).where(TermPlan.instance_id == instance.id))
    login("party")
    page = text(client.get(f"/tasks/{review}"))
    assert "机构与人员" not in page and "打开规划表" in page
    assert f'href="/term-plans/{plan}"' in page and client.get(f"/term-plans/{plan}").status_code == 200
    earlier = page[page.index('id="earlier"'):]
    assert "县教育局" in earlier and "教科文卫工委" in earlier  # the draft's rows by name
    assert ">D01<" not in earlier and ">JKW<" not in earlier


def test_the_drafts_word_document_names_departments_and_offices(client, login, session, submitted):
    _instance, draft = submitted
    login("office")
    assert "县财政局" in text(client.get(f"/tasks/{draft.id}"))  # the closed task's own page
    document = Document(io.BytesIO(client.get(f"/tasks/{draft.id}/document.docx").data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "县教育局" in cells and "县财政局" in cells and "教科文卫工委" in cells
    assert "D01" not in cells and "JKW" not in cells


def test_only_a_saved_plan_is_linked(client, login, session, submitted):
    _instance, draft = submitted
    office = draft.completed_by
    fresh = instances.start_instance(session, "term_plan", office, {})  # nothing saved yet
    fresh_draft = read(session, select(HumanTask.id).where(HumanTask.instance_id == fresh.id))
    login("office")
    assert 'id="term-plans"' in text(client.get(f"/tasks/{draft.id}"))
    assert 'id="term-plans"' not in text(client.get(f"/tasks/{fresh_draft}"))
