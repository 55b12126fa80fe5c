"""A small evaluation record for the auditor tests: one department's rectification plan submitted
with a file and confirmed in draft, another department's just started, a publication, a tampering
helper and `read` for values that must not keep the test's transaction open."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update

import forms
from engine import clock
from engine.models import AuditEvent, Department, HumanTask
from engine.services import (
    attachments,
    ballots,
    counting,
    instances,
    opinion_channels,
    processes,
    publications,
    tasks,
)
from tests.conftest import bundle
from tests.web.conftest import PASSWORD

PDF = b"%PDF-1.4\n" + b"evidence " * 200


@dataclass
class Record:
    edu: int                 # instance of 县教育局 (D01)
    health: int              # instance of 县卫健局 (D02)
    plan_task: int           # completed, with the file
    confirm_task: int        # open, with a draft
    file: str                # public id of the attachment
    people: dict[str, int]
    ballot: str              # on 县教育局, closed (one committee member voted)
    channel: int             # 评议码 channel of 县教育局


def read(session, statement):
    """One value, without keeping a transaction open (on SQLite it would block the app)."""
    value = session.scalar(statement)
    session.commit()
    return value


def build(session, make_user, storage: Path) -> Record:
    clock.set_now(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # 09:00 in Beijing
    people = {
        "office": make_user("office", groups=["评议办"], password=PASSWORD, display_name="王秀英"),
        "dept": make_user("dept", groups=["被评议部门"], password=PASSWORD, display_name="张伟"),
        "auditor": make_user("auditor", is_auditor=True, password=PASSWORD, display_name="审计员"),
        "boss": make_user("boss", is_admin=True, password=PASSWORD, display_name="管理员"),
        "member": make_user("member", groups=["常委会组成人员"], password=PASSWORD, display_name="委员甲"),
        "investigator": make_user("investigator", groups=["评议调查组"], password=PASSWORD),
    }
    session.add_all([Department(code="D01", name="县教育局", short_name="教育局", group_name="被评议部门"),
                     Department(code="D02", name="县卫健局", short_name="卫健局", group_name="卫健局")])
    processes.deploy(session, bundle("inbox"), None, form_checker=forms.check_bundle_form)
    office, dept = people["office"], people["dept"]
    edu = instances.start_instance(session, "plan", office, {"department": "县教育局", "issued_on": "2026-03-01"},
                                   title="教育局整改", business_key="2026-D01")
    plan = session.scalars(select(HumanTask).where(HumanTask.instance_id == edu.id)).one()
    tasks.claim(session, plan.id, dept)
    stored = attachments.store(session, storage, plan.id, "整改方案.pdf", io.BytesIO(PDF), dept, field="evidence")
    clock.advance(minutes=5)
    tasks.complete_task(session, plan.id, {"summary": "成立专班逐条整改", "evidence": [stored.public_id],
                                           "items": [{"problem": "课后服务不足", "deadline": "2026-06-30"}]}, dept)
    confirm = session.scalars(select(HumanTask).where(HumanTask.instance_id == edu.id,
                                                      HumanTask.element_id == "confirm")).one()
    tasks.save_draft(session, confirm.id, {"confirmed": False}, dept)
    health = instances.start_instance(session, "plan", office, {"department": "县卫健局", "issued_on": "2026-03-02"},
                                      title="卫健局整改", business_key="2026-D02")
    publications.publish(session, year=2026, kind="other", title="教育局整改情况", body="已整改", actor=office,
                         department_key="D01", department_name="县教育局")
    channel = opinion_channels.create_channel(
        session, year=2026, department_name="县教育局", department_key="D01", department_group="被评议部门",
        investigation_group="评议调查组", content_items=["部门重点工作"], actor=office)
    ballot = ballots.open_ballot(session, office, title="对县教育局的满意度测评", subject="县教育局", subject_key="D01",
                                 year=2026, voters={people["member"].id: "committee"})
    session.commit()
    envelope = ballots.issue_envelope(session, ballot.public_id, people["member"], "satisfied")
    session.commit()
    ballots.cast(session, envelope, "satisfied")
    session.commit()
    clock.advance(hours=1)
    counting.close_ballot(session, ballot.public_id, office)
    ids = {name: user.id for name, user in people.items()}
    record = Record(edu.id, health.id, plan.id, confirm.id, stored.public_id, ids, ballot.public_id, channel.id)
    session.commit()
    return record


def tamper(session, event_type: str, **values) -> int:
    """Edit an audit row behind the application's back, as someone with SQL access could; its seq."""
    seq = read(session, select(AuditEvent.seq).where(AuditEvent.event_type == event_type).limit(1))
    session.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(**values))
    session.commit()
    return seq
