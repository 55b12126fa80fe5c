"""Who touched a department's evaluation: for a department and a year, every person who acted on
its instances, tasks, ballots, opinions and publications (see engine/services/scope.py for what
belongs to a department and a year), with how often, what, and when first and last.

Auditors' views are not acting and are left out. Votes leave no per-voter event (secrecy): the
people who voted in the department's ballots are listed apart, from the turnout recorded once at
each close, without times."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import AuditEvent, User
from engine.services import scope
from engine.services.history import VIEWED, by_process_condition


@dataclass
class Person:
    actor_id: int
    username: str
    display_name: str
    count: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    by_type: dict[str, int] = field(default_factory=dict)
    # what the process did when their steps led to it (history.by_process), not counted as theirs
    triggered: dict[str, int] = field(default_factory=dict)


@dataclass
class Voter:
    username: str
    display_name: str
    ballots: list[str]


@dataclass
class Report:
    department: scope.DepartmentScope
    year: int | None
    people: list[Person]
    voters: list[Voter]


def who_touched(session: Session, department: str, year: int | None) -> Report:
    found = scope.department_scope(session, department)
    where = [scope.department_condition(found)]
    if year:
        where.append(scope.year_condition(session, year))
    system = by_process_condition()
    acted = (select(AuditEvent.actor_id, AuditEvent.event_type, system, func.count(),
                    func.min(AuditEvent.created_at), func.max(AuditEvent.created_at))
             .where(*where, AuditEvent.actor_id.is_not(None), AuditEvent.event_type != VIEWED)
             .group_by(AuditEvent.actor_id, AuditEvent.event_type, system))
    people: dict[int, Person] = {}
    for actor_id, event_type, is_system, count, first, last in session.execute(acted):
        person = people.setdefault(actor_id, Person(actor_id, "", ""))
        if is_system:
            person.triggered[event_type] = person.triggered.get(event_type, 0) + count
        else:
            person.count += count
            person.by_type[event_type] = person.by_type.get(event_type, 0) + count
        person.first_at = min(filter(None, (person.first_at, first)))
        person.last_at = max(filter(None, (person.last_at, last)))
    for user_id, username, display_name in session.execute(
            select(User.id, User.username, User.display_name).where(User.id.in_(list(people)))):
        people[user_id].username, people[user_id].display_name = username, display_name
    turnout = select(AuditEvent.details).where(*where, AuditEvent.event_type == "ballot_turnout")
    voted: dict[str, list[str]] = {}
    for details in session.scalars(turnout):
        for username in (details or {}).get("voted", []):
            voted.setdefault(username, []).append(details.get("ballot"))
    names = dict(session.execute(select(User.username, User.display_name).where(User.username.in_(list(voted)))).all())
    voters = [Voter(u, names.get(u, u), sorted(b for b in ballots if b)) for u, ballots in sorted(voted.items())]
    ordered = sorted(people.values(), key=lambda p: (p.first_at, p.username))  # every person has a first time
    return Report(found, year, ordered, voters)
