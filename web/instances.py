"""Instances: the list of those one takes part in (进展), and the instance page: diagram with the
path so far, how far each department got, data, files, timeline; admin actions."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from engine import clock
from engine.errors import Conflict, EngineError, InvalidInput, NotFound
from engine.permissions import can_read_history
from engine.services import history, instances, progress, tasks, users, views
from web import auditor, documents, numbers
from web.db import get_session
from web.errors import user_message

bp = Blueprint("instances", __name__, url_prefix="/instances")


@bp.get("/")
@login_required
def index():
    """The instances I take part in (all of them for administrators and auditors), with their open steps."""
    page = progress.instances_for(get_session(), current_user, progress.InstanceQuery(
        show=request.args.get("show", "active"), search=request.args.get("q", ""), page=numbers.arg("page") or 1))
    auditor.viewed("instance_list", filters={"show": page.query.show, "search": page.query.search}, rows=len(page.rows))
    return render_template("instances/index.html", page=page, now=clock.now())


@bp.get("/<int:instance_id>")
@login_required
def show(instance_id: int):
    session = get_session()
    page = views.instance_page(session, instance_id, current_user)
    auditor.viewed("instance", instance=page.instance, title=page.instance.title)
    views_by_auditors = history.count_views(session, instance_id) if can_read_history(current_user) else None
    takers = users.task_takers(session) if current_user.is_admin and page.open_tasks else []
    return render_template("instances/show.html", page=page, views_by_auditors=views_by_auditors, takers=takers)


@bp.get("/<int:instance_id>/progress.xlsx")
@login_required
def progress_workbook(instance_id: int):
    """The progress table as Excel: a row per department, a column per step, what stands in each."""
    instance, grid = views.progress_of(get_session(), instance_id, current_user)
    if grid is None:
        abort(404)
    auditor.viewed("export", export="progress", format="xlsx", instance=instance, title=instance.title)
    header = [_("Branch"), *(name for _element, name in grid.columns)]
    rows = [[row.label, *(cell_text(row.cells.get(element)) for element, _name in grid.columns)] for row in grid.rows]
    content = documents.workbook(_("Progress"), header, rows, widths=[24] + [22] * len(grid.columns))
    return documents.send(content, f"{instance.title or instance.id}-{_('Progress')}.xlsx")


def cell_text(cell: progress.Cell | None) -> str:
    """What a table cell says, as words (for the spreadsheet)."""
    if cell is None:
        return ""
    day = format_datetime(cell.moment, "yyyy-MM-dd") if cell.moment else ""
    said = {progress.DONE: _("done %(date)s", date=day), progress.LATE: _("done late %(date)s", date=day),
            progress.OPEN: _("due %(date)s", date=day) if day else _("to do"),
            progress.OVERDUE: _("overdue since %(date)s", date=day),
            progress.ENDED: _("ended by the process")}[cell.state]
    if cell.who:
        said += f"（{cell.who}）"
    if cell.rounds > 1:
        said += " · " + _("%(n)s rounds", n=cell.rounds)
    return said


@bp.get("/<int:instance_id>/diagram.bpmn")
@login_required
def diagram(instance_id: int):
    xml = views.bpmn_xml(get_session(), instance_id, current_user)
    return Response(xml, mimetype="application/xml")


ACTIONS = {
    "suspend": (instances.suspend, _l("The process was suspended.")),
    "resume": (instances.resume, _l("The process was resumed.")),
    "terminate": (instances.terminate, _l("The process was terminated.")),
    "retry": (lambda s, i, a, r: instances.retry(s, i, a, reason=r), _l("The failed step was run again.")),
}


def _back(instance_id: int, message: str, category: str = "danger"):
    """Back to the instance page, saying what happened (a refusal leaves nothing changed)."""
    if category == "danger":
        get_session().rollback()
    flash(message, category)
    return redirect(url_for("instances.show", instance_id=instance_id))


def _refusal(exc: EngineError) -> str:
    if isinstance(exc, InvalidInput) and "reason" in exc.errors:
        return _("Give a reason: it is kept in the history.")
    return user_message(exc)


@bp.post("/<int:instance_id>/<action>")
@login_required
def act(instance_id: int, action: str):
    if action not in ACTIONS:
        return redirect(url_for("instances.show", instance_id=instance_id))
    service, done = ACTIONS[action]
    session = get_session()
    try:
        instance = service(session, instance_id, current_user, request.form.get("reason"))
    except (InvalidInput, Conflict) as exc:
        return _back(instance_id, _refusal(exc))
    session.commit()
    if action == "retry" and instance.status == "error":  # run again, failed again: the page shows where
        return _back(instance_id, _("The step was run again and failed again; see the error below."), "warning")
    return _back(instance_id, str(done), "success")


@bp.post("/<int:instance_id>/tasks/<int:task_id>/reassign")
@login_required
def reassign(instance_id: int, task_id: int):
    session = get_session()
    username = request.form.get("username", "").strip()
    try:  # the service says who may (an administrator, or the holder to another candidate)
        tasks.reassign(session, task_id, username, current_user, request.form.get("reason"))
    except NotFound as exc:
        if "user" not in exc.params:
            raise
        return _back(instance_id, _("No account has the user name %(name)s.", name=username))
    except InvalidInput as exc:
        if exc.errors.get("assignee") == "inactive":
            return _back(instance_id, _("%(name)s cannot take tasks: the account is stopped, or it is an "
                                        "auditor's.", name=username))
        return _back(instance_id, _refusal(exc))
    except Conflict as exc:
        return _back(instance_id, _refusal(exc))
    session.commit()
    return _back(instance_id, _("The task was reassigned."), "success")
