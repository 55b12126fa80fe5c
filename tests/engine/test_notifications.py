"""Notifications: a reminder reaches whoever holds the task (the assignee, else the active candidates), a
group's members are told, each reads only their own, and the shipped rectification model reminds the
department seven days before its deadline."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engine import bpmn, clock, connectors
from engine.connectors import OperationError
from engine.errors import InvalidInput, NotFound
from engine.models import AuditEvent, HumanTask, HumanTaskCandidate, Notification, TaskState
from engine.services import instances, notifications, processes, tasks, timers, users
from tests.conftest import ROOT

CST = timedelta(hours=8)


def mine(session, user) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


@pytest.fixture
def open_task(session, deploy, start, make_user):
    """An open task of the approval model offered to the group 评议办 and to one named user."""
    deploy("approval")
    instance = start("approval", {"amount": 10})
    task = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.state == TaskState.OPEN)).first()
    people = {"wang": make_user("wang", groups=["评议办"]), "li": make_user("li", groups=["评议办"]),
              "gone": make_user("gone", groups=["评议办"]), "zhao": make_user("zhao"), "other": make_user("other")}
    users.set_active(session, "gone", False, None, "调离")
    session.execute(HumanTaskCandidate.__table__.delete().where(HumanTaskCandidate.human_task_id == task.id))
    session.add_all([HumanTaskCandidate(human_task_id=task.id, group_id=users.get_group(session, "评议办").id),
                     HumanTaskCandidate(human_task_id=task.id, user_id=people["zhao"].id)])
    session.flush()
    return instance, task, people


def test_an_unclaimed_task_reminds_every_active_candidate_once(session, open_task):
    instance, task, people = open_task
    assert [u.username for u in notifications.holders(session, task)] == ["wang", "li", "zhao"]
    sent = notifications.remind_holders(session, instance, task.element_id, "方案 7 天后到期：教育局",
                                        "请在 2023-11-30 前提交。")
    assert sent == 3
    [note] = mine(session, people["wang"])
    assert (note.kind, note.title, note.body, note.human_task_id, note.instance_id, note.read_at) == (
        "reminder", "方案 7 天后到期：教育局", "请在 2023-11-30 前提交。", task.id, instance.id, None)
    assert mine(session, people["gone"]) == [] and mine(session, people["other"]) == []
    event = session.scalar(select(AuditEvent).where(AuditEvent.event_type == "notification_sent"))
    assert event.details["to"] == ["li", "wang", "zhao"] and event.element_id == task.element_id


def test_a_claimed_task_reminds_only_its_assignee(session, open_task):
    instance, task, people = open_task
    tasks.claim(session, task.id, people["li"])
    assert notifications.remind_holders(session, instance, task.element_id, "提醒") == 1
    assert len(mine(session, people["li"])) == 1 and mine(session, people["wang"]) == []


def test_no_open_task_means_nobody_is_told(session, open_task):
    instance, _task, _people = open_task
    assert notifications.remind_holders(session, instance, "no_such_element", "提醒") == 0
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.event_type == "notification_sent")) is None


def test_each_reads_only_their_own_and_marks_them_read(session, open_task):
    instance, task, people = open_task
    notifications.remind_holders(session, instance, task.element_id, "第一条")
    notifications.notify_groups(session, ["评议办"], "第二条", kind="overdue", instance=instance)
    wang, li = people["wang"], people["li"]
    assert notifications.unread_count(session, wang) == 2
    page = notifications.page_for(session, wang)
    assert [n.title for n in page.rows] == ["第二条", "第一条"] and page.total == 2
    first = page.rows[1]
    with pytest.raises(NotFound):
        notifications.get_own(session, li, first.id)
    with pytest.raises(NotFound):
        notifications.mark_read(session, li, first.id)
    assert notifications.mark_read(session, wang, first.id) == 1
    session.expire_all()
    assert notifications.unread_count(session, wang) == 1 and notifications.unread_count(session, li) == 2
    assert [n.title for n in notifications.page_for(session, wang).rows] == ["第二条", "第一条"]  # unread first
    assert notifications.mark_read(session, wang) == 1 and notifications.unread_count(session, wang) == 0


@pytest.mark.parametrize("kind, title, code", [("spam", "x", "kind"), ("message", "  ", "title")])
def test_bad_notifications_are_refused(session, open_task, kind, title, code):
    _instance, _task, people = open_task
    with pytest.raises(InvalidInput) as refused:
        notifications.send(session, [people["wang"]], title, kind=kind)
    assert code in refused.value.errors


def test_the_operations_tell_holders_once_the_step_is_saved_and_groups_at_once(session, open_task):
    instance, task, people = open_task
    with connectors.bound(session, None, instance):
        assert connectors.call("notify.holders", {"task": task.element_id, "title": "到期提醒"}) == {"queued": True}
        assert connectors.call("notify.groups", {"groups": ["评议办"], "title": "通知", "text": "明天开会"}) == \
            {"notified": 2}
        with pytest.raises(OperationError):
            connectors.call("notify.holders", {"task": task.element_id, "title": "x", "kind": "spam"})
    assert mine(session, people["zhao"]) == []  # not before the step is saved
    assert notifications.send_queued(session, instance) == 3
    assert [n.title for n in mine(session, people["zhao"])] == ["到期提醒"]
    assert notifications.send_queued(session, instance) == 0  # sent once


def test_one_who_left_or_an_auditor_is_not_who_is_reminded(session, open_task, make_user):
    instance, task, people = open_task
    auditor = make_user("watcher", groups=["评议办"], is_auditor=True)  # may read, may work on nothing
    assert auditor not in notifications.holders(session, task)
    tasks.claim(session, task.id, people["li"])
    users.set_active(session, "li", False, None, "调离")  # left, still holding the task
    assert [u.username for u in notifications.holders(session, task)] == ["wang", "zhao"]


def test_the_rectification_model_reminds_the_department_seven_days_ahead(session, sessions, admin, make_user):
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin)
    edu = make_user("edu_contact", groups=["被评议部门", "教育局"])
    health = make_user("health_contact", groups=["被评议部门", "卫健局"])
    office = make_user("office", groups=["评议办"])
    clock.set_now(datetime(2023, 10, 31, 9, tzinfo=UTC) - CST)
    instance = instances.start_instance(session, "rectification", office, {
        "department": "教育局", "department_group": "教育局", "committee_group": "教科文卫工委",
        "issued_on": "2023-10-31", "opinions": [{"problem": "课后服务覆盖不足"}]})
    session.commit()
    clock.set_now(datetime(2023, 11, 23, 1, tzinfo=UTC))  # 23 November, 09:00 in Beijing: a week ahead
    assert timers.run_due_timers(sessions) == 1
    session.expire_all()
    [note] = mine(session, edu)
    plan = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                  HumanTask.element_id == "submit_plan"))
    assert note.title == "整改方案 7 天后到期：教育局" and note.body == "请在 2023-11-30 前提交教育局的整改方案。"
    assert note.human_task_id == plan.id and plan.state == TaskState.OPEN
    assert mine(session, health) == [] and mine(session, office) == []
    session.commit()


def test_a_reminder_whose_time_has_passed_reaches_the_department_when_the_task_opens(session, admin, make_user):
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin)
    edu = make_user("edu_contact", groups=["教育局"])
    office = make_user("office", groups=["评议办"])
    clock.set_now(datetime(2023, 11, 25, 9, tzinfo=UTC) - CST)  # plan due 11-30: the reminder was due on 11-23
    instance = instances.start_instance(session, "rectification", office, {
        "department": "教育局", "department_group": "教育局", "committee_group": "教科文卫工委",
        "issued_on": "2023-10-31", "opinions": [{"problem": "课后服务覆盖不足"}]})
    session.flush()
    assert instance.status == "running" and instance.error is None, instance.error
    [note] = mine(session, edu)
    plan = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                  HumanTask.element_id == "submit_plan"))
    assert note.human_task_id == plan.id and note.title == "整改方案 5 天后到期：教育局"  # what is left
    assert mine(session, office) == []


def test_the_holders_of_an_overdue_task_are_told_once(session, sessions, open_task):
    instance, task, people = open_task
    task.due_at = clock.now() + timedelta(days=1)
    session.commit()
    assert notifications.notify_overdue(sessions) == 0  # not yet
    clock.advance(timedelta(days=2))
    assert notifications.notify_overdue(sessions) == 3  # the group's active members and the named user
    assert notifications.notify_overdue(sessions) == 0  # once per task
    session.expire_all()
    [told] = mine(session, people["wang"])
    assert (told.kind, told.title, told.human_task_id, told.instance_id) == ("overdue", task.title, task.id,
                                                                               instance.id)
    assert mine(session, people["gone"]) == [] and mine(session, people["other"]) == []


def test_no_overdue_notice_for_a_suspended_process_or_a_done_task(session, sessions, open_task, admin):
    instance, task, people = open_task
    task.due_at = clock.now() - timedelta(hours=1)
    instances.suspend(session, instance.id, admin, "暂缓")
    session.commit()
    assert notifications.notify_overdue(sessions) == 0  # nobody can work on it now
    instances.resume(session, instance.id, admin, "继续")
    tasks.complete_task(session, task.id, {"title": "整改方案"}, people["wang"])
    session.commit()
    assert notifications.notify_overdue(sessions) == 0  # done, though late
    session.expire_all()
    assert session.scalar(select(Notification.id).where(Notification.kind == "overdue")) is None
