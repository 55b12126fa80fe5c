"""Flask extensions, created here and bound to the app in `create_app`."""
from __future__ import annotations

import flask_login
from flask import session
from flask_babel import Babel
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from web import rate_store  # noqa: F401  (registers the pingyi+db:// storage)


class LoginManager(flask_login.LoginManager):
    """Flask-Login (0.6), mended for anonymous sessions and for scripts; used with "basic" protection.

    Session protection is "basic": a session seen from another address or browser is only marked
    not fresh. "strong" signed the user out and deleted their remember-me cookie whenever a phone
    changed networks or a browser updated itself, losing a form being sent at that moment; and the
    address it checks comes from X-Forwarded-For, which any client can set. Sessions are guarded by
    HttpOnly, SameSite and (behind HTTPS) Secure cookies, and a password change ends all others.

    A session without a signed-in user (a CSRF token on a public page) has no one to protect:
    Flask-Login checked it all the same and rewrote its cookie."""

    def _session_protection_failed(self):
        return "_user_id" in session and super()._session_protection_failed()

    def unauthorized(self):
        """A script asking for JSON (the BPMN editor saving, a big screen polling) is told it was
        signed out; a fetch follows a redirect, and took the sign-in page for a success."""
        from web.errors import respond, wants_json  # web.errors needs the app's extensions

        if wants_json():
            return respond(401, _("You were signed out. Sign in again in another tab, then try again here."))
        return super().unauthorized()


login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "basic"
csrf = CSRFProtect()
babel = Babel()
# the storage comes from the configuration: counters shared in the database on PostgreSQL (web/rate_store.py)
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window")
