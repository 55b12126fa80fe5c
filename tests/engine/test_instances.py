"""Instances: start, complete, gateways, versions, suspend/resume/terminate, error and retry."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine import repository, serializer
from engine.errors import Conflict, InvalidInput, PermissionDenied
from engine.models import AuditEvent, HumanTask, ProcessInstance, TaskState
from engine.services import instances, processes, tasks
from tests.conftest import DATA, bundle


def open_tasks(session, instance):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.state == TaskState.OPEN)
                           .order_by(HumanTask.id)).all()


def events(session, instance=None):
    query = select(AuditEvent).order_by(AuditEvent.id)
    if instance is not None:
        query = query.where(AuditEvent.instance_id == instance.id)
    return [e.event_type for e in session.scalars(query)]


@pytest.fixture
def people(make_user):
    return {"drafter": make_user("drafter", groups=["起草人"]),
            "reviewer": make_user("reviewer", groups=["审核人"])}


def test_start_runs_to_the_first_task_and_stores_the_workflow_without_its_spec(session, deploy, start, people):
    deploy("approval")
    instance = start("approval", {"unit": "教育局"}, title="教育局方案", business_key="D01")
    assert instance.status == "running" and instance.business_key == "D01"
    stored = json.loads(instance.workflow_json)
    assert "spec" not in stored and "subprocess_specs" not in stored
    assert instance.serializer_version == serializer.SERIALIZER_VERSION
    # empty columns are SQL NULL (not JSON null), so "no error" and "not suspended" can be queried
    empty = session.execute(select(ProcessInstance.error.is_(None), ProcessInstance.status_before_suspend.is_(None),
                                   ProcessInstance.ended_at.is_(None))
                            .where(ProcessInstance.id == instance.id)).one()
    assert tuple(empty) == (True, True, True)
    [task] = open_tasks(session, instance)
    assert (task.element_id, task.title, task.lane, task.form_key) == ("draft", "起草方案", "起草人",
                                                                         "draft-schema.json")
    assert task.instructions == "请为教育局起草方案（第1稿）"
    assert task.priority == 2
    assert [c.group_id for c in task.candidates] == [people["drafter"].groups[0].id]
    assert events(session, instance) == ["instance_started"]


def test_gateway_loop_and_completion(session, deploy, start, people):
    deploy("approval")
    instance = start("approval", {"unit": "教育局"})
    draft = open_tasks(session, instance)[0]
    tasks.complete_task(session, draft.id, {"title": "第一稿"}, people["drafter"])
    review = open_tasks(session, instance)[0]
    assert review.element_id == "review" and review.instructions == "审核“第一稿”"
    tasks.complete_task(session, review.id, {"approved": False, "comment": "再改"}, people["reviewer"])
    again = open_tasks(session, instance)[0]
    assert again.element_id == "draft" and again.id != draft.id
    tasks.complete_task(session, again.id, {"title": "第二稿"}, people["drafter"])
    tasks.complete_task(session, open_tasks(session, instance)[0].id, {"approved": True}, people["reviewer"])
    assert instance.status == "completed" and instance.ended_at is not None
    assert open_tasks(session, instance) == []
    data = instances.task_data(session, instance)
    assert data["published"] is True and data["title"] == "第二稿"
    done = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id).order_by(HumanTask.id)).all()
    assert [t.state for t in done] == ["completed"] * 4
    # saved many times over, "no error" and "no draft" are still SQL NULL (not JSON null)
    assert session.scalar(select(ProcessInstance.error.is_(None)).where(ProcessInstance.id == instance.id))
    assert session.scalars(select(HumanTask.draft.is_(None)).where(HumanTask.instance_id == instance.id)).all() \
        == [True] * 4
    assert [t.completed_by_id for t in done] == [people[k].id for k in ("drafter", "reviewer") * 2]
    completed = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "task_completed")
                                .order_by(AuditEvent.seq)).all()
    assert completed[0].data_after == {"title": "第一稿"} and completed[0].data_before == {"title": None}
    assert completed[0].actor_name == "drafter" and completed[0].element_id == "draft"


def test_submitted_data_is_validated_before_the_engine_runs(session, deploy, start, people):
    deploy("approval")
    instance = start("approval", {"unit": "教育局"})
    draft = open_tasks(session, instance)[0]
    revision = instance.revision
    with pytest.raises(InvalidInput) as caught:
        tasks.complete_task(session, draft.id, {"title": "x", "round_count": -1}, people["drafter"])
    assert set(caught.value.errors) == {"title", "round_count"}
    with pytest.raises(InvalidInput) as caught:
        tasks.complete_task(session, draft.id, {}, people["drafter"])
    assert "title" in caught.value.errors
    with pytest.raises(InvalidInput) as caught:
        tasks.complete_task(session, draft.id, {"title": "好标题", "lane_owners": {"审核人": "user:drafter"}},
                            people["drafter"])
    assert "lane_owners" in caught.value.errors
    with pytest.raises(InvalidInput):
        tasks.complete_task(session, draft.id, {"title": "好标题", "unexpected": 1}, people["drafter"])
    session.refresh(instance)
    assert instance.revision == revision and draft.state == "open"
    assert events(session, instance) == ["instance_started"]


def test_only_candidates_may_complete(session, deploy, start, people, make_user, admin):
    deploy("approval")
    instance = start("approval", {"unit": "教育局"})
    draft = open_tasks(session, instance)[0]
    outsider = make_user("outsider", groups=["审核人"])
    with pytest.raises(PermissionDenied):
        tasks.complete_task(session, draft.id, {"title": "越权"}, outsider)
    auditor = make_user("watcher", groups=["起草人"], is_auditor=True)
    with pytest.raises(PermissionDenied):
        tasks.complete_task(session, draft.id, {"title": "越权"}, auditor)
    with pytest.raises(InvalidInput):  # an administrator needs a reason
        tasks.complete_task(session, draft.id, {"title": "代办"}, admin)
    tasks.complete_task(session, draft.id, {"title": "代办"}, admin, reason="联络员出差，电话确认")
    event = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "task_completed")).one()
    assert event.reason == "联络员出差，电话确认" and event.details["on_behalf"] is True


def test_a_completed_task_cannot_be_completed_again(session, deploy, start, people):
    deploy("approval")
    instance = start("approval", {"unit": "教育局"})
    draft = open_tasks(session, instance)[0]
    tasks.complete_task(session, draft.id, {"title": "第一稿"}, people["drafter"])
    with pytest.raises(Conflict) as caught:
        tasks.complete_task(session, draft.id, {"title": "第二次"}, people["drafter"])
    assert caught.value.code == "task_already_completed" and "Drafter" in caught.value.message


def test_running_instances_stay_on_their_version(session, admin, start, people):
    files = bundle("approval")
    processes.deploy(session, files, admin)
    old = start("approval", {"unit": "教育局"})
    text = (DATA / "approval" / "approval.bpmn").read_text()
    files["approval/approval.bpmn"] = text.replace("审核方案", "二次审核").replace(
        "<bpmn:script>published = True</bpmn:script>", "<bpmn:script>published = 'v2'</bpmn:script>").encode()
    processes.deploy(session, files, admin)
    repository.clear_caches()  # the old instance must reload from its own version's spec
    new = start("approval", {"unit": "卫健局"})
    assert (old.version.version, new.version.version) == (1, 2)
    for instance, title in ((old, "审核方案"), (new, "二次审核")):
        tasks.complete_task(session, open_tasks(session, instance)[0].id, {"title": "方案稿"}, people["drafter"])
        review = open_tasks(session, instance)[0]
        assert review.title == title
        tasks.complete_task(session, review.id, {"approved": True}, people["reviewer"])
    assert instances.task_data(session, old)["published"] is True
    assert instances.task_data(session, new)["published"] == "v2"


def test_suspend_resume_terminate(session, deploy, start, people, admin):
    deploy("approval")
    instance = start("approval", {"unit": "教育局"})
    draft = open_tasks(session, instance)[0]
    with pytest.raises(PermissionDenied):
        instances.suspend(session, instance.id, people["drafter"], "no")
    with pytest.raises(InvalidInput):
        instances.suspend(session, instance.id, admin, " ")
    instances.suspend(session, instance.id, admin, "部门机构改革，暂停")
    assert instance.status == "suspended"
    with pytest.raises(Conflict):
        tasks.complete_task(session, draft.id, {"title": "暂停中"}, people["drafter"])
    for frozen in (lambda: tasks.claim(session, draft.id, people["drafter"]),
                   lambda: tasks.unclaim(session, draft.id, people["drafter"]),
                   lambda: tasks.save_draft(session, draft.id, {"title": "暂停中"}, people["drafter"]),
                   lambda: tasks.reassign(session, draft.id, "admin", people["drafter"], "出差")):
        with pytest.raises(Conflict):  # a suspended instance is frozen for its participants
            frozen()
    assert draft.assignee_id is None and draft.draft is None
    instances.resume(session, instance.id, admin, "改革完成")
    assert instance.status == "running"
    tasks.complete_task(session, draft.id, {"title": "恢复后"}, people["drafter"])
    instances.terminate(session, instance.id, admin, "本年度不再评议该部门")
    assert instance.status == "terminated" and instance.status_reason == "本年度不再评议该部门"
    assert open_tasks(session, instance) == []
    review = session.scalars(select(HumanTask).where(HumanTask.element_id == "review")).one()
    assert review.state == "cancelled" and "terminated" in review.end_reason
    with pytest.raises(Conflict):
        instances.terminate(session, instance.id, admin, "again")
    assert events(session, instance) == ["instance_started", "instance_suspended", "instance_resumed",
                                         "task_completed", "instance_terminated", "task_cancelled"]
    suspended = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "instance_suspended")).one()
    assert suspended.reason == "部门机构改革，暂停" and suspended.data_after == {"status": "suspended"}


def test_failing_script_puts_the_instance_in_error_and_retry_continues(session, deploy, start, make_user,
                                                                        admin):
    deploy("failing")
    clerk = make_user("clerk")
    instance = start("failing", {"lane_owners": {}}, actor=clerk)
    enter = open_tasks(session, instance)[0]
    # outside any lane a task goes to whoever started the instance
    assert [c.user_id for c in enter.candidates] == [clerk.id]
    tasks.complete_task(session, enter.id, {"score": 90, "count": 0}, clerk)
    assert instance.status == "error"
    assert instance.error["element_id"] == "compute" and instance.error["line"] == 2
    assert "ZeroDivisionError" in instance.error["message"] and len(instance.error["ref"]) == 8
    assert open_tasks(session, instance) == []
    with pytest.raises(PermissionDenied):
        instances.retry(session, instance.id, clerk, {"count": 3})
    instances.retry(session, instance.id, admin, {"count": 3}, reason="人数录入错误")
    # the script now runs, then the gateway condition fails on a missing variable
    assert instance.status == "error" and instance.error["element_id"] == "gw"
    assert "threshold" in instance.error["message"]
    instances.retry(session, instance.id, admin, {"threshold": 25})
    assert instance.status == "running" and instance.error is None
    [good] = open_tasks(session, instance)
    assert good.element_id == "good"
    assert instances.task_data(session, instance)["average"] == 30
    assert events(session, instance) == ["instance_started", "task_completed", "instance_failed",
                                         "instance_retried", "instance_failed", "instance_retried"]
    assert instance.error is None


def test_error_survives_a_reload_from_the_database(session, sessions, deploy, start, admin):
    deploy("failing")
    instance = start("failing")
    tasks.complete_task(session, open_tasks(session, instance)[0].id, {"score": 1, "count": 0}, admin, reason="t")
    session.commit()
    repository.clear_caches()
    with sessions() as other:
        reloaded = other.get(ProcessInstance, instance.id)
        assert reloaded.status == "error"
        instances.retry(other, reloaded.id, other.merge(admin), {"count": 1, "threshold": 0})
        assert reloaded.status == "running"
        other.commit()


def test_multi_instance_child_needs_its_output(session, deploy, start, make_user):
    deploy("lanes")
    for name in ("dep01", "dep02"):
        make_user(name)
    office = make_user("office", groups=["评议办"])
    dept = make_user("dept", groups=["被评议部门"])
    instance = start("lanes", {"issued_on": "2023-10-31", "deputies": ["dep01", "dep02"]})
    tasks.complete_task(session, open_tasks(session, instance)[0].id, {}, office)
    tasks.complete_task(session, open_tasks(session, instance)[0].id, {}, dept)
    first = open_tasks(session, instance)[0]
    with pytest.raises(InvalidInput) as caught:
        tasks.complete_task(session, first.id, {"other": 1}, first.assignee)
    assert caught.value.errors == {"opinion": "required"}
    assert first.state == "open"
