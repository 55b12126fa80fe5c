"""Instance row <-> workflow, and the projections kept in step with it.

`load` rebuilds a workflow (or takes it from a small per-process cache keyed by the row's
revision); `save` writes it back with an optimistic revision check and brings the `human_task`,
`timer` and `message_wait` rows in line with the workflow, in the same transaction.

The revision is a random token rewritten on every save, so a cached workflow from a
transaction that rolled back can never match the database again.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from engine import clock, dump, projection, runtime, serializer
from engine.cache import LRU
from engine.errors import Conflict, NotFound
from engine.models import ProcessInstance, ProcessVersion, User

CACHE_SIZE = 256


_TABLE = ProcessInstance.__table__
_workflows = LRU(CACHE_SIZE)   # instance id -> (revision, workflow)
_specs = LRU(64)                # process version id -> spec JSON text (immutable)
_forms = LRU(64)                # process version id -> {form file name: form definition}
_spec_objects = LRU(64)         # process version id -> (spec, subprocess specs)


def clear_caches() -> None:
    _workflows.clear()
    _specs.clear()
    _forms.clear()
    _spec_objects.clear()
    projection.clear_states()


class StaleRevision(Conflict):
    """Someone else saved the instance after we loaded it."""

    code = "instance_changed"


def _version_column(session: Session, version_id: int, column):
    return session.execute(select(column).where(ProcessVersion.id == version_id)).scalar_one()


def spec_json(session: Session, version_id: int) -> str:
    """The spec JSON of a process version (immutable, so cached per process)."""
    text = _specs.get(version_id)
    if text is None:
        text = _version_column(session, version_id, ProcessVersion.spec_json)
        _specs.put(version_id, text)
    return text


def forms_of(session: Session, version_id: int) -> dict:
    """The form definitions deployed with a version (immutable; do not change the result)."""
    forms = _forms.get(version_id)
    if forms is None:
        forms = _version_column(session, version_id, ProcessVersion.forms) or {}
        _forms.put(version_id, forms)
    return forms


def spec_objects(session: Session, version_id: int):
    """The spec objects of a version, for new workflows. Specs are not changed by running a
    workflow, so one parsed copy per version is shared (loading a saved workflow builds its own)."""
    objects = _spec_objects.get(version_id)
    if objects is None:
        objects = serializer.load_spec(spec_json(session, version_id))
        _spec_objects.put(version_id, objects)
    return objects


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
    # Read the JSON together with the revision: under READ COMMITTED a separate read could
    # return a newer save than the revision we hold.
    text, revision, version = session.execute(
        select(_TABLE.c.workflow_json, _TABLE.c.revision, _TABLE.c.serializer_version)
        .where(_TABLE.c.id == instance.id)).one()
    if revision != instance.revision:
        raise StaleRevision("The instance was changed by someone else; reload and try again.",
                            instance=instance.id)
    return serializer.load_workflow(text, spec_json(session, instance.process_version_id), version)


def peek(session: Session, instance: ProcessInstance):
    """The workflow for reading only (it stays in the cache; do not change it)."""
    cached = _workflows.get(instance.id)
    if cached is not None and cached[0] == instance.revision:
        return cached[1]
    try:
        workflow = load(session, instance)
    except StaleRevision:  # saved meanwhile: read the newer state
        session.refresh(instance)
        workflow = load(session, instance)
    _workflows.put(instance.id, (instance.revision, workflow))
    return workflow


def new_revision() -> str:
    return uuid.uuid4().hex


_GUARD = update(_TABLE).where(_TABLE.c.id == bindparam("_id"), _TABLE.c.revision == bindparam("_old"))
_statements: dict[tuple, object] = {}


def _guarded_update(session: Session, instance: ProcessInstance, values: dict) -> None:
    """UPDATE the instance row only if it still has the revision we loaded; refresh our copy."""
    columns = tuple(sorted(values))
    statement = _statements.get(columns)
    if statement is None:
        statement = _statements[columns] = _GUARD.values(**{k: bindparam(k) for k in columns})
    result = session.connection().execute(statement, {"_id": instance.id, "_old": instance.revision, **values})
    if result.rowcount != 1:
        raise StaleRevision("The instance was changed by someone else; reload and try again.",
                            instance=instance.id)
    for key, value in values.items():
        set_committed_value(instance, key, value)


def save(session: Session, instance: ProcessInstance, workflow, *, status: str | None = None,
         error: dict | None = None) -> None:
    """Write the workflow back, guarded by the revision the instance was loaded with."""
    now = clock.now()
    revision = new_revision()
    runtime.compact(workflow)
    status = status or runtime.status_of(workflow)
    values = dict(
        visited=_visited(instance, workflow),
        workflow_json=dump.dump_workflow(workflow),
        serializer_version=serializer.SERIALIZER_VERSION,
        revision=revision,
        status=status,
        updated_at=now,
        ended_at=instance.ended_at or (now if status in ("completed", "terminated") else None),
        error=None if status != "error" else (error if error is not None else instance.error),
    )
    _guarded_update(session, instance, values)
    _workflows.put(instance.id, (revision, workflow))


def _visited(instance: ProcessInstance, workflow) -> list[str]:
    known = list(instance.visited or [])
    new = [element for element in runtime.take_visited(workflow) if element not in known]
    return known + new if new else known


def insert(session: Session, instance: ProcessInstance, workflow, *, status: str | None = None) -> None:
    """Store a new instance (the row gets its id here).

    Written with one core INSERT; the object then joins the session as a row already stored
    (the unit of work would take longer to plan this one insert than the database takes)."""
    runtime.compact(workflow)
    now = clock.now()
    instance.visited = _visited(instance, workflow)
    instance.workflow_json = dump.dump_workflow(workflow)
    instance.serializer_version = serializer.SERIALIZER_VERSION
    instance.revision = new_revision()
    instance.status = status or runtime.status_of(workflow)
    instance.updated_at = now
    instance.started_at = instance.started_at or now
    instance.ended_at = now if instance.status == "completed" else None
    values = {column.key: instance.__dict__.get(column.key) for column in _TABLE.columns if column.key != "id"}
    values["title"] = values["title"] or ""
    for key, value in values.items():
        setattr(instance, key, value)  # every column loaded: nothing is read back later
    instance.id = session.connection().execute(_INSERT, values).scalar_one()
    make_transient_to_detached(instance)
    session.add(instance)
    _workflows.put(instance.id, (instance.revision, workflow))


_INSERT = sa.insert(_TABLE).returning(_TABLE.c.id)


def set_status(session: Session, instance: ProcessInstance, status: str, **extra) -> None:
    """Change only the status columns, under the same revision guard as `save`."""
    old, revision = instance.revision, new_revision()
    _guarded_update(session, instance, dict(status=status, revision=revision, updated_at=clock.now(), **extra))
    cached = _workflows.pop(instance.id)
    if cached is not None and cached[0] == old:
        _workflows.put(instance.id, (revision, cached[1]))
    projection.carry_state(instance.id, old, revision)


def persist(session: Session, instance: ProcessInstance, workflow, *, status: str | None = None,
            error: dict | None = None, completed: dict[str, User] | None = None,
            submitted: dict[str, dict] | None = None, end_reason: str | None = None) -> projection.Projection:
    """Save the workflow, then bring every projection in line with it."""
    known = projection.known_state(instance)
    save(session, instance, workflow, status=status, error=error)
    return projection.sync(session, instance, workflow, known, completed=completed, submitted=submitted,
                           end_reason=end_reason)
