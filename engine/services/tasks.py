"""Human tasks: the inbox query, claim / unclaim / reassign, and completion."""
from __future__ import annotations

import copy

from sqlalchemy import bindparam, exists, or_, select, union, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from engine import audit, clock, connectors, repository, runtime, validation
from engine.errors import (
    Conflict,
    InstanceFrozen,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ScriptError,
    TaskAlreadyCompleted,
    TaskEnded,
    TaskHeld,
)
from engine.models import HumanTask, HumanTaskCandidate, ProcessInstance, TaskState, User, user_group
from engine.permissions import can_work_on, is_candidate, require_reason
from engine.repository import StaleRevision
from engine.services.instances import fail, record_projection
from engine.services.users import get_user

MAX_ATTEMPTS = 8
WORKABLE = ("running", "waiting", "error")


def get_task(session: Session, task_id: int, refresh: bool = False) -> HumanTask:
    task = session.get(HumanTask, task_id, populate_existing=refresh)
    if task is None:
        raise NotFound(f"Task {task_id} does not exist.", task=task_id)
    return task


def require_workable(task: HumanTask) -> None:
    """An open task of a running instance: a suspended (or ended) one is frozen, so its tasks are not
    claimed, released, reassigned, drafted or given files either."""
    require_open(task)
    if task.instance.status not in WORKABLE:
        raise InstanceFrozen(f"The process is {task.instance.status}; its tasks cannot be changed now.",
                       status=task.instance.status)


def require_open(task: HumanTask) -> None:
    if task.state == TaskState.COMPLETED:
        who = task.completed_by.display_name if task.completed_by else None
        raise TaskAlreadyCompleted(task.title, who)
    if task.state != TaskState.OPEN:
        raise TaskEnded(f"Task '{task.title}' was ended by the process ({task.end_reason}).",
                       task=task.title, reason=task.end_reason or "")


_UID = bindparam("uid")
_MY_GROUPS = select(user_group.c.group_id).where(user_group.c.user_id == _UID)
# open tasks held by or offered to the user bound as `uid` (see `my_tasks_query`)
MY_TASKS = select(HumanTask).where(HumanTask.id.in_(union(
    select(HumanTask.id).where(HumanTask.assignee_id == _UID, HumanTask.state == TaskState.OPEN),
    select(HumanTaskCandidate.human_task_id).where(HumanTaskCandidate.user_id == _UID),
    select(HumanTaskCandidate.human_task_id).where(HumanTaskCandidate.group_id.in_(_MY_GROUPS)),
)), HumanTask.state == TaskState.OPEN)


def my_tasks_query(user: User):
    """Open tasks assigned to the user, or offered to the user or one of their groups.

    A union of three indexed lookups (not one OR), so both SQLite and PostgreSQL answer it from
    indexes however many tasks are open; built once, bound to the user per call.
    """
    return MY_TASKS.params(uid=user.id)


def my_tasks(session: Session, user: User, limit: int = 50, offset: int = 0) -> list[HumanTask]:
    query = my_tasks_query(user).order_by(HumanTask.due_at.is_(None), HumanTask.due_at,
                                          HumanTask.priority.desc(), HumanTask.id)
    return list(session.scalars(query.limit(limit).offset(offset)))


def claim(session: Session, task_id: int, actor: User) -> HumanTask:
    task = get_task(session, task_id)
    require_workable(task)
    if task.assignee_id == actor.id:
        return task
    if not actor.is_admin and not (actor.is_active and not actor.is_auditor and is_candidate(session, task, actor)):
        session.refresh(task)  # completed meanwhile? (its candidates are gone then)
        require_open(task)
        raise PermissionDenied("This task is not offered to you.", task=task.title)
    taken = session.execute(
        update(HumanTask).where(HumanTask.id == task.id, HumanTask.assignee_id.is_(None),
                                HumanTask.state == TaskState.OPEN)
        .values(assignee_id=actor.id).execution_options(synchronize_session=False)).rowcount
    session.refresh(task)
    if taken != 1:
        require_open(task)
        holder = task.assignee.display_name if task.assignee else "?"
        raise TaskHeld(f"Task '{task.title}' is held by {holder}.", task=task.title, holder=holder)
    audit.record(session, "task_claimed", actor, instance=task.instance, task_guid=task.task_guid,
                 element_id=task.element_id, after={"assignee": actor.username})
    return task


