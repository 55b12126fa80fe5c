"""How the history reads on the pages: a vote's result as the process received it has Chinese names
and keeps the application's `status` (not the title a step's form gives a field of that name); what
the process did after someone's step is the system's, on the instance page and the audit pages."""
from __future__ import annotations

from sqlalchemy import select

from engine import audit
from engine.models import HumanTask
from tests.web.conftest import PASSWORD, read, text

TALLY = {"ballot": "851a6e78", "subject": "县教育局", "status": "closed", "void_reason": None, "grade": "不满意",
         "score": 50.0, "counts": {"basic": 12, "dissatisfied": 45, "invalid": 0, "satisfied": 33},
         "rates": {"basic": 0.13, "dissatisfied": 0.5, "satisfied": 0.37}, "combined_rate": 0.5}


def history_of(page: str) -> str:
    return page[page.index(">办理记录<"):]


def test_a_votes_result_reads_in_chinese(client, login, session, deploy, start, make_user):
    office = make_user("office", groups=["评议办"], password=PASSWORD, display_name="陈静")
    deploy("options_labels")
    instance = start("options_labels", actor=office)
    audit.record(session, "message_received", office, instance=instance, after={"payload": TALLY},
                 details={"message": "ballot_closed"})
    login("office")
    shown = history_of(text(client.get(f"/instances/{instance.id}")))
    for name in ("表决编号", "测评对象", "票数", "基本满意", "无效票", "占有效票比例", "满意和基本满意率"):
        assert name in shown, name
    for key in ("<code>ballot", "<code>combined_rate", "<code>counts", "<code>basic", "<code>subject", "整改状态"):
        assert key not in shown, key


def test_what_the_process_did_is_the_systems(client, login, session, deploy, start, make_user):
    chair = make_user("chair", groups=["评议办"], password=PASSWORD, display_name="李建国")
    make_user("auditor", is_auditor=True, password=PASSWORD)
    deploy("options_labels")
    instance = start("options_labels", actor=chair)
    scope = {"department": "D01", "department_name": "县教育局"}
    audit.record(session, "channel_created", chair, instance=instance, details={**scope, "by_process": True})
    prepare = read(session, select(HumanTask.id).where(HumanTask.instance_id == instance.id))
    login("chair")
    assert "系统（由李建国 (chair)的办理触发）" in history_of(text(client.get(f"/tasks/{prepare}")))
    client.post("/logout")
    login("auditor")
    assert "系统（由李建国 (chair)的办理触发）" in text(client.get(f"/audit/?instance={instance.id}"))
    report = text(client.get("/audit/report?department=D01"))
    mine = report[report.index('data-user="chair"'):]
    assert "系统（由其办理触发）" in mine and "创建意见征集渠道 × 1" in mine[mine.index("系统（由其办理触发）"):]
