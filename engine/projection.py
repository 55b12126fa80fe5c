"""The rows kept in step with each workflow: `human_task` (the inbox), `timer`, `message_wait`.

`sync` compares what the workflow has now with what the rows say, and writes the difference in
the caller's transaction. What the rows say is remembered per instance and revision after each
sync, so the usual request (the instance was saved by this process last) reads nothing back;
otherwise the rows are read first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from engine import clock, runtime
from engine.assignment import TaskInfo, describe, fallback_info
from engine.cache import LRU
from engine.errors import ScriptError
from engine.models import Group, HumanTask, HumanTaskCandidate, MessageWait, ProcessInstance, TaskState, Timer, User

ENDED = ("terminated", "completed")


@dataclass
class RowState:
    """What the projection rows of one instance hold (at one revision)."""

    tasks: dict[str, str] = field(default_factory=dict)        # open task guid -> element id
    timers: dict[str, datetime] = field(default_factory=dict)  # waiting timer guid -> due
    messages: set[str] = field(default_factory=set)            # waiting message task guids

    def copy(self) -> RowState:
        return RowState(dict(self.tasks), dict(self.timers), set(self.messages))


@dataclass
class Projection:
    """What changed in the inbox when the projection was brought in line."""

    closed: list[tuple[str, str]] = field(default_factory=list)          # (task guid, element) ended by the engine
    errors: list[tuple[str, ScriptError]] = field(default_factory=list)  # (task guid, error)


_states = LRU(1024)  # instance id -> (revision, RowState)


def clear_states() -> None:
    _states.clear()


def known_state(instance: ProcessInstance) -> RowState | None:
    cached = _states.get(instance.id)
    return cached[1] if cached is not None and cached[0] == instance.revision else None


def carry_state(instance_id: int, old_revision: str, new_revision: str) -> None:
    """The rows did not change, only the revision did (status changes)."""
    cached = _states.pop(instance_id)
    if cached is not None and cached[0] == old_revision:
        _states.put(instance_id, (new_revision, cached[1]))


def forget_state(instance_id: int) -> None:
    _states.pop(instance_id)


def read_state(session: Session, instance_id: int) -> RowState:
    state = RowState()
    state.tasks = dict(session.execute(
        select(HumanTask.task_guid, HumanTask.element_id)
        .where(HumanTask.instance_id == instance_id, HumanTask.state == TaskState.OPEN).order_by(HumanTask.id)).all())
    state.timers = dict(session.execute(
        select(Timer.task_guid, Timer.due_at).where(Timer.instance_id == instance_id)).all())
    state.messages = set(session.scalars(
        select(MessageWait.task_guid).where(MessageWait.instance_id == instance_id)))
    return state


def sync(session: Session, instance: ProcessInstance, workflow, known: RowState | None = None, *,
         completed: dict[str, User] | None = None, submitted: dict[str, dict] | None = None,
         end_reason: str | None = None) -> Projection:
    """Bring every projection row of the instance in line with its workflow."""
    state = known.copy() if known is not None else read_state(session, instance.id)
    ended = instance.status in ENDED
    result = Projection()
    _sync_tasks(session, instance, workflow, state, result, ended, completed or {}, submitted or {}, end_reason)
    _sync_timers(session, instance, workflow, state, ended)
    _sync_messages(session, instance, workflow, state, ended)
    _states.put(instance.id, (instance.revision, state))
    return result


def _sync_tasks(session, instance, workflow, state: RowState, result: Projection, ended: bool,
                completed: dict[str, User], submitted: dict[str, dict], end_reason: str | None) -> None:
    """Open a row per READY manual task; close rows whose task is no longer READY.

    `completed` names rows completed by a person in this step (guid -> user); every other row
    that left READY was completed, cancelled or deleted by the engine and is marked cancelled.
    """
    now = clock.now()
    ready = {} if ended else {str(t.id): t for t in runtime.ready_human_tasks(workflow)}
    gone = [guid for guid in state.tasks if guid not in ready]
    if gone:
        closing = {guid: dict(state=TaskState.COMPLETED, completed_at=now, completed_by_id=completed[guid].id,
                              end_reason=None, draft=None, submitted=submitted.get(guid)) if guid in completed else
                   dict(state=TaskState.CANCELLED, completed_at=now, completed_by_id=None,
                        end_reason=end_reason or "engine", draft=None, submitted=None)
                   for guid in gone}
        connection = session.connection()
        connection.execute(_CLOSE, [dict(guid=guid, **values) for guid, values in closing.items()])
        connection.execute(_DROP_CANDIDATES, {"guids": gone})
        _update_loaded_rows(session, closing)
        for guid in gone:
            if guid not in completed:
                result.closed.append((guid, state.tasks[guid]))
            del state.tasks[guid]
    infos = [_describe(guid, task, result) for guid, task in ready.items() if guid not in state.tasks]
    if not infos:
        return
    _insert_rows(session, instance, infos, _principal_ids(session, infos), now)
    for info in infos:
        state.tasks[info.task_guid] = info.element_id


def _describe(guid: str, task, result: Projection) -> TaskInfo:
    try:
        info = describe(task)
    except ScriptError as exc:  # keep the task reachable through its lane; the instance fails
        result.errors.append((guid, exc))
        info = fallback_info(task)
    info.branch, info.branch_label = runtime.branch_and_label(task)
    return info


_TASKS = HumanTask.__table__
_CANDIDATES = HumanTaskCandidate.__table__
_CLOSE = update(_TASKS).where(_TASKS.c.task_guid == bindparam("guid")).values(
    state=bindparam("state"), completed_at=bindparam("completed_at"),
    completed_by_id=bindparam("completed_by_id"), end_reason=bindparam("end_reason"), draft=bindparam("draft"),
    submitted=bindparam("submitted"))
_DROP_CANDIDATES = delete(_CANDIDATES).where(_CANDIDATES.c.human_task_id.in_(
    select(_TASKS.c.id).where(_TASKS.c.task_guid.in_(bindparam("guids", expanding=True)))))


def _update_loaded_rows(session: Session, closing: dict[str, dict]) -> None:
    """Rows changed by core statements: bring copies loaded in this session up to date."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, HumanTask) and obj.__dict__.get("task_guid") in closing:
            for key, value in closing[obj.task_guid].items():
                set_committed_value(obj, key, value)
            if "candidates" in obj.__dict__:
                set_committed_value(obj, "candidates", [])
            if "completed_by" in obj.__dict__:
                session.expire(obj, ["completed_by"])


