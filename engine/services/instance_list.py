"""The list of all process instances for auditors and administrators: filters (process, status,
year, department, text), keyset pages newest first, and every matching row in batches for exports.
Department and year mean what engine/services/scope.py says."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session, sessionmaker

from engine.models import ProcessInstance, ProcessVersion, User
from engine.services import scope

COLUMNS = (ProcessInstance.id, ProcessInstance.process_id, ProcessInstance.title, ProcessInstance.business_key,
           ProcessInstance.status, ProcessInstance.started_at, ProcessInstance.ended_at, ProcessInstance.updated_at,
           ProcessVersion.version, ProcessVersion.name, User.username.label("started_by"))
_BASE = (select(*COLUMNS).join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
         .outerjoin(User, User.id == ProcessInstance.started_by_id))


@dataclass(frozen=True)
class InstanceFilter:
    process_id: str | None = None
    status: str | None = None
    year: int | None = None
    department: str | None = None
    search: str | None = None

    def as_details(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass
class InstancePage:
    rows: list = field(default_factory=list)
    older: int | None = None          # id to pass as `before` for the next page


def conditions(session: Session, f: InstanceFilter) -> list:
    where = []
    if f.process_id:
        where.append(ProcessInstance.process_id == f.process_id)
    if f.status:
        where.append(ProcessInstance.status == f.status)
    if f.search:
        pattern = f"%{f.search.strip()}%"
        where.append(or_(ProcessInstance.title.ilike(pattern), ProcessInstance.business_key.ilike(pattern)))
    if f.department:
        found = scope.department_scope(session, f.department)
        ids = found.instance_ids | found.task_instance_ids
        where.append(ProcessInstance.id.in_(ids) if ids else false())
    if f.year:
        years = scope.instance_years(session)
        start, end = scope.year_bounds(f.year)
        mine = [iid for iid, y in years.items() if y == f.year]
        where.append(or_(ProcessInstance.id.in_(mine) if mine else false(),
                         and_(ProcessInstance.id.not_in(list(years)),
                              ProcessInstance.started_at >= start, ProcessInstance.started_at < end)))
    return where


def page(session: Session, f: InstanceFilter, before: int | None = None, per_page: int = 50) -> InstancePage:
    per_page = max(1, min(200, per_page))
    query = _BASE.where(*conditions(session, f))
    if before is not None:
        query = query.where(ProcessInstance.id < before)
    rows = session.execute(query.order_by(ProcessInstance.id.desc()).limit(per_page + 1)).all()
    return InstancePage(rows[:per_page], older=rows[per_page - 1].id if len(rows) > per_page else None)


def iter_rows(sessions: sessionmaker, where: list, batch: int = 1000) -> Iterator:
    """Every matching instance, oldest first, each batch in its own short transaction."""
    last = 0
    while True:
        with sessions() as session:
            rows = session.execute(_BASE.where(*where, ProcessInstance.id > last)
                                   .order_by(ProcessInstance.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
