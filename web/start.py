"""Starting a process: the processes I may start, with their start forms."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import InvalidInput
from engine.services import instances, processes, tasks, views
from web import formkit
from web.db import get_session

bp = Blueprint("start", __name__, url_prefix="/start")


def _start_messages(errors: dict[str, str], data: dict) -> dict[str, str]:
    """The start checks' codes (engine/services/year_start.py) as messages naming the year."""
    year = data.get("year")
    texts = {"year_running": _("An evaluation of %(year)s is already running: continue that one (under Progress) "
                               "instead of starting another.", year=year),
             "year_not_planned": _("No approved term plan names departments for %(year)s: the term plan must "
                                   "list that year's departments and be approved first.", year=year)}
    return {path: texts.get(code, code) for path, code in errors.items()}


@bp.get("/")
@login_required
def index():
    return render_template("start/index.html", versions=instances.startable(get_session(), current_user))


@bp.route("/<process_id>", methods=["GET", "POST"])
@login_required
def form(process_id: str):
    session = get_session()
    version = processes.latest_version(session, process_id)
    if not instances.may_start(session, version, current_user):
        return render_template("errors/error.html", status=403, message=_("You may not start this process.")), 403
    spec = views.form_spec(session, version.id, version.start_form_key, version.start_ui_form_key, {})
    kit = formkit.FormKit(spec, request.form if request.method == "POST" else None, {})
    if request.method == "POST" and kit.validate():
        try:
            instance = instances.start_by_user(session, process_id, current_user, kit.data(),
                                               title=request.form.get("_title") or None)
        except InvalidInput as exc:
            session.rollback()
            kit.add_errors(_start_messages(exc.errors, kit.data()))
        else:
            following = tasks.next_task_for(session, current_user, instance.id)  # in the same transaction
            session.commit()
            flash(_("The process was started."), "success")
            if following is not None:
                return redirect(url_for("tasks.show", task_id=following.id))
            return redirect(url_for("instances.show", instance_id=instance.id))
    return render_template("start/form.html", version=version, kit=kit), 422 if request.method == "POST" else 200
