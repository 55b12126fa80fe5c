"""Service operations on organisation data and the term plan (see engine/connectors.py and
processes/README.md). Results are JSON: lists and dicts of strings, numbers and ISO dates."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engine.connectors import Context, OperationError, operation
from engine.errors import EngineError, InvalidInput
from engine.models import Group
from engine.services import org, org_people, term_plans


@operation("org.departments", optional=("codes",))
def departments(ctx: Context, codes=None) -> list[dict]:
    """The active departments (all, or those `codes` name) by code: {code, name, short_name, group,
    office_code, office_name, office_group, leader, vice_mayor, superior, party_group}."""
    if codes is not None and not isinstance(codes, list | tuple | set | dict):
        raise OperationError("org.departments: codes must be a list of department codes")
    return list(term_plans.department_dicts(ctx.session, codes).values())


@operation("org.offices")
def offices(ctx: Context) -> list[dict]:
    """The active committee offices by code: {code, name, group, leader}."""
    return [{"code": o.code, "name": o.name, "group": o.group_name, "leader": o.leader_name}
            for o in org.all_units(ctx.session, "office", active_only=True)]


@operation("org.people", required=("kind",), optional=("delegation",))
def people(ctx: Context, kind, delegation=None) -> list[dict]:
    """Active committee members or deputies by user name: {username, name, delegation}
    (delegation is None for committee members); deputies of one delegation when given."""
    if kind not in org_people.KINDS:
        raise OperationError(f"org.people: kind must be 'committee' or 'deputy', not {kind!r}")
    found = org_people.list_people(ctx.session, kind, None, delegation=delegation or None, active_only=True)
    return [{"username": user.username, "name": user.display_name,
             "delegation": getattr(profile, "delegation", None)} for user, profile in found]


@operation("org.groups", optional=("contains",))
def groups(ctx: Context, contains=None) -> list[dict]:
    """The user groups with active members (those whose name holds `contains`, when given), by name:
    {name, title, members: [{username, name}]}; e.g. the investigation groups a plan may choose."""
    query = select(Group).options(selectinload(Group.members)).order_by(Group.name)
    if contains:
        query = query.where(Group.name.contains(str(contains)))
    found = []
    for group in ctx.session.scalars(query):
        members = [{"username": u.username, "name": u.display_name} for u in group.members if u.is_active]
        if members:
            found.append({"name": group.name, "title": group.title or group.name, "members": members})
    return found


@operation("org.observers")
def observers(ctx: Context) -> list[dict]:
    """The active observer units by code: {code, name, kind} (organisation | discipline | audit)."""
    return [{"code": u.code, "name": u.name, "kind": u.kind}
            for u in org.all_units(ctx.session, "observer", active_only=True)]


@operation("term_plan.year", required=("year",))
def plan_year(ctx: Context, year) -> list[dict]:
    """The year's departments from the approved term plan (the dicts of org.departments plus
    `deadline`, with the plan's office and leader); [] when no plan is approved."""
    try:
        return term_plans.planned_departments(ctx.session, int(year))
    except (TypeError, ValueError) as exc:
        raise OperationError(f"term_plan.year: year must be a number, not {year!r}") from exc


@operation("term_plan.check", required=("rows", "term_start"))
def check(ctx: Context, rows, term_start) -> dict:
    """{"ok": bool, "errors": [messages in Chinese]}; never raises for bad rows."""
    try:
        term_plans.check_rows(ctx.session, term_start, rows)
    except InvalidInput as exc:
        return {"ok": False, "errors": list(exc.params.get("problems") or [str(exc)])}
    return {"ok": True, "errors": []}


@operation("term_plan.save", required=("rows", "term_start", "status"), optional=("comments",))
def save(ctx: Context, rows, term_start, status, comments=None) -> dict:
    """Store the plan this instance drafts with status submitted, approved or returned: {"plan": id}.
    A second approved plan for a term is refused (the instance stops with the reason)."""
    if status not in ("submitted", "approved", "returned"):
        raise OperationError(f"term_plan.save: status must be submitted, approved or returned, not {status!r}")
    if ctx.instance is None:
        raise OperationError("term_plan.save needs a running instance (not the first step of a process)")
    try:
        plan = term_plans.save_plan(ctx.session, term_start=term_start, rows=rows, status=status, actor=ctx.actor,
                                    comments=comments, instance=ctx.instance, by_process=True)
    except EngineError as exc:
        raise OperationError(str(exc)) from exc
    return {"plan": plan.id}
