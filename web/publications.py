"""The office's side of the public pages: what was published, publishing by hand, withdrawing.

Only the office (group 评议办) and administrators; auditors read the list; everyone else gets 403. Processes publish
through the service operation `public.publish` (engine/services/public_operations.py).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from engine import dates
from engine.errors import InvalidInput
from engine.services import publications
from engine.services.opinion_channels import require_staff
from web import public
from web.db import get_session

bp = Blueprint("publications", __name__, url_prefix="/publications")
bp.context_processor(public.helpers)


@bp.app_context_processor
def nav() -> dict:
    """Whether the nav's 公开 link leads the signed-in user to this office page or to the public one."""
    return {"may_publish": bool(getattr(current_user, "is_authenticated", False)
                                and publications.may_publish(current_user))}


class PublishForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice("other", _l("Other publications")),
                                            SelectChoice("notice", _l("Public notice"))])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=publications.TITLE_MAX)])
    department_name = StringField(_l("Department (optional)"), validators=[Optional(), Length(max=128)])
    text = TextAreaField(_l("Text"), validators=[InputRequired(), Length(max=20000)])
    period_start = DateField(_l("Evaluation period from"), validators=[Optional()])
    period_end = DateField(_l("Evaluation period until"), validators=[Optional()])
    include_channels = BooleanField(_l("List the year's open opinion channels with their codes"), default=True)
    channels = TextAreaField(_l("How to give opinions (phone, e-mail, address)"), validators=[Length(max=5000)])
    contact = TextAreaField(_l("Contact"), validators=[Length(max=2000)])


def _body(form: PublishForm) -> dict:
    if form.kind.data != "notice":
        return {"text": form.text.data}
    period = {"start": form.period_start.data, "end": form.period_end.data}
    departments = publications.notice_departments(get_session(), form.year.data) if form.include_channels.data else []
    return {"intro": form.text.data, "period": period, "departments": departments,
            "channels": form.channels.data or "", "contact": form.contact.data or ""}


@bp.get("/")
@login_required
def index():
    if not publications.may_read_list(current_user):  # auditors read it (withdrawn texts: in the audit log)
        abort(403)
    return render_template("publications/index.html", items=publications.recent(get_session()))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require_staff(current_user, "publish on the public page")
    form = PublishForm(year=dates.today().year)
    if form.validate_on_submit():
        session = get_session()
        try:
            found = publications.publish(session, year=form.year.data, kind=form.kind.data, title=form.title.data,
                                         body=_body(form), department_name=form.department_name.data,
                                         actor=current_user)
        except InvalidInput:
            session.rollback()
            flash(_("Some answers are missing or invalid."), "danger")
        else:
            session.commit()
            flash(_("Published."), "success")
            return redirect(url_for("public.publication", public_id=found.public_id))
    return render_template("publications/new.html", form=form), 422 if form.errors else 200


@bp.post("/<public_id>/withdraw")
@login_required
def withdraw(public_id: str):
    session = get_session()
    try:
        publications.withdraw(session, public_id, request.form.get("reason"), current_user)
    except InvalidInput as exc:
        session.rollback()
        flash(_("The reason is too long.") if "too_long" in exc.errors.values()
              else _("Give the reason for withdrawing it."), "danger")
    else:
        session.commit()
        flash(_("Withdrawn. Its page now says so, with the date and the reason."), "success")
    return redirect(url_for(".index"))
