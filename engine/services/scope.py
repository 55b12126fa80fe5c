"""What "a department" and "a year" mean when searching the audit history.

Department (a code such as D01, a name such as 县教育局, or a short name): the departments whose
code, name or short name is exactly the text (the text itself when none is). An event belongs to
the department when
- it is in an instance of the department: a business key with the code as one of its parts
  (`2025-D01`), or start data whose `department`, `department_key` or `subject_key` names it;
- it is about a task whose title contains the department's name or short name (the per-department
  tasks of the shared annual evaluation are titled `自查自纠：县教育局` etc.);
- its details name the department (`department_key`, `department`, `department_name`; the
  department's own organisation record by `code`), or one of its ballots (`subject_key` or
  `subject`) or opinion channels.

Year: an instance's year is the 4-digit part of its business key (`2026`, `2025-D01`) or the `year`
of its start data; every event of such an instance has that year, whenever it happened. Other
events take the `year` in their details (publications, channels), else the year of the ballot or
channel they concern, else the year (Beijing time) they happened in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, and_, cast, false, or_, select
from sqlalchemy.orm import Session

from engine.dates import LOCAL_TZ
from engine.models import AuditEvent, Ballot, Department, HumanTask, OpinionChannel, ProcessInstance

_PARTS = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")
_YEAR = re.compile(r"^(19|20|21)\d\d$")
DEPARTMENT_RECORD_EVENTS = ("department_created", "department_updated")


def json_text(column, key: str):
    """A JSON member as text on both SQLite and PostgreSQL (numbers too: 12 -> '12')."""
    return cast(column[key].as_string(), String)


def key_parts(business_key: str | None) -> list[str]:
    return [part for part in _PARTS.split(business_key or "") if part]


@dataclass
class DepartmentScope:
    text: str
    codes: set[str]
    names: set[str]
    instance_ids: set[int] = field(default_factory=set)     # the department's own instances
    task_guids: set[str] = field(default_factory=set)       # its tasks in shared instances
    task_instance_ids: set[int] = field(default_factory=set)
    ballots: set[str] = field(default_factory=set)
    channels: set[str] = field(default_factory=set)


def department_scope(session: Session, text: str) -> DepartmentScope:
    text = text.strip()
    rows = session.execute(select(Department.code, Department.name, Department.short_name).where(
        or_(Department.code == text, Department.name == text, Department.short_name == text))).all()
    scope = DepartmentScope(text, {r.code for r in rows} or {text},
                            {n for r in rows for n in (r.name, r.short_name) if n} or {text})
    labels = scope.codes | scope.names
    for code in scope.codes:
        found = session.execute(select(ProcessInstance.id, ProcessInstance.business_key)
                                .where(ProcessInstance.business_key.contains(code, autoescape=True)))
        scope.instance_ids |= {iid for iid, key in found if code in key_parts(key)}
    started = select(AuditEvent.instance_id).where(AuditEvent.event_type == "instance_started", or_(
        json_text(AuditEvent.data_after, "department").in_(labels),
        json_text(AuditEvent.data_after, "department_key").in_(scope.codes),
        json_text(AuditEvent.data_after, "subject_key").in_(scope.codes)))
    scope.instance_ids |= {iid for iid in session.scalars(started) if iid is not None}
    titled = [HumanTask.title.contains(name, autoescape=True) for name in scope.names if len(name) >= 2]
    if titled:
        for guid, instance_id in session.execute(select(HumanTask.task_guid, HumanTask.instance_id)
                                                 .where(or_(*titled))):
            scope.task_guids.add(guid)
            scope.task_instance_ids.add(instance_id)
    scope.ballots = set(session.scalars(select(Ballot.public_id).where(
        or_(Ballot.subject_key.in_(scope.codes), Ballot.subject.in_(scope.names)))))
    scope.channels = {str(i) for i in session.scalars(select(OpinionChannel.id).where(
        or_(OpinionChannel.department_key.in_(scope.codes), OpinionChannel.department_name.in_(scope.names))))}
    return scope


def department_condition(scope: DepartmentScope):
    details = AuditEvent.details
    parts = [
        json_text(details, "department_key").in_(scope.codes),
        json_text(details, "department").in_(scope.codes | scope.names),
        json_text(details, "department_name").in_(scope.names),
        and_(AuditEvent.event_type.in_(DEPARTMENT_RECORD_EVENTS), json_text(details, "code").in_(scope.codes)),
    ]
    if scope.instance_ids:
        parts.append(AuditEvent.instance_id.in_(scope.instance_ids))
    if scope.task_guids:
        parts.append(AuditEvent.task_guid.in_(scope.task_guids))
    if scope.ballots:
        parts.append(json_text(details, "ballot").in_(scope.ballots))
    if scope.channels:
        parts.append(json_text(details, "channel").in_(scope.channels))
    return or_(*parts)


def instance_years(session: Session) -> dict[int, int]:
    """The year of every instance that has one (business key first, then its start data)."""
    years: dict[int, int] = {}
    started = select(AuditEvent.instance_id, json_text(AuditEvent.data_after, "year")).where(
        AuditEvent.event_type == "instance_started", AuditEvent.instance_id.is_not(None))
    for instance_id, value in session.execute(started):
        if value and _YEAR.match(value.strip()):
            years[instance_id] = int(value)
    for instance_id, key in session.execute(select(ProcessInstance.id, ProcessInstance.business_key)
                                            .where(ProcessInstance.business_key.is_not(None))):
        found = [int(part) for part in key_parts(key) if _YEAR.match(part)]
        if found:
            years[instance_id] = found[0]
    return years


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=LOCAL_TZ), datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ)


def year_condition(session: Session, year: int):
    years = instance_years(session)
    mine = [iid for iid, y in years.items() if y == year]
    start, end = year_bounds(year)
    details = AuditEvent.details
    ballots = list(session.scalars(select(Ballot.public_id).where(Ballot.year == year)))
    channels = [str(i) for i in session.scalars(select(OpinionChannel.id).where(OpinionChannel.year == year))]
    own_year, own_ballot, own_channel = (json_text(details, k) for k in ("year", "ballot", "channel"))
    outside = or_(AuditEvent.instance_id.is_(None), AuditEvent.instance_id.not_in(list(years)))
    return or_(
        AuditEvent.instance_id.in_(mine) if mine else false(),
        and_(outside, or_(
            own_year == str(year),
            own_ballot.in_(ballots) if ballots else false(),
            own_channel.in_(channels) if channels else false(),
            and_(own_year.is_(None), own_ballot.is_(None), own_channel.is_(None),
                 AuditEvent.created_at >= start, AuditEvent.created_at < end))))
