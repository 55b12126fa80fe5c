"""Signing out on every device: every session and remember-me cookie made before stops, copies
included; the password stays."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import AuditEvent
from tests.web.conftest import PASSWORD, read


@pytest.fixture
def people(make_user):
    return {"admin": make_user("admin", is_admin=True, password=PASSWORD),
            "office": make_user("office", groups=["评议办"], password=PASSWORD, display_name="王芳")}


def copy_of(app, client, *names):
    other = app.test_client()
    for name in names:
        other.set_cookie(name, client.get_cookie(name).value)
    return other


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_copied_session_and_a_kept_device_stop(app, client, login, session, people):
    login("office", remember="y")
    phone = copy_of(app, client, "session")
    kept = copy_of(app, client, "remember_token")
    assert signed_in(phone) and signed_in(kept)
    response = client.post("/logout", data={"everywhere": "1"}, follow_redirects=True)
    assert "您已在所有设备上退出" in response.get_data(as_text=True)
    assert not signed_in(phone) and not signed_in(kept) and not signed_in(client)
    assert read(session, select(AuditEvent.event_type).where(AuditEvent.event_type == "signed_out_everywhere"))
    login("office")  # the password still works
    assert signed_in(client)


def test_a_plain_sign_out_leaves_other_devices_signed_in(app, client, login, people):
    login("office")
    other = app.test_client()
    other.post("/login", data={"username": "office", "password": PASSWORD})
    client.post("/logout")
    assert not signed_in(client) and signed_in(other)


def test_an_administrator_signs_an_account_out(app, client, login, session, people):
    login("office")
    office = client
    admin = app.test_client()
    admin.post("/login", data={"username": "admin", "password": PASSWORD})
    response = admin.post("/accounts/office/sign-out", follow_redirects=True)
    assert "王芳 已在所有设备上退出" in response.get_data(as_text=True)
    assert not signed_in(office) and signed_in(admin)


def test_someone_else_may_not(app, client, login, people):
    login("office")
    assert client.post("/accounts/admin/sign-out").status_code == 403


def test_only_the_everywhere_button_signs_out_everywhere(app, client, login, people):
    login("office")
    other = copy_of(app, client, "session")
    client.post("/logout", data={"everywhere": "0"})
    assert signed_in(other)  # a plain sign-out, whatever else the form says
