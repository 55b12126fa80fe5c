"""The demo's evaluation year in progress: `pingyi demo` runs this year's `annual_evaluation` through
the services up to the stage where the departments stand at different points, so every demo role
finds work waiting (the timetable of the demo year runs late, to the end of December):

- 县教育局, 县卫生健康委员会: self-inspection open (dept_edu, dept_health);
- the third department: investigation under way (investigator);
- the fourth: investigation report to write; the fifth: report waiting for the group leader;
- the sixth: investigated, report approved;
- last year's rectification of 教育局 has its plan in (the committee office reviews it), 卫健局's
  plan is overdue (the office has the escalation).
Opinions came in through the 评议码 (public, a deputy, a paper one typed in by the office).
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import dates
from engine.models import Group, HumanTask, OpinionChannel, ProcessInstance, TaskState, User
from engine.services import instances, opinions, processes, tasks, term_plans, users

ACTIVITY = {"kind": "forum", "held_on": "", "participants": "评议调查组、服务对象代表",
            "notes": "座谈会，听取意见建议。"}


def _user(session: Session, name: str) -> User:
    return users.get_user(session, name)


def _member_of(session: Session, group: str) -> User:
    return session.scalars(select(User).join(User.groups).where(Group.name == group, User.is_active.is_(True))
                           .order_by(User.id)).first()


def _open(session: Session, instance: ProcessInstance, element: str) -> list[HumanTask]:
    return list(session.scalars(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.element_id == element,
        HumanTask.state == TaskState.OPEN).order_by(HumanTask.id)))


def _rows(session: Session, task: HumanTask, key: str, answers: list[dict] | None = None, **every) -> list[dict]:
    """The rows a task's form lists (what the committee asked, the content items), answered as a
    department would on the page: `answers` row by row, `every` in each row."""
    listed = tasks.load_task_context(session, task).get(key) or []
    answers = answers or []
    return [{**row, **every, **(answers[i] if i < len(answers) else {})} for i, row in enumerate(listed)]


def _for(session: Session, instance: ProcessInstance, element: str, department: str) -> HumanTask:
    return next(t for t in _open(session, instance, element) if department in t.title)


def load_demo_year(session: Session) -> ProcessInstance | None:
    """Start and advance the year's evaluation once (skipped when one exists or nothing is planned)."""
    year = dates.today().year
    if session.scalar(select(ProcessInstance.id).where(ProcessInstance.process_id == "annual_evaluation")):
        return None
    planned = term_plans.planned_departments(session, year)
    if not planned or processes.latest_version(session, "annual_evaluation", required=False) is None:
        return None
    office, chair, investigator = (_user(session, n) for n in ("office", "chair", "investigator"))
    instance = instances.start_by_user(session, "annual_evaluation", office, {"year": year, "lowest_n": 1,
                                                                               "max_rounds": 2},
                                       title=f"{year}年度部门工作评议", business_key=str(year))
    [draft] = _open(session, instance, "draft_plan")
    rows = [dict(code=d["code"], name=d["name"], group=d["group"], office_group=d.get("office_group") or "",
                 party_group=d.get("party_group") or "", vice_mayor=d.get("vice_mayor") or "",
                 key_tasks=f"{d['short_name']}年度重点工作一\n{d['short_name']}年度重点工作二",
                 specific_tasks="群众反映集中的问题整改", investigation_group="评议调查组",
                 investigation_leader=chair.username)
            for d in planned]
    timetable = {"start": f"{year}-06-01", "mobilisation": f"{year}-06-15", "self_inspection_due": f"{year}-12-05",
                 "investigation_due": f"{year}-12-15", "meeting": f"{year}-12-22", "end": f"{year}-12-31"}
    common = ["法治政府建设", "政府工作报告任务落实", "县委县政府重点工作推进", "人大代表建议办理",
              "依法行政和政务公开", "优化营商环境", "服务群众和办事效率", "作风建设和廉政建设", "部门基础工作"]
    publicity = {"organ": "平邑县人大常委会", "office": "县人大常委会评议办", "phone": "0539-4211234",
                 "address": "平邑县莲花山路1号县人大常委会评议办", "email": "pingyi@example.cn"}
    tasks.complete_task(session, draft.id, {"timetable": timetable, "common_items": common, "plan_rows": rows,
                                            "publicity": publicity}, office)
    tasks.complete_task(session, _open(session, instance, "approve_plan")[0].id,
                        {"approved": True, "comment": "同意"}, chair)
    tasks.complete_task(session, _open(session, instance, "mobilisation")[0].id, {
        "held_on": f"{year}-06-12", "place": "县人大常委会会议室",
        "attendees": "常委会组成人员，被评议部门主要负责人，评议调查组成员"}, office)
    _opinions(session, instance, planned[0], office)
    _advance_departments(session, instance, planned, investigator, year)
    _plan_submitted(session, year)
    return instance


