"""Importing organisation data from a spreadsheet (.xlsx) or a CSV file (UTF-8 with or without
BOM, or GBK), and the empty template of each kind.

The first row holds the Chinese column names (COLUMNS). An import is all or nothing: every row is
checked first and, if any is wrong, `ImportRefused` lists each problem with its row number (as the
spreadsheet shows it, the header being row 1) and column name, and nothing is stored. Otherwise
rows are created or updated by code (units) or user name (people).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from engine import audit
from engine.errors import InvalidInput
from engine.models import User
from engine.services import org, org_people

COLUMNS = {
    "department": {"编码": "code", "名称": "name", "简称": "short_name", "负责人": "head_name",
                   "联系人组": "group_name", "责任委室": "office_code", "联系领导": "leader_name",
                   "分管副县长": "vice_mayor", "上级主管部门": "superior", "党委（党组）用户组": "party_group"},
    "office": {"编码": "code", "名称": "name", "用户组": "group_name", "联系领导": "leader_name"},
    "committee": {"用户名": "username", "姓名": "name", "职务": "title", "电话": "phone"},
    "deputy": {"用户名": "username", "姓名": "name", "代表团": "delegation", "电话": "phone"},
    "observer": {"编码": "code", "名称": "name", "类别": "kind"},
}
REQUIRED = {"department": ("编码", "名称", "联系人组"), "office": ("编码", "名称", "用户组"),
            "committee": ("用户名", "姓名"), "deputy": ("用户名", "姓名", "代表团"),
            "observer": ("编码", "名称", "类别")}
MAX_ROWS = 5000
MAX_COLUMNS = 50  # the widest template has a dozen columns
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int          # as the spreadsheet numbers it (the header is row 1)
    column: str       # the Chinese column name ("" for the whole file)
    code: str         # required, too_long, invalid, unknown_office, unknown_kind, duplicate, missing_column...
    value: str = ""
    field: str = ""   # the field the column fills, when the problem is a value's


class ImportRefused(InvalidInput):
    """Nothing was stored; `rows` says what is wrong where."""

    def __init__(self, rows: list[RowError]):
        super().__init__(f"The file has {len(rows)} problem(s); nothing was imported.",
                         errors={f"{e.row}:{e.column}": e.code for e in rows}, count=len(rows))
        self.rows = rows


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The cells of the first sheet (or the CSV) as text, row by row."""
    if len(content) > MAX_BYTES:
        raise ImportRefused([RowError(0, "", "too_large")])
    try:
        if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
            return _read_xlsx(content)
        return _read_csv(content)
    except ImportRefused:
        raise
    except Exception as exc:  # a damaged or foreign file: say so, never a stack trace
        raise ImportRefused([RowError(0, "", "unreadable")]) from exc


