"""Pure functions on a `BpmnWorkflow`: start, advance, complete, inspect. No database here.

SpiffWorkflow's `run()` checks nothing, so `complete` checks the task's state and data first.
Engine failures (a script, a condition, a timer expression) become `ScriptError`; the failing
task is left in SpiffWorkflow's ERROR state so the instance can be saved and retried.
"""
from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import SpiffWorkflow.bpmn.specs.event_definitions.timer as spiff_timer
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState as SpiffState

from engine import clock, dates
from engine.errors import Conflict, InvalidInput, NotFound, ScriptError
from engine.script_env import make_script_engine

# SpiffWorkflow reads "now" from the `datetime` name of its timer module; point it at our clock.
spiff_timer.datetime = clock.ClockDateTime


@dataclass(frozen=True)
class WaitingTimer:
    task_guid: str
    element_id: str
    name: str
    event_type: str
    due_at: datetime


@dataclass(frozen=True)
class WaitingMessage:
    task_guid: str
    element_id: str
    message_name: str


def new_workflow(spec, subprocess_specs, data: dict | None = None) -> BpmnWorkflow:
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=make_script_engine())
    start = workflow.get_next_task(state=SpiffState.READY)
    if data and start is not None:
        start.data.update(copy.deepcopy(data))
    return workflow


VISITED = "_pingyi_visited"


def note_visit(task) -> None:
    element = task.task_spec.bpmn_id
    if element:
        workflow = task.workflow.top_workflow
        visited = getattr(workflow, VISITED, None)
        if visited is None:
            visited = []
            setattr(workflow, VISITED, visited)
        if element not in visited:
            visited.append(element)


def take_visited(workflow: BpmnWorkflow) -> list[str]:
    """Element ids completed since the last call (the task tree itself forgets finished work)."""
    visited = getattr(workflow, VISITED, None) or []
    setattr(workflow, VISITED, [])
    return visited


@contextmanager
def engine_errors():
    """Whatever running the engine raises comes out as a ScriptError (also for engine/rerun.py)."""
    try:
        yield
    except SpiffWorkflowException as exc:
        raise script_error(exc) from None
    except Exception as exc:  # a bug in SpiffWorkflow itself; still locate what we can
        raise ScriptError(f"{type(exc).__name__}: {exc}", detail=str(exc)) from None


def advance(workflow: BpmnWorkflow) -> None:
    """Fire due timers and run engine tasks until only people, timers or messages can move on."""
    with engine_errors():
        workflow.refresh_timers()
        workflow.do_engine_steps(did_complete_task=note_visit)


FAILED_IN = "pingyi_failed_in"


def _note_failure(task, exc: SpiffWorkflowException) -> None:
    """Note in a failed task which part raised ("prescript", "postscript", "run"), for `retry`."""
    if task is not None and task.state == SpiffState.ERROR:
        notes = " ".join(getattr(exc, "notes", None) or [])
        task.internal_data[FAILED_IN] = "prescript" if "Pre-Script" in notes else \
            "postscript" if "Post-Script" in notes else "run"


def script_error(exc: SpiffWorkflowException) -> ScriptError:
    task = getattr(exc, "task", None)
    _note_failure(task, exc)
    task_spec = getattr(exc, "task_spec", None) or (task.task_spec if task is not None else None)
    element = getattr(task_spec, "bpmn_id", None) or getattr(task_spec, "name", "") or ""
    name = getattr(task_spec, "bpmn_name", None) or element
    line = getattr(exc, "line_number", None) or None
    detail = str(exc).strip()
    cause = exc.__cause__ or exc.__context__
    if cause is not None and not isinstance(cause, SpiffWorkflowException) and str(cause) not in detail:
        detail += f" ({type(cause).__name__}: {cause})"
    where = f"'{name}' ({element})" if name != element else f"'{element}'"
    text = f"Error in {where}" + (f", line {line}" if line else "") + f": {detail}"
    return ScriptError(text, element_id=element, task_name=name, line=line, detail=detail)


def find_task(workflow: BpmnWorkflow, task_guid: str):
    try:
        task = workflow.get_task_from_id(UUID(task_guid))
    except (TaskNotFoundException, ValueError, KeyError):
        task = None
    if task is None:
        raise NotFound(f"Task {task_guid} is not part of this instance.", task=task_guid)
    return task


