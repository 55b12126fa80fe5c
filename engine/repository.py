"""Instance row <-> workflow, and the projections kept in step with it.

`load` rebuilds a workflow (or takes it from a small per-process cache keyed by the row's
revision); `save` writes it back with an optimistic revision check and brings the `human_task`,
`timer` and `message_wait` rows in line with the workflow, in the same transaction.

The revision is a random token rewritten on every save, so a cached workflow from a
transaction that rolled back can never match the database again.
"""
from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from engine import clock, runtime, serializer
from engine.assignment import TaskInfo, describe, fallback_info
from engine.errors import Conflict, NotFound, ScriptError
from engine.models import (
    Group,
    HumanTask,
    HumanTaskCandidate,
    MessageWait,
    ProcessInstance,
    ProcessVersion,
    TaskState,
    Timer,
    User,
)

CACHE_SIZE = 256


class _LRU:
    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def pop(self, key):
        with self.lock:
            return self.items.pop(key, None)

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


_workflows = _LRU(CACHE_SIZE)   # instance id -> (revision, workflow)
_specs = _LRU(64)                # process version id -> spec document (immutable)


def clear_caches() -> None:
    _workflows.clear()
    _specs.clear()


class StaleRevision(Conflict):
    """Someone else saved the instance after we loaded it."""

    code = "instance_changed"


def spec_doc(session: Session, version: ProcessVersion) -> dict:
    doc = _specs.get(version.id)
    if doc is None:
        doc = json.loads(version.spec_json)
        _specs.put(version.id, doc)
    return doc


def spec_objects(session: Session, version: ProcessVersion):
    """Fresh spec objects for a new workflow of this version."""
    doc = spec_doc(session, version)
    spec = serializer.SERIALIZER.from_dict(doc["spec"])
    subs = {name: serializer.SERIALIZER.from_dict(s) for name, s in doc["subprocess_specs"].items()}
    return spec, subs


def get_instance(session: Session, instance_id: int, refresh: bool = False) -> ProcessInstance:
    instance = session.get(ProcessInstance, instance_id, populate_existing=refresh)
    if instance is None:
        raise NotFound(f"Process instance {instance_id} does not exist.", instance=instance_id)
    return instance


def load(session: Session, instance: ProcessInstance):
    """The instance's workflow, ready to run (sandboxed script engine attached)."""
    cached = _workflows.pop(instance.id)
    if cached is not None and cached[0] == instance.revision:
        return cached[1]
    return serializer.load_workflow(instance.workflow_json, spec_doc(session, instance.version),
                                    instance.serializer_version)


def peek(session: Session, instance: ProcessInstance):
    """The workflow for reading only (it stays in the cache; do not change it)."""
    cached = _workflows.get(instance.id)
    if cached is not None and cached[0] == instance.revision:
        return cached[1]
    workflow = load(session, instance)
    _workflows.put(instance.id, (instance.revision, workflow))
    return workflow


def new_revision() -> str:
    return uuid.uuid4().hex


