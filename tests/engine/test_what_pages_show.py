"""What the task and instance pages show of an instance's history and data: a department sees the
instance as a whole and its own steps, not the events of other branches (a vote's result arriving in
another department's meeting, a channel or a reminder made for another); choices that come from task
data read as their titles once the step is closed; what the process does after someone's step says
so (the audit report counts it apart)."""
from __future__ import annotations

from sqlalchemy import func, select

from engine import audit, connectors
from engine.models import AuditEvent, HumanTask
from engine.models import TaskState as RowState
from engine.services import history, tasks, views, who_touched

DEPARTMENTS = [{"name": "县教育局", "group": "教育局"}, {"name": "县卫健委", "group": "卫健委"}]


def open_step(session, instance, element, label=None):
    query = select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.element_id == element,
                                    HumanTask.state == RowState.OPEN)
    if label:
        query = query.where(HumanTask.branch_label == label)
    return session.scalars(query).one()


def test_a_department_sees_the_instance_as_a_whole_and_its_own_steps(session, deploy, start, make_user):
    office, edu = make_user("office", groups=["评议办"]), make_user("edu", groups=["教育局"])
    make_user("investigator", groups=["评议调查组"])
    deploy("confidential")
    instance = start("inquiry", {"departments": DEPARTMENTS}, actor=office)
    self_check = open_step(session, instance, "self_check", "县教育局")
    tasks.complete_task(session, self_check.id, {"summary": "自查完毕"}, edu)
    tally = {"payload": {"subject": "县卫健委", "status": "void", "void_reason": "no quorum"}}
    audit.record(session, "message_received", office, instance=instance, after=tally,
                 details={"message": "ballot_closed"})
    audit.record(session, "channel_created", office, instance=instance, details={"department": "县卫健委"})
    audit.record(session, "notification_sent", None, instance=instance, element_id="self_check",
                 details={"title": "自查 7 天后到期：县卫健委"})
    audit.record(session, "instance_failed", office, instance=instance, element_id="open_channels")
    audit.record(session, "publication_published", office, instance=instance, after={"notes": "结果公告"})

    shown = {e.event.event_type for e in views.task_page(session, self_check.id, edu).history}
    assert shown == {"instance_started", "task_completed", "publication_published"}
    assert {e.event.event_type for e in views.instance_page(session, instance.id, edu).history} == shown
    office_sees = {e.event.event_type for e in views.instance_page(session, instance.id, office).history}
    assert {"message_received", "channel_created", "notification_sent", "instance_failed"} <= office_sees


def test_a_closed_steps_choices_read_as_their_titles(session, deploy, start, make_user):
    office = make_user("office", groups=["评议办"])
    deploy("options_labels")
    instance = start("options_labels", actor=office)
    prepare = open_step(session, instance, "prepare")
    tasks.complete_task(session, prepare.id, {"deputies": ["deputy2"], "rows": [{"department_code": "D01"}]}, office)

    page = views.task_page(session, prepare.id, office)  # closed: the form from its answers alone
    titles = {o["title"] for o in page.form.schema["properties"]["deputies"]["items"]["anyOf"]}
    assert titles == {"王代表", "李代表"}
    later = views.task_page(session, open_step(session, instance, "check").id, office)
    [step] = later.earlier
    assert step.form.schema["properties"]["rows"]["items"]["properties"]["department_code"]["anyOf"][0] \
        == {"enum": ["D01"], "title": "县教育局"}
    assert later.labels.for_element("prepare").choice("deputies", "deputy2") == "李代表"  # its history
    whole = views.instance_page(session, instance.id, office)  # the data panel
    assert whole.labels.choice("deputies", "deputy2") == "李代表"
    assert whole.labels.choice("department_code", "D02") == "县公安局"


def test_what_the_process_does_after_a_step_is_the_systems(session, make_user, monkeypatch):
    office = make_user("office", groups=["评议办"])

    def record_one(ctx, event_type):
        audit.record(ctx.session, event_type, ctx.actor, details={"subject": "县教育局"})
        audit.record(ctx.session, "notification_sent", None, details={"title": "x"})  # nobody's step
        return {}

    monkeypatch.setitem(connectors.registry(), "tests.record", connectors.Operation("tests.record", record_one))
    since = session.scalar(select(func.max(AuditEvent.seq)))
    audit.record(session, "channel_closed", office, details={"department": "D01"})  # by hand
    with connectors.bound(session, office):
        connectors.call("tests.record", {"event_type": "ballot_opened"}, task=object())  # as a service task
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.seq > since).order_by(AuditEvent.seq)))
    assert [(e.event_type, (e.details or {}).get("by_process")) for e in events] == [
        ("channel_closed", None), ("ballot_opened", True), ("notification_sent", None)]
    assert [e.by_process for e in history.entries(session, events)] == [False, True, False]


def test_the_audit_report_counts_what_the_process_did_apart(session, make_user):
    chair = make_user("chair", groups=["主任会议"], display_name="李建国")
    scope = {"department": "D01", "department_name": "县教育局"}
    audit.record(session, "channel_created", chair, details={**scope, "by_process": True})
    audit.record(session, "publication_published", chair, details={**scope, "by_process": True})
    audit.record(session, "channel_closed", chair, details=scope)
    [person] = who_touched.who_touched(session, "D01", None).people  # the department's by their details
    assert (person.display_name, person.by_type, person.count) == ("李建国", {"channel_closed": 1}, 1)
    assert person.triggered == {"channel_created": 1, "publication_published": 1}
