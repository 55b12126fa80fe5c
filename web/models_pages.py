"""The deployed process models: a list, and each version's diagram (read-only; any signed-in user
may see how the evaluation runs). Administrators see every version with its changes and
instances instead (web/process_admin.py)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

from engine.services import processes
from web import process_admin
from web.db import get_session

bp = Blueprint("models", __name__, url_prefix="/processes")


@bp.get("/")
@login_required
def index():
    if current_user.is_admin:
        return process_admin.admin_index()
    return render_template("models/index.html", versions=processes.list_latest(get_session()))


@bp.get("/<process_id>/")
@bp.get("/<process_id>/v<int:number>")
@login_required
def show(process_id: str, number: int | None = None):
    return process_admin.render_version(process_id, number)


@bp.get("/<process_id>/v<int:number>.bpmn")
@login_required
def xml(process_id: str, number: int):
    version = next((v for v in processes.versions_of(get_session(), process_id) if v.version == number), None)
    if version is None:
        abort(404)
    return Response(version.bpmn_xml, mimetype="application/xml")
