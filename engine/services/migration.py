"""Moving waiting instances to a newer version of their process, when that is safe.

Each instance is moved in a savepoint of the caller's transaction: one refused or failing
instance leaves the others moved. A moved instance gets the new version, its workflow on the
new definition, and fresh inbox rows for the waiting tasks whose definition changed (a claim
and a saved draft carry over); `instance_migrated` records both versions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, connectors, migration, projection, repository, runtime, serializer
from engine.errors import Conflict, NotFound, ScriptError
from engine.models import HumanTask, ProcessInstance, ProcessVersion, TaskState, User
from engine.permissions import require_admin
from engine.services import notifications

MOVABLE = ("running", "waiting")


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


def _keep_rows(session: Session, instance: ProcessInstance, guids: list[str]) -> dict[str, tuple]:
    """Drop the open inbox rows of changed waiting tasks (sync describes them anew); return
    each one's claim and draft to put back."""
    kept = {}
    for row in session.scalars(select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.task_guid.in_(guids),
            HumanTask.state == TaskState.OPEN)):
        kept[row.task_guid] = (row.assignee_id, row.draft, row.draft_saved_at)
        session.expunge(row)
    for guid in kept:
        projection.drop_open_row(session, instance, guid)
    return kept


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
    kept = _keep_rows(session, instance, plan.changed_waiting)
    changes = repository.persist(session, instance, workflow)
    notifications.send_queued(session, instance)
    repository.set_status(session, instance, instance.status, process_version_id=target.id)
    session.expire(instance, ["version"])
    _restore_rows(session, instance, kept)
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


def _restore_rows(session: Session, instance: ProcessInstance, kept: dict[str, tuple]) -> None:
    if not kept:
        return
    for row in session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                       HumanTask.task_guid.in_(list(kept)),
                                                       HumanTask.state == TaskState.OPEN)):
        assignee, draft, saved_at = kept[row.task_guid]
        if row.assignee_id is None and assignee is not None:
            row.assignee_id = assignee
        if draft is not None:
            row.draft, row.draft_saved_at = draft, saved_at
    session.flush()


def _blocker_text(blocker: migration.Blocker) -> str:
    what = f"{blocker.element_id} ({blocker.name})" if blocker.name else blocker.element_id
    extra = f": {', '.join(blocker.changes)}" if blocker.changes else ""
    return f"{blocker.process_id}/{what} [{blocker.state}] {blocker.reason}{extra}"


def migrate_version(session: Session, process_id: str, from_version: int, to_version: int,
                    actor: User) -> list[Outcome]:
    """Move every running or waiting instance of one version to another, each on its own."""
    require_admin(actor, "move instances to another version")
    source = _version(session, process_id, from_version)
    target = _version(session, process_id, to_version)
    if target.version <= source.version:
        raise Conflict("Instances move only to a later version.", process=process_id)
    ids = list(session.scalars(select(ProcessInstance.id).where(
        ProcessInstance.process_version_id == source.id, ProcessInstance.status.in_(MOVABLE))
        .order_by(ProcessInstance.id)))
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
