"""The audit history as auditors read it: searching with keyset pages, each row checked against
its hash, instance timelines, the events of a search streamed in batches, and auditors' own views
recorded as events (`auditor_viewed`). See engine/services/scope.py for departments and years."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Text, cast, exists, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from engine import audit
from engine.dates import LOCAL_TZ
from engine.errors import NotFound
from engine.models import AuditEvent, User
from engine.services import scope

VIEWED = "auditor_viewed"
PER_PAGE_MAX = 200
# what the process does when someone's step leads to it, whoever the event names: a vote's result
# arriving, a step that stops with an error (the rest say so in their details: audit.BY_PROCESS)
PROCESS_EVENTS = ("message_received", "instance_failed")


def by_process(event_type: str, details) -> bool:
    """Whether the process did it (its `actor` completed the step that led to it)."""
    return event_type in PROCESS_EVENTS or bool(isinstance(details, dict) and details.get(audit.BY_PROCESS))


def by_process_condition():
    """by_process as a WHERE clause."""
    return or_(AuditEvent.event_type.in_(PROCESS_EVENTS), AuditEvent.details[audit.BY_PROCESS].as_boolean())


@dataclass(frozen=True)
class EventFilter:
    process_id: str | None = None
    department: str | None = None
    year: int | None = None
    actor: str | None = None          # a user name or display name
    event_type: str | None = None
    since: date | None = None         # Beijing days, both ends included
    until: date | None = None
    instance_id: int | None = None

    def as_details(self) -> dict:
        """The filter as recorded in an `auditor_viewed` event (only what was set)."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v}


@dataclass
class Entry:
    """An event as shown: `tampered` when its content no longer matches its hash."""

    event: AuditEvent
    tampered: bool
    actor_label: str
    people: dict[str, str] = field(default_factory=dict)  # user name -> name, of the holders it names

    @property
    def by_process(self) -> bool:
        """The process did it; `actor_label` names whose step led to it."""
        return self.event.actor_id is not None and by_process(self.event.event_type, self.event.details)


@dataclass
class EventPage:
    entries: list[Entry]
    newer: int | None = None          # seq to pass as `after` for the newer page
    older: int | None = None          # seq to pass as `before` for the older page


@dataclass
class EventDetail:
    entry: Entry
    link_ok: bool                     # prev_hash matches the hash of the event before it
    previous_seq: int | None = None
    next_seq: int | None = None
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def is_tampered(event) -> bool:
    return audit.compute_hash(event) != event.hash


def local_start(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ)


def conditions(session: Session, f: EventFilter) -> list:
    """The WHERE clauses of a filter (department and year are resolved here, once)."""
    where = []
    if f.process_id:
        where.append(AuditEvent.process_id == f.process_id)
    if f.instance_id:
        where.append(AuditEvent.instance_id == f.instance_id)
    if f.event_type:
        where.append(AuditEvent.event_type == f.event_type)
    if f.actor:
        ids = list(session.scalars(select(User.id).where(or_(User.username == f.actor, User.display_name == f.actor))))
        where.append(or_(AuditEvent.actor_name == f.actor, AuditEvent.actor_id.in_(ids)))
    if f.since:
        where.append(AuditEvent.created_at >= local_start(f.since))
    if f.until:
        where.append(AuditEvent.created_at < local_start(f.until + timedelta(days=1)))
    if f.department:
        where.append(scope.department_condition(scope.department_scope(session, f.department)))
    if f.year:
        where.append(scope.year_condition(session, f.year))
    return where


def actor_labels(session: Session, events: Iterable) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def label(event, names: dict[int, str]) -> str:
    shown = names.get(event.actor_id)
    return f"{shown} ({event.actor_name})" if shown and shown != event.actor_name else event.actor_name


def holder_names(session: Session, events: Iterable) -> dict[str, str]:
    """user name -> name of those events give or take a task (`assignee` in their data)."""
    found = {data.get("assignee") for e in events for data in (e.data_before, e.data_after)
             if isinstance(data, dict) and isinstance(data.get("assignee"), str)}
    if not found:
        return {}
    return dict(session.execute(select(User.username, User.display_name).where(User.username.in_(found))).all())


def entries(session: Session, events: list) -> list[Entry]:
    names, people = actor_labels(session, events), holder_names(session, events)
    return [Entry(e, is_tampered(e), label(e, names), people) for e in events]


