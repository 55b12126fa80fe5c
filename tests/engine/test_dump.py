"""The fast dump writes what SpiffWorkflow's serializer writes, step after step."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from engine import clock, dump, runtime, serializer
from tests.engine.test_compaction import SCENARIOS, answer, parsed


def normalized(workflow) -> dict:
    """Everything a workflow is made of, as plain values (task data reconstructed)."""
    def tasks(wf):
        return {str(t.id): (str(t._parent), [str(c) for c in t._children], t.state, t.task_spec.name,
                            t.triggered, serializer.json_safe(t.internal_data), serializer.json_safe(t.data),
                            t.last_state_change)
                for t in wf.tasks.values()}
    return {
        "tasks": tasks(workflow),
        "data": serializer.json_safe(workflow.data),
        "last_task": str(workflow.last_task.id) if workflow.last_task else None,
        "root": str(workflow.task_tree.id),
        "completed": workflow.completed,
        "subprocesses": {str(k): (tasks(sp), serializer.json_safe(sp.data), sp.completed)
                         for k, sp in workflow.subprocesses.items()},
    }


def check_round_trip(workflow, spec_json):
    ours = serializer.load_workflow(dump.dump_workflow(workflow), spec_json, serializer.SERIALIZER_VERSION)
    theirs = serializer.load_workflow(serializer.dump_workflow(workflow), spec_json, serializer.SERIALIZER_VERSION)
    assert normalized(ours) == normalized(theirs) == normalized(workflow)


@pytest.mark.parametrize("folder, process_id, data, order", SCENARIOS, ids=[s[1] for s in SCENARIOS])
@pytest.mark.parametrize("compact", [False, True], ids=["plain", "compacted"])
def test_fast_dump_round_trips_at_every_step(folder, process_id, data, order, compact):
    clock.set_now(datetime(2023, 5, 1, tzinfo=UTC))
    rng = random.Random(11)
    item = parsed(folder, process_id)
    spec_json = serializer.dump_spec(item.spec, item.subprocess_specs)
    workflow = runtime.new_workflow(item.spec, item.subprocess_specs, data)
    runtime.advance(workflow)
    for _ in range(60):
        if compact:
            runtime.compact(workflow)
        check_round_trip(workflow, spec_json)
        ready = sorted(runtime.ready_human_tasks(workflow), key=lambda t: (t.task_spec.name, str(t.data)))
        if not ready:
            break
        if rng.random() < 0.2:
            clock.advance(timedelta(days=rng.randint(1, 9)))
            runtime.advance(workflow)
            continue
        task = ready[rng.randrange(len(ready))] if order == "random" else ready[0]
        runtime.complete(workflow, str(task.id), answer(task, rng))
    check_round_trip(workflow, spec_json)


def test_unchanged_tasks_are_not_encoded_again(monkeypatch):
    item = parsed("vote", "four_stage")
    workflow = runtime.new_workflow(item.spec, item.subprocess_specs,
                                    {"voters": {f"v{i}": f"v{i}" for i in range(20)}})
    runtime.advance(workflow)
    for _ in range(3):
        runtime.complete(workflow, str(runtime.ready_human_tasks(workflow)[0].id), {})
    dump.dump_workflow(workflow)
    encoded = []
    real = dump.json.dumps
    monkeypatch.setattr(dump.json, "dumps", lambda obj, **kw: encoded.append(obj) or real(obj, **kw))
    runtime.complete(workflow, str(runtime.ready_human_tasks(workflow)[0].id), {"choice": "满意"})
    dump.dump_workflow(workflow)
    task_docs = [doc for doc in encoded if doc.get("typename") == "Task"]
    # the voter's task and its multi-instance parent; not the 19 other voters' tasks
    assert sorted(doc["task_spec"] for doc in task_docs) == ["vote", "vote [child]"]
