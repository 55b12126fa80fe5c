"""`format` in a form's JSON Schema is checked by the engine too: dates, date-times, e-mail addresses."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import validation
from engine.errors import InvalidInput
from engine.models import HumanTask
from engine.services import instances, tasks


@pytest.mark.parametrize("value, ok", [
    ("2024-02-29", True), ("2023-12-31", True),
    ("2023-02-30", False), ("2023-13-01", False), ("明天下午", False), ("2023-2-3", False), ("20230203", False),
    ("2023-W05-1", False), ("2023-02-03T10:00", False), ("", False),
])
def test_dates_are_real_calendar_days(value, ok):
    assert validation.is_date(value) is ok


@pytest.mark.parametrize("value, ok", [
    ("2024-03-01T09:30", True), ("2024-03-01T09:30:15", True), ("2024-03-01 09:30:15", True),
    ("2024-03-01T09:30:15.250+08:00", True), ("2024-03-01t09:30:00z", True),
    ("2024-03-01", False), ("2024-02-30T09:30", False), ("2024-03-01T25:00", False), ("2024-03-01T09", False),
    ("20240301T0930", False), ("下午三点", False),
])
def test_date_times_carry_a_real_time(value, ok):
    assert validation.is_date_time(value) is ok


@pytest.mark.parametrize("value, ok", [("wang@rd.gov.cn", True), ("wang@localhost", False), ("wang", False),
                                       ("wang @rd.gov.cn", False), ("@rd.gov.cn", False)])
def test_email_addresses(value, ok):
    assert validation.is_email(value) is ok


def test_schema_errors_check_formats_and_leave_other_types_to_type():
    schema = {"type": "object", "properties": {
        "on": {"type": "string", "format": "date"}, "at": {"type": "string", "format": "date-time"},
        "mail": {"type": "string", "format": "email"}, "either": {"type": ["string", "null"], "format": "date"},
        "site": {"type": "string", "format": "uri"}}}
    assert validation.schema_errors(schema, {"on": "2024-01-31", "at": "2024-01-31T08:00:00+08:00",
                                             "mail": "a@b.cn", "either": None, "site": "not checked"}) == {}
    errors = validation.schema_errors(schema, {"on": "2023-02-30", "at": "明天", "mail": "x"})
    assert sorted(errors) == ["at", "mail", "on"]


def test_a_task_cannot_be_completed_with_an_impossible_date(session, deploy, start, make_user):
    deploy("approval")
    drafter = make_user("drafter", groups=["起草人"])
    instance = start("approval", {"unit": "教育局"})
    task = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)).one()
    for bad in ("2023-02-30", "明天下午"):
        with pytest.raises(InvalidInput) as caught:
            tasks.complete_task(session, task.id, {"title": "第一稿", "submitted_on": bad}, drafter)
        assert list(caught.value.errors) == ["submitted_on"]
    done = tasks.complete_task(session, task.id, {"title": "第一稿", "submitted_on": "2023-02-28"}, drafter)
    assert done.state == "completed"


def test_a_process_cannot_be_started_with_an_impossible_date(session, deploy, make_user):
    deploy("inbox")
    office = make_user("office", groups=["评议办"])
    with pytest.raises(InvalidInput) as caught:
        instances.start_by_user(session, "plan", office, {"department": "教育局", "issued_on": "2023-02-30"})
    assert list(caught.value.errors) == ["issued_on"]
    assert instances.start_by_user(session, "plan", office, {"department": "教育局", "issued_on": "2023-02-28"}).id
