"""A whole evaluation year for three departments, through the services, with the clock moved
forward (no sleeping): plan and approval, mobilisation and the public notice with 评议码, opinions,
self-inspection, investigation, the meeting where 30 members and 60 deputies vote on each
department, ranking and the report to the Party committee, the low-ranked department's follow-up,
and rectification: 教育局 on time, 民政局 late with its plan (escalation), 交通局 not satisfied at
the re-evaluation and going round once more. Checks due dates, the audit trail and the public page.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

import forms
from engine import audit, bpmn, clock, repository, runtime
from engine.errors import InvalidInput, PermissionDenied
from engine.models import AuditEvent, Ballot, HumanTask, Notification, ProcessInstance, Publication, TaskState, User
from engine.services import (
    ballots,
    counting,
    instances,
    ledger,
    opinions,
    org,
    org_people,
    processes,
    progress,
    tasks,
    term_plans,
    timers,
    views,
)
from tests.conftest import ROOT
from web import create_app

CST = timedelta(hours=8)
DEPARTMENTS = [("D01", "县教育局", "教育局"), ("D02", "县民政局", "民政局"), ("D03", "县交通运输局", "交通局")]
# how the meeting votes: 90 ballots each (30 members + 60 deputies)
MEETING = {"D01": ["satisfied"] * 70 + ["basic"] * 20,
           "D02": ["satisfied"] * 40 + ["basic"] * 40 + ["dissatisfied"] * 10,
           "D03": ["satisfied"] * 20 + ["basic"] * 30 + ["dissatisfied"] * 40}

PUBLICITY = {"organ": "县人大常委会", "office": "县人大常委会评议办", "phone": "0539-4211234",
             "address": "县人民路1号县人大常委会评议办"}


def at(year, month, day, hour=9):
    """Beijing time on that day, as the engine's UTC clock."""
    clock.set_now(datetime(year, month, day, hour, tzinfo=UTC) - CST)


def end_of(year, month, day):
    """A due date: the end of that day in Beijing time."""
    return datetime(year, month, day, 23, 59, 59, tzinfo=UTC) - CST


@pytest.fixture
def county(session, admin, make_user):
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=forms.check_bundle_form)
    people = {"office": make_user("office", groups=["评议办"]), "council": make_user("council", groups=["主任会议"]),
              "jkww": make_user("jkww", groups=["教科文卫工委"])}
    org.create_unit(session, "office", {"code": "JKWW", "name": "教科文卫工委", "group_name": "教科文卫工委"}, admin)
    for code, name, short in DEPARTMENTS:
        org.create_unit(session, "department", {
            "code": code, "name": name, "short_name": short, "group_name": short, "office_code": "JKWW",
            "vice_mayor": "王副县长", "party_group": f"{short}党组"}, admin)
        people[code] = make_user(f"{code.lower()}_contact", groups=[short])
        people[f"{code}_party"] = make_user(f"{code.lower()}_party", groups=[f"{short}党组"])
        people[f"{code}_leader"] = make_user(f"{code.lower()}_leader", groups=[f"{short}调查组"])
        people[f"{code}_member"] = make_user(f"{code.lower()}_member", groups=[f"{short}调查组"])
    for code, name, kind in (("ZZB", "县委组织部", "organisation"), ("JW", "县纪委监委", "discipline"),
                             ("SJ", "县审计局", "audit")):
        org.create_unit(session, "observer", {"code": code, "name": name, "kind": kind}, admin)
    for i in range(30):
        org_people.save_person(session, "committee", {"username": f"m{i:02d}", "name": f"委员{i:02d}",
                                                      "title": "委员"}, admin)
    for i in range(80):
        org_people.save_person(session, "deputy", {"username": f"d{i:02d}", "name": f"代表{i:02d}",
                                                   "delegation": f"{'东西南北'[i % 4]}乡代表团"}, admin)
    term_plans.save_plan(session, term_start=2022, status="approved", actor=admin, rows=[
        {"department_code": code, "year": 2023, "office_code": "JKWW", "leader_name": "李主任",
         "deadline": "2023-10-31"} for code, _n, _s in DEPARTMENTS])
    session.commit()
    return people


