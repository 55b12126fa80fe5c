"""The start page of a year's evaluation refuses a year already running, or one the term plan does not
plan, in Chinese with the form kept; the plan's groups and leaders are chosen from lists."""
from __future__ import annotations

from sqlalchemy import select

from engine.models import HumanTask, ProcessInstance
from engine.services import users
from tests.test_year import at, county  # noqa: F401  (county: fixture)
from tests.web.conftest import PASSWORD, read, text


def test_the_start_form_refuses_a_second_evaluation_of_a_year(client, login, session, county):  # noqa: F811
    users.set_password(session, county["office"], PASSWORD, None)
    at(2023, 4, 1)
    login("office")
    first = client.post("/start/annual_evaluation", data={"year": "2023", "lowest_n": "1", "max_rounds": "2"})
    assert first.status_code == 302
    year = read(session, select(ProcessInstance).where(ProcessInstance.process_id == "annual_evaluation"))
    assert (year.title, year.business_key) == ("2023年度部门工作评议", "2023")
    page = client.get(first.headers["Location"])
    html = text(page)
    assert "<select" in html and "教育局调查组" in html  # the plan's groups are a list to choose from
    again = client.post("/start/annual_evaluation", data={"year": "2023", "lowest_n": "3", "max_rounds": "2",
                                                          "_title": "第二次"})
    assert again.status_code == 422
    html = text(again)
    assert "2023年度的部门评议已在进行中" in html and 'value="3"' in html and "第二次" in html
    unplanned = client.post("/start/annual_evaluation", data={"year": "2035", "lowest_n": "1", "max_rounds": "2"})
    assert unplanned.status_code == 422 and "没有2035年度的被评议部门" in text(unplanned)
    assert read(session, select(HumanTask.id).where(HumanTask.instance_id != year.id)) is None
