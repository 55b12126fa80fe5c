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
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from engine import clock, connectors
from engine.db import canonical_json
from engine.models import AuditEvent, AuditHead, User
from engine.serializer import json_safe

GENESIS = "0" * 64
HEAD_ID = 1
SYSTEM_NAME = "system"


HASHED = ("seq", "event_type", "created_at", "actor_id", "actor_name", "instance_id", "process_id",
          "task_guid", "element_id", "reason", "data_before", "data_after", "details", "prev_hash")


JSON_FIELDS = ("data_before", "data_after", "details")
_SORTED = tuple(sorted(HASHED))
_TEMPLATE = "{" + ",".join(f'"{name}":%s' for name in _SORTED) + "}"  # one JSON object, keys sorted
_encode_text = json.encoder.encode_basestring  # what json.dumps does to a str with ensure_ascii=False


def _encoded(value) -> str:
    kind = value.__class__
    if value is None:
        return "null"
    if kind is str:
        return _encode_text(value)
    if kind is int:
        return str(value)
    if kind is datetime:
        return f'"{value.isoformat()}"'  # nothing in an ISO time needs escaping
    return canonical_json(value)


def compute_hash(event, encoded: dict[str, str] | None = None) -> str:
    """SHA-256 over the hashed fields of an event (a mapping, a result row or an AuditEvent) and its
    predecessor's hash: the fields as one JSON object (`canonical_json`), written field by field.

    `encoded`: JSON fields the caller already turned into `canonical_json` (an export shows them too)."""
    get = event.__getitem__ if isinstance(event, dict) else event.__getattribute__
    if encoded:
        parts = tuple(encoded[name] if name in encoded else _encoded(get(name)) for name in _SORTED)
    else:
        parts = tuple(_encoded(get(name)) for name in _SORTED)
    return hashlib.sha256((_TEMPLATE % parts).encode()).hexdigest()


_EVENTS = AuditEvent.__table__
_HEADS = AuditHead.__table__
_READ_HEAD = select(_HEADS.c.last_seq, _HEADS.c.last_hash).where(_HEADS.c.id == HEAD_ID).with_for_update()
_WRITE_HEAD = update(_HEADS).where(_HEADS.c.id == HEAD_ID).values(
    last_seq=bindparam("seq"), last_hash=bindparam("hash"))
_INSERT = insert(_EVENTS)
_HEAD_KEY = "pingyi.audit_head"


def _head(session: Session) -> tuple[int, str]:
    """(last seq, last hash), locked for this transaction; read once per transaction."""
    transaction = session.get_transaction()
    cached = session.info.get(_HEAD_KEY)
    if cached is not None and cached[0] is transaction:
        return cached[1], cached[2]
    row = session.connection().execute(_READ_HEAD).first()
    if row is None:
        raise RuntimeError("the audit_head row is missing; run `pingyi db upgrade`")
    return row[0], row[1]


# details of an event a service task's operation recorded: the process did it, when the `actor`
# completed the step before (engine/connectors.py)
BY_PROCESS = "by_process"
VIA_TOKEN = "pingyi.via_token"  # session.info: (token id, user id) of the API token this request came with


