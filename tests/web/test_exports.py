"""Exports and integrity over HTTP: the CSV and the .xlsx of a search hold exactly its events (read
back), instance lists, the dossier ZIP, and a row edited in the database shown as tampered in the
timeline, the search, the event page, the exports and the chain check."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Text, cast, select, text

from engine.db import canonical_json as audit_json
from engine.models import Attachment, AuditEvent, User
from engine.services import history, publications
from engine.services.history import EventFilter
from tests.web import auditing
from tests.web.auditing import read


@pytest.fixture
def record(session, make_user, app):
    return auditing.build(session, make_user, Path(app.config["ATTACHMENTS_DIR"]))


def expected_seqs(session, **filters) -> list[int]:
    where = history.conditions(session, EventFilter(**filters))
    seqs = list(session.scalars(select(AuditEvent.seq).where(*where, AuditEvent.event_type != "auditor_viewed")
                                .order_by(AuditEvent.seq)))
    session.commit()
    return seqs


def parse_csv(response) -> list[list[str]]:
    assert response.is_streamed and response.mimetype == "text/csv"
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def parse_xlsx(response) -> list[list]:
    assert response.is_streamed and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_event_exports_hold_exactly_the_filtered_events(client, login, session, record):
    login("auditor")
    query = "department=D01&year=2026"
    wanted = expected_seqs(session, department="D01", year=2026)
    rows = parse_csv(client.get(f"/audit/events.csv?{query}"))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["序号", "时间（北京时间）", "事件", "事件类型", "操作人"] and header[-1] == "完整性"
    assert [int(r[0]) for r in body] == wanted
    completed = next(r for r in body if r[3] == "task_completed")
    assert completed[2] == "完成任务" and completed[4] == "dept" and completed[5] == str(record.edu)
    assert json.loads(completed[11])["summary"] == "成立专班逐条整改" and completed[14] == "完好"
    assert completed[1].startswith("2026-03-02 09:")  # Beijing time
    sheet = parse_xlsx(client.get(f"/audit/events.xlsx?{query}"))
    assert sheet[0] == header
    assert [[str(v) for v in row] for row in sheet[1:]] == body
    assert parse_csv(client.get("/audit/events.csv?type=no_such_event"))[1:] == []


def test_instance_exports(client, login, session, record):
    login("boss")
    rows = parse_csv(client.get("/audit/instances.csv?process=plan"))
    assert rows[0][:4] == ["流程实例", "流程", "版本", "标题"]
    assert [(r[0], r[3], r[4], r[5]) for r in rows[1:]] == [(str(record.edu), "教育局整改", "2026-D01", "进行中"),
                                                            (str(record.health), "卫健局整改", "2026-D02", "进行中")]
    sheet = parse_xlsx(client.get("/audit/instances.xlsx?department=县卫健局"))
    assert [row[0] for row in sheet[1:]] == [record.health]
    assert parse_csv(client.get("/audit/instances.csv?year=2025"))[1:] == []


def test_a_cell_that_would_be_a_formula_stays_text(client, login, session, record):
    office = session.scalar(select(User).where(User.username == "office"))
    publications.withdraw(session, read(session, select(AuditEvent.details).where(
        AuditEvent.event_type == "publication_published"))["publication"], "=HYPERLINK(\"http://x\")", office)
    session.commit()
    login("auditor")
    rows = parse_csv(client.get("/audit/events.csv?type=publication_withdrawn"))
    assert rows[1][9] == "'=HYPERLINK(\"http://x\")"
    sheet = parse_xlsx(client.get("/audit/events.xlsx?type=publication_withdrawn"))
    assert sheet[1][9] == "=HYPERLINK(\"http://x\")"  # an inline string, never run as a formula


def test_the_dossier_holds_tasks_files_and_timeline(app, client, login, session, record):
    login("auditor")
    response = client.get(f"/audit/instances/{record.edu}/dossier.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = set(archive.namelist())
    pdf = f"files/{record.file}-整改方案.pdf"
    assert {"index.html", "instance.json", "tasks/01-write_plan.json", "tasks/01-write_plan.html",
            "attachments.csv", pdf, "timeline.csv", "timeline.html", "SHA256SUMS"} == names
    for line in archive.read("SHA256SUMS").decode().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    assert archive.read(pdf) == auditing.PDF
    step = json.loads(archive.read("tasks/01-write_plan.json"))
    assert step["completed_by"] == "dept" and step["data"]["items"][0]["problem"] == "课后服务不足"
    readable = archive.read("tasks/01-write_plan.html").decode()
    assert "方案概述" in readable and "成立专班逐条整改" in readable and f'href="../{pdf}"' in readable
    instance = json.loads(archive.read("instance.json"))
    assert instance["business_key"] == "2026-D01" and instance["open_tasks"][0]["draft"] == {"confirmed": False}
    files = list(csv.reader(io.StringIO(archive.read("attachments.csv").decode("utf-8-sig"))))
    assert files[1][0] == "整改方案.pdf" and files[1][6] == hashlib.sha256(auditing.PDF).hexdigest()
    timeline = list(csv.reader(io.StringIO(archive.read("timeline.csv").decode("utf-8-sig"))))
    of_instance = session.execute(select(AuditEvent.seq, AuditEvent.details).where(
        AuditEvent.instance_id == record.edu).order_by(AuditEvent.seq)).all()
    session.commit()
    assert [int(r[0]) for r in timeline[1:]] == [s for s, d in of_instance if (d or {}).get("what") != "dossier"]
    assert "教育局整改" in archive.read("index.html").decode()


def test_a_missing_file_is_named_in_the_dossier(app, client, login, session, record):
    key = read(session, select(Attachment.storage_key))
    (Path(app.config["ATTACHMENTS_DIR"]) / key).unlink()
    login("auditor")
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/audit/instances/{record.edu}/dossier.zip").get_data()))
    assert not any(name.startswith("files/") for name in archive.namelist())
    files = list(csv.reader(io.StringIO(archive.read("attachments.csv").decode("utf-8-sig"))))
    assert files[1][7] == "缺失"


def test_a_tampered_event_is_shown_everywhere(client, login, session, record):
    seq = auditing.tamper(session, "task_completed", data_after={"summary": "改过的"})
    login("auditor")
    page = client.get(f"/instances/{record.edu}").get_data(as_text=True)
    row = page.split(f'data-seq="{seq}"')[0].rsplit("<li", 1)[1]
    assert "tampered" in row and page.count("已被篡改") == 1
    search = client.get(f"/audit/?instance={record.edu}").get_data(as_text=True)
    assert search.count("table-danger tampered") == 1 and f'data-seq="{seq}"' in search
    assert "与其哈希值不符" in client.get(f"/audit/events/{seq}").get_data(as_text=True)
    check = client.get("/audit/verify?run=1").get_data(as_text=True)
    assert 'data-intact="0"' in check and f"事件 {seq} 处断开" in check
    rows = parse_csv(client.get(f"/audit/events.csv?instance={record.edu}"))
    assert [r[0] for r in rows[1:] if r[14] == "已被篡改"] == [str(seq)]


def test_an_intact_chain_is_reported_intact(client, login, record):
    login("boss")
    page = client.get("/audit/verify?run=1").get_data(as_text=True)
    assert 'data-intact="1"' in page


def test_json_stored_in_another_layout_is_intact_and_garbage_is_not(client, login, session, record):
    """Exports hash the stored JSON text as it is; a row stored with spaces and unsorted keys (as
    before JSON was stored canonically) is re-encoded and found intact, text that is not JSON is not."""
    def stored(seq: int) -> str:
        return read(session, select(cast(AuditEvent.data_after, Text)).where(AuditEvent.seq == seq))

    seq = read(session, select(AuditEvent.seq).where(AuditEvent.event_type == "task_completed").limit(1))
    canonical = stored(seq)
    assert ", " not in canonical and ": " not in canonical  # written canonically
    value = json.loads(canonical)
    spaced = json.dumps(dict(reversed(list(value.items()))), indent=1)
    assert spaced != canonical
    session.execute(text("UPDATE audit_event SET data_after = :v WHERE seq = :s"), {"v": spaced, "s": seq})
    session.commit()
    assert stored(seq) == spaced
    login("auditor")
    rows = parse_csv(client.get(f"/audit/events.csv?instance={record.edu}"))
    mine = next(r for r in rows[1:] if r[0] == str(seq))
    assert mine[14] == "完好" and json.loads(mine[11]) == value and mine[11] == audit_json(value)
    assert all(r[14] == "完好" for r in rows[1:])
    if session.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's json type refuses text that is not JSON: such a row cannot exist there
    session.execute(text("UPDATE audit_event SET data_after = :v WHERE seq = :s"), {"v": '{"summary": ', "s": seq})
    session.commit()
    rows = parse_csv(client.get(f"/audit/events.csv?instance={record.edu}"))
    assert [(r[0], r[11]) for r in rows[1:] if r[14] == "已被篡改"] == [(str(seq), '{"summary": ')]
    check = client.get("/audit/verify?run=1").get_data(as_text=True)  # the pages read the row, and name it
    assert 'data-intact="0"' in check and f"事件 {seq} 处断开" in check
    search = client.get(f"/audit/?instance={record.edu}").get_data(as_text=True)
    assert search.count("table-danger tampered") == 1 and f'data-seq="{seq}"' in search
    assert "与其哈希值不符" in client.get(f"/audit/events/{seq}").get_data(as_text=True)
