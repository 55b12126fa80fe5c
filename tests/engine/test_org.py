"""Organisation data: units and people through the services, who may change them, the importer
(xlsx and csv in UTF-8 or GBK; all or nothing, with row and column of each problem) and the
operations that BPMN models call."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from engine.connectors import Context, OperationError, registry
from engine.errors import Conflict, InvalidInput, PermissionDenied
from engine.models import AuditEvent, Department, DeputyProfile, Group, MemberProfile, User
from engine.services import org, org_import, org_people, users

DEPARTMENT_HEADER = ["编码", "名称", "简称", "负责人", "联系人组", "责任委室", "联系领导", "分管副县长", "上级主管部门"]


@pytest.fixture
def office(session, make_user):
    clerk = make_user("office", groups=["评议办"])
    org.create_unit(session, "office", {"code": "JKW", "name": "教科文卫工委", "group_name": "教科文卫工委"}, clerk)
    return clerk


def xlsx(rows) -> bytes:
    book = Workbook()
    for values in rows:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    return "\r\n".join(",".join(values) for values in rows).encode(encoding)


def count(session, column) -> int:
    return session.scalar(select(func.count(column)))


def test_units_are_created_updated_and_deactivated_with_audit(session, office):
    department = org.create_unit(session, "department", {
        "code": "D01", "name": "县教育局", "short_name": "教育局", "group_name": "教育局",
        "office_code": "教科文卫工委", "party_group": "教育局党委"}, office)
    assert department.office_code == "JKW"  # given by name, stored by code
    assert {"教育局", "教育局党委"} <= set(session.scalars(select(Group.name)))  # groups created on demand
    with pytest.raises(Conflict):
        org.create_unit(session, "department", {"code": "D01", "name": "x", "group_name": "x"}, office)
    with pytest.raises(InvalidInput) as caught:
        org.create_unit(session, "department", {"code": "D 2", "name": "", "group_name": "g", "office_code": "NO"},
                        office)
    assert caught.value.errors == {"code": "invalid", "name": "required", "office_code": "unknown_office"}
    org.update_unit(session, "department", "D01", {"head_name": "张局长"}, office)
    org.update_unit(session, "department", "D01", {"head_name": "张局长"}, office)  # no change, no event
    org.deactivate_unit(session, "department", "D01", office)
    assert not department.is_active and department.head_name == "张局长"
    events = session.scalars(select(AuditEvent.event_type).order_by(AuditEvent.seq)).all()
    assert events.count("department_updated") == 2 and "department_created" in events
    with pytest.raises(InvalidInput) as caught:
        org.create_unit(session, "observer", {"code": "O1", "name": "县委组织部", "kind": "宣传部"}, office)
    assert caught.value.errors == {"kind": "unknown_kind"}
    assert org.create_unit(session, "observer", {"code": "O1", "name": "县委组织部", "kind": "组织部"}, office).kind \
        == "organisation"


def test_an_office_name_two_offices_share_names_neither(session, office):
    org.create_unit(session, "office", {"code": "CJW", "name": "财经工委", "group_name": "财经工委"}, office)
    org.create_unit(session, "office", {"code": "CJW2", "name": "财经工委", "group_name": "财经工委二"}, office)
    org.create_unit(session, "office", {"code": "XX", "name": "JKW", "group_name": "XX"}, office)
    assert org.office_codes(session) == {"教科文卫工委": "JKW", "JKW": "JKW", "CJW": "CJW", "CJW2": "CJW2",
                                         "XX": "XX"}  # a code means its own office, even as another's name
    with pytest.raises(InvalidInput) as caught:
        org.create_unit(session, "department", {"code": "D09", "name": "县审计局", "group_name": "审计局",
                                                "office_code": "财经工委"}, office)
    assert caught.value.errors == {"office_code": "unknown_office"}
    org.deactivate_unit(session, "office", "CJW2", office)
    assert org.office_codes(session, active_only=True)["财经工委"] == "CJW"


def test_only_the_office_and_administrators_change_auditors_read(session, office, make_user, admin):
    auditor = make_user("auditor", is_auditor=True)
    department_user = make_user("dept", groups=["教育局"])
    org.create_unit(session, "office", {"code": "CJW", "name": "财经工委", "group_name": "财经工委"}, admin)
    assert [u.code for u in org.list_units(session, "office", auditor)] == ["CJW", "JKW"]
    for actor in (auditor, department_user):
        with pytest.raises(PermissionDenied):
            org.create_unit(session, "office", {"code": "X", "name": "x", "group_name": "x"}, actor)
        with pytest.raises(PermissionDenied):
            org_people.save_person(session, "deputy", {"username": "d1", "name": "甲", "delegation": "城关镇代表团"},
                                   actor)
    with pytest.raises(PermissionDenied):
        org.list_units(session, "department", department_user)
    with pytest.raises(PermissionDenied):
        org_import.import_file(session, "office", "o.csv", csv_bytes([["编码", "名称", "用户组"]]), auditor)


def test_people_are_users_in_their_group(session, office):
    user, profile, outcome = org_people.save_person(
        session, "deputy", {"username": "dep001", "name": "郑国强", "delegation": "城关镇代表团",
                            "phone": "13900000001"}, office)
    assert outcome == "created" and user.password_hash is None and profile.delegation == "城关镇代表团"
    assert [g.name for g in user.groups] == [org.DEPUTY_GROUP]
    with pytest.raises(InvalidInput) as caught:
        org_people.save_person(session, "deputy", {"username": "a b", "name": "x", "phone": "call me"}, office)
    assert caught.value.errors == {"username": "invalid", "delegation": "required", "phone": "invalid"}
    org_people.deactivate_person(session, "deputy", "dep001", office)
    assert user.groups == [] and not profile.is_active and user.is_active
    org_people.update_person(session, "deputy", "dep001", {"is_active": True, "delegation": "兰江街道代表团"}, office)
    assert [g.name for g in user.groups] == [org.DEPUTY_GROUP] and profile.delegation == "兰江街道代表团"


def test_an_import_with_a_wrong_row_stores_nothing(session, office):
    content = xlsx([DEPARTMENT_HEADER,
                    ["D01", "县教育局", "教育局", "王局长", "教育局", "JKW", "陈静", "李副县长", "市教育局"],
                    [None] * 9,
                    ["D02", "", "卫健委", "", "卫健委", "NOPE", "", "", ""],
                    ["D01", "县教育局（重复）", "", "", "教育局", "", "", "", ""]])
    with pytest.raises(org_import.ImportRefused) as caught:
        org_import.import_file(session, "department", "部门.xlsx", content, office)
    problems = {(e.row, e.column, e.code) for e in caught.value.rows}
    assert problems == {(4, "名称", "required"), (4, "责任委室", "unknown_office"), (5, "编码", "duplicate")}
    assert count(session, Department.id) == 0 and session.scalar(select(Group.id).where(Group.name == "教育局")) is None


def test_an_import_creates_then_updates_and_reports_unchanged(session, office):
    rows = [DEPARTMENT_HEADER,
            ["D01", "县教育局", "教育局", "王局长", "教育局", "教科文卫工委", "陈静", "李副县长", "市教育局"],
            ["D02", "县财政局", "财政局", "", "财政局", "", "", "", ""]]
    assert org_import.import_file(session, "department", "a.csv", csv_bytes(rows), office) == {
        "created": 2, "linked": 0, "updated": 0, "unchanged": 0}
    rows[2][3] = "赵局长"
    assert org_import.import_file(session, "department", "b.csv", csv_bytes(rows, "gbk"), office) == {
        "created": 0, "linked": 0, "updated": 1, "unchanged": 1}
    assert session.scalar(select(Department.head_name).where(Department.code == "D02")) == "赵局长"
    assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.event_type == "org_imported")) == 2


def test_people_import_creates_users_without_passwords(session, office, make_user):
    content = csv_bytes([["用户名", "姓名", "代表团", "电话"], ["dep001", "郑国强", "城关镇代表团", ""],
                         ["dep002", "冯丽", "城关镇代表团", "13900000002"]], "gbk")
    assert org_import.import_file(session, "deputy", "代表.csv", content, office) == {
        "created": 2, "linked": 0, "updated": 0, "unchanged": 0}
    assert session.scalars(select(User.password_hash).where(User.username.like("dep%"))).all() == [None, None]
    assert count(session, DeputyProfile.id) == 2
    assert org_import.import_file(session, "deputy", "代表.csv", content, office)["unchanged"] == 2


PEOPLE_HEADER = ["用户名", "姓名", "职务", "电话"]


def test_the_office_cannot_take_over_accounts(session, office, make_user):
    """An existing account is never renamed or listed by surprise: administrators', auditors' and
    departments' accounts are refused, any other is linked only when asked, under its own name."""
    make_user("admin", display_name="管理员", is_admin=True)
    make_user("auditor", display_name="审计员", is_auditor=True)
    org.create_unit(session, "department", {"code": "D01", "name": "县教育局", "group_name": "教育局"}, office)
    make_user("dept_edu", display_name="教育局", groups=["教育局"])
    make_user("deputy1", display_name="王代表", groups=[org.DEPUTY_GROUP])
    rows = [PEOPLE_HEADER, ["admin", "张三", "委员", ""], ["auditor", "审计员", "委员", ""],
            ["dept_edu", "教育局", "委员", ""], ["deputy1", "王代表", "委员", ""]]
    for link in (False, True):
        with pytest.raises(org_import.ImportRefused) as caught:
            org_import.import_file(session, "committee", "委员.csv", csv_bytes(rows), office, link_existing=link)
        assert {(e.row, e.column, e.code) for e in caught.value.rows} == {
            (2, "用户名", "protected_account"), (3, "用户名", "protected_account"), (4, "用户名", "contact_account"),
            *([] if link else [(5, "用户名", "existing_account")])}
    names = dict(session.execute(select(User.username, User.display_name)).all())
    assert (names["admin"], names["auditor"]) == ("管理员", "审计员") and count(session, MemberProfile.id) == 0

    renamed = csv_bytes([PEOPLE_HEADER, ["deputy1", "王五", "委员", ""]])
    with pytest.raises(org_import.ImportRefused) as caught:
        org_import.import_file(session, "committee", "委员.csv", renamed, office, link_existing=True)
    assert [(e.column, e.code) for e in caught.value.rows] == [("姓名", "name_differs")]
    assert org_import.import_file(session, "committee", "委员.csv", csv_bytes([rows[0], rows[4]]), office,
                                  link_existing=True) == {"created": 0, "linked": 1, "updated": 0, "unchanged": 0}
    deputy = users.get_user(session, "deputy1")
    assert sorted(g.name for g in deputy.groups) == sorted([org.DEPUTY_GROUP, org.COMMITTEE_GROUP])
    with pytest.raises(InvalidInput) as caught:  # the form's way in is held to the same rules
        org_people.save_person(session, "deputy", {"username": "auditor", "name": "审计员改名",
                                                   "delegation": "城关镇代表团"}, office, link_existing=True)
    assert caught.value.errors == {"username": "protected_account"}
    bad = csv_bytes([["用户名", "代表团"], ["dep003", "x"]])
    with pytest.raises(org_import.ImportRefused) as caught:
        org_import.import_file(session, "deputy", "x.csv", bad, office)
    assert [(e.row, e.column, e.code) for e in caught.value.rows] == [(1, "姓名", "missing_column")]
    with pytest.raises(org_import.ImportRefused) as caught:
        org_import.import_file(session, "deputy", "x.xlsx", b"PK\x03\x04 not really a workbook", office)
    assert caught.value.rows[0].code == "unreadable"


