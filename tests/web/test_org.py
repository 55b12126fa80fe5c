"""Organisation pages and term plans over HTTP: who may see and change what, the edit forms, imports
with row errors in Chinese (nothing stored), the template workbook, and the coverage view."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from engine.models import Ballot, Department, User
from engine.services import org, term_plans
from tests.web.conftest import PASSWORD, read, text


@pytest.fixture
def people(make_user):
    return {
        "office": make_user("office", groups=["评议办"], password=PASSWORD),
        "auditor": make_user("auditor", is_auditor=True, password=PASSWORD),
        "dept": make_user("dept", groups=["教育局"], password=PASSWORD),
        "deputy": make_user("deputy", groups=["代表"], password=PASSWORD),
        "party": make_user("party", groups=["党组"], password=PASSWORD),
    }


@pytest.fixture
def county(session, people):
    office = people["office"]
    org.create_unit(session, "office", {"code": "JKW", "name": "教科文卫工委", "group_name": "教科文卫工委"}, office)
    for code, name in (("D01", "县教育局"), ("D02", "县财政局"), ("D03", "县水利局")):
        org.create_unit(session, "department", {"code": code, "name": name, "group_name": name[1:],
                                                "office_code": "JKW", "leader_name": "陈静"}, office)
    plan = term_plans.save_plan(session, term_start=2022, rows=[
        {"department_code": "D01", "year": 2022, "deadline": "2022-10-31"},
        {"department_code": "D02", "year": 2023, "deadline": "2023-10-31"}], status="approved", actor=people["party"])
    session.add(Ballot(public_id="b1", title="t", subject="县教育局", subject_key="D01", year=2022, kind="meeting",
                       rule_set_code="default", rules={}, status="closed"))
    session.commit()
    return plan


PAGES = ["/org/", "/org/departments/", "/org/deputies/", "/org/departments/new", "/org/offices/import",
         "/org/members/template.xlsx", "/term-plans/", "/term-plans/coverage"]


@pytest.mark.parametrize("who", ["dept", "deputy"])
def test_departments_and_deputies_get_403(client, login, people, county, who):
    login(who)
    for page in PAGES + [f"/term-plans/{county.id}"]:
        response = client.get(page)
        assert response.status_code == 403, page
        assert "Traceback" not in text(response)
    assert client.post("/org/departments/D01/deactivate").status_code == 403
    assert "机构与人员" not in text(client.get("/"))


def test_auditors_read_only(client, login, session, people, county):
    login("auditor")
    assert "机构与人员" in text(client.get("/"))
    listing = client.get("/org/departments/")
    assert listing.status_code == 200 and "县教育局" in text(listing) and "教科文卫工委" in text(listing)
    assert "/org/departments/D01/edit" not in text(listing) and "导入" not in text(listing)
    for page in ("/org/departments/new", "/org/departments/D01/edit", "/org/departments/import",
                 "/org/departments/template.xlsx"):
        assert client.get(page).status_code == 403, page
    assert client.post("/org/departments/D01/deactivate").status_code == 403
    assert client.post("/org/departments/new", data={"code": "D09", "name": "x", "group_name": "x"}).status_code == 403
    assert read(session, select(func.count(Department.id))) == 3
    assert client.get("/term-plans/").status_code == 200


def test_the_office_adds_edits_and_deactivates(client, login, session, people, county):
    login("office")
    page = text(client.get("/"))
    assert "机构与人员" in page
    refused = client.post("/org/departments/new", data={"code": "D 9", "name": "", "group_name": "水务"})
    assert refused.status_code == 422 and "必填" in text(refused)
    invalid = client.post("/org/departments/new", data={"code": "D 9", "name": "县水务局", "group_name": "水务"})
    assert invalid.status_code == 422 and "输入无效" in text(invalid)
    taken = client.post("/org/departments/new", data={"code": "D01", "name": "县教育局", "group_name": "教育局"})
    assert taken.status_code == 422 and "编码或用户名已被使用" in text(taken)
    done = client.post("/org/departments/new", data={"code": "D04", "name": "县商务局", "group_name": "商务局",
                                                      "office_code": "JKW", "vice_mayor": "周副县长"})
    assert done.status_code == 302
    edit = client.get("/org/departments/D04/edit")
    assert edit.status_code == 200 and "周副县长" in text(edit)
    assert client.post("/org/departments/D04/edit", data={"code": "HACK", "name": "县商务局", "group_name": "商务局",
                                                         "head_name": "钱局长"}).status_code == 302
    assert read(session, select(Department.head_name).where(Department.code == "D04")) == "钱局长"
    assert client.post("/org/departments/D04/deactivate").status_code == 302
    assert read(session, select(Department.is_active).where(Department.code == "D04")) is False
    search = text(client.get("/org/departments/?q=商务"))
    assert "县商务局" in search and "县教育局" not in search and "停用" in search
    assert client.post("/org/deputies/new", data={"username": "dep9", "name": "马丽", "delegation": "城关镇代表团"}) \
        .status_code == 302
    assert "城关镇代表团" in text(client.get("/org/deputies/"))
    assert client.get("/org/nothing/").status_code == 404


def test_an_import_with_errors_stores_nothing_and_says_where(client, login, session, people, county):
    login("office")
    bad = "编码,名称,用户组\r\nCJW,财经工委,财经工委\r\nNW,,农业农村工委\r\n".encode("gbk")
    response = client.post("/org/offices/import", data={"file": (io.BytesIO(bad), "委室.csv")},
                           content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 422 and "没有导入任何数据" in page
    assert "<td>3</td><td>名称</td><td>此项必填。</td>" in page.replace("\n", "").replace("    ", "")
    assert [o.code for o in org.all_units(session, "office")] == ["JKW"]
    session.commit()

    book = Workbook()
    book.active.append(["编码", "名称", "用户组", "联系领导"])
    book.active.append(["CJW", "财经工委", "财经工委", "赵主任"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/org/offices/import", data={"file": (io.BytesIO(buffer.getvalue()), "委室.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200 and "已导入：新增 1 条" in text(response) and "财经工委" in text(response)

    broken = client.post("/org/offices/import", data={"file": (io.BytesIO(b"PK\x03\x04junk"), "x.xlsx")},
                         content_type="multipart/form-data")
    assert broken.status_code == 422 and "无法读取" in text(broken)
    empty = client.post("/org/offices/import", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "请选择文件" in text(empty)


def test_template_workbooks(client, login, people):
    login("office")
    response = client.get("/org/deputies/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["用户名", "姓名", "代表团", "电话"]


def test_term_plans_and_coverage(client, login, people, county):
    login("party")  # the Party group reads plans but not the organisation pages
    assert client.get("/org/").status_code == 403
    index = text(client.get("/term-plans/"))
    assert "2022—2026" in index and "已批准" in index
    plan = text(client.get(f"/term-plans/{county.id}"))
    assert "县教育局" in plan and "2023-10-31" in plan and "教科文卫工委" in plan
    coverage = text(client.get("/term-plans/coverage?term=2022"))
    assert "县水利局" in coverage and "table-warning" in coverage and "未安排" in coverage
    assert coverage.count("✓") == 1  # 县教育局's 2022 vote is counted
    assert client.get("/term-plans/999").status_code == 404


def test_the_office_cannot_take_over_accounts_through_the_pages(client, login, session, people, county, make_user):
    make_user("admin", display_name="管理员", is_admin=True)
    session.commit()
    login("office")
    form = text(client.get("/org/members/new"))
    assert 'name="link_existing"' in form and "关联已有账号" in form
    for username, message in (("admin", "属于管理员或审计员账号"), ("auditor", "属于管理员或审计员账号"),
                              ("dept", "联系人账号"), ("deputy", "如确是同一人，请勾选")):
        refused = client.post("/org/members/new", data={"username": username, "name": "张三", "title": "委员"})
        assert refused.status_code == 422 and "已有账号" in text(refused) and message in text(refused), username
    names = dict(session.execute(select(User.username, User.display_name)).all())
    session.commit()
    assert names["admin"] == "管理员" and names["auditor"] != "张三"
    linked = client.post("/org/members/new", data={"username": "deputy", "name": names["deputy"], "title": "委员",
                                                   "link_existing": "y"})
    assert linked.status_code == 302

    page = text(client.get("/org/deputies/import"))
    assert 'name="link_existing"' in page
    content = "用户名,姓名,代表团\r\nadmin,张三,城关镇代表团\r\ndept,教育局联系人,城关镇代表团\r\n".encode()
    response = client.post("/org/deputies/import", data={"file": (io.BytesIO(content), "代表.csv"),
                                                         "link_existing": "y"}, content_type="multipart/form-data")
    page = text(response).replace("\n", "").replace("    ", "")
    assert response.status_code == 422
    assert "<td>2</td><td>用户名</td><td>已有账号：该用户名属于管理员或审计员账号" in page
    assert "<td>3</td><td>用户名</td><td>已有账号：该用户名是被评议部门的联系人账号" in page
    content = f"用户名,姓名,职务\r\nnew1,新委员,委员\r\nparty,{names['party']},委员\r\n".encode()
    response = client.post("/org/members/import", data={"file": (io.BytesIO(content), "委员.csv"),
                                                        "link_existing": "y"},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "已导入：新增 1 条" in text(response) and "关联已有账号 1 条" in text(response)


def test_an_import_says_what_a_bad_value_should_be_and_finds_formulas(client, login, session, people, county):
    login("office")
    book = Workbook()
    book.active.append(["用户名", "姓名", "代表团", "电话"])
    book.active.append(["bad name!", "马丽", "城关镇代表团", "abc"])
    book.active.append(["dep8", '=HYPERLINK("http://x.example","张三")', "城关镇代表团", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/org/deputies/import", data={"file": (io.BytesIO(buffer.getvalue()), "代表.xlsx")},
                           content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 422 and "此单元格是没有计算结果的公式" in page  # not "此项必填"
    book.active.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/org/deputies/import", data={"file": (io.BytesIO(buffer.getvalue()), "代表.xlsx")},
                           content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 422 and "用户名为 2 到 64 位字母、数字或 . _ - @" in page
    assert "电话号码为 5 到 20 位数字" in page and "输入无效" not in page
