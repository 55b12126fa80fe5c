"""Starting a year's evaluation (process `annual_evaluation`): refused for a year that already has one
running and for a year the approved term plan gives no departments; the year is the default title
("2027年度部门工作评议") and the business key, so years running side by side are told apart."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import repository
from engine.errors import InvalidInput
from engine.models import ProcessInstance
from engine.models.instances import OPEN_STATUSES
from engine.services import term_plans

PROCESS_ID = "annual_evaluation"


def _year_of(session: Session, instance: ProcessInstance) -> int | None:
    if instance.business_key:
        return int(instance.business_key) if instance.business_key.isdigit() else None
    year = repository.peek(session, instance).data.get("year")  # started before the year was its key
    return year if isinstance(year, int) else None


def running_for(session: Session, year: int) -> ProcessInstance | None:
    """The year's evaluation that is still open (running, waiting, stopped by an error or suspended)."""
    found = session.scalars(select(ProcessInstance).where(
        ProcessInstance.process_id == PROCESS_ID, ProcessInstance.status.in_(OPEN_STATUSES),
        or_(ProcessInstance.business_key == str(year), ProcessInstance.business_key.is_(None)))
        .order_by(ProcessInstance.id))
    return next((instance for instance in found if _year_of(session, instance) == year), None)


def check_start(session: Session, process_id: str, data: dict, title: str | None,
                business_key: str | None) -> tuple[str | None, str | None]:
    """(title, business key) to start `process_id` with; for a year's evaluation InvalidInput (code
    `year_running` or `year_not_planned` on `year`) when the year cannot be evaluated now."""
    year = data.get("year")
    if process_id != PROCESS_ID or not isinstance(year, int) or isinstance(year, bool):
        return title, business_key
    if running_for(session, year) is not None:
        raise InvalidInput(f"An evaluation of {year} is already running.", errors={"year": "year_running"})
    if not term_plans.planned_departments(session, year):
        raise InvalidInput(f"No approved term plan names departments for {year}.",
                           errors={"year": "year_not_planned"})
    return (title or "").strip() or f"{year}年度部门工作评议", business_key or str(year)
