"""`pingyi demo`: demo users, groups and instances for `make run` (idempotent).

No password is stored in the repository: the demo password comes from `PINGYI_DEMO_PASSWORD`
or is generated once into instance/demo-password.txt and printed.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from engine import dates
from engine.models import Ballot, Group, OpinionChannel, ProcessInstance, User
from engine.services import ballots, instances, notifications, opinion_channels, processes, users
from web.db import get_session, session_factory
from web.demo_county import load_county
from web.demo_year import load_demo_year

GROUPS = [
    ("评议办", "常委会办公室（评议办）"),
    ("主任会议", "常委会党组 / 主任会议"),
    ("党组", "县人大常委会党组"),
    ("责任委室", "责任委室（工委）"),
    ("教科文卫工委", "教育科学文化卫生工作委员会"),
    ("被评议部门", "被评议部门联络员"),
    ("教育局", "市教育局"),
    ("卫健局", "市卫生健康局"),
    ("评议调查组", "评议调查组"),
    ("常委会组成人员", "县人大常委会组成人员"),
    ("代表", "县人大代表"),
]

PEOPLE = [
    ("admin", "系统管理员", [], {"is_admin": True}),
    ("auditor", "审计员", [], {"is_auditor": True}),
    ("office", "王秀英（评议办）", ["评议办"], {}),
    ("chair", "李建国（主任会议）", ["主任会议", "党组", "常委会组成人员"], {}),
    ("committee", "陈静（教科文卫工委）", ["责任委室", "教科文卫工委", "常委会组成人员"], {}),
    ("dept_edu", "张伟（教育局联络员）", ["被评议部门", "教育局"], {}),
    ("dept_health", "刘洋（卫健局联络员）", ["被评议部门", "卫健局"], {}),
    ("investigator", "赵敏（调查组）", ["评议调查组"], {}),
    ("member1", "孙立华（常委会委员）", ["常委会组成人员"], {}),
    ("member2", "周文斌（常委会委员）", ["常委会组成人员"], {}),
    ("member3", "吴海燕（常委会委员）", ["常委会组成人员"], {}),
    ("deputy1", "郑国强（县人大代表）", ["代表"], {}),
    ("deputy2", "冯丽（县人大代表）", ["代表"], {}),
]



def demo_starts() -> dict[str, list[dict]]:
    """Rectification of two departments: opinions issued 10 days ago (on time) and 40 days ago
    (the plan is overdue, so the office already has a follow-up task)."""
    today = dates.today()
    departments = (
        ("D01", "教育局", 10, [{"problem": "课后服务覆盖不足", "target": "覆盖率达到95%"},
                              {"problem": "校园周边交通安全隐患", "target": "完成整治"}]),
        ("D02", "卫健局", 40, [{"problem": "基层医疗机构人员不足", "target": "每个乡镇卫生院补足编制"}]),
    )
    return {"rectification": [
        {"title": f"{name}整改落实", "key": f"{today.year}-{code}", "data": {
            "department": name, "department_group": name, "committee_group": "教科文卫工委",
            "issued_on": dates.add_days(today, -days).isoformat(), "opinions": opinions}}
        for code, name, days, opinions in departments]}


def _demo_ballot_and_channel(session) -> None:
    """An open vote on 教育局 for the committee and deputies, and its 评议码 channel, as the office opens
    them by hand: the year's process takes both over (the channel at once, with the year's content
    items; the vote when its meeting reaches 教育局)."""
    office = session.scalar(select(User).where(User.username == "office"))
    year = dates.today().year
    if session.scalar(select(Ballot.id).limit(1)) is None:
        voters = ballots.voters_from_groups(session, {"committee": "常委会组成人员", "deputy": "代表"})
        ballots.open_ballot(session, office, title=f"{year}年度对县教育局工作的满意度测评", subject="县教育局",
                            subject_key="D01", year=year, voters=voters)
    if session.scalar(select(OpinionChannel.id).limit(1)) is None:
        opinion_channels.create_channel(session, year=year, department_name="县教育局", department_key="D01",
                                        department_group="教育局", investigation_group="评议调查组",
                                        content_items=["法治政府建设", "政府工作报告任务落实", "部门重点工作", "其他"],
                                        actor=office)


def demo_password() -> str:
    if os.environ.get("PINGYI_DEMO_PASSWORD"):
        return os.environ["PINGYI_DEMO_PASSWORD"]
    path = Path(current_app.instance_path) / "demo-password.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


@click.command("demo")
@with_appcontext
def demo_command():
    """Load demo users, groups and instances (skips what exists)."""
    session = get_session()
    password = demo_password()
    for name, title in GROUPS:
        if session.scalar(select(Group.id).where(Group.name == name)) is None:
            users.create_group(session, name, None, title=title)
    for username, display, groups, flags in PEOPLE:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            users.create_user(session, username, display, None, password=password, **flags)
        for group in groups:
            users.add_to_group(session, username, group, None)
    county = load_county(session, users.get_user(session, "office"), users.get_user(session, "chair"))
    _demo_ballot_and_channel(session)
    if session.scalar(select(ProcessInstance.id).limit(1)) is None:
        office = session.scalar(select(User).where(User.username == "office"))  # the office issues them
        for version in processes.list_latest(session):
            for data in demo_starts().get(version.process_id, []):
                instances.start_instance(session, version.process_id, office, data["data"],
                                         title=data["title"], business_key=data["key"])
    load_demo_year(session)
    session.commit()
    notifications.notify_overdue(session_factory())  # as the timer worker would: 卫健局's plan is overdue
    click.echo(f"Demo data ready. Sign in as any of: {', '.join(p[0] for p in PEOPLE)}")
    click.echo("County: " + ", ".join(f"{kind} {sum(counts.values())}" for kind, counts in county.items())
               + " (generated people have no password)")
    click.echo(f"Demo password: {password}")

