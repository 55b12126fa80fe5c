"""The inbox: three tabs of tasks, with filters, search, sorting and pages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from engine import clock
from engine.models import HumanTask, HumanTaskCandidate, ProcessInstance, ProcessVersion, TaskState, User, user_group
from engine.services.tasks import my_tasks_query

TABS = ("mine", "group", "completed")
SORTS = ("due", "priority", "created", "title")
DUE_SOON = timedelta(days=3)
PER_PAGE_MAX = 100


@dataclass
class InboxQuery:
    tab: str = "mine"          # mine: held by me or offered to me; group: my groups', unclaimed; completed
    search: str = ""
    process_id: str | None = None
    due: str | None = None     # "overdue", "soon" or None
    sort: str = "due"
    page: int = 1
    per_page: int = 20

    def normalised(self) -> InboxQuery:
        return InboxQuery(
            tab=self.tab if self.tab in TABS else "mine", search=(self.search or "").strip()[:100],
            process_id=self.process_id or None, due=self.due if self.due in ("overdue", "soon") else None,
            sort=self.sort if self.sort in SORTS else "due", page=min(PAGE_MAX, max(1, int(self.page or 1))),
            per_page=min(PER_PAGE_MAX, max(5, int(self.per_page or 20))))


PAGE_MAX = 100_000  # beyond any inbox; keeps the OFFSET a number every database takes


@dataclass
class InboxRow:
    task: HumanTask
    process_name: str
    is_overdue: bool
    is_due_soon: bool


@dataclass
class InboxPage:
    query: InboxQuery
    rows: list[InboxRow] = field(default_factory=list)
    total: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


_GROUP_UNCLAIMED = select(HumanTask).where(
    HumanTask.id.in_(select(HumanTaskCandidate.human_task_id).where(HumanTaskCandidate.group_id.in_(
        select(user_group.c.group_id).where(user_group.c.user_id == bindparam("uid"))))),
    HumanTask.assignee_id.is_(None), HumanTask.state == TaskState.OPEN)
_COMPLETED = select(HumanTask).where(HumanTask.completed_by_id == bindparam("uid"),
                                     HumanTask.state == TaskState.COMPLETED)


def _tab_query(user: User, tab: str):
    if tab == "completed":
        return _COMPLETED.params(uid=user.id)
    if tab == "group":
        return _GROUP_UNCLAIMED.params(uid=user.id)
    return my_tasks_query(user)


def _filtered(query, q: InboxQuery, now: datetime):
    query = query.join(HumanTask.instance)
    if q.search:
        pattern = f"%{q.search}%"
        query = query.where(or_(HumanTask.title.ilike(pattern), ProcessInstance.title.ilike(pattern),
                                ProcessInstance.business_key.ilike(pattern)))
    if q.process_id:
        query = query.where(ProcessInstance.process_id == q.process_id)
    if q.due == "overdue":
        query = query.where(HumanTask.due_at < now)
    elif q.due == "soon":
        query = query.where(HumanTask.due_at >= now, HumanTask.due_at < now + DUE_SOON)
    return query


ORDER = {
    "due": (HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.priority.desc(), HumanTask.id),
    "priority": (HumanTask.priority.desc(), HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id),
    "created": (HumanTask.created_at.desc(), HumanTask.id.desc()),
    "title": (HumanTask.title, HumanTask.id),
}


def inbox(session: Session, user: User, query: InboxQuery | None = None) -> InboxPage:
    """One statement: the page of tasks with their instance, holder, process name and the total."""
    q = (query or InboxQuery()).normalised()
    now = clock.now()
    order = ORDER[q.sort]
    if q.tab == "completed" and q.sort == "due":
        order = (HumanTask.completed_at.desc(), HumanTask.id.desc())
    statement = (_filtered(_tab_query(user, q.tab), q, now)
                 .join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
                 .add_columns(ProcessVersion.name, func.count().over())
                 .options(contains_eager(HumanTask.instance), joinedload(HumanTask.assignee))
                 .order_by(*order).limit(q.per_page).offset((q.page - 1) * q.per_page))
    found = session.execute(statement).unique().all()
    total = found[0][2] if found else 0
    if not found and q.page > 1:  # past the last page: still say how many there are
        total = session.scalar(select(func.count()).select_from(
            _filtered(_tab_query(user, q.tab), q, now).with_only_columns(HumanTask.id).subquery()))
    rows = []
    for task, process_name, _total in found:
        due = task.due_at if task.state == TaskState.OPEN else None
        rows.append(InboxRow(task=task, process_name=process_name or task.instance.process_id,
                             is_overdue=due is not None and due < now,
                             is_due_soon=due is not None and now <= due < now + DUE_SOON))
    return InboxPage(query=q, rows=rows, total=total)


def count_mine(session: Session, user: User) -> int:
    """The header badge: open tasks held by or offered to the user."""
    return session.scalar(select(func.count()).select_from(my_tasks_query(user).with_only_columns(HumanTask.id)
                                                           .subquery()))
