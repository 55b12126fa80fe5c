"""Error pages (in the user's language) and JSON problems for the API; never a stack trace."""
from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from engine.errors import EngineError
from web.db import get_session
from web.i18n import ERROR_MESSAGES

log = logging.getLogger("pingyi.web")

TITLES = {400: "Bad request", 401: "Signed out", 403: "Not allowed", 404: "Not found", 405: "Not allowed",
          409: "Conflict", 413: "Too large", 422: "Cannot be processed", 429: "Too many requests", 500: "Server error"}


def user_message(exc: EngineError) -> str:
    template = ERROR_MESSAGES.get(exc.code)
    if template is None:
        return _("The request could not be completed.")
    try:
        return str(template) % exc.params if "%(" in str(template) else str(template)
    except (KeyError, TypeError, ValueError):
        return str(template)


def _same_site(address: str | None) -> str | None:
    """The page one came from, when it is on this site (as a path: a link elsewhere is not followed)."""
    parts = urlsplit(address or "")
    if parts.netloc != request.host or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


# when the page itself cannot be drawn (it needs the database: the user, the inbox badge)
BARE = ("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{status}</title>"
        "<body style=\"font-family:sans-serif;margin:2rem\"><h1>服务器出错 · Server error</h1>"
        "<p>请稍后重试；如果仍然出错，请把下面的参考编号告诉管理员。</p>"
        "<p>Please try again later; if it goes on, tell the administrator the reference number below.</p>"
        "<p><code style=\"font-size:1.25rem\">{reference}</code></p><p><a href=\"/\">返回 · Back</a></p></body></html>")


def respond(status: int, message: str, reference: str | None = None, errors: dict | None = None,
            code: str | None = None):
    """The error answer: a page, or for the API and scripts JSON with `code` (what kind of problem,
    stable for programs: an engine error's code, else http_<status>) and `detail` (for people)."""
    try:
        get_session().rollback()
    except Exception:  # noqa: BLE001  (the database is what failed; the answer must still go out)
        log.warning("rollback failed while answering %s", status)
    if wants_json():
        body = {"status": status, "title": TITLES.get(status, "Error"), "code": code or f"http_{status}",
                "detail": message}
        if reference:
            body["reference"] = reference
        if errors:
            body["errors"] = errors
        return jsonify(body), status
    try:
        return render_template("errors/error.html", status=status, message=message, reference=reference,
                               back_to=_same_site(request.referrer)), status
    except Exception:  # noqa: BLE001
        reference = reference or secrets.token_hex(4).upper()
        log.exception("the error page failed too, reference %s", reference)
        return BARE.format(status=status, reference=reference), 500


def _unstorable():
    return respond(400, _("Some of the input cannot be stored (an invisible control character, or a number "
                          "out of range). Please check it and try again."))


def register(app: Flask) -> None:
    @app.errorhandler(EngineError)
    def engine_error(exc: EngineError):
        errors = getattr(exc, "errors", None)
        return respond(exc.status, user_message(exc), errors=errors, code=exc.code)

    @app.before_request
    def refuse_nul_characters():
        """Nobody types NUL; PostgreSQL cannot store it, so a form carrying one is refused before
        anything runs (the engine would otherwise fail half-way through a step)."""
        if request.method in ("GET", "HEAD", "OPTIONS") or not request.content_length:
            return None
        if request.is_json:
            carried = b"\\u0000" in request.get_data(cache=True) or b"\x00" in request.get_data(cache=True)
        else:
            carried = any("\x00" in value for _key, values in request.form.lists() for value in values)
        return _unstorable() if carried else None

    @app.errorhandler(DataError)
    def data_error(exc: DataError):  # e.g. PostgreSQL refuses NUL characters and numbers out of range
        return _unstorable()

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if exc.description == "The CSRF session token is missing.":  # the session ended under the open page
            return respond(400, _("This page was open too long, or you were signed out meanwhile, so it was not "
                                  "saved. Reload the page (sign in again if asked) and repeat it."))
        return respond(400, _("The form expired or was not sent from this site; please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            400: _("The request was not understood."),
            403: _("You may not see or do this."),
            404: _("This page does not exist."),
            405: _("This page cannot be used this way."),
            413: _("The upload is too large."),
        }
        if isinstance(exc, RateLimitExceeded):  # the window of the limit that was hit: a minute, or an hour
            window = exc.limit.limit.get_expiry()
            message = (_("Too many attempts; please wait a minute and try again.") if window <= 60 else
                       _("Too many attempts; please try again in up to %(minutes)d minutes.", minutes=window // 60))
            response = make_response(respond(429, message))
            response.headers["Retry-After"] = str(window)
            return response
        return respond(exc.code or 500, messages.get(exc.code, _("The request could not be completed.")))

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        if app.config.get("TESTING") and app.config.get("PROPAGATE_ERRORS", True):
            raise exc
        reference = secrets.token_hex(4).upper()
        log.exception("unhandled error, reference %s", reference)
        return respond(500, _("Something went wrong on our side. Please tell the administrator the reference "
                              "number below."), reference=reference)
