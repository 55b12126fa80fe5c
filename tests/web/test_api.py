"""The JSON API: bearer tokens, the same rules as the pages, an OpenAPI document."""
from __future__ import annotations

import pytest

import forms
from engine.services import processes, tokens
from tests.conftest import bundle
from tests.web.conftest import PASSWORD


@pytest.fixture
def api(client, session, make_user):
    office = make_user("office", groups=["评议办"], password=PASSWORD)
    dept = make_user("dept", groups=["被评议部门"], password=PASSWORD)
    outsider = make_user("outsider", password=PASSWORD)
    processes.deploy(session, bundle("inbox"), None, form_checker=forms.check_bundle_form)
    secrets = {"office": tokens.create_token(session, office, "接口", office)[1],
               "dept": tokens.create_token(session, dept, "接口", dept)[1],
               "outsider": tokens.create_token(session, outsider, "接口", outsider)[1]}
    session.commit()

    def call(method, path, user=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if user:
            headers["Authorization"] = f"Bearer {secrets[user]}"
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    return call


def test_a_token_is_required(api, client, login):
    assert api("GET", "/tasks").status_code == 401
    response = api("GET", "/tasks", headers={"Authorization": "Bearer pyt_forged"})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    login("office")  # a browser session is not a token
    assert client.get("/api/v1/tasks").status_code == 401


def test_start_list_get_claim_submit(api):
    started = api("POST", "/instances", "office", json={"process_id": "plan", "title": "教育局整改",
                                                        "data": {"department": "教育局", "issued_on": "2023-10-31"}})
    assert started.status_code == 201 and started.get_json()["status"] == "running"
    assert api("GET", "/tasks", "office").get_json()["total"] == 0
    listed = api("GET", "/tasks", "dept").get_json()
    assert listed["total"] == 1
    task_id = listed["tasks"][0]["id"]
    assert listed["tasks"][0]["url"] == f"/api/v1/tasks/{task_id}"
    detail = api("GET", f"/tasks/{task_id}", "dept").get_json()
    assert detail["form"]["schema"]["properties"]["items"]["type"] == "array"
    assert detail["can_claim"] is True and "教育局" in detail["instructions"]
    assert detail["data"] == {}  # the form's fields only (none answered yet), not the task's other data
    starter_view = api("GET", f"/tasks/{task_id}", "office").get_json()  # who started it may look
    assert starter_view["can_complete"] is False and starter_view["can_claim"] is False
    assert api("GET", f"/tasks/{task_id}", "outsider").status_code == 403
    assert api("POST", f"/tasks/{task_id}/claim", "outsider").status_code == 403
    assert api("POST", f"/tasks/{task_id}/claim", "dept").get_json()["task"]["assignee"] == "dept"
    invalid = api("POST", f"/tasks/{task_id}/submit", "dept", json={"data": {"summary": "x"}})
    assert invalid.status_code == 400 and "items" in invalid.get_json()["errors"]
    assert api("POST", f"/tasks/{task_id}/submit", "dept", json={"oops": 1}).status_code == 400
    done = api("POST", f"/tasks/{task_id}/submit", "dept", json={"data": {
        "summary": "成立专班，逐条整改。", "items": [{"problem": "课后服务", "deadline": "2023-12-31"}]}})
    body = done.get_json()
    assert done.status_code == 200 and body["task"]["state"] == "completed"
    assert body["next_task"]["element"] == "confirm"
    again = api("POST", f"/tasks/{task_id}/submit", "dept", json={"data": {}})
    assert again.status_code == 409 and "已由" in again.get_json()["detail"]
    assert again.get_json()["code"] == "task_already_completed"  # for programs, whatever the language


def test_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/instances", "/tasks", "/tasks/{task_id}", "/tasks/{task_id}/claim", "/tasks/{task_id}/submit"} \
        <= set(document["paths"])


def test_wrongly_typed_or_nested_bodies_are_clear_refusals(api):
    for body in ({"process_id": "plan", "title": 5}, {"process_id": "plan", "business_key": {"a": 1}},
                 {"process_id": 5}):
        response = api("POST", "/instances", "office", json=body)
        assert response.status_code == 400 and response.get_json()["status"] == 400, body
    deep = '{"data": ' + "[" * 5000 + "]" * 5000 + "}"
    response = api("POST", "/instances", "office", data=deep, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.get_json()["errors"] == {"body": "too_deep"}
    for data, headers in (("{not json", {"Content-Type": "application/json"}), ("[1, 2]", {"Content-Type":
                          "application/json"}), ('{"process_id": "plan"}', {"Content-Type": "text/plain"})):
        response = api("POST", "/instances", "office", data=data, headers=headers)
        body = response.get_json()
        assert response.status_code == 400 and body["code"] == "invalid_input" and body["errors"] == {"body": "object"}
    wrong_method = api("DELETE", "/tasks", "office")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["code"] == "http_405"
    assert api("GET", "/tasks?page=99999999999999999999", "office").status_code == 200
