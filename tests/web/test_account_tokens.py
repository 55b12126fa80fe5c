"""API tokens managed on an account's page: made with a name and shown once, used by a program,
revoked with one click; only administrators, and never the secret in the history."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine.models import ApiToken, AuditEvent
from tests.web.conftest import PASSWORD, read, text


@pytest.fixture
def people(make_user):
    return {"admin": make_user("admin", is_admin=True, password=PASSWORD),
            "oa": make_user("oa_gateway", groups=["评议办"], password=PASSWORD, display_name="OA 网关"),
            "auditor": make_user("auditor", is_auditor=True, password=PASSWORD)}


def secret_in(html: str) -> str:
    start = html.index('id="api-token">') + len('id="api-token">')
    return html[start:html.index("</p>", start)].strip()


def test_a_token_is_shown_once_works_and_is_revoked(app, client, login, session, people):
    login("admin")
    response = client.post("/accounts/oa_gateway/tokens", data={"name": "办公室 OA 系统"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = secret_in(text(response))
    assert secret.startswith("pyt_")
    page = text(client.get("/accounts/oa_gateway/edit"))
    assert "办公室 OA 系统" in page and "从未使用" in page and secret not in page
    history = json.dumps([row for row in session.execute(select(AuditEvent.details, AuditEvent.data_after)).all()],
                         ensure_ascii=False, default=str)
    assert secret not in history and "api_token_created" in read(
        session, select(AuditEvent.event_type).where(AuditEvent.event_type == "api_token_created"))

    machine = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert machine.get("/api/v1/tasks", headers=headers).status_code == 200
    assert "最近使用" in text(client.get("/accounts/oa_gateway/edit"))

    token_id = read(session, select(ApiToken.id))
    response = client.post(f"/accounts/oa_gateway/tokens/{token_id}/revoke")
    assert response.status_code == 302 and "已吊销" in text(client.get("/accounts/oa_gateway/edit"))
    assert machine.get("/api/v1/tasks", headers=headers).status_code == 401


def test_a_token_needs_a_name_and_an_active_account(client, login, session, people):
    login("admin")
    response = client.post("/accounts/oa_gateway/tokens", data={"name": "  "}, follow_redirects=True)
    assert "请为令牌填写名称" in text(response)
    people["oa"].is_active = False  # stopped (as 停用此账号 does)
    session.commit()
    response = client.post("/accounts/oa_gateway/tokens", data={"name": "OA"}, follow_redirects=True)
    assert "已停用的账号不能生成 API 令牌" in text(response)
    assert read(session, select(ApiToken.id)) is None


def test_a_token_of_another_account_is_not_revoked_here(client, login, session, people):
    login("admin")
    client.post("/accounts/oa_gateway/tokens", data={"name": "OA"})
    token_id = read(session, select(ApiToken.id))
    assert client.post(f"/accounts/admin/tokens/{token_id}/revoke").status_code == 404
    assert read(session, select(ApiToken.revoked_at)) is None


@pytest.mark.parametrize("who", ["oa_gateway", "auditor"])
def test_only_administrators(client, login, session, people, who):
    login(who)
    assert client.post("/accounts/oa_gateway/tokens", data={"name": "mine"}).status_code == 403
    assert read(session, select(ApiToken.id)) is None


def test_the_account_is_told_and_what_a_program_does_names_the_token(client, login, session, people):
    from engine import audit
    from engine.models import Notification
    from engine.services import tokens

    login("admin")
    secret = secret_in(text(client.post("/accounts/oa_gateway/tokens", data={"name": "OA"})))
    told = read(session, select(Notification.title).where(Notification.user_id == people["oa"].id))
    assert told == "管理员（Admin）为您的账号生成了 API 令牌“OA”。"
    user = tokens.user_for_token(session, secret)  # as a request with the token does
    event = audit.record(session, "task_claimed", user, details={"title": "x"})
    assert event["details"] == {"title": "x", "via_token": read(session, select(ApiToken.id))}
    other = audit.record(session, "task_claimed", people["admin"])  # someone else in the same session: no
    assert other["details"] is None
