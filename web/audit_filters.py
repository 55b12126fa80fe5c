"""Reading the audit pages' filters from the query string (bad values are ignored, never an error),
and the translated words the pages and the exports share."""
from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.models import InstanceStatus
from engine.permissions import require_history_reader
from engine.services import exports
from engine.services.history import EventFilter
from engine.services.instance_list import InstanceFilter
from web import numbers
from web.i18n import EVENT_NAMES


@login_required
def readers_only():
    """before_request of the audit blueprints: auditors and administrators."""
    require_history_reader(current_user)


EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)  # dates and years outside are no filter at all
# The query parameters the pages carry into their page, export and report links (nothing else)
FILTERS = ("process", "department", "year", "actor", "type", "since", "until", "instance", "status", "q",
           "per_page")


def text(name: str, limit: int = 128) -> str | None:
    return (request.args.get(name) or "").replace("\x00", "").strip()[:limit] or None


def year() -> int | None:
    return numbers.year_arg("year", EARLIEST.year, LATEST.year)


def _date(name: str) -> date | None:
    try:
        found = date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None
    return found if EARLIEST <= found <= LATEST else None


def event_filter() -> EventFilter:
    return EventFilter(process_id=text("process", 255), department=text("department"), year=year(),
                       actor=text("actor"), event_type=text("type", 64), since=_date("since"),
                       until=_date("until"), instance_id=numbers.arg("instance"))


def instance_filter() -> InstanceFilter:
    status = text("status", 16)
    return InstanceFilter(process_id=text("process", 255), status=status if status in set(InstanceStatus) else None,
                          year=year(), department=text("department"), search=text("q", 100))


def event_types() -> list[tuple[str, str]]:
    return sorted(((key, str(name)) for key, name in EVENT_NAMES.items()), key=lambda pair: pair[1])


def status_names() -> dict[str, str]:
    return {"running": _("running"), "waiting": _("waiting"), "completed": _("completed"),
            "suspended": _("suspended"), "terminated": _("terminated"), "error": _("error")}


def export_words() -> exports.Words:
    columns = {
        "seq": _("No."), "time": _("Time (Beijing)"), "event": _("Event"), "event_type": _("Event type"),
        "actor": _("Actor"), "instance": _("Instance"), "process": _("Process"), "task": _("Task"),
        "element": _("Element"), "reason": _("Reason"), "before": _("Before"), "after": _("After"),
        "details": _("Details"), "hash": _("Hash"), "integrity": _("Integrity"), "id": _("Instance"),
        "version": _("Version"), "title": _("Title"), "business_key": _("Business key"), "status": _("Status"),
        "started_by": _("Started by"), "started_at": _("Started"), "ended_at": _("Ended"),
        "updated_at": _("Last change")}
    return exports.Words(columns=columns, event_names={k: str(v) for k, v in EVENT_NAMES.items()},
                         intact=_("intact"), tampered=_("TAMPERED"))


def query_args() -> dict:
    """The current filters, to carry into page, export and report links (without the page position)."""
    return {k: v for k, v in request.args.items() if k in FILTERS and v}
