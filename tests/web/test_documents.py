"""Word and Excel versions of the result sheet, the ranking and the term plan: they open in python-docx and
openpyxl, say what the pages say, and only those who may see the page may download them."""
from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

from engine.services import term_plans
from tests.web.conftest import text
from tests.web.test_ballots import open_vote, people, vote_as  # noqa: F401  (people is a fixture)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def word_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == DOCX
    document = Document(io.BytesIO(response.data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200 and response.mimetype == XLSX
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def counted(client, login, subject: str, choices: list[str]) -> str:
    public_id = open_vote(client, login, subject=subject)
    for name, choice in zip(("m1", "m2", "m3", "m4"), choices, strict=False):
        vote_as(client, login, name, public_id, choice)
    login("office")
    client.post(f"/ballots/{public_id}/close")
    client.post("/logout")
    return public_id


def test_the_result_sheet_in_word_says_what_the_page_says(client, login, people):  # noqa: F811
    public_id = counted(client, login, "县教育局", ["satisfied", "satisfied", "basic", "dissatisfied"])
    login("office")
    page = text(client.get(f"/ballots/{public_id}/result"))
    assert f"/ballots/{public_id}/result.docx" in page
    response = client.get(f"/ballots/{public_id}/result.docx")
    assert "attachment" in response.headers["Content-Disposition"]
    content = word_text(response)
    for shown in ("对县教育局工作的满意度测评", "无记名投票计票结果", "被评议部门", "县教育局", "2026",
                  "常委会组成人员", "2（50.00%）", "1（25.00%）", "等次：", "计票规则：", "计票人（签名）"):
        assert shown in content, shown
    assert "满意" in content and "合计" in content


def test_the_ranking_in_word_and_excel(client, login, people):  # noqa: F811
    counted(client, login, "县教育局", ["satisfied"] * 4)
    counted(client, login, "县民政局", ["dissatisfied"] * 4)
    login("auditor")
    assert "/ballots/ranking.xlsx" in text(client.get("/ballots/ranking?year=2026"))
    rows = sheet_rows(client.get("/ballots/ranking.xlsx?year=2026&lowest=1"))
    assert rows[0][:4] == ("名次", "部门", "得分", "等次")
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [(1, "县教育局", None), (2, "县民政局", "跟踪督办")]
    assert isinstance(rows[1][2], int | float) and rows[1][2] > rows[2][2]  # numbers stay numbers
    content = word_text(client.get("/ballots/ranking.docx?year=2026&lowest=1"))
    assert "2026年度被评议部门排名" in content and "县民政局" in content and "跟踪督办" in content


def test_people_who_may_not_see_the_pages_get_no_file(client, login, people):  # noqa: F811
    public_id = counted(client, login, "县教育局", ["satisfied"])
    login("dept")
    for url in (f"/ballots/{public_id}/result.docx", "/ballots/ranking.xlsx?year=2026", "/ballots/ranking.docx"):
        assert client.get(url).status_code == 403, url
    client.post("/logout")
    assert client.get(f"/ballots/{public_id}/result.docx").status_code == 302


def test_the_term_plan_in_excel(client, login, session, make_user):
    from engine.services import org

    office = make_user("office", groups=["评议办"], password="correct-horse-42")
    party = make_user("party", groups=["党组"])
    org.create_unit(session, "office", {"code": "JKW", "name": "教科文卫工委", "group_name": "教科文卫工委"}, office)
    org.create_unit(session, "department", {"code": "D01", "name": "县教育局", "group_name": "教育局",
                                            "office_code": "JKW", "leader_name": "陈静"}, office)
    plan = term_plans.save_plan(session, term_start=2022, rows=[
        {"department_code": "D01", "year": 2023, "deadline": "2023-10-31"}], status="approved", actor=party)
    session.commit()
    login("office")
    assert f"/term-plans/{plan.id}.xlsx" in text(client.get(f"/term-plans/{plan.id}"))
    response = client.get(f"/term-plans/{plan.id}.xlsx")
    rows = sheet_rows(response)
    assert rows[0] == ("年度", "部门", "编码", "责任委室", "联系领导", "完成时限")
    assert rows[1][:5] == (2023, "县教育局", "D01", "教科文卫工委", "陈静")
    assert rows[1][5].date().isoformat() == "2023-10-31"
    assert "2022" in response.headers["Content-Disposition"]
    client.post("/logout")
    make_user("dept", groups=["教育局"], password="correct-horse-42")
    session.commit()
    login("dept")
    assert client.get(f"/term-plans/{plan.id}.xlsx").status_code == 403