def open_tasks(session, instance, element=None):
    query = select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.state == TaskState.OPEN)
    if element:
        query = query.where(HumanTask.element_id == element)
    return list(session.scalars(query.order_by(HumanTask.id)))


def by_department(session, instance, element) -> dict[str, HumanTask]:
    """The open tasks at `element`, keyed by the department named in their title."""
    found = {}
    for task in open_tasks(session, instance, element):
        code = next(c for c, name, short in DEPARTMENTS if name in task.title or short in task.title)
        found[code] = task
    return found


def done(session, task, data, user):
    tasks.complete_task(session, task.id, data, user)
    session.flush()


def vote_all(session, office, subject_key, kind, choices):
    ballot = session.scalar(select(Ballot).where(Ballot.subject_key == subject_key, Ballot.kind == kind,
                                                 Ballot.status == "open"))
    voters = session.scalars(select(User).join(ballots.BallotVoter, ballots.BallotVoter.user_id == User.id)
                             .where(ballots.BallotVoter.ballot_id == ballot.id).order_by(User.username)).all()
    assert len(voters) == len(choices), (subject_key, len(voters))
    for user, choice in zip(voters, choices, strict=True):
        envelope = ballots.issue_envelope(session, ballot.public_id, user, choice)
        ballots.cast(session, envelope, choice)
    counting.close_ballot(session, ballot.public_id, office)
    session.flush()
    return ballot