def unclaim(session: Session, task_id: int, actor: User, reason: str | None = None) -> HumanTask:
    task = get_task(session, task_id)
    require_workable(task)
    if task.assignee_id is None:
        return task
    if task.assignee_id != actor.id:
        if not actor.is_admin:
            raise PermissionDenied("Only the holder or an administrator may release this task.")
        reason = require_reason(reason, "release a task someone else holds")
    before = task.assignee.username
    task.assignee_id = None
    session.flush()
    session.refresh(task)
    audit.record(session, "task_unclaimed", actor, instance=task.instance, task_guid=task.task_guid,
                 element_id=task.element_id, reason=reason, before={"assignee": before},
                 after={"assignee": None})
    return task


def reassign(session: Session, task_id: int, to_username: str, actor: User, reason: str | None) -> HumanTask:
    """Give a task to someone else: an administrator to anyone, the holder to another candidate."""
    reason = require_reason(reason, "reassign a task")
    task = get_task(session, task_id)
    require_open(task)
    if not actor.is_admin:  # an administrator may hand on the work of a suspended instance
        require_workable(task)
    target = get_user(session, to_username)
    if not target.is_active or target.is_auditor:
        raise InvalidInput(f"{target.display_name} cannot take tasks.", errors={"assignee": "inactive"})
    if not actor.is_admin:
        if task.assignee_id != actor.id:
            raise PermissionDenied("Only the holder or an administrator may reassign this task.")
        if not is_candidate(session, task, target):
            raise InvalidInput(f"{target.display_name} is not a candidate for this task.",
                               errors={"assignee": "not_candidate"})
    before = task.assignee.username if task.assignee else None
    for earlier in [c for c in task.candidates if c.by_reassign and c.user_id != target.id]:
        task.candidates.remove(earlier)  # an earlier holder by reassignment keeps no access to it
    if not is_candidate(session, task, target):
        task.candidates.append(HumanTaskCandidate(user_id=target.id, by_reassign=True))
    task.assignee_id = target.id
    session.flush()
    session.refresh(task)
    audit.record(session, "task_reassigned", actor, instance=task.instance, task_guid=task.task_guid,
                 element_id=task.element_id, reason=reason, before={"assignee": before},
                 after={"assignee": target.username})
    return task


def complete_task(session: Session, task_id: int, data: dict, actor: User,
                  reason: str | None = None) -> HumanTask:
    """Complete a task with submitted data.

    Only the holder, or a candidate while nobody holds it; an administrator with a reason.
    Data is checked before the engine runs. The instance is saved with an optimistic revision
    check: if someone else saved it meanwhile, the attempt is redone on fresh state, unless
    this very task was completed by them, which raises TaskAlreadyCompleted naming them.
    """
    if not isinstance(data, dict):
        raise InvalidInput("Submitted data must be an object.")
    for attempt in range(MAX_ATTEMPTS):
        task, instance = _task_and_instance(session, task_id, refresh=attempt > 0)
        require_open(task)
        override = False
        if not can_work_on(session, task, actor):
            session.refresh(task)  # completed meanwhile? (its candidates are gone then)
            require_open(task)
            if not actor.is_admin:
                raise PermissionDenied("This task is not yours to complete.", task=task.title)
            reason = require_reason(reason, "complete a task on someone else's behalf")
            override = True
        try:
            return _complete_once(session, task, instance, data, actor, reason, override)
        except StaleRevision:
            session.expire_all()
    raise Conflict("The instance is too busy; please try again.", task=task.title)


_TASK_AND_INSTANCE = (select(HumanTask, ProcessInstance)
                      .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
                      .where(HumanTask.id == bindparam("task_id")))
_TASK_AND_INSTANCE_FRESH = _TASK_AND_INSTANCE.execution_options(populate_existing=True)


