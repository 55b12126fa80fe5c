"""BPMN messages: payload, correlation, and a clear error when nothing waits."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import NoMessageRecipient
from engine.models import AuditEvent, HumanTask, MessageWait, TaskState
from engine.services import messages


def open_titles(session, instance):
    return [(t.element_id, t.instructions) for t in session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.state == TaskState.OPEN))]


def test_message_with_payload_reaches_the_waiting_instance(session, deploy, start, admin):
    deploy("message")
    instance = start("await_plan", {"department": "D01"})
    assert instance.status == "waiting"
    assert [w.message_name for w in session.scalars(select(MessageWait))] == ["plan_submitted"]
    delivered = messages.deliver(session, "plan_submitted", {"department": "教育局", "summary": "三项整改"}, admin)
    assert delivered == [instance.id] and instance.status == "running"
    assert open_titles(session, instance) == [("review", "审阅教育局的方案：三项整改")]
    assert session.scalars(select(MessageWait)).all() == []
    event = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "message_received")).one()
    assert event.details["message"] == "plan_submitted" and event.data_after["payload"]["summary"] == "三项整改"


def test_correlation_picks_the_instance(session, deploy, start, admin):
    deploy("message")
    edu = start("await_plan", {"department": "D01"})
    health = start("await_plan", {"department": "D02"})
    delivered = messages.deliver(session, "plan_submitted", {"department": "卫健局", "summary": "五项"}, admin,
                                 correlation={"department": "D02"})
    assert delivered == [health.id]
    assert (edu.status, health.status) == ("waiting", "running")


def test_nothing_waiting_is_a_clear_error(session, deploy, start, admin):
    deploy("message")
    start("await_plan", {"department": "D01"})
    with pytest.raises(NoMessageRecipient) as caught:
        messages.deliver(session, "plan_submitted", {}, admin, correlation={"department": "D99"})
    assert "plan_submitted" in caught.value.message and "D99" in caught.value.message
    with pytest.raises(NoMessageRecipient):
        messages.deliver(session, "no_such_message", {}, admin)
    assert session.scalars(select(AuditEvent).where(AuditEvent.event_type == "message_received")).all() == []
