"""The chain check page on a long log: it checks in steps (each request a bounded time), shows how
far it got and goes on by itself; the result, and the one recorded view, come at the end."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.models import AuditEvent
from tests.web import auditing
from tests.web.auditing import read
from web import audit as audit_pages


@pytest.fixture
def record(session, make_user, app):
    return auditing.build(session, make_user, Path(app.config["ATTACHMENTS_DIR"]))


@pytest.fixture
def tiny_steps(monkeypatch):
    monkeypatch.setattr(audit_pages, "STEP_SECONDS", -1.0)  # every step stops after its first batch
    monkeypatch.setattr(audit_pages, "STEP_BATCH", 4)


def next_step(page: str) -> str:
    return unescape(re.search(r'href="([^"]+)" id="verify-continue"', page)[1])


def check_in_steps(client) -> tuple[str, int]:
    page, steps = client.get("/audit/verify?run=1").get_data(as_text=True), 1
    while 'id="verify-progress"' in page:
        assert 'http-equiv="refresh"' in page and "verify-result" not in page
        page, steps = client.get(next_step(page)).get_data(as_text=True), steps + 1
    return page, steps


def views(session) -> list[dict]:
    rows = session.scalars(select(AuditEvent.details).where(AuditEvent.event_type == "auditor_viewed")).all()
    session.commit()
    return [r for r in rows if r["what"] == "verify"]


def test_a_long_chain_is_checked_in_steps_to_one_result(client, login, session, record, tiny_steps):
    total = read(session, select(func.max(AuditEvent.seq)))
    login("auditor")
    first = client.get("/audit/verify?run=1").get_data(as_text=True)
    assert f"正在校验：已校验 4 / {total} 个事件" in first and views(session) == []
    page, steps = check_in_steps(client)
    assert 'data-intact="1"' in page and f"已校验 {total} 个事件" in page and steps >= total // 4
    assert [v["events"] for v in views(session)] == [total]  # one view, when the check is done


def test_a_break_found_in_a_later_step_is_named(client, login, session, record, tiny_steps):
    seq = auditing.tamper(session, "task_completed", reason="edited")
    login("auditor")
    page, steps = check_in_steps(client)
    assert steps > 1 and 'data-intact="0"' in page and f"事件 {seq} 处断开" in page
    assert [v["broken_at"] for v in views(session)] == [seq]


def test_an_edited_step_starts_the_check_again(client, login, session, record, tiny_steps):
    login("auditor")
    page = client.get("/audit/verify?run=1").get_data(as_text=True)
    forged = next_step(page).replace("step=", "step=x")
    again = client.get(forged)
    assert again.status_code == 200 and "正在校验：已校验 4 /" in again.get_data(as_text=True)
    assert client.get("/audit/verify?run=1&step=").status_code == 200
