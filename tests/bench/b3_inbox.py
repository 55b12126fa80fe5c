"""B3: the inbox query for one user among 100,000 open human tasks: p95 <= 20 ms, using indexes.

Builds 1,000 instances with 100 open tasks each, offered to 400 groups and 2,000 users; the user
measured holds 10 tasks, is offered 10 directly and belongs to 2 groups offered 10 more. Runs on
a new SQLite file, or on PostgreSQL when BENCH_DATABASE_URL is set (the database is emptied!).

    .venv/bin/python -m tests.bench.b3_inbox
    BENCH_DATABASE_URL=postgresql://.../bench .venv/bin/python -m tests.bench.b3_inbox
"""
from __future__ import annotations

import random
import time
import uuid
from datetime import timedelta

from sqlalchemy import insert, text

from engine import clock
from engine.models import Group, HumanTask, HumanTaskCandidate, ProcessInstance, ProcessVersion, User, user_group
from engine.services import tasks
from tests.bench.common import database_url_from_env, fresh_database, summary

INSTANCES, TASKS_PER_INSTANCE, GROUPS, USERS = 1000, 100, 400, 2000


def populate(engine) -> int:
    rng = random.Random(7)
    now = clock.now()
    with engine.begin() as conn:
        conn.execute(insert(User), [dict(id=i, username=f"u{i:05d}", display_name=f"用户{i}", locale="zh_CN",
                                         is_active=True, is_admin=False, is_auditor=False, created_at=now)
                                    for i in range(1, USERS + 1)])
        conn.execute(insert(Group), [dict(id=i, name=f"g{i:04d}", title=f"组{i}", created_at=now)
                                     for i in range(1, GROUPS + 1)])
        conn.execute(insert(user_group), [dict(user_id=u, group_id=rng.randint(1, GROUPS))
                                          for u in range(2, USERS + 1)])
        conn.execute(insert(user_group), [dict(user_id=1, group_id=1), dict(user_id=1, group_id=2)])
        conn.execute(insert(ProcessVersion), [dict(id=1, process_id="bench", version=1, name="bench",
                                                   file_name="bench.bpmn", bpmn_xml="", other_files={}, forms={},
                                                   spec_json="{}", content_hash="0" * 64, is_startable=True,
                                                   deployed_at=now)])
        conn.execute(insert(ProcessInstance), [dict(id=i, process_version_id=1, process_id="bench", title=f"实例{i}",
                                                    status="running", workflow_json="{}", serializer_version="1.5",
                                                    revision="r", started_at=now, updated_at=now)
                                               for i in range(1, INSTANCES + 1)])
        rows, candidates = [], []
        task_id = 0
        for instance in range(1, INSTANCES + 1):
            for _ in range(TASKS_PER_INSTANCE):
                task_id += 1
                rows.append(dict(id=task_id, instance_id=instance, task_guid=str(uuid.UUID(int=rng.getrandbits(128))),
                                 element_id="t", title=f"任务{task_id}", lane="lane", instructions="", state="open",
                                 assignee_id=rng.randint(2, USERS) if rng.random() < 0.3 else None,
                                 due_at=now + timedelta(days=rng.randint(1, 90)), priority=rng.randint(0, 2),
                                 created_at=now))
                if rng.random() < 0.5:
                    candidates.append(dict(human_task_id=task_id, user_id=None, group_id=rng.randint(3, GROUPS)))
                else:
                    candidates.append(dict(human_task_id=task_id, user_id=rng.randint(2, USERS), group_id=None))
        mine = rng.sample(range(1, task_id + 1), 30)
        for index, chosen in enumerate(mine):
            if index < 10:
                rows[chosen - 1]["assignee_id"] = 1
            elif index < 20:
                candidates.append(dict(human_task_id=chosen, user_id=1, group_id=None))
            else:
                candidates.append(dict(human_task_id=chosen, user_id=None, group_id=1 + index % 2))
        for start in range(0, len(rows), 5000):
            conn.execute(insert(HumanTask), rows[start:start + 5000])
        for start in range(0, len(candidates), 5000):
            conn.execute(insert(HumanTaskCandidate), candidates[start:start + 5000])
    return task_id


def explain(session, user) -> str:
    query = tasks.my_tasks_query(user).order_by(HumanTask.due_at.is_(None), HumanTask.due_at,
                                                HumanTask.priority.desc(), HumanTask.id).limit(50)
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if session.get_bind().dialect.name == "sqlite" else "EXPLAIN "
    return "\n".join("    " + " ".join(str(c) for c in row) for row in session.execute(text(prefix + str(compiled))))


def main() -> None:
    url, engine, sessions = fresh_database(database_url_from_env())
    started = time.perf_counter()
    count = populate(engine)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    print(f"B3 inbox query, {count} open tasks, {engine.dialect.name} ({time.perf_counter() - started:.1f} s to load)")
    samples = []
    with sessions() as session:
        user = session.get(User, 1)
        found = tasks.my_tasks(session, user)
        print(f"  user u00001 sees {len(found)} tasks")
        for _ in range(300):
            session.expunge_all()
            user = session.get(User, 1)
            start = time.perf_counter()
            tasks.my_tasks(session, user)
            samples.append(time.perf_counter() - start)
        print(f"  my_tasks: {summary(samples[20:])}  (goal p95 <= 20 ms)")
        print("  plan:")
        print(explain(session, user))
    engine.dispose()


if __name__ == "__main__":
    main()
