"""The participant's pages: start, inbox, claim, task form (draft, errors, files, submit), instance."""
from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

import forms
from engine.models import Attachment, HumanTask, ProcessInstance, TaskState, User
from engine.services import processes, tokens
from tests.conftest import bundle
from tests.web.conftest import PASSWORD, text

PDF = b"%PDF-1.4\n" + b"1" * 1000


@pytest.fixture
def world(session, make_user):
    people = {"office": make_user("office", groups=["评议办"], password=PASSWORD, display_name="王秀英"),
              "dept": make_user("dept", groups=["被评议部门"], password=PASSWORD, display_name="张伟"),
              "dept2": make_user("dept2", groups=["被评议部门"], password=PASSWORD, display_name="刘洋"),
              "outsider": make_user("outsider", password=PASSWORD),
              "admin": make_user("boss", password=PASSWORD, is_admin=True)}
    processes.deploy(session, bundle("inbox"), None, form_checker=forms.check_bundle_form)
    ids = {name: user.id for name, user in people.items()}
    session.commit()
    return ids  # plain ids: touching expired objects would open a transaction (and hold SQLite's lock)


def start_plan(client, login):
    login("office")
    response = client.post("/start/plan", data={"department": "教育局", "issued_on": "2023-10-31",
                                               "_title": "教育局整改"})
    assert response.status_code == 302
    client.post("/logout")


def snapshot(row, *names):
    return SimpleNamespace(**{name: getattr(row, name) for name in names})


def the_task(session, element="write_plan"):
    """A plain copy of the task row. The test's transaction is ended at once (on SQLite an open
    one holds the write lock the app needs) and no ORM object is kept (a later access would open one)."""
    session.expire_all()
    task = session.scalars(select(HumanTask).where(HumanTask.element_id == element)).one()
    copy = snapshot(task, "id", "instance_id", "state", "assignee_id", "draft", "submitted")
    session.commit()
    return copy


def all_of(session, model, *names) -> list:
    """Plain copies of every row, oldest first (by primary key: without ORDER BY, a join may
    come back in the order of whichever index the database picks)."""
    session.expire_all()
    rows = [snapshot(row, *names) for row in session.scalars(select(model).order_by(*model.__mapper__.primary_key))]
    session.commit()
    return rows



def test_start_form_is_validated(client, login, world):
    login("office")
    page = client.get("/start/plan")
    assert page.status_code == 200 and "被评议部门" in text(page) and "交办日期" in text(page)
    bad = client.post("/start/plan", data={"department": "", "issued_on": "31/10/2023"})
    assert bad.status_code == 422 and "is-invalid" in text(bad)
    started = client.post("/start/plan", data={"department": "教育局", "issued_on": "2023-10-31"})
    assert started.status_code == 302 and started.headers["Location"].startswith("/instances/")


def test_only_the_start_lane_may_start(client, login, world):
    login("office")
    assert 'href="/start/"' in text(client.get("/"))  # the office's lane starts the plan
    client.post("/logout")
    login("dept")
    assert 'href="/start/"' not in text(client.get("/"))  # nothing to start: no dead end in the menu
    assert client.get("/start/").status_code == 200 and "整改方案（演示）" not in text(client.get("/start/"))
    assert client.get("/start/plan").status_code == 403
    assert client.post("/start/plan", data={"department": "x"}).status_code == 403


def test_inbox_claim_draft_and_submit(client, login, session, world):
    start_plan(client, login)
    login("dept")
    inbox = text(client.get("/"))
    task = the_task(session)
    assert "提交整改方案：教育局" in inbox and f'/tasks/{task.id}' in inbox and "领取" in inbox
    assert 'id="task-count">1<' in inbox
    assert client.post(f"/tasks/{task.id}/claim").status_code == 302
    assert the_task(session).assignee_id == world["dept"]

    page = text(client.get(f"/tasks/{task.id}"))
    assert "请针对教育局的评议意见逐条填写整改措施。" in page and "增加一行" in page

    # a draft keeps partial input and comes back when the task is reopened
    client.post(f"/tasks/{task.id}", data={"_action": "draft", "summary": "初步思路", "items-0-problem": "课后服务"})
    assert the_task(session).draft == {"summary": "初步思路", "items": [{"problem": "课后服务"}]}
    reopened = text(client.get(f"/tasks/{task.id}"))
    assert "初步思路" in reopened and 'value="课后服务"' in reopened

    # errors are shown next to their fields, in Chinese, and nothing is saved
    bad = client.post(f"/tasks/{task.id}", data={"_action": "submit", "summary": "短", "items-0-problem": "课后服务",
                                                 "items-0-deadline": "明年"})
    assert bad.status_code == 422 and "日期格式不正确" in text(bad)
    assert the_task(session).state == TaskState.OPEN

    done = client.post(f"/tasks/{task.id}", data={
        "_action": "submit", "summary": "成立整改专班，逐条落实。",
        "items-0-problem": "课后服务", "items-0-deadline": "2023-12-31", "items-0-target": "全覆盖",
        "items-1-problem": "校园安全", "items-1-deadline": "2024-03-31",
        "evidence__upload": (io.BytesIO(PDF), "整改方案.pdf")}, content_type="multipart/form-data")
    confirm = the_task(session, "confirm")
    assert done.status_code == 302 and done.headers["Location"] == f"/tasks/{confirm.id}"  # my next task here
    submitted = the_task(session).submitted
    [attachment] = all_of(session, Attachment, "public_id", "filename")
    assert submitted["items"] == [{"problem": "课后服务", "deadline": "2023-12-31", "target": "全覆盖"},
                                  {"problem": "校园安全", "deadline": "2024-03-31"}]
    assert submitted["evidence"] == [attachment.public_id] and attachment.filename == "整改方案.pdf"

    # the next step shows the plan read-only, with the file
    following = text(client.get(f"/tasks/{confirm.id}"))
    assert "此前各步" in following and "校园安全" in following and "整改方案.pdf" in following
    assert re.search(r'id="step\d+" class="accordion-collapse collapse show"', following)  # the plan, open
    with client.get(f"/files/{attachment.public_id}") as download:
        assert download.status_code == 200 and download.data == PDF
    client.post(f"/tasks/{confirm.id}", data={"_action": "submit", "confirmed": "y"})
    session.expire_all()
    assert [i.status for i in all_of(session, ProcessInstance, "status")] == ["completed"]


