"""Firing due timers, exactly once, from any number of workers.

Each waiting timer has a `timer` row with its due time. A worker picks one due row at a time
inside its own transaction: on PostgreSQL with `SELECT ... FOR UPDATE SKIP LOCKED` (other
workers skip it), on SQLite under the write lock every transaction takes at BEGIN. It fires
every due timer of that instance, saves (revision-guarded) and commits. A timer that fired is
no longer waiting, so its row is gone before any other worker can pick it.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine import audit, clock, connectors, repository, runtime
from engine.errors import ScriptError
from engine.models import ProcessInstance, Timer
from engine.repository import StaleRevision
from engine.services.instances import fail, record_projection

log = logging.getLogger("pingyi.timers")


def pick_due(session: Session, now, skip: set[int]) -> Timer | None:
    query = (select(Timer).join(ProcessInstance, ProcessInstance.id == Timer.instance_id)
             .where(Timer.due_at < now, ProcessInstance.status.in_(("running", "waiting", "error")))
             .order_by(Timer.due_at, Timer.id).limit(1))
    if skip:
        query = query.where(Timer.instance_id.notin_(skip))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Timer)
    return session.scalars(query).first()


def fire_due(session: Session, instance_id: int, actor=None) -> list[str]:
    """Fire the instance's due timers and run on; returns the element ids that fired."""
    instance = repository.get_instance(session, instance_id, refresh=True)
    now = clock.now()
    workflow = repository.load(session, instance)
    due = {t.task_guid: t for t in runtime.waiting_timers(workflow) if t.due_at < now}
    error = None
    try:
        with connectors.bound(session, actor, instance):
            runtime.advance(workflow)
    except ScriptError as exc:
        error = exc
    still = {t.task_guid: t for t in runtime.waiting_timers(workflow)}
    fired = [t for guid, t in due.items() if guid not in still or still[guid].due_at != t.due_at]
    changes = repository.persist(session, instance, workflow)
    for timer in fired:
        audit.record(session, "timer_fired", actor, instance=instance, task_guid=timer.task_guid,
                     element_id=timer.element_id,
                     details={"name": timer.name, "due_at": timer.due_at.isoformat(), "fired_at": now.isoformat()})
    if error is not None:
        fail(session, instance, error, actor, already_saved=True)
    record_projection(session, instance, changes, actor)
    return [t.element_id for t in fired]


def run_due_timers(session_factory: sessionmaker, limit: int | None = None) -> int:
    """Fire what is due now, one instance per transaction; returns how many timers fired."""
    fired = 0
    skip: set[int] = set()
    while limit is None or fired < limit:
        with session_factory() as session:
            timer = pick_due(session, clock.now(), skip)
            if timer is None:
                session.rollback()
                break
            instance_id = timer.instance_id
            skip.add(instance_id)  # at most once per run, even if nothing could fire
            try:
                fired += len(fire_due(session, instance_id))
                session.commit()
            except StaleRevision:
                session.rollback()  # someone else moved this instance; its timers are theirs
            except Exception:
                session.rollback()
                log.exception("firing timers of instance %s failed", instance_id)
    return fired
