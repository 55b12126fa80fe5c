"""The deployed process models: a list, and each version's diagram (read-only; any signed-in user
may see how the evaluation runs)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import login_required

from engine.services import processes
from web.db import get_session

bp = Blueprint("models", __name__, url_prefix="/processes")


@bp.get("/")
@login_required
def index():
    return render_template("models/index.html", versions=processes.list_latest(get_session()))


def _version(process_id: str, number: int | None):
    versions = processes.versions_of(get_session(), process_id)
    chosen = versions[-1] if versions and number is None else next(
        (v for v in versions if v.version == number), None)
    if chosen is None:
        abort(404)
    return chosen, versions


@bp.get("/<process_id>/")
@bp.get("/<process_id>/v<int:number>")
@login_required
def show(process_id: str, number: int | None = None):
    version, versions = _version(process_id, number)
    return render_template("models/show.html", version=version, versions=versions)


@bp.get("/<process_id>/v<int:number>.bpmn")
@login_required
def xml(process_id: str, number: int):
    version, _versions = _version(process_id, number)
    return Response(version.bpmn_xml, mimetype="application/xml")
