"""Rectification (processes/evaluation_rectification.bpmn and rectification.bpmn): the office reviews the
text before it goes public, a second round tells the department why, and a reminder or a follow-up that
opens after its date says so instead of "7 天后到期"."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import clock
from engine.models import Ballot, Notification, Publication, User
from engine.services import ballots, counting, instances, org_people, tasks
from tests.model_steps import beijing, data_of, deploy_models, do, step

REPORT = {"report_summary": "已按整改方案完成全部整改任务，联系人张三 13800000000。",
          "report_items": [{"problem": "执法不够规范", "measures": "开展培训", "status": "done",
                            "evidence": "培训记录（内部材料，含学员身份证号）"}]}


@pytest.fixture
def people(session, admin, make_user):
    deploy_models(session, admin)
    found = {"office": make_user("office", groups=["评议办"]), "council": make_user("council", groups=["主任会议"]),
             "jkww": make_user("jkww", groups=["教科文卫工委"]), "edu": make_user("edu_contact", groups=["教育局"])}
    for i in range(5):
        org_people.save_person(session, "committee", {"username": f"m{i}", "name": f"委员{i}", "title": "委员"}, admin)
    return found


def start_year_part(session, people, max_rounds=2):
    clock.set_now(beijing(2023, 10, 20))
    return instances.start_instance(session, "department_rectification", people["office"], {
        "rectify_unit": {"code": "D01", "name": "县教育局", "group": "教育局", "office_group": "教科文卫工委"},
        "findings": {"D01": {"report_items": [{"item": "法治政府建设", "problems": "执法不够规范"}]}},
        "results": {"D01": {"grade": "基本满意"}}, "year": 2023, "max_rounds": max_rounds,
        "timetable": {"start": "2023-04-01", "meeting": "2023-09-26", "end": "2023-10-31"}},
        title="县教育局整改", business_key="2023-D01")


def rectify(session, instance, people):
    """Opinions drafted, approved, issued on 31 October; a plan and a report, both accepted."""
    if step(session, instance, "draft_opinions") is not None:
        do(session, instance, "draft_opinions", {"opinions": [{"problem": "执法不够规范", "target": "年底前完成培训"}]},
           people["jkww"])
        do(session, instance, "approve_opinions", {"approved": True}, people["council"])
        clock.set_now(beijing(2023, 10, 31))
        do(session, instance, "issue_opinions", {"issued_on": "2023-10-31"}, people["office"])
    plan = step(session, instance, "submit_plan")
    items = [{**row, "measures": "开展培训", "deadline": "2023-12-20", "responsible": "局长"}
             for row in data_of(session, instance, plan)["plan_items"]]
    do(session, instance, "submit_plan", {"plan_summary": "成立整改领导小组，逐条落实。", "plan_items": items},
       people["edu"])
    do(session, instance, "review_plan", {"approved": True}, people["jkww"])
    do(session, instance, "submit_report", REPORT, people["edu"])
    do(session, instance, "review_report", {"approved": True}, people["jkww"])


def revote(session, office, choice):
    ballot = session.scalar(select(Ballot).where(Ballot.subject_key == "D01", Ballot.kind == "reevaluation",
                                                 Ballot.status == "open"))
    voters = session.scalars(select(User).join(ballots.BallotVoter, ballots.BallotVoter.user_id == User.id)
                             .where(ballots.BallotVoter.ballot_id == ballot.id)).all()
    for user in voters:
        ballots.cast(session, ballots.issue_envelope(session, ballot.public_id, user, choice), choice)
    counting.close_ballot(session, ballot.public_id, office)
    session.flush()


def published(session):
    return session.scalars(select(Publication).where(Publication.kind == "rectification")).all()


def test_the_office_reviews_the_text_before_it_is_public(session, people):
    instance = start_year_part(session, people)
    rectify(session, instance, people)
    revote(session, people["office"], "satisfied")
    review = step(session, instance, "review_publication")
    assert review is not None and published(session) == []  # nothing public before the office has read it
    assert review.lane == "评议办" and [t.id for t in tasks.my_tasks(session, people["office"])] == [review.id]
    assert tasks.my_tasks(session, people["edu"]) == []
    assert review.title == "审核整改情况公告：县教育局" and "满意" in review.instructions and review.due_at
    draft = data_of(session, instance, review)["public_items"]
    assert draft == [{"problem": "执法不够规范", "status": "done", "evidence": "培训记录（内部材料，含学员身份证号）"}]
    assert data_of(session, instance, review)["public_summary"] == REPORT["report_summary"]  # the department's text
    do(session, instance, "review_publication", {
        "public_summary": "已按整改方案完成全部整改任务。",
        "public_items": [{**draft[0], "evidence": "组织执法人员培训两期"}]}, people["office"])
    session.expire_all()
    assert instance.status == "completed", instance.error
    [page] = published(session)
    assert page.body["report_summary"] == "已按整改方案完成全部整改任务。"  # the reviewed text, not the typed one
    assert page.body["items"] == [{"problem": "执法不够规范", "status": "done", "evidence": "组织执法人员培训两期"}]
    assert "13800000000" not in str(page.body) and "身份证" not in str(page.body)
    assert page.body["reevaluation"]["grade"] == "满意"


def test_the_second_round_tells_the_department_why(session, people):
    instance = start_year_part(session, people)
    rectify(session, instance, people)
    clock.set_now(beijing(2024, 1, 10))
    revote(session, people["office"], "dissatisfied")
    again = step(session, instance, "submit_plan")
    assert again.title == "提交整改方案（第2轮）：县教育局"
    assert "再测评为“不满意”" in again.instructions and "第 2 轮整改" in again.instructions
    assert "最多 2 轮" in again.instructions and "2024-02-10" in again.instructions
    [told] = session.scalars(select(Notification).where(Notification.user_id == people["edu"].id)).all()
    assert told.title == "需再整改一轮（第 2 轮）：县教育局"
    assert "再测评为“不满意”" in told.body and "2024-02-10" in told.body
    rectify(session, instance, people)
    revote(session, people["office"], "satisfied")
    assert step(session, instance, "review_publication") is not None


def test_the_first_round_reads_as_before(session, people):
    instance = start_year_part(session, people)
    do(session, instance, "draft_opinions", {"opinions": [{"problem": "执法不够规范", "target": "年底前完成培训"}]},
       people["jkww"])
    do(session, instance, "approve_opinions", {"approved": True}, people["council"])
    do(session, instance, "issue_opinions", {"issued_on": "2023-10-31"}, people["office"])
    plan = step(session, instance, "submit_plan")
    assert plan.title == "提交整改方案：县教育局" and "再测评" not in plan.instructions


def test_opinions_issued_with_a_past_date_say_the_plan_is_overdue(session, people):
    """The office records on 28 November opinions issued on 30 September: the plan was due on 30 October."""
    clock.set_now(beijing(2023, 11, 28))
    instance = instances.start_instance(session, "rectification", people["office"], {
        "department": "县卫生健康委员会", "department_group": "教育局", "committee_group": "教科文卫工委",
        "issued_on": "2023-09-30", "opinions": [{"problem": "基层医疗人员不足"}]})
    assert instance.status == "running" and instance.error is None, instance.error
    [note] = session.scalars(select(Notification).where(Notification.user_id == people["edu"].id)).all()
    assert (note.kind, note.title) == ("overdue", "整改方案已逾期：县卫生健康委员会")
    assert "2023-10-30" in note.body and "已逾期 29 天" in note.body
    followup = step(session, instance, "plan_overdue_followup")  # not overdue the moment it opens
    assert followup.due_at == beijing(2023, 12, 5, 23, 59, 59)
    assert "2023-10-30" in followup.instructions