def _principal_ids(session: Session, infos: list[TaskInfo]) -> dict[tuple[str, str], int]:
    """User and group ids for every name the new tasks mention, in two queries."""
    names = {"user": set(), "group": set()}
    for info in infos:
        if info.assignee:
            names["user"].add(info.assignee)
        for principal in info.candidates:
            names[principal.kind].add(principal.name)
    ids = {}
    if names["user"]:
        ids.update({("user", n): i for n, i in session.execute(
            select(User.username, User.id).where(User.username.in_(names["user"])))})
    if names["group"]:
        ids.update({("group", n): i for n, i in session.execute(
            select(Group.name, Group.id).where(Group.name.in_(names["group"])))})
    return ids


_INSERT_TASK = insert(_TASKS).returning(_TASKS.c.id, sort_by_parameter_order=True)
_INSERT_CANDIDATE = insert(_CANDIDATES)


def _insert_rows(session, instance, infos: list[TaskInfo], ids: dict[tuple[str, str], int], now) -> None:
    """One row per new task and its candidates, written with two statements (the unit of work
    would spend more time deciding the order of these inserts than the database takes)."""
    session.flush()  # objects the caller added (the instance row) go first
    connection = session.connection()
    task_ids = connection.execute(_INSERT_TASK, [dict(
        instance_id=instance.id, task_guid=info.task_guid, branch=info.branch, branch_label=info.branch_label,
        element_id=info.element_id,
        title=info.title, lane=info.lane, form_key=info.form_key, ui_form_key=info.ui_form_key,
        instructions=info.instructions, state=TaskState.OPEN, due_at=info.due_at,
        priority=info.priority, confidential=info.confidential, created_at=now,
        assignee_id=ids.get(("user", info.assignee)))
        for info in infos]).scalars().all()
    candidates = [dict(human_task_id=task_id, user_id=user_id, group_id=group_id)
                  for task_id, info in zip(task_ids, infos, strict=True)
                  for user_id, group_id in _candidates(instance, info, ids)]
    if candidates:
        connection.execute(_INSERT_CANDIDATE, candidates)


