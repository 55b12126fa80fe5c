"""The rectification ledger (整改台账): every problem a department was asked to rectify in a year, from
the opinions as issued, with the measures of its plan and what its report says became of it.

It reads the steps of the shipped models by id (processes/README.md). A department's rectification
begins when its opinions are issued: that is when its `submit_plan` task opens (due a month later).
Its rows are
- the opinions (`opinions`: problem, target, deadline): the latest completed `draft_opinions` of the
  branch (processes/evaluation_rectification.bpmn), else the `opinions` of the start data (a
  rectification run on its own, processes/rectification.bpmn);
- the latest completed `submit_plan` (`plan_items`: problem, target, measures, deadline, responsible)
  and `submit_report` (`report_items`: problem, status, evidence), matched by problem, in order.
A department that has not handed in a plan has its opinions without measures (`plan_task_id` None);
a plan or report step still open after its due date makes its rows overdue. A department is the
branch the steps ran in (the year's per-department rectification), else the `department` a
rectification run on its own was started with. Each person sees the rows of the instances and
branches they may see (engine/permissions.py), as everywhere else. A year costs the same handful of
queries however many departments it has.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from engine import clock
from engine.labels import for_version as version_labels
from engine.models import AuditEvent, HumanTask, ProcessInstance
from engine.models import TaskState as RowState
from engine.permissions import instance_views
from engine.services import scope

OPINIONS_STEP, PLAN_STEP, REPORT_STEP = "draft_opinions", "submit_plan", "submit_report"
OPINIONS, PLAN_ITEMS, REPORT_ITEMS = "opinions", "plan_items", "report_items"
DONE = "done"  # a unit's steps: {element id: its latest task, (element id, DONE): its latest completed one}


@dataclass
class Entry:
    year: int | None
    department: str
    problem: str
    target: str = ""
    opinion_deadline: str = ""    # the opinion's own 整改时限, as issued
    measures: str = ""
    deadline: str = ""            # the plan's
    responsible: str = ""
    status: str = ""              # the report's status as its form names it; "" before a report
    evidence: str = ""
    plan_task_id: int | None = None   # None: the department has not handed in a plan
    report_task_id: int | None = None
    reported_at: datetime | None = None
    overdue: str = ""             # PLAN_STEP or REPORT_STEP: that step is still open after its due date
    overdue_since: datetime | None = None


def years(session: Session, instance_years: dict[int, int] | None = None) -> list[int]:
    """The years in which opinions were issued to a department, newest first."""
    instance_years = scope.instance_years(session) if instance_years is None else instance_years
    issued = set(session.scalars(select(HumanTask.instance_id).distinct().where(HumanTask.element_id == PLAN_STEP)))
    return sorted({y for iid, y in instance_years.items() if iid in issued}, reverse=True)


def year_ledger(session: Session, user, year: int | None = None) -> tuple[list[int], int | None, list[Entry]]:
    """(the years there are, the year shown: `year` or else the latest, its rows `user` may see)."""
    instance_years = scope.instance_years(session)
    found = years(session, instance_years)
    shown = year or (found[0] if found else None)
    return found, shown, ledger(session, user, shown, instance_years) if shown is not None else []


def ledger(session: Session, user, year: int | None = None,
           instance_years: dict[int, int] | None = None) -> list[Entry]:
    """The ledger rows `user` may see (of `year`, when given), by department, in the opinions' order."""
    instance_years = scope.instance_years(session) if instance_years is None else instance_years
    units = _units(session, user, year, instance_years)
    instances = {i.id: i for i in session.scalars(select(ProcessInstance).where(
        ProcessInstance.id.in_({iid for iid, _branch in units})).options(selectinload(ProcessInstance.version)))}
    started = _start_data(session, [iid for (iid, branch) in units if branch is None])
    now = clock.now()
    rows: list[Entry] = []
    for (instance_id, branch), steps in units.items():
        instance, start = instances[instance_id], started.get(instance_id, {}) if branch is None else {}
        department = steps[PLAN_STEP].branch_label or _text(start.get("department")).strip() or instance.title
        opinions = steps.get((OPINIONS_STEP, DONE))
        listed = _items(opinions.submitted if opinions else start, OPINIONS)
        plan, report = steps.get((PLAN_STEP, DONE)), steps.get((REPORT_STEP, DONE))
        if plan is not None and report is not None and report.id < plan.id:
            report = None  # an earlier round's report: the latest plan has not been reported on yet
        entries = _entries(session, instance, Entry(instance_years.get(instance_id), department, ""),
                           listed, plan, report)
        late = next((step for step in (steps[PLAN_STEP], steps.get(REPORT_STEP))
                     if step is not None and step.state == RowState.OPEN and step.due_at and step.due_at < now),
                    None)
        for entry in entries if late is not None else ():
            entry.overdue, entry.overdue_since = late.element_id, late.due_at
        rows.extend(entries)
    rows.sort(key=lambda e: (-(e.year or 0), e.department))
    return rows


