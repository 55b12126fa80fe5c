"""Who may see or do what. Pure rules over rows; services call them and raise PermissionDenied."""
from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, PermissionDenied
from engine.models import HumanTask, HumanTaskCandidate, ProcessInstance, User, user_group

_CANDIDATE = select(HumanTaskCandidate.id).where(
    HumanTaskCandidate.human_task_id == bindparam("task_id"),
    or_(HumanTaskCandidate.user_id == bindparam("user_id"), HumanTaskCandidate.group_id.in_(
        select(user_group.c.group_id).where(user_group.c.user_id == bindparam("user_id"))))).limit(1)


def is_candidate(session: Session, task: HumanTask, user: User) -> bool:
    return session.scalar(_CANDIDATE, {"task_id": task.id, "user_id": user.id}) is not None


def can_work_on(session: Session, task: HumanTask, user: User) -> bool:
    """The assignee, or, while nobody holds it, any candidate."""
    if not user.is_active or user.is_auditor:
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.id
    return is_candidate(session, task, user)


def require_admin(user: User | None, action: str) -> None:
    if user is None or not user.is_active or not user.is_admin:
        raise PermissionDenied(f"Only an administrator may {action}.", action=action)


def require_reason(reason: str | None, action: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(f"A reason is required to {action}.", errors={"reason": "required"}, action=action)
    return text


@dataclass(frozen=True)
class InstanceView:
    """How much of an instance someone sees: all of it, or the main line and the multi-instance
    branches they work in (a department sees its own copy of a per-department step, not the
    others': their tasks, files and history)."""

    whole: bool
    branches: frozenset[str] = frozenset()
    # confidential tasks in those branches that one has no part in (their ids)
    hidden: frozenset[int] = frozenset()

    def sees(self, branch: str | None) -> bool:
        return self.whole or branch is None or branch in self.branches

    def sees_task(self, task_id: int, branch: str | None) -> bool:
        return self.sees(branch) and task_id not in self.hidden

    def within(self, branch: str) -> InstanceView:
        """This view narrowed to one branch (a department's task page shows that department's steps)."""
        return replace(self, whole=False, branches=frozenset({branch}))


WHOLE = InstanceView(whole=True)


def instance_view(session: Session, instance_id: int, user: User) -> InstanceView | None:
    """None: nothing. The whole instance: administrators, auditors, whoever started it, and whoever
    has or had a task on its main line. Otherwise the branches of the tasks one has or had (as
    holder, completer, or a candidate of an open task)."""
    return instance_views(session, [instance_id], user).get(instance_id)


def instance_views(session: Session, instance_ids, user: User) -> dict[int, InstanceView]:
    """`instance_view` of many instances in two queries: instance id -> view, for those one sees."""
    ids = list(dict.fromkeys(instance_ids))
    if not user.is_active or not ids:
        return {}
    if user.is_admin or user.is_auditor:
        return dict.fromkeys(ids, WHOLE)
    views: dict[int, InstanceView] = dict.fromkeys(session.scalars(select(ProcessInstance.id).where(
        ProcessInstance.id.in_(ids), ProcessInstance.started_by_id == user.id)), WHOLE)
    rest = [i for i in ids if i not in views]
    if not rest:
        return views
    my_groups = select(user_group.c.group_id).where(user_group.c.user_id == user.id)
    mine = or_(HumanTask.assignee_id == user.id, HumanTask.completed_by_id == user.id,
               HumanTask.id.in_(select(HumanTaskCandidate.human_task_id).where(
                   or_(HumanTaskCandidate.user_id == user.id, HumanTaskCandidate.group_id.in_(my_groups)))))
    branches: dict[int, set] = {}
    for instance_id, branch in session.execute(select(HumanTask.instance_id, HumanTask.branch).distinct()
                                               .where(HumanTask.instance_id.in_(rest), mine)):
        branches.setdefault(instance_id, set()).add(branch)
    partial = [instance_id for instance_id, found in branches.items() if None not in found]
    hidden: dict[int, set] = {}
    if partial:
        for instance_id, task_id in session.execute(select(HumanTask.instance_id, HumanTask.id).where(
                HumanTask.instance_id.in_(partial), HumanTask.confidential.is_(True),
                HumanTask.id.not_in(select(HumanTask.id).where(HumanTask.instance_id.in_(partial), mine)))):
            hidden.setdefault(instance_id, set()).add(task_id)
    for instance_id, found in branches.items():
        views[instance_id] = WHOLE if None in found else InstanceView(
            whole=False, branches=frozenset(found), hidden=frozenset(hidden.get(instance_id, ())))
    return views


def can_view_instance(session: Session, instance_id: int, user: User) -> bool:
    return instance_view(session, instance_id, user) is not None


def can_read_history(user: User | None) -> bool:
    """Auditors and administrators read the whole audit history, search it and export it."""
    return bool(user is not None and user.is_active and (user.is_admin or user.is_auditor))


def require_history_reader(user: User | None) -> None:
    if not can_read_history(user):
        raise PermissionDenied("Only auditors and administrators may read the audit history.")
