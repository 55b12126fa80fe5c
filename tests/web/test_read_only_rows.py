"""Rows of a repeating group keep their read-only part through the page: rows removed and added in
the browser, a refused submission shown again, values the form would otherwise tidy up."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

import forms
from engine import bpmn, clock
from engine.models import HumanTask
from engine.services import instances, processes
from tests.conftest import ROOT, bundle
from tests.web.conftest import PASSWORD, read, text

OPINIONS = [{"problem": "问题一", "target": "目标一\n"},  # as a script or an import may leave it
            {"problem": "问题二", "target": "目标二"}, {"problem": "问题三", "target": "目标三"}]


@pytest.fixture
def plan_task(session, make_user, admin):
    clock.set_now(datetime(2025, 11, 5, 2, tzinfo=UTC))
    processes.deploy(session, bundle("rows"), admin, form_checker=forms.check_bundle_form)
    make_user("edu", groups=["教育局"], password=PASSWORD)
    instance = instances.start_instance(session, "rows", admin, {"opinions": OPINIONS})
    session.commit()
    return read(session, select(HumanTask.id).where(HumanTask.instance_id == instance.id,
                                                    HumanTask.element_id == "submit_plan"))


def hidden_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(plan_items-\d+-__row)" value="(\d+)"', html))


def row(index: int, measures: str, shown: int | None) -> dict:
    answers = {f"plan_items-{index}-problem": f"问题{'一二三'[shown]}" if shown is not None else "新问题",
               f"plan_items-{index}-measures": measures, f"plan_items-{index}-deadline": "2025-12-20",
               f"plan_items-{index}-responsible": "副局长"}
    if shown is not None:
        answers[f"plan_items-{index}-__row"] = str(shown)
    return answers


def stored_targets(session, task_id) -> list:
    submitted = read(session, select(HumanTask.submitted).where(HumanTask.id == task_id))
    return [(i["problem"], i.get("target")) for i in submitted["plan_items"]]


def test_removed_and_added_rows_after_a_refusal_keep_their_own_requirements(client, login, session, plan_task):
    login("edu")
    page = text(client.get(f"/tasks/{plan_task}"))
    assert hidden_rows(page) == {"plan_items-0-__row": "0", "plan_items-1-__row": "1", "plan_items-2-__row": "2"}
    # the middle row removed, a row added with its measures left out: refused, shown again renumbered
    answers = {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items-__rows": "1", "_action": "submit",
               **row(0, "措施一", 0), **row(2, "措施三", 2), **row(3, "", None)}
    refused = client.post(f"/tasks/{plan_task}", data=answers)
    assert refused.status_code == 422
    again = hidden_rows(text(refused))
    assert again == {"plan_items-0-__row": "0", "plan_items-1-__row": "2"}  # the new row (now 2) has none
    answers = {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items-__rows": "1", "_action": "submit",
               **row(0, "措施一", 0), **row(1, "措施三", 2), **row(2, "新措施", None)}
    assert client.post(f"/tasks/{plan_task}", data=answers).status_code == 302
    assert stored_targets(session, plan_task) == [("问题一", "目标一\n"), ("问题三", "目标三"), ("新问题", None)]


def test_a_draft_then_the_submission_keep_untidy_read_only_values(client, login, session, plan_task):
    login("edu")
    answers = {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items-__rows": "1",
               **row(0, "措施一", 0), **row(1, "措施二", 1), **row(2, "措施三", 2)}
    assert client.post(f"/tasks/{plan_task}", data={**answers, "_action": "draft"}).status_code == 302
    page = text(client.get(f"/tasks/{plan_task}"))
    assert hidden_rows(page) == {"plan_items-0-__row": "0", "plan_items-1-__row": "1", "plan_items-2-__row": "2"}
    assert client.post(f"/tasks/{plan_task}", data={**answers, "_action": "submit"}).status_code == 302
    assert stored_targets(session, plan_task)[0] == ("问题一", "目标一\n")  # exactly as given, not tidied


def test_a_draft_keeps_an_empty_deadline(client, login, session, plan_task):
    login("edu")
    answers = {"plan_summary": "先存草稿", "plan_items-__rows": "1", "_action": "draft",
               **row(0, "措施一", 0), "plan_items-0-deadline": ""}
    response = client.post(f"/tasks/{plan_task}", data=answers)
    assert response.status_code == 302, text(response)
    draft = read(session, select(HumanTask.draft).where(HumanTask.id == plan_task))
    assert draft["plan_items"][0]["measures"] == "措施一" and "deadline" not in draft["plan_items"][0]
    submitted = client.post(f"/tasks/{plan_task}", data={**answers, "_action": "submit"})
    assert submitted.status_code == 422 and "此项必填" in text(submitted)  # required, not "unreadable"


@pytest.fixture
def issued_plan(session, make_user, admin):
    """The bundled rectification plan: one row per issued problem, none to drop, reword or add."""
    clock.set_now(datetime(2025, 11, 5, 2, tzinfo=UTC))
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=forms.check_bundle_form)
    make_user("edu", groups=["教育局"], password=PASSWORD)
    instance = instances.start_instance(session, "rectification", admin, {
        "department": "教育局", "department_group": "教育局", "committee_group": "教科文卫工委",
        "issued_on": "2025-10-31", "opinions": OPINIONS})
    session.commit()
    return read(session, select(HumanTask.id).where(HumanTask.instance_id == instance.id,
                                                    HumanTask.element_id == "submit_plan"))


def test_a_department_keeps_every_issued_problem_in_its_plan(client, login, session, issued_plan):
    login("edu")
    page = text(client.get(f"/tasks/{issued_plan}"))
    assert "删除此行" not in page and "增加一行" not in page
    every = {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items-__rows": "1", "_action": "submit",
             **row(0, "措施一", 0), **row(1, "措施二", 1), **row(2, "措施三", 2)}
    dropped = {k: v for k, v in every.items() if not k.startswith("plan_items-1-")}
    reworded = {**every, "plan_items-0-problem": "课后服务已基本覆盖"}
    added = {**every, **row(3, "措施四", None)}
    for answers in (dropped, added):
        refused = client.post(f"/tasks/{issued_plan}", data=answers)
        assert refused.status_code == 422, answers
        assert read(session, select(HumanTask.state).where(HumanTask.id == issued_plan)) == "open"
    assert client.post(f"/tasks/{issued_plan}", data=reworded).status_code == 302  # the problem is not an answer
    assert stored_targets(session, issued_plan) == [("问题一", "目标一\n"), ("问题二", "目标二"), ("问题三", "目标三")]


def test_a_draft_cannot_lock_the_plan_with_rows_that_are_not_the_tasks(client, login, session, issued_plan):
    login("edu")
    every = {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items-__rows": "1",
             **row(0, "措施一", 0), **row(1, "措施二", 1), **row(2, "措施三", 2)}
    crafted = {k: v for k, v in every.items() if k != "plan_items-1-__row"}  # a row that is not the task's
    crafted["_action"] = "draft"
    refused = client.post(f"/tasks/{issued_plan}", data=crafted)
    assert refused.status_code == 422
    assert read(session, select(HumanTask.draft).where(HumanTask.id == issued_plan)) is None
    # a draft an older release kept with a reworded problem: the page shows the task's problem again
    session.execute(update(HumanTask).where(HumanTask.id == issued_plan).values(draft={
        "plan_summary": "旧草稿", "plan_items": [{"problem": "改写的问题", "measures": "措施一"}]}))
    session.commit()
    page = text(client.get(f"/tasks/{issued_plan}"))
    assert "改写的问题" not in page and 'value="问题一"' in page and "旧草稿" in page  # its other answers stay
    assert client.post(f"/tasks/{issued_plan}", data={**every, "_action": "submit"}).status_code == 302
