"""The rectification ledger (整改台账) of a year: a page and its Excel copy (engine/services/ledger.py)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.services import ledger
from web import auditor, documents, numbers
from web.db import get_session

bp = Blueprint("ledger", __name__, url_prefix="/ledger")


def _year_and_entries(session):
    return ledger.year_ledger(session, current_user, numbers.year_arg())


@bp.get("/")
@login_required
def index():
    years, year, entries = _year_and_entries(get_session())
    auditor.viewed("ledger", year=year, rows=len(entries))
    return render_template("ledger/index.html", years=years, year=year, entries=entries)


@bp.get("/ledger.xlsx")
@login_required
def workbook():
    years, year, entries = _year_and_entries(get_session())
    auditor.viewed("export", export="ledger", format="xlsx", year=year, rows=len(entries))
    header = [_("Department"), _("Problem"), _("What the opinions ask"), _("Measures"), _("Deadline"),
              _("Responsible"), _("Status"), _("Evidence"), _("Reported on")]
    rows = [[e.department, e.problem, e.target, e.measures, e.deadline, e.responsible,
             e.status or _("not yet reported"), e.evidence,
             format_day(e.reported_at)] for e in entries]
    content = documents.workbook(str(year or ""), header, rows, widths=(16, 30, 24, 36, 12, 12, 12, 30, 12))
    return documents.send(content, f"{year or ''}{_('Rectification ledger')}.xlsx")


def format_day(moment) -> str:
    return format_datetime(moment, "yyyy-MM-dd") if moment else ""
