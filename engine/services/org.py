"""Organisation data keyed by a code: departments, committee offices and observer units.

The evaluation office (group 评议办) and administrators change them; auditors read them. Every
change is an audit event. Values are checked by `check_unit`, which the importer uses too, so a
form and a spreadsheet refuse the same things with the same error codes.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import audit, clock
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from engine.models import CommitteeOffice, Department, Group, ObserverUnit, User
from engine.services import users

OFFICE_GROUP = "评议办"
COMMITTEE_GROUP = "常委会组成人员"
DEPUTY_GROUP = "代表"
OBSERVER_KINDS = {"organisation": "组织部", "discipline": "纪委监委", "audit": "审计局"}
CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,32}$")


@dataclass(frozen=True)
class Kind:
    """One kind of unit: its model, its fields ({name: (max length, required)}), its audit name."""

    model: type
    fields: dict[str, tuple[int, bool]]
    event: str


KINDS = {
    "department": Kind(Department, {
        "code": (32, True), "name": (128, True), "short_name": (64, False), "head_name": (64, False),
        "group_name": (128, True), "office_code": (32, False), "leader_name": (64, False),
        "vice_mayor": (64, False), "superior": (128, False), "party_group": (128, False)}, "department"),
    "office": Kind(CommitteeOffice, {
        "code": (32, True), "name": (128, True), "group_name": (128, True), "leader_name": (64, False)}, "office"),
    "observer": Kind(ObserverUnit, {"code": (32, True), "name": (128, True), "kind": (16, True)}, "observer"),
}
NULLABLE = {"office_code", "party_group"}
GROUP_FIELDS = ("group_name", "party_group")


def may_manage(user: User | None) -> bool:
    return bool(user is not None and user.is_active and not user.is_auditor
                and (user.is_admin or any(g.name == OFFICE_GROUP for g in user.groups)))


def may_view(user: User | None) -> bool:
    return may_manage(user) or bool(user is not None and user.is_active and user.is_auditor)


def require_manage(user: User | None, action: str) -> None:
    if not may_manage(user):
        raise PermissionDenied(f"Only the evaluation office may {action}.", action=action)


def require_view(user: User | None) -> None:
    if not may_view(user):
        raise PermissionDenied("You may not see the organisation data.")


def kind_of(kind: str) -> Kind:
    if kind not in KINDS:
        raise NotFound(f"No kind of unit '{kind}'.", kind=kind)
    return KINDS[kind]


def office_codes(session: Session, active_only: bool = False) -> dict[str, str]:
    """{name or code: code} of the committee offices, so forms and sheets may give either. A code
    always means its own office; a name two offices share means neither (give the code then)."""
    query = select(CommitteeOffice.code, CommitteeOffice.name)
    if active_only:
        query = query.where(CommitteeOffice.is_active.is_(True))
    rows = session.execute(query).all()
    names = Counter(name for _, name in rows)
    found = {name: code for code, name in rows if names[name] == 1}
    found.update({code: code for code, _ in rows})
    return found


def check_unit(session: Session, kind: str, values: dict, offices: dict[str, str] | None = None) -> tuple[dict, dict]:
    """(clean values, {field: error code}) for a unit; nothing is stored or raised."""
    spec, clean, errors = kind_of(kind), {}, {}
    for field, (limit, required) in spec.fields.items():
        text = str(values.get(field) or "").strip()
        if required and not text:
            errors[field] = "required"
        elif len(text) > limit:
            errors[field] = "too_long"
        clean[field] = text or (None if field in NULLABLE else "")
    if clean["code"] and "code" not in errors and not CODE.match(clean["code"]):
        errors["code"] = "invalid"
    if kind == "observer" and clean["kind"]:
        labels = {label: code for code, label in OBSERVER_KINDS.items()}
        clean["kind"] = labels.get(clean["kind"], clean["kind"])
        if clean["kind"] not in OBSERVER_KINDS:
            errors["kind"] = "unknown_kind"
    if kind == "department" and clean["office_code"]:
        offices = office_codes(session) if offices is None else offices
        if clean["office_code"] not in offices:
            errors["office_code"] = "unknown_office"
        else:
            clean["office_code"] = offices[clean["office_code"]]
    return clean, errors


def all_units(session: Session, kind: str, active_only: bool = False) -> list:
    """Every unit of a kind by code, unchecked (for processes and other services)."""
    model = kind_of(kind).model
    query = select(model).order_by(model.code)
    if active_only:
        query = query.where(model.is_active.is_(True))
    return list(session.scalars(query))


def list_units(session: Session, kind: str, actor: User, search: str = "", active_only: bool = False) -> list:
    require_view(actor)
    model = kind_of(kind).model
    query = select(model).order_by(model.code)
    if search.strip():
        pattern = f"%{search.strip()}%"
        query = query.where(or_(model.code.ilike(pattern), model.name.ilike(pattern)))
    if active_only:
        query = query.where(model.is_active.is_(True))
    return list(session.scalars(query))


def find_unit(session: Session, kind: str, code: str):
    model = kind_of(kind).model
    return session.scalar(select(model).where(model.code == code))


def get_unit(session: Session, kind: str, code: str, actor: User):
    require_view(actor)
    unit = find_unit(session, kind, code)
    if unit is None:
        raise NotFound(f"No {kind} '{code}'.", code=code)
    return unit


def snapshot(unit) -> dict:
    kind = next(k for k, spec in KINDS.items() if isinstance(unit, spec.model))
    return {field: getattr(unit, field) for field in KINDS[kind].fields} | {"is_active": unit.is_active}


def ensure_groups(session: Session, clean: dict, actor: User | None) -> None:
    """A unit's groups are created when missing (lanes and inboxes name them)."""
    for field in GROUP_FIELDS:
        name = clean.get(field)
        if name and session.scalar(select(Group.id).where(Group.name == name)) is None:
            users.create_group(session, name, actor)


