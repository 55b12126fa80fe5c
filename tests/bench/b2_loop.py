"""B2: the cost of one completion stays flat as an instance grows.

A draft/review loop that is rejected again and again, driven through the services on a file
SQLite database: completing the 500th task must cost <= 1.5x the 5th. Each figure is the median
of the completions around it (3rd-7th and 498th-502nd), over several runs.

    .venv/bin/python -m tests.bench.b2_loop [runs]
"""
from __future__ import annotations

import statistics
import sys
import time

from sqlalchemy import select

from engine.models import HumanTask, ProcessInstance, TaskState, User
from engine.services import instances, tasks, users
from tests.bench.common import deploy_folder, fresh_database

COMPLETIONS = 502


def one_run(sessions, drafter_id: int, reviewer_id: int) -> list[float]:
    with sessions() as session:
        instance_id = instances.start_instance(session, "approval", None, {"unit": "教育局"}).id
        session.commit()
    costs = []
    for _ in range(COMPLETIONS):
        with sessions() as session:
            task_id, element = session.execute(
                select(HumanTask.id, HumanTask.element_id)
                .where(HumanTask.instance_id == instance_id, HumanTask.state == TaskState.OPEN)).one()
            start = time.perf_counter()
            if element == "draft":
                tasks.complete_task(session, task_id, {"title": "整改方案"}, session.get(User, drafter_id))
            else:
                tasks.complete_task(session, task_id, {"approved": False, "comment": "再改"},
                                    session.get(User, reviewer_id))
            session.commit()
            costs.append(time.perf_counter() - start)
    with sessions() as session:
        size = len(session.scalar(select(ProcessInstance.workflow_json).where(ProcessInstance.id == instance_id)))
    print(f"  run: 5th {statistics.median(costs[2:7]) * 1000:.2f} ms, "
          f"500th {statistics.median(costs[497:502]) * 1000:.2f} ms, stored workflow {size} bytes")
    return costs


def main(runs: int = 3) -> None:
    url, engine, sessions = fresh_database()
    deploy_folder(sessions, "approval")
    with sessions() as session:
        users.create_group(session, "起草人", None)
        users.create_group(session, "审核人", None)
        drafter = users.create_user(session, "drafter", "起草人", None)
        reviewer = users.create_user(session, "reviewer", "审核人", None)
        users.add_to_group(session, "drafter", "起草人", None)
        users.add_to_group(session, "reviewer", "审核人", None)
        session.commit()
        ids = drafter.id, reviewer.id
    print(f"B2 approval loop, {COMPLETIONS} completions per instance, {runs} runs, SQLite file {url}")
    all_costs = [one_run(sessions, *ids) for _ in range(runs)]
    fifth = statistics.median(c for costs in all_costs for c in costs[2:7])
    five_hundredth = statistics.median(c for costs in all_costs for c in costs[497:502])
    print(f"  5th completion   : median {fifth * 1000:.2f} ms")
    print(f"  500th completion : median {five_hundredth * 1000:.2f} ms")
    print(f"  ratio            : {five_hundredth / fifth:.2f}  (goal <= 1.5)")
    engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
