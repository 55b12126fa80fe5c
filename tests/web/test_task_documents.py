"""A task's answers as a Word document, laid out as the task's form shows them."""
from __future__ import annotations

import io

from docx import Document
from sqlalchemy import select

from engine.models import HumanTask
from tests.web.conftest import read, text
from tests.web.test_ledger_pages import plan_submitted  # noqa: F401 (a fixture)


def task_id(session, instance, element):
    return read(session, select(HumanTask.id).where(HumanTask.instance_id == instance.id,
                                                    HumanTask.element_id == element))


def test_a_submitted_plan_as_word(client, login, session, plan_submitted):  # noqa: F811
    login("edu")
    plan = task_id(session, plan_submitted, "submit_plan")
    assert 'id="task-document"' in text(client.get(f"/tasks/{plan}"))
    response = client.get(f"/tasks/{plan}/document.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.data))
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[0] == "提交整改方案：教育局"
    assert lines[1].startswith("Edu 于 2025-11-05 提交")
    assert "方案概述" in lines and "成立整改领导小组，逐条落实。" in lines
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["#", "问题", "评议意见提出的整改要求", "整改措施", "完成时限", "责任人"]
    assert rows[1] == ["1", "课后服务覆盖不足", "覆盖率达到95%", "扩大课后服务", "2025-12-20", "副局长"]


def test_an_open_task_says_it_was_not_submitted(client, login, session, plan_submitted):  # noqa: F811
    login("edu")  # the department sees its instance's main line, the committee's open review too
    review = task_id(session, plan_submitted, "review_plan")
    document = Document(io.BytesIO(client.get(f"/tasks/{review}/document.docx").data))
    assert [p.text for p in document.paragraphs][:2] == ["审核整改方案：教育局", "尚未提交（任务目前的内容）"]


def test_only_who_may_see_the_task(client, login, session, plan_submitted):  # noqa: F811
    login("stranger")
    plan = task_id(session, plan_submitted, "submit_plan")
    assert client.get(f"/tasks/{plan}/document.docx").status_code == 403
