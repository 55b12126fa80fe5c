"""Attachments: stored outside the database, limited in size and type, shown only to participants."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from engine.errors import InvalidInput, PermissionDenied
from engine.models import Attachment, HumanTask
from engine.services import attachments, tasks
from engine.services.users import get_user

PDF = b"%PDF-1.7\n" + b"0" * 2000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
DOCX = b"PK\x03\x04" + b"\x00" * 100


@pytest.fixture
def task(session, deploy, start, make_user):
    deploy("approval")
    make_user("drafter", groups=["起草人"])
    make_user("drafter2", groups=["起草人"])
    make_user("reviewer", groups=["审核人"])
    make_user("outsider")
    instance = start("approval", {"unit": "教育局"})
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)).one()


def user(session, name):
    return get_user(session, name)


def test_store_and_read_back(session, task, tmp_path):
    drafter = user(session, "drafter")
    stored = attachments.store(session, tmp_path, task.id, "../../etc/整改方案 (终稿).pdf", io.BytesIO(PDF), drafter,
                               field="evidence")
    assert stored.filename == "整改方案 (终稿).pdf" and stored.content_type == "application/pdf"
    assert stored.size == len(PDF) and len(stored.sha256) == 64
    path = attachments.path_of(tmp_path, stored)
    assert path.read_bytes() == PDF and "整改" not in str(path)  # stored under a random key
    assert not list(tmp_path.rglob("*.part"))
    assert attachments.get(session, stored.public_id, drafter).id == stored.id
    # a reviewer of the same instance may see it (it is context for the next step)
    tasks.complete_task(session, task.id, {"title": "方案"}, drafter)
    assert attachments.get(session, stored.public_id, user(session, "reviewer")).id == stored.id


@pytest.mark.parametrize("name, content, problem", [
    ("virus.exe", b"MZ" + b"\x00" * 10, "type"),
    ("fake.pdf", b"<html>not a pdf</html>", "content"),
    ("fake.png", PDF, "content"),
    ("empty.docx", b"", "empty"),
    ("notes.txt", b"\x00\x01\x02 binary", "content"),
])
def test_type_and_content_are_checked(session, task, tmp_path, name, content, problem):
    with pytest.raises(InvalidInput) as caught:
        attachments.store(session, tmp_path, task.id, name, io.BytesIO(content), user(session, "drafter"))
    assert list(caught.value.errors.values()) == [problem]
    assert session.scalars(select(Attachment)).all() == [] and not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_size_limit(session, task, tmp_path):
    with pytest.raises(InvalidInput) as caught:
        attachments.store(session, tmp_path, task.id, "big.pdf", io.BytesIO(PDF * 600), user(session, "drafter"),
                          max_size=1024 * 1024)
    assert caught.value.errors == {"file": "size"}
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    ok = attachments.store(session, tmp_path, task.id, "small.png", io.BytesIO(PNG), user(session, "drafter"),
                           max_size=1024 * 1024)
    assert ok.size == len(PNG)


def test_outsiders_may_neither_add_nor_see(session, task, tmp_path):
    stored = attachments.store(session, tmp_path, task.id, "a.docx", io.BytesIO(DOCX), user(session, "drafter"))
    with pytest.raises(PermissionDenied):
        attachments.get(session, stored.public_id, user(session, "outsider"))
    with pytest.raises(PermissionDenied):
        attachments.store(session, tmp_path, task.id, "b.docx", io.BytesIO(DOCX), user(session, "outsider"))


def test_only_the_uploader_removes_while_the_task_is_open(session, task, tmp_path):
    drafter = user(session, "drafter")
    stored = attachments.store(session, tmp_path, task.id, "a.docx", io.BytesIO(DOCX), drafter)
    colleague = user(session, "drafter2")  # may see the file, may not remove it
    assert attachments.get(session, stored.public_id, colleague).id == stored.id
    with pytest.raises(PermissionDenied):
        attachments.remove(session, stored.public_id, colleague)
    attachments.remove(session, stored.public_id, drafter)
    assert session.scalars(select(Attachment)).all() == []


def test_a_file_of_one_branch_is_not_shown_in_another(session, deploy, start, make_user, tmp_path):
    from engine.services import views

    deploy("vote")
    people = {name: make_user(name, groups=groups) for name, groups in (
        ("office1", ["评议办"]), ("dept1", ["被评议部门"]), ("group1", ["评议调查组"]), ("va", []), ("vb", []))}
    instance = start("four_stage", {"voters": {"va": "va", "vb": "vb"}})
    for element, actor in (("mobilise", "office1"), ("self_inspect", "dept1"), ("investigate", "group1")):
        [step] = session.scalars(select(HumanTask).where(HumanTask.element_id == element)).all()
        tasks.complete_task(session, step.id, {}, people[actor])
    votes = {t.assignee.username: t for t in session.scalars(select(HumanTask).where(HumanTask.element_id == "vote"))}
    assert votes["va"].branch and votes["va"].branch != votes["vb"].branch  # one branch per voter
    stored = attachments.store(session, tmp_path, votes["va"].id, "意见.pdf", io.BytesIO(PDF), people["va"])
    assert attachments.get(session, stored.public_id, people["office1"]).id == stored.id  # the main line sees all
    with pytest.raises(PermissionDenied):
        attachments.get(session, stored.public_id, people["vb"])
    assert views.instance_page(session, instance.id, people["vb"]).files == []
    assert [f.id for f in views.instance_page(session, instance.id, people["va"]).files] == [stored.id]
    with pytest.raises(PermissionDenied):
        views.task_page(session, votes["va"].id, people["vb"])


def test_a_refused_file_leaves_no_directory_behind(session, task, tmp_path):
    for name, content in (("x.pdf", b"MZ"), ("y.pdf", b""), ("z.exe", b"MZ"), ("w.pdf", PDF * 600)):
        with pytest.raises(InvalidInput):
            attachments.store(session, tmp_path, task.id, name, io.BytesIO(content), user(session, "drafter"),
                              max_size=1024 * 1024)
    assert list(tmp_path.iterdir()) == []


def test_a_fields_accepted_types_are_enforced(session, task, tmp_path):
    allowed = attachments.allowed_for([".pdf", ".jpg"])
    assert allowed == {".pdf", ".jpg", ".jpeg"}  # the same content type goes with it
    assert attachments.allowed_for(["image/*"]) == attachments.IMAGE_TYPES
    assert attachments.allowed_for(["application/pdf", " .docx "]) == {".pdf", ".docx"}
    assert attachments.allowed_for([]) is None and attachments.allowed_for(None) is None
    with pytest.raises(InvalidInput) as caught:
        attachments.store(session, tmp_path, task.id, "a.png", io.BytesIO(PNG), user(session, "drafter"),
                          field="evidence", allowed=allowed)
    assert caught.value.errors == {"evidence": "type"} and caught.value.params["allowed"] == ".jpeg, .jpg, .pdf"
    assert attachments.store(session, tmp_path, task.id, "a.pdf", io.BytesIO(PDF), user(session, "drafter"),
                             allowed=allowed).filename == "a.pdf"


def test_discard_removes_files_and_the_directories_they_alone_used(tmp_path):
    kept = attachments.write_file(tmp_path, "kept.pdf", io.BytesIO(PDF))
    gone = [attachments.write_file(tmp_path, f"{n}.pdf", io.BytesIO(PDF)) for n in range(3)]
    attachments.discard(tmp_path, [f.storage_key for f in gone])
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] == [kept.storage_key]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_dir()) \
        == [kept.storage_key[:2], kept.storage_key[:5]]
