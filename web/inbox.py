"""The inbox: my work, my groups' unclaimed work, and what I completed."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from engine.services import ballots, instances
from engine.services import inbox as inbox_service
from engine.services.processes import list_latest
from web import numbers
from web.db import get_session

bp = Blueprint("inbox", __name__)


@bp.get("/")
@login_required
def index():
    query = inbox_service.InboxQuery(
        tab=request.args.get("tab", "mine"), search=request.args.get("q", ""),
        process_id=request.args.get("process") or None, due=request.args.get("due") or None,
        sort=request.args.get("sort", "due"), page=numbers.arg("page") or 1,
        per_page=numbers.arg("per_page") or 20)
    session = get_session()
    page = inbox_service.inbox(session, current_user, query)
    return render_template("inbox/index.html", page=page, processes=list_latest(session),
                           open_ballots=ballots.my_open_ballots(session, current_user))


def register_context(app) -> None:
    @app.context_processor
    def badge():
        if getattr(current_user, "is_authenticated", False):
            session = get_session()
            return {"my_task_count": inbox_service.count_mine(session, current_user)
                    + ballots.count_my_open_ballots(session, current_user),
                    "may_see_ballots": ballots.may_see_results(current_user),
                    "may_start": instances.may_start_any(session, current_user)}
        return {"my_task_count": 0, "may_see_ballots": False, "may_start": False}
