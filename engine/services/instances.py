"""Starting, suspending, resuming, terminating and retrying process instances."""
from __future__ import annotations

import copy
import secrets

from sqlalchemy.orm import Session

from engine import audit, clock, connectors, projection, repository, rerun, runtime, serializer, validation
from engine.errors import Conflict, InvalidInput, PermissionDenied, ScriptError
from engine.models import ProcessInstance, ProcessVersion, User
from engine.permissions import require_admin, require_reason
from engine.services import notifications, year_start
from engine.services.processes import latest_version, list_latest, start_lanes

ACTIVE = ("running", "waiting", "error")


def error_record(error: ScriptError, task_guid: str | None = None) -> dict:
    """What the instance keeps about a failure: where, what, and a reference number for users."""
    return {
        "ref": secrets.token_hex(4).upper(),
        "element_id": error.element_id,
        "task": error.task_name,
        "task_guid": task_guid,
        "line": error.line,
        "message": error.message,
        "at": clock.now().isoformat(),
    }


def record_projection(session: Session, instance: ProcessInstance, changes: projection.Projection,
                      actor: User | None) -> None:
    """Audit what the engine closed by itself, fail the instance on assignment errors, and send the reminders
    its step queued (now that the tasks they are about are saved)."""
    notifications.send_queued(session, instance)
    for guid, element in changes.closed:  # the event says it all: no reason to translate
        audit.record(session, "task_cancelled", actor, instance=instance, task_guid=guid, element_id=element)
    if changes.errors:
        guid, error = changes.errors[0]
        fail(session, instance, error, actor, task_guid=guid, already_saved=True)


def fail(session: Session, instance: ProcessInstance, error: ScriptError, actor: User | None,
         task_guid: str | None = None, already_saved: bool = False) -> None:
    record = error_record(error, task_guid)
    if already_saved:
        repository.set_status(session, instance, "error", error=record)
    else:
        instance.error = record
    audit.record(session, "instance_failed", actor, instance=instance, element_id=error.element_id,
                 details=record)


def start_instance(session: Session, process_id: str, actor: User | None, data: dict | None = None, *,
                   title: str | None = None, business_key: str | None = None,
                   version: ProcessVersion | None = None) -> ProcessInstance:
    """Start the latest version of a process (or `version`, already looked up) with initial data and
    run it to its first wait."""
    version = version or latest_version(session, process_id)
    spec, subspecs = repository.spec_objects(session, version.id)
    data = serializer.json_safe(data or {})
    workflow = runtime.new_workflow(spec, subspecs, data)
    error = None
    try:
        with connectors.bound(session, actor):
            runtime.advance(workflow)
    except ScriptError as exc:
        error = exc
    instance = ProcessInstance(
        process_version_id=version.id, process_id=version.process_id, version=version,
        title=(" ".join((title or "").split()) or version.name or process_id)[:255], business_key=business_key,
        started_by_id=actor.id if actor else None, started_at=clock.now())
    repository.insert(session, instance, workflow)
    audit.record(session, "instance_started", actor, instance=instance, after=data,
                 details={"version": version.version, "title": instance.title, "business_key": business_key})
    if error is not None:
        fail(session, instance, error, actor)
        session.flush()
    changes = projection.sync(session, instance, workflow, projection.RowState())
    record_projection(session, instance, changes, actor)
    return instance


def may_start(session: Session, version: ProcessVersion, user: User) -> bool:
    """Members of the start event's lane may start a process; administrators always."""
    if not user.is_active or user.is_auditor or not version.is_startable:
        return False
    if user.is_admin:
        return True
    return version.start_lane is not None and version.start_lane in {g.name for g in user.groups}


def may_start_any(session: Session, user: User) -> bool:
    """Whether the start page has anything for the user (the navigation hides it otherwise)."""
    if not user.is_active or user.is_auditor:
        return False
    return user.is_admin or bool(start_lanes(session) & {g.name for g in user.groups})


def startable(session: Session, user: User) -> list[ProcessVersion]:
    return [v for v in list_latest(session) if may_start(session, v, user)]


def start_by_user(session: Session, process_id: str, user: User, data: dict | None = None, *,
                  title: str | None = None, business_key: str | None = None) -> ProcessInstance:
    """Start from the start page or the API: checks who may start and the start form's data."""
    version = latest_version(session, process_id)
    if not may_start(session, version, user):
        raise PermissionDenied("You may not start this process.", process=process_id)
    clean = serializer.json_safe(data or {})
    if version.start_form_key:
        schema = repository.forms_of(session, version.id).get(version.start_form_key)
        if schema:
            validation.check_fields(schema, clean)
            errors = validation.schema_errors(validation.resolve_schema(schema, {}), clean)
            if errors:
                raise InvalidInput("Some answers are missing or invalid.", errors=errors)
    title, business_key = year_start.check_start(session, process_id, clean, title, business_key)
    return start_instance(session, process_id, user, clean, title=title, business_key=business_key, version=version)