def _all_tasks(workflow: BpmnWorkflow):
    """Every task of the workflow and its subprocesses, in creation order (no tree walk)."""
    yield from workflow.tasks.values()
    for subprocess in workflow.subprocesses.values():
        yield from subprocess.tasks.values()


def ready_human_tasks(workflow: BpmnWorkflow) -> list:
    return [t for t in _all_tasks(workflow) if t.state == SpiffState.READY and t.task_spec.manual]


def error_tasks(workflow: BpmnWorkflow) -> list:
    return [t for t in _all_tasks(workflow) if t.state == SpiffState.ERROR and not _interrupted(t)]


def _interrupted(task) -> bool:
    """An interrupting boundary event replaced the task (SpiffWorkflow leaves a task in ERROR uncancelled)."""
    parent = task.parent
    return parent is not None and isinstance(parent.task_spec, BoundaryEventSplit) and any(
        isinstance(other.task_spec, BoundaryEvent) and other.task_spec.cancel_activity
        and other.has_state(SpiffState.READY | SpiffState.COMPLETED) for other in parent.children)


def status_of(workflow: BpmnWorkflow) -> str:
    if workflow.is_completed():
        return "completed"
    ready = False
    for task in _all_tasks(workflow):
        if task.state == SpiffState.ERROR and not _interrupted(task):
            return "error"
        ready = ready or (task.state == SpiffState.READY and task.task_spec.manual)
    return "running" if ready else "waiting"


def output_item_of(task) -> str | None:
    """The output data item a multi-instance child must set, if any."""
    parent_spec = task.parent.task_spec if task.parent is not None else None
    if isinstance(parent_spec, MultiInstanceTask) and parent_spec.output_item is not None:
        return parent_spec.output_item.bpmn_id
    return None


def _branch(task):
    """(the outermost multi-instance instance the task runs in, its multi-instance parent), or None."""
    found = None
    while task is not None:
        parent = task.parent
        if parent is not None and isinstance(parent.task_spec, MultiInstanceTask) \
                and task.task_spec.name == parent.task_spec.task_spec:  # an instance, not the next step
            found = (task, parent)
        if parent is None and task.workflow.parent_task_id is not None:  # up from a subprocess's root
            parent = task.workflow.parent_workflow.get_task_from_id(task.workflow.parent_task_id)
        task = parent
    return found


def branch_of(task) -> str | None:
    """The outermost multi-instance instance the task runs in (a department's copy of a per-department
    call activity, say), as its task id; None for a task on the main line. Tasks of one branch see
    each other's work; a participant of one branch does not see another's."""
    found = _branch(task)
    return str(found[0].id) if found is not None else None


LABEL_KEYS = ("name", "title", "label", "department")


def branch_and_label(task) -> tuple[str | None, str | None]:
    """`branch_of(task)` and what that branch is about: its multi-instance item (the department a
    per-department copy runs for), as text: an item that is a mapping gives its name or title."""
    found = _branch(task)
    if found is None:
        return None, None
    branch, parent = found
    item = parent.task_spec.input_item
    value = branch.data.get(item.bpmn_id) if item is not None else None
    if isinstance(value, dict):
        value = next((value[key] for key in LABEL_KEYS if isinstance(value.get(key), str) and value[key].strip()),
                     None)
    label = str(value).strip()[:255] if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    return str(branch.id), label or None


def complete(workflow: BpmnWorkflow, task_guid: str, data: dict) -> None:
    """Complete a READY manual task with `data` and advance. Nothing changes if the checks fail."""
    task = find_task(workflow, task_guid)
    if not task.task_spec.manual:
        raise Conflict("This is not a task for a person.", task=task_guid)
    if task.state != SpiffState.READY:
        raise Conflict(f"The task is {SpiffState.get_name(task.state)}, not READY.", task=task_guid)
    output = output_item_of(task)
    if output and output not in data and output not in task.data:
        raise InvalidInput(f"The answer '{output}' is missing.", errors={output: "required"})
    task.data.update(copy.deepcopy(data))
    with engine_errors():
        task.run()
    note_visit(task)
    advance(workflow)


def cancel(workflow: BpmnWorkflow) -> None:
    workflow.cancel()