def test_the_template_has_the_header_row(office):
    book = load_workbook(io.BytesIO(org_import.template("committee")))
    assert [c.value for c in book.worksheets[0][1]] == ["用户名", "姓名", "职务", "电话"]


def test_operations_for_models(session, office):
    assert {"org.departments", "org.people", "org.observers", "org.offices", "term_plan.year", "term_plan.check",
            "term_plan.save"} <= set(registry())
    call = lambda name, **params: registry()[name].function(Context(session), **params)  # noqa: E731
    org_import.import_file(session, "deputy", "d.csv", csv_bytes([
        ["用户名", "姓名", "代表团"], ["d2", "乙", "兰江街道代表团"], ["d1", "甲", "城关镇代表团"]]), office)
    org_import.import_file(session, "committee", "m.csv", csv_bytes([["用户名", "姓名", "职务"], ["m1", "丙", "委员"]]),
                           office)
    org_people.deactivate_person(session, "deputy", "d2", office)
    assert call("org.people", kind="deputy") == [{"username": "d1", "name": "甲", "delegation": "城关镇代表团"}]
    assert call("org.people", kind="deputy", delegation="兰江街道代表团") == []
    assert call("org.people", kind="committee") == [{"username": "m1", "name": "丙", "delegation": None}]
    with pytest.raises(OperationError):
        call("org.people", kind="public")
    org.create_unit(session, "observer", {"code": "O2", "name": "县纪委监委", "kind": "discipline"}, office)
    assert call("org.observers") == [{"code": "O2", "name": "县纪委监委", "kind": "discipline"}]
    assert call("org.offices") == [{"code": "JKW", "name": "教科文卫工委", "group": "教科文卫工委", "leader": ""}]
    org.create_unit(session, "department", {"code": "D02", "name": "县财政局", "group_name": "财政局"}, office)
    org.create_unit(session, "department", {"code": "D01", "name": "县教育局", "group_name": "教育局",
                                            "office_code": "JKW"}, office)
    assert [d["code"] for d in call("org.departments")] == ["D01", "D02"]
    [only] = call("org.departments", codes=["D01"])
    assert only == {"code": "D01", "name": "县教育局", "short_name": "", "group": "教育局", "office_code": "JKW",
                    "office_name": "教科文卫工委", "office_group": "教科文卫工委", "leader": "", "vice_mayor": "",
                    "superior": "", "party_group": None}
    assert call("term_plan.year", year="2024") == []
    assert users.get_user(session, "d1").password_hash is None


def test_a_small_workbook_declaring_a_huge_sheet_is_refused_at_once():
    """A few kilobytes of .xlsx can declare a million rows by 16,384 columns; openpyxl would pad
    them out in memory. Reading stops past the row limit and never reads more than 50 columns."""
    import re
    import zipfile

    book = Workbook()
    book.active.append(["编码", "名称"])
    book.active["A1048576"] = "x"
    plain = io.BytesIO()
    book.save(plain)
    source, bomb = zipfile.ZipFile(io.BytesIO(plain.getvalue())), io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', data)
            archive.writestr(item, data)
    assert len(bomb.getvalue()) < 10_000
    with pytest.raises(org_import.ImportRefused) as refused:
        org_import.read_table("bomb.xlsx", bomb.getvalue())
    assert [e.code for e in refused.value.rows] == ["too_many_rows"]
