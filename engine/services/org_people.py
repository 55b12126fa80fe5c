"""Standing Committee members and deputies: ordinary users with a profile and a group.

A member belongs to the group 常委会组成人员, a deputy to 代表 (ballots, 代表码 and lanes use those
groups). Saving a person creates the user when missing, without a password: they sign in
through their 代表码, or an administrator sets one. Deactivating ends the profile and the group
membership; the user account stays (it may have other roles).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import audit, clock
from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import Department, DeputyProfile, MemberProfile, User
from engine.services import users
from engine.services.org import COMMITTEE_GROUP, DEPUTY_GROUP, require_manage, require_view

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,19}$")


@dataclass(frozen=True)
class PersonKind:
    model: type
    group: str
    extra: str          # the profile's own field: title (members) or delegation (deputies)
    extra_required: bool
    event: str


KINDS = {
    "committee": PersonKind(MemberProfile, COMMITTEE_GROUP, "title", False, "member"),
    "deputy": PersonKind(DeputyProfile, DEPUTY_GROUP, "delegation", True, "deputy"),
}


def kind_of(kind: str) -> PersonKind:
    if kind not in KINDS:
        raise NotFound(f"No kind of person '{kind}'.", kind=kind)
    return KINDS[kind]


def check_person(kind: str, values: dict) -> tuple[dict, dict]:
    """(clean values, {field: error code}): username, name, title or delegation, phone."""
    spec = kind_of(kind)
    clean = {field: str(values.get(field) or "").strip() for field in ("username", "name", spec.extra, "phone")}
    errors = {}
    if not clean["username"]:
        errors["username"] = "required"
    elif not users.USERNAME.match(clean["username"]):
        errors["username"] = "invalid"
    if not clean["name"]:
        errors["name"] = "required"
    elif len(clean["name"]) > 128:
        errors["name"] = "too_long"
    if spec.extra_required and not clean[spec.extra]:
        errors[spec.extra] = "required"
    elif len(clean[spec.extra]) > 128:
        errors[spec.extra] = "too_long"
    if clean["phone"] and not PHONE.match(clean["phone"]):
        errors["phone"] = "invalid"
    clean["phone"] = clean["phone"] or None
    return clean, errors


def list_people(session: Session, kind: str, actor: User | None, search: str = "", delegation: str | None = None,
                active_only: bool = False) -> list[tuple[User, object]]:
    """[(user, profile)] by user name; `actor` None: a process asks (see org_operations)."""
    if actor is not None:
        require_view(actor)
    model = kind_of(kind).model
    query = select(User, model).join(model, model.user_id == User.id).order_by(User.username)
    if search.strip():
        pattern = f"%{search.strip()}%"
        query = query.where(or_(User.username.ilike(pattern), User.display_name.ilike(pattern)))
    if delegation and kind == "deputy":
        query = query.where(DeputyProfile.delegation == delegation)
    if active_only:
        query = query.where(model.is_active.is_(True), User.is_active.is_(True))
    return [(user, profile) for user, profile in session.execute(query)]


def find_person(session: Session, kind: str, username: str) -> tuple[User | None, object | None]:
    model = kind_of(kind).model
    user = session.scalar(select(User).where(User.username == username))
    profile = None if user is None else session.scalar(select(model).where(model.user_id == user.id))
    return user, profile


def get_person(session: Session, kind: str, username: str, actor: User) -> tuple[User, object]:
    require_view(actor)
    user, profile = find_person(session, kind, username)
    if profile is None:
        raise NotFound(f"No {kind} '{username}'.", user=username)
    return user, profile


def snapshot(user: User, profile, kind: str) -> dict:
    extra = kind_of(kind).extra
    return {"username": user.username, "name": user.display_name, extra: getattr(profile, extra),
            "phone": profile.phone, "is_active": profile.is_active}


def check_account(session: Session, kind: str, clean: dict, link_existing: bool = False) -> dict:
    """{field: error code} when the user name belongs to an account that is not yet this kind of
    person: the office lists people, it does not take over accounts. An administrator's or
    auditor's account (protected_account) and a department's contact account (contact_account)
    are never listed; another account only when `link_existing` says so (else existing_account),
    and then under the name it has (else name_differs): linking renames no one."""
    user, profile = find_person(session, kind, clean["username"])
    if user is None or profile is not None:
        return {}
    if user.is_admin or user.is_auditor:
        return {"username": "protected_account"}
    if _is_contact(session, user):
        return {"username": "contact_account"}
    if not link_existing:
        return {"username": "existing_account"}
    if user.display_name != clean["name"]:
        return {"name": "name_differs"}
    return {}


def _is_contact(session: Session, user: User) -> bool:
    """A member of some department's contact group (the department's own account)."""
    groups = [group.name for group in user.groups]
    return bool(groups) and session.scalar(
        select(Department.code).where(Department.group_name.in_(groups)).limit(1)) is not None


def save_person(session: Session, kind: str, values: dict, actor: User, checked: dict | None = None,
                must_be_new: bool = False, link_existing: bool = False) -> tuple[User, object, str]:
    """Create or update a person by user name: (user, profile, "created" | "linked" | "updated" |
    "unchanged"); "linked": an existing account became this kind of person (see check_account)."""
    require_manage(actor, "change members and deputies")
    spec = kind_of(kind)
    clean = checked if checked is not None else _checked(kind, values)
    user, profile = find_person(session, kind, clean["username"])
    if must_be_new and profile is not None:
        raise Conflict(f"'{clean['username']}' is listed already.", user=clean["username"])
    refused = check_account(session, kind, clean, link_existing)
    if refused:
        raise InvalidInput("The user name belongs to an existing account.", errors=refused)
    outcome = "unchanged" if user is None or profile is not None else "linked"
    if user is None:
        user = users.create_user(session, clean["username"], clean["name"], actor)
        outcome = "created"
    wanted = {"name": clean["name"], spec.extra: clean[spec.extra], "phone": clean["phone"],
              "is_active": bool(values.get("is_active", True))}
    if profile is None:
        profile = spec.model(user_id=user.id, **{spec.extra: clean[spec.extra]}, phone=clean["phone"],
                             is_active=wanted["is_active"], updated_at=clock.now())
        session.add(profile)
        session.flush()
        audit.record(session, f"{spec.event}_created", actor, after=snapshot(user, profile, kind),
                     details={"username": user.username, "existing_account": outcome == "linked"})
    else:
        old, new = audit.changed(snapshot(user, profile, kind), wanted)
        if new:
            user.display_name = wanted["name"]
            setattr(profile, spec.extra, wanted[spec.extra])
            profile.phone, profile.is_active, profile.updated_at = wanted["phone"], wanted["is_active"], clock.now()
            session.flush()
            audit.record(session, f"{spec.event}_updated", actor, before=old, after=new,
                         details={"username": user.username})
            outcome = "updated" if outcome == "unchanged" else outcome
    changed_group = (users.add_to_group if profile.is_active else users.remove_from_group)(
        session, user.username, _group(session, spec.group, actor), actor)
    if changed_group and outcome == "unchanged":
        outcome = "updated"
    return user, profile, outcome


def update_person(session: Session, kind: str, username: str, values: dict, actor: User) -> tuple[User, object]:
    user, profile = get_person(session, kind, username, actor)
    merged = {**snapshot(user, profile, kind), **values, "username": username}
    user, profile, _ = save_person(session, kind, merged, actor)
    return user, profile


def deactivate_person(session: Session, kind: str, username: str, actor: User) -> tuple[User, object]:
    return update_person(session, kind, username, {"is_active": False}, actor)


def _group(session: Session, name: str, actor: User) -> str:
    try:
        users.get_group(session, name)
    except NotFound:
        users.create_group(session, name, actor)
    return name


def _checked(kind: str, values: dict) -> dict:
    clean, errors = check_person(kind, values)
    if errors:
        raise InvalidInput("Some fields are missing or invalid.", errors=errors)
    return clean