def _plan_submitted(session: Session, year: int) -> None:
    """Last year's rectification of 教育局 (see web/demo.py): the plan is in, the committee office reviews it."""
    instance = session.scalar(select(ProcessInstance).where(ProcessInstance.process_id == "rectification",
                                                            ProcessInstance.business_key == f"{year}-D01"))
    plan = _open(session, instance, "submit_plan") if instance is not None else []
    if plan:
        tasks.complete_task(session, plan[0].id, {
            "plan_summary": "成立整改工作专班，对照评议意见逐条制定措施，明确时限和责任人。",
            "plan_items": _rows(session, plan[0], "plan_items", [
                {"measures": "扩大课后服务覆盖面，增加体育艺术课程", "deadline": f"{year + 1}-01-31",
                 "responsible": "基础教育科"},
                {"measures": "会同交警设置护学岗和减速设施", "deadline": f"{year + 1}-03-31",
                 "responsible": "安全管理科"}])},
            _user(session, "dept_edu"))


def _opinions(session: Session, instance: ProcessInstance, first: dict, office: User) -> None:
    """A few opinions on the first department, through the channel the process opened."""
    channel = session.scalar(select(OpinionChannel).where(OpinionChannel.department_key == first["code"],
                                                          OpinionChannel.is_open.is_(True)))
    if channel is None:
        return
    photos = opinions.PhotoStore(Path(current_app.config["OPINION_PHOTOS_DIR"]))
    sender = opinions.Sender(ip="192.0.2.10", device="demo-device", salt="demo")
    opinions.submit_public(session, channel.slug, opinions.OpinionInput(
        "basically_satisfied", "学校课后服务总体不错，希望增加体育和艺术类课程。"), sender, photos)
    opinions.submit_public(session, channel.slug, opinions.OpinionInput(
        "dissatisfied", "上下学时段学校门口交通拥堵，存在安全隐患。", name="王先生", phone="13800000001"),
        opinions.Sender(ip="192.0.2.11", device="demo-device-2", salt="demo"), photos)
    opinions.enter_offline(session, channel.id, opinions.OpinionInput(
        "satisfied", "座谈会纸质意见：教师队伍建设成效明显。"), office, photos)


def _advance_departments(session: Session, instance, planned: list[dict], investigator: User, year: int) -> None:
    """Leave the first two at self-inspection; move the others to later points of the investigation."""
    later = planned[2:]
    for step, unit in enumerate(later):
        contact = _member_of(session, unit["group"])
        task = _for(session, instance, "self_inspection", unit["name"])
        tasks.complete_task(session, task.id, {
            "self_summary": f"{unit['name']}对照评议内容逐项开展自查，形成自查报告。",
            "self_items": _rows(session, task, "self_items", [
                {"assessment": "依法行政制度健全，执法检查全覆盖。", "problems_found": "个别执法文书不规范",
                 "problems_fixed": "已开展文书专项整改"}], assessment="按计划推进，完成年度目标。")},
            contact)
        if step == 0:
            continue  # investigation under way
        log = _for(session, instance, "investigation_log", unit["name"])
        tasks.complete_task(session, log.id, {"activities": [dict(ACTIVITY, held_on=f"{year}-10-{10 + step:02d}")]},
                            investigator)
        if step == 1:
            continue  # the report is to be written
        report = _for(session, instance, "write_report", unit["name"])
        tasks.complete_task(session, report.id, {
            "report_summary": f"{unit['name']}工作总体较好，群众满意度较高，但在服务效能方面仍有差距。",
            "vice_mayor_views": "支持评议工作，督促部门认真整改。",
            "report_items": _rows(session, report, "report_items",
                                  [{"problems": "执法文书不够规范", "suggestions": "开展业务培训"}])},
            investigator)
        if step == 2:
            continue  # waiting for the group leader
        review = _for(session, instance, "leader_review", unit["name"])
        tasks.complete_task(session, review.id, {"approved": True, "comment": "同意"}, _user(session, "chair"))
