"""Checking the rows of a term plan: what is wrong, in English for logs and in Chinese for the office.

A row is {department_code, year, office_code, leader_name, deadline}; office and leader default to
the department's own. Problems carry the row number (1-based) and what the message needs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Department
from engine.services.org import office_codes

TERM_YEARS = 5


@dataclass(frozen=True)
class Problem:
    code: str
    path: str
    params: dict = field(default_factory=dict)

    def english(self) -> str:
        return f"{self.path}: {self.code} {self.params}".strip()


MESSAGES = {
    "term_invalid": "届期起始年份无效：{value}。",
    "term_approved": "{start}—{end} 届期已有经批准的规划表。",
    "term_overlaps": "届期与已批准的 {start}—{end} 届期规划表重叠。",
    "rows_required": "规划表至少需要一行。",
    "row_invalid": "第 {n} 行格式不正确。",
    "department_required": "第 {n} 行：请选择部门。",
    "unknown_department": "第 {n} 行：部门“{value}”不存在或已停用。",
    "year_invalid": "第 {n} 行：{name}的评议年度无效。",
    "year_outside_term": "第 {n} 行：{name}的评议年度 {year} 不在 {start}—{end} 届期内。",
    "office_required": "第 {n} 行：请选择{name}的责任委室。",
    "unknown_office": "第 {n} 行：责任委室“{value}”不存在或已停用。",
    "leader_required": "第 {n} 行：请填写{name}的责任领导。",
    "leader_too_long": "第 {n} 行：责任领导姓名过长。",
    "deadline_required": "第 {n} 行：请填写{name}的完成时限。",
    "deadline_invalid": "第 {n} 行：{name}的完成时限“{value}”不是有效日期。",
    "deadline_before_year": "第 {n} 行：{name}的完成时限 {deadline} 早于评议年度 {year}。",
    "duplicate_department": "{name}在本届内安排了两次：{first} 年（第 {first_row} 行）和 {second} 年（第 {n} 行）；"
                            "每个部门每届只评议一次。",
}


def describe(problem: Problem) -> str:
    """The problem in Chinese, for the office's form."""
    return MESSAGES[problem.code].format(**problem.params)


def term_start_of(value) -> int | None:
    try:
        start = int(value)
    except (TypeError, ValueError):
        return None
    return start if 2000 <= start <= 2100 and str(value).strip() == str(start) else None


def check_term(session: Session, term_start, approved: tuple[int, int] | None) -> list[Problem]:
    """Problems of the term itself; `approved` is the term of an approved plan sharing years with it."""
    start = term_start_of(term_start)
    if start is None:
        return [Problem("term_invalid", "term_start", {"value": term_start})]
    if approved is not None:
        code = "term_approved" if approved[0] == start else "term_overlaps"
        return [Problem(code, "term_start", {"start": approved[0], "end": approved[1]})]
    return []


def clean_rows(session: Session, term_start, rows) -> tuple[list[dict], list[Problem]]:
    """(rows with office and leader filled in and the deadline as a date, problems)."""
    if not isinstance(rows, list) or not rows:
        return [], [Problem("rows_required", "rows")]
    start = term_start_of(term_start)
    departments = {d.code: d for d in session.scalars(select(Department).where(Department.is_active.is_(True)))}
    offices = office_codes(session, active_only=True)
    cleaned, problems, seen = [], [], {}
    for index, row in enumerate(rows):
        n, path = index + 1, f"rows.{index}"
        if not isinstance(row, dict):
            problems.append(Problem("row_invalid", path, {"n": n}))
            continue
        found = _clean_row(row, n, path, start, departments, offices, seen)
        if isinstance(found, dict):
            cleaned.append(found)
        else:
            problems.extend(found)
    return cleaned, problems


def _clean_row(row, n, path, start, departments, offices, seen) -> dict | list[Problem]:
    code = str(row.get("department_code") or "").strip()
    if not code:
        return [Problem("department_required", f"{path}.department_code", {"n": n})]
    department = departments.get(code)
    if department is None:
        return [Problem("unknown_department", f"{path}.department_code", {"n": n, "value": code})]
    name, problems = department.name, []
    year = term_start_of(row.get("year"))
    if year is None:
        problems.append(Problem("year_invalid", f"{path}.year", {"n": n, "name": name}))
    elif start is not None and not start <= year < start + TERM_YEARS:
        problems.append(Problem("year_outside_term", f"{path}.year", {
            "n": n, "name": name, "year": year, "start": start, "end": start + TERM_YEARS - 1}))
    if code in seen:
        first_row, first_year = seen[code]
        problems.append(Problem("duplicate_department", f"{path}.department_code", {
            "n": n, "name": name, "first": first_year, "first_row": first_row, "second": year or row.get("year")}))
    else:
        seen[code] = (n, year or row.get("year"))
    office = str(row.get("office_code") or "").strip() or department.office_code or ""
    if not office:
        problems.append(Problem("office_required", f"{path}.office_code", {"n": n, "name": name}))
    elif office not in offices:
        problems.append(Problem("unknown_office", f"{path}.office_code", {"n": n, "value": office}))
    leader = str(row.get("leader_name") or "").strip() or department.leader_name
    if not leader:
        problems.append(Problem("leader_required", f"{path}.leader_name", {"n": n, "name": name}))
    elif len(leader) > 64:
        problems.append(Problem("leader_too_long", f"{path}.leader_name", {"n": n}))
    deadline = _date(row.get("deadline"))
    if not row.get("deadline"):
        problems.append(Problem("deadline_required", f"{path}.deadline", {"n": n, "name": name}))
    elif deadline is None:
        problems.append(Problem("deadline_invalid", f"{path}.deadline", {"n": n, "name": name,
                                                                         "value": row.get("deadline")}))
    elif year is not None and deadline.year < year:
        problems.append(Problem("deadline_before_year", f"{path}.deadline", {
            "n": n, "name": name, "deadline": deadline.isoformat(), "year": year}))
    if problems:
        return problems
    return {"department_code": code, "year": year, "office_code": offices[office], "leader_name": leader,
            "deadline": deadline}


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None
