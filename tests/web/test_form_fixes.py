"""Task and start forms under bad input: refused files, impossible dates, messages in the user's
language, oversized drafts. Whatever happens, what was typed comes back with a message next to it."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

import forms
from engine.errors import InvalidInput
from engine.models import Attachment, HumanTask, User
from engine.services import processes, tokens
from tests.conftest import bundle
from tests.web.conftest import PASSWORD, text
from web import formkit

PDF = b"%PDF-1.4\n" + b"1" * 500
SUMMARY = "走访了三个派出所，听取群众意见"


@pytest.fixture
def world(session, make_user):
    make_user("office", groups=["评议办"], password=PASSWORD)
    make_user("investigator", groups=["调查组"], password=PASSWORD)
    processes.deploy(session, bundle("form_fixes"), None, form_checker=forms.check_bundle_form)
    session.commit()


@pytest.fixture
def task_id(client, login, session, world) -> int:
    """The investigator's task, claimed, with the investigator signed in."""
    login("office")
    assert client.post("/start/report", data={"year": "2024"}).status_code == 302
    client.post("/logout")
    login("investigator")
    found = session.scalar(select(HumanTask.id))
    session.commit()
    client.post(f"/tasks/{found}/claim")
    return found


def stored_anything(app, session) -> bool:
    rows = session.scalars(select(Attachment.id)).all()
    session.commit()
    return bool(rows) or any(Path(app.config["ATTACHMENTS_DIR"]).rglob("*"))


def draft_of(session, task: int):
    session.expire_all()
    draft = session.scalar(select(HumanTask.draft).where(HumanTask.id == task))
    session.commit()
    return draft


def field_feedback(page: str, name: str) -> str:
    """The messages under the field whose input is `name`."""
    start = page.index(f'name="{name}')
    return page[start:page.index("</div>", page.index("invalid-feedback", start))]


