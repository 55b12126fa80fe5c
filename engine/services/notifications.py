"""Notifications (提醒): what a process tells people, such as a deadline seven days away.

A reminder about a task goes to whoever holds it: its assignee, or, while nobody has claimed it,
every active candidate (named users and the members of candidate groups). Each person gets their
own row, read or not; only they see it. Sending is recorded in the audit trail (who was told
what, about which task); reading is not.

Whatever the model says, the holders of an open task are told once when it is past its deadline
(`notify_overdue`, run by the timer workers), while its process runs.
"""
from __future__ import annotations

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine import audit, clock, connectors
from engine.errors import InvalidInput, NotFound
from engine.models import (
    Group,
    HumanTask,
    HumanTaskCandidate,
    Notification,
    ProcessInstance,
    TaskState,
    User,
    user_group,
)
from engine.paging import Page, page_number

KINDS = ("reminder", "overdue", "message")
PER_PAGE = 30
TITLE_MAX = 255
BODY_MAX = 4000


def holders(session: Session, task: HumanTask) -> list[User]:
    """Who should hear about an open task: its assignee, else (none, or one who has left) its active
    candidates. Auditors, who may work on nothing, are never among them."""
    can_work = (User.is_active.is_(True), User.is_auditor.is_(False))
    if task.assignee_id is not None:
        found = session.scalars(select(User).where(User.id == task.assignee_id, *can_work)).all()
        if found:
            return list(found)
    named = select(HumanTaskCandidate.user_id).where(HumanTaskCandidate.human_task_id == task.id,
                                                     HumanTaskCandidate.user_id.is_not(None))
    in_groups = (select(user_group.c.user_id)
                 .join(HumanTaskCandidate, HumanTaskCandidate.group_id == user_group.c.group_id)
                 .where(HumanTaskCandidate.human_task_id == task.id))
    return list(session.scalars(select(User).where(*can_work, User.id.in_(named.union(in_groups))).order_by(User.id)))


def _clean(kind: str, title: str, body: str | None) -> tuple[str, str, str | None]:
    if kind not in KINDS:
        raise InvalidInput(f"A notification is one of {', '.join(KINDS)}.", errors={"kind": "invalid"})
    title = " ".join(str(title or "").split())[:TITLE_MAX]
    if not title:
        raise InvalidInput("A notification needs a title.", errors={"title": "required"})
    body = str(body).strip()[:BODY_MAX] if body else None
    return kind, title, body or None


def send(session: Session, recipients: list[User], title: str, body: str | None = None, *, kind: str = "message",
         instance=None, task: HumanTask | None = None, actor: User | None = None) -> int:
    """One notification to each of `recipients` (each once); returns how many were sent."""
    kind, title, body = _clean(kind, title, body)
    unique = {user.id: user for user in recipients}
    instance_id = instance.id if instance is not None else (task.instance_id if task is not None else None)
    for user_id in sorted(unique):
        session.add(Notification(user_id=user_id, kind=kind, title=title, body=body, instance_id=instance_id,
                                 human_task_id=task.id if task is not None else None))
    if unique:
        session.flush()
        audit.record(session, "notification_sent", actor, instance=instance,
                     element_id=task.element_id if task is not None else None,
                     details={"kind": kind, "title": title, "to": sorted(u.username for u in unique.values())})
    return len(unique)


def remind_holders(session: Session, instance, element_id: str, title: str, body: str | None = None,
                   kind: str = "reminder", actor: User | None = None, branch: str | None = None) -> int:
    """Tell whoever holds the open task(s) of `element_id` in `instance` and in `branch` (None: the main
    line; several tasks for a multi-instance task there)."""
    open_tasks = session.scalars(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.element_id == element_id,
        HumanTask.branch.is_(None) if branch is None else HumanTask.branch == branch,
        HumanTask.state == TaskState.OPEN).order_by(HumanTask.id)).all()
    return sum(send(session, holders(session, task), title, body, kind=kind, instance=instance, task=task,
                    actor=actor) for task in open_tasks)


def queue(session: Session, element_id: str, title: str, body: str | None = None, *, kind: str = "reminder",
          branch: str | None = None, actor: User | None = None) -> None:
    """A reminder to send when the step running now is saved (`send_queued`): the task it is about may
    open in this very step, and a new instance has no id yet."""
    kind, title, body = _clean(kind, title, body)
    session.info.setdefault(connectors.QUEUED, []).append((element_id, title, body, kind, branch, actor))


def send_queued(session: Session, instance) -> int:
    """Send the reminders queued while `instance` advanced, now that its tasks are saved."""
    queued = session.info.pop(connectors.QUEUED, [])
    return sum(remind_holders(session, instance, element_id, title, body, kind=kind, actor=actor, branch=branch)
               for element_id, title, body, kind, branch, actor in queued)


_OVERDUE = (select(HumanTask).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
            .where(HumanTask.state == TaskState.OPEN, ProcessInstance.status.in_(("running", "waiting")),
                   ~exists().where(Notification.human_task_id == HumanTask.id, Notification.kind == "overdue"))
            .order_by(HumanTask.due_at, HumanTask.id))


def notify_overdue(session_factory: sessionmaker) -> int:
    """Tell the holders of every open task past its deadline that it is overdue, once per task (a task
    nobody can work on is looked at again next time); returns how many were told. Several workers may
    run this at once: on PostgreSQL each takes the tasks no other holds, on SQLite one writes at a time."""
    told = 0
    with session_factory() as session:
        query = _OVERDUE.where(HumanTask.due_at < clock.now())
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(of=HumanTask, skip_locked=True)
        for task in session.scalars(query).all():
            told += send(session, holders(session, task), task.title, kind="overdue", instance=task.instance,
                         task=task)
        session.commit()
    return told


def notify_groups(session: Session, group_names: list[str], title: str, body: str | None = None,
                  kind: str = "message", instance=None, actor: User | None = None) -> int:
    """Tell the active members of the named groups (a lane's group, the office)."""
    members = session.scalars(select(User).join(user_group, user_group.c.user_id == User.id)
                              .join(Group, Group.id == user_group.c.group_id)
                              .where(Group.name.in_(group_names), User.is_active.is_(True)).order_by(User.id))
    return send(session, list(members), title, body, kind=kind, instance=instance, actor=actor)


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def page_for(session: Session, user: User, page: int = 1) -> Page:
    """The user's notifications, unread first, newest first."""
    found = Page(number=page_number(page), per_page=PER_PAGE)
    mine = select(Notification).where(Notification.user_id == user.id)
    found.total = session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    found.rows = list(session.scalars(mine.order_by(Notification.read_at.is_not(None), Notification.id.desc())
                                      .limit(PER_PAGE).offset(found.offset)))
    return found


def get_own(session: Session, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications (someone else's is not found, not forbidden: ids say nothing)."""
    found = session.get(Notification, notification_id)
    if found is None or found.user_id != user.id:
        raise NotFound("No such notification.", notification=notification_id)
    return found


def mark_read(session: Session, user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or, with None, all of them) read; returns how many changed."""
    where = [Notification.user_id == user.id, Notification.read_at.is_(None)]
    if notification_id is not None:
        get_own(session, user, notification_id)
        where.append(Notification.id == notification_id)
    result = session.execute(update(Notification).where(*where).values(read_at=clock.now())
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0
