"""Running the failed steps of an instance again where they stand (an administrator's retry).

Unlike SpiffWorkflow's `reset_from_task_id`, which rebuilds a task from its parent (a multi-instance
child then loses its item and merge key, a task its boundary events and timers), a failed task is
made ready or run again in place. engine/runtime.py notes in each failed task which part raised
(FAILED_IN), and that decides how it is run again.
"""
from __future__ import annotations

import copy

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState as SpiffState

from engine.runtime import FAILED_IN, advance, engine_errors, error_tasks, note_visit


def rerun_failed(workflow: BpmnWorkflow, data_patch: dict | None = None) -> list[str]:
    """Run every task in ERROR again where it stands, with corrected data, and advance; returns their
    element ids. Unlike SpiffWorkflow's `reset_from_task_id`, this keeps what the task's place holds:
    a multi-instance's input item and merge key, attached boundary events and timers, its subprocess."""
    failed = error_tasks(workflow)
    with engine_errors():
        for task in failed:
            _run_again(task, data_patch or {})
    advance(workflow)
    return [task.task_spec.bpmn_id or task.task_spec.name for task in failed]


def _run_again(task, patch: dict) -> None:
    """A pre-script failed (or a user task's part is unknown): get ready again. A user task's post-script
    failed: complete it again with the answers it was given. Anything else: run again."""
    failed_in = task.internal_data.pop(FAILED_IN, None)
    manual = task.task_spec.manual
    if failed_in == "prescript" or (manual and failed_in != "postscript"):
        return _prepare_again(task, patch)
    task.data.update(copy.deepcopy(patch))
    task._set_state(SpiffState.READY)
    if manual:
        task.run()
        note_visit(task)


def _prepare_again(task, patch: dict) -> None:
    """What SpiffWorkflow does when a task's turn comes (take the parent's data, run the pre-script, get
    ready), with the patch over the parent's data; then the later siblings the failure kept waiting."""
    parent, given = task.parent, task.parent.data
    parent.data = {**given, **copy.deepcopy(patch)}
    try:
        task._set_state(SpiffState.WAITING)
        task.task_spec._update(task)
    finally:
        parent.data = given
    if parent.has_state(SpiffState.COMPLETED):
        for sibling in parent.children[parent.children.index(task) + 1:]:
            if sibling.has_state(SpiffState.PREDICTED_MASK | SpiffState.FUTURE):
                sibling.task_spec._update(sibling)
