"""Moving waiting instances to a newer version of their process, when that is safe.

Each instance is moved in a savepoint of the caller's transaction: one refused or failing
instance leaves the others moved. A moved instance gets the new version, its workflow on the
new definition, and the inbox rows of the waiting tasks whose definition changed described
afresh in place (same id, claim and draft), so a page open on such a task can still be
submitted; `instance_migrated` records both versions.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, connectors, migration, projection, repository, runtime, serializer
from engine.errors import Conflict, NotFound, ScriptError
from engine.models import ProcessInstance, ProcessVersion, User
from engine.permissions import require_admin
from engine.services import notifications

MOVABLE = ("running", "waiting")
MIGRATED = "migrated"  # the end reason of a task the new version ended (tasks.require_open names it)


@dataclass
class Outcome:
    """What happened to one instance. `code`: moved, not_later (already on that version or a
    later one), status (not running or waiting), blocked (see `blockers`), fails (the new version
    fails where the instance is), error (the task tree could not be moved); `reason` in English."""

    instance_id: int
    title: str
    moved: bool
    code: str = "moved"
    reason: str = ""
    blockers: list[migration.Blocker] = field(default_factory=list)
    params: dict = field(default_factory=dict)


def _version(session: Session, process_id: str, number: int) -> ProcessVersion:
    version = session.scalars(select(ProcessVersion).where(
        ProcessVersion.process_id == process_id, ProcessVersion.version == number)).first()
    if version is None:
        raise NotFound(f"Process '{process_id}' has no version {number}.", process=process_id)
    return version


def migrate_instance(session: Session, instance: ProcessInstance, target: ProcessVersion,
                     actor: User) -> Outcome:
    """Move one instance to `target` (a later version of its process), or say why not."""
    require_admin(actor, "move instances to another version")
    outcome = Outcome(instance.id, instance.title, False, "error")
    if instance.process_id != target.process_id:
        raise Conflict("An instance moves only to a version of its own process.", process=target.process_id)
    source = instance.version
    if target.version <= source.version:
        outcome.code, outcome.params = "not_later", {"version": source.version}
        outcome.reason = f"the instance is already on version {source.version}"
        return outcome
    if instance.status not in MOVABLE:
        outcome.code, outcome.params = "status", {"status": instance.status}
        outcome.reason = f"the instance is {instance.status}; only running or waiting instances are moved"
        return outcome
    workflow = repository.load(session, instance)
    # spec objects of our own: migration hangs them into the workflow, so the cached copy that
    # starts new instances must not be used
    spec, subspecs = serializer.load_spec(repository.spec_json(session, target.id))
    try:
        plan = migration.migrate(workflow, spec, subspecs, instance.visited or ())
        if not plan.blockers:
            with connectors.bound(session, actor, instance):
                runtime.advance(workflow)
    except ScriptError as exc:
        outcome.code, outcome.params = "fails", {"message": exc.message}
        outcome.reason = f"the new version fails here: {exc.message}"
        return outcome
    except Exception as exc:  # the instance keeps its version; the reason is shown
        outcome.reason = f"the task tree could not be moved ({type(exc).__name__}: {exc})"
        return outcome
    if plan.blockers:
        outcome.code, outcome.blockers = "blocked", plan.blockers
        outcome.reason = "reached tasks changed or were removed"
        audit.record(session, "instance_migration_refused", actor, instance=instance,
                     details={"from_version": source.version, "to_version": target.version,
                              "blockers": [_blocker_text(b) for b in plan.blockers]})
        return outcome
    changes = repository.persist(session, instance, workflow, end_reason=MIGRATED)
    projection.describe_again(session, instance, workflow, plan.changed_waiting)
    notifications.send_queued(session, instance)
    repository.set_status(session, instance, instance.status, process_version_id=target.id)
    session.expire(instance, ["version"])
    audit.record(session, "instance_migrated", actor, instance=instance,
                 before={"version": source.version}, after={"version": target.version},
                 details={"from_version": source.version, "to_version": target.version,
                          "from_version_id": source.id, "to_version_id": target.id,
                          "reset_tasks": plan.changed_waiting})
    for guid, element in changes.closed:
        audit.record(session, "task_cancelled", actor, instance=instance, task_guid=guid, element_id=element,
                     reason="the task is not in the new version")
    outcome.moved, outcome.code = True, "moved"
    return outcome


def _blocker_text(blocker: migration.Blocker) -> str:
    what = f"{blocker.element_id} ({blocker.name})" if blocker.name else blocker.element_id
    extra = f": {', '.join(blocker.changes)}" if blocker.changes else ""
    return f"{blocker.process_id}/{what} [{blocker.state}] {blocker.reason}{extra}"


def movable(session: Session, process_id: str, number: int, actor: User) -> list[tuple[int, str]]:
    """(id, title) of the running and waiting instances of one version, the ones a move takes."""
    require_admin(actor, "move instances to another version")
    source = _version(session, process_id, number)
    return [(row.id, row.title) for row in session.execute(
        select(ProcessInstance.id, ProcessInstance.title).where(
            ProcessInstance.process_version_id == source.id, ProcessInstance.status.in_(MOVABLE))
        .order_by(ProcessInstance.id))]


def migrate_version(session: Session, process_id: str, from_version: int, to_version: int,
                    actor: User, only: Collection[int] | None = None) -> list[Outcome]:
    """Move every running or waiting instance of one version to another (or those of them in
    `only`), each on its own."""
    require_admin(actor, "move instances to another version")
    source = _version(session, process_id, from_version)
    target = _version(session, process_id, to_version)
    if target.version <= source.version:
        raise Conflict("Instances move only to a later version.", process=process_id)
    ids = [instance_id for instance_id, _title in movable(session, process_id, from_version, actor)
           if not only or instance_id in only]
    outcomes = []
    for instance_id in ids:
        instance = repository.get_instance(session, instance_id)
        savepoint = session.begin_nested()
        try:
            outcome = migrate_instance(session, instance, target, actor)
        except Exception as exc:  # one instance never stops the others
            savepoint.rollback()
            session.info.pop(audit._HEAD_KEY, None)  # the audit head moved back with the savepoint
            outcomes.append(Outcome(instance_id, "", False, "error", f"{type(exc).__name__}: {exc}"))
            continue
        savepoint.commit()
        outcomes.append(outcome)
    return outcomes
