"""代表码: a deputy's personal QR code, a signed token that identifies them without a password.

The token (itsdangerous, signed with the application's secret key and a salt of its own)
carries the deputy's user id and the version of their code and the time it was made. It is
refused when the signature does not match (forged), when it is older than the configured
maximum age (expired), or when its version is not the deputy's current one (revoked: the
office bumps the version, which invalidates every code printed before). Deputies are the
members of a group (default 代表).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session, selectinload

from engine import audit, clock
from engine.dates import LOCAL_TZ
from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.models import DeputyCode, Group, Opinion, User
from engine.services.opinion_channels import require_staff

DEPUTY_GROUP = "代表"
SALT = "pingyi.deputy-code"
DEFAULT_MAX_AGE = 400 * 24 * 3600  # a little over a year: one evaluation cycle


class _ClockSigner(TimestampSigner):
    """Tokens age by the engine's clock, so tests can move time instead of sleeping."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


@dataclass(frozen=True)
class Keys:
    """How tokens are signed and how long they live (from the application's configuration)."""

    secret: str
    salt: str = SALT
    max_age: int = DEFAULT_MAX_AGE
    group: str = DEPUTY_GROUP

    def serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt=self.salt, signer=_ClockSigner)


@dataclass(frozen=True)
class SubmissionView:
    """One of a deputy's own opinions and what became of it."""

    id: int
    channel_title: str
    received_on: date
    rating: str
    text: str
    status: str
    content_item: str | None
    is_adopted: bool
    merged_into_id: int | None
    photo_count: int


def is_deputy(user: User, group: str = DEPUTY_GROUP) -> bool:
    return user.is_active and any(g.name == group for g in user.groups)


def deputies(session: Session, actor: User, group: str = DEPUTY_GROUP) -> list[tuple[User, DeputyCode | None]]:
    require_staff(actor, "manage deputy codes")
    members = session.scalar(select(Group).where(Group.name == group))
    if members is None:
        return []
    codes = {c.user_id: c for c in session.scalars(select(DeputyCode).where(
        DeputyCode.user_id.in_([u.id for u in members.members])))}
    return [(user, codes.get(user.id)) for user in members.members if user.is_active]


def _deputy(session: Session, user_id: int, group: str) -> User:
    user = session.get(User, user_id)
    if user is None or not is_deputy(user, group):
        raise NotFound("No such deputy.", user=user_id)
    return user


def _code(session: Session, user: User, actor: User) -> DeputyCode:
    code = session.scalar(select(DeputyCode).where(DeputyCode.user_id == user.id))
    if code is None:
        code = DeputyCode(user_id=user.id, version=1, issued_at=clock.now())
        session.add(code)
        session.flush()
        audit.record(session, "deputy_code_issued", actor, details={"deputy": user.username, "version": 1})
    return code


def token_for(session: Session, user_id: int, keys: Keys, actor: User) -> tuple[User, str]:
    """A fresh token for the deputy's current code (made on first use), for printing."""
    require_staff(actor, "print deputy codes")
    user = _deputy(session, user_id, keys.group)
    code = _code(session, user, actor)
    return user, keys.serializer().dumps([user.id, code.version])


def own_token(session: Session, user: User, keys: Keys) -> str:
    """The link of a signed-in deputy's own code (what their printed card holds), so a deputy who
    signs in finds the way to give opinions without the card."""
    if not user.is_active or not is_deputy(user, keys.group):
        raise PermissionDenied("Only deputies have a deputy code.")
    code = _code(session, user, user)
    return keys.serializer().dumps([user.id, code.version])


def revoke(session: Session, user_id: int, keys: Keys, actor: User, reason: str | None = None) -> tuple[User, str]:
    """Invalidate every code printed so far and hand back a token of the new version."""
    require_staff(actor, "revoke deputy codes")
    user = _deputy(session, user_id, keys.group)
    code = _code(session, user, actor)
    if reason and len(reason) > 500:
        raise InvalidInput("A reason has at most 500 characters.", errors={"reason": "too_long"})
    old = code.version
    code.version, code.revoked_at, code.issued_at, code.note = old + 1, clock.now(), clock.now(), reason or None
    session.flush()
    audit.record(session, "deputy_code_revoked", actor, reason=reason or None, before={"version": old},
                 after={"version": code.version}, details={"deputy": user.username})
    return user, keys.serializer().dumps([user.id, code.version])


# one query: the code's current version, an active user, still in the deputies' group
_CODE = DeputyCode.user_id == User.id
_CURRENT = (User.id == bindparam("user_id"), DeputyCode.version == bindparam("version"), User.is_active.is_(True),
            User.groups.any(Group.name == bindparam("group")))
_DEPUTY = select(User).join(DeputyCode, _CODE).where(*_CURRENT)
_DEPUTY_ID = select(User.id).join(DeputyCode, _CODE).where(*_CURRENT)


def verify(session: Session, token: str, keys: Keys) -> User:
    """The deputy a token names, or PermissionDenied (forged, expired, revoked, no longer a deputy)."""
    user = session.scalar(_DEPUTY, _named(token, keys))
    if user is None:
        raise PermissionDenied("This deputy code was revoked.", reason="revoked")
    return user


def verified_id(conn: Connection, token: str, keys: Keys) -> int:
    """`verify` on a bare connection, for the vote's fast path: only the deputy's user id."""
    user_id = conn.scalar(_DEPUTY_ID, _named(token, keys))
    if user_id is None:
        raise PermissionDenied("This deputy code was revoked.", reason="revoked")
    return user_id


def _named(token: str, keys: Keys) -> dict:
    """The query parameters of a token whose signature and age are good."""
    try:
        user_id, version = keys.serializer().loads(token, max_age=keys.max_age)
    except SignatureExpired:
        raise PermissionDenied("This deputy code has expired.", reason="expired") from None
    except (BadSignature, TypeError, ValueError):
        raise PermissionDenied("This deputy code is not valid.", reason="invalid") from None
    if not isinstance(user_id, int) or not isinstance(version, int):
        raise PermissionDenied("This deputy code is not valid.", reason="invalid")
    return {"user_id": user_id, "version": version, "group": keys.group}


def own_submissions(session: Session, deputy: User) -> list[SubmissionView]:
    rows = session.scalars(select(Opinion).where(Opinion.deputy_id == deputy.id).order_by(Opinion.id.desc())
                           .options(selectinload(Opinion.photos)))
    return [SubmissionView(o.id, o.channel.title, _local_day(o.created_at), o.rating, o.text, o.status,
                           o.content_item, o.is_adopted, o.merged_into_id, len(o.photos)) for o in rows]


def _local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()
