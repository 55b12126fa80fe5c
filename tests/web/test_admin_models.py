"""Administrators' process pages: versions with changes and instances, the editor's draft (save,
check, deploy, download, upload), the form editor, moving instances, foreign files; everyone else
(auditors included) gets 403 on each of them."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

import forms
from engine.models import AuditEvent, HumanTask, ProcessDraft, ProcessInstance, ProcessVersion
from engine.services import instances, processes, tasks
from engine.services.migration import Outcome
from tests.conftest import DATA, bundle
from tests.engine.test_migration import plan_v2
from tests.web.conftest import PASSWORD, csrf_token
from web import create_app, process_admin

APPROVAL = (DATA / "approval" / "approval.bpmn").read_text()
FOREIGN = DATA / "foreign"
JSON = {"Accept": "application/json"}


@pytest.fixture
def world(session, make_user):
    ids = {"admin": make_user("boss", password=PASSWORD, is_admin=True).id,
           "auditor": make_user("auditor", password=PASSWORD, is_auditor=True).id,
           "clerk": make_user("clerk", groups=["起草人"], password=PASSWORD).id}
    processes.deploy(session, bundle("approval"), None, form_checker=forms.check_bundle_form)
    session.commit()
    return ids


def post_xml(client, url, xml):
    return client.post(url, json={"xml": xml}, headers=JSON)


def broken_script(text=APPROVAL):
    return text.replace("<bpmn:script>published = True</bpmn:script>", "<bpmn:script>published = = True</bpmn:script>")


ADMIN_ROUTES = [
    ("get", "/processes/approval/edit"), ("get", "/processes/approval/draft.bpmn"),
    ("get", "/processes/approval/download.bpmn"), ("post", "/processes/approval/draft"),
    ("post", "/processes/approval/check"), ("post", "/processes/approval/deploy"),
    ("post", "/processes/approval/discard"), ("post", "/processes/approval/upload"),
    ("post", "/processes/approval/forms"), ("post", "/processes/upload"), ("post", "/processes/new"),
    ("post", "/processes/approval/v1/migrate"), ("get", "/processes/forms/review-schema.json?process=approval"),
    ("post", "/processes/forms/review-schema.json?process=approval"), ("post", "/processes/forms/preview"),
]


def rows(session, statement) -> list:
    """Read, then end the test's transaction at once (on SQLite it would hold the app's write lock)."""
    session.expire_all()
    found = list(session.execute(statement).all())
    session.commit()
    return found


@pytest.mark.parametrize("who", ["auditor", "clerk"])
def test_only_administrators_reach_the_admin_routes(client, login, world, who):
    login(who)
    for method, url in ADMIN_ROUTES:
        response = client.post(url, json={"xml": APPROVAL}, headers=JSON) if method == "post" else client.get(url)
        assert response.status_code == 403, (method, url)


def test_others_keep_the_read_only_viewer(client, login, world):
    login("auditor")
    page = client.get("/processes/").get_data(as_text=True)
    assert "起草与审核" in page and "versions-table" not in page and "/processes/approval/edit" not in page
    page = client.get("/processes/approval/").get_data(as_text=True)
    assert 'id="diagram"' in page and "migrate" not in page
    assert "nav-process-admin" not in page


def test_the_admin_list_shows_versions_deployers_instances_and_changes(client, login, world, session, admin):
    files = bundle("approval")
    files["approval/approval.bpmn"] = APPROVAL.replace("审核方案", "审核整改方案").encode()
    processes.deploy(session, files, admin, form_checker=forms.check_bundle_form)
    instances.start_instance(session, "approval", admin, {"unit": "教育局"})
    session.commit()
    login("boss")
    page = client.get("/processes/").get_data(as_text=True)
    assert "nav-process-admin" in page and 'data-process="approval"' in page
    assert 'data-version="2"' in page and 'data-version="1"' in page
    assert "Admin" in page  # the make_user display name of whoever deployed v2
    assert 'data-open="1"' in page
    assert 'class="diff-changed" data-element="review"' in page
    version_page = client.get("/processes/approval/v2").get_data(as_text=True)
    assert 'data-element="review"' in version_page and "/processes/approval/edit" in version_page
    assert 'title="userTask">用户任务</span>' in version_page  # the kind of element in words


def test_draft_save_check_and_deploy(client, login, world, session):
    login("boss")
    assert client.get("/processes/approval/edit").status_code == 200
    assert client.get("/processes/approval/draft.bpmn").get_data(as_text=True) == APPROVAL
    saved = post_xml(client, "/processes/approval/draft", broken_script())
    assert saved.status_code == 200 and saved.get_json()["saved"]
    checked = post_xml(client, "/processes/approval/check", broken_script()).get_json()
    assert [(p["element_id"], p["file"]) for p in checked["problems"]] == [("publish", "approval/approval.bpmn")]
    refused = post_xml(client, "/processes/approval/deploy", broken_script())
    assert refused.status_code == 422 and refused.get_json()["problems"][0]["element_id"] == "publish"
    assert rows(session, select(ProcessDraft.process_id)) == [("approval",)]  # the draft stays

    fixed = APPROVAL.replace("审核方案", "审核整改方案")
    assert post_xml(client, "/processes/approval/check", fixed).get_json()["problems"] == []
    deployed = post_xml(client, "/processes/approval/deploy", fixed).get_json()
    assert deployed["deployed"] and deployed["versions"] == {"approval": 2}
    assert deployed["redirect"].endswith("/processes/approval/v2")
    assert rows(session, select(ProcessDraft.id)) == []
    assert rows(session, select(ProcessVersion.version).order_by(ProcessVersion.version)) == [(1,), (2,)]
    kinds = {kind for (kind,) in rows(session, select(AuditEvent.event_type))}
    assert {"process_draft_saved", "process_draft_deployed", "version_deployed"} <= kinds


def test_download_and_upload(client, login, world, session):
    login("boss")
    download = client.get("/processes/approval/download.bpmn")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert download.get_data(as_text=True) == APPROVAL
    changed = APPROVAL.replace("起草方案", "起草整改方案")
    response = client.post("/processes/approval/upload",
                           data={"file": (io.BytesIO(changed.encode()), "approval.bpmn")})
    assert response.status_code == 302
    assert "起草整改方案" in client.get("/processes/approval/draft.bpmn").get_data(as_text=True)
    other = client.post("/processes/approval/upload",
                        data={"file": (io.BytesIO((FOREIGN / "bpmnio_review.bpmn").read_bytes()), "x.bpmn")})
    assert other.status_code == 422  # it defines another process, which the problems page says
    assert "approval" in other.get_data(as_text=True)
    garbage = client.post("/processes/approval/upload", data={"file": (io.BytesIO(b"<bpmn"), "x.bpmn")})
    assert garbage.status_code == 422 and "XML 格式错误" in garbage.get_data(as_text=True)


@pytest.mark.parametrize(("name", "elements"), [
    ("camunda7_invoice.bpmn", {"invoice_approval", "StartEvent_1", "assign_approver", "approve_invoice",
                               "remind_timer", "log_reminder", "archive_invoice", "Flow_yes", "Flow_no"}),
    ("camunda8_zeebe.bpmn", {"start", "decide", "notify"}),
    ("signavio_complaints.bpmn", {"sid-7C1D2A90-5E1F-4C0B-9E44-1D0F4F6C1A01",
                                  "sid-9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C01",
                                  "sid-6C7D8E9F-0A1B-4C2D-3E4F-5A6B7C8D9E01",
                                  "sid-8B9C0D1E-2F3A-4B5C-6D7E-8F9A0B1C2D01"}),
])
def test_foreign_files_are_refused_per_element(client, login, world, session, name, elements):
    login("boss")
    response = client.post("/processes/upload", data={"file": (io.BytesIO((FOREIGN / name).read_bytes()), name)})
    if response.status_code == 302:  # it is a draft now: checking it names every element
        [(process_id,)] = rows(session, select(ProcessDraft.process_id))
        xml = client.get(f"/processes/{process_id}/draft.bpmn").get_data(as_text=True)
        problems = post_xml(client, f"/processes/{process_id}/check", xml).get_json()["problems"]
        assert {p["element_id"] for p in problems} == elements
        assert post_xml(client, f"/processes/{process_id}/deploy", xml).status_code == 422
    else:
        pytest.fail(f"upload answered {response.status_code}")


def test_a_plain_bpmn_io_file_deploys(client, login, world, session):
    login("boss")
    upload = (FOREIGN / "bpmnio_review.bpmn").read_bytes()
    response = client.post("/processes/upload", data={"file": (io.BytesIO(upload), "review.bpmn")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/processes/Process_review/edit")
    xml = client.get("/processes/Process_review/draft.bpmn").get_data(as_text=True)
    assert post_xml(client, "/processes/Process_review/deploy", xml).get_json()["versions"] == {"Process_review": 1}


def test_form_editor_previews_checks_and_saves_into_the_draft(client, login, world, session):
    login("boss")
    page = client.get("/processes/forms/review-schema.json?process=approval").get_data(as_text=True)
    assert "approved" in page and 'id="form-preview"' in page
    preview = client.post("/processes/forms/preview", headers=JSON, json={
        "name": "review-schema.json", "schema": json.dumps(
            {"type": "object", "properties": {"opinion": {"type": "string", "title": "意见"}}})}).get_json()
    assert preview["problems"] == [] and 'name="opinion"' in preview["html"]
    bad = client.post("/processes/forms/preview", headers=JSON, json={
        "name": "review-schema.json", "schema": '{"type": "object", "properties": {"x": {"type": "string", '
                                                '"patternProperties": {}}}}'}).get_json()
    assert any("patternProperties" in p for p in bad["problems"]) and bad["html"] == ""
    schema = {"type": "object", "required": ["approved"],
              "properties": {"approved": {"type": "boolean", "title": "通过"}, "note": {"type": "string"}}}
    saved = client.post("/processes/forms/review-schema.json?process=approval",
                        data={"schema": json.dumps(schema, ensure_ascii=False), "ui": "", "ui_name": ""})
    assert saved.status_code == 302
    [(draft_forms,)] = rows(session, select(ProcessDraft.forms))
    assert json.loads(draft_forms["review-schema.json"]) == schema
    assert post_xml(client, "/processes/approval/deploy", APPROVAL).get_json()["versions"] == {"approval": 2}
    [(deployed_forms,)] = rows(session, select(ProcessVersion.forms).where(ProcessVersion.version == 2))
    assert deployed_forms["review-schema.json"] == schema


def test_form_upload_from_the_side_panel(client, login, world, session):
    login("boss")
    form = json.dumps({"type": "object", "properties": {"a": {"type": "string"}}}).encode()
    response = client.post("/processes/approval/forms", headers=JSON,
                           data={"file": (io.BytesIO(form), "extra-schema.json")})
    assert response.status_code == 200 and "extra-schema.json" in response.get_json()["forms"]
    bad = client.post("/processes/approval/forms", headers=JSON, data={"file": (io.BytesIO(b"{"), "x.json")})
    assert bad.status_code == 400


def deploy_approval_v2(session, admin, old="发布", new="公开发布"):
    files = bundle("approval")
    files["approval/approval.bpmn"] = APPROVAL.replace(old, new).encode()
    processes.deploy(session, files, admin, form_checker=forms.check_bundle_form)
    session.commit()


def test_moving_waiting_instances_shows_a_result_per_instance(client, login, world, session, admin):
    first_id = instances.start_instance(session, "approval", admin, {"unit": "教育局"}).id
    deploy_approval_v2(session, admin)
    login("boss")
    page = client.get("/processes/approval/v1").get_data(as_text=True)
    assert 'action="/processes/approval/v1/migrate"' in page
    assert 'data-confirm="将第 1 版进行中和等待中的实例（全部，或已勾选的）迁移到所选版本？' in page  # asked first
    response = client.post("/processes/approval/v1/migrate", data={"to": "2"})
    assert response.status_code == 302 and response.headers["Location"] == "/processes/approval/v1#migrate"
    result = client.get("/processes/approval/v1").get_data(as_text=True)
    assert f'data-instance="{first_id}" data-moved="true"' in result and "已迁移" in result
    [(version_id,)] = rows(session, select(ProcessInstance.process_version_id).where(ProcessInstance.id == first_id))
    assert rows(session, select(ProcessVersion.version).where(ProcessVersion.id == version_id)) == [(2,)]
    assert "migration-results" not in client.get("/processes/approval/v1").get_data(as_text=True)  # shown once


def test_a_task_open_while_its_instance_moves_keeps_its_address(client, login, world, session, admin):
    """Someone has the task open; the administrator renames it and moves the instance; the page's
    submit still reaches the task, which now carries the new name."""
    instance = instances.start_instance(session, "approval", admin, {"unit": "教育局"})
    instances.start_instance(session, "approval", admin, {"unit": "卫健局"})  # a later row (SQLite reuses the last id)
    [task] = [t for t in instance_tasks(session, instance.id) if t.state == "open"]
    session.commit()
    login("clerk")
    assert client.get(f"/tasks/{task.id}").status_code == 200
    deploy_approval_v2(session, admin, 'name="起草方案"', 'name="起草整改方案"')
    boss = client.application.test_client()  # the administrator, in another browser
    boss.post("/login", data={"username": "boss", "password": PASSWORD})
    assert boss.post("/processes/approval/v1/migrate", data={"to": "2"}).status_code == 302
    assert "起草整改方案" in client.get(f"/tasks/{task.id}").get_data(as_text=True)
    response = client.post(f"/tasks/{task.id}", data={"title": "整改方案"})
    assert response.status_code == 302
    assert [t.state for t in instance_tasks(session, instance.id) if t.id == task.id] == ["completed"]


def instance_tasks(session, instance_id):
    return [row for (row,) in rows(session, select(HumanTask).where(HumanTask.instance_id == instance_id))]


def test_every_post_needs_the_csrf_token(database_url, sessions, tmp_path, world, session):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True, "RATELIMIT_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path), "PROPAGATE_ERRORS": False})
    try:
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"username": "boss", "password": PASSWORD, "csrf_token": csrf_token(page)})
        assert client.get("/processes/approval/edit").status_code == 200
        for method, url in ADMIN_ROUTES:
            if method == "post":
                assert client.post(url, json={"xml": APPROVAL}, headers=JSON).status_code == 400, url
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_odd_input_is_refused_clearly_and_saves_nothing(client, login, world, session):
    login("boss")
    deep = "[" * 100_000
    preview = client.post("/processes/forms/preview", headers=JSON, json={"name": "x-schema.json", "schema": deep})
    assert preview.status_code == 200 and "嵌套过深" in preview.get_json()["problems"][0]
    nested: dict = {"type": "string"}
    for level in range(400):  # valid JSON, but a form no one could fill in
        nested = {"type": "object", "properties": {f"f{level}": nested}}
    too_deep = client.post("/processes/forms/preview", headers=JSON,
                           json={"name": "x-schema.json", "schema": json.dumps(nested)}).get_json()
    assert any("64" in p for p in too_deep["problems"]) and too_deep["html"] == ""
    assert client.post("/processes/forms/preview", headers=JSON, json=[1]).status_code == 200
    upload = client.post("/processes/approval/forms", headers=JSON,
                         data={"file": (io.BytesIO(deep.encode()), "deep-schema.json")})
    assert upload.status_code == 400
    surrogate = client.post("/processes/approval/draft", headers=JSON,
                            data='{"xml": "<a>\\ud800</a>"}', content_type="application/json")  # a lone surrogate
    assert surrogate.status_code == 422 and not surrogate.get_json()["saved"]
    odd = APPROVAL.replace('<bpmn:process id="approval"', '<bpmn:process id="a/b"')
    refused = client.post("/processes/upload", data={"file": (io.BytesIO(odd.encode()), "odd.bpmn")})
    assert refused.status_code == 422 and "a/b" in refused.get_data(as_text=True)
    assert rows(session, select(ProcessDraft.id)) == []


def test_a_form_shared_by_another_process_says_so_and_its_deployment_names_both(client, login, world, session):
    files = bundle("approval")
    copy = APPROVAL.replace('id="approval" name="起草与审核"', 'id="approval_copy" name="复核副本"')
    files["copy/copy.bpmn"] = copy.replace('bpmnElement="approval"', 'bpmnElement="approval_copy"').encode()
    processes.deploy(session, files, None, form_checker=forms.check_bundle_form)
    session.commit()
    login("boss")
    page = client.get("/processes/forms/review-schema.json?process=approval").get_data(as_text=True)
    assert 'id="form-shared"' in page and "复核副本" in page
    alone = client.get("/processes/forms/draft-schema.json?process=approval_copy").get_data(as_text=True)
    assert "起草与审核" in alone  # the other way round too
    schema = {"type": "object", "properties": {"approved": {"type": "boolean", "title": "通过"}}}
    client.post("/processes/forms/review-schema.json?process=approval",
                data={"schema": json.dumps(schema, ensure_ascii=False), "ui": "", "ui_name": ""})
    deployed = post_xml(client, "/processes/approval/deploy", APPROVAL).get_json()
    assert deployed["versions"] == {"approval": 2, "approval_copy": 2}
    said = client.get(deployed["redirect"]).get_data(as_text=True)
    assert "复核副本 第 2 版" in said


def test_a_new_process_is_drawn_from_nothing_and_deployed(client, login, world, session):
    login("boss")
    assert 'id="new-process"' in client.get("/processes/").get_data(as_text=True)
    created = client.post("/processes/new", data={"process_id": "dept_survey", "name": "专项调研 <试点>"})
    assert created.status_code == 302 and created.headers["Location"].endswith("/processes/dept_survey/edit")
    assert client.get("/processes/dept_survey/edit").status_code == 200
    xml = client.get("/processes/dept_survey/draft.bpmn").get_data(as_text=True)
    assert 'name="专项调研 &lt;试点&gt;"' in xml and "<bpmn:startEvent" in xml
    deployed = post_xml(client, "/processes/dept_survey/deploy", xml).get_json()
    assert deployed["versions"] == {"dept_survey": 1}
    [(name,)] = rows(session, select(ProcessVersion.name).where(ProcessVersion.process_id == "dept_survey"))
    assert name == "专项调研 <试点>"


@pytest.mark.parametrize(("form", "said"), [
    ({"process_id": "1bad id", "name": "x"}, "标识须以字母开头"),
    ({"process_id": "approval", "name": "又一个"}, "已有使用此标识的流程"),
    ({"process_id": "fine_id", "name": "  "}, "请为流程起一个不超过 100 字的名称"),
])
def test_a_new_process_with_a_bad_id_or_name_is_refused_and_nothing_is_made(client, login, world, session, form,
                                                                               said):
    login("boss")
    refused = client.post("/processes/new", data=form, follow_redirects=True)
    assert said in refused.get_data(as_text=True)
    assert rows(session, select(ProcessDraft.process_id)) == []


def test_a_long_migration_result_keeps_the_session_cookie_small(app):
    """Past the budget only a count is kept; instances that stayed come first (they need reading)."""
    outcomes = [Outcome(i, f"实例{i}" * 20, True) for i in range(1, 60)]
    outcomes.append(Outcome(99, "留下", False, "fails", params={"message": "x" * 5000}))
    with app.test_request_context():
        process_admin.keep_result("approval", 1, 2, outcomes)
        kept = process_admin.take_result("approval", 1)
        assert kept["outcomes"][0]["instance_id"] == 99 and len(kept["outcomes"][0]["params"]["message"]) == 300
        assert 0 < len(kept["outcomes"]) < 60 and kept["left"] == 60 - len(kept["outcomes"])
        assert process_admin.take_result("approval", 1) == {}  # once


def test_the_administrator_may_move_only_some_instances(client, login, world, session, admin):
    ids = [instances.start_instance(session, "approval", admin, {"unit": unit}).id for unit in ("教育局", "卫健局")]
    deploy_approval_v2(session, admin)
    login("boss")
    page = client.get("/processes/approval/v1").get_data(as_text=True)
    assert "只迁移其中部分实例" in page and f'name="instance" value="{ids[1]}"' in page
    assert client.post("/processes/approval/v1/migrate", data={"to": "2", "instance": str(ids[1])}).status_code == 302
    result = client.get("/processes/approval/v1").get_data(as_text=True)
    assert f'data-instance="{ids[1]}" data-moved="true"' in result and f'data-instance="{ids[0]}"' not in result
    found = dict(rows(session, select(ProcessInstance.id, ProcessVersion.version).join(ProcessVersion)))
    assert found == {ids[0]: 1, ids[1]: 2}


def test_a_refused_instance_names_the_task_in_the_way_after_the_redirect(client, login, world, session, admin):
    files = bundle("inbox")
    processes.deploy(session, files, admin)
    instance = instances.start_instance(session, "plan", admin, {"department": "教育局", "issued_on": "2026-03-01"})
    [task] = [t for t in instance_tasks(session, instance.id) if t.state == "open"]
    tasks.complete_task(session, task.id, {"summary": "四项整改措施",
                                           "items": [{"problem": "p", "deadline": "2026-04-01"}]}, admin, "test")
    processes.deploy(session, plan_v2(files, drop_confirm=True), admin)
    session.commit()
    login("boss")
    assert client.post("/processes/plan/v1/migrate", data={"to": "2"}).status_code == 302
    result = client.get("/processes/plan/v1").get_data(as_text=True)
    assert f'data-instance="{instance.id}" data-moved="false"' in result
    assert '<li data-element="confirm"><code>confirm</code> 确认整改方案' in result and "新版本中已删除" in result
