"""Small request-safety helpers: safe redirects, who may see what."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for

EMBEDDABLE = frozenset({"public"})  # the public notices may be shown inside the county's own site


def safe_next(target: str | None, default: str = "inbox.index") -> str:
    """A local path to go to after sign-in or a switch; anything else goes to `default`."""
    if target and not any(ord(c) < 0x20 or ord(c) == 0x7f for c in target):  # urlsplit drops tabs and line breaks
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for(default)


# Scripts come only from this site's files (no inline script or handler anywhere; JSON blocks are data),
# so text a citizen or a model author wrote cannot run even if a template ever failed to escape it.
# Inline styles stay allowed: bpmn-js and a few templates set them, and a style cannot run code.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'")


def register(app: Flask) -> None:
    @app.after_request
    def protective_headers(response):
        """Browsers neither guess content types, nor run script from anywhere but this site's files, nor
        let another site frame a page that acts (a vote, a submitted task); behind HTTPS they are told
        to stay on it."""
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.blueprint not in EMBEDDABLE:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY + "; frame-ancestors 'self'")
        else:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
