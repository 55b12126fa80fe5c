"""Importing organisation data from .xlsx or .csv, and the template workbook of each kind.
Nothing is stored when any row is wrong; the page lists each problem with its row and column."""
from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from engine.services import org_import
from web.db import get_session
from web.org import require_manage, tab_of
from web.org_forms import LINK_EXISTING, TABS, error_text

bp = Blueprint("org_import", __name__, url_prefix="/org")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {"departments": "部门", "offices": "责任委室", "members": "常委会组成人员", "deputies": "人大代表",
                  "observers": "列席单位"}


class UploadForm(FlaskForm):
    file = FileField(_l("File (.xlsx or .csv)"), validators=[FileRequired(_l("Choose a file."))])
    link_existing = BooleanField(LINK_EXISTING)


@bp.route("/<tab>/import", methods=["GET", "POST"])
@login_required
def upload(tab: str):
    require_manage()
    found = tab_of(tab)
    form, problems = UploadForm(), []
    if form.validate_on_submit():
        session = get_session()
        upload = form.file.data
        content = upload.read(org_import.MAX_BYTES + 1)
        try:
            summary = org_import.import_file(session, found.kind, upload.filename or "", content, current_user,
                                             link_existing=found.is_person and form.link_existing.data)
        except org_import.ImportRefused as exc:
            session.rollback()
            problems = [{"row": e.row, "column": e.column, "message": error_text(e.code, e.field), "value": e.value}
                        for e in exc.rows]
        else:
            session.commit()
            flash(_("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.", **summary) +
                  (_(" Linked to existing accounts: %(linked)s.", **summary) if summary["linked"] else ""), "success")
            return redirect(url_for("org.listing", tab=tab))
    status = 422 if problems or form.errors else 200
    return render_template("org/import.html", tab=tab, spec=found, form=form, problems=problems,
                           columns=list(org_import.COLUMNS[found.kind]),
                           required=org_import.REQUIRED[found.kind], tabs=TABS), status


@bp.get("/<tab>/template.xlsx")
@login_required
def template(tab: str):
    require_manage()
    found = tab_of(tab)
    return send_file(io.BytesIO(org_import.template(found.kind)), mimetype=XLSX, as_attachment=True,
                     download_name=f"{TEMPLATE_NAMES[tab]}导入模板.xlsx", max_age=0)
