"""Serving attachments to people who may see their instance."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_file
from flask_login import current_user, login_required

from engine.models import ProcessInstance
from engine.services import attachments
from web import auditor
from web.db import get_session

bp = Blueprint("files", __name__, url_prefix="/files")


def storage() -> Path:
    return Path(current_app.config["ATTACHMENTS_DIR"])


@bp.get("/<public_id>")
@login_required
def download(public_id: str):
    session = get_session()
    attachment = attachments.get(session, public_id, current_user)
    path = attachments.path_of(storage(), attachment)
    if not path.is_file():
        abort(404)
    if current_user.is_auditor:
        auditor.viewed("attachment", instance=session.get(ProcessInstance, attachment.instance_id),
                       attachment=attachment.public_id, filename=attachment.filename, sha256=attachment.sha256)
    inline = attachment.content_type.startswith(("image/", "application/pdf"))
    response = send_file(path, mimetype=attachment.content_type, as_attachment=not inline,
                         download_name=attachment.filename, conditional=True, max_age=0)
    response.headers["Content-Type"] = attachment.content_type  # as stored (send_file adds a second charset)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
