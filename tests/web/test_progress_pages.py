"""The progress pages: 进展 (the processes one takes part in) and the instance page's table of
how far each department got."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine import clock
from engine.services import instances, processes
from tests.conftest import bundle
from tests.web.conftest import PASSWORD, text

DEPARTMENTS = [{"code": "D01", "name": "县教育局"}, {"code": "D02", "name": "县卫健委"}]


@pytest.fixture
def year(session, make_user):
    office = make_user("office", groups=["评议办"], password=PASSWORD)
    make_user("dept", groups=["被评议部门"], password=PASSWORD)
    make_user("stranger", password=PASSWORD)
    processes.deploy(session, bundle("branches"), None)
    instance = instances.start_instance(session, "per_department", office, {
        "departments": DEPARTMENTS, "names": ["县教育局", "县卫健委"],
        "plan_due": (clock.now() - timedelta(days=1)).isoformat()}, title="2026年度整改")
    session.commit()
    return instance.id


def test_the_list_shows_my_processes_with_their_open_steps(client, login, year):
    assert client.get("/instances/").status_code == 302  # signed out: to the sign-in page
    login("office")
    page = text(client.get("/instances/"))
    assert "2026年度整改" in page and f"/instances/{year}" in page
    assert "整改方案：县教育局" in page and "2 项逾期" in page
    assert 'id="nav-progress"' in page
    assert "2026年度整改" not in text(client.get("/instances/?show=ended"))
    assert "2026年度整改" not in text(client.get("/instances/?q=nothing"))


def test_someone_without_a_part_sees_nothing(client, login, year):
    login("stranger")
    page = text(client.get("/instances/"))
    assert "2026年度整改" not in page and "没有找到" in page
    assert client.get(f"/instances/{year}").status_code == 403


def test_the_instance_page_has_a_row_per_department(client, login, year):
    login("office")
    page = text(client.get(f"/instances/{year}"))
    assert 'id="branch-progress"' in page
    assert page.count('<th scope="row"') == 2 and "县教育局" in page and "县卫健委" in page
    assert "提交整改方案" in page and "已逾期" in page


def test_bad_list_parameters_fall_back(client, login, year):
    login("office")
    response = client.get("/instances/?show=everything&page=abc")
    assert response.status_code == 200 and "2026年度整改" in text(response)


def test_the_table_as_excel(client, login, year, session):
    import io

    from openpyxl import load_workbook

    login("office")
    response = client.get(f"/instances/{year}/progress.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["部门（分支）", "提交整改方案"]
    assert [row[0] for row in rows[1:]] == ["县教育局", "县卫健委"]
    assert rows[1][1].startswith("已逾期（") and "到期）" in rows[1][1]
    client.post("/logout")
    login("stranger")
    assert client.get(f"/instances/{year}/progress.xlsx").status_code == 403


def test_no_excel_for_an_instance_without_branches(client, login, session, year):
    from engine.models import User

    processes.deploy(session, bundle("approval"), None)
    office = session.query(User).filter_by(username="office").one()
    plain = instances.start_instance(session, "approval", office, {"unit": "教育局"})
    session.commit()
    login("office")
    assert client.get(f"/instances/{plain.id}/progress.xlsx").status_code == 404


def test_an_auditor_sees_every_process_and_the_looking_is_recorded(client, login, year, make_user, session):
    from sqlalchemy import select

    from engine.models import AuditEvent
    from tests.web.conftest import read

    make_user("auditor", password=PASSWORD, is_auditor=True)
    login("auditor")
    assert "2026年度整改" in text(client.get("/instances/"))
    assert client.get(f"/instances/{year}/progress.xlsx").status_code == 200
    whats = session.scalars(select(AuditEvent.details).where(AuditEvent.event_type == "auditor_viewed")
                            .order_by(AuditEvent.seq)).all()
    assert [d["what"] for d in whats] == ["instance_list", "export"]
    assert whats[1]["export"] == "progress"
    exported = select(AuditEvent.instance_id).where(AuditEvent.event_type == "auditor_viewed",
                                                    AuditEvent.details["what"].as_string() == "export")
    assert read(session, exported) == year


def test_search_takes_percent_and_underscore_as_they_are(client, login, year):
    login("office")
    assert "2026年度整改" not in text(client.get("/instances/?q=%25"))
    assert "2026年度整改" not in text(client.get("/instances/?q=_"))
    assert "2026年度整改" in text(client.get("/instances/?q=年度"))


def test_a_title_with_a_line_break_is_one_line_and_downloads(client, login, session, year):
    from urllib.parse import unquote

    from engine.models import HumanTask, ProcessInstance, User

    office = session.query(User).filter_by(username="office").one()
    broken = instances.start_instance(session, "per_department", office, {
        "departments": [{"name": "县\r\n教育局"}], "names": [], "plan_due": clock.now().isoformat()},
        title="标题\r\n第二行 / 其他")
    session.commit()
    assert session.get(ProcessInstance, broken.id).title == "标题 第二行 / 其他"
    task = session.query(HumanTask).filter_by(instance_id=broken.id).one()
    assert task.title == "整改方案：县 教育局"  # a name from data with a line break: still one line
    login("office")
    for path in (f"/instances/{broken.id}/progress.xlsx", f"/tasks/{task.id}/document.docx"):
        response = client.get(path)
        assert response.status_code == 200, path
        name = unquote(response.headers["Content-Disposition"].split("''")[-1])
        assert "/" not in name and "\r" not in name and "\n" not in name, name
