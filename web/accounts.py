"""Accounts and groups (账号, 用户组) under 机构与人员: administrators change them, auditors read them.

A temporary password is shown once, on the page answering the POST that made it: never in a flash
message (the session cookie is signed, not encrypted), never in the audit history, never cached.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import Conflict, InvalidInput, NotFound
from engine.services import accounts, tokens, users
from web import numbers
from web.account_forms import DeactivateForm, GroupForm, account_form, add_errors, error_text
from web.db import get_session
from web.org_forms import TABS

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.app_context_processor
def navigation() -> dict:
    return {"may_see_accounts": getattr(current_user, "is_authenticated", False) and accounts.may_view(current_user)}


@bp.context_processor
def tabs() -> dict:
    return {"TABS": TABS}


@bp.before_request
@login_required
def allowed():
    if not accounts.may_view(current_user):
        abort(403)
    if request.method != "GET" and not accounts.may_manage(current_user):
        abort(403)


def require_manage() -> None:
    if not accounts.may_manage(current_user):
        abort(403)


@bp.get("/")
def index():
    page = accounts.list_accounts(get_session(), current_user, accounts.AccountQuery(
        search=request.args.get("q", ""), group=request.args.get("group"),
        status=request.args.get("status", "active"), page=numbers.arg("page") or 1))
    return render_template("accounts/index.html", page=page, group_names=users.group_names(get_session()),
                           may_manage=accounts.may_manage(current_user))


def _values(form) -> dict:
    return {field.name: field.data for field in form if field.name != "csrf_token"}


@bp.route("/new", methods=["GET", "POST"])
def new():
    require_manage()
    session = get_session()
    form = account_form(users.group_names(session))
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            user, password = accounts.create_account(session, _values(form), current_user)
        except InvalidInput as exc:
            session.rollback()
            problems = add_errors(form, exc.errors)
        except Conflict:
            session.rollback()
            problems = add_errors(form, {"username": "taken"})
        else:
            session.commit()
            if password is None:
                flash(_("Account %(name)s created, without a password.", name=user.username), "success")
                return redirect(url_for(".edit", username=user.username))
            return _show_password(user, password, created=True)
    return render_template("accounts/form.html", form=form, account=None, problems=problems), \
        422 if form.errors or problems else 200


def account_or_404(username: str):
    try:
        return users.get_user(get_session(), username)
    except NotFound:
        abort(404)


@bp.route("/<username>/edit", methods=["GET", "POST"])
def edit(username: str):
    require_manage()
    session, user = get_session(), account_or_404(username)
    current = {**accounts.snapshot(user), "username": user.username, "groups": [g.name for g in user.groups]}
    form = account_form(users.group_names(session), None if request.method == "POST" else current, new=False,
                        first=current["groups"])
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            accounts.update_account(session, username, _values(form), current_user)
        except InvalidInput as exc:
            session.rollback()
            problems = add_errors(form, exc.errors)
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".index"))
    return render_template("accounts/form.html", form=form, account=user, problems=problems,
                           deactivate=DeactivateForm(), api_tokens=tokens.tokens_of(session, user)), \
        422 if form.errors or problems else 200


def _refused(user, exc: InvalidInput):
    get_session().rollback()
    for code in exc.errors.values():
        flash(error_text(code), "danger")
    return redirect(url_for(".edit", username=user.username))


def _show_password(user, password: str, created: bool = False):
    response = render_template("accounts/password.html", account=user, password=password, created=created)
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/<username>/password")
def reset_password(username: str):
    user = account_or_404(username)
    try:
        password = accounts.reset_password(get_session(), username, current_user)
    except InvalidInput as exc:
        return _refused(user, exc)
    get_session().commit()
    return _show_password(user, password)


@bp.post("/<username>/sign-out")
def sign_out(username: str):
    """End every session of an account (a phone lost): it signs in again with its password."""
    user = account_or_404(username)
    users.sign_out_everywhere(get_session(), user, current_user)
    get_session().commit()
    flash(_("%(name)s is signed out on every device.", name=user.display_name), "success")
    return redirect(url_for(".edit", username=user.username))


@bp.post("/<username>/deactivate")
def deactivate(username: str):
    user, form = account_or_404(username), DeactivateForm()
    if not form.validate_on_submit():
        flash(_("Say why the account is stopped."), "danger")
        return redirect(url_for(".edit", username=username))
    try:
        accounts.set_active(get_session(), username, False, current_user, form.reason.data)
    except InvalidInput as exc:
        return _refused(user, exc)
    get_session().commit()
    flash(_("%(name)s can no longer sign in.", name=username), "success")
    return redirect(url_for(".index"))


@bp.post("/<username>/activate")
def activate(username: str):
    user = account_or_404(username)
    try:
        accounts.set_active(get_session(), username, True, current_user)
    except InvalidInput as exc:
        return _refused(user, exc)
    get_session().commit()
    flash(_("%(name)s may sign in again.", name=username), "success")
    return redirect(url_for(".edit", username=username))


@bp.route("/groups/", methods=["GET", "POST"])
def groups():
    session, form = get_session(), GroupForm()
    if form.validate_on_submit():  # a POST: only administrators get here (allowed())
        try:
            accounts.create_group(session, form.name.data, form.title.data or "", current_user)
        except InvalidInput as exc:
            session.rollback()
            add_errors(form, exc.errors)
        except Conflict:
            session.rollback()
            form.name.errors = [*form.name.errors, _("This group exists already.")]
        else:
            session.commit()
            flash(_("Group %(name)s created.", name=form.name.data.strip()), "success")
            return redirect(url_for(".groups"))
    return render_template("accounts/groups.html", groups=accounts.groups_with_counts(session, current_user),
                           form=form, may_manage=accounts.may_manage(current_user)), 422 if form.errors else 200
