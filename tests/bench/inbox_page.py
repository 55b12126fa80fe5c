"""The inbox page for a user with 1,000 open tasks: server time <= 150 ms.

Renders `/` (first page, sorted by due date) with Flask's test client, so the figure is the
server's time without the network. Also the last page and a search.

    .venv/bin/python -m tests.bench.inbox_page
"""
from __future__ import annotations

import random
import time
import uuid
from datetime import timedelta

from sqlalchemy import insert

from engine import clock
from engine.models import Group, HumanTask, HumanTaskCandidate, ProcessInstance, ProcessVersion, User, user_group
from engine.services import users
from tests.bench.common import fresh_database, summary
from web import create_app

OPEN_TASKS, INSTANCES = 1000, 50


def populate(engine) -> None:
    rng = random.Random(3)
    now = clock.now()
    users.use_fast_hashing_for_tests()
    with engine.begin() as conn:
        conn.execute(insert(User), [dict(id=1, username="clerk", display_name="王秀英", locale="zh_CN",
                                         password_hash=users.hash_password("bench-password"), is_active=True,
                                         is_admin=False, is_auditor=False, created_at=now)])
        conn.execute(insert(Group), [dict(id=1, name="评议办", title="评议办", created_at=now)])
        conn.execute(insert(user_group), [dict(user_id=1, group_id=1)])
        conn.execute(insert(ProcessVersion), [dict(id=1, process_id="rectification", version=1, name="整改落实",
                                                   file_name="x.bpmn", bpmn_xml="", other_files={}, forms={},
                                                   spec_json="{}", content_hash="0" * 64, is_startable=True,
                                                   deployed_at=now)])
        conn.execute(insert(ProcessInstance), [dict(id=i, process_version_id=1, process_id="rectification",
                                                    title=f"第{i}个部门整改落实", business_key=f"2023-D{i:02d}",
                                                    status="running", workflow_json="{}", serializer_version="1.5",
                                                    revision="r", started_at=now, updated_at=now, visited=[])
                                               for i in range(1, INSTANCES + 1)])
        tasks, candidates = [], []
        for task_id in range(1, OPEN_TASKS + 1):
            tasks.append(dict(id=task_id, instance_id=1 + task_id % INSTANCES, task_guid=str(uuid.uuid4()),
                              element_id="submit_plan", title=f"提交整改方案：部门{task_id}", lane="评议办",
                              instructions="", state="open", assignee_id=1 if task_id % 7 == 0 else None,
                              due_at=now + timedelta(days=rng.randint(-10, 60)), priority=rng.randint(0, 2),
                              created_at=now))
            candidates.append(dict(human_task_id=task_id, user_id=None, group_id=1))
        conn.execute(insert(HumanTask), tasks)
        conn.execute(insert(HumanTaskCandidate), candidates)


def main() -> None:
    url, engine, _ = fresh_database()
    populate(engine)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})
    client = app.test_client()
    assert client.post("/login", data={"username": "clerk", "password": "bench-password"}).status_code == 302
    print(f"Inbox page, {OPEN_TASKS} open tasks for the user, SQLite file")
    for label, path in (("first page", "/"), ("last page", "/?page=50"), ("search", "/?q=部门99"),
                        ("overdue, by priority", "/?due=overdue&sort=priority")):
        samples = []
        for _ in range(60):
            start = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200
        print(f"  {label:22}: {summary(samples[10:])}  (goal <= 150 ms)")
    engine.dispose()


if __name__ == "__main__":
    main()
