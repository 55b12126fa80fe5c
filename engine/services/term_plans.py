"""The term plan (规划表): every department evaluated once in the five-year term, one year each.

The office drafts it and the Party group (党组) approves it, in the BPMN model `term_plan`,
whose service tasks call `term_plan.check` and `term_plan.save` (engine/services/org_operations.py).
Only one plan per term is ever approved. `planned_departments` tells the annual models which
departments a year evaluates; `coverage` shows what is planned, unplanned and evaluated so far.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine import audit, clock
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from engine.models import Ballot, Department, TermPlan, TermPlanRow, User
from engine.services import org
from engine.services.term_plan_rows import check_term, clean_rows, describe, term_start_of

STATUSES = ("draft", "submitted", "approved", "returned")
APPROVER_GROUP = "党组"
TERM_YEARS = 5
__all__ = ["check_rows", "describe", "save_plan", "planned_departments", "coverage", "STATUSES"]


def may_approve(user: User | None) -> bool:
    return bool(user is not None and user.is_active and not user.is_auditor
                and (user.is_admin or any(g.name == APPROVER_GROUP for g in user.groups)))


def may_view(user: User | None) -> bool:
    return org.may_view(user) or may_approve(user)


def require_view(user: User | None) -> None:
    if not may_view(user):
        raise PermissionDenied("You may not see the term plans.")


def check_rows(session: Session, term_start, rows, plan: TermPlan | None = None) -> list[dict]:
    """The rows made clean (office and leader default to the department's), or InvalidInput naming
    every problem: unknown department or office, a year outside the term, a department twice, a term
    with an approved plan (other than `plan`)."""
    problems = check_term(session, term_start, _approved_term(session, term_start, plan))
    cleaned, more = clean_rows(session, term_start, rows)
    problems += more
    if problems:
        raise InvalidInput("; ".join(p.english() for p in problems),
                           errors={p.path: p.code for p in problems}, problems=[describe(p) for p in problems])
    return cleaned


def save_plan(session: Session, *, term_start, rows, status: str, actor: User | None, comments: str | None = None,
              instance=None, by_process: bool = False) -> TermPlan:
    """Store the plan (the one linked to `instance`, else a new one) with its rows and status.

    `by_process`: a deployed model's service task saves it (the actor completed the step before)."""
    if status not in STATUSES:
        raise InvalidInput(f"Unknown status '{status}'.", errors={"status": "invalid"})
    if not by_process:
        allowed = may_approve(actor) if status in ("approved", "returned") else org.may_manage(actor)
        if not allowed:
            raise PermissionDenied("You may not save this term plan.", status=status)
    plan = None
    if instance is not None:
        plan = session.scalar(select(TermPlan).where(TermPlan.instance_id == instance.id))
    if status == "approved" and _approved_term(session, term_start, plan) is not None:
        raise Conflict(f"The term starting {term_start} meets an approved plan's term.", term=term_start)
    cleaned = check_rows(session, term_start, rows, plan)
    term_start = int(term_start)
    before = None if plan is None else {"status": plan.status, "rows": len(plan.rows)}
    if plan is None:
        plan = TermPlan(term_start=term_start, term_end=term_start + TERM_YEARS - 1, created_by_id=_id(actor),
                        instance_id=instance.id if instance is not None else None)
        session.add(plan)
    elif plan.status == "approved":
        raise Conflict("An approved term plan cannot be changed.", plan=plan.id)
    plan.term_start, plan.term_end = term_start, term_start + TERM_YEARS - 1
    plan.status, plan.comments, plan.updated_at = status, (comments or "").strip() or None, clock.now()
    if status == "approved":
        plan.approved_at, plan.approved_by_id = clock.now(), _id(actor)
    session.flush()
    session.execute(delete(TermPlanRow).where(TermPlanRow.plan_id == plan.id))
    session.expire(plan, ["rows"])
    session.add_all(TermPlanRow(plan_id=plan.id, **row) for row in cleaned)
    session.flush()
    audit.record(session, f"term_plan_{status}", actor, instance=instance, before=before, after={
        "plan": plan.id, "term": f"{plan.term_start}-{plan.term_end}", "status": status, "comments": plan.comments,
        "rows": len(cleaned)}, details={"rows": [{**row, "deadline": row["deadline"].isoformat()} for row in cleaned]})
    return plan


def _id(actor: User | None) -> int | None:
    return actor.id if actor is not None else None


def _approved_term(session: Session, term_start, plan: TermPlan | None) -> tuple[int, int] | None:
    """The term of an approved plan (other than `plan`) that shares a year with the term starting
    at `term_start`: terms follow each other, they never overlap."""
    start = term_start_of(term_start)
    if start is None:
        return None
    query = select(TermPlan.term_start, TermPlan.term_end).where(
        TermPlan.status == "approved", TermPlan.term_start <= start + TERM_YEARS - 1, TermPlan.term_end >= start)
    if plan is not None:
        query = query.where(TermPlan.id != plan.id)
    found = session.execute(query.order_by(TermPlan.term_start).limit(1)).first()
    return tuple(found) if found is not None else None


def approved_plan(session: Session, year: int) -> TermPlan | None:
    """The approved plan whose term contains `year`."""
    return session.scalar(select(TermPlan).where(TermPlan.status == "approved", TermPlan.term_start <= year,
                                                 TermPlan.term_end >= year)
                          .order_by(TermPlan.term_start.desc()).limit(1))


def list_plans(session: Session, actor: User) -> list[TermPlan]:
    require_view(actor)
    return list(session.scalars(select(TermPlan).order_by(TermPlan.term_start.desc(), TermPlan.id.desc())))


def get_plan(session: Session, plan_id: int, actor: User) -> TermPlan:
    require_view(actor)
    plan = session.get(TermPlan, plan_id)
    if plan is None:
        raise NotFound("No such term plan.", plan=plan_id)
    return plan


def department_dicts(session: Session, codes=None, active_only: bool = True) -> dict[str, dict]:
    """{code: the department as the annual models see it}, ordered by code."""
    query = select(Department).order_by(Department.code)
    if active_only:
        query = query.where(Department.is_active.is_(True))
    if codes is not None:
        query = query.where(Department.code.in_(list(codes)))
    offices = {o.code: o for o in org.all_units(session, "office")}
    found = {}
    for d in session.scalars(query):
        office = offices.get(d.office_code)
        found[d.code] = {
            "code": d.code, "name": d.name, "short_name": d.short_name, "group": d.group_name,
            "office_code": d.office_code, "office_name": office.name if office else None,
            "office_group": office.group_name if office else None, "leader": d.leader_name,
            "vice_mayor": d.vice_mayor, "superior": d.superior, "party_group": d.party_group}
    return found


def planned_departments(session: Session, year: int) -> list[dict]:
    """The year's departments in the approved plan, with the plan's office, leader and deadline."""
    plan = approved_plan(session, int(year))
    if plan is None:
        return []
    rows = [row for row in plan.rows if row.year == int(year)]
    departments = department_dicts(session, [row.department_code for row in rows], active_only=False)
    offices = {o.code: o for o in org.all_units(session, "office")}
    result = []
    for row in sorted(rows, key=lambda r: r.department_code):
        item = dict(departments.get(row.department_code) or {"code": row.department_code, "name": row.department_code})
        office = offices.get(row.office_code)
        item.update(office_code=row.office_code, office_name=office.name if office else None,
                    office_group=office.group_name if office else None, leader=row.leader_name,
                    deadline=row.deadline.isoformat())
        result.append(item)
    return result


@dataclass
class Coverage:
    term_start: int
    term_end: int
    plan: TermPlan | None
    years: dict[int, list[dict]] = field(default_factory=dict)  # year: planned departments
    unplanned: list[dict] = field(default_factory=list)         # active departments planned in no year
    evaluated: dict[str, list[int]] = field(default_factory=dict)  # code: years with a closed meeting ballot


def coverage(session: Session, term_start: int) -> Coverage:
    term_end = term_start + TERM_YEARS - 1
    plan = session.scalar(select(TermPlan).where(TermPlan.term_start == term_start, TermPlan.status == "approved"))
    result = Coverage(term_start, term_end, plan, {year: [] for year in range(term_start, term_end + 1)})
    planned = set()
    if plan is not None:
        for year in result.years:
            result.years[year] = planned_departments(session, year)
            planned.update(item["code"] for item in result.years[year])
    result.unplanned = [d for code, d in department_dicts(session).items() if code not in planned]
    for code, year in session.execute(
            select(Ballot.subject_key, Ballot.year).where(
                Ballot.kind == "meeting", Ballot.status == "closed", Ballot.subject_key.is_not(None),
                Ballot.year >= term_start, Ballot.year <= term_end).order_by(Ballot.year)):
        years = result.evaluated.setdefault(code, [])
        if year not in years:
            years.append(year)
    return result
