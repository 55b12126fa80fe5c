"""Who gets a task: lanes, lane_owners, per-element assignment; claim, unclaim, reassign."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.errors import Conflict, InvalidInput, PermissionDenied
from engine.models import AuditEvent, HumanTask, TaskState
from engine.services import tasks


def open_tasks(session, instance):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.state == TaskState.OPEN)
                           .order_by(HumanTask.id)).all()


def inbox(session, user):
    return [t.element_id for t in tasks.my_tasks(session, user)]


@pytest.fixture
def org(make_user):
    return {
        "office": make_user("office", groups=["评议办"]),
        "edu": make_user("edu", groups=["被评议部门", "教育局"]),
        "health": make_user("health", groups=["被评议部门", "卫健局"]),
        "dep01": make_user("dep01", display_name="代表一"),
        "dep02": make_user("dep02", display_name="代表二"),
        "dep03": make_user("dep03", display_name="代表三"),
    }


def advance_to_deputies(session, instance, org):
    tasks.complete_task(session, open_tasks(session, instance)[0].id, {}, org["office"])
    [dept] = open_tasks(session, instance)
    tasks.complete_task(session, dept.id, {}, next(u for u in (org["edu"], org["health"])
                                                   if tasks.can_work_on(session, dept, u)))
    return open_tasks(session, instance)


def test_lane_name_is_the_candidate_group(session, deploy, start, org):
    deploy("lanes")
    instance = start("lanes", {"issued_on": "2023-10-31", "deputies": []})
    [task] = open_tasks(session, instance)
    assert task.lane == "评议办" and task.assignee_id is None
    assert inbox(session, org["office"]) == ["office_task"]
    assert inbox(session, org["edu"]) == []
    # dueAt = add_days(issued_on, 3): a date means the end of that day in the county's time zone
    assert task.due_at == datetime(2023, 11, 3, 15, 59, 59, tzinfo=UTC)


def test_lane_owners_override_the_lane(session, deploy, start, org):
    deploy("lanes")
    instance = start("lanes", {"issued_on": "2023-10-31", "deputies": [],
                               "lane_owners": {"被评议部门": ["group:教育局", "user:office"]}})
    tasks.complete_task(session, open_tasks(session, instance)[0].id, {}, org["office"])
    [dept] = open_tasks(session, instance)
    assert inbox(session, org["edu"]) == ["dept_task"]
    assert inbox(session, org["health"]) == []          # in the 被评议部门 lane group, but not an owner
    assert inbox(session, org["office"]) == ["dept_task"]
    with pytest.raises(PermissionDenied):
        tasks.complete_task(session, dept.id, {}, org["health"])


def test_each_deputy_gets_their_own_multi_instance_task(session, deploy, start, org):
    deploy("lanes")
    instance = start("lanes", {"issued_on": "2023-10-31", "deputies": ["dep01", "dep02", "dep03"]})
    children = advance_to_deputies(session, instance, org)
    assert len(children) == 3
    assert {t.assignee.username for t in children} == {"dep01", "dep02", "dep03"}
    assert {t.title for t in children} == {"代表意见：dep01", "代表意见：dep02", "代表意见：dep03"}
    for name in ("dep01", "dep02", "dep03"):
        assert inbox(session, org[name]) == ["deputy_task"]
    mine = next(t for t in children if t.assignee.username == "dep02")
    with pytest.raises(PermissionDenied):
        tasks.complete_task(session, mine.id, {"opinion": "冒名"}, org["dep01"])
    for task in children:
        tasks.complete_task(session, task.id, {"opinion": f"意见 {task.assignee.username}"}, task.assignee)
    assert instance.status == "completed"


def test_unknown_group_leaves_the_task_to_administrators(session, deploy, start, org):
    deploy("lanes")
    instance = start("lanes", {"issued_on": "2023-10-31", "deputies": [],
                               "lane_owners": {"评议办": "group:不存在的组"}})
    [task] = open_tasks(session, instance)
    assert task.candidates == [] and inbox(session, org["office"]) == []


def test_claim_unclaim_reassign(session, deploy, start, org, make_user, admin):
    deploy("lanes")
    colleague = make_user("office2", groups=["评议办"])
    instance = start("lanes", {"issued_on": "2023-10-31", "deputies": []})
    [task] = open_tasks(session, instance)
    with pytest.raises(PermissionDenied):
        tasks.claim(session, task.id, org["edu"])
    tasks.claim(session, task.id, org["office"])
    assert task.assignee_id == org["office"].id
    assert tasks.claim(session, task.id, org["office"]).assignee_id == org["office"].id  # idempotent
    with pytest.raises(Conflict) as caught:
        tasks.claim(session, task.id, colleague)
    assert "Office" in caught.value.message  # who holds it
    with pytest.raises(PermissionDenied):  # a candidate who does not hold it
        tasks.complete_task(session, task.id, {}, colleague)
    with pytest.raises(PermissionDenied):
        tasks.unclaim(session, task.id, colleague)
    tasks.unclaim(session, task.id, org["office"])
    assert task.assignee_id is None
    tasks.claim(session, task.id, colleague)
    with pytest.raises(InvalidInput):
        tasks.reassign(session, task.id, "office", colleague, reason="")
    with pytest.raises(InvalidInput):  # the holder may hand over only to another candidate
        tasks.reassign(session, task.id, "edu", colleague, reason="请教育局处理")
    tasks.reassign(session, task.id, "office", colleague, reason="休假")
    assert task.assignee_id == org["office"].id
    tasks.reassign(session, task.id, "edu", admin, reason="改由部门填报")  # an admin may choose anyone
    assert task.assignee_id == org["edu"].id and inbox(session, org["edu"]) == ["office_task"]
    tasks.complete_task(session, task.id, {}, org["edu"])
    trail = session.scalars(select(AuditEvent).where(AuditEvent.event_type.like("task_%"))
                            .order_by(AuditEvent.id)).all()
    assert [(e.event_type, e.actor_name) for e in trail] == [
        ("task_claimed", "office"), ("task_unclaimed", "office"), ("task_claimed", "office2"),
        ("task_reassigned", "office2"), ("task_reassigned", "admin"), ("task_completed", "edu")]
    assert trail[3].data_before == {"assignee": "office2"} and trail[3].data_after == {"assignee": "office"}
    assert trail[4].reason == "改由部门填报"


def test_claiming_a_closed_task_says_so(session, deploy, start, org):
    deploy("lanes")
    instance = start("lanes", {"issued_on": "2023-10-31", "deputies": []})
    [task] = open_tasks(session, instance)
    tasks.complete_task(session, task.id, {}, org["office"])
    with pytest.raises(Conflict) as caught:
        tasks.claim(session, task.id, org["office"])
    assert caught.value.code == "task_already_completed"


def test_next_task_in_the_same_instance(session, deploy, start, make_user):
    deploy("lanes")
    both = make_user("both", groups=["评议办", "被评议部门"])
    instance = start("lanes", {"issued_on": "2023-10-31", "deputies": []})
    [task] = open_tasks(session, instance)
    tasks.complete_task(session, task.id, {}, both)
    following = tasks.next_task_for(session, both, instance.id)
    assert following is not None and following.element_id == "dept_task"


def test_every_instance_of_a_version_reads_its_task_properties(session, deploy, start, org):
    """Regression: a parsed spec shared between loads lost its extensions after the first use."""
    deploy("lanes")
    for _ in range(3):
        instance = start("lanes", {"issued_on": "2023-10-31", "deputies": ["dep01", "dep02"]})
        children = advance_to_deputies(session, instance, org)
        assert sorted(t.assignee.username for t in children) == ["dep01", "dep02"]


def test_tasks_in_one_instance_are_the_inbox_tasks_of_that_instance(session, deploy, start, org, make_user):
    """my_tasks_in answers from the instance's open tasks; it must list exactly what the inbox lists
    for that instance: by group (lane), by name (assignee), held by someone else, or by no one."""
    deploy("lanes")
    people = [*org.values(), make_user("both", groups=["评议办", "被评议部门"]), make_user("nobody")]
    instances = [start("lanes", {"issued_on": "2023-10-31", "deputies": ["dep01", "dep02"]}) for _ in range(3)]
    advance_to_deputies(session, instances[0], org)
    tasks.complete_task(session, open_tasks(session, instances[1])[0].id, {}, org["office"])
    [held] = open_tasks(session, instances[1])
    tasks.claim(session, held.id, org["edu"])
    for person in people:
        everything = tasks.my_tasks(session, person, limit=1000)
        for instance in instances:
            expected = sorted(t.id for t in everything if t.instance_id == instance.id)
            assert [t.id for t in tasks.my_tasks_in(session, person, instance.id)] == expected, person.username
    assert [t.id for t in tasks.my_tasks_in(session, org["health"], instances[1].id)] == [held.id]
