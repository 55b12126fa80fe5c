"""Compaction keeps the task tree small without changing what a process does.

Each scenario is driven twice with the same random choices: once by plain SpiffWorkflow, once
compacted and serialized after every step as the repository does. Both runs must offer the same
tasks at every step and end with the same data.
"""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from engine import bpmn, clock, runtime, serializer
from tests.conftest import bundle

SPEC_CACHE: dict = {}


def parsed(folder: str, process_id: str):
    if (folder, process_id) not in SPEC_CACHE:
        found = next(p for p in bpmn.check_bundle(bundle(folder)) if p.process_id == process_id)
        SPEC_CACHE[(folder, process_id)] = found
    return SPEC_CACHE[(folder, process_id)]


def answer(task, rng: random.Random) -> dict:
    name = task.task_spec.bpmn_id
    if name == "draft":
        return {"title": f"稿{rng.randint(1, 99)}", "round_no": rng.randint(0, 3)}
    if name in ("review",):
        return {"approved": rng.random() < 0.2}
    if name in ("legal", "finance", "expert"):
        return {f"{name}_ok": rng.random() < 0.5}
    if name == "deputy_task":
        return {"opinion": f"意见{rng.randint(1, 9)}"}
    if name == "vote":
        return {"choice": rng.choice(["满意", "基本满意", "不满意"])}
    return {"approved": rng.random() < 0.15} if name == "summarise" else {}


def drive(folder, process_id, data, seed, compact, steps=120, order="random"):
    clock.set_now(datetime(2023, 5, 1, tzinfo=UTC))
    rng = random.Random(seed)
    item = parsed(folder, process_id)
    spec_json = serializer.dump_spec(item.spec, item.subprocess_specs)
    workflow = runtime.new_workflow(item.spec, item.subprocess_specs, data)
    runtime.advance(workflow)
    trace, sizes = [], []
    for _ in range(steps):
        if compact:
            runtime.compact(workflow)
            workflow = serializer.load_workflow(serializer.dump_workflow(workflow), spec_json,
                                              serializer.SERIALIZER_VERSION)
        sizes.append(len(workflow.tasks))
        ready = sorted(runtime.ready_human_tasks(workflow), key=lambda t: (t.task_spec.name, str(t.data)))
        trace.append(tuple(t.task_spec.name for t in ready))
        if not ready:
            break
        if rng.random() < 0.2:  # let time pass: reminders fire
            clock.advance(timedelta(days=rng.randint(1, 5)))
            runtime.advance(workflow)
            continue
        task = ready[rng.randrange(len(ready))] if order == "random" else ready[0]
        if task.task_spec.bpmn_id == "draft":
            task.data["round_no"] = rng.randint(0, 3)
        runtime.complete(workflow, str(task.id), answer(task, rng))
    final = serializer.json_safe(workflow.data if workflow.is_completed() else workflow.last_task.data)
    return trace, final, workflow.is_completed(), sizes


# (folder, process, data, order): a parallel join inside a loop is driven in a fixed order,
# because plain SpiffWorkflow 3.2.0 fires such a join early when a later round's branches finish
# in another order (see test_parallel_join_in_a_loop_waits_for_every_branch)
SCENARIOS = [
    ("approval", "approval", {"unit": "教育局"}, "random"),
    ("parallel_loop", "parallel_loop", {"round_no": 1, "approved": False}, "first"),
    ("timers", "rectify", {"issued_on": "2023-05-01"}, "random"),
    ("lanes", "lanes", {"issued_on": "2023-05-01", "deputies": ["a", "b", "c", "d"]}, "random"),
    ("call", "opinions", {}, "random"),
    ("vote", "four_stage", {"voters": {f"v{i}": f"v{i}" for i in range(6)}}, "random"),
]


@pytest.mark.parametrize("folder, process_id, data, order", SCENARIOS, ids=[s[1] for s in SCENARIOS])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compaction_changes_nothing_a_process_does(folder, process_id, data, order, seed):
    plain = drive(folder, process_id, data, seed, compact=False, order=order)
    compacted = drive(folder, process_id, data, seed, compact=True, order=order)
    assert compacted[0] == plain[0]
    assert compacted[1] == plain[1]
    assert compacted[2] == plain[2]


def test_a_loop_stays_small():
    item = parsed("approval", "approval")
    sizes = {}
    for compact in (False, True):
        workflow = runtime.new_workflow(item.spec, item.subprocess_specs, {"unit": "教育局"})
        runtime.advance(workflow)
        for _ in range(150):  # draft, review, rejected: round and round
            [task] = runtime.ready_human_tasks(workflow)
            answer_ = {"title": "方案稿"} if task.task_spec.name == "draft" else {"approved": False}
            runtime.complete(workflow, str(task.id), answer_)
            if compact:
                runtime.compact(workflow)
        sizes[compact] = len(workflow.tasks)
    assert sizes[True] <= 12
    assert sizes[False] > 200  # without compaction the tree keeps growing


def test_parallel_loop_stays_small():
    trace, _, _, sizes = drive("parallel_loop", "parallel_loop", {"round_no": 1, "approved": False}, seed=5,
                               compact=True, steps=300, order="first")
    assert len(trace) == 300
    assert max(sizes) < 30


def test_parallel_join_in_a_loop_waits_for_every_branch():
    """Round 2 finishes its branches in another order than round 1: the join must still wait.

    Plain SpiffWorkflow 3.2.0 counts round 1's finished branches and fires round 2's join early
    (it offers 'draft' again while round 2's 'legal' is still open); with the finished rounds
    compacted away the join waits as BPMN says.
    """
    item = parsed("parallel_loop", "parallel_loop")
    workflow = runtime.new_workflow(item.spec, item.subprocess_specs, {"round_no": 0, "approved": False})
    runtime.advance(workflow)
    for name in ["draft", "legal", "finance", "draft", "finance"]:
        runtime.compact(workflow)
        ready = {t.task_spec.name: t for t in runtime.ready_human_tasks(workflow)}
        runtime.complete(workflow, str(ready[name].id), {"round_no": 0} if name == "draft" else {})
    assert sorted(t.task_spec.name for t in runtime.ready_human_tasks(workflow)) == ["legal"]
