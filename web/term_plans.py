"""Term plans (规划表): the plans of each term with their status, a plan's rows, and the coverage of
a term (years × departments; unplanned departments highlighted; evaluated ones ticked). Plans are
drafted and approved in the process 届期评议规划; these pages only read."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from engine import dates
from engine.errors import NotFound
from engine.permissions import can_view_instance
from engine.services import instances, org, processes, term_plans
from web import documents, numbers
from web.db import get_session
from web.org_forms import TABS

bp = Blueprint("term_plans", __name__, url_prefix="/term-plans")
PROCESS_ID = "term_plan"

STATUS_LABELS = {"draft": _l("draft"), "submitted": _l("submitted for approval"), "approved": _l("approved"),
                 "returned": _l("returned for changes")}
STATUS_COLOURS = {"draft": "secondary", "submitted": "info", "approved": "success", "returned": "warning"}


@bp.context_processor
def labels() -> dict:
    return {"STATUS_LABELS": STATUS_LABELS, "STATUS_COLOURS": STATUS_COLOURS, "TABS": TABS}


def require_view() -> None:
    if not term_plans.may_view(current_user):
        abort(403)


@bp.get("/")
@login_required
def index():
    require_view()
    plans = term_plans.list_plans(get_session(), current_user)
    terms: dict[int, list] = {}
    for plan in plans:
        terms.setdefault(plan.term_start, []).append(plan)
    return render_template("term_plans/index.html", terms=terms, may_draft=_may_draft())


def _may_draft() -> bool:
    """Whether the viewer may start the process that drafts a plan (its start lane is 评议办)."""
    session = get_session()
    try:
        version = processes.latest_version(session, PROCESS_ID)
    except NotFound:
        return False
    return instances.may_start(session, version, current_user)


def _plan(plan_id: int):
    """The plan the user may see, with the departments and offices it names, by code."""
    require_view()
    session = get_session()
    plan = term_plans.get_plan(session, plan_id, current_user)
    departments = {d.code: d for d in org.all_units(session, "department")}
    offices = {o.code: o for o in org.all_units(session, "office")}
    return session, plan, departments, offices


@bp.get("/<int:plan_id>")
@login_required
def show(plan_id: int):
    session, plan, departments, offices = _plan(plan_id)
    instance_link = plan.instance_id is not None and can_view_instance(session, plan.instance_id, current_user)
    return render_template("term_plans/show.html", plan=plan, departments=departments, offices=offices,
                           instance_link=instance_link)


@bp.get("/<int:plan_id>.xlsx")
@login_required
def workbook(plan_id: int):
    """The plan as the office keeps it in Excel: a row per department and year."""
    _session, plan, departments, offices = _plan(plan_id)

    def name(units: dict, code: str | None) -> str:
        return units[code].name if code in units else (code or "")

    rows = [[row.year, name(departments, row.department_code), row.department_code, name(offices, row.office_code),
             row.leader_name or "", row.deadline] for row in plan.rows]
    header = [_("Year"), _("Department"), _("Code"), _("Responsible office"), _("Responsible leader"), _("Deadline")]
    title = _("Term plan %(start)s–%(end)s", start=plan.term_start, end=plan.term_end)
    return documents.send(documents.workbook(f"{plan.term_start}-{plan.term_end}", header, rows,
                                             (8, 28, 10, 20, 14, 12)),
                          f"{title}（{STATUS_LABELS[plan.status]}）.xlsx")


@bp.get("/coverage")
@login_required
def coverage():
    require_view()
    session = get_session()
    term = numbers.year_arg("term", 2000, 2100)
    if term is None:
        plan = term_plans.approved_plan(session, dates.today().year)
        term = plan.term_start if plan else dates.today().year
    result = term_plans.coverage(session, term)
    planned = [(year, d) for year, items in result.years.items() for d in items]
    return render_template("term_plans/coverage.html", result=result, planned=sorted(planned, key=lambda p: p[0]),
                           years=list(result.years))
