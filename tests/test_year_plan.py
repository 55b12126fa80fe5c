"""The start and the implementation plan of a year's evaluation (processes/evaluation_year.bpmn): one running
evaluation per planned year, titled by its year; the plan's timetable in order within the year, two key tasks
per department, investigation groups and leaders chosen from lists (the term plan's leader by default), and
the office's contact details on the public notice."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import repository, runtime
from engine.errors import InvalidInput
from engine.models import Publication
from engine.services import instances, org_people
from tests.test_year import DEPARTMENTS, PUBLICITY, at, county, done, open_tasks  # noqa: F401  (county: fixture)

TIMETABLE = {"start": "2023-04-01", "mobilisation": "2023-04-15", "self_inspection_due": "2023-05-31",
             "investigation_due": "2023-08-31", "meeting": "2023-09-26", "end": "2023-10-31"}


def start(session, office, **extra):
    return instances.start_by_user(session, "annual_evaluation", office, {"year": 2023, "lowest_n": 1,
                                                                          "max_rounds": 2}, **extra)


def plan():
    return {"timetable": dict(TIMETABLE), "common_items": ["法治政府建设"], "publicity": dict(PUBLICITY),
            "plan_rows": [{"code": code, "name": name, "group": short, "key_tasks": "重点工作一\n重点工作二",
                           "investigation_group": f"{short}调查组", "investigation_leader": f"{code.lower()}_leader"}
                          for code, name, short in DEPARTMENTS]}


def refused(session, task, data, user) -> dict:
    with pytest.raises(InvalidInput) as caught:
        done(session, task, data, user)
    return caught.value.errors


def test_a_year_starts_once_titled_by_its_year_and_only_when_planned(session, county, admin):  # noqa: F811
    at(2023, 4, 1)
    year = start(session, county["office"])
    assert (year.title, year.business_key) == ("2023年度部门工作评议", "2023")
    with pytest.raises(InvalidInput) as caught:  # a second evaluation of 2023 while the first runs
        start(session, county["office"], title="再来一次")
    assert caught.value.errors == {"year": "year_running"}
    with pytest.raises(InvalidInput) as caught:  # the approved term plan has no departments for 2024
        instances.start_by_user(session, "annual_evaluation", county["office"], {"year": 2024})
    assert caught.value.errors == {"year": "year_not_planned"}
    instances.terminate(session, year.id, admin, "重新发起")  # once it is ended, the year may start again
    again = start(session, county["office"], title="2023年度部门工作评议（重新发起）")
    assert (again.title, again.business_key) == ("2023年度部门工作评议（重新发起）", "2023")


def test_the_timetable_must_be_in_order_within_the_year(session, county):  # noqa: F811
    at(2023, 4, 1)
    year = start(session, county["office"])
    [draft] = open_tasks(session, year)
    bad = plan()  # the reviewer's order: the end before the start, the meeting before the investigation
    bad["timetable"] = {"start": "2023-10-01", "mobilisation": "2023-03-01", "self_inspection_due": "2023-09-30",
                        "investigation_due": "2023-05-01", "meeting": "2023-04-01", "end": "2023-02-01"}
    errors = refused(session, draft, bad, county["office"])
    assert set(errors) == {"timetable.mobilisation", "timetable.investigation_due", "timetable.meeting",
                           "timetable.end"}
    assert errors["timetable.mobilisation"].startswith("动员会不能早于评议开始")
    other_year = plan()
    other_year["timetable"].update(start="2022-12-01", end="2024-01-31")
    errors = refused(session, draft, other_year, county["office"])
    assert set(errors) == {"timetable.start", "timetable.end"} and "2023年之内" in errors["timetable.start"]
    same_day = plan()
    same_day["timetable"].update(self_inspection_due="2023-08-31")  # a day may hold two dates
    done(session, draft, same_day, county["office"])
    assert open_tasks(session, year)[0].element_id == "approve_plan"


def test_two_key_tasks_and_known_groups_and_leaders(session, county, admin):  # noqa: F811
    org_people.save_person(session, "committee", {"username": "lizhuren", "name": "李主任", "title": "副主任"}, admin)
    at(2023, 4, 1)
    year = start(session, county["office"])
    [draft] = open_tasks(session, year)
    data = runtime.find_task(repository.load(session, year), draft.task_guid).data
    # the term plan's responsible leader (李主任, a committee member) is the default group leader
    assert {row["investigation_leader"] for row in data["plan_rows"]} == {"lizhuren"}
    assert {c["value"] for c in data["group_choices"]} == {f"{short}调查组" for _c, _n, short in DEPARTMENTS}
    assert {"lizhuren", "d01_leader", "d03_member"} <= {c["value"] for c in data["leader_choices"]}
    bad = plan()
    bad["plan_rows"][0]["key_tasks"] = "只有一项重点工作"
    bad["plan_rows"][1]["key_tasks"] = "一\n二\n三"
    bad["plan_rows"][1]["investigation_group"] = "不存在的组"
    bad["plan_rows"][2]["investigation_leader"] = "陈晓梅"  # a name typed, not a person of the lists
    errors = refused(session, draft, bad, county["office"])
    assert errors["plan_rows.0.key_tasks"] == errors["plan_rows.1.key_tasks"] == "请填写2项重点工作，每行一项"
    assert {"plan_rows.1.investigation_group", "plan_rows.2.investigation_leader"} <= set(errors)
    missing = plan()
    del missing["plan_rows"][0]["key_tasks"]
    assert "plan_rows.0.key_tasks" in refused(session, draft, missing, county["office"])


def test_the_notice_names_the_organ_and_the_offices_contact(session, county):  # noqa: F811
    at(2023, 4, 1)
    year = start(session, county["office"])
    no_contact = plan()
    del no_contact["publicity"]
    [draft] = open_tasks(session, year)
    assert "publicity" in refused(session, draft, no_contact, county["office"])
    data = plan()
    data["publicity"] = {"organ": "平邑县人大常委会", "office": "县人大常委会评议办", "phone": "0539-4211234",
                         "address": "平邑县莲花山路1号", "email": "pyrd@example.cn"}
    done(session, draft, data, county["office"])
    done(session, open_tasks(session, year)[0], {"approved": True}, county["council"])
    done(session, open_tasks(session, year)[0], {"held_on": "2023-04-12", "attendees": "各部门"}, county["office"])
    notice = session.scalar(select(Publication).where(Publication.kind == "notice"))
    assert notice.title == "2023年度平邑县人大常委会部门工作评议公告"
    assert notice.body["intro"].startswith("根据平邑县人大常委会2023年度工作要点，平邑县人大常委会对下列部门")
    for text in ("电话：0539-4211234", "地址：平邑县莲花山路1号", "电子邮箱：pyrd@example.cn"):
        assert text in notice.body["channels"] and text in notice.body["contact"]

