"""Where work stands: the instances someone takes part in, and how far each branch of one got.

`branch_grid`: for an instance whose steps run once per department (multi-instance branches),
one row per department and one column per step, each cell the latest task of that step for that
department: done (on time or late), open (with its holder and deadline), or ended by the engine.
Branches of different multi-instance steps with the same label (the year's self-inspection and
its rectification, both per department) share a row.
`instances_for`: a page of the instances a user may see, each with its open steps.
`nobody_can_take`: the open steps of an instance that reach nobody (no one holds them and no active
person is among their candidates, e.g. the group of their lane has no members).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from engine import clock
from engine.models import Group, HumanTask, HumanTaskCandidate, ProcessInstance, ProcessVersion, User, user_group
from engine.models import TaskState as RowState
from engine.paging import Page, page_number
from engine.permissions import InstanceView, instance_views

DONE, LATE, OPEN, OVERDUE, ENDED = "done", "late", "open", "overdue", "ended"


@dataclass
class Cell:
    state: str                   # DONE, LATE, OPEN, OVERDUE or ENDED
    task_id: int
    title: str
    moment: datetime | None      # completed at (DONE, LATE, ENDED), else the deadline
    who: str | None              # who completed it, else who holds it
    rounds: int = 1              # how many times the step ran in this branch (a plan sent back, say)
    nobody: bool = False         # open, and nobody can take it (see nobody_can_take)


@dataclass
class Row:
    key: str          # the label, or the branch id of a branch without one
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def open(self) -> int:
        return sum(cell.state in (OPEN, OVERDUE) for cell in self.cells.values())

    @property
    def overdue(self) -> int:
        return sum(cell.state == OVERDUE for cell in self.cells.values())


@dataclass
class Grid:
    columns: list[tuple[str, str]]   # (element id, step name), in the order the steps first ran
    rows: list[Row]
    # the open steps of the whole instance (main line too) that nobody can take: {task id: their groups}
    nobody: dict[int, list[str]] = field(default_factory=dict)

    @property
    def finished(self) -> int:
        return sum(1 for row in self.rows if row.cells and not row.open)


_USER = aliased(User)
_BRANCH_TASKS = (select(HumanTask.id, HumanTask.branch, HumanTask.branch_label, HumanTask.element_id,
                        HumanTask.title, HumanTask.state, HumanTask.due_at, HumanTask.completed_at,
                        User.display_name, _USER.display_name)
                 .outerjoin(User, User.id == HumanTask.completed_by_id)
                 .outerjoin(_USER, _USER.id == HumanTask.assignee_id))


def branch_grid(session: Session, instance_id: int, view: InstanceView,
                step_name: Callable[[str], str | None] = lambda element: None,
                nobody: dict[int, list[str]] | None = None) -> Grid | None:
    """The branches `view` sees, step by step, a row per label; None when the instance has no branches.
    `nobody`: nobody_can_take's answer when the caller has it already."""
    now = clock.now()
    found = session.execute(_BRANCH_TASKS.where(HumanTask.instance_id == instance_id,
                                                HumanTask.branch.is_not(None)).order_by(HumanTask.id)).all()
    rows: dict[str, Row] = {}
    columns: dict[str, str] = {}
    for task_id, branch, label, element, title, state, due, done_at, done_by, holder in found:
        if not view.sees_task(task_id, branch):  # a confidential step of another's is no column either
            continue
        columns.setdefault(element, step_name(element) or element)
        key = label or branch  # rows written before labels were kept: one per branch, named by a title
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(key=key, label=label or title)
        earlier = row.cells.get(element)
        row.cells[element] = _cell(task_id, title, state, due, done_at, done_by, holder, now,
                                   rounds=earlier.rounds + 1 if earlier else 1)
    if not rows:
        return None
    nobody = nobody_can_take(session, instance_id, view) if nobody is None else nobody
    for row in rows.values():
        for cell in row.cells.values():
            cell.nobody = cell.task_id in nobody
    return Grid(columns=list(columns.items()), rows=list(rows.values()), nobody=nobody)


def _cell(task_id, title, state, due, done_at, done_by, holder, now, rounds) -> Cell:
    if state == RowState.COMPLETED:
        kind = LATE if due is not None and done_at is not None and done_at > due else DONE
        return Cell(kind, task_id, title, done_at, done_by, rounds)
    if state == RowState.OPEN:
        return Cell(OVERDUE if due is not None and due < now else OPEN, task_id, title, due, holder, rounds)
    return Cell(ENDED, task_id, title, done_at, None, rounds)


_ABLE = and_(User.is_active.is_(True), User.is_auditor.is_(False))  # who may work on a task
_HOLDER_ABLE = select(User.id).where(User.id == HumanTask.assignee_id, _ABLE).exists()
_CANDIDATE_ABLE = select(HumanTaskCandidate.id).join(User, User.id == HumanTaskCandidate.user_id).where(
    HumanTaskCandidate.human_task_id == HumanTask.id, _ABLE).exists()