def timeline(session: Session, instance_id: int, include_views: bool = False) -> list[Entry]:
    """An instance's events in order; auditors' views are left out unless asked for."""
    query = select(AuditEvent).where(AuditEvent.instance_id == instance_id)
    if not include_views:
        query = query.where(AuditEvent.event_type != VIEWED)
    return entries(session, list(session.scalars(query.order_by(AuditEvent.seq))))


def count_views(session: Session, instance_id: int) -> int:
    return session.scalar(select(func.count()).where(AuditEvent.instance_id == instance_id,
                                                     AuditEvent.event_type == VIEWED)) or 0


def search(session: Session, f: EventFilter, *, before: int | None = None, after: int | None = None,
           per_page: int = 50) -> EventPage:
    """Newest first, `per_page` at a time; `before`/`after` are seq numbers (keyset, no OFFSET)."""
    per_page = max(1, min(PER_PAGE_MAX, per_page))
    where = conditions(session, f)
    query = select(AuditEvent).where(*where)
    if after is not None:
        rows = list(session.scalars(query.where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(per_page + 1)))
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        page = EventPage(entries(session, rows), newer=rows[0].seq if rows and more_newer else None)
        page.older = rows[-1].seq if rows else after + 1
        return page
    if before is not None:
        query = query.where(AuditEvent.seq < before)
    rows = list(session.scalars(query.order_by(AuditEvent.seq.desc()).limit(per_page + 1)))
    page = EventPage(entries(session, rows[:per_page]))
    if len(rows) > per_page:
        page.older = rows[per_page - 1].seq
    if before is not None and rows and session.scalar(
            select(exists().where(*where, AuditEvent.seq > rows[0].seq))):
        page.newer = rows[0].seq
    return page


def event_detail(session: Session, seq: int) -> EventDetail:
    event = session.scalar(select(AuditEvent).where(AuditEvent.seq == seq))
    if event is None:
        raise NotFound("No such event.", event=seq)
    previous = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq - 1))
    link_ok = event.prev_hash == (previous if seq > 1 else audit.GENESIS)
    before, after = event.data_before or {}, event.data_after or {}
    keys = list(dict.fromkeys([*before, *after])) if isinstance(before, dict) and isinstance(after, dict) else []
    return EventDetail(entries(session, [event])[0], link_ok=link_ok, previous_seq=seq - 1 if seq > 1 else None,
                       next_seq=session.scalar(select(AuditEvent.seq).where(AuditEvent.seq == seq + 1)),
                       changes=[(k, before.get(k), after.get(k)) for k in keys])


# The JSON columns as their stored text (canonical since engine.db.canonical_json; see exports.event_row)
_COLUMNS = tuple(cast(c, Text).label(c.name) if c.name in audit.JSON_FIELDS else c for c in AuditEvent.__table__.c)


def iter_events(sessions: sessionmaker, where: list, *, batch: int = 1000,
                upto: int | None = None) -> Iterator:
    """Every event matching `where`, oldest first, in batches of `batch` read by seq (keyset).

    Each batch is read in its own short transaction (on SQLite a transaction holds the write
    lock), as a dict per event with its columns (no ORM objects: a third of the time; the JSON
    columns as their stored text, not parsed), so memory stays flat and writers are never held up
    for long.
    `upto` (default: the last seq now) keeps a long export to the events that existed when it
    began."""
    with sessions() as session:
        if upto is None:
            upto = session.scalar(select(func.max(AuditEvent.seq))) or 0
    last = 0
    while True:
        with sessions() as session:  # Core rows: the ORM's row handling would cost a third of the time
            result = session.connection().execute(select(*_COLUMNS).where(*where, AuditEvent.seq > last,
                                                                          AuditEvent.seq <= upto)
                                                  .order_by(AuditEvent.seq).limit(batch))
            names = tuple(result.keys())
            rows = [dict(zip(names, row, strict=True)) for row in result.all()]  # a Row's attributes cost 1 µs each
        if not rows:
            return
        yield from rows
        last = rows[-1]["seq"]


def record_view(session: Session, viewer: User, what: str, *, instance=None, task=None,
                details: dict | None = None) -> None:
    """An auditor looked at something: the view itself becomes an event. Nobody else's views are."""
    if viewer is None or not viewer.is_auditor:
        return
    audit.record(session, VIEWED, viewer, instance=instance,
                 task_guid=task.task_guid if task is not None else None,
                 element_id=task.element_id if task is not None else None,
                 details={"what": what, **(details or {})})
