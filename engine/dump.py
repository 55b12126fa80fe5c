"""Writing a workflow as JSON without re-encoding the tasks that cannot have changed.

The output is SpiffWorkflow's own format (serializer 1.5, without the spec), so
`SERIALIZER.from_dict` reads it back. Each task's JSON is kept on the workflow object with a
key made of what can change it; a saved task whose key is unchanged is written from that copy.

Which tasks can change without a visible trace:
- tasks that are WAITING, STARTED, in ERROR, or READY but run by the engine: their data or
  internal data changes while their state stays (a multi-instance parent merging answers, a
  timer noting its due time); they are encoded every time;
- everything else changes state (or its children, or its parent) whenever it changes, and the
  key has those. Its data is written as a delta against its parent only while that parent is
  finished (its data then is final); otherwise in full, so the copy never depends on a parent
  that may still change.
"""
from __future__ import annotations

import json
from functools import lru_cache

from SpiffWorkflow.util.task import TaskState

from engine.serializer import SERIALIZER

ENCODER = SERIALIZER._encoder_cls
FINAL = TaskState.COMPLETED | TaskState.CANCELLED
ATTRIBUTE = "_pingyi_task_json"
_text = lru_cache(maxsize=1 << 16)(str)  # task ids: UUID.__str__ is slow and ids repeat on every save


def dump_workflow(workflow) -> str:
    """The workflow as JSON without its spec (as `serializer.dump_workflow`, but faster)."""
    previous = getattr(workflow, ATTRIBUTE, None) or {}
    kept: dict = {}
    top = _fields(workflow)
    top["bpmn_events"] = SERIALIZER.registry.convert(workflow.bpmn_events)
    top["typename"] = "BpmnWorkflow"
    subprocesses = ",".join(
        f'"{task_id}":{_with_tasks(_sub_fields(sub), sub, previous, kept)}'
        for task_id, sub in workflow.subprocesses.items())
    text = _with_tasks(top, workflow, previous, kept)
    setattr(workflow, ATTRIBUTE, kept)
    return f'{text[:-1]},"subprocesses":{{{subprocesses}}}}}'


def _fields(workflow) -> dict:
    return {
        "data": SERIALIZER.registry.clean(workflow.data),
        "correlations": workflow.correlations,
        "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
        "success": workflow.success,
        "completed": workflow.completed,
        "root": str(workflow.task_tree.id),
    }


def _sub_fields(sub) -> dict:
    fields = _fields(sub)
    fields.update(parent_task_id=str(sub.parent_task_id), spec=sub.spec.name, typename="BpmnSubWorkflow")
    return fields


def _with_tasks(fields: dict, workflow, previous: dict, kept: dict) -> str:
    head = json.dumps(fields, cls=ENCODER, separators=(",", ":"))
    tasks = ",".join([_task_json(task, previous, kept) for task in workflow.tasks.values()])
    return f'{head[:-1]},"tasks":{{{tasks}}}}}'


def _task_json(task, previous: dict, kept: dict) -> str:
    state = task._state
    parent = task.parent
    stable = bool(state & (FINAL | TaskState.PREDICTED_MASK | TaskState.FUTURE)) or \
        (state == TaskState.READY and task.task_spec.manual)
    as_delta = parent is not None and bool(parent._state & FINAL)
    key = None
    if stable:
        key = (state, task.last_state_change, task.triggered, task._parent, tuple(task._children), as_delta)
        hit = previous.get(task.id)
        if hit is not None and hit[0] == key:
            kept[task.id] = hit
            return hit[1]  # '"<id>":{...}', ready to join
    if as_delta:
        data, delta = {}, {
            "updates": {k: v for k, v in task.data.items() if k not in parent.data or parent.data[k] != v},
            "deletions": [k for k in parent.data if k not in task.data],
        }
    else:
        data, delta = task.data, {}
    task_id = _text(task.id)
    text = f'"{task_id}":' + json.dumps({
        "id": task_id,
        "parent": _text(task._parent) if parent is not None else None,
        "children": [_text(child) for child in task._children],
        "last_state_change": task.last_state_change,
        "state": state,
        "task_spec": task.task_spec.name,
        "triggered": task.triggered,
        "internal_data": task.internal_data,
        "data": data,
        "delta": delta,
        "typename": "Task",
    }, cls=ENCODER, separators=(",", ":"))
    if key is not None:
        kept[task.id] = (key, text)
    return text
