"""An open step that reaches nobody (its group has no active member) is marked on the instance page,
in the list of open tasks and in the progress table, with what the office can do about it."""
from __future__ import annotations

from datetime import timedelta

from engine import clock
from engine.services import instances, processes, users
from tests.conftest import bundle
from tests.web.conftest import PASSWORD, text

DEPARTMENTS = [{"code": "D01", "name": "县教育局"}, {"code": "D02", "name": "县卫健委"}]


def test_the_instance_page_marks_steps_that_reach_nobody(client, login, session, make_user):
    office = make_user("office", groups=["评议办"], password=PASSWORD)
    make_user("boss", password=PASSWORD, is_admin=True)
    users.create_group(session, "被评议部门", None)  # the lane's group, with nobody in it
    processes.deploy(session, bundle("branches"), None)
    year = instances.start_instance(session, "per_department", office, {
        "departments": DEPARTMENTS, "names": ["县教育局", "县卫健委"],
        "plan_due": (clock.now() + timedelta(days=10)).isoformat()})
    session.commit()

    login("boss")
    page = text(client.get(f"/instances/{year.id}"))
    assert page.count('text-bg-danger">无人可办理</span>') == 2 * 2  # each plan, in the list and in the table
    assert 'id="nobody-warning"' in page and "无人可办理的待办步骤：2 个" in page
    assert "请将人员加入被评议部门，或请系统管理员转办此任务。" in page

    client.get("/lang/en")
    page = text(client.get(f"/instances/{year.id}"))
    assert "Add someone to 被评议部门, or have an administrator reassign the task." in page

    make_user("dept", groups=["被评议部门"])
    session.commit()
    page = text(client.get(f"/instances/{year.id}"))
    assert "Nobody can take this" not in page and 'id="nobody-warning"' not in page


def test_a_process_without_branches_marks_its_open_task_too(client, login, session, make_user):
    office = make_user("office", groups=["评议办"], password=PASSWORD)
    make_user("boss", password=PASSWORD, is_admin=True)
    users.create_group(session, "被评议部门", None)
    processes.deploy(session, bundle("inbox"), None)
    started = instances.start_instance(session, "plan", office, {"department": "教育局", "issued_on": "2023-10-31"})
    session.commit()
    login("boss")
    page = text(client.get(f"/instances/{started.id}"))
    assert page.count('text-bg-danger">无人可办理</span>') == 1 and 'id="branch-progress"' not in page
