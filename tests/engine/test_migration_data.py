"""A moved instance keeps its current data: the last completed task survives the move."""
from __future__ import annotations

from sqlalchemy import select

from engine import repository
from engine.models import HumanTask, TaskState
from engine.services import instances, migration, processes, tasks
from tests.conftest import bundle

PLAN = "inbox/plan.bpmn"
ANSWERS = {"summary": "四项整改措施", "items": [{"problem": "p", "deadline": "2026-04-01"}]}


def open_task(session, instance_id, element):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                   HumanTask.element_id == element,
                                                   HumanTask.state == TaskState.OPEN)).one()


def renamed(files: dict) -> dict:
    text = files[PLAN].decode().replace('name="提交整改方案"', 'name="提交整改计划"')
    return {**files, PLAN: text.encode()}


def test_the_data_panel_is_the_same_before_and_after_a_move(session, admin, start, make_user):
    make_user("dept", groups=["被评议部门"])
    files = bundle("inbox")
    processes.deploy(session, files, admin)
    instance = start("plan", {"department": "教育局", "issued_on": "2026-03-01"}, title="教育局")
    tasks.complete_task(session, open_task(session, instance.id, "write_plan").id, ANSWERS, admin, "test")
    before = instances.task_data(session, instance)
    assert before["summary"] == "四项整改措施" and before["department"] == "教育局"
    last_element = repository.peek(session, instance).last_task.task_spec.bpmn_id
    processes.deploy(session, renamed(files), admin)

    [outcome] = migration.migrate_version(session, "plan", 1, 2, admin)

    assert outcome.moved, outcome
    session.refresh(instance)
    assert instance.version.version == 2
    assert instances.task_data(session, instance) == before
    assert repository.peek(session, instance).last_task.task_spec.bpmn_id == last_element
    tasks.complete_task(session, open_task(session, instance.id, "confirm").id, {"confirmed": True}, admin, "test")
    assert instances.task_data(session, instance)["summary"] == "四项整改措施"


def test_a_waiting_instance_keeps_its_start_data(session, admin, start, make_user):
    make_user("dept", groups=["被评议部门"])
    files = bundle("inbox")
    processes.deploy(session, files, admin)
    instance = start("plan", {"department": "卫健局", "issued_on": "2026-03-01"}, title="卫健局")
    before = instances.task_data(session, instance)
    processes.deploy(session, renamed(files), admin)
    [outcome] = migration.migrate_version(session, "plan", 1, 2, admin)
    assert outcome.moved
    assert instances.task_data(session, instance) == before