def test_a_whole_year(session, sessions, county, admin, database_url, tmp_path):
    p = county
    at(2023, 4, 1)
    year = instances.start_by_user(session, "annual_evaluation", p["office"], {"year": 2023, "lowest_n": 1,
                                                                              "max_rounds": 2})
    [draft] = open_tasks(session, year)
    assert draft.element_id == "draft_plan" and draft.title == "制定2023年度评议实施方案"
    plan = {"timetable": {"start": "2023-04-01", "mobilisation": "2023-04-15", "self_inspection_due": "2023-05-31",
                          "investigation_due": "2023-08-31", "meeting": "2023-09-26", "end": "2023-10-31"},
            "common_items": ["法治政府建设", "政府工作报告任务落实", "县委县政府重点工作推进", "人大代表建议办理",
                             "依法行政", "营商环境", "服务效能", "作风建设", "基础工作"],
            "plan_rows": [{"code": code, "name": name, "group": short, "office_group": "教科文卫工委",
                           "party_group": f"{short}党组", "vice_mayor": "王副县长",
                           "key_tasks": f"{short}重点工作一\n{short}重点工作二", "specific_tasks": f"{short}具体工作",
                           "investigation_group": f"{short}调查组", "investigation_leader": f"{code.lower()}_leader"}
                          for code, name, short in DEPARTMENTS], "publicity": PUBLICITY}
    done(session, draft, plan, p["office"])
    [review] = open_tasks(session, year)
    with pytest.raises(InvalidInput):  # sending back needs a reason
        done(session, review, {"approved": False}, p["council"])
    done(session, review, {"approved": False, "comment": "请补充具体工作"}, p["council"])
    [draft] = open_tasks(session, year)
    assert "退回意见：请补充具体工作" in draft.instructions
    done(session, draft, plan, p["office"])
    done(session, open_tasks(session, year)[0], {"approved": True}, p["council"])

    # Stage 1: the channels are open, the mobilisation meeting is recorded, the notice is published
    [mobilisation] = open_tasks(session, year)
    assert mobilisation.element_id == "mobilisation"
    done(session, mobilisation, {"held_on": "2023-04-12", "attendees": "常委会领导、被评议部门主要负责人"}, p["office"])
    notice = session.scalar(select(Publication).where(Publication.kind == "notice"))
    assert [d["name"] for d in notice.body["departments"]] == [n for _c, n, _s in DEPARTMENTS]
    assert len(notice.body["departments"][0]["content_items"]) == 9 + 2 + 1
    slug = notice.body["departments"][0]["slug"]
    opinions.submit_public(session, slug, opinions.OpinionInput("dissatisfied", "学校门口上下学时段交通拥堵。",
                                                                name="张三", phone="13800000000"),
                           opinions.Sender(ip="10.0.0.1", salt="s"), opinions.PhotoStore(tmp_path))

    # Stage 2 and the investigation, the three departments at once
    self_tasks = by_department(session, year, "self_inspection")
    assert set(self_tasks) == {"D01", "D02", "D03"}
    assert self_tasks["D01"].due_at == datetime(2023, 5, 31, 23, 59, 59, tzinfo=UTC) - CST
    assert [t.id for t in tasks.my_tasks(session, p["D02"])] == [self_tasks["D02"].id]  # lane_owners
    at(2023, 5, 20)
    for code, task in self_tasks.items():  # every content item the form lists, as the page sends them
        done(session, task, {"self_summary": "对照九项共性内容和重点工作逐项自查。",
                             "self_items": rows_of(session, year, task, "self_items", assessment="已完成")}, p[code])
    for code, task in by_department(session, year, "investigation_log").items():
        activity = {"kind": "forum", "held_on": "2023-06-10", "participants": "调查组、服务对象", "notes": "座谈会记录"}
        done(session, task, {"activities": [activity]}, p[f"{code}_member"])
    reports = by_department(session, year, "write_report")
    assert "收到意见 1 条" in reports["D01"].instructions and "不满意 1" in reports["D01"].instructions
    for code, task in reports.items():
        items = rows_of(session, year, task, "report_items")
        items[0].update(problems=f"{code}执法不够规范", suggestions="加强培训")  # 法治政府建设
        done(session, task, {"report_summary": f"{code}调查报告摘要：总体较好，存在若干问题。",
                             "vice_mayor_views": "支持评议", "report_items": items}, p[f"{code}_member"])
    leader_reviews = by_department(session, year, "leader_review")
    assert leader_reviews["D01"].assignee_id == p["D01_leader"].id
    assert leader_reviews["D01"].due_at == end_of(2023, 8, 31)  # the investigation's date in the timetable
    for code, task in leader_reviews.items():
        done(session, task, {"approved": True}, p[f"{code}_leader"])
    with pytest.raises(opinions.ChannelClosed):  # the investigation is over: the 评议码 take no more opinions
        opinions.submit_public(session, slug, opinions.OpinionInput("satisfied", "很好。"),
                               opinions.Sender(ip="10.0.0.2", salt="s"), opinions.PhotoStore(tmp_path))

    # a department sees the main line and its own branch: not another department's report or files
    edu = p["D01"]
    mine = views.instance_page(session, year.id, edu)
    assert not mine.whole and mine.data == {}
    seen = {entry.event.task_guid for entry in mine.history}
    assert self_tasks["D01"].task_guid in seen and self_tasks["D02"].task_guid not in seen
    assert not any("D02调查报告" in str(entry.event.data_after) for entry in mine.history)
    # nor the investigation group's own records of it (confidential steps): its log, report and review
    assert not any("D01调查报告" in str(entry.event.data_after) for entry in mine.history)
    assert not any(entry.event.element_id in ("investigation_log", "write_report", "leader_review")
                   for entry in mine.history)
    group = views.instance_page(session, year.id, p["D01_member"])
    assert any("D01调查报告" in str(entry.event.data_after) for entry in group.history)
    with pytest.raises(PermissionDenied):
        views.task_page(session, self_tasks["D02"].id, edu)
    steps = views.task_page(session, self_tasks["D01"].id, edu).earlier
    assert {"draft_plan", "approve_plan", "mobilisation"} <= {s.task.element_id for s in steps}
    assert "write_report" not in {s.task.element_id for s in steps}  # the group's, confidential
    assert all(s.task.element_id in ("draft_plan", "approve_plan", "mobilisation") or "教育局" in s.task.title
               for s in steps)
    assert views.instance_page(session, year.id, p["office"]).whole  # the main line's people see it all
    office_steps = views.task_page(session, self_tasks["D01"].id, p["office"]).earlier  # but a task page is
    assert {s.task.title for s in office_steps} == {s.task.title for s in steps} | {  # about its own department
        "开展调研：县教育局", "撰写调查报告：县教育局", "审定调查报告：县教育局"}  # (the office sees the group's)
    assert views.instance_page(session, year.id, p["D02_leader"]).history != mine.history
    # the progress table: a row per department (its plan row's name), a column per step, all done so far
    grid = views.instance_page(session, year.id, p["office"]).grid
    assert [row.label for row in grid.rows] == [name for _c, name, _s in DEPARTMENTS]
    assert [e for e, _n in grid.columns] == ["self_inspection", "investigation_log", "write_report", "leader_review"]
    assert grid.columns[0][1] == "自查自纠" and grid.finished == 3
    assert [row.label for row in mine.grid.rows] == [DEPARTMENTS[0][1]]  # a department: its own row

    # Stage 3: the meeting; 30 members and the 60 selected deputies vote on each department in turn
    at(2023, 9, 20)
    [prepare] = open_tasks(session, year)
    assert prepare.element_id == "prepare_meeting"
    selected = [f"d{i:02d}" for i in range(60)]
    done(session, prepare, {"meeting_date": "2023-09-26", "agenda": "听取和审议三个部门的工作报告，满意度测评",
                            "observers": ["ZZB", "JW", "SJ"], "deputies_selected": selected}, p["office"])
    at(2023, 9, 26)
    for code, _name, _short in DEPARTMENTS:
        [hearing] = open_tasks(session, year, "hearing")
        assert _name in hearing.title and hearing.due_at == end_of(2023, 9, 26)  # the meeting's day
        done(session, hearing, {"work_report": "部门主要负责人报告工作", "group_speech": "调查组发言"}, p["office"])
        ballot = vote_all(session, p["office"], code, "meeting", MEETING[code])
        counting.announce(session, ballot.public_id, p["office"])  # 当场宣布
        assert ballots.turnout(session, ballot) == {"eligible": 90, "voted": 90, "paper_returned": 0}
    meeting_ballots = session.scalars(select(Ballot).where(Ballot.kind == "meeting"))
    grades = {b.subject_key: b.tally["grade"] for b in meeting_ballots}
    assert grades == {"D01": "满意", "D02": "基本满意", "D03": "基本满意"}
    [report] = open_tasks(session, year)
    assert report.element_id == "report_party" and "县交通运输局" in report.instructions  # the lowest, flagged
    assert report.due_at == end_of(2023, 10, 31)  # the end of the timetable
    # nothing is public before the report to the Party committee and the office's confirmation
    assert session.scalar(select(Publication).where(Publication.kind == "results")) is None
    done(session, report, {"party_report": "报告评议结果", "copy_to": "县委组织部"}, p["office"])
    [confirm] = open_tasks(session, year, "confirm_results")
    assert "3. 县交通运输局" in confirm.instructions and "当场计票、当场公布" in confirm.instructions
    done(session, confirm, {"publish": True}, p["office"])
    results = session.scalar(select(Publication).where(Publication.kind == "results"))
    assert [(r["rank"], r["department"], r["flagged"]) for r in results.body["rows"]] == [
        (1, "县教育局", False), (2, "县民政局", False), (3, "县交通运输局", True)]
    assert results.body["notes"] == "以上为县人大常委会会议无记名投票结果，当场计票、当场公布。"  # all announced

    # The Party secretary's instruction is recorded: it names the departments that follow it up (the
    # lowest-ranked one offered first); each of them holds a Party group meeting on it
    [instruction] = open_tasks(session, year, "record_instruction")
    assert task_data(session, year, instruction)["instructed_departments"] == ["D03"]
    assert {c["label"] for c in task_data(session, year, instruction)["department_choices"]} == {
        "县教育局", "县民政局", "县交通运输局"}
    with pytest.raises(InvalidInput):  # an instruction needs its date, text and departments
        done(session, instruction, {"instructed": True, "instructed_departments": ["D03"]}, p["office"])
    done(session, instruction, {"instructed": True, "instruction_date": "2023-10-08",
                                "instruction_text": "请交通运输局认真研究整改", "instructed_departments": ["D03"]},
         p["office"])
    [party] = open_tasks(session, year, "party_meeting")
    assert "县委书记批示（2023-10-08）：请交通运输局认真研究整改" in party.instructions
    assert [t.id for t in tasks.my_tasks(session, p["D03_party"])] == [party.id]
    assert party.due_at == end_of(2023, 10, 26)  # a month from the day it opened
    done(session, party, {"held_on": "2023-10-10", "vice_mayor_attended": True, "measures": "成立整改专班"},
         p["D03_party"])
    done(session, open_tasks(session, year, "office_followup")[0], {"followup_note": "已跟踪专题会议落实"}, p["office"])

    # Stage 4: opinions drafted by the committee office, approved, issued on 31 October
    for code, task in by_department(session, year, "draft_opinions").items():
        assert [o["problem"] for o in task_data(session, year, task)["opinions"]] == [f"{code}执法不够规范"]
        done(session, task, {"opinions": [{"problem": f"{code}执法不够规范", "target": "年底前完成培训"}]}, p["jkww"])
    for task in by_department(session, year, "approve_opinions").values():
        done(session, task, {"approved": True}, p["council"])
    at(2023, 10, 31)
    for task in by_department(session, year, "issue_opinions").values():
        done(session, task, {"issued_on": "2023-10-31"}, p["office"])
    plans = by_department(session, year, "submit_plan")
    for code, task in plans.items():
        assert task.due_at == datetime(2023, 11, 30, 23, 59, 59, tzinfo=UTC) - CST
        # the plan starts from the opinions: one row per problem, with what the committee asks
        assert task_data(session, year, task)["plan_items"] == [{"problem": f"{code}执法不够规范",
                                                                 "target": "年底前完成培训"}]
    at(2023, 11, 20)
    def plan_data(task):  # the committee's rows, each with its measures, as the page sends them
        return {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items": rows_of(
            session, year, task, "plan_items", measures="开展培训", deadline="2023-12-20", responsible="局长")}

    for code in ("D01", "D03"):
        done(session, plans[code], plan_data(plans[code]), p[code])
    session.commit()
    at(2023, 12, 1, 10)  # 民政局 is late: the reminder and the escalation fire; its own task stays open
    assert timers.run_due_timers(sessions) >= 2
    session.expire_all()
    assert session.execute(select(User.username, Notification.title).join(User, User.id == Notification.user_id)
                           ).all() == [("d02_contact", "整改方案已逾期：县民政局")]  # only the late one's,
    # sent after its deadline (the timers ran late): it says so, not "7 天后到期"
    escalation = open_tasks(session, year, "plan_overdue_followup")
    assert [t.title for t in escalation] == ["督办逾期整改方案：县民政局"]
    assert escalation[0].due_at == datetime(2023, 12, 7, 23, 59, 59, tzinfo=UTC) - CST  # a week to follow up
    assert [t.id for t in tasks.my_tasks(session, p["office"])] == [escalation[0].id]
    assert by_department(session, year, "submit_plan").keys() == {"D02"}
    done(session, escalation[0], {"followup_note": "已电话督促"}, p["office"])
    late_plan = by_department(session, year, "submit_plan")["D02"]
    done(session, late_plan, plan_data(late_plan), p["D02"])
    for task in by_department(session, year, "review_plan").values():
        done(session, task, {"approved": True}, p["jkww"])
    report_tasks = by_department(session, year, "submit_report")
    assert report_tasks["D01"].due_at == datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC) - CST
    at(2023, 12, 20)
    def report_data(task):  # the form lists the plan's problems; each gets its status
        items = rows_of(session, year, task, "report_items", status="done", evidence="培训记录")
        return {"report_summary": "已按整改方案完成全部整改任务。", "report_items": items}

    for code, task in report_tasks.items():
        assert [(i["problem"], i["measures"]) for i in task_data(session, year, task)["report_items"]] == [
            (f"{code}执法不够规范", "开展培训")]
        done(session, task, report_data(task), p[code])
    for task in by_department(session, year, "review_report").values():
        done(session, task, {"approved": True}, p["jkww"])

    # Re-evaluation by the 30 members: 交通局 is not satisfied and goes round once more
    at(2024, 1, 10)
    for code, choices in (("D01", ["satisfied"] * 30), ("D02", ["basic"] * 30), ("D03", ["dissatisfied"] * 30)):
        vote_all(session, p["office"], code, "reevaluation", choices)
    [again] = open_tasks(session, year, "submit_plan")
    assert again.title == "提交整改方案（第2轮）：县交通运输局" and "再测评为“不满意”" in again.instructions
    assert again.due_at == datetime(2024, 2, 10, 23, 59, 59, tzinfo=UTC) - CST  # re-issued on 10 January
    done(session, again, plan_data(again), p["D03"])
    d03 = [e for e in ledger.ledger(session, p["office"], 2023) if e.department == "县交通运输局"]
    assert [e.status for e in d03] == [""]  # the new plan is not reported on yet: last round's report is not it
    done(session, open_tasks(session, year, "review_plan")[0], {"approved": True}, p["jkww"])
    second_report = open_tasks(session, year, "submit_report")[0]
    done(session, second_report, report_data(second_report), p["D03"])
    done(session, open_tasks(session, year, "review_report")[0], {"approved": True}, p["jkww"])
    vote_all(session, p["office"], "D03", "reevaluation", ["satisfied"] * 30)
    assert session.scalar(select(Publication.id).where(Publication.kind == "rectification")) is None
    for task in by_department(session, year, "review_publication").values():  # the office reviews what goes public
        done(session, task, {"public_summary": "已按整改方案完成全部整改任务。",
                             "public_items": rows_of(session, year, task, "public_items")}, p["office"])

    session.expire_all()
    assert year.status == "completed", year.error
    # the rectification ran in other branches, for the same departments: the same rows
    rows = {row.label: row for row in views.instance_page(session, year.id, p["office"]).grid.rows}
    assert list(rows) == [name for _c, name, _s in DEPARTMENTS]
    assert rows["县民政局"].cells["submit_plan"].state == progress.LATE  # after its escalation
    assert rows["县民政局"].cells["plan_overdue_followup"].state == progress.DONE
    assert rows["县交通运输局"].cells["submit_plan"].rounds == 2  # sent back to rectify again
    assert rows["县教育局"].cells["submit_plan"].state == progress.DONE
    # the rectification ledger: each department's problem, its measures and what became of it (the
    # department sent back to rectify again counts with its latest plan and report)
    entries = ledger.ledger(session, p["office"], 2023)
    assert [(e.department, e.problem, e.target, e.measures, e.status) for e in entries] == [
        (name, f"{code}执法不够规范", "年底前完成培训", "开展培训", "已完成")
        for code, name, _s in sorted(DEPARTMENTS, key=lambda d: d[1])]
    assert open_tasks(session, year) == []
    undated = session.scalars(select(HumanTask.element_id).where(HumanTask.instance_id == year.id,
                                                                 HumanTask.due_at.is_(None))).all()
    assert undated == []  # every step of the year came with a due date
    kinds = dict(session.execute(select(Publication.kind, func.count()).group_by(Publication.kind)).all())
    assert kinds == {"notice": 1, "results": 1, "rectification": 3}
    d03 = session.scalar(select(Publication).where(Publication.kind == "rectification",
                                                   Publication.department_key == "D03"))
    assert d03.body["reevaluation"]["grade"] == "满意"

    events = dict(session.execute(select(AuditEvent.event_type, func.count()).where(
        AuditEvent.instance_id == year.id).group_by(AuditEvent.event_type)).all())
    assert events["instance_started"] == 1 and events["timer_fired"] >= 2 and events["message_received"] == 7
    assert session.scalar(select(func.count()).select_from(Ballot)) == 7
    count, broken = audit.verify(session)
    assert broken is None and count > 100
    assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 1
    session.commit()

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "t", "TESTING": True,
                      "ATTACHMENTS_DIR": str(tmp_path)})
    try:
        page = app.test_client().get("/public/2023/").get_data(as_text=True)
        for text in ("2023年度县人大常委会部门工作评议公告", "2023年度部门工作评议满意度测评结果",
                     "县交通运输局整改情况"):
            assert text in page
        assert "张三" not in page and "13800000000" not in page
    finally:
        app.extensions["pingyi.engine"].dispose()