def waiting_timers(workflow: BpmnWorkflow) -> list[WaitingTimer]:
    timers = []
    for task in list(workflow.event_manager.tasks.values()):
        definition = task.task_spec.event_definition
        if not isinstance(definition, TimerEventDefinition):
            continue
        value = definition.details(task).value
        if isinstance(definition, CycleTimerEventDefinition) and isinstance(value, dict):
            value = value.get("next")
        if not value:
            continue
        timers.append(WaitingTimer(
            task_guid=str(task.id), element_id=task.task_spec.bpmn_id or task.task_spec.name,
            name=definition.name or "", event_type=type(definition).__name__,
            due_at=dates.to_datetime(value)))
    return timers


def waiting_messages(workflow: BpmnWorkflow) -> list[WaitingMessage]:
    waits = []
    for task in list(workflow.event_manager.tasks.values()):
        definition = task.task_spec.event_definition
        if isinstance(definition, MessageEventDefinition):
            waits.append(WaitingMessage(str(task.id), task.task_spec.bpmn_id or task.task_spec.name,
                                        definition.name))
    return waits


def _lookup(data: dict, path: str):
    """data["a"]["b"] for the path "a.b" (None when any step is missing)."""
    value = data
    for step in path.split("."):
        if not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    return value


def message_matches(workflow: BpmnWorkflow, task_guid: str, correlation: dict | None) -> bool:
    """True when the waiting task's data has every correlation key (a dotted path) with the given value."""
    if not correlation:
        return True
    task = find_task(workflow, task_guid)
    return all(_lookup(task.data, key) == value for key, value in correlation.items())


def deliver_message(workflow: BpmnWorkflow, name: str, payload, task_guids: list[str] | None = None) -> None:
    """Deliver to every task waiting for `name`, or only to the given waiting tasks (correlated)."""
    event = BpmnEvent(MessageEventDefinition(name), payload=payload)
    try:
        if task_guids is None:
            workflow.send_event(event)
        else:
            for guid in task_guids:
                task = find_task(workflow, guid)
                if task.task_spec.catches(task, event):
                    task.task_spec.catch(task, event)
                    task.task_spec._update(task)
    except SpiffWorkflowException as exc:
        raise script_error(exc) from None
    advance(workflow)


def compact(workflow: BpmnWorkflow) -> int:
    """Drop finished history that nothing can reach any more; returns how many tasks went.

    SpiffWorkflow keeps every task it ever ran, so a looping process grows without end and
    every step (which walks the whole tree) and every save gets slower. Our audit trail keeps
    the history, so the tree only needs what can still run. All unfinished tasks descend from
    their lowest common ancestor L; everything that is not below L's parent P is finished.
    That finished part is removed and P is hung directly under the root (the Start task, which
    keeps the initial data). Nothing is removed while a join is waiting or ready, because joins
    look at finished tasks of their sibling branches, and P is kept so a failed task can still
    be retried from its parent's data.
    """
    root = workflow.task_tree
    done = SpiffState.COMPLETED | SpiffState.CANCELLED  # a task in ERROR can still be retried
    unfinished = [t for t in workflow.tasks.values() if not t.has_state(done)]
    if not unfinished:
        return 0
    if any(isinstance(t.task_spec, Join) and t.has_state(SpiffState.WAITING | SpiffState.READY)
           for t in unfinished):
        return 0
    lowest = _common_ancestor(unfinished)
    keep_top = lowest.parent if lowest is not None else None
    if keep_top is None or keep_top is root or keep_top.parent is root:
        return 0
    keep = {root.id}
    stack = [keep_top]
    while stack:
        task = stack.pop()
        keep.add(task.id)
        stack.extend(task.children)
    dropped = [tid for tid in workflow.tasks if tid not in keep]
    for tid in dropped:
        if tid in workflow.subprocesses:
            workflow.delete_subprocess(workflow.tasks[tid])
    root._children = [keep_top.id]
    keep_top._parent = root.id
    for tid in dropped:
        workflow.tasks.pop(tid, None)
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = keep_top
    return len(dropped)


def _common_ancestor(tasks):
    path = []
    node = tasks[0]
    while node is not None:
        path.append(node)
        node = node.parent
    path.reverse()  # root ... first task
    index = {task.id: i for i, task in enumerate(path)}
    deepest = len(path) - 1
    for task in tasks[1:]:
        node = task
        while node is not None and node.id not in index:
            node = node.parent
        if node is None:
            return None
        deepest = min(deepest, index[node.id])
    return path[deepest]
