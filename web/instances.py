"""The instance page: diagram with the path so far, data, files, timeline; admin actions."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from engine.permissions import can_read_history
from engine.services import history, instances, tasks, views
from web import auditor
from web.db import get_session

bp = Blueprint("instances", __name__, url_prefix="/instances")


@bp.get("/<int:instance_id>")
@login_required
def show(instance_id: int):
    session = get_session()
    page = views.instance_page(session, instance_id, current_user)
    auditor.viewed("instance", instance=page.instance, title=page.instance.title)
    views_by_auditors = history.count_views(session, instance_id) if can_read_history(current_user) else None
    return render_template("instances/show.html", page=page, views_by_auditors=views_by_auditors)


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


@bp.post("/<int:instance_id>/<action>")
@login_required
def act(instance_id: int, action: str):
    if action not in ACTIONS:
        return redirect(url_for("instances.show", instance_id=instance_id))
    service, done = ACTIONS[action]
    session = get_session()
    service(session, instance_id, current_user, request.form.get("reason"))
    session.commit()
    flash(str(done), "success")
    return redirect(url_for("instances.show", instance_id=instance_id))


@bp.post("/<int:instance_id>/tasks/<int:task_id>/reassign")
@login_required
def reassign(instance_id: int, task_id: int):
    session = get_session()
    tasks.reassign(session, task_id, request.form.get("username", "").strip(), current_user, request.form.get("reason"))
    session.commit()
    flash(_("The task was reassigned."), "success")
    return redirect(url_for("instances.show", instance_id=instance_id))
