"""Signing in: passwords, remember me, safe redirects, rate limits, CSRF, password change."""
from __future__ import annotations

import re
from contextlib import contextmanager

from tests.web.conftest import PASSWORD, csrf_token
from web import create_app


def test_pages_need_a_signed_in_user(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_sign_in_and_out(client, login, make_user):
    make_user("office", password=PASSWORD, display_name="王秀英")
    assert login("office", "wrong password").status_code == 200
    response = login("office")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and "王秀英" in page.get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_says_so_in_chinese(client, login, make_user):
    make_user("office", password=PASSWORD)
    page = login("office", "nope-nope").get_data(as_text=True)
    assert "用户名或密码错误" in page


def test_next_must_stay_on_this_site(client, session, make_user):
    make_user("office", password=PASSWORD)
    session.commit()
    for target, expected in (("/tasks/1", "/tasks/1"), ("https://evil.example/x", "/"), ("//evil.example", "/"),
                             ("/\\evil.example", "/")):
        client.post("/logout")
        response = client.post(f"/login?next={target}", data={"username": "office", "password": PASSWORD})
        assert response.headers["Location"] == expected, target


def test_remember_me_sets_a_secure_http_only_cookie(client, login, make_user):
    make_user("office", password=PASSWORD)
    response = login("office", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie


def test_password_change_signs_out_other_sessions(app, client, login, make_user):
    make_user("office", password=PASSWORD)
    login("office")
    other = app.test_client()
    other.post("/login", data={"username": "office", "password": PASSWORD})
    assert other.get("/").status_code == 200
    response = client.post("/password", data={"old_password": PASSWORD, "new_password": "new-password-99",
                                              "repeat": "new-password-99"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200       # this session goes on
    assert other.get("/").status_code == 302        # the other one is signed out
    wrong = client.post("/password", data={"old_password": "not-it", "new_password": "another-pass-1",
                                           "repeat": "another-pass-1"})
    assert "当前密码不正确" in wrong.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(database_url, sessions, session, make_user, tmp_path):
    make_user("office", password=PASSWORD)
    session.commit()
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True, "RATELIMIT_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path)})
    try:
        client = app.test_client()
        refused = client.post("/login", data={"username": "office", "password": PASSWORD})
        assert refused.status_code == 400 and "表单已过期" in refused.get_data(as_text=True)
        token = csrf_token(client.get("/login").get_data(as_text=True))
        accepted = client.post("/login", data={"username": "office", "password": PASSWORD, "csrf_token": token})
        assert accepted.status_code == 302
        assert client.post("/logout").status_code == 400  # signed in, still no token: refused
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_login_is_rate_limited(database_url, sessions, session, make_user, tmp_path):
    make_user("office", password=PASSWORD)
    make_user("member", password=PASSWORD)
    session.commit()
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path)})
    try:
        client = app.test_client()
        codes = [client.post("/login", data={"username": "office", "password": "wrong-guess"}).status_code
                 for _ in range(12)]
        assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
        blocked = client.post("/login", data={"username": "office", "password": PASSWORD})
        assert "尝试次数过多，请稍等一分钟" in blocked.get_data(as_text=True) and blocked.headers["Retry-After"] == "60"
        # another member in the same hall (same address) still signs in
        other = app.test_client()
        assert other.post("/login", data={"username": "member", "password": PASSWORD}).status_code == 302
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_logins_from_one_address_are_limited_too(database_url, sessions, session, make_user, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path), "LOGIN_RATE_LIMIT_IP": "5 per minute"})
    try:
        client = app.test_client()
        codes = [client.post("/login", data={"username": f"user{i}", "password": "x"}).status_code for i in range(6)]
        assert codes == [200] * 5 + [429]
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_an_hourly_limit_says_how_long_to_wait(database_url, sessions, session, make_user, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path), "LOGIN_RATE_LIMIT_IP": "3 per hour"})
    try:
        client = app.test_client()
        codes = [client.post("/login", data={"username": f"user{i}", "password": "x"}) for i in range(4)]
        assert [c.status_code for c in codes] == [200] * 3 + [429]
        assert "最多 60 分钟" in codes[-1].get_data(as_text=True) and codes[-1].headers["Retry-After"] == "3600"
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_language_switch(client, login, make_user):
    make_user("office", password=PASSWORD)
    login("office")
    assert "待办" in client.get("/").get_data(as_text=True)
    client.get("/lang/en?next=/")
    assert "Inbox" in client.get("/").get_data(as_text=True)
    assert client.get("/lang/en?next=https://evil.example").headers["Location"] == "/"


def test_remember_me_outlasts_the_browser_session(client, login, make_user):
    make_user("office", password=PASSWORD)
    login("office", remember="y")
    client.delete_cookie("session")  # the browser was closed: only the remember-me cookie is left
    for _ in range(3):
        response = client.get("/")
        assert response.status_code == 200
        assert not any(c.startswith("remember_token=;") for c in response.headers.getlist("Set-Cookie"))