def create_unit(session: Session, kind: str, values: dict, actor: User, checked: dict | None = None):
    require_manage(actor, "change organisation data")
    clean = checked if checked is not None else _checked(session, kind, values)
    if find_unit(session, kind, clean["code"]) is not None:
        raise Conflict(f"The code '{clean['code']}' is taken.", code=clean["code"])
    ensure_groups(session, clean, actor)
    unit = kind_of(kind).model(**clean, is_active=True, updated_at=clock.now())
    session.add(unit)
    session.flush()
    audit.record(session, f"{KINDS[kind].event}_created", actor, after=snapshot(unit), details={"code": unit.code})
    return unit


def update_unit(session: Session, kind: str, code: str, values: dict, actor: User, checked: dict | None = None):
    """Change a unit's fields (its code stays); `is_active` in values reactivates or deactivates it."""
    require_manage(actor, "change organisation data")
    unit = get_unit(session, kind, code, actor)
    clean = checked if checked is not None else _checked(session, kind, {**snapshot(unit), **values, "code": code})
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    old, new = audit.changed(snapshot(unit), clean)
    if not new:
        return unit
    ensure_groups(session, clean, actor)
    for field, value in new.items():
        setattr(unit, field, value)
    unit.updated_at = clock.now()
    session.flush()
    audit.record(session, f"{KINDS[kind].event}_updated", actor, before=old, after=new, details={"code": code})
    return unit


def deactivate_unit(session: Session, kind: str, code: str, actor: User):
    """Kept for history (plans and ballots name it) but no longer offered."""
    return update_unit(session, kind, code, {"is_active": False}, actor)


def _checked(session: Session, kind: str, values: dict) -> dict:
    clean, errors = check_unit(session, kind, values)
    if errors:
        raise InvalidInput("Some fields are missing or invalid.", errors=errors)
    return clean
