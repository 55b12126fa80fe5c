"""The health check (the front page is the inbox)."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from web.db import get_session

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz():
    get_session().execute(text("SELECT 1"))
    return jsonify(status="ok")
