"""Accounts and groups over HTTP: who may see and change them, a temporary password shown once and replaced
at the first sign-in, a forgotten password reset, an account stopped, and refusals said in Chinese."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock
from engine.models import AuditEvent, User
from engine.services import users
from tests.web.conftest import PASSWORD, read, text


@pytest.fixture
def people(make_user):
    return {
        "admin": make_user("admin", is_admin=True, password=PASSWORD),
        "office": make_user("office", groups=["评议办"], password=PASSWORD, display_name="王芳"),
        "auditor": make_user("auditor", is_auditor=True, password=PASSWORD),
        "dept": make_user("dept", groups=["教育局"], password=PASSWORD, display_name="李强"),
    }


def temporary_password(html: str) -> str:
    start = html.index('id="temporary-password">') + len('id="temporary-password">')
    return html[start:html.index("</p>", start)].strip()


@pytest.mark.parametrize("who", ["office", "dept"])
def test_people_who_are_not_administrators_or_auditors_get_403(client, login, people, who):
    login(who)
    for page in ("/accounts/", "/accounts/new", "/accounts/dept/edit", "/accounts/groups/"):
        assert client.get(page).status_code == 403, page
    assert client.post("/accounts/dept/password").status_code == 403
    assert "账号" not in text(client.get("/org/departments/"))


def test_signing_in_is_needed(client, people):
    response = client.get("/accounts/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_auditor_reads_the_accounts_and_changes_nothing(client, login, people):
    login("auditor")
    listing = client.get("/accounts/")
    assert listing.status_code == 200 and "王芳" in text(listing) and "新建账号" not in text(listing)
    assert client.get("/accounts/groups/").status_code == 200
    assert client.get("/accounts/new").status_code == 403
    assert client.post("/accounts/dept/password").status_code == 403
    assert client.post("/accounts/groups/", data={"name": "新组"}).status_code == 403


def test_the_list_shows_roles_password_state_and_last_sign_in(client, login, people):
    login("admin")
    page = text(client.get("/accounts/"))
    for shown in ("管理员", "审计员", "从未登录", "王芳", "评议办"):
        assert shown in page, shown
    filtered = text(client.get("/accounts/?group=教育局"))
    assert "李强" in filtered and "王芳" not in filtered
    assert "1 个账号" in filtered


def test_a_new_account_gets_a_temporary_password_shown_once_and_replaced_at_the_first_sign_in(app, client, login,
                                                                                               people):
    login("admin")
    created = client.post("/accounts/new", data={"username": "zhang", "display_name": "张伟",
                                                 "groups": ["评议办", "教育局"], "with_password": "y"})
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    password = temporary_password(text(created))
    assert len(password) == 12
    assert password not in str(created.headers)  # not in a flash message in the signed cookie
    holder = app.test_client()
    signed_in = holder.post("/login", data={"username": "zhang", "password": password})
    assert signed_in.status_code == 302
    forced = holder.get("/?tab=group")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/password?next=/?tab%3Dgroup")
    for _ in range(3):  # the message is said once, however many pages were tried
        assert holder.get("/ballots/").status_code == 302
    page = text(holder.get("/password"))
    assert page.count("您使用的是临时密码") == 1
    script = holder.get("/ballots/x/status.json", headers={"Accept": "application/json"})
    assert script.status_code == 403 and "临时密码" in script.get_json()["detail"]  # JSON, not the sign-in page
    kept = holder.post("/password", data={"old_password": password, "new_password": password, "repeat": password})
    assert kept.status_code == 200 and "请设置一个与当前密码不同的密码" in text(kept)  # others saw the temporary one
    changed = holder.post("/password?next=/?tab%3Dgroup", data={"old_password": password,
                                                               "new_password": "lotus-own-pass",
                                                               "repeat": "lotus-own-pass"})
    assert changed.status_code == 302 and changed.headers["Location"] == "/?tab=group"
    assert holder.get("/").status_code == 200


def test_a_device_kept_signed_in_counts_as_signing_in(app, client, login, session, people):
    login("office", remember="y")
    remembered = client.get_cookie("remember_token")
    assert remembered is not None
    first = read(session, select(User.last_login_at).where(User.username == "office"))
    assert first is not None
    later = app.test_client()
    later.set_cookie("remember_token", remembered.value)
    clock.advance(timedelta(days=3))
    assert later.get("/").status_code == 200
    assert read(session, select(User.last_login_at).where(User.username == "office")) > first


def test_bad_input_is_shown_on_the_form_in_chinese_and_nothing_is_stored(client, login, session, people):
    login("admin")
    both = client.post("/accounts/new", data={"username": "li", "display_name": "李", "is_admin": "y",
                                              "is_auditor": "y"})
    assert both.status_code == 422 and "管理员和审计员不能兼任" in text(both)
    taken = client.post("/accounts/new", data={"username": "office", "display_name": "重名"})
    assert taken.status_code == 422 and "该用户名已被使用" in text(taken)
    bad = client.post("/accounts/new", data={"username": "a b", "display_name": "X"})
    assert bad.status_code == 422 and "Traceback" not in text(bad)
    assert read(session, select(User.id).where(User.username.in_(["li", "a b"]))) is None


def test_a_forgotten_password_is_reset_and_the_old_one_stops_working(app, client, login, people):
    login("admin")
    reset = client.post("/accounts/office/password")
    assert reset.status_code == 200 and reset.headers["Cache-Control"] == "no-store"
    password = temporary_password(text(reset))
    other = app.test_client()
    assert "用户名或密码错误" in text(other.post("/login", data={"username": "office", "password": PASSWORD},
                                                 follow_redirects=True))
    assert other.post("/login", data={"username": "office", "password": password}).status_code == 302
    own = client.post("/accounts/admin/password", follow_redirects=True)
    assert "请在“修改密码”中更改自己的密码" in text(own)


def test_edit_changes_groups_and_roles(client, login, session, people):
    login("admin")
    form = text(client.get("/accounts/dept/edit"))
    assert 'value="dept"' in form and "readonly" in form
    saved = client.post("/accounts/dept/edit", data={"username": "ignored", "display_name": "李强",
                                                     "groups": ["评议办"], "is_auditor": "y"})
    assert saved.status_code == 302
    session.expire_all()
    dept = users.get_user(session, "dept")
    assert dept.is_auditor and [g.name for g in dept.groups] == ["评议办"]
    session.commit()
    mine = client.post("/accounts/admin/edit", data={"display_name": "Admin"})
    assert mine.status_code == 422 and "不能对自己的账号这样做" in text(mine)


def test_an_account_is_stopped_with_a_reason_and_let_in_again(app, client, login, session, people):
    login("admin")
    no_reason = client.post("/accounts/dept/deactivate", data={"reason": ""}, follow_redirects=True)
    assert "请说明停用的原因" in text(no_reason)
    assert read(session, select(User.is_active).where(User.username == "dept")) is True
    stopped = client.post("/accounts/dept/deactivate", data={"reason": "调离"}, follow_redirects=True)
    assert "dept 已不能登录" in text(stopped)
    assert read(session, select(User.is_active).where(User.username == "dept")) is False
    reason = read(session, select(AuditEvent.reason).where(AuditEvent.event_type == "user_deactivated"))
    assert reason == "调离"
    assert "dept" not in text(client.get("/accounts/")).split("<tbody>")[1]
    assert "dept" in text(client.get("/accounts/?status=inactive")).split("<tbody>")[1]
    assert app.test_client().post("/login", data={"username": "dept", "password": PASSWORD}).status_code == 200
    client.post("/accounts/dept/activate")
    assert read(session, select(User.is_active).where(User.username == "dept")) is True
    myself = client.post("/accounts/admin/deactivate", data={"reason": "test"}, follow_redirects=True)
    assert "不能对自己的账号这样做" in text(myself)


def test_groups_are_listed_and_added(client, login, session, people):
    login("admin")
    page = text(client.get("/accounts/groups/"))
    assert "评议办" in page and "教育局" in page
    added = client.post("/accounts/groups/", data={"name": "水利局", "title": "县水利局联系人"}, follow_redirects=True)
    assert "已创建用户组 水利局" in text(added) and "县水利局联系人" in text(added)
    again = client.post("/accounts/groups/", data={"name": "水利局"})
    assert again.status_code == 422 and "该用户组已存在" in text(again)