def test_held_task_says_who_holds_it(client, login, session, world):
    start_plan(client, login)
    login("dept")
    task = the_task(session)
    client.post(f"/tasks/{task.id}/claim")
    client.post("/logout")
    login("dept2")
    page = text(client.get(f"/tasks/{task.id}"))
    assert "由张伟办理" in page and 'name="_action"' not in page
    assert "逾期" in page  # issued 2023-10-31, due a month later: the task page says so, as the inbox does
    assert client.post(f"/tasks/{task.id}/claim").status_code == 409
    assert client.post(f"/tasks/{task.id}", data={"_action": "submit", "summary": "抢先提交"}).status_code == 403


def test_outsiders_get_403(client, login, session, world):
    start_plan(client, login)
    login("dept")
    task = the_task(session)
    client.post(f"/tasks/{task.id}", data={"_action": "draft", "summary": "附件",
                                           "evidence__upload": (io.BytesIO(PDF), "a.pdf")},
                content_type="multipart/form-data")
    [attachment] = all_of(session, Attachment, "public_id")
    client.post("/logout")
    login("outsider")
    assert client.get(f"/tasks/{task.id}").status_code == 403
    assert client.get(f"/instances/{task.instance_id}").status_code == 403
    assert client.get(f"/files/{attachment.public_id}").status_code == 403
    assert client.post(f"/tasks/{task.id}/claim").status_code == 403
    assert "您无权" in text(client.get(f"/instances/{task.instance_id}"))


def test_oversized_and_wrong_files_are_refused(app, client, login, session, world):
    app.config["ATTACHMENT_MAX_SIZE"] = 2048
    start_plan(client, login)
    login("dept")
    task = the_task(session)

    def upload(content, name):
        data = {"_action": "draft", "evidence__upload": (io.BytesIO(content), name)}
        return client.post(f"/tasks/{task.id}", data=data, content_type="multipart/form-data")

    too_big, wrong = upload(PDF * 3, "b.pdf"), upload(b"MZ", "x.exe")
    assert too_big.status_code == 422 and wrong.status_code == 422  # the form comes back, see test_form_fixes
    assert all_of(session, Attachment, "id") == []


def test_instance_page_has_the_diagram_and_path(client, login, session, world):
    start_plan(client, login)
    login("dept")
    task = the_task(session)
    page = text(client.get(f"/instances/{task.instance_id}"))
    visited = re.search(r'data-visited="([^"]*)"', page).group(1)
    current = re.search(r'data-current="([^"]*)"', page).group(1)
    assert "start" in visited and "write_plan" in current
    xml = client.get(f"/instances/{task.instance_id}/diagram.bpmn")
    assert xml.status_code == 200 and b"bpmndi:BPMNDiagram" in xml.data
    assert "发起流程" in page  # the timeline


def test_pages_show_data_under_the_names_people_filled_it_in(client, login, session, world):
    start_plan(client, login)
    login("dept")
    task = the_task(session)
    client.post(f"/tasks/{task.id}/claim")
    client.post(f"/tasks/{task.id}", data={"_action": "submit", "summary": "成立整改专班。",
                                           "items-0-problem": "课后服务", "items-0-deadline": "2023-12-31"})
    page = text(client.get(f"/instances/{task.instance_id}"))
    data = page[page.index("data-summary"):page.index("</dl>", page.index("data-summary"))]
    assert re.findall(r"<dt[^>]*>(?:<span[^>]*>)?([^<]+)", data) == ["被评议部门", "交办日期", "方案概述", "整改措施"]
    assert "<th scope=\"col\"" in data and ">问题<" in data and ">课后服务<" in data  # the group as a table
    assert "<code>department</code>" not in page and 'title="department">被评议部门' in page  # key on hover
    assert 'title="write_plan">提交整改方案' in page and "办理人" in page  # element and claim in the history
    assert '<span title="dept">张伟</span>' in page  # the holder by name, the user name on hover


