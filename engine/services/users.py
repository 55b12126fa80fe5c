"""Users and groups. Passwords are hashed with Argon2id (argon2-cffi); no plain text is kept."""
from __future__ import annotations

import re
import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit, clock
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from engine.models import Group, User, user_group

_hasher = PasswordHasher()
USERNAME = re.compile(r"^(?=.*[^\W_])[\w.\-@]{2,64}$")  # with a letter or digit: ".." would be a path
MIN_PASSWORD = 8


def use_fast_hashing_for_tests() -> None:
    """Cheap Argon2 parameters: only for test suites, where thousands of hashes would be slow."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD} characters.",
                           errors={"password": "too_short"}, minimum=MIN_PASSWORD)
    return _hasher.hash(password)


# Words people reach for first, in the forms they are typed (digits around them do not help: "admin2026")
COMMON_WORDS = frozenset({
    "password", "passw0rd", "pass", "admin", "administrator", "root", "welcome", "letmein", "iloveyou",
    "woaini", "woaini1314", "qwerty", "qwertyuiop", "asdfgh", "zxcvbn", "abc", "abcd", "changeme", "default",
    "pingyi", "renda", "rendachangwei", "test", "guest", "user", "china", "zhongguo", "huawei", "wechat",
})
KEYBOARD_RUNS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
                 "1234567890", "0987654321", "abcdefghijklmnopqrstuvwxyz")


def _simple_pattern(text: str) -> bool:
    """One character repeated, a short unit repeated ("abcabcabc", "12121212"), a run of consecutive
    characters ("12345678", "87654321") or a keyboard run ("qwertyui", "1qaz2wsx")."""
    for size in range(1, 5):
        if len(text) % size == 0 and text == text[:size] * (len(text) // size):
            return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    if steps in ({1}, {-1}):
        return True
    return any(text in run or text in run[::-1] for run in KEYBOARD_RUNS)


def password_weakness(password: str, username: str) -> str | None:
    """Why a password its holder chose is too easy to guess ("contains_name", "common"), or None. The
    length rule is `hash_password`'s; these refuse what is tried first: the user name, the words everyone
    uses, with digits around them, and simple patterns."""
    text = unicodedata.normalize("NFKC", password).lower()
    name = unicodedata.normalize("NFKC", username or "").lower()
    if len(name) >= 3 and name in text:
        return "contains_name"
    core = text.strip("0123456789!@#$%^&*.,_-+=~ ")
    if not core or core in COMMON_WORDS or _simple_pattern(text) or _simple_pattern(core):
        return "common"
    return None


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"No user '{username}'.", user=username)
    return user


def get_group(session: Session, name: str) -> Group:
    group = session.scalar(select(Group).where(Group.name == name))
    if group is None:
        raise NotFound(f"No group '{name}'.", group=name)
    return group


def check_roles(is_admin: bool, is_auditor: bool) -> None:
    """An auditor changes nothing, an administrator changes everything: never both."""
    if is_admin and is_auditor:
        raise InvalidInput("An account is an administrator or an auditor, not both.", errors={"is_auditor": "both"})


def plain_name(name: str) -> bool:
    """No control or invisible formatting characters (a line break, a right-to-left override)."""
    return not any(unicodedata.category(c) in ("Cc", "Cf") for c in name)


def create_user(session: Session, username: str, display_name: str, actor: User | None, *,
                password: str | None = None, email: str | None = None, is_admin: bool = False,
                is_auditor: bool = False, locale: str = "zh_CN") -> User:
    username = username.strip()
    if not USERNAME.match(username):
        raise InvalidInput("A user name has 2 to 64 letters, digits or . _ - @.",
                           errors={"username": "invalid"})
    if not plain_name(display_name):
        raise InvalidInput("The name has a control character.", errors={"display_name": "invalid"})
    check_roles(is_admin, is_auditor)
    # "Office" next to "office" would be two accounts nobody can tell apart
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
        raise Conflict(f"The user name '{username}' is taken.", user=username)
    user = User(username=username, display_name=display_name.strip() or username, email=email,
                password_hash=hash_password(password) if password else None, is_admin=is_admin,
                is_auditor=is_auditor, locale=locale)
    session.add(user)
    session.flush()
    audit.record(session, "user_created", actor, details={
        "username": username, "display_name": user.display_name, "is_admin": is_admin,
        "is_auditor": is_auditor})
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this password, or None. Rehashes when the parameters changed."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.is_active or not user.password_hash:
        _hasher.hash(password or "x")  # spend the same time whether or not the user exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def set_password(session: Session, user: User, new_password: str, actor: User | None,
                 old_password: str | None = None) -> None:
    """Change a password; a user changing their own must give the old one."""
    if actor is not None and actor.id == user.id:
        try:
            _hasher.verify(user.password_hash or "", old_password or "")
        except (VerificationError, InvalidHashError):
            raise InvalidInput("The current password is wrong.", errors={"old_password": "wrong"}) from None
        if new_password == old_password:  # a temporary password others saw must not become one's own
            raise InvalidInput("The new password is the current one.", errors={"new_password": "same"})
    if len(new_password) >= MIN_PASSWORD and (weakness := password_weakness(new_password, user.username)):
        raise InvalidInput("The new password is too easy to guess.", errors={"new_password": weakness})
    user.password_hash = hash_password(new_password)
    if actor is not None and actor.id == user.id:
        user.must_change_password = False  # their own now, not one an administrator gave
    audit.record(session, "password_changed", actor, details={"username": user.username})


def sign_out_everywhere(session: Session, user: User, actor: User | None) -> None:
    """End every session and remember-me cookie of `user` (a phone left behind, a shared computer):
    their own choice, or an administrator's."""
    if actor is not None and actor.id != user.id and not actor.is_admin:
        raise PermissionDenied("Only an administrator may sign someone else out.")
    user.session_epoch = secrets.token_hex(16)
    audit.record(session, "signed_out_everywhere", actor, details={"username": user.username})


