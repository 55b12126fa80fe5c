"""Timers: calendar months, due rows, firing with a moved clock, catch-up, several workers."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine import clock, dates
from engine.models import AuditEvent, HumanTask, ProcessInstance, TaskState, Timer
from engine.services import instances, tasks, timers

CST = timedelta(hours=8)


def cst(*args) -> datetime:
    """A China Standard Time wall-clock moment, as aware UTC."""
    return datetime(*args, tzinfo=UTC) - CST


def open_tasks(session, instance):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.state == TaskState.OPEN)
                           .order_by(HumanTask.id)).all()


def timer_rows(session, instance):
    return session.scalars(select(Timer).where(Timer.instance_id == instance.id).order_by(Timer.due_at)).all()


@pytest.fixture
def fire(session, sessions):
    """Run the timer worker as a separate process would: our own transaction must be closed first
    (on SQLite an open transaction holds the write lock)."""

    def run() -> int:
        session.commit()
        count = timers.run_due_timers(sessions)
        session.expire_all()
        return count

    return run


def fired_events(session):
    return [(e.instance_id, e.element_id) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "timer_fired").order_by(AuditEvent.id))]


@pytest.mark.parametrize("start, months, expected", [
    ("2023-01-31", 1, "2023-02-28"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2023-10-31", 1, "2023-11-30"),
    ("2023-10-31", 2, "2023-12-31"),
    ("2025-12-31", 2, "2026-02-28"),
    ("2023-03-31", -1, "2023-02-28"),
])
def test_add_months_is_a_calendar_month(start, months, expected):
    assert dates.add_months(start, months) == expected
    assert dates.add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)


def test_add_months_keeps_the_time_of_day():
    assert dates.add_months("2023-01-31T09:30:00+08:00", 1) == "2023-02-28T09:30:00+08:00"


def test_spiffs_p1m_is_not_a_calendar_month():
    """Why models must use add_months: SpiffWorkflow adds the day count of the start month."""
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

    start = datetime(2023, 1, 31, tzinfo=UTC)
    delta = TimerEventDefinition.get_timedelta_from_start({"months": 1}, start)
    assert (start + delta).date() == date(2023, 3, 3)
    assert dates.add_months(start.date(), 1) == date(2023, 2, 28)


@pytest.fixture
def rectify(session, deploy, start, make_user):
    deploy("timers")
    people = {"dept": make_user("dept", groups=["被评议部门"]), "office": make_user("office", groups=["评议办"])}
    clock.set_now(cst(2023, 10, 31, 10, 0))

    def begin(issued_on="2023-10-31"):
        return start("rectify", {"issued_on": issued_on})

    return begin, people


def test_waiting_timers_have_due_rows(session, rectify):
    begin, _ = rectify
    instance = begin()
    assert instance.status == "running"
    rows = timer_rows(session, instance)
    assert [(r.element_id, r.due_at) for r in rows] == [
        ("remind", cst(2023, 11, 23, 23, 59, 59)),   # 7 days before the 1-month deadline
        ("overdue", cst(2023, 11, 30, 23, 59, 59)),  # 2023-10-31 + 1 calendar month
    ]
    [plan] = open_tasks(session, instance)
    assert plan.due_at == cst(2023, 11, 30, 23, 59, 59)


def test_reminder_then_escalation(session, fire, rectify):
    begin, people = rectify
    instance = begin()
    session.commit()
    clock.set_now(cst(2023, 11, 20))
    assert fire() == 0
    clock.set_now(cst(2023, 11, 24, 0, 0, 1))
    assert fire() == 1
    session.expire_all()
    assert fired_events(session) == [(instance.id, "remind")]
    [plan] = open_tasks(session, instance)
    assert plan.element_id == "plan"  # the reminder does not interrupt
    assert instances.task_data(session, session.get(ProcessInstance, instance.id))["reminded"] is True
    assert [r.element_id for r in timer_rows(session, instance)] == ["overdue"]
    clock.set_now(cst(2023, 12, 1, 8, 0))
    assert fire() == 1
    session.expire_all()
    [escalate] = open_tasks(session, instance)
    assert escalate.element_id == "escalate" and escalate.lane == "评议办"
    plan = session.get(HumanTask, plan.id)
    assert plan.state == "cancelled" and plan.end_reason == "engine"
    assert timer_rows(session, instance) == []
    types = [e.event_type for e in session.scalars(
        select(AuditEvent).where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.id))]
    assert types == ["instance_started", "timer_fired", "timer_fired", "task_cancelled"]
    assert fire() == 0


def test_completing_in_time_cancels_the_timers(session, rectify):
    begin, people = rectify
    instance = begin()
    clock.set_now(cst(2023, 11, 10))
    tasks.complete_task(session, open_tasks(session, instance)[0].id, {}, people["dept"])
    assert instance.status == "completed" and timer_rows(session, instance) == []


def test_catch_up_after_downtime(session, fire, rectify):
    begin, _ = rectify
    instance = begin()
    session.commit()
    clock.set_now(cst(2024, 1, 15))  # the worker was down for weeks
    assert fire() == 2
    session.expire_all()
    assert fired_events(session) == [(instance.id, "remind"), (instance.id, "overdue")]
    assert [t.element_id for t in open_tasks(session, instance)] == ["escalate"]


def test_suspended_instances_wait_until_resumed(session, fire, rectify, admin):
    begin, _ = rectify
    instance = begin()
    instances.suspend(session, instance.id, admin, "暂停")
    session.commit()
    clock.set_now(cst(2024, 1, 15))
    assert fire() == 0
    session.expire_all()
    instances.resume(session, instance.id, admin, "恢复")
    session.commit()
    assert fire() == 2


def test_two_workers_fire_each_timer_once(session, sessions, rectify):
    begin, _ = rectify
    created = [begin() for _ in range(12)]
    session.commit()
    clock.set_now(cst(2023, 12, 5))
    counts = []
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        counts.append(timers.run_due_timers(sessions))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(counts) == 24, counts
    session.expire_all()
    fired = fired_events(session)
    assert sorted(fired) == sorted((i.id, e) for i in created for e in ("remind", "overdue"))
    assert session.scalar(select(func.count(Timer.id))) == 0
    assert session.scalar(select(func.count(HumanTask.id)).where(HumanTask.element_id == "escalate")) == 12


def test_boundary_timer_on_multi_instance_removes_the_remaining_tasks(session, fire, deploy, start,
                                                                       make_user):
    deploy("mi_timer")
    deputies = [make_user(f"dep{i}") for i in range(3)]
    clock.set_now(cst(2023, 6, 1, 9, 0))
    instance = start("mi_timer", {"deputies": [d.username for d in deputies]})
    [row] = timer_rows(session, instance)
    assert row.due_at == cst(2023, 6, 11, 9, 0)  # "P10D" from when the timer started waiting
    children = open_tasks(session, instance)
    assert len(children) == 3
    tasks.complete_task(session, children[0].id, {"text": "按时提交"}, children[0].assignee)
    session.commit()
    clock.set_now(cst(2023, 6, 11, 9, 0, 1))
    assert fire() == 1
    session.expire_all()
    states = {t.id: t.state for t in session.scalars(select(HumanTask).where(HumanTask.element_id == "opinion"))}
    assert states == {children[0].id: "completed", children[1].id: "cancelled", children[2].id: "cancelled"}
    assert [t.element_id for t in open_tasks(session, instance)] == ["summarise"]
    assert tasks.my_tasks(session, deputies[1]) == []
    cancelled = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "task_cancelled")).all()
    assert {e.task_guid for e in cancelled} == {children[1].task_guid, children[2].task_guid}