def save(session: Session, instance: ProcessInstance, workflow, *, status: str | None = None,
         error: dict | None = None) -> None:
    """Write the workflow back, guarded by the revision the instance was loaded with."""
    now = clock.now()
    revision = new_revision()
    values = dict(
        workflow_json=serializer.dump_workflow(workflow),
        serializer_version=serializer.SERIALIZER_VERSION,
        revision=revision,
        status=status or runtime.status_of(workflow),
        updated_at=now,
    )
    if values["status"] in ("completed", "terminated") and instance.ended_at is None:
        values["ended_at"] = now
    if values["status"] != "error":
        values["error"] = None
    elif error is not None:
        values["error"] = error
    result = session.execute(
        update(ProcessInstance)
        .where(ProcessInstance.id == instance.id, ProcessInstance.revision == instance.revision)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleRevision("The instance was changed by someone else; reload and try again.",
                            instance=instance.id)
    for key, value in values.items():
        set_committed_value(instance, key, value)
    _workflows.put(instance.id, (revision, workflow))


def insert(session: Session, instance: ProcessInstance, workflow, *, status: str | None = None) -> None:
    """Store a new instance (the row gets its id here)."""
    instance.workflow_json = serializer.dump_workflow(workflow)
    instance.serializer_version = serializer.SERIALIZER_VERSION
    instance.revision = new_revision()
    instance.status = status or runtime.status_of(workflow)
    instance.updated_at = clock.now()
    if instance.status == "completed":
        instance.ended_at = instance.updated_at
    session.add(instance)
    session.flush()
    _workflows.put(instance.id, (instance.revision, workflow))


def set_status(session: Session, instance: ProcessInstance, status: str, **extra) -> None:
    """Change only the status columns, under the same revision guard as `save`."""
    revision = new_revision()
    values = dict(status=status, revision=revision, updated_at=clock.now(), **extra)
    result = session.execute(
        update(ProcessInstance)
        .where(ProcessInstance.id == instance.id, ProcessInstance.revision == instance.revision)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleRevision("The instance was changed by someone else; reload and try again.",
                            instance=instance.id)
    cached = _workflows.pop(instance.id)
    if cached is not None and cached[0] == instance.revision:
        _workflows.put(instance.id, (revision, cached[1]))
    for key, value in values.items():
        set_committed_value(instance, key, value)


def persist(session: Session, instance: ProcessInstance, workflow, *, status: str | None = None,
            error: dict | None = None, completed: dict[str, User] | None = None,
            end_reason: str | None = None) -> Projection:
    """Save the workflow, then bring every projection in line with it."""
    save(session, instance, workflow, status=status, error=error)
    projection = sync_tasks(session, instance, workflow, completed=completed, end_reason=end_reason)
    sync_timers(session, instance, workflow)
    sync_messages(session, instance, workflow)
    return projection


# ---------------------------------------------------------------- projections


@dataclass
class Projection:
    """What changed in the inbox when the projection was brought in line."""

    created: list[HumanTask] = field(default_factory=list)
    closed: list[tuple[int, str, str]] = field(default_factory=list)  # (id, task guid, element)
    errors: list[tuple[str, ScriptError]] = field(default_factory=list)  # (task guid, error)


def sync_tasks(session: Session, instance: ProcessInstance, workflow, *,
               completed: dict[str, User] | None = None, end_reason: str | None = None) -> Projection:
    """Open a row per READY manual task; close rows whose task is no longer READY.

    `completed` names rows completed by a person in this step (guid -> user); every other row
    that left READY was completed, cancelled or deleted by the engine and is marked cancelled.
    """
    completed = completed or {}
    now = clock.now()
    result = Projection()
    ready = {str(t.id): t for t in runtime.ready_human_tasks(workflow)} \
        if instance.status not in ("terminated", "completed") else {}
    open_rows = session.execute(
        select(HumanTask.id, HumanTask.task_guid, HumanTask.element_id)
        .where(HumanTask.instance_id == instance.id, HumanTask.state == TaskState.OPEN)
    ).all()
    known = set()
    closing = []
    for row_id, guid, element in open_rows:
        known.add(guid)
        if guid in ready:
            continue
        closing.append(row_id)
        if guid in completed:
            session.execute(update(HumanTask).where(HumanTask.id == row_id).values(
                state=TaskState.COMPLETED, completed_at=now, completed_by_id=completed[guid].id))
        else:
            session.execute(update(HumanTask).where(HumanTask.id == row_id).values(
                state=TaskState.CANCELLED, completed_at=now, end_reason=end_reason or "engine"))
            result.closed.append((row_id, guid, element))
    if closing:
        session.execute(delete(HumanTaskCandidate).where(HumanTaskCandidate.human_task_id.in_(closing)))
    principals = _PrincipalCache(session)
    for guid, task in ready.items():
        if guid in known:
            continue
        try:
            info = describe(task)
        except ScriptError as exc:  # keep the task reachable through its lane; the instance fails
            result.errors.append((guid, exc))
            info = fallback_info(task)
        result.created.append(_create_row(session, instance, info, principals, now))
    if result.created:
        session.flush()
    return result


class _PrincipalCache:
    def __init__(self, session: Session):
        self.session = session
        self.users: dict[str, int | None] = {}
        self.groups: dict[str, int | None] = {}

    def user(self, name: str) -> int | None:
        if name not in self.users:
            self.users[name] = self.session.scalar(select(User.id).where(User.username == name))
        return self.users[name]

    def group(self, name: str) -> int | None:
        if name not in self.groups:
            self.groups[name] = self.session.scalar(select(Group.id).where(Group.name == name))
        return self.groups[name]


def _create_row(session, instance, info: TaskInfo, principals: _PrincipalCache, now) -> HumanTask:
    row = HumanTask(
        instance_id=instance.id, task_guid=info.task_guid, element_id=info.element_id,
        title=info.title, lane=info.lane, form_key=info.form_key, ui_form_key=info.ui_form_key,
        instructions=info.instructions, state=TaskState.OPEN, due_at=info.due_at,
        priority=info.priority, created_at=now,
        assignee_id=principals.user(info.assignee) if info.assignee else None,
    )
    seen = set()
    for principal in info.candidates:
        if principal.kind == "user":
            key = ("u", principals.user(principal.name))
            candidate = HumanTaskCandidate(user_id=key[1])
        else:
            key = ("g", principals.group(principal.name))
            candidate = HumanTaskCandidate(group_id=key[1])
        if key[1] is None or key in seen:
            continue  # unknown users and groups cannot hold work; admins see such tasks as unassigned
        seen.add(key)
        row.candidates.append(candidate)
    session.add(row)
    return row


def drop_open_row(session: Session, instance: ProcessInstance, task_guid: str) -> None:
    """Remove an open row so the next sync describes its task afresh."""
    row_id = session.scalar(select(HumanTask.id).where(
        HumanTask.instance_id == instance.id, HumanTask.task_guid == task_guid,
        HumanTask.state == TaskState.OPEN))
    if row_id is not None:
        session.execute(delete(HumanTaskCandidate).where(HumanTaskCandidate.human_task_id == row_id))
        session.execute(delete(HumanTask).where(HumanTask.id == row_id))


def sync_timers(session: Session, instance: ProcessInstance, workflow) -> None:
    waiting = {t.task_guid: t for t in runtime.waiting_timers(workflow)} \
        if instance.status not in ("terminated", "completed") else {}
    rows = session.execute(
        select(Timer.id, Timer.task_guid, Timer.due_at).where(Timer.instance_id == instance.id)).all()
    present = set()
    for row_id, guid, due_at in rows:
        present.add(guid)
        if guid not in waiting:
            session.execute(delete(Timer).where(Timer.id == row_id))
        elif waiting[guid].due_at != due_at:
            session.execute(update(Timer).where(Timer.id == row_id).values(due_at=waiting[guid].due_at))
    for guid, timer in waiting.items():
        if guid not in present:
            session.add(Timer(instance_id=instance.id, task_guid=guid, element_id=timer.element_id,
                              name=timer.name, event_type=timer.event_type, due_at=timer.due_at))


def sync_messages(session: Session, instance: ProcessInstance, workflow) -> None:
    waiting = {m.task_guid: m for m in runtime.waiting_messages(workflow)} \
        if instance.status not in ("terminated", "completed") else {}
    rows = session.execute(
        select(MessageWait.id, MessageWait.task_guid).where(MessageWait.instance_id == instance.id)).all()
    present = set()
    for row_id, guid in rows:
        present.add(guid)
        if guid not in waiting:
            session.execute(delete(MessageWait).where(MessageWait.id == row_id))
    for guid, wait in waiting.items():
        if guid not in present:
            session.add(MessageWait(instance_id=instance.id, task_guid=guid, element_id=wait.element_id,
                                    message_name=wait.message_name))
