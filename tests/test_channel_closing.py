"""processes/evaluation_department.bpmn: the department's 评议码 stops taking opinions when its investigation
ends, and at the year's end at the latest; a reminder sent late says what is left, or that the step is overdue."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import clock
from engine.models import AuditEvent, Notification, OpinionChannel
from engine.services import instances, opinion_channels, opinions, timers
from tests.model_steps import beijing, data_of, deploy_models, do, step
from web import create_app

TIMETABLE = {"start": "2023-04-01", "mobilisation": "2023-04-15", "self_inspection_due": "2023-05-31",
             "investigation_due": "2023-08-31", "meeting": "2023-09-26", "end": "2023-10-31"}


@pytest.fixture
def stage(session, admin, make_user):
    """One department's self-inspection and investigation, with the 评议码 the year opened for it."""
    deploy_models(session, admin)
    people = {"office": make_user("office", groups=["评议办"]), "dept": make_user("edu_contact", groups=["教育局"]),
              "member": make_user("edu_member", groups=["教育局调查组"]),
              "leader": make_user("edu_leader", groups=["教育局调查组"])}
    clock.set_now(beijing(2023, 4, 16))
    channel = opinion_channels.create_channel(
        session, year=2023, department_name="县教育局", department_key="D01", department_group="教育局",
        investigation_group="教育局调查组", content_items=["法治政府建设"], actor=people["office"])

    def start(timetable=TIMETABLE):
        unit = {"code": "D01", "name": "县教育局", "group": "教育局", "investigation_group": "教育局调查组",
                "investigation_leader": "edu_leader", "content_items": ["法治政府建设"], "channel": channel.id}
        return instances.start_instance(session, "department_evaluation", people["office"],
                                        {"unit": unit, "timetable": timetable}, title="2023 县教育局",
                                        business_key="2023-D01")
    return start, channel, people


def inspect_and_investigate(session, instance, people):
    self_task = step(session, instance, "self_inspection")
    rows = data_of(session, instance, self_task)["self_items"]
    items = [{**row, "assessment": "已完成"} for row in rows]
    do(session, instance, "self_inspection", {"self_summary": "对照评议内容逐项开展自查。", "self_items": items},
       people["dept"])
    do(session, instance, "investigation_log", {"activities": [
        {"kind": "forum", "held_on": "2023-06-10", "participants": "调查组", "notes": "座谈会"}]}, people["member"])


def test_the_channel_closes_when_the_report_is_approved(session, database_url, tmp_path, stage):
    start, channel, people = stage
    instance = start()
    inspect_and_investigate(session, instance, people)
    report = {"report_summary": "调查报告摘要：总体较好，存在若干问题。", "vice_mayor_views": "支持评议",
              "report_items": [{"item": "法治政府建设", "problems": "执法不够规范", "suggestions": "加强培训"}]}
    do(session, instance, "write_report", report, people["member"])
    do(session, instance, "leader_review", {"approved": False, "comment": "请补充"}, people["leader"])
    assert session.get(OpinionChannel, channel.id).is_open  # sent back: the investigation goes on
    do(session, instance, "write_report", report, people["member"])
    do(session, instance, "leader_review", {"approved": True}, people["leader"])
    session.expire_all()
    assert instance.status == "completed", instance.error
    closed = session.get(OpinionChannel, channel.id)
    assert not closed.is_open and closed.closed_at is not None
    event = session.scalar(select(AuditEvent).where(AuditEvent.event_type == "channel_closed"))
    assert event.instance_id == instance.id and event.details["channel"] == channel.id
    with pytest.raises(opinions.ChannelClosed):
        opinions.submit_public(session, channel.slug, opinions.OpinionInput("satisfied", "很好。"),
                               opinions.Sender(ip="10.0.0.1", salt="s"), opinions.PhotoStore(tmp_path))
    session.commit()
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "t", "TESTING": True,
                      "ATTACHMENTS_DIR": str(tmp_path), "OPINION_PHOTOS_DIR": str(tmp_path)})
    try:
        page = app.test_client().get(f"/o/{channel.slug}")
        assert "本次评议已不再收集意见" in page.get_data(as_text=True)  # the public page says so
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_the_channel_closes_at_the_end_of_the_year_at_the_latest(session, sessions, stage):
    start, channel, people = stage
    instance = start()
    inspect_and_investigate(session, instance, people)  # the report is still being written
    session.commit()
    clock.set_now(beijing(2023, 10, 31, 20))
    timers.run_due_timers(sessions)
    session.expire_all()
    assert session.get(OpinionChannel, channel.id).is_open  # not before the year's last day is over
    session.commit()
    clock.set_now(beijing(2023, 11, 1))
    assert timers.run_due_timers(sessions) == 1
    session.expire_all()
    assert not session.get(OpinionChannel, channel.id).is_open
    assert instance.status == "running" and step(session, instance, "write_report") is not None  # work goes on


def test_a_late_self_inspection_reminder_says_it_is_overdue(session, stage):
    start, channel, people = stage
    clock.set_now(beijing(2023, 6, 12))  # the stage starts 12 days after the self-inspection's date (05-31)
    instance = start()
    assert instance.status == "running" and instance.error is None, instance.error
    [note] = session.scalars(select(Notification).where(Notification.user_id == people["dept"].id)).all()
    assert (note.kind, note.title) == ("overdue", "自查报告已逾期：县教育局")
    assert "已逾期 12 天" in note.body and "7 天后到期" not in note.title
    followup = step(session, instance, "self_overdue_followup")  # opened late: a week from today, not overdue
    assert followup.due_at == beijing(2023, 6, 19, 23, 59, 59)


def test_a_timely_reminder_counts_the_days_left(session, sessions, stage):
    start, channel, people = stage
    instance = start()
    session.commit()
    clock.set_now(beijing(2023, 5, 24))
    assert timers.run_due_timers(sessions) == 1
    session.expire_all()
    [note] = session.scalars(select(Notification).where(Notification.user_id == people["dept"].id)).all()
    assert (note.kind, note.title) == ("reminder", "自查报告 7 天后到期：县教育局")
    session.commit()
    clock.set_now(beijing(2023, 6, 1))
    assert timers.run_due_timers(sessions) == 1  # overdue on time: the office has a week from the date
    session.expire_all()
    followup = step(session, instance, "self_overdue_followup")
    assert followup.due_at == beijing(2023, 6, 7, 23, 59, 59)
