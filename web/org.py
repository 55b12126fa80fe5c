"""Organisation and people (机构与人员): departments, committee offices, committee members, deputies and
observer units. The evaluation office and administrators edit; auditors read; everyone else gets 403."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import Conflict, InvalidInput
from engine.services import org, org_people, term_plans
from web.db import get_session
from web.org_forms import OBSERVER_KINDS, TABS, Tab, add_errors, form_values, make_form

bp = Blueprint("org", __name__, url_prefix="/org")


@bp.app_context_processor
def navigation() -> dict:
    signed_in = getattr(current_user, "is_authenticated", False)
    return {"may_see_org": signed_in and org.may_view(current_user),
            "may_see_term_plans": signed_in and term_plans.may_view(current_user)}


@bp.context_processor
def labels() -> dict:
    return {"TABS": TABS, "OBSERVER_KINDS": OBSERVER_KINDS}


def tab_of(name: str) -> Tab:
    if name not in TABS:
        abort(404)
    return TABS[name]


def require_view() -> None:
    if not org.may_view(current_user):
        abort(403)


def require_manage() -> None:
    if not org.may_manage(current_user):
        abort(403)


def rows_of(tab: Tab, search: str) -> list[dict]:
    session = get_session()
    if tab.is_person:
        return [{**org_people.snapshot(user, profile, tab.kind), "key": user.username}
                for user, profile in org_people.list_people(session, tab.kind, current_user, search)]
    offices = {o.code: o.name for o in org.all_units(session, "office")}
    rows = []
    for unit in org.list_units(session, tab.kind, current_user, search):
        row = {**org.snapshot(unit), "key": unit.code}
        if tab.kind == "department" and unit.office_code:
            row["office_code"] = offices.get(unit.office_code, unit.office_code)
        if tab.kind == "observer":
            row["kind"] = str(OBSERVER_KINDS.get(unit.kind, unit.kind))
        rows.append(row)
    return rows


@bp.get("/")
@login_required
def index():
    require_view()
    return redirect(url_for(".listing", tab="departments"))


@bp.get("/<tab>/")
@login_required
def listing(tab: str):
    require_view()
    found = tab_of(tab)
    search = request.args.get("q", "").strip()[:100]
    return render_template("org/list.html", tab=tab, spec=found, rows=rows_of(found, search), search=search,
                           may_manage=org.may_manage(current_user))


@bp.route("/<tab>/new", methods=["GET", "POST"])
@login_required
def new(tab: str):
    require_manage()
    found = tab_of(tab)
    form = make_form(get_session(), found)
    if form.validate_on_submit():
        return _save(tab, found, form, None)
    return render_template("org/form.html", tab=tab, spec=found, form=form, key=None), 422 if form.errors else 200


@bp.route("/<tab>/<key>/edit", methods=["GET", "POST"])
@login_required
def edit(tab: str, key: str):
    require_manage()
    found, session = tab_of(tab), get_session()
    if found.is_person:
        user, profile = org_people.get_person(session, found.kind, key, current_user)
        current = org_people.snapshot(user, profile, found.kind)
    else:
        current = org.snapshot(org.get_unit(session, found.kind, key, current_user))
    form = make_form(session, found, None if request.method == "POST" else current)
    getattr(form, found.key).data = key  # the key stays what it was
    if form.validate_on_submit():
        return _save(tab, found, form, key)
    return render_template("org/form.html", tab=tab, spec=found, form=form, key=key,
                           is_active=current["is_active"]), 422 if form.errors else 200


def _save(tab: str, found: Tab, form, key: str | None):
    session, values = get_session(), form_values(form)
    try:
        if found.is_person and key is None:
            org_people.save_person(session, found.kind, values, current_user, must_be_new=True,
                                   link_existing=form.link_existing.data)
        elif found.is_person:
            org_people.update_person(session, found.kind, key, values, current_user)
        elif key is None:
            org.create_unit(session, found.kind, values, current_user)
        else:
            org.update_unit(session, found.kind, key, values, current_user)
    except InvalidInput as exc:
        session.rollback()
        add_errors(form, exc.errors)
    except Conflict:
        session.rollback()
        add_errors(form, {found.key: "taken"})
    else:
        session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".listing", tab=tab))
    return render_template("org/form.html", tab=tab, spec=found, form=form, key=key), 422


@bp.post("/<tab>/<key>/<any(deactivate, activate):action>")
@login_required
def set_active(tab: str, key: str, action: str):
    require_manage()
    found, session = tab_of(tab), get_session()
    if found.is_person:
        org_people.update_person(session, found.kind, key, {"is_active": action == "activate"}, current_user)
    else:
        org.update_unit(session, found.kind, key, {"is_active": action == "activate"}, current_user)
    session.commit()
    flash(_("Deactivated.") if action == "deactivate" else _("Active again."), "success")
    return redirect(url_for(".listing", tab=tab))
