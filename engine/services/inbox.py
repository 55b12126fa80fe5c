"""The inbox: three tabs of tasks, with filters, search, sorting and pages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.models import HumanTask, HumanTaskCandidate, ProcessInstance, ProcessVersion, TaskState, User, user_group
from engine.paging import page_number
from engine.services.tasks import MY_TASKS, my_tasks_query

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
            sort=self.sort if self.sort in SORTS else "due", page=page_number(self.page),
            per_page=min(PER_PAGE_MAX, max(5, int(self.per_page or 20))))




@dataclass(frozen=True)
class ListedInstance:
    id: int
    title: str
    business_key: str | None
    status: str
    process_id: str


@dataclass(frozen=True)
class ListedPerson:
    id: int
    username: str
    display_name: str


@dataclass(frozen=True)
class ListedTask:
    """What an inbox row shows of a task: read from columns, without loading the task's entity."""

    id: int
    instance_id: int
    title: str
    element_id: str
    lane: str | None
    form_key: str | None
    state: str
    assignee_id: int | None
    due_at: datetime | None
    priority: int
    created_at: datetime
    completed_at: datetime | None
    instance: ListedInstance
    assignee: ListedPerson | None


@dataclass
class InboxRow:
    task: ListedTask
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


_TABS = {"mine": MY_TASKS, "group": _GROUP_UNCLAIMED, "completed": _COMPLETED}


def _filtered(query, searching: bool, by_process: bool, due: str | None):
    """`query` (tasks joined with their instance) with the filters asked for; the values come as
    parameters (see `_params`), so one statement serves every search of the same shape."""
    if searching:
        pattern = bindparam("pattern")
        query = query.where(or_(HumanTask.title.ilike(pattern), ProcessInstance.title.ilike(pattern),
                                ProcessInstance.business_key.ilike(pattern)))
    if by_process:
        query = query.where(ProcessInstance.process_id == bindparam("process_id"))
    if due == "overdue":
        query = query.where(HumanTask.due_at < bindparam("now"))
    elif due == "soon":
        query = query.where(HumanTask.due_at >= bindparam("now"), HumanTask.due_at < bindparam("soon"))
    return query


def _params(user: User, q: InboxQuery, now: datetime) -> dict:
    params = {"uid": user.id, "now": now, "soon": now + DUE_SOON, "limit": q.per_page,
              "offset": (q.page - 1) * q.per_page}
    if q.search:
        params["pattern"] = f"%{q.search}%"
    if q.process_id:
        params["process_id"] = q.process_id
    return params


ORDER = {
    "due": (HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.priority.desc(), HumanTask.id),
    "priority": (HumanTask.priority.desc(), HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id),
    "created": (HumanTask.created_at.desc(), HumanTask.id.desc()),
    "title": (HumanTask.title, HumanTask.id),
}
_TASK_COLUMNS = (HumanTask.id, HumanTask.instance_id, HumanTask.title, HumanTask.element_id, HumanTask.lane,
                 HumanTask.form_key, HumanTask.state, HumanTask.assignee_id, HumanTask.due_at, HumanTask.priority,
                 HumanTask.created_at, HumanTask.completed_at)
_INSTANCE_COLUMNS = (ProcessInstance.id, ProcessInstance.title, ProcessInstance.business_key,
                     ProcessInstance.status, ProcessInstance.process_id)
_PERSON_COLUMNS = (User.id, User.username, User.display_name)


def _shape(q: InboxQuery) -> tuple:
    return q.tab, bool(q.search), bool(q.process_id), q.due, q.sort


def _tab(columns, tab: str, searching: bool, by_process: bool, due: str | None):
    """`columns` of the tab's tasks joined with their instance, filtered."""
    query = (select(*columns).select_from(HumanTask)
             .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
             .where(_TABS[tab].whereclause))
    return _filtered(query, searching, by_process, due)


@lru_cache(maxsize=256)
def _page_statement(shape: tuple):
    """The page query for one combination of tab, filters and sort, built once."""
    tab, searching, by_process, due, sort = shape
    order = ORDER[sort]
    if tab == "completed" and sort == "due":
        order = (HumanTask.completed_at.desc(), HumanTask.id.desc())
    columns = (*_TASK_COLUMNS, *_INSTANCE_COLUMNS, *_PERSON_COLUMNS, ProcessVersion.name, func.count().over())
    return (_tab(columns, tab, searching, by_process, due)
            .join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
            .outerjoin(User, User.id == HumanTask.assignee_id)
            .order_by(*order).limit(bindparam("limit")).offset(bindparam("offset")))


@lru_cache(maxsize=256)
def _count_statement(shape: tuple):
    tab, searching, by_process, due, _sort = shape
    return select(func.count()).select_from(_tab((HumanTask.id,), tab, searching, by_process, due).subquery())


_SPLIT = (len(_TASK_COLUMNS), len(_TASK_COLUMNS) + len(_INSTANCE_COLUMNS),
          len(_TASK_COLUMNS) + len(_INSTANCE_COLUMNS) + len(_PERSON_COLUMNS))


def _listed(row) -> tuple[ListedTask, str | None]:
    a, b, c = _SPLIT
    person = ListedPerson(*row[b:c]) if row[b] is not None else None
    return ListedTask(*row[:a], instance=ListedInstance(*row[a:b]), assignee=person), row[c]


def deadline(due: datetime | None, now: datetime) -> tuple[bool, bool]:
    """(overdue, due within DUE_SOON) of an open task's due time."""
    return due is not None and due < now, due is not None and now <= due < now + DUE_SOON


def inbox(session: Session, user: User, query: InboxQuery | None = None) -> InboxPage:
    """One statement: the page of tasks with their instance, holder, process name and the total."""
    q = (query or InboxQuery()).normalised()
    now = clock.now()
    params = _params(user, q, now)
    session.flush()  # then Core: the page is plain columns, no ORM bookkeeping needed
    found = session.connection().execute(_page_statement(_shape(q)), params).all()
    total = found[0][-1] if found else 0
    if not found and q.page > 1:  # past the last page: still say how many there are
        total = session.scalar(_count_statement(_shape(q)), params)
    rows = []
    for row in found:
        task, process_name = _listed(row)
        overdue, soon = deadline(task.due_at if task.state == TaskState.OPEN else None, now)
        rows.append(InboxRow(task=task, process_name=process_name or task.instance.process_id,
                             is_overdue=overdue, is_due_soon=soon))
    return InboxPage(query=q, rows=rows, total=total)


def count_mine(session: Session, user: User) -> int:
    """The header badge: open tasks held by or offered to the user."""
    return session.scalar(select(func.count()).select_from(my_tasks_query(user).with_only_columns(HumanTask.id)
                                                           .subquery()))
