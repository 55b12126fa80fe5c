"""API tokens for machine clients: shown once at creation, stored only as a SHA-256 hash."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, clock
from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.models import ApiToken, User

PREFIX = "pyt_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str, actor: User) -> tuple[ApiToken, str]:
    """A new token for `user` (their own, or any user's when the actor is an administrator)."""
    if actor.id != user.id and not actor.is_admin:
        raise PermissionDenied("Only an administrator may create tokens for someone else.")
    name = (name or "").strip()[:128]
    if not name:
        raise InvalidInput("A token needs a name.", errors={"name": "required"})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(secret))
    session.add(token)
    session.flush()
    audit.record(session, "api_token_created", actor, details={"token": token.id, "name": name,
                                                               "username": user.username})
    return token, secret


def user_for_token(session: Session, secret: str) -> User | None:
    """The active user a presented token acts for, or None."""
    if not secret or not secret.startswith(PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    token.last_used_at = clock.now()
    return user


def revoke_token(session: Session, token_id: int, actor: User) -> None:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("No such token.", token=token_id)
    if token.user_id != actor.id and not actor.is_admin:
        raise PermissionDenied("You may not revoke this token.")
    token.revoked_at = clock.now()
    audit.record(session, "api_token_revoked", actor, details={"token": token.id, "name": token.name})
