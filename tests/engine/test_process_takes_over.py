"""A process that reaches a step the office already did by hand takes it over: the meeting vote the
office opened on the department (ballot.open) and the department's 评议码 channel opened before the
year started (opinions.open_channels, with the year's content items)."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock, connectors, repository, runtime
from engine.models import AuditEvent, Ballot, HumanTask, OpinionChannel, TaskState
from engine.services import ballots, counting, instances, opinion_channels, opinion_review, opinions, tasks
from engine.services.opinions import OpinionInput, PhotoStore


def open_task(session, instance, element):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.element_id == element,
                                                   HumanTask.state == TaskState.OPEN)).one()


@pytest.fixture
def county(make_user):
    return {"office": make_user("office", groups=["评议办"]),
            "members": [make_user(f"m{i}", groups=["常委会组成人员"]) for i in range(3)],
            "deputy": make_user("d1"), "late": make_user("m_late")}


def by_hand(session, office, voters, **extra):
    return ballots.open_ballot(session, office, title="2026年度对县教育局工作的满意度测评（现场）", subject="县教育局",
                               year=2026, voters={u.id: "committee" for u in voters}, **extra)


def reach_the_vote(session, start, admin, department="县教育局"):
    instance = start("meeting_vote", {"department": department, "deputies": {"d1": "deputy"}})
    tasks.complete_task(session, open_task(session, instance, "prepare").id, {}, admin)
    session.refresh(instance)
    return instance


def test_the_process_takes_over_the_vote_the_office_opened(session, deploy, start, admin, county):
    office, members = county["office"], county["members"]
    deploy("service")
    hand = by_hand(session, office, [members[0], county["late"]])
    early = ballots.issue_envelope(session, hand.public_id, members[0], "satisfied")  # voted before the hearing
    ballots.cast(session, early, "satisfied")

    instance = reach_the_vote(session, start, admin)
    assert instance.status == "waiting", instance.error
    assert session.scalars(select(Ballot)).all() == [hand]  # no second vote on the department
    assert hand.instance_id == instance.id and hand.title == "2026年度对县教育局工作的满意度测评（现场）"
    # the process's voters are added (the committee and the selected deputy); the office's stay
    voters = {user.username: voter.voter_group for user, voter in ballots.voters_of(session, hand)}
    assert voters == {"m0": "committee", "m1": "committee", "m2": "committee", "d1": "deputy",
                      "m_late": "committee"}
    assert hand.members_total == 4  # the committee members (the quorum's base); the deputy is not one
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "ballot_adopted"))
    assert event.instance_id == instance.id and event.details["voters_added"] == 3

    for user in (members[1], members[2], county["deputy"]):
        envelope = ballots.issue_envelope(session, hand.public_id, user, "basic")
        ballots.cast(session, envelope, "basic")
    counting.close_ballot(session, hand.public_id, office)
    session.flush()
    record = open_task(session, instance, "record")  # the tally came back to the process
    result = runtime.find_task(repository.load(session, instance), record.task_guid).data["result"]
    assert result["ballot"] == hand.public_id
    assert result["counts"] == {"satisfied": 1, "basic": 3, "dissatisfied": 0, "invalid": 0}


def test_a_void_round_reaches_the_process_with_its_reason_in_chinese(session, deploy, start, admin, county):
    deploy("service")
    instance = reach_the_vote(session, start, admin)
    ballot = session.scalars(select(Ballot).where(Ballot.instance_id == instance.id)).one()
    envelope = ballots.issue_envelope(session, ballot.public_id, county["members"][0], "satisfied")
    ballots.cast(session, envelope, "satisfied")  # 1 of the 3 members: no quorum
    counting.close_ballot(session, ballot.public_id, county["office"])
    session.flush()
    record = open_task(session, instance, "record")
    result = runtime.find_task(repository.load(session, instance), record.task_guid).data["result"]
    assert result["status"] == "void"
    assert result["void_reason"] == "不足法定人数：常委会组成人员3人，出席1人，未超过半数，本轮表决无效。"
    assert ballot.void_reason == "no quorum: 1 of 3 committee members present"  # the audit's words stay


def test_a_vote_another_running_process_waits_for_is_not_taken(session, deploy, start, admin, county):
    deploy("service")
    first = reach_the_vote(session, start, admin)
    assert first.status == "waiting"
    second = reach_the_vote(session, start, admin)
    assert second.status == "error"
    assert f"open already for process {first.id}; close it there first" in second.error["message"]
    assert [b.instance_id for b in session.scalars(select(Ballot))] == [first.id]

    # once that process has ended, its vote is nobody's: the next process takes it over
    instances.terminate(session, first.id, admin, "重新安排会议")
    third = reach_the_vote(session, start, admin)
    assert third.status == "waiting", third.error
    assert [b.instance_id for b in session.scalars(select(Ballot))] == [third.id]


def test_a_vote_past_its_closing_time_is_not_taken(session, deploy, start, admin, county):
    deploy("service")
    by_hand(session, county["office"], county["members"], closes_at=clock.now() + timedelta(minutes=5))
    clock.advance(timedelta(minutes=10))  # the timer worker has not closed it yet
    instance = reach_the_vote(session, start, admin)
    assert instance.status == "error" and "past its closing time" in instance.error["message"]


# --- the 评议码 channel ---------------------------------------------------------------------------

YEAR_ITEMS = ["法治政府建设", "政府工作报告任务落实", "人大代表建议办理", "教育局重点工作一"]


def call(session, name, **params):
    with connectors.bound(session, None, None):
        return json.loads(json.dumps(connectors.call(name, params)))


def test_a_channel_opened_by_hand_gets_the_years_content_items(session, make_user, tmp_path):
    office = make_user("office", groups=["评议办", "教育局", "评议调查组"])
    channel = opinion_channels.create_channel(session, year=2026, department_name="县教育局", department_key="D01",
                                              department_group="教育局", investigation_group="评议调查组",
                                              content_items=["法治政府建设", "部门重点工作", "其他"], actor=office)
    filed = opinions.enter_offline(session, channel.id, OpinionInput("dissatisfied", "校门口拥堵。"), office,
                                   PhotoStore(tmp_path))
    opinion_review.classify(session, filed.id, "部门重点工作", office)  # an item the year does not list
    session.flush()

    opened = call(session, "opinions.open_channels", year=2026, departments=[
        {"code": "D01", "name": "县教育局", "group": "教育局", "investigation_group": "评议调查组",
         "content_items": YEAR_ITEMS}])
    assert opened["D01"]["channel"] == channel.id  # reused, with the year's items and the one in use
    session.refresh(channel)
    assert channel.content_items == [*YEAR_ITEMS, "部门重点工作"]
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "channel_items_changed"))
    assert event.data_before == {"content_items": ["法治政府建设", "部门重点工作", "其他"]}
    assert event.data_after == {"content_items": channel.content_items}
    # the group can file opinions under any of the year's items now
    opinion_review.classify(session, filed.id, "人大代表建议办理", office)

    call(session, "opinions.open_channels", year=2026, departments=[
        {"code": "D01", "name": "县教育局", "group": "教育局", "investigation_group": "评议调查组",
         "content_items": YEAR_ITEMS}])
    session.refresh(channel)
    assert channel.content_items == YEAR_ITEMS  # "部门重点工作" is no longer in use
    assert session.scalar(select(OpinionChannel.id).where(OpinionChannel.id != channel.id)) is None
