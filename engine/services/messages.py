"""Delivering BPMN messages to waiting instances.

A message goes to every instance waiting for it by name (a `message_wait` row), narrowed by
`instance_id` and by `correlation`: each key (a variable, or a dotted path into one) must equal
the value in the waiting task's data (e.g. `{"department": "D07"}`, `{"vote.ballot": "…"}`); with
a correlation only the matching waits of an instance catch it. When nothing waits, `NoMessageRecipient`
is raised: messages are not stored for later, so a sender learns at once that it is early.
The payload lands in task data under the catch event's `spiffworkflow:messageVariable`.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, connectors, repository, runtime
from engine.errors import NoMessageRecipient, ScriptError
from engine.models import MessageWait, ProcessInstance, User
from engine.serializer import json_safe
from engine.services.instances import fail, record_projection


def deliver(session: Session, name: str, payload, actor: User | None, *,
            correlation: dict | None = None, instance_id: int | None = None) -> list[int]:
    query = (select(MessageWait.instance_id, MessageWait.task_guid)
             .join(ProcessInstance, ProcessInstance.id == MessageWait.instance_id)
             .where(MessageWait.message_name == name,
                    ProcessInstance.status.in_(("running", "waiting", "error")))
             .order_by(MessageWait.instance_id, MessageWait.id))
    if instance_id is not None:
        query = query.where(MessageWait.instance_id == instance_id)
    waits: dict[int, list[str]] = {}
    for wait_instance, guid in session.execute(query):
        waits.setdefault(wait_instance, []).append(guid)
    payload = json_safe(payload)
    delivered = []
    for wait_instance, guids in waits.items():
        instance = repository.get_instance(session, wait_instance, refresh=True)
        workflow = repository.load(session, instance)
        matched = [guid for guid in guids if runtime.message_matches(workflow, guid, correlation)]
        if not matched:
            continue
        error = None
        try:
            with connectors.bound(session, actor, instance):
                runtime.deliver_message(workflow, name, payload, matched if correlation else None)
        except ScriptError as exc:
            error = exc
        changes = repository.persist(session, instance, workflow)
        audit.record(session, "message_received", actor, instance=instance,
                     details={"message": name, "correlation": correlation or {}}, after={"payload": payload})
        if error is not None:
            fail(session, instance, error, actor, already_saved=True)
        record_projection(session, instance, changes, actor)
        delivered.append(instance.id)
    if not delivered:
        raise NoMessageRecipient(f"No instance is waiting for the message '{name}'"
                                 + (f" with {correlation}" if correlation else "") + ".",
                                 name=name)
    return delivered
