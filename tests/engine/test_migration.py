"""Moving waiting instances to a newer version: safe moves, refusals naming the reached tasks."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine import clock, repository
from engine.errors import PermissionDenied, TaskEnded
from engine.models import AuditEvent, Group, HumanTask, ProcessInstance, TaskState, Timer
from engine.services import migration, processes, tasks
from tests.conftest import bundle

PLAN = "inbox/plan.bpmn"
EXTRA_TASK = ('<bpmn:userTask id="check" name="复核"><bpmn:incoming>f2</bpmn:incoming>'
              '<bpmn:outgoing>f2b</bpmn:outgoing></bpmn:userTask>')


def plan_v2(files: dict, *, rename: str | None = None, insert_after_write: bool = False,
            drop_confirm: bool = False) -> dict:
    text = files[PLAN].decode()
    if rename:
        text = text.replace('name="提交整改方案"', f'name="{rename}"') \
            .replace('value="提交整改方案：{{ department }}"', f'value="{rename}：{{{{ department }}}}"')
    if insert_after_write:
        text = text.replace('<bpmn:sequenceFlow id="f2" sourceRef="write_plan" targetRef="confirm"/>',
                            '<bpmn:sequenceFlow id="f2" sourceRef="write_plan" targetRef="check"/>'
                            '<bpmn:sequenceFlow id="f2b" sourceRef="check" targetRef="confirm"/>')
        text = text.replace('<bpmn:endEvent id="end"', EXTRA_TASK + '<bpmn:endEvent id="end"')
        text = text.replace("<bpmn:incoming>f2</bpmn:incoming>\n      <bpmn:outgoing>f3</bpmn:outgoing>",
                            "<bpmn:incoming>f2b</bpmn:incoming>\n      <bpmn:outgoing>f3</bpmn:outgoing>")
    if drop_confirm:  # write_plan -> end directly
        start = text.index('<bpmn:userTask id="confirm"')
        text = text[:start] + text[text.index("</bpmn:userTask>", start) + len("</bpmn:userTask>"):]
        text = text.replace('targetRef="confirm"', 'targetRef="end"').replace(
            '<bpmn:sequenceFlow id="f3" sourceRef="confirm" targetRef="end"/>', "")
        text = text.replace("<bpmn:incoming>f3</bpmn:incoming>", "<bpmn:incoming>f2</bpmn:incoming>")
        text = text.replace("<bpmn:flowNodeRef>confirm</bpmn:flowNodeRef>", "")
    return {**files, PLAN: text.encode()}


@pytest.fixture
def plan_setup(session, admin, make_user):
    make_user("dept", groups=["被评议部门"])
    files = bundle("inbox")
    processes.deploy(session, files, admin)
    return files


def start_plan(start, title="教育局"):
    return start("plan", {"department": title, "issued_on": "2026-03-01"}, title=title)


def open_task(session, instance_id, element):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                   HumanTask.element_id == element,
                                                   HumanTask.state == TaskState.OPEN)).one()


def timers_of(session, instance_id):
    return dict(session.execute(select(Timer.element_id, Timer.due_at).where(Timer.instance_id == instance_id)).all())


def test_a_waiting_instance_moves_when_only_what_lies_ahead_changed(session, admin, start, plan_setup):
    instance = start_plan(start)
    row = open_task(session, instance.id, "write_plan")
    tasks.claim(session, row.id, admin)
    files = plan_v2(plan_setup, rename="提交整改计划", insert_after_write=True)
    processes.deploy(session, files, admin)

    [outcome] = migration.migrate_version(session, "plan", 1, 2, admin)

    assert outcome.moved and outcome.blockers == []
    session.refresh(instance)
    assert instance.version.version == 2
    renewed = open_task(session, instance.id, "write_plan")
    assert renewed.task_guid == row.task_guid and renewed.title == "提交整改计划：教育局"
    assert renewed.assignee_id == admin.id  # the claim carried over
    event = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "instance_migrated")).one()
    assert (event.details["from_version"], event.details["to_version"]) == (1, 2)
    assert event.instance_id == instance.id
    # the instance now follows version 2: write_plan -> check -> confirm
    tasks.complete_task(session, renewed.id, {"summary": "四项整改措施",
                                              "items": [{"problem": "p", "deadline": "2026-04-01"}]}, admin, "test")
    assert open_task(session, instance.id, "check").title == "复核"


def test_a_move_is_refused_when_a_completed_task_changed(session, admin, start, plan_setup):
    instance = start_plan(start)
    row = open_task(session, instance.id, "write_plan")
    tasks.complete_task(session, row.id, {"summary": "四项整改措施",
                                          "items": [{"problem": "p", "deadline": "2026-04-01"}]}, admin, "test")
    processes.deploy(session, plan_v2(plan_setup, insert_after_write=True), admin)

    [outcome] = migration.migrate_version(session, "plan", 1, 2, admin)

    assert not outcome.moved
    assert [(b.element_id, b.reason) for b in outcome.blockers] == [("write_plan", "changed")]
    assert "outputs" in outcome.blockers[0].changes
    session.refresh(instance)
    assert instance.version.version == 1
    refused = session.scalars(select(AuditEvent).where(
        AuditEvent.event_type == "instance_migration_refused")).one()
    assert "write_plan" in refused.details["blockers"][0]


def test_a_move_is_refused_when_the_waiting_task_was_removed(session, admin, start, plan_setup):
    instance = start_plan(start)
    row = open_task(session, instance.id, "write_plan")
    tasks.complete_task(session, row.id, {"summary": "四项整改措施",
                                          "items": [{"problem": "p", "deadline": "2026-04-01"}]}, admin, "test")
    processes.deploy(session, plan_v2(plan_setup, drop_confirm=True), admin)

    [outcome] = migration.migrate_version(session, "plan", 1, 2, admin)

    reasons = {(b.element_id, b.reason) for b in outcome.blockers}
    assert ("confirm", "removed") in reasons and not outcome.moved
    assert open_task(session, instance.id, "confirm")  # still there, on version 1


def test_renaming_a_completed_task_does_not_block(session, admin, start, plan_setup):
    instance = start_plan(start)
    row = open_task(session, instance.id, "write_plan")
    tasks.complete_task(session, row.id, {"summary": "四项整改措施",
                                          "items": [{"problem": "p", "deadline": "2026-04-01"}]}, admin, "test")
    processes.deploy(session, plan_v2(plan_setup, rename="提交整改计划"), admin)
    [outcome] = migration.migrate_version(session, "plan", 1, 2, admin)
    assert outcome.moved


def test_each_instance_gets_its_own_result(session, admin, start, plan_setup):
    waiting = start_plan(start, "教育局")
    done_first = start_plan(start, "卫健局")
    row = open_task(session, done_first.id, "write_plan")
    tasks.complete_task(session, row.id, {"summary": "四项整改措施",
                                          "items": [{"problem": "p", "deadline": "2026-04-01"}]}, admin, "test")
    processes.deploy(session, plan_v2(plan_setup, insert_after_write=True), admin)

    outcomes = {o.instance_id: o for o in migration.migrate_version(session, "plan", 1, 2, admin)}

    assert outcomes[waiting.id].moved and not outcomes[done_first.id].moved
    versions = dict(session.execute(select(ProcessInstance.id, ProcessInstance.process_version_id)).all())
    assert versions[waiting.id] != versions[done_first.id]


def test_a_script_change_behind_the_instance_blocks_but_a_waiting_timer_keeps_its_time(session, admin, start,
                                                                                         make_user):
    make_user("dept", groups=["被评议部门"])
    files = bundle("timers")
    text = files["timers/timers.bpmn"].decode().replace(  # a duration counts from when the timer began
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">remind_at</bpmn:timeDate>',
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P10D"</bpmn:timeDuration>')
    files["timers/timers.bpmn"] = text.encode()
    processes.deploy(session, files, admin)
    clock.set_now(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    instance = start("rectify", {"issued_on": "2026-03-01"})
    due = timers_of(session, instance.id)
    assert set(due) == {"remind", "overdue"}

    renamed = {**files, "timers/timers.bpmn": text.replace('name="逾期督办"', 'name="逾期督办（新）"').encode()}
    processes.deploy(session, renamed, admin)
    clock.set_now(datetime(2026, 3, 8, 1, 0, tzinfo=UTC))  # before the reminder is due
    [outcome] = migration.migrate_version(session, "rectify", 1, 2, admin)
    assert outcome.moved
    assert timers_of(session, instance.id) == due

    other = start("rectify", {"issued_on": "2026-03-01"})
    scripted = {**files, "timers/timers.bpmn": text.replace("reminders = 0", "reminders = 1").encode()}
    processes.deploy(session, scripted, admin)
    outcomes = {o.instance_id: o for o in migration.migrate_version(session, "rectify", 2, 3, admin)}
    blockers = outcomes[other.id].blockers + outcomes[instance.id].blockers
    assert {(b.element_id, b.reason, b.changes) for b in blockers} == {("due_dates", "changed", ("script",))}


def test_a_running_call_activity_moves_with_its_called_process(session, admin, start, make_user):
    make_user("chair", groups=["主任会议"])
    files = bundle("call")
    processes.deploy(session, files, admin)
    instance = start("opinions")
    tasks.complete_task(session, open_task(session, instance.id, "draft_opinions").id, {}, admin, "test")
    sign = open_task(session, instance.id, "sign")
    child = files["call/child.bpmn"].decode().replace('name="审定签发"', 'name="审定并签发"')
    processes.deploy(session, {**files, "call/child.bpmn": child.encode()}, admin)

    [outcome] = migration.migrate_version(session, "opinions", 1, 2, admin)

    assert outcome.moved, outcome
    renewed = open_task(session, instance.id, "sign")
    assert renewed.task_guid == sign.task_guid and renewed.title == "审定并签发"
    tasks.complete_task(session, renewed.id, {}, admin, "test")
    session.refresh(instance)
    assert instance.status == "completed"


def test_only_administrators_move_instances(session, make_user, plan_setup):
    clerk = make_user("clerk")
    with pytest.raises(PermissionDenied):
        migration.migrate_version(session, "plan", 1, 2, clerk)


def test_open_multi_instance_children_keep_their_items(session, admin, start, make_user):
    """SpiffWorkflow resets waiting tasks when it migrates; each open child must keep its deputy
    and index, so the remaining opinions complete and are collected under the right keys."""
    files = bundle("mi_timer")
    processes.deploy(session, files, admin)
    deputies = {f"k{i}": make_user(f"dep{i}").username for i in range(3)}
    instance = start("mi_timer", {"deputies": deputies})
    rows = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)
                           .order_by(HumanTask.id)).all()
    tasks.complete_task(session, rows[0].id, {"text": "意见一"}, rows[0].assignee)
    renamed = {k: v.decode().replace('name="汇总意见"', 'name="汇总全部意见"').encode() for k, v in files.items()}
    processes.deploy(session, renamed, admin)
    [outcome] = migration.migrate_version(session, "mi_timer", 1, 2, admin)
    assert outcome.moved
    session.expire_all()
    left = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.state == TaskState.OPEN).order_by(HumanTask.id)).all()
    assert [row.assignee.username for row in left] == ["dep1", "dep2"]
    for number, row in enumerate(left, start=2):
        tasks.complete_task(session, row.id, {"text": f"意见{number}"}, row.assignee)
    session.expire_all()
    summary = open_task(session, instance.id, "summarise")
    assert summary.title.startswith("汇总全部意见")
    data = repository.load(session, repository.get_instance(session, instance.id)).last_task.data
    assert data["opinions"] == {"k0": "意见一", "k1": "意见2", "k2": "意见3"}


def test_a_renamed_waiting_timer_keeps_its_due_time_and_a_changed_one_counts_again(session, admin, start,
                                                                                     make_user):
    make_user("dept", groups=["被评议部门"])
    files = bundle("timers")
    text = files["timers/timers.bpmn"].decode().replace(
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">remind_at</bpmn:timeDate>',
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P10D"</bpmn:timeDuration>')
    processes.deploy(session, {**files, "timers/timers.bpmn": text.encode()}, admin)
    clock.set_now(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    instance = start("rectify", {"issued_on": "2026-03-01"})
    due = timers_of(session, instance.id)
    assert due["remind"] == datetime(2026, 3, 12, 1, 0, tzinfo=UTC)

    renamed = text.replace('name="到期前7天提醒"', 'name="到期前七天提醒"')
    processes.deploy(session, {**files, "timers/timers.bpmn": renamed.encode()}, admin)
    clock.set_now(datetime(2026, 3, 8, 1, 0, tzinfo=UTC))
    assert migration.migrate_version(session, "rectify", 1, 2, admin)[0].moved
    assert timers_of(session, instance.id) == due  # a new name is no new timer

    longer = renamed.replace('"P10D"', '"P12D"')
    processes.deploy(session, {**files, "timers/timers.bpmn": longer.encode()}, admin)
    assert migration.migrate_version(session, "rectify", 2, 3, admin)[0].moved
    assert timers_of(session, instance.id)["remind"] == datetime(2026, 3, 20, 1, 0, tzinfo=UTC)  # counted from now


def test_a_changed_waiting_task_keeps_its_row_and_is_described_afresh(session, admin, start, plan_setup,
                                                                      make_user):
    """Whoever has the task open can still submit it: same id, claim and draft; new title, due
    date and candidates."""
    make_user("reviewer", groups=["复核组"])
    instance = start_plan(start)
    start_plan(start, "卫健局")  # a later row: a row written anew would get another id even on SQLite
    row = open_task(session, instance.id, "write_plan")
    row_id, due = row.id, row.due_at
    tasks.claim(session, row_id, admin)
    tasks.save_draft(session, row_id, {"summary": "写了一半"}, admin)
    files = plan_v2(plan_setup, rename="提交整改计划")
    text = files[PLAN].decode().replace(
        'value="add_months(issued_on, 1)"/>',
        'value="add_days(add_months(issued_on, 1), 3)"/>'
        '<spiffworkflow:property name="candidates" value="\'group:复核组\'"/>')
    processes.deploy(session, {**files, PLAN: text.encode()}, admin)

    outcomes = migration.migrate_version(session, "plan", 1, 2, admin)

    assert all(outcome.moved for outcome in outcomes)
    session.expire_all()
    renewed = open_task(session, instance.id, "write_plan")
    assert renewed.id == row_id and renewed.title == "提交整改计划：教育局"
    assert renewed.assignee_id == admin.id and renewed.draft == {"summary": "写了一半"}
    assert renewed.due_at == due + timedelta(days=3)
    reviewers = session.scalar(select(Group.id).where(Group.name == "复核组"))
    assert [(c.user_id, c.group_id) for c in renewed.candidates] == [(None, reviewers)]
    assert session.scalar(select(func.count()).select_from(HumanTask)) == 2
    tasks.complete_task(session, row_id, {"summary": "四项整改措施",
                                          "items": [{"problem": "p", "deadline": "2026-04-01"}]}, admin, "test")
    assert open_task(session, instance.id, "confirm")


def test_a_task_the_new_version_ends_keeps_its_row_and_says_why(session, admin, start, plan_setup):
    """write_plan becomes a script task: its row is closed as moved away, not deleted."""
    instance = start_plan(start)
    row = open_task(session, instance.id, "write_plan")
    row_id = row.id
    text = plan_setup[PLAN].decode()
    begin = text.index('<bpmn:userTask id="write_plan"')
    end = text.index("</bpmn:userTask>", begin) + len("</bpmn:userTask>")
    script = ('<bpmn:scriptTask id="write_plan" name="提交整改方案"><bpmn:incoming>f1</bpmn:incoming>'
              '<bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>summary = "自动"</bpmn:script></bpmn:scriptTask>')
    processes.deploy(session, {**plan_setup, PLAN: (text[:begin] + script + text[end:]).encode()}, admin)

    [outcome] = migration.migrate_version(session, "plan", 1, 2, admin)

    assert outcome.moved, outcome.reason
    session.expire_all()
    ended = session.get(HumanTask, row_id)
    assert ended.state == TaskState.CANCELLED and ended.end_reason == migration.MIGRATED
    with pytest.raises(TaskEnded):
        tasks.complete_task(session, row_id, {"summary": "x", "items": []}, admin, "test")
    assert open_task(session, instance.id, "confirm")