def signed_in(session: Session, user: User) -> None:
    """Keep when the user last signed in (administrators see who never did, or not for long)."""
    user.last_login_at = clock.now()
    session.flush()


def set_active(session: Session, username: str, active: bool, actor: User | None, reason: str | None = None) -> bool:
    """Let an account sign in again, or stop it (someone left): their sessions, remember-me cookies,
    API tokens and 代表码 stop working at once; what they did stays in the history. False: no change."""
    user = get_user(session, username)
    if user.is_active == active:
        return False
    if actor is not None and not actor.is_admin:
        raise PermissionDenied("Only an administrator may activate or deactivate accounts.")
    if not active and not (reason or "").strip():
        raise InvalidInput("Say why the account is deactivated.", errors={"reason": "required"})
    user.is_active = active
    session.flush()
    audit.record(session, "user_activated" if active else "user_deactivated", actor,
                 reason=(reason or "").strip() or None, details={"username": username})
    return True


def set_locale(session: Session, user: User, locale: str) -> None:
    """The language a user reads the interface in, kept for their next sign-in on any device."""
    if user.locale != locale:
        user.locale = locale
        session.flush()


def create_group(session: Session, name: str, actor: User | None, title: str = "") -> Group:
    name, title = name.strip(), (title or "").strip()
    if not name:
        raise InvalidInput("A group needs a name.", errors={"name": "required"})
    if len(name) > 128 or len(title) > 256:
        raise InvalidInput("The name or title is too long.", errors={"name": "too_long"})
    if session.scalar(select(Group.id).where(Group.name == name)) is not None:
        raise Conflict(f"The group '{name}' exists already.", group=name)
    group = Group(name=name, title=title or name)
    session.add(group)
    session.flush()
    audit.record(session, "group_created", actor, details={"name": name, "title": group.title})
    return group


def add_to_group(session: Session, username: str, group_name: str, actor: User | None) -> bool:
    """Add a user to a group; False when they were a member already."""
    user, group = get_user(session, username), get_group(session, group_name)
    if group in user.groups:
        return False
    user.groups.append(group)
    session.flush()
    audit.record(session, "group_member_added", actor, details={"username": username, "group": group_name})
    return True


def remove_from_group(session: Session, username: str, group_name: str, actor: User | None) -> bool:
    user, group = get_user(session, username), get_group(session, group_name)
    if group not in user.groups:
        return False
    user.groups.remove(group)
    session.flush()
    audit.record(session, "group_member_removed", actor, details={"username": username, "group": group_name})
    return True


def group_names(session: Session) -> list[str]:
    return list(session.scalars(select(Group.name).order_by(Group.name)))


def task_takers(session: Session) -> list[tuple[str, str]]:
    """(user name, name) of every account that may be given a task: active, not an auditor's."""
    return list(session.execute(select(User.username, User.display_name)
                                .where(User.is_active.is_(True), User.is_auditor.is_(False))
                                .order_by(User.username)).all())


def group_ids(session: Session, user: User) -> list[int]:
    return list(session.scalars(select(user_group.c.group_id).where(user_group.c.user_id == user.id)))