def _units(session, user, year, instance_years) -> dict[tuple[int, str | None], dict]:
    """Each department's rectification `user` may see, by (instance, branch): its steps (see DONE);
    those whose opinions were issued (a `submit_plan`), less those stopped before a plan came."""
    query = (select(HumanTask).where(HumanTask.element_id.in_((OPINIONS_STEP, PLAN_STEP, REPORT_STEP)))
             .options(undefer(HumanTask.submitted)).order_by(HumanTask.id))
    if year is not None:
        query = query.where(HumanTask.instance_id.in_([iid for iid, y in instance_years.items() if y == year]))
    found = session.scalars(query).all()
    views = instance_views(session, [task.instance_id for task in found], user)
    units: dict[tuple[int, str | None], dict] = {}
    for task in found:
        view = views.get(task.instance_id)
        if view is not None and view.sees(task.branch):
            steps = units.setdefault((task.instance_id, task.branch), {})
            steps[task.element_id] = task  # later rows win
            if task.state == RowState.COMPLETED:
                steps[(task.element_id, DONE)] = task
    return {key: steps for key, steps in units.items() if PLAN_STEP in steps and (
        (PLAN_STEP, DONE) in steps or steps[PLAN_STEP].state == RowState.OPEN)}


def _start_data(session: Session, instance_ids: list[int]) -> dict[int, dict]:
    """The start data of each instance (a rectification run on its own names its department and
    opinions there)."""
    if not instance_ids:
        return {}
    rows = session.execute(select(AuditEvent.instance_id, AuditEvent.data_after).where(
        AuditEvent.event_type == "instance_started", AuditEvent.instance_id.in_(instance_ids)))
    return {iid: data for iid, data in rows if isinstance(data, dict)}


def _items(data: dict | None, key: str) -> list[dict]:
    items = (data or {}).get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _text(value) -> str:
    return "" if value is None else str(value)


def _entries(session, instance, blank: Entry, opinions, plan, report) -> list[Entry]:
    """A row per opinion; the plan's rows matched to them by problem, in order (the plan form lists
    the opinions, so a problem named twice is matched in order), then the report's rows to those.
    A plan or report row on a problem no opinion names comes after."""
    entries = [Entry(blank.year, blank.department, _text(item.get("problem")).strip(),
                     target=_text(item.get("target")), opinion_deadline=_text(item.get("deadline")))
               for item in opinions]
    for entry, item in _line_up(entries, _items(plan and plan.submitted, PLAN_ITEMS), blank):
        entry.target = entry.target or _text(item.get("target"))
        entry.measures, entry.deadline = _text(item.get("measures")), _text(item.get("deadline"))
        entry.responsible, entry.plan_task_id = _text(item.get("responsible")), plan.id
    if report is not None:
        labels = version_labels(session, instance.version).for_element(REPORT_STEP)
        for entry, item in _line_up(entries, _items(report.submitted, REPORT_ITEMS), blank):
            status = item.get("status")
            entry.status = labels.choice("status", status) or _text(status)
            entry.evidence = _text(item.get("evidence"))
            entry.report_task_id, entry.reported_at = report.id, report.completed_at
    return entries or [Entry(blank.year, blank.department, "")]  # no opinions on record: the department still shows


def _line_up(entries: list[Entry], items: list[dict], blank: Entry):
    """Each item with the first entry on its problem not yet taken; an item on another problem gets a
    new entry at the end."""
    waiting: dict[str, list[Entry]] = {}
    for entry in entries:
        waiting.setdefault(entry.problem, []).append(entry)
    for item in items:
        problem = _text(item.get("problem")).strip()
        if waiting.get(problem):
            yield waiting[problem].pop(0), item
        else:
            entry = Entry(blank.year, blank.department, problem)
            entries.append(entry)
            yield entry, item