@pytest.mark.parametrize("action", ["submit", "draft"])
@pytest.mark.parametrize("field, filename, content, message", [
    ("evidence", "会议纪要.pdf", b"MZ\x90\x00" + b"\x00" * 100, "文件内容与类型不符：“会议纪要.pdf”"),
    ("evidence", "空白.pdf", b"", "文件为空：“空白.pdf”"),
    ("evidence", "大.pdf", PDF * 10, "文件过大：“大.pdf”。单个文件不超过 4 KB"),  # the field's own maxSize
    ("evidence", "notes.txt", b"plain text", "此处不接受这类文件：“notes.txt”。可上传的类型：.docx, .pdf"),
    ("minutes", "setup.exe", b"MZ", "此处不接受这类文件：“setup.exe”"),
])
def test_a_refused_file_keeps_everything_typed(app, client, session, task_id, action, field, filename, content,
                                               message):
    response = client.post(f"/tasks/{task_id}", data={
        "_action": action, "summary": SUMMARY, "held_on": "2024-03-01", "visits": "3",
        f"{field}__upload": (io.BytesIO(content), filename),
        "minutes__upload" if field == "evidence" else "evidence__upload": (io.BytesIO(PDF), "好文件.pdf")},
        content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 422
    assert SUMMARY in page and 'value="2024-03-01"' in page and 'value="3"' in page  # nothing typed is lost
    assert message in field_feedback(page, f"{field}__upload")
    assert "重新选择文件" in page and "有内容未填写或填写有误" not in page
    assert not stored_anything(app, session)  # not the good file either, and no empty directory
    assert draft_of(session, task_id) is None


def test_a_file_the_site_limit_refuses_names_the_limit(app, client, session, task_id):
    app.config["ATTACHMENT_MAX_SIZE"] = 100 * 1024  # below the field's own limit only for "evidence"
    response = client.post(f"/tasks/{task_id}", data={
        "summary": SUMMARY, "minutes__upload": (io.BytesIO(PDF * 300), "大.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "单个文件不超过 100 KB" in field_feedback(text(response), "minutes__upload")
    assert not stored_anything(app, session)
    with app.test_request_context():
        refused = InvalidInput("too big", errors={"minutes": "size"}, limit=20 * 1024 * 1024)
        assert formkit.upload_message(refused, "a.pdf") == "文件过大：“a.pdf”。单个文件不超过 20 MB。"


def test_accepted_files_are_still_stored_and_kept(app, client, session, task_id):
    response = client.post(f"/tasks/{task_id}", data={
        "summary": SUMMARY, "evidence__upload": (io.BytesIO(PDF), "调研.pdf"),
        "minutes__upload": (io.BytesIO(b"plain notes"), "纪要.txt")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert sorted(session.scalars(select(Attachment.filename)).all()) == ["纪要.txt", "调研.pdf"]
    session.commit()


def test_the_files_endpoint_says_what_is_wrong(app, client, session, task_id):
    sent = client.post(f"/tasks/{task_id}/files", data={"field": "evidence", "file": (io.BytesIO(b""), "空.pdf")},
                       content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert sent.status_code == 422 and "文件为空" in sent.get_json()["errors"]["evidence"]
    client.post(f"/tasks/{task_id}", data={"_action": "draft", "summary": "草稿里的概述"})
    page = client.post(f"/tasks/{task_id}/files", data={"field": "evidence", "file": (io.BytesIO(b"x"), "a.txt")},
                       content_type="multipart/form-data")
    assert page.status_code == 422 and "此处不接受这类文件" in field_feedback(text(page), "evidence__upload")
    assert "草稿里的概述" in text(page)  # the page shows the draft as it was
    assert not stored_anything(app, session)
    ok = client.post(f"/tasks/{task_id}/files", data={"field": "evidence", "file": (io.BytesIO(PDF), "a.pdf")},
                     content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert ok.status_code == 200 and ok.get_json()["files"][0]["filename"] == "a.pdf"


def test_an_impossible_date_gets_one_chinese_message_on_the_page(client, task_id):
    response = client.post(f"/tasks/{task_id}", data={"summary": SUMMARY, "held_on": "2023-02-30"})
    feedback = field_feedback(text(response), "held_on")
    assert response.status_code == 422 and feedback.count("日期格式不正确。") == 1 and "is not a" not in feedback


def test_the_api_refuses_impossible_dates(client, session, task_id):
    investigator = session.scalar(select(User).where(User.username == "investigator"))
    secret = tokens.create_token(session, investigator, "接口", investigator)[1]
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    for bad in ("2023-02-30", "明天下午", "2023-2-3"):
        response = client.post(f"/api/v1/tasks/{task_id}/submit", headers=headers,
                               json={"data": {"summary": SUMMARY, "held_on": bad}})
        assert response.status_code == 400 and "held_on" in response.get_json()["errors"], bad
    ok = client.post(f"/api/v1/tasks/{task_id}/submit", headers=headers,
                     json={"data": {"summary": SUMMARY, "held_on": "2024-02-29"}})
    assert ok.status_code == 200


ZH = {"short": "请填写 10 到 50 个字。", "range": "数值须在 0 到 10 之间。", "integer": "请输入整数。"}
EN = {"short": "Please write 10 to 50 characters.", "range": "Number must be between 0 and 10.",
      "integer": "Not a valid integer value."}


@pytest.mark.parametrize("lang, said", [("zh_CN", ZH), ("en", EN)])
def test_task_form_messages_are_in_the_users_language(client, task_id, lang, said):
    client.get(f"/lang/{lang}")
    short = text(client.post(f"/tasks/{task_id}", data={"summary": "短", "visits": "11"}))
    assert said["short"] in field_feedback(short, "summary") and said["range"] in field_feedback(short, "visits")
    bad = text(client.post(f"/tasks/{task_id}", data={"summary": SUMMARY, "visits": "x"}))
    assert said["integer"] in field_feedback(bad, "visits")
    if lang == "zh_CN":
        assert not re.search(r"Field must|Number must|Not a valid", short + bad)


@pytest.mark.parametrize("lang, year, rounds, note", [
    ("zh_CN", "数值须在 2000 到 2100 之间。", "请输入整数。", "请填写 10 到 5000 个字。"),
    ("en", "Number must be between 2000 and 2100.", "Not a valid integer value.",
     "Please write 10 to 5000 characters."),
])
def test_the_start_form_answers_422_in_the_users_language(client, login, world, lang, year, rounds, note):
    login("office")
    client.get(f"/lang/{lang}")
    response = client.post("/start/report", data={"year": "1999", "rounds": "x", "note": "短"})
    page = text(response)
    assert response.status_code == 422
    assert year in field_feedback(page, "year") and rounds in field_feedback(page, "rounds")
    assert note in field_feedback(page, "note")
    assert 'value="1999"' in page and 'value="x"' in page  # what was typed comes back


def test_required_reads_the_same_on_every_form(client, login, task_id):
    task_form = text(client.post(f"/tasks/{task_id}", data={"summary": ""}))
    assert "此项必填。" in field_feedback(task_form, "summary")
    client.post("/logout")
    login_form = text(client.post("/login", data={"username": "", "password": ""}))
    assert "此项必填。" in login_form and "该字段是必填字段" not in login_form


def test_a_draft_longer_than_a_field_allows_is_refused_and_kept(client, session, task_id):
    long_summary = "很长" * 40  # maxLength 50
    response = client.post(f"/tasks/{task_id}", data={"_action": "draft", "summary": long_summary})
    page = text(response)
    assert response.status_code == 422 and "超出字数限制，草稿未保存" in page
    assert "最多填写 50 个字。" in field_feedback(page, "summary") and long_summary in page
    assert draft_of(session, task_id) is None


def test_a_draft_too_long_as_a_whole_is_refused_and_kept(client, session, task_id, monkeypatch):
    monkeypatch.setattr(formkit, "DRAFT_MAX_CHARS", 1000)
    remarks = "备注" * 600  # no maxLength on this field
    response = client.post(f"/tasks/{task_id}", data={"_action": "draft", "summary": "初稿", "remarks": remarks})
    assert response.status_code == 422 and "草稿内容过长" in text(response) and remarks in text(response)
    assert draft_of(session, task_id) is None
    saved = client.post(f"/tasks/{task_id}", data={"_action": "draft", "summary": "初稿", "remarks": "备注"})
    assert saved.status_code == 302 and draft_of(session, task_id) == {"summary": "初稿", "remarks": "备注"}
