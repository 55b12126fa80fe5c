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
    """Flask-Login (0.6) with "strong" session protection that keeps its word.

    A session is bound to the browser and address it was signed in from. Flask-Login forgets to
    bind a session it restores from the remember-me cookie, so the next request took it for a
    stolen one: the user was signed out and the cookie deleted ("remember me" lasted one page). And
    it took every session without a signed-in user (a CSRF token on a public page) for a stolen
    one too, clearing it and sending both cookies again on every request."""

    def _load_user_from_remember_cookie(self, cookie):
        user = super()._load_user_from_remember_cookie(cookie)
        if user is not None:
            session["_id"] = self._session_identifier_generator()
        return user

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
login_manager.session_protection = "strong"
csrf = CSRFProtect()
babel = Babel()
# the storage comes from the configuration: counters shared in the database on PostgreSQL (web/rate_store.py)
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window")
