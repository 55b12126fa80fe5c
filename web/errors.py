"""Error pages (in the user's language) and JSON problems for the API; never a stack trace."""
from __future__ import annotations

import logging
import secrets

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine.errors import EngineError
from web.db import get_session
from web.i18n import ERROR_MESSAGES

log = logging.getLogger("pingyi.web")

TITLES = {400: "Bad request", 403: "Not allowed", 404: "Not found", 405: "Not allowed", 409: "Conflict",
          413: "Too large", 422: "Cannot be processed", 429: "Too many requests", 500: "Server error"}


def user_message(exc: EngineError) -> str:
    template = ERROR_MESSAGES.get(exc.code)
    if template is None:
        return _("The request could not be completed.")
    try:
        return str(template) % exc.params if "%(" in str(template) else str(template)
    except (KeyError, TypeError, ValueError):
        return str(template)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def respond(status: int, message: str, reference: str | None = None, errors: dict | None = None):
    get_session().rollback()
    if _wants_json():
        body = {"status": status, "title": TITLES.get(status, "Error"), "detail": message}
        if reference:
            body["reference"] = reference
        if errors:
            body["errors"] = errors
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message, reference=reference), status


def register(app: Flask) -> None:
    @app.errorhandler(EngineError)
    def engine_error(exc: EngineError):
        errors = getattr(exc, "errors", None)
        return respond(exc.status, user_message(exc), errors=errors)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return respond(400, _("The form expired or was not sent from this site; please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            400: _("The request was not understood."),
            403: _("You may not see or do this."),
            404: _("This page does not exist."),
            405: _("This page cannot be used this way."),
            413: _("The upload is too large."),
            429: _("Too many attempts; please wait a minute and try again."),
        }
        return respond(exc.code or 500, messages.get(exc.code, _("The request could not be completed.")))

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        if app.config.get("TESTING") and app.config.get("PROPAGATE_ERRORS", True):
            raise exc
        reference = secrets.token_hex(4).upper()
        log.exception("unhandled error, reference %s", reference)
        return respond(500, _("Something went wrong on our side. Please tell the administrator the reference "
                              "number below."), reference=reference)
