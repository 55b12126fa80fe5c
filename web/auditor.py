"""Auditors read everything and change nothing.

A global guard refuses every request that could change something (any method but GET, HEAD and
OPTIONS) from a signed-in auditor with 403, whatever the route, before its view runs; the only
exceptions are signing out, changing one's own password and marking one's own notifications read
(switching the language is a GET).
The per-route checks in the services stay as a second line. The JSON API refuses auditors' tokens
the same way (web/api.py). What an auditor looks at is recorded as an `auditor_viewed` event
(`viewed`): instances, tasks, attachments, dossiers, exports and history searches.
"""
from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from engine.errors import PermissionDenied
from engine.permissions import can_read_history
from engine.services import history
from web.db import get_session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Endpoints an auditor may still send a form to: they change nothing but the auditor's own session, password
# or notifications (marked read).
ALLOWED = frozenset({"auth.logout", "auth.password", "notifications.open_one", "notifications.read_all"})


def signed_in_auditor() -> bool:
    return bool(getattr(current_user, "is_authenticated", False) and current_user.is_auditor)


def may_change(method: str, endpoint: str | None, user) -> bool:
    """Whether `user` may send a `method` request to `endpoint` at all (auditors: reads only)."""
    if method in SAFE_METHODS or endpoint in ALLOWED:
        return True
    return not (user is not None and getattr(user, "is_auditor", False))


def viewed(what: str, *, user=None, instance=None, task=None, **details) -> None:
    """Record that an auditor viewed something (nothing happens for anyone else) and commit it."""
    viewer = user if user is not None else (current_user._get_current_object()
                                            if getattr(current_user, "is_authenticated", False) else None)
    if viewer is None or not viewer.is_auditor:
        return
    session = get_session()
    history.record_view(session, viewer, what, instance=instance, task=task,
                        details={k: v for k, v in details.items() if v is not None})
    session.commit()


def register(app: Flask) -> None:
    @app.before_request
    def read_only_auditors():
        if request.method not in SAFE_METHODS and request.endpoint not in ALLOWED and signed_in_auditor():
            raise PermissionDenied("Auditors read everything and change nothing.")

    @app.context_processor
    def audit_nav():
        return {"may_audit": bool(getattr(current_user, "is_authenticated", False)
                                  and can_read_history(current_user))}