def _task_and_instance(session: Session, task_id: int, refresh: bool):
    """The task and its instance in one query (fresh from the database when `refresh`)."""
    statement = _TASK_AND_INSTANCE_FRESH if refresh else _TASK_AND_INSTANCE
    row = session.execute(statement, {"task_id": task_id}).first()
    if row is None:
        raise NotFound(f"Task {task_id} does not exist.", task=task_id)
    set_committed_value(row[0], "instance", row[1])  # task.instance without another query
    return row[0], row[1]


def _complete_once(session, task, instance, data, actor, reason, override) -> HumanTask:
    if instance.status not in WORKABLE:
        raise InstanceFrozen(f"The process is {instance.status}; its tasks cannot be completed now.",
                       status=instance.status)
    workflow = repository.load(session, instance)
    spiff_task = runtime.find_task(workflow, task.task_guid)
    clean = validation.validate_submission(repository.forms_of(session, instance.process_version_id), task,
                                           spiff_task, data)
    before = copy.deepcopy({k: spiff_task.data.get(k) for k in clean})
    guid, element, title = task.task_guid, task.element_id, task.title
    error = None
    try:
        with connectors.bound(session, actor, instance):
            runtime.complete(workflow, guid, clean)
    except ScriptError as exc:
        error = exc
    changes = repository.persist(session, instance, workflow, completed={guid: actor}, submitted={guid: clean})
    old, new = audit.changed(before, clean)
    audit.record(session, "task_completed", actor, instance=instance, task_guid=guid, element_id=element,
                 reason=reason, before=old, after=new,
                 details={"title": title, "on_behalf": True} if override else {"title": title})
    if error is not None:
        fail(session, instance, error, actor, already_saved=True)
    record_projection(session, instance, changes, actor)
    return task


def save_draft(session: Session, task_id: int, data: dict, actor: User) -> HumanTask:
    """Keep partial input on an open task without completing it (no validation)."""
    task = get_task(session, task_id)
    require_workable(task)
    if not can_work_on(session, task, actor):
        raise PermissionDenied("This task is not yours.", task=task.title)
    if not isinstance(data, dict):
        raise InvalidInput("A draft must be an object.")
    forms = repository.forms_of(session, task.instance.process_version_id)
    task.draft = validation.draft_read_only(forms, task, load_task_context(session, task), data)
    task.draft_saved_at = clock.now()
    session.flush()
    audit.record(session, "task_draft_saved", actor, instance=task.instance, task_guid=task.task_guid,
                 element_id=task.element_id, after=task.draft)
    return task


_IN_INSTANCE = select(HumanTask).where(
    HumanTask.instance_id == bindparam("iid"), HumanTask.state == TaskState.OPEN,
    or_(HumanTask.assignee_id == _UID,
        exists().where(HumanTaskCandidate.human_task_id == HumanTask.id, HumanTaskCandidate.user_id == _UID),
        exists().where(HumanTaskCandidate.human_task_id == HumanTask.id,
                       HumanTaskCandidate.group_id.in_(_MY_GROUPS)))).order_by(HumanTask.id) \
    .limit(bindparam("limit"))


def my_tasks_in(session: Session, user: User, instance_id: int, limit: int = 100) -> list[HumanTask]:
    """The user's open tasks in one instance, oldest first: the same tasks as `my_tasks_query`, found
    from the instance's few open tasks rather than from all of the user's."""
    return list(session.scalars(_IN_INSTANCE, {"uid": user.id, "iid": instance_id, "limit": limit}))


def next_task_for(session: Session, user: User, instance_id: int) -> HumanTask | None:
    """The user's next open task in the same instance, if any."""
    found = my_tasks_in(session, user, instance_id, limit=1)
    return found[0] if found else None


def load_task_context(session: Session, task: HumanTask) -> dict:
    """The data a READY task sees (for forms and read-only context)."""
    instance = repository.get_instance(session, task.instance_id)
    workflow = repository.peek(session, instance)
    if task.state != TaskState.OPEN:
        raise TaskEnded("The task is no longer open.", task=task.title)
    return runtime.find_task(workflow, task.task_guid).data