def test_admin_actions_need_a_reason(client, login, session, world):
    start_plan(client, login)
    login("boss")
    instance_id = the_task(session).instance_id
    refused = client.post(f"/instances/{instance_id}/suspend", data={"reason": ""}, follow_redirects=True)
    assert "请填写理由" in text(refused) and "流程已挂起" not in text(refused)
    assert [i.status for i in all_of(session, ProcessInstance, "status")] == ["running"]
    assert client.post(f"/instances/{instance_id}/suspend", data={"reason": "核实情况"}).status_code == 302
    session.expire_all()
    assert [i.status for i in all_of(session, ProcessInstance, "status")] == ["suspended"]
    client.post("/logout")
    login("office")
    assert client.post(f"/instances/{instance_id}/resume", data={"reason": "x"}).status_code == 403


def test_a_value_the_database_cannot_store_is_a_clear_refusal(client, login, session, world):
    """Nobody types NUL and PostgreSQL cannot store it: such a form is refused in Chinese before the
    engine runs (on PostgreSQL the step would otherwise fail half-way), and nothing is saved."""
    login("office")
    response = client.post("/start/plan", data={"department": "教育局\x00", "issued_on": "2026-03-01"})
    assert response.status_code == 400 and "部分输入无法保存" in text(response)
    api = client.post("/api/v1/instances", json={"process_id": "plan", "data": {"department": "a\u0000"}})
    assert api.status_code == 400 and api.get_json()["status"] == 400  # refused before anything reads it
    session.expire_all()
    assert session.scalars(select(ProcessInstance.id)).all() == []
    session.commit()


def test_a_file_sent_with_answers_that_come_back_stays_attached(client, login, session, world):
    start_plan(client, login)
    login("dept")
    task = the_task(session)
    client.post(f"/tasks/{task.id}/claim")
    bad = client.post(f"/tasks/{task.id}", data={"summary": "短", "items-0-problem": "课后服务",
                                                 "items-0-deadline": "2023-12-31",
                                                 "evidence__upload": (io.BytesIO(PDF), "方案.pdf")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "方案.pdf" in text(bad)
    [kept] = all_of(session, Attachment, "public_id", "filename")
    assert kept.filename == "方案.pdf" and kept.public_id in text(bad)  # offered again in the form
    again = client.post(f"/tasks/{task.id}", data={"summary": "成立整改专班，逐条整改", "items-0-problem": "课后服务",
                                                   "items-0-deadline": "2023-12-31", "evidence": kept.public_id})
    assert again.status_code == 302 and the_task(session).state == TaskState.COMPLETED


def test_the_api_refuses_files_that_are_not_attached_to_the_instance(client, login, session, world):
    start_plan(client, login)
    start_plan(client, login)
    first, second = [t.id for t in all_of(session, HumanTask, "id")]
    login("dept")
    client.post(f"/tasks/{first}/files", data={"file": (io.BytesIO(PDF), "方案.pdf")},
                content_type="multipart/form-data")
    [theirs] = all_of(session, Attachment, "public_id")
    dept = session.get(User, world["dept"])
    secret = tokens.create_token(session, dept, "api", dept)[1]
    session.commit()
    answers = {"summary": "成立整改专班，逐条整改", "items": [{"problem": "课后服务", "deadline": "2023-12-31"}]}
    for files in ([theirs.public_id], ["not-an-attachment"]):
        response = client.post(f"/api/v1/tasks/{second}/submit", headers={"Authorization": f"Bearer {secret}"},
                               json={"data": {**answers, "evidence": files}})
        assert response.status_code == 400 and "evidence" in response.get_json()["errors"], files
    ok = client.post(f"/api/v1/tasks/{first}/submit", headers={"Authorization": f"Bearer {secret}"},
                     json={"data": {**answers, "evidence": [theirs.public_id]}})
    assert ok.status_code == 200


def test_a_draft_with_an_answer_that_cannot_be_read_keeps_what_was_typed(client, login, session, world):
    start_plan(client, login)
    login("dept")
    task = the_task(session)
    client.post(f"/tasks/{task.id}/claim")
    response = client.post(f"/tasks/{task.id}", data={"_action": "draft", "summary": "初步思路",
                                                      "items-0-problem": "课后服务", "items-0-deadline": "2023-13-45"})
    page = text(response)
    assert response.status_code == 422 and "草稿未保存" in page
    assert 'value="2023-13-45"' in page and "初步思路" in page  # nothing typed is lost
    assert the_task(session).draft is None
    saved = client.post(f"/tasks/{task.id}", data={"_action": "draft", "summary": "初步思路",
                                                   "items-0-problem": "课后服务", "items-0-deadline": "2023-12-31"})
    assert saved.status_code == 302
    assert the_task(session).draft == {"summary": "初步思路",
                                       "items": [{"problem": "课后服务", "deadline": "2023-12-31"}]}