def test_a_phone_that_changes_network_or_browser_version_stays_signed_in(client, login, make_user):
    make_user("office", password=PASSWORD)
    login("office", remember="y")
    assert client.get("/").status_code == 200
    elsewhere = client.get("/", headers={"User-Agent": "the same browser, updated"},
                           environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert elsewhere.status_code == 200
    assert not any(c.startswith("remember_token=;") for c in elsewhere.headers.getlist("Set-Cookie"))
    assert client.get("/").status_code == 200


def test_pages_without_a_signed_in_user_leave_the_cookies_alone(database_url, sessions, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True, "RATELIMIT_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path)})  # CSRF on: the page puts its token in the session
    try:
        client = app.test_client()
        first = client.get("/login")
        assert any(c.startswith("session=") for c in first.headers.getlist("Set-Cookie"))
        again = client.get("/login")
        assert again.status_code == 200 and again.headers.getlist("Set-Cookie") == []
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_a_password_change_ends_remember_me_on_other_devices(app, client, login, make_user):
    make_user("office", password=PASSWORD)
    login("office")
    phone = app.test_client()
    phone.post("/login", data={"username": "office", "password": PASSWORD, "remember": "y"})
    client.post("/password", data={"old_password": PASSWORD, "new_password": "new-password-99",
                                   "repeat": "new-password-99"})
    phone.delete_cookie("session")
    assert phone.get("/").status_code == 302


def test_a_script_that_lost_its_session_is_told_so_not_sent_the_sign_in_page(client):
    """The BPMN editor saves with fetch, which follows a redirect: the sign-in page looked like a
    successful save. A request asking for JSON gets a 401 saying what happened."""
    response = client.post("/processes/annual/draft", json={"xml": "<x/>"}, headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.is_json
    assert "重新登录" in response.get_json()["detail"]
    page = client.get("/processes/annual/edit")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_a_session_in_use_is_stamped_so_it_ends_after_idle_hours_not_after_signing_in(client, login, make_user):
    make_user("office", password=PASSWORD)
    login("office")
    with client.session_transaction() as stored:
        stored["_active"] = 0  # stamped long ago
    stamped = client.get("/")
    assert any(c.startswith("session=") for c in stamped.headers.getlist("Set-Cookie"))  # rewritten: dated now
    assert not any(c.startswith("session=") for c in client.get("/").headers.getlist("Set-Cookie"))


def test_a_form_sent_after_the_session_ended_says_so(database_url, sessions, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True, "RATELIMIT_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path)})
    try:
        client = app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        client.delete_cookie("session")  # the session ended while the page stayed open
        refused = client.post("/login", data={"username": "office", "password": PASSWORD, "csrf_token": token})
        assert refused.status_code == 400 and "没有保存" in refused.get_data(as_text=True)
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_when_the_database_fails_a_signed_in_user_still_gets_a_page_with_a_reference(client, login, make_user,
                                                                                      monkeypatch):
    """The error page needs the database too (the user, the inbox badge): it falls back to a bare one."""
    from sqlalchemy.exc import OperationalError

    from engine.services import inbox

    make_user("office", password=PASSWORD)
    login("office")

    def down(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(inbox, "count_mine", down)
    page = client.get("/")
    body = page.get_data(as_text=True)
    assert page.status_code == 500 and "服务器出错" in body and "Traceback" not in body
    assert re.search(r"<code[^>]*>[0-9A-F]{8}</code>", body)


def test_the_device_that_changed_the_password_stays_remembered(client, login, make_user):
    make_user("office", password=PASSWORD)
    login("office", remember="y")
    client.post("/password", data={"old_password": PASSWORD, "new_password": "new-password-99",
                                   "repeat": "new-password-99"})
    client.delete_cookie("session")  # the browser was closed
    assert client.get("/").status_code == 200


def test_the_chosen_language_follows_the_user_to_their_next_sign_in(client, login, make_user, app):
    make_user("office", password=PASSWORD)
    login("office")
    client.get("/lang/en?next=/")
    laptop = app.test_client()
    assert laptop.post("/login", data={"username": "office", "password": PASSWORD}).status_code == 302
    inbox = laptop.get("/")
    assert inbox.status_code == 200 and '<html lang="en">' in inbox.get_data(as_text=True)


def test_a_next_with_a_line_break_goes_home_not_to_an_error(client, session, make_user):
    make_user("office", password=PASSWORD)
    session.commit()
    response = client.post("/login?next=/x%0d%0ay", data={"username": "office", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/lang/en?next=/x%0ay").headers["Location"] == "/"
    assert client.get("/login?next=/tasks/1%09").headers["Location"] == "/"


def test_a_chosen_password_easy_to_guess_is_refused_with_the_reason(client, login, make_user):
    make_user("member3", password=PASSWORD)
    login("member3")
    for weak, reason in (("12345678", "太容易被猜到"), ("Member3member3", "不能包含您的用户名"),
                         ("password2026", "太容易被猜到"), ("qwertyuiop", "太容易被猜到")):
        page = client.post("/password", data={"old_password": PASSWORD, "new_password": weak, "repeat": weak})
        assert page.status_code == 200 and reason in page.get_data(as_text=True), weak
    assert login("member3").status_code == 302  # still the old password
    done = client.post("/password", data={"old_password": PASSWORD, "new_password": "river-lantern-42",
                                          "repeat": "river-lantern-42"})
    assert done.status_code == 302


@contextmanager
def app_of_its_own(database_url, tmp_path, **config):
    """An app apart from the shared test app (whose rate limits are off), disposed of afterwards."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True,
                      "ATTACHMENTS_DIR": str(tmp_path), **config})
    try:
        yield app
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_guessing_the_current_password_is_limited(database_url, sessions, session, make_user, tmp_path):
    make_user("office", password=PASSWORD)
    session.commit()
    with app_of_its_own(database_url, tmp_path, WTF_CSRF_ENABLED=False) as app:
        client = app.test_client()
        assert client.post("/login", data={"username": "office", "password": PASSWORD}).status_code == 302
        codes = [client.post("/password", data={"old_password": f"guess-{n}", "new_password": "river-lantern-42",
                                                "repeat": "river-lantern-42"}).status_code for n in range(11)]
        assert codes[:10] == [200] * 10 and codes[10] == 429