_MEMBER_ABLE = (select(HumanTaskCandidate.id).join(user_group, user_group.c.group_id == HumanTaskCandidate.group_id)
                .join(User, User.id == user_group.c.user_id)
                .where(HumanTaskCandidate.human_task_id == HumanTask.id, _ABLE).exists())


def nobody_can_take(session: Session, instance_id: int, view: InstanceView | None = None) -> dict[int, list[str]]:
    """The open tasks of an instance (those `view` sees) that nobody can work on, with the names of
    their candidate groups (to give a member to): held by someone who may no longer work, or held by
    no one while no active person is a candidate, by name or through a group. Administrators can
    still reassign them."""
    stuck = [task_id for task_id, branch in session.execute(select(HumanTask.id, HumanTask.branch).where(
        HumanTask.instance_id == instance_id, HumanTask.state == RowState.OPEN,
        or_(and_(HumanTask.assignee_id.is_not(None), ~_HOLDER_ABLE),
            and_(HumanTask.assignee_id.is_(None), ~_CANDIDATE_ABLE, ~_MEMBER_ABLE))).order_by(HumanTask.id))
        if view is None or view.sees_task(task_id, branch)]
    found: dict[int, list[str]] = {task_id: [] for task_id in stuck}
    if stuck:
        for task_id, name in session.execute(
                select(HumanTaskCandidate.human_task_id, Group.name)
                .join(Group, Group.id == HumanTaskCandidate.group_id)
                .where(HumanTaskCandidate.human_task_id.in_(stuck)).order_by(Group.name)):
            found[task_id].append(name)
    return found


ACTIVE = ("running", "waiting", "suspended", "error")
ENDED_STATUSES = ("completed", "terminated")
SHOWS = {"active": ACTIVE, "ended": ENDED_STATUSES, "all": None}
PER_PAGE = 20


@dataclass(frozen=True)
class InstanceQuery:
    show: str = "active"
    search: str = ""
    page: int = 1

    def normalised(self) -> InstanceQuery:
        return InstanceQuery(show=self.show if self.show in SHOWS else "active",
                             search=(self.search or "").strip()[:100], page=page_number(self.page))


@dataclass
class Entry:
    instance: ProcessInstance
    process_name: str
    open_tasks: list[HumanTask]      # the open steps the user may see
    overdue: int


@dataclass
class InstancePage(Page):
    query: InstanceQuery = field(default_factory=InstanceQuery)


def _taking_part(user: User):
    """Ids of the instances a user started or has, had, or may claim a task in."""
    my_groups = select(user_group.c.group_id).where(user_group.c.user_id == user.id)
    candidate = select(HumanTaskCandidate.human_task_id).where(
        or_(HumanTaskCandidate.user_id == user.id, HumanTaskCandidate.group_id.in_(my_groups)))
    worked = select(HumanTask.instance_id).where(or_(HumanTask.assignee_id == user.id,
                                                     HumanTask.completed_by_id == user.id,
                                                     HumanTask.id.in_(candidate)))
    return or_(ProcessInstance.started_by_id == user.id, ProcessInstance.id.in_(worked))


def instances_for(session: Session, user: User, query: InstanceQuery | None = None) -> InstancePage:
    """The instances `user` may see (every one for administrators and auditors), newest change
    first, with the open steps each shows them: what instance_view lets them see."""
    q = (query or InstanceQuery()).normalised()
    page = InstancePage(number=q.page, per_page=PER_PAGE, query=q)
    if not user.is_active:
        return page
    found = select(ProcessInstance, ProcessVersion.name).join(
        ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
    if not (user.is_admin or user.is_auditor):
        found = found.where(_taking_part(user))
    if SHOWS[q.show] is not None:
        found = found.where(ProcessInstance.status.in_(SHOWS[q.show]))
    if q.search:
        found = found.where(or_(*(column.icontains(q.search, autoescape=True) for column in (
            ProcessInstance.title, ProcessInstance.business_key, ProcessVersion.name))))  # % and _ are letters
    page.total = session.scalar(select(func.count()).select_from(found.subquery())) or 0
    listed = session.execute(found.order_by(ProcessInstance.updated_at.desc(), ProcessInstance.id.desc())
                             .limit(PER_PAGE).offset(page.offset)).all()
    open_by_instance: dict[int, list[HumanTask]] = {instance.id: [] for instance, _name in listed}
    if open_by_instance:
        for task in session.scalars(select(HumanTask).where(HumanTask.instance_id.in_(list(open_by_instance)),
                                                            HumanTask.state == RowState.OPEN)
                                    .options(selectinload(HumanTask.assignee))
                                    .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)):
            open_by_instance[task.instance_id].append(task)
    now = clock.now()
    views = instance_views(session, list(open_by_instance), user)
    for instance, name in listed:
        view = views.get(instance.id)
        seen = [t for t in open_by_instance[instance.id] if view is not None and view.sees_task(t.id, t.branch)]
        page.rows.append(Entry(instance=instance, process_name=name, open_tasks=seen,
                               overdue=sum(1 for t in seen if t.due_at is not None and t.due_at < now)))
    return page
