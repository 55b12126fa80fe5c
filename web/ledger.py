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
    missing = {e.department for e in entries if e.plan_task_id is None}
    overdue = {e.department for e in entries if e.overdue}
    return render_template("ledger/index.html", years=years, year=year, entries=entries,
                           missing=len(missing), overdue=len(overdue))


@bp.get("/ledger.xlsx")
@login_required
def workbook():
    years, year, entries = _year_and_entries(get_session())
    auditor.viewed("export", export="ledger", format="xlsx", year=year, rows=len(entries))
    header = [_("Department"), _("Problem"), _("What the opinions ask"), _("Rectification deadline"), _("Measures"),
              _("Deadline"), _("Responsible"), _("Status"), _("Overdue"), _("Evidence"), _("Reported on")]
    rows = [[e.department, e.problem, e.target, e.opinion_deadline, e.measures, e.deadline, e.responsible,
             status(e), overdue(e), e.evidence, format_day(e.reported_at)] for e in entries]
    content = documents.workbook(str(year or ""), header, rows,
                                 widths=(16, 30, 24, 12, 36, 12, 12, 12, 20, 30, 12))
    return documents.send(content, f"{year or ''}{_('Rectification ledger')}.xlsx")


def status(entry) -> str:
    if entry.plan_task_id is None:
        return _("no plan handed in")
    return entry.status or _("not yet reported")


def overdue(entry) -> str:
    return _("overdue since %(date)s", date=format_day(entry.overdue_since)) if entry.overdue else ""


def format_day(moment) -> str:
    return format_datetime(moment, "yyyy-MM-dd") if moment else ""