def record(session: Session, event_type: str, actor: User | None, *, instance=None,
           task_guid: str | None = None, element_id: str | None = None, reason: str | None = None,
           before: dict | None = None, after: dict | None = None, details: dict | None = None,
           process_id: str | None = None) -> dict:
    """Append one event, returned as the dict of its columns.

    `instance` may be a ProcessInstance (its id and process are taken). An event of a request that
    came with an API token names the token (`via_token` in its details); one a service task's
    operation records is the process's (`by_process`), the actor having completed the step before.

    Written with core statements (no ORM flush): the head row is locked on first use in a
    transaction and moved forward with every event.
    """
    via = session.info.get(VIA_TOKEN)
    if via is not None and actor is not None and via[1] == actor.id:  # what a program did with a token
        details = {**(details or {}), "via_token": via[0]}
    if actor is not None and connectors.running() and not (details or {}).get(BY_PROCESS):
        details = {**(details or {}), BY_PROCESS: True}  # the process acted; the actor's step led to it
    last_seq, last_hash = _head(session)
    event = {
        "seq": last_seq + 1,
        "event_type": event_type,
        "created_at": clock.now(),
        "actor_id": actor.id if actor is not None else None,
        "actor_name": actor.username if actor is not None else SYSTEM_NAME,
        "instance_id": instance.id if instance is not None else None,
        "process_id": process_id or (instance.process_id if instance is not None else None),
        "task_guid": task_guid,
        "element_id": element_id,
        "reason": reason,
        "data_before": json_safe(before) if before is not None else None,
        "data_after": json_safe(after) if after is not None else None,
        "details": json_safe(details) if details is not None else None,
        "prev_hash": last_hash,
    }
    event["hash"] = compute_hash(event)
    connection = session.connection()
    connection.execute(_INSERT, event)
    connection.execute(_WRITE_HEAD, {"seq": event["seq"], "hash": event["hash"]})
    session.info[_HEAD_KEY] = (session.get_transaction(), event["seq"], event["hash"])
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
    seq: int
    problem: str
    kind: str = ""   # missing | link | content | removed | replaced | added


_SNAPSHOT = select(_HEADS.c.last_seq, _HEADS.c.last_hash,
                   select(func.max(_EVENTS.c.seq)).scalar_subquery()).where(_HEADS.c.id == HEAD_ID)


def verify(session: Session, batch: int = 2000, release: bool = False) -> tuple[int, Break | None]:
    """Walk the chain in sequence order. Returns (events checked, first break or None).

    The head and the highest seq are read first, in one statement (one snapshot), and the walk
    stops at that head: events appended while it runs are left for the next check, so a busy
    system is never reported broken. `release`: end the read transaction after every batch (on
    SQLite a transaction holds the write lock; a page must not stall writers for seconds)."""
    snapshot = session.execute(_SNAPSHOT).first()
    head_seq, head_hash, max_seq = snapshot if snapshot is not None else (None, None, None)
    if release:
        session.rollback()
    previous, expected, count = GENESIS, 1, 0
    for event in _iterate(session, batch, head_seq, release):
        count += 1
        if event.seq != expected:
            return count, Break(event.id, event.seq, f"events #{expected} to #{event.seq - 1} before it are missing",
                                "missing")
        if event.prev_hash != previous:
            return count, Break(event.id, event.seq, "its link to the previous event does not match "
                                                     "(an event before it was changed or replaced)", "link")
        if compute_hash(event) != event.hash:
            return count, Break(event.id, event.seq, "its content does not match its hash (the row was edited)",
                                "content")
        previous, expected = event.hash, expected + 1
    last = expected - 1
    if head_seq is None:
        return count, None
    if last != head_seq:
        return count, Break(None, last + 1, f"the chain ends at #{last} but #{head_seq} events were "
                                            "recorded (events at the end were removed)", "removed")
    if previous != head_hash:
        return count, Break(None, last, f"event #{last} is not the one recorded as the last (it was replaced)",
                            "replaced")
    if max_seq is not None and max_seq > head_seq:
        return count, Break(None, head_seq + 1, f"events #{head_seq + 1} to #{max_seq} were added "
                                                "after the recorded end of the chain", "added")
    return count, None


def _iterate(session: Session, batch: int, upto: int | None, release: bool) -> Iterator[AuditEvent]:
    after = 0
    while True:
        query = select(AuditEvent).where(AuditEvent.seq > after)
        if upto is not None:
            query = query.where(AuditEvent.seq <= upto)
        rows = session.scalars(query.order_by(AuditEvent.seq).limit(batch)).all()
        for row in rows:  # keep memory flat on long chains
            session.expunge(row)
        if release:
            session.rollback()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
