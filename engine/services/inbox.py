"""The inbox: three tabs of tasks, with filters, search, sorting and pages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
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
            sort=self.sort if self.sort in SORTS else "due", page=max(1, int(self.page or 1)),
            per_page=min(PER_PAGE_MAX, max(5, int(self.per_page or 20))))


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


def _tab_query(user: User, tab: str):
    if tab == "completed":
        return select(HumanTask).where(HumanTask.completed_by_id == user.id, HumanTask.state == TaskState.COMPLETED)
    if tab == "group":
        groups = select(user_group.c.group_id).where(user_group.c.user_id == user.id)
        offered = select(HumanTaskCandidate.human_task_id).where(HumanTaskCandidate.group_id.in_(groups))
        return select(HumanTask).where(HumanTask.id.in_(offered), HumanTask.assignee_id.is_(None),
                                       HumanTask.state == TaskState.OPEN)
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
    q = (query or InboxQuery()).normalised()
    now = clock.now()
    base = _filtered(_tab_query(user, q.tab), q, now)
    total = session.scalar(select(func.count()).select_from(base.with_only_columns(HumanTask.id).subquery()))
    order = (HumanTask.completed_at.desc(), HumanTask.id.desc()) if q.tab == "completed" and q.sort == "due" \
        else ORDER[q.sort]
    tasks = session.scalars(
        base.options(contains_eager(HumanTask.instance), joinedload(HumanTask.assignee))
        .order_by(*order).limit(q.per_page).offset((q.page - 1) * q.per_page)).unique().all()
    names = _process_names(session, {t.instance.process_version_id for t in tasks})
    rows = []
    for task in tasks:
        due = task.due_at if task.state == TaskState.OPEN else None
        name = names.get(task.instance.process_version_id, task.instance.process_id)
        rows.append(InboxRow(task=task, process_name=name,
                             is_overdue=due is not None and due < now,
                             is_due_soon=due is not None and now <= due < now + DUE_SOON))
    return InboxPage(query=q, rows=rows, total=total)


def _process_names(session: Session, version_ids: set[int]) -> dict[int, str]:
    if not version_ids:
        return {}
    return dict(session.execute(select(ProcessVersion.id, ProcessVersion.name)
                                .where(ProcessVersion.id.in_(version_ids))).all())


def count_mine(session: Session, user: User) -> int:
    """The header badge: open tasks held by or offered to the user."""
    return session.scalar(select(func.count()).select_from(my_tasks_query(user).with_only_columns(HumanTask.id)
                                                           .subquery()))
