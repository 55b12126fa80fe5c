"""The append-only audit trail, chained by hash.

Each event's `hash` is SHA-256 over its content and the previous event's hash; the
`audit_head` row names the last event and is locked by every writer (`SELECT ... FOR UPDATE`
on PostgreSQL; SQLite transactions already hold the write lock), so the chain never forks.
`verify` walks the chain and names the first row whose content or link does not match.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.models import AuditEvent, AuditHead, User
from engine.serializer import json_safe

GENESIS = "0" * 64
HEAD_ID = 1
SYSTEM_NAME = "system"


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "event_type": event.event_type,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "instance_id": event.instance_id,
        "process_id": event.process_id,
        "task_guid": event.task_guid,
        "element_id": event.element_id,
        "reason": event.reason,
        "data_before": event.data_before,
        "data_after": event.data_after,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _head(session: Session) -> AuditHead:
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=HEAD_ID, last_event_id=None, last_hash=GENESIS)
        session.add(head)
    return head


def record(session: Session, event_type: str, actor: User | None, *, instance=None,
           task_guid: str | None = None, element_id: str | None = None, reason: str | None = None,
           before: dict | None = None, after: dict | None = None, details: dict | None = None,
           process_id: str | None = None) -> AuditEvent:
    """Append one event. `instance` may be a ProcessInstance (its id and process are taken)."""
    head = _head(session)
    event = AuditEvent(
        event_type=event_type,
        created_at=clock.now(),
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else SYSTEM_NAME,
        instance_id=instance.id if instance is not None else None,
        process_id=process_id or (instance.process_id if instance is not None else None),
        task_guid=task_guid,
        element_id=element_id,
        reason=reason,
        data_before=json_safe(before) if before is not None else None,
        data_after=json_safe(after) if after is not None else None,
        details=json_safe(details) if details is not None else None,
        prev_hash=head.last_hash,
    )
    event.hash = compute_hash(event)
    session.add(event)
    session.flush()
    head.last_event_id = event.id
    head.last_hash = event.hash
    return event


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """The keys of `after` whose value differs from `before`: (old values, new values)."""
    old, new = {}, {}
    for key, value in after.items():
        if key not in before or before[key] != value:
            old[key] = before.get(key)
            new[key] = value
    return old, new


@dataclass(frozen=True)
class Break:
    event_id: int | None
    problem: str


def verify(session: Session, batch: int = 2000) -> tuple[int, Break | None]:
    """Walk the chain in id order. Returns (events checked, first break or None)."""
    previous = GENESIS
    count = 0
    last_id = None
    for event in _iterate(session, batch):
        count += 1
        if event.prev_hash != previous:
            return count, Break(event.id, "its link to the previous event does not match "
                                          "(an event before it was changed, removed or inserted)")
        if compute_hash(event) != event.hash:
            return count, Break(event.id, "its content does not match its hash (the row was edited)")
        previous = event.hash
        last_id = event.id
    head = session.get(AuditHead, HEAD_ID)
    if head is not None and (head.last_event_id != last_id or head.last_hash != previous):
        return count, Break(head.last_event_id, "the chain ends before the recorded last event "
                                                "(events at the end were removed)")
    return count, None


def _iterate(session: Session, batch: int) -> Iterator[AuditEvent]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id
        for row in rows:  # keep memory flat on long chains
            session.expunge(row)
