"""API tokens for machine clients: shown once at creation, stored only as a SHA-256 hash."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, select, update
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


USE_STAMP_INTERVAL = timedelta(minutes=10)
STAMPED = "pingyi.token_stamped"


_BY_DIGEST = (select(User, ApiToken.id, ApiToken.last_used_at).join(ApiToken, ApiToken.user_id == User.id)
              .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None),
                     User.is_active.is_(True)))


def user_for_token(session: Session, secret: str) -> User | None:
    """The active user a presented token acts for, or None.

    `last_used_at` is written at most every ten minutes, so reading with a token stays a read."""
    if not secret or not secret.startswith(PREFIX):
        return None
    row = session.execute(_BY_DIGEST, {"digest": _digest(secret)}).first()
    if row is None:
        return None
    user, token_id, last_used_at = row
    session.info[audit.VIA_TOKEN] = (token_id, user.id)  # what the request does names the token
    now = clock.now()
    if last_used_at is None or now - last_used_at > USE_STAMP_INTERVAL:
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        session.info[STAMPED] = True  # the caller commits it (a read-only request would roll it back)
    return user


def revoke_token(session: Session, token_id: int, actor: User) -> None:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("No such token.", token=token_id)
    if token.user_id != actor.id and not actor.is_admin:
        raise PermissionDenied("You may not revoke this token.")
    if token.revoked_at is not None:  # already: the first revocation stands
        return
    token.revoked_at = clock.now()
    audit.record(session, "api_token_revoked", actor, details={"token": token.id, "name": token.name})


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """A user's tokens, the usable ones first, newest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))
