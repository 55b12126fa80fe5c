"""B1: a 4-stage process with a 60-voter parallel multi-instance task, driven to the end.

Through the services on a file SQLite database (one transaction per completion, as a request
would), against raw SpiffWorkflow in memory doing the same task sequence. Goal: ratio <= 5.

    .venv/bin/python -m tests.bench.b1_multi_instance [runs]
"""
from __future__ import annotations

import statistics
import sys
import time

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.models import HumanTask, User
from engine.models import TaskState as RowState
from engine.services import instances, tasks, users
from tests.bench.common import deploy_folder, fresh_database, parsed

VOTERS = [f"voter{i:02d}" for i in range(60)]
CHOICES = ["满意", "基本满意", "不满意"]


def answer(name: str, data: dict, index: int) -> dict:
    return {"choice": CHOICES[index % 3]} if name == "vote" else {}


def raw_run(item) -> float:
    start = time.perf_counter()
    workflow = BpmnWorkflow(item.spec, item.subprocess_specs)
    workflow.get_next_task(state=TaskState.READY).data.update({"voters": {v: v for v in VOTERS}})
    workflow.do_engine_steps()
    index = 0
    while not workflow.is_completed():
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            task.data.update(answer(task.task_spec.bpmn_id, task.data, index))
            index += 1
            task.run()
            workflow.do_engine_steps()
    return time.perf_counter() - start


def open_tasks(sessions, instance_id) -> list[tuple[int, str, int]]:
    """(task id, element, acting user id) for every open task: what each participant's inbox shows."""
    with sessions() as session:
        rows = session.execute(select(HumanTask.id, HumanTask.element_id, HumanTask.assignee_id, HumanTask.lane)
                               .where(HumanTask.instance_id == instance_id, HumanTask.state == RowState.OPEN)
                               .order_by(HumanTask.id)).all()
    return [(task_id, element, assignee or LANE_ACTORS[lane]) for task_id, element, assignee, lane in rows]


LANE_ACTORS: dict[str, int] = {}


def service_run(sessions) -> float:
    """Start, then complete every task, one transaction each (a participant loads, then submits)."""
    start = time.perf_counter()
    with sessions() as session:
        instance = instances.start_instance(session, "four_stage", None, {"voters": {v: v for v in VOTERS}})
        session.commit()
        instance_id = instance.id
    index = 0
    while pending := open_tasks(sessions, instance_id):
        for task_id, element, user_id in pending:
            with sessions() as session:
                actor = session.get(User, user_id)
                tasks.complete_task(session, task_id, answer(element, {}, index), actor)
                index += 1
                session.commit()
    return time.perf_counter() - start


def main(runs: int = 7) -> None:
    url, engine, sessions = fresh_database()
    deploy_folder(sessions, "vote")
    with sessions() as session:
        for index, lane in enumerate(("评议办", "被评议部门", "评议调查组")):
            users.create_group(session, lane, None)
            user = users.create_user(session, f"staff{index}", lane, None)
            users.add_to_group(session, user.username, lane, None)
            LANE_ACTORS[lane] = user.id
        for name in VOTERS:
            users.create_user(session, name, name, None)
        session.commit()
    item = parsed("vote", "four_stage")
    raw = [raw_run(item) for _ in range(runs)]
    service_run(sessions)  # warm-up (imports, caches, SQLite page cache)
    ours = [service_run(sessions) for _ in range(runs)]
    raw_ms, ours_ms = statistics.median(raw) * 1000, statistics.median(ours) * 1000
    print(f"B1 four_stage with 60 voters, 65 user tasks, {runs} runs, SQLite file {url}")
    print(f"  raw SpiffWorkflow in memory : median {raw_ms:8.1f} ms")
    print(f"  Pingyi services + SQLite    : median {ours_ms:8.1f} ms  ({ours_ms / 65:.2f} ms per completion)")
    print(f"  ratio                       : {ours_ms / raw_ms:.2f}  (goal <= 5)")
    engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