def task_data(session, instance, task) -> dict:
    return runtime.find_task(repository.load(session, instance), task.task_guid).data


def rows_of(session, instance, task, key, **answers) -> list[dict]:
    """The rows a task's form lists (with their read-only parts), each with `answers` filled in."""
    return [{**row, **answers} for row in task_data(session, instance, task)[key]]


def test_every_model_in_processes_deploys(session, admin):
    results = processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin,
                               form_checker=forms.check_bundle_form)
    assert {r.process_id for r in results} >= {"annual_evaluation", "department_evaluation",
                                               "evaluation_meeting_item", "evaluation_followup",
                                               "department_rectification", "rectification", "term_plan"}
    for path in Path(ROOT / "processes").glob("*.bpmn"):
        text = path.read_text(encoding="utf-8")
        assert "<bpmndi:BPMNDiagram" in text, f"{path.name} has no diagram"
        names = re.findall(r'<bpmn:(?:userTask|scriptTask|serviceTask|callActivity)[^>]* name="([^"]+)"', text)
        assert names and all(re.search(r"[\u4e00-\u9fff]", n) for n in names), path.name
        # every participant finds their work with a due date (processes/README.md says where each comes from)
        undated = [task for task, body in re.findall(r'<bpmn:userTask id="([^"]+)"(.*?)</bpmn:userTask>', text, re.S)
                   if 'name="dueAt"' not in body]
        assert undated == [], f"{path.name}: user tasks without dueAt"


