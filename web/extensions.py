"""Flask extensions, created here and bound to the app in `create_app`."""
from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from web import rate_store  # noqa: F401  (registers the pingyi+db:// storage)

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
csrf = CSRFProtect()
babel = Babel()
# the storage comes from the configuration: counters shared in the database on PostgreSQL (web/rate_store.py)
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window")
