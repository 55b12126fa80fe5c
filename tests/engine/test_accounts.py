"""Accounts as administrators keep them: listing, creating with a temporary password, changing roles and
groups, resetting a forgotten password, stopping an account, and the guards that keep an administrator."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine.errors import Conflict, InvalidInput, PermissionDenied
from engine.models import AuditEvent, User
from engine.services import accounts, users

PASSWORD = "correct-horse-42"


@pytest.fixture
def people(make_user, admin):
    return {
        "admin": admin,
        "office": make_user("office", groups=["评议办"], password=PASSWORD, display_name="王芳"),
        "auditor": make_user("auditor", is_auditor=True),
        "dept": make_user("dept", groups=["教育局"], email="dept@example.cn", display_name="李强"),
    }


def events(session, event_type: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)
                                .order_by(AuditEvent.seq)))


def test_only_administrators_manage_and_auditors_read(session, people):
    assert accounts.may_manage(people["admin"]) and accounts.may_view(people["admin"])
    assert accounts.may_view(people["auditor"]) and not accounts.may_manage(people["auditor"])
    for who in ("office", "dept"):
        assert not accounts.may_view(people[who])
        with pytest.raises(PermissionDenied):
            accounts.list_accounts(session, people[who])
    with pytest.raises(PermissionDenied):
        accounts.create_account(session, {"username": "x1", "display_name": "X"}, people["auditor"])
    with pytest.raises(PermissionDenied):
        accounts.reset_password(session, "dept", people["office"])


def test_the_list_searches_filters_by_group_and_status_and_pages(session, people, make_user):
    for index in range(accounts.PER_PAGE + 5):
        make_user(f"deputy{index:03d}", groups=["代表"])
    users.set_active(session, "deputy000", False, None, "调离")
    admin = people["admin"]
    page = accounts.list_accounts(session, admin, accounts.AccountQuery(group="代表"))
    assert page.total == accounts.PER_PAGE + 4 and page.pages == 2 and len(page.rows) == accounts.PER_PAGE
    assert page.rows[0].username == "deputy001"  # the inactive one is not listed by default
    second = accounts.list_accounts(session, admin, accounts.AccountQuery(group="代表", page=2))
    assert [u.username for u in second.rows][-1] == f"deputy{accounts.PER_PAGE + 4:03d}"
    inactive = accounts.list_accounts(session, admin, accounts.AccountQuery(status="inactive"))
    assert [u.username for u in inactive.rows] == ["deputy000"]
    assert [u.username for u in accounts.list_accounts(session, admin, accounts.AccountQuery(search="李")).rows] \
        == ["dept"]
    assert [u.username for u in accounts.list_accounts(session, admin,
                                                       accounts.AccountQuery(search="example.cn")).rows] == ["dept"]
    assert accounts.list_accounts(session, admin, accounts.AccountQuery(status="bogus")).query.status == "active"


def test_groups_are_listed_with_their_active_members(session, people, make_user):
    make_user("office2", groups=["评议办"])
    users.set_active(session, "office2", False, None, "退休")
    counts = {group.name: n for group, n in accounts.groups_with_counts(session, people["auditor"])}
    assert counts == {"评议办": 1, "教育局": 1}
    accounts.create_group(session, "水利局", "县水利局联系人", people["admin"])
    assert {group.name: n for group, n in accounts.groups_with_counts(session, people["admin"])}["水利局"] == 0
    with pytest.raises(Conflict):
        accounts.create_group(session, "水利局", "", people["admin"])
    with pytest.raises(InvalidInput) as refused:
        accounts.create_group(session, "x" * 129, "", people["admin"])
    assert refused.value.errors == {"name": "too_long"}


def test_a_new_account_gets_a_temporary_password_to_replace_at_the_first_sign_in(session, people):
    user, password = accounts.create_account(session, {
        "username": "zhang", "display_name": "张伟", "email": "zhang@example.cn", "groups": ["评议办", "教育局"],
        "is_admin": False, "is_auditor": False, "with_password": True}, people["admin"])
    assert len(password) == accounts.TEMPORARY_LENGTH and set(password) <= set(accounts.TEMPORARY_ALPHABET)
    assert user.must_change_password and [g.name for g in user.groups] == ["教育局", "评议办"]
    assert users.authenticate(session, "zhang", password) is user
    users.set_password(session, user, "my-own-password", user, old_password=password)
    assert not user.must_change_password
    created = events(session, "user_created")[-1]
    assert created.details["username"] == "zhang"
    added = [e.details["group"] for e in events(session, "group_member_added") if e.details["username"] == "zhang"]
    assert sorted(added) == ["教育局", "评议办"]
    every_event = json.dumps([[e.details, e.data_before, e.data_after] for e in session.scalars(select(AuditEvent))],
                             ensure_ascii=False)
    assert password not in every_event and "my-own-password" not in every_event


def test_an_account_without_a_password_cannot_sign_in(session, people):
    user, password = accounts.create_account(session, {"username": "deputy9", "display_name": "赵敏",
                                                       "with_password": False}, people["admin"])
    assert password is None and user.password_hash is None and not user.must_change_password
    assert users.authenticate(session, "deputy9", "") is None


@pytest.mark.parametrize("values, field, code", [
    ({"username": "a b", "display_name": "X"}, "username", "invalid"),
    ({"username": "ok1", "display_name": "  "}, "display_name", "required"),
    ({"username": "ok1", "display_name": "X", "email": "not-an-address"}, "email", "invalid"),
    ({"username": "ok1", "display_name": "X", "email": "a b@c.cn"}, "email", "invalid"),
    ({"username": "ok1", "display_name": "X", "groups": ["无此组"]}, "groups", "unknown"),
    ({"username": "ok1", "display_name": "X", "is_admin": True, "is_auditor": True}, "is_auditor", "both"),
    ({"username": "..", "display_name": "X"}, "username", "invalid"),  # would be a path, not a name
    ({"username": "_-", "display_name": "X"}, "username", "invalid"),
    ({"username": "ok1", "display_name": "X\u202eY"}, "display_name", "invalid"),
    ({"username": "ok1", "display_name": "X\nY"}, "display_name", "invalid"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_created(session, people, values, field, code):
    with pytest.raises(InvalidInput) as refused:
        accounts.create_account(session, values, people["admin"])
    assert refused.value.errors.get(field) == code
    session.rollback()
    assert session.scalar(select(User.id).where(User.username == "ok1")) is None
    assert "ok1" not in [e.details.get("username") for e in events(session, "user_created")]


def test_a_taken_user_name_is_a_conflict_whatever_its_capitals(session, people):
    for taken in ("office", "Office", "OFFICE"):
        with pytest.raises(Conflict):
            accounts.create_account(session, {"username": taken, "display_name": "X"}, people["admin"])
    with pytest.raises(InvalidInput):  # the command line too
        users.create_user(session, "both", "B", None, is_admin=True, is_auditor=True)


def test_one_keeps_no_password_that_others_saw(session, people):
    office = people["office"]
    with pytest.raises(InvalidInput) as refused:
        users.set_password(session, office, PASSWORD, office, old_password=PASSWORD)
    assert refused.value.errors == {"new_password": "same"}


def test_an_administrator_who_is_also_an_auditor_does_not_count_as_one(session, people, make_user):
    left_over = make_user("legacy", is_admin=True)
    left_over.is_auditor = True  # from before both roles were refused: may_manage() is False for them
    session.flush()
    with pytest.raises(InvalidInput) as refused:
        accounts.set_active(session, "admin", False, None, "离职")
    assert refused.value.errors == {"account": "last_admin"}


def test_changing_name_roles_and_groups_records_what_changed(session, people):
    admin = people["admin"]
    accounts.update_account(session, "dept", {"display_name": "李强", "email": "li@example.cn",
                                              "groups": ["评议办"], "is_auditor": True}, admin)
    dept = users.get_user(session, "dept")
    assert dept.email == "li@example.cn" and dept.is_auditor and [g.name for g in dept.groups] == ["评议办"]
    updated = events(session, "user_updated")[-1]
    assert updated.data_before == {"email": "dept@example.cn", "is_auditor": False}
    assert updated.data_after == {"email": "li@example.cn", "is_auditor": True}
    removed = events(session, "group_member_removed")[-1]
    assert removed.details == {"username": "dept", "group": "教育局"}
    before = len(events(session, "user_updated"))
    accounts.update_account(session, "dept", {"display_name": "李强", "email": "li@example.cn",
                                              "groups": ["评议办"], "is_auditor": True}, admin)
    assert len(events(session, "user_updated")) == before  # nothing changed, nothing recorded


def test_the_last_administrator_and_ones_own_administration_are_kept(session, people, make_user):
    admin = people["admin"]
    with pytest.raises(InvalidInput) as refused:
        accounts.update_account(session, "admin", {"display_name": "Admin", "is_admin": False}, admin)
    assert refused.value.errors == {"account": "self"}
    with pytest.raises(InvalidInput) as refused:
        accounts.set_active(session, "admin", False, admin, "离职")
    assert refused.value.errors == {"account": "self"}
    with pytest.raises(InvalidInput) as refused:  # from the command line: nobody would be left
        accounts.set_active(session, "admin", False, None, "离职")
    assert refused.value.errors == {"account": "last_admin"}
    second = make_user("admin2", is_admin=True)
    accounts.update_account(session, "admin", {"display_name": "Admin", "is_admin": False}, second)
    assert not users.get_user(session, "admin").is_admin
    with pytest.raises(InvalidInput) as refused:
        accounts.update_account(session, "admin2", {"display_name": "Admin2", "is_admin": False}, None)
    assert refused.value.errors == {"account": "last_admin"}


def test_a_forgotten_password_is_replaced_by_a_temporary_one(session, people):
    office = people["office"]
    old_id = office.get_id()
    password = accounts.reset_password(session, "office", people["admin"])
    assert office.must_change_password and office.get_id() != old_id  # signed out everywhere
    assert users.authenticate(session, "office", PASSWORD) is None
    assert users.authenticate(session, "office", password) is office
    reset = events(session, "password_reset")[-1]
    assert reset.details == {"username": "office"} and password not in json.dumps(reset.details)
    with pytest.raises(InvalidInput) as refused:
        accounts.reset_password(session, "admin", people["admin"])
    assert refused.value.errors == {"account": "own_password"}
    users.set_active(session, "dept", False, None, "调离")
    with pytest.raises(InvalidInput) as refused:
        accounts.reset_password(session, "dept", people["admin"])
    assert refused.value.errors == {"account": "inactive"}


def test_signing_in_is_remembered(session, people):
    office = people["office"]
    assert office.last_login_at is None
    users.signed_in(session, office)
    assert office.last_login_at is not None


def test_what_makes_a_chosen_password_easy_to_guess():
    weak = {"12345678": "common", "87654321": "common", "abcabcabc": "common", "1qaz2wsx": "common",
            "woaini1314": "common", "Admin2026!": "common", "19800101": "common", "zhangwei88": "contains_name",
            "ZHANGWEI-pass": "contains_name"}
    for password, reason in weak.items():
        assert users.password_weakness(password, "zhangwei") == reason, password
    for fine in ("river-lantern-42", "demo-pass-123", "我的密码很安全2026", "Tr0ub4dor&3"):
        assert users.password_weakness(fine, "zhangwei") is None, fine