def test_each_department_is_reminded_of_its_own_self_inspection(session, sessions, county):
    """The departments' steps run side by side in one instance; a reminder goes to its own department only."""
    p = county
    at(2023, 4, 1)
    year = instances.start_by_user(session, "annual_evaluation", p["office"], {"year": 2023, "lowest_n": 1,
                                                                              "max_rounds": 2})
    plan = {"timetable": {"start": "2023-04-01", "mobilisation": "2023-04-15", "self_inspection_due": "2023-05-31",
                          "investigation_due": "2023-08-31", "meeting": "2023-09-26", "end": "2023-10-31"},
            "common_items": ["法治政府建设"],
            "plan_rows": [{"code": code, "name": name, "group": short, "office_group": "教科文卫工委",
                           "party_group": f"{short}党组", "vice_mayor": "王副县长",
                           "key_tasks": "重点工作一\n重点工作二", "specific_tasks": "具体工作",
                           "investigation_group": f"{short}调查组", "investigation_leader": f"{code.lower()}_leader"}
                          for code, name, short in DEPARTMENTS], "publicity": PUBLICITY}
    done(session, open_tasks(session, year)[0], plan, p["office"])
    done(session, open_tasks(session, year)[0], {"approved": True}, p["council"])
    done(session, open_tasks(session, year)[0], {"held_on": "2023-04-12", "attendees": "各部门"}, p["office"])
    assert by_department(session, year, "self_inspection").keys() == {"D01", "D02", "D03"}
    session.commit()
    at(2023, 5, 24)  # a week before 05-31
    assert timers.run_due_timers(sessions) == 3
    session.expire_all()
    told = session.execute(select(User.username, Notification.title, Notification.human_task_id)
                           .join(User, User.id == Notification.user_id).order_by(User.username)).all()
    own = {code: task.id for code, task in by_department(session, year, "self_inspection").items()}
    assert told == [(f"{code.lower()}_contact", f"自查报告 7 天后到期：{name}", own[code])
                    for code, name, _short in DEPARTMENTS]