def _candidates(instance, info: TaskInfo, ids: dict[tuple[str, str], int]) -> list[tuple[int | None, int | None]]:
    """(user id, group id) pairs that may claim the task, each once."""
    found = []
    for principal in info.candidates:
        principal_id = ids.get((principal.kind, principal.name))
        pair = (principal_id, None) if principal.kind == "user" else (None, principal_id)
        if principal_id is None or pair in found:
            continue  # unknown users and groups cannot hold work; admins see such tasks as unassigned
        found.append(pair)
    if not info.candidates and not info.lane and instance.started_by_id is not None:
        # a task outside any lane belongs to whoever started the instance (as in SpiffArena)
        found.append((instance.started_by_id, None))
    return found


_DESCRIBED = ("element_id", "title", "lane", "form_key", "ui_form_key", "instructions", "due_at", "priority",
              "confidential", "branch", "branch_label")


def describe_again(session: Session, instance: ProcessInstance, workflow, guids) -> Projection:
    """Describe the open rows of these tasks afresh in place, after their definition changed (a
    new version): title, form, due date, candidates... The row keeps its id, so links and pages
    open on it still reach it, its claim and draft, and who an administrator reassigned it to; a
    fixed assignee in the new definition takes the task. `sync` closed the rows of tasks that
    are no longer waiting."""
    result = Projection()
    ready = {str(t.id): t for t in runtime.ready_human_tasks(workflow)}
    rows = session.scalars(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.task_guid.in_(list(guids)),
        HumanTask.state == TaskState.OPEN)).all()
    found = [(row, _describe(row.task_guid, ready[row.task_guid], result)) for row in rows if row.task_guid in ready]
    ids = _principal_ids(session, [info for _row, info in found])
    for row, info in found:
        for name in _DESCRIBED:
            setattr(row, name, getattr(info, name))
        row.assignee_id = ids.get(("user", info.assignee)) or row.assignee_id
        kept = [c for c in row.candidates if c.by_reassign]  # an administrator's reassignment stands
        row.candidates = kept + [HumanTaskCandidate(user_id=user_id, group_id=group_id)
                                 for user_id, group_id in _candidates(instance, info, ids)
                                 if (user_id, group_id) not in {(c.user_id, c.group_id) for c in kept}]
    session.flush()
    forget_state(instance.id)  # an element id may have changed with the definition
    return result


def drop_open_row(session: Session, instance: ProcessInstance, task_guid: str) -> None:
    """Remove an open row so the next sync describes its task afresh."""
    row_ids = select(HumanTask.id).where(HumanTask.instance_id == instance.id, HumanTask.task_guid == task_guid,
                                         HumanTask.state == TaskState.OPEN)
    session.execute(delete(HumanTaskCandidate).where(HumanTaskCandidate.human_task_id.in_(row_ids)))
    session.execute(delete(HumanTask).where(HumanTask.id.in_(row_ids.scalar_subquery()))
                    .execution_options(synchronize_session=False))
    forget_state(instance.id)


def _sync_timers(session, instance, workflow, state: RowState, ended: bool) -> None:
    waiting = {} if ended else {t.task_guid: t for t in runtime.waiting_timers(workflow)}
    for guid in [g for g in state.timers if g not in waiting]:
        session.execute(delete(Timer).where(Timer.instance_id == instance.id, Timer.task_guid == guid))
        del state.timers[guid]
    for guid, timer in waiting.items():
        if guid not in state.timers:
            session.add(Timer(instance_id=instance.id, task_guid=guid, element_id=timer.element_id,
                              name=timer.name, event_type=timer.event_type, due_at=timer.due_at))
        elif state.timers[guid] != timer.due_at:
            session.execute(update(Timer).where(Timer.instance_id == instance.id, Timer.task_guid == guid)
                            .values(due_at=timer.due_at))
        state.timers[guid] = timer.due_at


def _sync_messages(session, instance, workflow, state: RowState, ended: bool) -> None:
    waiting = {} if ended else {m.task_guid: m for m in runtime.waiting_messages(workflow)}
    for guid in [g for g in state.messages if g not in waiting]:
        session.execute(delete(MessageWait).where(MessageWait.instance_id == instance.id,
                                                  MessageWait.task_guid == guid))
        state.messages.discard(guid)
    for guid, wait in waiting.items():
        if guid not in state.messages:
            session.add(MessageWait(instance_id=instance.id, task_guid=guid, element_id=wait.element_id,
                                    message_name=wait.message_name))
            state.messages.add(guid)
