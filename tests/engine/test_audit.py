"""The audit trail: every change recorded, chained by hash, tampering detected."""
from __future__ import annotations

from sqlalchemy import select, text, update

from engine import audit
from engine.models import AuditEvent, HumanTask
from engine.services import tasks


def run_some_work(session, deploy, start, make_user):
    deploy("approval")
    drafter = make_user("drafter", groups=["起草人"])
    instance = start("approval", {"unit": "教育局"})
    task = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)).one()
    tasks.claim(session, task.id, drafter)
    tasks.complete_task(session, task.id, {"title": "方案一"}, drafter)
    session.commit()
    return instance


def test_events_are_chained_and_verify(session, deploy, start, make_user):
    run_some_work(session, deploy, start, make_user)
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.event_type for e in events] == [
        "user_created", "version_deployed", "user_created", "group_created", "group_member_added",
        "instance_started", "task_claimed", "task_completed"]
    assert events[0].prev_hash == audit.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))
    assert audit.verify(session) == (len(events), None)


def test_an_edited_row_is_reported(session, deploy, start, make_user):
    run_some_work(session, deploy, start, make_user)
    target = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "task_claimed")).one()
    # tamper directly in the database, as someone with SQL access would
    session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(actor_name="someone_else"))
    session.commit()
    session.expire_all()
    count, broken = audit.verify(session)
    assert broken is not None and broken.event_id == target.id
    assert "content does not match" in broken.problem


def test_an_edited_json_value_is_reported(session, deploy, start, make_user):
    run_some_work(session, deploy, start, make_user)
    target = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "task_completed")).one()
    session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(data_after={"title": "篡改"}))
    session.commit()
    session.expire_all()
    assert audit.verify(session)[1].event_id == target.id


def test_a_deleted_row_is_reported(session, deploy, start, make_user):
    run_some_work(session, deploy, start, make_user)
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    victim_id, follower_id = events[2].id, events[3].id
    session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": victim_id})
    session.commit()
    session.expire_all()
    broken = audit.verify(session)[1]
    assert broken.event_id == follower_id and "#3 to #3 before it are missing" in broken.problem


def test_a_removed_tail_is_reported(session, deploy, start, make_user):
    run_some_work(session, deploy, start, make_user)
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    last_seq = last.seq
    session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": last.id})
    session.commit()
    session.expire_all()
    broken = audit.verify(session)[1]
    assert broken is not None and broken.seq == last_seq and "removed" in broken.problem


def test_a_replaced_row_is_reported(session, deploy, start, make_user):
    """Rewriting a row with a freshly computed hash still breaks the next event's link."""
    run_some_work(session, deploy, start, make_user)
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    target, follower_id = events[4], events[5].id
    target.reason = "forged"
    target.hash = audit.compute_hash(target)
    session.commit()
    session.expire_all()
    broken = audit.verify(session)[1]
    assert broken.event_id == follower_id and "link" in broken.problem


def test_changed_values_are_recorded_before_and_after():
    before = {"title": "旧", "score": 3, "same": 1}
    assert audit.changed(before, {"title": "新", "same": 1, "added": True}) == (
        {"title": "旧", "added": None}, {"title": "新", "added": True})


def test_the_hash_is_sha256_of_the_canonical_json_of_the_event():
    """The field-by-field encoding must equal one json.dumps of the whole event (chains from before stay valid)."""
    import hashlib
    import json
    from datetime import UTC, datetime

    event = {"seq": 7, "event_type": "task_completed", "created_at": datetime(2026, 3, 1, 8, 30, 5, 12, tzinfo=UTC),
             "actor_id": None, "actor_name": '赵"主任\\\n', "instance_id": 3, "process_id": "plan",
             "task_guid": "a-b", "element_id": "write_plan", "reason": "\u2028 tab\t",
             "data_before": {"z": [1, 2.5, True, None], "a": "教育局"}, "data_after": {"done": False},
             "details": {"nested": {"b": 1, "a": "\x01"}}, "prev_hash": "0" * 64}
    content = dict(event, created_at=event["created_at"].isoformat())
    text_ = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert audit.compute_hash(event) == hashlib.sha256(text_.encode()).hexdigest()
    flipped = dict(event, data_after={"done": True})
    assert audit.compute_hash(flipped) != audit.compute_hash(event)
