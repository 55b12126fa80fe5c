"""The public pages (公开), without signing in: what the congress published, year by year.

/public/                 the years with publications, newest first
/public/<year>/          that year's notice, results, rectification and other publications
/public/p/<public_id>    one publication, printable; a notice shows each department's 评议码 inline

Pages may be cached by browsers and proxies for a minute (a withdrawal shows within that time).
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, abort, render_template, session
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from engine import dates
from engine.errors import EngineError
from engine.services import publications
from web import opinion_kit as kit
from web.db import get_session

bp = Blueprint("public", __name__, url_prefix="/public")
MAX_AGE = 60

KINDS = {"notice": _l("Public notice"), "results": _l("Evaluation results"),
         "rectification": _l("Rectification"), "other": _l("Other publications")}
ITEM_STATUSES = {"done": _l("Done"), "in_progress": _l("In progress"), "not_started": _l("Not started"),
                 "planned": _l("Planned")}


def show_date(value) -> str:
    """A date or date-time (or its ISO text) in the reader's language; other text as it is."""
    if value in (None, ""):
        return ""
    try:
        moment = dates.parse(value)
    except (TypeError, ValueError):
        return str(value)
    if isinstance(moment, datetime):
        return format_datetime(moment, "medium")
    return format_date(moment, "long")


def day(moment: datetime) -> str:
    """The day of a stored moment, in Beijing time."""
    return format_date(moment, "long")


def safe_link(value) -> str | None:
    """Only web addresses and paths of this site become links (never javascript: and the like)."""
    text = str(value or "").strip()
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return text
    if not parts.scheme and not parts.netloc and text.startswith("/") and not text.startswith("//") \
            and "\\" not in text:
        return text
    return None


def opinion_code(department: dict) -> tuple[str, str] | None:
    """(address, inline SVG) of a notice department's 评议码, when the notice names its channel."""
    slug = str(department.get("slug") or "").strip()
    if not slug:
        return None
    url = kit.public_url("opinions_public.channel_form", slug=slug)
    return url, kit.qr_inline(url)


def helpers() -> dict:
    return {"KINDS": KINDS, "ITEM_STATUSES": ITEM_STATUSES, "show_date": show_date, "day": day, "safe_link": safe_link,
            "opinion_code": opinion_code}


bp.context_processor(helpers)


@bp.after_request
def cache_briefly(response):
    """Anyone may keep a page for a minute, unless this response changes the visitor's session."""
    if response.status_code == 200:
        response.headers["Cache-Control"] = "private, no-store" if session.modified else f"public, max-age={MAX_AGE}"
    return response


def notice(status: int, message: str):
    get_session().rollback()
    return render_template("public/notice.html", message=message, status=status), status


@bp.errorhandler(EngineError)
def engine_error(exc: EngineError):
    return notice(exc.status, _("This publication does not exist.") if exc.code == "not_found"
                  else _("The request could not be completed."))


@bp.errorhandler(404)
def not_found(exc: HTTPException):
    return notice(404, _("This page does not exist."))


@bp.get("/")
def index():
    return render_template("public/index.html", years=publications.years(get_session()))


@bp.get("/<int:year>/")
def year(year: int):
    found = publications.for_year(get_session(), year)
    if not found:
        abort(404)
    return render_template("public/year.html", year=year, groups=publications.grouped(found))


@bp.get("/p/<public_id>")
def publication(public_id: str):
    found = publications.get(get_session(), public_id)
    return render_template("public/publication.html", p=found, body=found.body or {})
