"""A minimal front page and a health check (the inbox and forms come with the inbox issue)."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import func, select, text

from engine.models import HumanTask, ProcessInstance, TaskState
from engine.services.processes import list_latest
from web.db import get_session

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    session = get_session()
    return render_template(
        "index.html",
        processes=list_latest(session),
        instances=session.scalar(select(func.count(ProcessInstance.id))),
        open_tasks=session.scalar(select(func.count(HumanTask.id)).where(HumanTask.state == TaskState.OPEN)),
    )


@bp.get("/healthz")
def healthz():
    get_session().execute(text("SELECT 1"))
    return jsonify(status="ok")
