"""Downloads for auditors and administrators: the events of a history search and the instance
list as CSV or Excel, streamed while they are read; an instance's dossier as a ZIP."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, Response, current_app
from sqlalchemy.orm import Session

from engine import clock
from engine.dates import LOCAL_TZ
from engine.models import ProcessInstance
from engine.services import exports, history, instance_list
from web import audit_filters, auditor, dossier
from web.db import get_session, session_factory

bp = Blueprint("audit_exports", __name__, url_prefix="/audit")
bp.before_request(audit_filters.readers_only)

TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "zip": "application/zip"}


def _download(body, kind: str, stem: str) -> Response:
    stamp = clock.now().astimezone(LOCAL_TZ).strftime("%Y%m%d-%H%M%S")
    response = Response(body, content_type=TYPES[kind], direct_passthrough=True)  # (mimetype= adds a charset)
    response.headers["Content-Disposition"] = f'attachment; filename="pingyi-{stem}-{stamp}.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Accel-Buffering"] = "no"  # a reverse proxy passes the stream on as it comes
    return response


def _release(session: Session) -> None:
    """End the request's transaction before streaming: the stream reads with its own short ones."""
    session.commit()


@bp.get("/events.<any(csv, xlsx):kind>")
def events(kind: str):
    session = get_session()
    f = audit_filters.event_filter()
    where = history.conditions(session, f)
    words = audit_filters.export_words()
    auditor.viewed("export", export="events", format=kind, filters=f.as_details())
    _release(session)
    rows = (exports.event_row(e, words, json_text=True) for e in history.iter_events(session_factory(), where))
    return _download(exports.stream(kind, "events", words.header(exports.EVENT_FIELDS), rows), kind, "events")


@bp.get("/instances.<any(csv, xlsx):kind>")
def instances(kind: str):
    session = get_session()
    f = audit_filters.instance_filter()
    where = instance_list.conditions(session, f)
    words, statuses = audit_filters.export_words(), audit_filters.status_names()
    auditor.viewed("export", export="instances", format=kind, filters=f.as_details())
    _release(session)
    rows = (exports.instance_row(r, statuses) for r in instance_list.iter_rows(session_factory(), where))
    return _download(exports.stream(kind, "instances", words.header(exports.INSTANCE_FIELDS), rows),
                     kind, "instances")


@bp.get("/instances/<int:instance_id>/dossier.zip")
def instance_dossier(instance_id: int):
    session = get_session()
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- closed, and so deleted, by dossier.stream_file
    try:
        dossier.build(session, instance_id, Path(current_app.config["ATTACHMENTS_DIR"]), handle)
        instance = session.get(ProcessInstance, instance_id)
        auditor.viewed("dossier", instance=instance, title=instance.title)
        _release(session)
    except BaseException:
        handle.close()
        raise
    return _download(dossier.stream_file(handle), "zip", f"instance-{instance_id}")
