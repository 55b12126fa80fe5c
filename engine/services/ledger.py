"""The rectification ledger (整改台账): every problem a department was asked to rectify in a year,
with the measures of its plan and what its report says became of it.

It reads the steps of the shipped rectification model (processes/rectification.bpmn): the latest
completed `submit_plan` (its `plan_items`: problem, target, measures, deadline, responsible) and
`submit_report` (its `report_items`: problem, status, evidence) of each department, matched by
problem. A department is the branch the steps ran in (the year's per-department rectification),
else the `department` a rectification run on its own was started with. Each person sees the rows of the
instances and branches they may see (engine/permissions.py), as everywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from engine.labels import for_version as version_labels
from engine.models import AuditEvent, HumanTask, ProcessInstance
from engine.models import TaskState as RowState
from engine.permissions import instance_views
from engine.services import scope

PLAN_STEP, REPORT_STEP = "submit_plan", "submit_report"
PLAN_ITEMS, REPORT_ITEMS = "plan_items", "report_items"


@dataclass
class Entry:
    year: int | None
    department: str
    problem: str
    target: str = ""
    measures: str = ""
    deadline: str = ""
    responsible: str = ""
    status: str = ""              # the report's status as its form names it; "" before a report
    evidence: str = ""
    plan_task_id: int | None = None
    report_task_id: int | None = None
    reported_at: datetime | None = None


def years(session: Session, instance_years: dict[int, int] | None = None) -> list[int]:
    """The years that have a completed rectification plan, newest first."""
    instance_years = scope.instance_years(session) if instance_years is None else instance_years
    with_plans = set(session.scalars(select(HumanTask.instance_id).distinct().where(
        HumanTask.element_id == PLAN_STEP, HumanTask.state == RowState.COMPLETED)))
    return sorted({y for iid, y in instance_years.items() if iid in with_plans}, reverse=True)


def year_ledger(session: Session, user, year: int | None = None) -> tuple[list[int], int | None, list[Entry]]:
    """(the years there are, the year shown: `year` or else the latest, its rows `user` may see)."""
    instance_years = scope.instance_years(session)
    found = years(session, instance_years)
    shown = year or (found[0] if found else None)
    return found, shown, ledger(session, user, shown, instance_years) if shown is not None else []


def ledger(session: Session, user, year: int | None = None,
           instance_years: dict[int, int] | None = None) -> list[Entry]:
    """The ledger rows `user` may see (of `year`, when given), by department, in the plan's order."""
    instance_years = scope.instance_years(session) if instance_years is None else instance_years
    query = (select(HumanTask).where(HumanTask.element_id.in_((PLAN_STEP, REPORT_STEP)),
                                     HumanTask.state == RowState.COMPLETED)
             .options(undefer(HumanTask.submitted)).order_by(HumanTask.completed_at, HumanTask.id))
    if year is not None:
        query = query.where(HumanTask.instance_id.in_([iid for iid, y in instance_years.items() if y == year]))
    found = session.scalars(query).all()
    views = instance_views(session, [task.instance_id for task in found], user)
    latest: dict[tuple[int, str | None], dict[str, HumanTask]] = {}
    for task in found:
        view = views.get(task.instance_id)
        if view is not None and view.sees(task.branch):
            latest.setdefault((task.instance_id, task.branch), {})[task.element_id] = task  # later rows win
    instances = {i.id: i for i in session.scalars(select(ProcessInstance).where(
        ProcessInstance.id.in_({iid for iid, _branch in latest})).options(selectinload(ProcessInstance.version)))}
    named = _departments_named_at_start(session, [iid for (iid, branch) in latest if branch is None])
    rows: list[Entry] = []
    for (instance_id, _branch), steps in latest.items():
        plan, report = steps.get(PLAN_STEP), steps.get(REPORT_STEP)
        if plan is not None and report is not None and report.id < plan.id:
            report = None  # an earlier round's report: the latest plan has not been reported on yet
        instance = instances[instance_id]
        department = (plan or report).branch_label or named.get(instance_id) or instance.title
        rows.extend(_entries(session, instance, instance_years.get(instance_id), department, plan, report))
    rows.sort(key=lambda e: (-(e.year or 0), e.department))
    return rows


def _departments_named_at_start(session: Session, instance_ids: list[int]) -> dict[int, str]:
    """The `department` of each instance's start data (a rectification run on its own names it there)."""
    if not instance_ids:
        return {}
    name = scope.json_text(AuditEvent.data_after, "department")
    rows = session.execute(select(AuditEvent.instance_id, name).where(
        AuditEvent.event_type == "instance_started", AuditEvent.instance_id.in_(instance_ids)))
    return {iid: name.strip() for iid, name in rows if name and name.strip()}


def _items(task: HumanTask | None, key: str) -> list[dict]:
    items = (task.submitted or {}).get(key) if task is not None else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _text(value) -> str:
    return "" if value is None else str(value)


def _entries(session, instance, year, department, plan, report) -> list[Entry]:
    """The plan's rows, each with the report row on the same problem (the report form lists the
    plan's problems, so a problem named twice is matched in order); report rows on other problems
    (an older report) come after."""
    labels = version_labels(session, instance.version).for_element(REPORT_STEP)
    reported: dict[str, list[dict]] = {}
    for item in _items(report, REPORT_ITEMS):
        reported.setdefault(_text(item.get("problem")).strip(), []).append(item)
    entries = []
    for item in _items(plan, PLAN_ITEMS):
        problem = _text(item.get("problem")).strip()
        entry = Entry(year=year, department=department, problem=problem, target=_text(item.get("target")),
                      measures=_text(item.get("measures")), deadline=_text(item.get("deadline")),
                      responsible=_text(item.get("responsible")), plan_task_id=plan.id)
        if reported.get(problem):
            _report(entry, reported[problem].pop(0), report, labels)
        entries.append(entry)
    for problem, items in reported.items():
        for item in items:
            entries.append(_report(Entry(year=year, department=department, problem=problem), item, report, labels))
    return entries


def _report(entry: Entry, item: dict, report: HumanTask, labels) -> Entry:
    status = item.get("status")
    entry.status = labels.choice("status", status) or _text(status)
    entry.evidence = _text(item.get("evidence"))
    entry.report_task_id, entry.reported_at = report.id, report.completed_at
    return entry