def get_instance(session: Session, instance_id: int) -> ProcessInstance:
    return repository.get_instance(session, instance_id)


def task_data(session: Session, instance: ProcessInstance) -> dict:
    """The instance's current data: the last completed task's, or the workflow's when done."""
    workflow = repository.peek(session, instance)
    if workflow.is_completed():
        return serializer.json_safe(workflow.data)
    last = workflow.last_task
    return serializer.json_safe(last.data if last is not None else workflow.task_tree.data)


def suspend(session: Session, instance_id: int, actor: User, reason: str | None) -> ProcessInstance:
    require_admin(actor, "suspend an instance")
    reason = require_reason(reason, "suspend an instance")
    instance = repository.get_instance(session, instance_id)
    if instance.status not in ACTIVE:
        raise Conflict(f"A {instance.status} instance cannot be suspended.", status=instance.status)
    previous = instance.status
    repository.set_status(session, instance, "suspended", status_before_suspend=previous, status_reason=reason)
    audit.record(session, "instance_suspended", actor, instance=instance, reason=reason,
                 before={"status": previous}, after={"status": "suspended"})
    return instance


def resume(session: Session, instance_id: int, actor: User, reason: str | None) -> ProcessInstance:
    require_admin(actor, "resume an instance")
    reason = require_reason(reason, "resume an instance")
    instance = repository.get_instance(session, instance_id)
    if instance.status != "suspended":
        raise Conflict("Only a suspended instance can be resumed.", status=instance.status)
    status = instance.status_before_suspend or "running"
    repository.set_status(session, instance, status, status_before_suspend=None, status_reason=None)
    audit.record(session, "instance_resumed", actor, instance=instance, reason=reason,
                 before={"status": "suspended"}, after={"status": status})
    return instance


def terminate(session: Session, instance_id: int, actor: User, reason: str | None) -> ProcessInstance:
    require_admin(actor, "terminate an instance")
    reason = require_reason(reason, "terminate an instance")
    instance = repository.get_instance(session, instance_id)
    if instance.status in ("completed", "terminated"):
        raise Conflict(f"A {instance.status} instance cannot be terminated.", status=instance.status)
    previous = instance.status
    workflow = repository.load(session, instance)
    runtime.cancel(workflow)
    changes = repository.persist(session, instance, workflow, status="terminated",
                                 end_reason=f"terminated: {reason}")
    repository.set_status(session, instance, "terminated", status_reason=reason)
    audit.record(session, "instance_terminated", actor, instance=instance, reason=reason,
                 before={"status": previous}, after={"status": "terminated"})
    record_projection(session, instance, changes, actor)
    return instance


def retry(session: Session, instance_id: int, actor: User, data_patch: dict | None = None,
          reason: str | None = None) -> ProcessInstance:
    """After a script or condition failed: correct data (optional) and run the failed step again."""
    require_admin(actor, "retry an instance")
    instance = repository.get_instance(session, instance_id)
    if instance.status != "error":
        raise Conflict("Only an instance in error can be retried.", status=instance.status)
    patch = serializer.json_safe(data_patch or {})
    previous_error = copy.deepcopy(instance.error or {})
    workflow = repository.load(session, instance)
    error = None
    try:
        with connectors.bound(session, actor, instance):
            if runtime.error_tasks(workflow):
                rerun.rerun_failed(workflow, patch)
            else:  # the failure was in a READY task's assignment expressions
                guid = previous_error.get("task_guid")
                if guid:
                    runtime.find_task(workflow, guid).data.update(copy.deepcopy(patch))
                    projection.drop_open_row(session, instance, guid)
                runtime.advance(workflow)
    except ScriptError as exc:
        error = exc
    changes = repository.persist(session, instance, workflow)
    audit.record(session, "instance_retried", actor, instance=instance, reason=reason,
                 after=patch or None, details={"previous_error": previous_error})
    if error is not None:  # in error even when no task is left in ERROR (a multi-instance failing to merge, say)
        fail(session, instance, error, actor, already_saved=True)
    record_projection(session, instance, changes, actor)
    return instance
