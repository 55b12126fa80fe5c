"""Small request-safety helpers: safe redirects, who may see what."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for

EMBEDDABLE = frozenset({"public"})  # the public notices may be shown inside the county's own site


def safe_next(target: str | None, default: str = "inbox.index") -> str:
    """A local path to go to after sign-in or a switch; anything else goes to `default`."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for(default)


def register(app: Flask) -> None:
    @app.after_request
    def protective_headers(response):
        """Browsers neither guess content types nor let another site frame a page that acts (a vote, a
        submitted task); behind HTTPS they are told to stay on it."""
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.blueprint not in EMBEDDABLE:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
