"""Word (.docx) and Excel (.xlsx) versions of what the evaluation produces, for the office's files.

Built with python-docx and openpyxl from the same data as the pages: a ballot's result sheet, the
year's ranking and a term plan. Chinese text is set in 宋体 (titles in 黑体), tables in a grid, A4.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask import send_file
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from engine.services.attachments import sanitise_name

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BODY_FONT, TITLE_FONT = "宋体", "黑体"


def _text(value: str) -> str:
    """What XML may hold: a control character a citizen typed would stop the whole file."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _font(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run_or_style.font.name = name
    run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # Chinese glyphs
    if size is not None:
        run_or_style.font.size = Pt(size)
    if bold is not None:
        run_or_style.font.bold = bold


def word(title: str, subtitle: str | None = None) -> Document:
    """An A4 document with its title (and subtitle) centred."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    _font(document.styles["Normal"], BODY_FONT, 12)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(_text(title)), TITLE_FONT, 18, bold=True)
    if subtitle:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(line.add_run(_text(subtitle)), BODY_FONT, 14)
    return document


def paragraph(document: Document, text: str, bold: bool = False, size: float | None = None) -> None:
    _font(document.add_paragraph().add_run(_text(text)), BODY_FONT, size, bold=bold)


def table(document: Document, header: Sequence[str] | None, rows: Sequence[Sequence[object]],
          numeric_from: int | None = None) -> None:
    """A grid; a header row in bold; columns from `numeric_from` on aligned right."""
    body = [list(header)] if header else []
    body += [["" if value is None else _text(str(value)) for value in row] for row in rows]
    if not body:
        return
    grid = document.add_table(rows=len(body), cols=len(body[0]))
    grid.style = "Table Grid"
    for r, values in enumerate(body):
        for c, value in enumerate(values):
            cell = grid.cell(r, c).paragraphs[0]
            if numeric_from is not None and c >= numeric_from and (r > 0 or not header):
                cell.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(cell.add_run(value), BODY_FONT, 10.5, bold=bool(header) and r == 0)
    document.add_paragraph()


def workbook(title: str, header: Sequence[str], rows: Sequence[Sequence[object]],
             widths: Sequence[int] = ()) -> bytes:
    """One sheet: a bold header row kept in view, the rows as given (numbers stay numbers)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, values in enumerate(rows, start=2):
        line = [_text(value) if isinstance(value, str) else value for value in values]
        sheet.append(line)
        # the row just added, named by number: sheet.max_row scans every cell, once per row
        for cell in next(sheet.iter_rows(min_row=number, max_row=number, max_col=max(1, len(line)))):
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text someone typed, never a formula Excel would run
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def send(content: bytes | Document, filename: str):
    """The file as a download under its Chinese name (never cached: it may change with the next count)."""
    filename = sanitise_name(filename.replace("/", " ").replace("\\", " "))  # a title is no path
    if isinstance(content, bytes):
        data, mimetype = content, XLSX
    else:
        buffer = io.BytesIO()
        content.save(buffer)
        data, mimetype = buffer.getvalue(), DOCX
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
