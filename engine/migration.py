"""Moving a running workflow onto a newer version of its process, with SpiffWorkflow's
`SpecDiff`/`WorkflowDiff`/`migrate_workflow` (SpiffWorkflow.bpmn.util.diff). No database here.

Safe means: nothing the instance has already done is different in the new version. A task the
instance has reached (completed, started, failed or cancelled in the task tree, or an element
in `visited`, the path so far) may not be removed, and may change only in what does not alter
the path taken: its name, documentation, lane and extensions (form, instructions, due date,
candidates...). Waiting tasks (READY or WAITING) may change in any way but may not be removed:
they are reset onto the new definition (SpiffWorkflow re-predicts what follows them); a timer
that is waiting keeps its due time unless its own definition changed.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from engine.serializer import SERIALIZER

REACHED = TaskState.COMPLETED | TaskState.STARTED | TaskState.ERROR | TaskState.CANCELLED
WAITING = TaskState.READY | TaskState.WAITING
HARMLESS = frozenset({"bpmn_name", "documentation", "extensions", "lane", "description"})
REGISTRY = SERIALIZER.registry


@dataclass(frozen=True)
class Blocker:
    """A reached element that the new version changed or removed."""

    process_id: str
    element_id: str
    name: str
    reason: str             # "changed", "removed", or a sentence
    state: str = ""         # where the instance is with it: "COMPLETED", "READY", "visited"...
    changes: tuple[str, ...] = ()


@dataclass
class Plan:
    blockers: list[Blocker] = field(default_factory=list)
    changed_waiting: list[str] = field(default_factory=list)  # task guids of READY/WAITING tasks with new specs
    redefined: set[str] = field(default_factory=set)  # of those, the ones changed in more than name, lane, form...
    steps: list = field(default_factory=list)  # (workflow, WorkflowDiff, new spec)


def _element(task_spec) -> str:
    return getattr(task_spec, "bpmn_id", None) or task_spec.name


def _real_changes(spec_diff: SpecDiff, spec, changes) -> set[str]:
    """What changed in a task spec, not counting an event definition that differs only by the
    element's name (SpiffWorkflow names a timer's definition after its element; a message's
    definition carries the message name, which does count)."""
    found = set(changes)
    new = spec_diff.alignment.get(spec)
    if "event_definition" in found and new is not None:
        old_def, new_def = REGISTRY.convert(spec.event_definition), REGISTRY.convert(new.event_definition)
        if old_def.get("name") == spec.bpmn_name and new_def.get("name") == new.bpmn_name:
            old_def.pop("name"), new_def.pop("name")
            if old_def == new_def:
                found.discard("event_definition")
    return found


def _check(plan: Plan, workflow, spec_diff: SpecDiff, visited: set[str]) -> None:
    process = workflow.spec.name
    changed = {spec: _real_changes(spec_diff, spec, changes) for spec, changes in spec_diff.changed.items()}
    removed = set(spec_diff.removed)
    seen = set()
    for task in workflow.tasks.values():
        spec = task.task_spec
        state = TaskState.get_name(task.state)
        if spec in removed and task.has_state(REACHED | WAITING):
            plan.blockers.append(Blocker(process, _element(spec), spec.bpmn_name or "", "removed", state))
        elif spec in changed and task.has_state(WAITING):
            plan.changed_waiting.append(str(task.id))
            if changed[spec] - HARMLESS:
                plan.redefined.add(str(task.id))
        elif spec in changed and task.has_state(REACHED) and spec.bpmn_id and changed[spec] - HARMLESS:
            plan.blockers.append(Blocker(process, spec.bpmn_id, spec.bpmn_name or "", "changed", state,
                                         tuple(sorted(changed[spec]))))
        else:
            continue
        seen.add(spec)
    for spec in workflow.spec.task_specs.values():
        if spec in seen or not getattr(spec, "bpmn_id", None) or spec.bpmn_id not in visited:
            continue
        if spec in removed:
            plan.blockers.append(Blocker(process, spec.bpmn_id, spec.bpmn_name or "", "removed", "visited"))
        elif spec in changed and changed[spec] - HARMLESS:
            plan.blockers.append(Blocker(process, spec.bpmn_id, spec.bpmn_name or "", "changed", "visited",
                                         tuple(sorted(changed[spec]))))


def _diff(plan: Plan, workflow, new_spec, visited: set[str]) -> None:
    try:
        spec_diff = SpecDiff(REGISTRY, workflow.spec, new_spec)
        workflow_diff = WorkflowDiff(workflow, spec_diff)
    except Exception as exc:  # SpiffWorkflow calls this "brand new"; never let it crash a page
        plan.blockers.append(Blocker(workflow.spec.name, "", "", f"the versions could not be compared ({exc})"))
        return
    _check(plan, workflow, spec_diff, visited)
    plan.steps.append((workflow, workflow_diff, new_spec))


def plan(workflow, new_spec, new_subspecs: dict, visited=()) -> Plan:
    """What stands in the way of moving `workflow` onto `new_spec` (and its called processes)."""
    result = Plan()
    visited = set(visited or ())
    _diff(result, workflow, new_spec, visited)
    for subprocess in workflow.subprocesses.values():
        target = new_subspecs.get(subprocess.spec.name)
        if target is None:
            caller = workflow.get_task_from_id(subprocess.parent_task_id)
            element = _element(caller.task_spec) if caller is not None else ""
            result.blockers.append(Blocker(subprocess.spec.name, element, "", "removed", "STARTED"))
            continue
        _diff(result, subprocess, target, visited)
    return result


def migrate(workflow, new_spec, new_subspecs: dict, visited=()) -> Plan:
    """Move the workflow onto the new spec when the plan has no blockers (otherwise leave it).

    SpiffWorkflow resets every READY and WAITING task (to re-predict what follows them), which
    gives each its parent's data and empties its internal state. Both are put back afterwards: a
    multi-instance child keeps its item and index, a task its data; only a waiting event whose own
    definition changed (not merely its name, lane or form) starts afresh, so a changed timer
    computes its due time again while a renamed one keeps it. Each workflow's last completed task
    is put back too (see `_restore_last_task`)."""
    result = plan(workflow, new_spec, new_subspecs, visited)
    if result.blockers:
        return result
    kept = {task.id: (copy.deepcopy(task.data), copy.deepcopy(task.internal_data))
            for one, _diff, _spec in result.steps for task in one.tasks.values() if task.has_state(WAITING)}
    last = [(one, one.last_task.id if one.last_task is not None else None) for one, _diff, _spec in result.steps]
    for one, workflow_diff, spec in result.steps:
        migrate_workflow(workflow_diff, one, spec)
    for one, task_id in last:
        _restore_last_task(one, task_id)
    workflow.subprocess_specs = dict(new_subspecs)
    for one, _diff, _spec in result.steps:
        for task in one.tasks.values():
            if task.id not in kept or not task.has_state(WAITING):
                continue
            data, internal = kept[task.id]
            task.data = data
            if not (task.state == TaskState.WAITING and str(task.id) in result.redefined):
                task.internal_data = internal
    stray = [(one.spec.name, task.task_spec.name) for one, _diff, _spec in result.steps
             for task in one.tasks.values() if one.spec.task_specs.get(task.task_spec.name) is not task.task_spec]
    if stray:
        raise ValueError(f"tasks left on the old definition: {stray}")
    return result


def _restore_last_task(workflow, task_id) -> None:
    """SpiffWorkflow's `migrate_workflow` drops `last_task` (it tests the task, not its id, against
    the task dict), yet the instance's current data is the last task's, and a called process hands
    its last task's data back to its caller. The same task is kept where it survived the move (a
    completed task always does); otherwise the most recently completed one stands in for it."""
    task = workflow.tasks.get(task_id) if task_id is not None else None
    if task is None and task_id is not None:
        done = [t for t in workflow.tasks.values() if t.has_state(TaskState.COMPLETED)]
        task = max(done, key=lambda t: t.last_state_change, default=None)
    workflow.last_task = task
