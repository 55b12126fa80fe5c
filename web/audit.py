"""The auditors' pages (auditors and administrators): the history search over every event, one
event in full, the list of all instances, who touched a department's evaluation, and the check
of the hash chain. Everything here reads; what an auditor looks at is itself recorded."""
from __future__ import annotations

import time
from dataclasses import asdict

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from engine import audit as audit_chain
from engine.services import history, instance_list, who_touched
from engine.services.processes import list_latest
from web import audit_filters, auditor, numbers
from web.db import get_session, session_factory

bp = Blueprint("audit", __name__, url_prefix="/audit")
PROBLEMS = {
    "missing": _l("Events before it are missing (they were deleted)."),
    "link": _l("Its link to the event before it does not match: an earlier event was changed or replaced."),
    "content": _l("Its content does not match its hash: the row was edited."),
    "removed": _l("The chain ends before the last recorded event: events at the end were removed."),
    "replaced": _l("The last event is not the one recorded as the last: it was replaced."),
    "added": _l("Events were added after the recorded end of the chain."),
}
bp.before_request(audit_filters.readers_only)


def _per_page() -> int:
    return numbers.arg("per_page") or 50


@bp.get("/")
def index():
    session = get_session()
    f = audit_filters.event_filter()
    page = history.search(session, f, before=numbers.arg("before"), after=numbers.arg("after"),
                          per_page=_per_page())
    auditor.viewed("history_search", filters=f.as_details(), rows=len(page.entries))
    return render_template("audit/index.html", f=f, page=page, processes=list_latest(session),
                           event_types=audit_filters.event_types(), query=audit_filters.query_args())


@bp.get("/events/<int:seq>")
def event(seq: int):
    session = get_session()
    detail = history.event_detail(session, seq)
    auditor.viewed("event", seq=seq, event_type=detail.entry.event.event_type,
                   event_instance=detail.entry.event.instance_id)
    return render_template("audit/event.html", detail=detail, e=detail.entry.event)


@bp.get("/instances")
def instances():
    session = get_session()
    f = audit_filters.instance_filter()
    page = instance_list.page(session, f, before=numbers.arg("before"), per_page=_per_page())
    auditor.viewed("instance_list", filters=f.as_details(), rows=len(page.rows))
    return render_template("audit/instances.html", f=f, page=page, processes=list_latest(session),
                           statuses=audit_filters.status_names(), query=audit_filters.query_args())


@bp.get("/report")
def report():
    department = audit_filters.text("department") or ""
    year = audit_filters.year()
    found = None
    if department:
        found = who_touched.who_touched(get_session(), department, year)
        auditor.viewed("report", department=department, year=year, people=len(found.people))
    return render_template("audit/report.html", report=found, department=department, year=year)


STEP_SECONDS = 2.0  # one request checks about this long, then the page continues where it stopped
STEP_BATCH = 5000  # events read per statement


@bp.get("/verify")
def verify():
    """GET runs the check (auditors send no forms); it reads in batches without holding a lock.

    A long chain is checked in steps of about STEP_SECONDS: each step's page carries where the walk
    stands (signed, so it cannot be edited into a shortcut) and goes on to the next step by itself."""
    result = progress = None
    if request.args.get("run"):
        get_session().commit()  # the request's own transaction would hold SQLite's lock meanwhile
        state, began = _continued()
        with session_factory()() as session:
            if state is None:
                state = audit_chain.begin(session, release=True)
            state, broken, done = audit_chain.walk(session, state, batch=STEP_BATCH, release=True,
                                                   until=time.monotonic() + STEP_SECONDS)
        if done:
            result = {"count": state.checked, "broken": broken, "seconds": time.time() - began}
            auditor.viewed("verify", events=state.checked, broken_at=broken.seq if broken else None)
        else:
            progress = {"checked": state.checked, "total": state.head_seq,
                        "token": _signer().dumps({"walk": asdict(state), "began": began})}
    return render_template("audit/verify.html", result=result, progress=progress, problems=PROBLEMS)


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="audit-verify")


def _continued() -> tuple[audit_chain.Walk | None, float]:
    """Where the previous step stopped and when the check began; (None, now) for a new check (also
    when the step's token is not one this server signed)."""
    token = request.args.get("step")
    if token:
        try:
            saved = _signer().loads(token)
            return audit_chain.Walk(**saved["walk"]), float(saved["began"])
        except (BadSignature, KeyError, TypeError, ValueError):
            pass
    return None, time.time()
