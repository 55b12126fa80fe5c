"""Accounts (账号) as administrators keep them: who may sign in, with which roles and groups.

Administrators create and change accounts, give a temporary password (shown once; its holder
chooses their own at the next sign-in) and stop accounts; auditors read the list. Nobody can take
away the last administrator, nor their own administration or account. Every change is an audit
event; no password, temporary or not, is ever recorded.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from engine import audit
from engine.errors import InvalidInput, PermissionDenied
from engine.models import Group, User, user_group
from engine.paging import Page, page_number
from engine.services import users

# no 0/o, 1/l/i: a temporary password is often read out on the phone or copied from paper
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_LENGTH = 12
STATUSES = ("active", "inactive", "all")
PER_PAGE = 50


def may_manage(user: User | None) -> bool:
    return bool(user is not None and user.is_active and user.is_admin and not user.is_auditor)


def may_view(user: User | None) -> bool:
    return may_manage(user) or bool(user is not None and user.is_active and user.is_auditor)


def require_manage(actor: User | None) -> None:
    """`actor` None: the command line, run by whoever operates the server."""
    if actor is not None and not may_manage(actor):
        raise PermissionDenied("Only an administrator may change accounts.")


def temporary_password() -> str:
    return "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))


@dataclass
class AccountQuery:
    search: str = ""
    group: str | None = None
    status: str = "active"
    page: int = 1

    def normalised(self) -> AccountQuery:
        return AccountQuery(search=(self.search or "").strip()[:100], group=self.group or None,
                            status=self.status if self.status in STATUSES else "active",
                            page=page_number(self.page))


@dataclass
class AccountPage(Page):
    query: AccountQuery | None = None


def list_accounts(session: Session, actor: User | None, query: AccountQuery | None = None) -> AccountPage:
    if not may_view(actor):
        raise PermissionDenied("You may not see the accounts.")
    q = (query or AccountQuery()).normalised()
    found = select(User)
    if q.search:
        pattern = f"%{q.search}%"
        found = found.where(or_(User.username.ilike(pattern), User.display_name.ilike(pattern),
                                User.email.ilike(pattern)))
    if q.group:
        found = found.where(User.id.in_(select(user_group.c.user_id).join(Group, Group.id == user_group.c.group_id)
                                        .where(Group.name == q.group)))
    if q.status != "all":
        found = found.where(User.is_active.is_(q.status == "active"))
    page = AccountPage(number=q.page, per_page=PER_PAGE, query=q)
    page.total = session.scalar(select(func.count()).select_from(found.subquery())) or 0
    page.rows = list(session.scalars(found.options(selectinload(User.groups)).order_by(User.username)
                                     .limit(PER_PAGE).offset(page.offset)))
    return page


def groups_with_counts(session: Session, actor: User | None) -> list[tuple[Group, int]]:
    """Every group with how many active accounts are in it."""
    if not may_view(actor):
        raise PermissionDenied("You may not see the accounts.")
    members = (select(user_group.c.group_id, func.count().label("n")).join(User, User.id == user_group.c.user_id)
               .where(User.is_active.is_(True)).group_by(user_group.c.group_id).subquery())
    rows = session.execute(select(Group, func.coalesce(members.c.n, 0))
                           .outerjoin(members, members.c.group_id == Group.id).order_by(Group.name))
    return [(group, count) for group, count in rows]


def create_group(session: Session, name: str, title: str, actor: User | None) -> Group:
    require_manage(actor)
    return users.create_group(session, name, actor, title=title)


def _roles(values: dict) -> tuple[bool, bool]:
    is_admin, is_auditor = bool(values.get("is_admin")), bool(values.get("is_auditor"))
    users.check_roles(is_admin, is_auditor)
    return is_admin, is_auditor


def _email(values: dict) -> str | None:
    email = (values.get("email") or "").strip() or None
    if email is not None and (len(email) > 254 or "@" not in email.strip("@") or any(c.isspace() for c in email)):
        raise InvalidInput("Not an email address.", errors={"email": "invalid"})
    return email


def _group_names(session: Session, values: dict) -> set[str]:
    wanted = {name for name in values.get("groups") or () if name}
    known = set(session.scalars(select(Group.name).where(Group.name.in_(wanted)))) if wanted else set()
    if wanted - known:
        raise InvalidInput(f"No group {', '.join(sorted(wanted - known))}.", errors={"groups": "unknown"})
    return wanted


def _display_name(values: dict) -> str:
    name = (values.get("display_name") or "").strip()
    if not name:
        raise InvalidInput("A name is required.", errors={"display_name": "required"})
    if len(name) > 128:
        raise InvalidInput("The name is too long.", errors={"display_name": "too_long"})
    if not users.plain_name(name):
        raise InvalidInput("The name has a control character.", errors={"display_name": "invalid"})
    return name


def create_account(session: Session, values: dict, actor: User | None) -> tuple[User, str | None]:
    """A new account: (user, temporary password or None when it is to sign in only by 代表码)."""
    require_manage(actor)
    is_admin, is_auditor = _roles(values)
    groups, email, name = _group_names(session, values), _email(values), _display_name(values)
    password = temporary_password() if values.get("with_password", True) else None
    user = users.create_user(session, values.get("username") or "", name, actor, password=password, email=email,
                             is_admin=is_admin, is_auditor=is_auditor)
    user.must_change_password = password is not None
    for group in sorted(groups):
        users.add_to_group(session, user.username, group, actor)
    return user, password


def _other_administrators(session: Session, user: User) -> int:
    """Other active accounts that can administer (an administrator who is also an auditor, left from before
    both were refused, can change nothing). The administrators' rows are locked first, in one order, so two
    administrators taking it from each other at once are counted one after the other."""
    session.execute(select(User.id).where(User.is_admin.is_(True)).order_by(User.id).with_for_update())
    return session.scalar(select(func.count()).select_from(User).where(
        User.is_admin.is_(True), User.is_auditor.is_(False), User.is_active.is_(True), User.id != user.id)) or 0


def _keep_an_administrator(session: Session, user: User, actor: User | None, losing: str) -> None:
    """Refuse what would leave nobody to administer, or an administrator locked out by their own hand."""
    if actor is not None and actor.id == user.id:
        raise InvalidInput(f"You cannot {losing} yourself; another administrator can.", errors={"account": "self"})
    if user.is_admin and user.is_active and _other_administrators(session, user) == 0:
        raise InvalidInput("This is the last active administrator.", errors={"account": "last_admin"})


def snapshot(user: User) -> dict:
    return {"display_name": user.display_name, "email": user.email, "is_admin": user.is_admin,
            "is_auditor": user.is_auditor}


def update_account(session: Session, username: str, values: dict, actor: User | None) -> User:
    """Name, email, roles and groups; returns the user (unchanged when nothing differs)."""
    require_manage(actor)
    user = users.get_user(session, username)
    is_admin, is_auditor = _roles(values)
    wanted = {"display_name": _display_name(values), "email": _email(values), "is_admin": is_admin,
              "is_auditor": is_auditor}
    groups = _group_names(session, values)
    if user.is_admin and not is_admin:
        _keep_an_administrator(session, user, actor, "take administration from")
    old, new = audit.changed(snapshot(user), wanted)
    if new:
        for key, value in new.items():
            setattr(user, key, value)
        session.flush()
        audit.record(session, "user_updated", actor, before=old, after=new, details={"username": username})
    current = {group.name for group in user.groups}
    for group in sorted(groups - current):
        users.add_to_group(session, username, group, actor)
    for group in sorted(current - groups):
        users.remove_from_group(session, username, group, actor)
    return user


def reset_password(session: Session, username: str, actor: User | None) -> str:
    """A new temporary password for someone who forgot theirs (or never had one): returned to be
    handed over once; the holder chooses their own at the next sign-in. Signs them out everywhere."""
    require_manage(actor)
    user = users.get_user(session, username)
    if actor is not None and actor.id == user.id:
        raise InvalidInput("Change your own password under Password.", errors={"account": "own_password"})
    if not user.is_active:
        raise InvalidInput("The account is inactive; activate it first.", errors={"account": "inactive"})
    password = temporary_password()
    user.password_hash = users.hash_password(password)
    user.must_change_password = True
    session.flush()
    audit.record(session, "password_reset", actor, details={"username": username})
    return password


def set_active(session: Session, username: str, active: bool, actor: User | None, reason: str | None = None) -> bool:
    """Stop an account (or let it sign in again); False when it already was so."""
    require_manage(actor)
    user = users.get_user(session, username)
    if not active and user.is_active:
        _keep_an_administrator(session, user, actor, "deactivate")
    return users.set_active(session, username, active, actor, reason)
