"""Letters the office signs and sends, laid out as an office prints them: title, addressee, body,
the issuing organ and a date in Chinese. Today one: the evaluation opinions (评议意见书) of the
step that issues them to a department (交办评议意见), with the problems, their targets and
deadlines, and the duties that start on the day of issue (the plan within a calendar month, the
report within two)."""
from __future__ import annotations

from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH
from flask import Blueprint, abort
from flask_login import current_user, login_required

from engine import dates
from engine.services import views
from web import auditor, documents
from web.db import get_session

bp = Blueprint("letters", __name__, url_prefix="/tasks")

LETTER_STEPS = frozenset({"issue_opinions"})  # the element ids of the shipped rectification model
NUMERALS = "一二三四五六七八九十"


def has_letter(element_id: str | None) -> bool:
    return element_id in LETTER_STEPS


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _day(text) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return ("" if n < 20 else NUMERALS[n // 10 - 1]) + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")


def opinions_letter(data: dict):
    organ = (data.get("publicity") or {}).get("organ") or "县人大常委会"
    department, year = data.get("department") or "", data.get("year")
    issued = _day(data.get("issued_on"))
    title = f"{organ}关于{department}工作的评议意见"
    document = documents.word(title, None if issued else "（尚未登记交办日期）")
    documents.paragraph(document, f"{department}：")
    basis = f"{year}年度部门工作评议" if year else "部门工作评议"
    documents.paragraph(document, f"　　根据{basis}的安排，{organ}对你单位的工作进行了评议。现将评议意见交办如下：")
    for n, item in enumerate(data.get("opinions") or [], start=1):
        deadline = _day(item.get("deadline"))
        documents.paragraph(document, f"　　{_numeral(n)}、{item.get('problem', '')}", bold=True)
        documents.paragraph(document, f"　　整改目标：{item.get('target', '')}"
                            + (f"　整改时限：{chinese_date(deadline)}前" if deadline else ""))
    if issued:
        plan, report = dates.add_months(issued, 1), dates.add_months(issued, 2)  # the process's own rule
        duties = (f"　　请你单位认真研究，于{chinese_date(plan)}前向{organ}报送整改方案，"
                  f"于{chinese_date(report)}前报送整改情况报告。")
    else:
        duties = "　　请你单位认真研究，自交办之日起一个月内向本机关报送整改方案，两个月内报送整改情况报告。"
    documents.paragraph(document, duties)
    document.add_paragraph()
    for line in (organ, chinese_date(issued) if issued else "　　年　　月　　日"):
        signed = document.add_paragraph()
        signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signed.add_run(line)
    return title, document


@bp.get("/<int:task_id>/letter.docx")
@login_required
def letter(task_id: int):
    page = views.task_page(get_session(), task_id, current_user)
    if not has_letter(page.task.element_id):
        abort(404)
    auditor.viewed("export", export="letter", format="docx", instance=page.instance, task=page.task)
    title, document = opinions_letter(views.data_of_page(get_session(), page))
    return documents.send(document, f"{title}.docx")
