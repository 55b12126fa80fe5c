"""The year `pingyi demo` ships, carried on through the services as its participants would: the
departments' stages, the meeting where the first department's vote is the one the office opened by
hand (the process takes it over), the results, and the evaluation opinions, which reach a member
of each department's committee office. Every step comes with a due date, and the hand-made 评议码
channel carries the year's content items."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import dates
from engine.errors import InvalidInput
from engine.models import (
    Ballot,
    BallotVoter,
    HumanTask,
    HumanTaskCandidate,
    OpinionChannel,
    ProcessInstance,
    Publication,
    TaskState,
    User,
    user_group,
)
from engine.permissions import WHOLE
from engine.services import ballots, counting, progress, tasks, users
from tests.conftest import ROOT
from tests.test_cli import app, cli, ok  # noqa: F401  (the command line fixtures)
from tests.test_year import open_tasks, rows_of

ACTIVITY = {"kind": "forum", "held_on": "", "participants": "调查组、服务对象", "notes": "座谈会记录"}


def contact(session, task) -> str:
    """Who works on a task offered to a group: its first active member."""
    return session.scalars(select(User.username).join(user_group, user_group.c.user_id == User.id)
                           .join(HumanTaskCandidate, HumanTaskCandidate.group_id == user_group.c.group_id)
                           .where(HumanTaskCandidate.human_task_id == task.id, User.is_active.is_(True))
                           .order_by(User.username)).first()


def finish_departments(session, year, number):
    """Self-inspection, investigation, report and its review, for every department still at them."""
    investigator, chair = users.get_user(session, "investigator"), users.get_user(session, "chair")
    for task in open_tasks(session, year, "self_inspection"):
        answers = {"self_summary": "对照评议内容逐项开展自查，形成自查报告。",
                   "self_items": rows_of(session, year, task, "self_items", assessment="已完成")}
        tasks.complete_task(session, task.id, answers, users.get_user(session, contact(session, task)))
    for task in open_tasks(session, year, "investigation_log"):
        tasks.complete_task(session, task.id, {"activities": [dict(ACTIVITY, held_on=f"{number}-11-20")]},
                            investigator)
    for task in open_tasks(session, year, "write_report"):
        items = rows_of(session, year, task, "report_items")
        items[0].update(problems="执法文书不够规范", suggestions="加强培训")
        tasks.complete_task(session, task.id, {"report_summary": "工作总体较好，群众满意度较高，服务效能仍有差距。",
                                               "vice_mayor_views": "支持", "report_items": items}, investigator)
    for task in open_tasks(session, year, "leader_review"):
        assert task.due_at is not None
        tasks.complete_task(session, task.id, {"approved": True}, chair)
    session.flush()


def vote_and_close(session, ballot, office, choice):
    voters = session.scalars(select(BallotVoter.user_id).where(BallotVoter.ballot_id == ballot.id)).all()
    for user_id in voters:
        voter = session.get(User, user_id)
        envelope = ballots.issue_envelope(session, ballot.public_id, voter, choice)
        ballots.cast(session, envelope, choice)
    counting.close_ballot(session, ballot.public_id, office)
    session.flush()


def test_the_demo_year_runs_through_the_meeting(cli, sessions, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("PINGYI_DEMO_PASSWORD", "demo-password-42")
    monkeypatch.setenv("PINGYI_OPINION_PHOTOS_DIR", str(tmp_path))
    ok(cli("deploy", str(ROOT / "processes")))
    ok(cli("demo"))
    number = dates.today().year
    with sessions() as session:
        year = session.scalar(select(ProcessInstance).where(ProcessInstance.process_id == "annual_evaluation"))
        office = users.get_user(session, "office")
        # the 评议码 channel the demo opened by hand before the year: the year's 9+2+N items for 县教育局
        channel = session.scalar(select(OpinionChannel).where(OpinionChannel.department_key == "D01"))
        assert len(channel.content_items) == 9 + 2 + 1 and channel.content_items[-1] == "群众反映集中的问题整改"
        # every open step of the demo, in every process, has a due date
        assert session.scalars(select(HumanTask.title).where(HumanTask.state == TaskState.OPEN,
                                                             HumanTask.due_at.is_(None))).all() == []
        demo_vote = session.scalar(select(Ballot).where(Ballot.status == "open"))
        assert demo_vote.instance_id is None and demo_vote.subject_key == "D01"

        finish_departments(session, year, number)
        [prepare] = open_tasks(session, year, "prepare_meeting")
        tasks.complete_task(session, prepare.id, {
            "meeting_date": f"{number}-12-22", "agenda": "听取和审议六个部门的工作报告，满意度测评",
            "observers": ["O01"], "deputies_selected": ["deputy1", "deputy2"]}, office)
        for turn in range(6):
            [hearing] = open_tasks(session, year, "hearing")
            assert hearing.due_at is not None
            tasks.complete_task(session, hearing.id, {"work_report": "部门主要负责人报告工作"}, office)
            session.refresh(year)
            assert year.status == "waiting", year.error  # the vote opened (no error); it waits for the tally
            ballot = session.scalar(select(Ballot).where(Ballot.instance_id == year.id, Ballot.status == "open"))
            if turn == 0:  # the office's own vote on 县教育局, taken over: its tally goes to this hearing
                assert ballot.id == demo_vote.id and ballot.message_correlation == {"vote.ballot": ballot.public_id}
            vote_and_close(session, ballot, office, "satisfied" if turn < 5 else "basic")
        session.refresh(year)
        assert year.status == "running", year.error
        assert session.scalar(select(Publication.id).where(Publication.kind == "results")) is None  # not yet
        counting.announce(session, demo_vote.public_id, office)  # one result announced at the meeting, not all

        [report] = open_tasks(session, year, "report_party")
        tasks.complete_task(session, report.id, {"party_report": "报告评议结果", "copy_to": "县委组织部"}, office)
        [confirm] = open_tasks(session, year, "confirm_results")
        assert "无记名投票测评结果" in confirm.instructions and "当场公布" not in confirm.instructions
        with pytest.raises(InvalidInput):  # holding it back needs a reason
            tasks.complete_task(session, confirm.id, {"publish": False}, office)
        tasks.complete_task(session, confirm.id, {"publish": False, "publish_note": "待县委批示后发布"}, office)
        assert session.scalar(select(Publication.id).where(Publication.kind == "results")) is None  # held back
        drafts = open_tasks(session, year, "draft_opinions")
        assert len(drafts) == 6 and all(t.due_at is not None for t in drafts)
        # each committee office has someone to draft its departments' opinions
        assert progress.nobody_can_take(session, year.id) == {}
        grid = progress.branch_grid(session, year.id, WHOLE)
        assert grid.nobody == {} and not any(cell.nobody for row in grid.rows for cell in row.cells.values())
        for task in drafts:
            assert tasks.my_tasks(session, users.get_user(session, contact(session, task)))
        assert session.scalars(select(HumanTask.title).where(HumanTask.state == TaskState.OPEN,
                                                             HumanTask.due_at.is_(None))).all() == []