def _read_xlsx(content: bytes) -> list[list[str]]:
    """Read at most MAX_COLUMNS columns and stop past MAX_ROWS rows: a few kilobytes of .xlsx can
    declare a million rows by sixteen thousand columns, which openpyxl would pad out in memory."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = []
        for row in book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            if len(rows) > MAX_ROWS:
                raise ImportRefused([RowError(MAX_ROWS + 2, "", "too_many_rows")])
            rows.append([_text(cell) for cell in row])
    finally:
        book.close()
    formulas = _formulas_without_values(content, rows)
    if formulas:
        raise ImportRefused(formulas)
    return rows


def _formulas_without_values(content: bytes, rows: list[list[str]]) -> list[RowError]:
    """Cells holding a formula but no value (a workbook written by a program, never opened in Excel,
    keeps none): they would read as empty, and be reported as missing."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    try:
        found = []
        for number, raw in enumerate(book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, max_row=len(rows),
                                                                   values_only=True), start=1):
            for column, value in enumerate(raw):
                if isinstance(value, str) and value.startswith("=") and not rows[number - 1][column]:
                    header = rows[0][column] if column < len(rows[0]) else ""
                    found.append(RowError(number, header, "formula", value[:60]))
        return found
    finally:
        book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def _read_csv(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused([RowError(0, "", "encoding")])
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def parse(kind: str, table: list[list[str]]) -> list[tuple[int, dict]]:
    """[(row number, {field: text})] for the non-empty rows, or ImportRefused for a bad header."""
    columns = COLUMNS[kind]
    if not table:
        raise ImportRefused([RowError(1, "", "empty")])
    header = [cell.strip() for cell in table[0]]
    missing = [name for name in REQUIRED[kind] if name not in header]
    if missing:
        raise ImportRefused([RowError(1, name, "missing_column") for name in missing])
    index = {columns[name]: i for i, name in enumerate(header) if name in columns}
    rows = [(number, {field: (cells[i] if i < len(cells) else "") for field, i in index.items()})
            for number, cells in enumerate(table[1:], start=2) if any(str(c).strip() for c in cells)]
    if not rows:
        raise ImportRefused([RowError(2, "", "empty")])
    if len(rows) > MAX_ROWS:
        raise ImportRefused([RowError(MAX_ROWS + 2, "", "too_many_rows")])
    return rows


def import_file(session: Session, kind: str, filename: str, content: bytes, actor: User,
                link_existing: bool = False) -> dict:
    """Check every row, then store them all: {"created", "linked", "updated", "unchanged"}; or
    ImportRefused. `link_existing`: see org_people.check_account."""
    org.require_manage(actor, "import organisation data")
    summary = store(session, kind, parse(kind, read_table(filename, content)), actor, link_existing)
    audit.record(session, "org_imported", actor, details={"kind": kind, "file": filename[:255], **summary})
    return summary


def store(session: Session, kind: str, rows: list[tuple[int, dict]], actor: User,
          link_existing: bool = False) -> dict:
    """Check then upsert parsed rows ([(row number, values)]); all or nothing. People whose user
    name belongs to another account are refused unless `link_existing` (org_people.check_account)."""
    org.require_manage(actor, "import organisation data")
    names = {field: name for name, field in COLUMNS[kind].items()}
    is_person = kind in org_people.KINDS
    key = "username" if is_person else "code"
    offices = org.office_codes(session) if kind == "department" else None
    checked, problems, seen = [], [], {}
    for number, values in rows:
        clean, errors = org_people.check_person(kind, values) if is_person \
            else org.check_unit(session, kind, values, offices)
        if clean[key] and clean[key] in seen:
            errors.setdefault(key, "duplicate")
        elif is_person and not errors:
            errors = org_people.check_account(session, kind, clean, link_existing)
        seen[clean[key]] = number
        problems += [RowError(number, names.get(field, field), code, str(values.get(field) or ""), field)
                     for field, code in errors.items()]
        checked.append(clean)
    if problems:
        raise ImportRefused(problems)
    summary = {"created": 0, "linked": 0, "updated": 0, "unchanged": 0}
    for clean in checked:
        if is_person:
            outcome = org_people.save_person(session, kind, {"is_active": True}, actor, checked=clean,
                                             link_existing=link_existing)[2]
        else:
            outcome = _upsert_unit(session, kind, clean, actor)
        summary[outcome] += 1
    return summary


def _upsert_unit(session: Session, kind: str, clean: dict, actor: User) -> str:
    unit = org.find_unit(session, kind, clean["code"])
    if unit is None:
        org.create_unit(session, kind, {}, actor, checked=clean)
        return "created"
    _, changes = audit.changed(org.snapshot(unit), {**clean, "is_active": True})
    if not changes:
        return "unchanged"
    org.update_unit(session, kind, clean["code"], {"is_active": True}, actor, checked=clean)
    return "updated"


def template(kind: str) -> bytes:
    """An empty workbook with the header row of a kind and a sheet explaining the columns."""
    book = Workbook()
    sheet = book.active
    sheet.title = "导入"
    sheet.append(list(COLUMNS[kind]))
    for index, name in enumerate(COLUMNS[kind], start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(name) * 3)
    notes = book.create_sheet("说明")
    notes.append(["列", "是否必填"])
    for name in COLUMNS[kind]:
        notes.append([name, "必填" if name in REQUIRED[kind] else "选填"])
    if kind == "observer":
        notes.append(["类别的取值", "、".join(org.OBSERVER_KINDS.values())])
    if kind == "department":
        notes.append(["责任委室", "填写委室的编码或名称"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
