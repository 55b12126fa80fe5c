"""The rectification ledger (整改台账): every problem a department was asked to rectify in a year,
with the measures of its plan and what its report says became of it.

It reads the steps of the shipped rectification model (processes/rectification.bpmn): the latest
completed `submit_plan` (its `plan_items`: problem, target, measures, deadline, responsible) and
`submit_report` (its `report_items`: problem, status, evidence) of each department, matched by
problem. A department is the branch the steps ran in (the year's per-department rectification),
else the `department` of a rectification run on its own. Each person sees the rows of the
instances and branches they may see (engine/permissions.py), as everywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import repository
from engine.labels import for_version as version_labels
from engine.models import HumanTask, ProcessInstance
from engine.models import TaskState as RowState
from engine.permissions import instance_view
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


def years(session: Session) -> list[int]:
    """The years that have a completed rectification plan, newest first."""
    with_plans = set(session.scalars(select(HumanTask.instance_id).distinct().where(
        HumanTask.element_id == PLAN_STEP, HumanTask.state == RowState.COMPLETED)))
    return sorted({y for iid, y in scope.instance_years(session).items() if iid in with_plans}, reverse=True)


def ledger(session: Session, user, year: int | None = None) -> list[Entry]:
    """The ledger rows `user` may see (of `year`, when given), by department, in the plan's order."""
    instance_years = scope.instance_years(session)
    found = session.scalars(select(HumanTask).where(HumanTask.element_id.in_((PLAN_STEP, REPORT_STEP)),
                                                    HumanTask.state == RowState.COMPLETED)
                            .order_by(HumanTask.completed_at, HumanTask.id))
    latest: dict[tuple[int, str | None], dict[str, HumanTask]] = {}
    views: dict[int, object] = {}
    for task in found:
        if year is not None and instance_years.get(task.instance_id) != year:
            continue
        if task.instance_id not in views:
            views[task.instance_id] = instance_view(session, task.instance_id, user)
        view = views[task.instance_id]
        if view is None or not view.sees(task.branch):
            continue
        latest.setdefault((task.instance_id, task.branch), {})[task.element_id] = task  # later rows win
    rows: list[Entry] = []
    for (instance_id, _branch), steps in latest.items():
        plan, report = steps.get(PLAN_STEP), steps.get(REPORT_STEP)
        instance = session.get(ProcessInstance, instance_id)
        department = (plan or report).branch_label or _department_of(session, instance)
        rows.extend(_entries(session, instance, instance_years.get(instance_id), department, plan, report))
    rows.sort(key=lambda e: (-(e.year or 0), e.department))
    return rows


def _department_of(session: Session, instance: ProcessInstance) -> str:
    """A rectification run on its own names its department in its data; else its title."""
    workflow = repository.peek(session, instance)
    data = workflow.data if workflow.is_completed() else (workflow.last_task or workflow.task_tree).data
    department = (data or {}).get("department")
    return department.strip() if isinstance(department, str) and department.strip() else instance.title


def _items(task: HumanTask | None, key: str) -> list[dict]:
    items = (task.submitted or {}).get(key) if task is not None else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _text(value) -> str:
    return "" if value is None else str(value)


def _entries(session, instance, year, department, plan, report) -> list[Entry]:
    labels = version_labels(session, instance.version).for_element(REPORT_STEP)
    reported = {_text(item.get("problem")).strip(): item for item in _items(report, REPORT_ITEMS)}
    entries = []
    for item in _items(plan, PLAN_ITEMS):
        problem = _text(item.get("problem")).strip()
        entries.append(Entry(year=year, department=department, problem=problem, target=_text(item.get("target")),
                             measures=_text(item.get("measures")), deadline=_text(item.get("deadline")),
                             responsible=_text(item.get("responsible")),
                             plan_task_id=plan.id))
    by_problem = {entry.problem: entry for entry in entries}
    for problem, item in reported.items():
        entry = by_problem.get(problem)
        if entry is None:  # reported without being in the plan: still in the ledger
            entry = Entry(year=year, department=department, problem=problem)
            entries.append(entry)
        status = item.get("status")
        entry.status = labels.choice("status", status) or _text(status)
        entry.evidence = _text(item.get("evidence"))
        entry.report_task_id, entry.reported_at = report.id, report.completed_at
    return entries
