"""The append-only audit trail, chained by hash.

Each event's `hash` is SHA-256 over its content and the previous event's hash; the
`audit_head` row names the last event and is locked by every writer (`SELECT ... FOR UPDATE`
on PostgreSQL; SQLite transactions already hold the write lock), so the chain never forks.
`verify` walks the chain and names the first row whose content or link does not match.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Text, bindparam, cast, func, insert, select, update
from sqlalchemy.orm import Session

from engine import clock, connectors
from engine.db import canonical_json
from engine.models import AuditEvent, AuditHead, User
from engine.models.audit import UNREADABLE
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


@dataclass(frozen=True)
class Walk:
    """Where a check of the chain stands: the head it stops at (read once, when it began) and the
    last event it found sound. A page checks a long chain in steps, carrying this between requests."""
    head_seq: int | None
    head_hash: str | None
    max_seq: int | None
    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS


def verify(session: Session, batch: int = 5000, release: bool = False) -> tuple[int, Break | None]:
    """Walk the whole chain in sequence order. Returns (events checked, first break or None)."""
    state, broken, _ = walk(session, begin(session, release), batch=batch, release=release)
    return state.checked, broken


def begin(session: Session, release: bool = False) -> Walk:
    """The head and the highest seq, read in one statement (one snapshot): the walk stops at that
    head, so events appended while it runs are left for the next check and a busy system is never
    reported broken. `release`: end the read transaction after every statement (on SQLite a
    transaction holds the write lock; a page must not stall writers for seconds)."""
    snapshot = session.execute(_SNAPSHOT).first()
    if release:
        session.rollback()
    return Walk(*(snapshot if snapshot is not None else (None, None, None)))


def walk(session: Session, state: Walk, *, batch: int = 5000, release: bool = False,
         until: float | None = None) -> tuple[Walk, Break | None, bool]:
    """Check the chain on from `state`: (where it stands, the first break or None, whether it is done).

    `until` (a `time.monotonic()` value): stop after the batch that passes it, not done."""
    checked, expected, previous = state.checked, state.last_seq + 1, state.last_hash
    for rows in _batches(session, batch, state.last_seq, state.head_seq, release):
        for event, encoded in rows:
            checked += 1
            seq = event["seq"]
            if seq != expected:
                return _at(state, checked), Break(event["id"], seq, f"events #{expected} to #{seq - 1} before it are "
                                                                    "missing", "missing"), True
            if event["prev_hash"] != previous:
                return _at(state, checked), Break(event["id"], seq, "its link to the previous event does not match "
                                                  "(an event before it was changed or replaced)", "link"), True
            if compute_hash(event, encoded) != event["hash"]:
                return _at(state, checked), Break(event["id"], seq, "its content does not match its hash (the row "
                                                                    "was edited)", "content"), True
            previous, expected = event["hash"], expected + 1
        if until is not None and len(rows) == batch and time.monotonic() > until:  # a short batch was the last
            return _at(state, checked, expected - 1, previous), None, False
    state = _at(state, checked, expected - 1, previous)
    return state, _end_break(state), True


def _at(state: Walk, checked: int, last_seq: int | None = None, last_hash: str | None = None) -> Walk:
    return replace(state, checked=checked, last_seq=state.last_seq if last_seq is None else last_seq,
                   last_hash=state.last_hash if last_hash is None else last_hash)


def _end_break(state: Walk) -> Break | None:
    """What is wrong at the end of a chain walked to its head without a break, if anything."""
    last, head_seq, max_seq = state.last_seq, state.head_seq, state.max_seq
    if head_seq is None:
        return None
    if last != head_seq:
        return Break(None, last + 1, f"the chain ends at #{last} but #{head_seq} events were "
                                     "recorded (events at the end were removed)", "removed")
    if state.last_hash != state.head_hash:
        return Break(None, last, f"event #{last} is not the one recorded as the last (it was replaced)", "replaced")
    if max_seq is not None and max_seq > head_seq:
        return Break(None, head_seq + 1, f"events #{head_seq + 1} to #{max_seq} were added "
                                         "after the recorded end of the chain", "added")
    return None


# what the check reads: the hashed columns, the row id and the hash, as Core rows (ORM objects
# would cost half of the time), the JSON columns as their stored text (see _json_text)
_CHECKED = select(_EVENTS.c.id, _EVENTS.c.hash,
                  *(cast(_EVENTS.c[name], Text) if name in JSON_FIELDS else _EVENTS.c[name] for name in HASHED))
_CHECKED_NAMES = ("id", "hash", *HASHED)
_MEMO_SIZE = 50_000  # stored JSON texts remembered with their hashed form; a log repeats most of them


def _batches(session: Session, batch: int, after: int, upto: int | None,
             release: bool) -> Iterator[list[tuple[dict, dict]]]:
    """The events after seq `after` up to `upto` (all when None), oldest first, in lists of
    (event, its JSON fields as hashed): `batch` rows per statement (keyset on seq), memory flat."""
    memo = {}
    while True:
        query = _CHECKED.where(_EVENTS.c.seq > after)
        if upto is not None:
            query = query.where(_EVENTS.c.seq <= upto)
        rows = session.connection().execute(query.order_by(_EVENTS.c.seq).limit(batch)).all()
        if release:
            session.rollback()
        if not rows:
            return
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        yield [_decoded(row, memo) for row in rows]
        after = rows[-1][2]  # seq


def _decoded(row, memo: dict) -> tuple[dict, dict]:
    event = dict(zip(_CHECKED_NAMES, row, strict=True))
    encoded = {}
    for name in JSON_FIELDS:
        text = event[name]
        hashed = memo.get(text)
        if hashed is None:
            hashed = memo[text] = _json_text(text)
        encoded[name] = hashed
    return event, encoded


def _json_text(text: str | None) -> str:
    """A JSON column's stored text as the hash reads it: what `compute_hash` makes of the value the
    column type (AuditJSON) decodes from it, unreadable text included."""
    if text is None:
        return "null"
    try:
        value = json.loads(text)
    except ValueError:
        value = {UNREADABLE: text}
    return _encoded(value)
