"""Notifications (提醒): each signed-in person's own, with an unread count in the header."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from engine.errors import NotFound
from engine.permissions import can_view_instance
from engine.services import notifications
from web import numbers
from web.db import get_session

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def unread() -> dict:
    if not getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {"unread_notifications": notifications.unread_count(get_session(), current_user)}


@bp.get("/")
@login_required
def index():
    page = notifications.page_for(get_session(), current_user, numbers.arg("page") or 1)
    return render_template("notifications/index.html", page=page)


def target(session, notification) -> str:
    """Where a notification leads: its task (it was sent to who holds it), else its instance when the
    recipient may see it (a group's message may reach people with no part in it), else the list."""
    if notification.human_task_id is not None:
        return url_for("tasks.show", task_id=notification.human_task_id)
    if notification.instance_id is not None and can_view_instance(session, notification.instance_id, current_user):
        return url_for("instances.show", instance_id=notification.instance_id)
    return url_for(".index")


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    """Read it and go to what it is about (the task page checks, as always, who may see it)."""
    session = get_session()
    try:
        found = notifications.get_own(session, current_user, notification_id)
    except NotFound:
        abort(404)
    notifications.mark_read(session, current_user, notification_id)
    session.commit()
    return redirect(target(session, found))


@bp.post("/read")
@login_required
def read_all():
    notifications.mark_read(get_session(), current_user)
    get_session().commit()
    return redirect(url_for(".index"))
