"""An administrator's actions on an instance say what happened, on the instance page; a suspended
process tells its participants why they cannot work on it."""
from __future__ import annotations

from sqlalchemy import select

import forms
from engine.models import HumanTask, ProcessInstance, User
from engine.services import instances, processes
from tests.conftest import bundle
from tests.web.conftest import PASSWORD, read, text
from tests.web.test_pages import start_plan, the_task, world  # noqa: F401  (the fixture)
from web import display


def test_reassigning_to_an_unknown_or_unfit_account_says_so(client, login, session, world, make_user):  # noqa: F811
    make_user("reader", password=PASSWORD, is_auditor=True)
    session.commit()
    start_plan(client, login)
    login("boss")
    task = the_task(session)
    page = text(client.get(f"/instances/{task.instance_id}"))
    assert 'list="task-takers"' in page and '<option value="dept2">刘洋</option>' in page
    assert '<option value="reader">' not in page  # an auditor takes no tasks
    url = f"/instances/{task.instance_id}/tasks/{task.id}/reassign"
    for username, said in (("nosuchuser", "没有用户名为 nosuchuser 的账号"), ("reader", "reader 不能办理任务")):
        response = client.post(url, data={"username": username, "reason": "人员调整"}, follow_redirects=True)
        assert response.status_code == 200 and said in text(response)
        assert response.request.path == f"/instances/{task.instance_id}"
    client.post("/logout")
    login("office")  # neither an administrator nor the holder: the service refuses
    assert client.post(url, data={"username": "dept2", "reason": "人员调整"}).status_code == 403
    client.post("/logout")
    login("boss")
    response = client.post(url, data={"username": "dept2", "reason": ""}, follow_redirects=True)
    assert "请填写理由" in text(response)
    assert the_task(session).assignee_id is None  # nothing changed by the refusals
    response = client.post(url, data={"username": "dept2", "reason": "人员调整"}, follow_redirects=True)
    assert "已转办" in text(response) and the_task(session).assignee_id == world["dept2"]


def test_a_suspended_process_says_so_and_offers_no_claim(client, login, session, world):  # noqa: F811
    start_plan(client, login)
    login("boss")
    task = the_task(session)
    client.post(f"/instances/{task.instance_id}/suspend", data={"reason": "部门机构调整"})
    client.post("/logout")
    login("dept")
    page = text(client.get(f"/tasks/{task.id}"))
    assert "管理员已挂起此流程" in page and "部门机构调整" in page
    assert f'action="/tasks/{task.id}/claim"' not in page
    assert '状态：<span class="badge text-bg-primary">进行中</span> → <span class="badge text-bg-secondary">已挂起' \
        in page  # the history says it in words
    claim = client.post(f"/tasks/{task.id}/claim")
    assert claim.status_code == 409 and "此流程已挂起或已结束" in text(claim)
    assert the_task(session).assignee_id is None


def test_a_retry_that_fails_again_is_not_called_a_success(client, login, session, make_user):
    make_user("boss", password=PASSWORD, is_admin=True)
    processes.deploy(session, bundle("failing"), None, form_checker=forms.check_bundle_form)
    session.commit()
    login("boss")
    started = client.post("/start/failing", data={})
    assert started.status_code == 302
    task_id = read(session, select(HumanTask.id))
    client.post(f"/tasks/{task_id}", data={"_action": "submit", "_reason": "代填", "score": "90", "count": "0"})
    instance_id = read(session, select(ProcessInstance.id))
    assert read(session, select(ProcessInstance.status)) == "error"
    response = client.post(f"/instances/{instance_id}/retry", data={"reason": "再试一次"}, follow_redirects=True)
    page = text(response)
    assert "已重新执行出错的步骤" not in page and "再次执行后仍然出错" in page
    assert read(session, select(ProcessInstance.status)) == "error"


def test_participants_see_named_data_and_local_times(client, login, session, world):  # noqa: F811
    office = session.get(User, world["office"])
    instance = instances.start_instance(session, "plan", office, {
        "department": "教育局", "issued_on": "2023-10-31", "committee_group": "教科文卫工委",
        "plan_deadline": "2023-11-30T23:59:59+08:00", "reminded": {"queued": True}})
    session.commit()
    login("office")
    page = text(client.get(f"/instances/{instance.id}"))
    data = page[page.index("data-summary"):page.index("</dl>", page.index("data-summary"))]
    assert "交办日期" in data and "2023-10-31" in data
    assert "committee_group" not in data and "reminded" not in data and "plan_deadline" not in data
    assert "committee_group" not in page  # nor in the history's start event
    client.post("/logout")
    login("boss")
    page = text(client.get(f"/instances/{instance.id}"))
    data = page[page.index("data-summary"):page.index("</dl>", page.index("data-summary"))]
    assert "<code>committee_group</code>" in data and "2023-11-30 23:59" in data  # an administrator sees it all
    assert "2023-11-30T23:59:59" not in data


def test_moments_read_as_local_time():
    assert display.local_moment("2026-11-19T15:59:59Z") == "2026-11-19 23:59"
    assert display.local_moment("2026-11-19T23:59:59+08:00") == "2026-11-19 23:59"
    for text_ in ("2026-11-19", "明天下午", "2026-13-40T25:00:00+08:00", "at 2026-11-19T23:59:59+08:00"):
        assert display.local_moment(text_) == text_


def test_labels_end_in_the_punctuation_of_the_page_language(client, login, session, world):  # noqa: F811
    start_plan(client, login)
    login("dept")
    task = the_task(session)
    assert "期限：" in text(client.get(f"/tasks/{task.id}"))
    client.get("/lang/en")
    page = text(client.get(f"/tasks/{task.id}"))
    assert "Due: " in page and "Due：" not in page


def test_a_long_history_shows_the_latest_events_and_the_rest_on_demand(client, login, session, world):  # noqa: F811
    start_plan(client, login)
    login("boss")
    task = the_task(session)
    for n in range(35):  # 70 events after the start
        client.post(f"/instances/{task.instance_id}/suspend", data={"reason": f"暂停 {n}"})
        client.post(f"/instances/{task.instance_id}/resume", data={"reason": f"恢复 {n}"})
    page = text(client.get(f"/instances/{task.instance_id}"))
    assert page.count(" data-seq=") == 60 and 'id="earlier-history"' in page
    assert "恢复 34" in page and "暂停 0<" not in page
    full = text(client.get(f"/instances/{task.instance_id}?history=all"))
    assert full.count(" data-seq=") > 70 and "暂停 0<" in full and 'id="earlier-history"' not in full
