"""Running a ballot: the office (or the chair's meeting) opens it, hands out and counts paper
ballots, closes and announces. Auditors may look; everyone else gets 403."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from engine import dates, rules
from engine.errors import EngineError, InvalidInput
from engine.services import ballots, counting
from web import numbers, pickers
from web.db import get_session
from web.errors import respond, user_message

bp = Blueprint("ballots", __name__, url_prefix="/ballots")

COMMITTEE_GROUP, DEPUTY_GROUP = "常委会组成人员", "代表"
GROUP_LABELS = {"committee": _l("Committee members"), "deputy": _l("Deputies")}
STATUS_LABELS = {"open": _l("voting"), "closed": _l("counted"), "void": _l("void")}


def labels() -> dict:
    return {"GROUP_LABELS": GROUP_LABELS, "STATUS_LABELS": STATUS_LABELS, "INVALID": rules.INVALID,
            "void_message": void_message}


def void_message(ballot) -> str:
    """Why a round is void, in the user's language (the stored reason is the audit's English)."""
    cause = counting.void_cause(get_session(), ballot)
    return cause_message(cause) if cause else ballot.void_reason or ""


def cause_message(cause: dict) -> str:
    if cause["code"] == "returned_over_issued":
        return _("More paper ballots were returned (%(returned)s) than issued (%(issued)s).", **cause)
    if cause["code"] == "over_voters" and cause["group"]:
        return _("More ballots (%(ballots)s) than voters (%(voters)s) among the %(group)s: someone voted twice, "
                 "on paper and on the phone, or a ballot was counted in the wrong group.", ballots=cause["ballots"],
                 voters=cause["voters"], group=GROUP_LABELS.get(cause["group"], cause["group"]))
    if cause["code"] == "over_voters":
        return _("More ballots (%(ballots)s) than voters (%(voters)s): someone voted twice, on paper and on the "
                 "phone.", ballots=cause["ballots"], voters=cause["voters"])
    if cause["group"]:
        return _("No quorum: %(present)s of the %(total)s Standing Committee members present, not more than half "
                 "(deputies do not count towards the quorum).", present=cause["present"], total=cause["members"])
    return _("No quorum: %(present)s present, not more than half of %(total)s.", present=cause["present"],
             total=cause["members"])


bp.app_context_processor(labels)


# What went wrong with a tellers' or the chair's action, in the user's language.
PROBLEMS = {
    "closed": _l("The vote is closed."),
    "counted_already": _l("You have entered your count already."),
    "mixed_paper": _l("Enter the paper ballots either one by one or as the tellers' totals, not both."),
    "not_voters": _l("Some of these people are not voters in this ballot or have voted already."),
    "two_tellers": _l("Two tellers must enter the paper count before the vote closes."),
    "tellers_differ": _l("The tellers' counts differ; they must count the paper ballots again."),
    "issued_missing": _l("Record how many paper ballots were issued before closing the vote."),
    "issued_differs": _l("The tellers count fewer paper ballots issued than were recorded as handed out; "
                         "they must count again."),
    "not_closed": _l("Only a closed vote can be announced."),
    "sum": _l("The counts must add up to the number of ballots returned."),
    "over_room": lambda p: _("%(count)s paper ballots cannot have been issued: only %(room)s voters have not voted "
                             "on the phone. Count the ballots handed out again.", **p),
    "over_voters": lambda p: _("%(count)s paper ballots issued, but the vote has only %(voters)s voters. Count "
                               "again.", **p),
    "group_over_voters": lambda p: _("%(count)s ballots counted for the %(group)s, who are only %(voters)s. Count "
                                     "again.", count=p["count"], voters=p["voters"],
                                     group=GROUP_LABELS.get(p["group"], p["group"])),
    "number": _l("Counts are whole numbers."),
    "min": _l("A count cannot be negative."),
    "required": _l("Choose the voters."),
}


@bp.errorhandler(EngineError)
def engine_error(exc: EngineError):
    """A refused action on the ballot page: say why on the same page (nothing was saved)."""
    public_id = (request.view_args or {}).get("public_id")
    reasons = [exc.params.get("reason"), *getattr(exc, "errors", {}).values()]
    message = next((PROBLEMS[r] for r in reasons if r in PROBLEMS), None)
    if callable(message):  # a message with the numbers of the refusal
        message = message(exc.params)
    if request.method != "POST" or public_id is None or exc.status in (403, 404):
        return respond(exc.status, str(message) if message else user_message(exc))
    get_session().rollback()
    flash(str(message) if message else user_message(exc), "danger")
    return redirect(url_for("ballots.show", public_id=public_id))


def require_run() -> None:
    if not ballots.may_run(current_user):
        abort(403)


def require_view() -> None:
    if not ballots.may_see_results(current_user):
        abort(403)


class OpenForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=255)])
    subject = StringField(_l("Department evaluated"), validators=[InputRequired(), Length(max=255)])
    subject_key = StringField(_l("Department key"), validators=[Optional(), Length(max=64)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice("meeting", _l("Evaluation meeting")),
                                            SelectChoice("reevaluation", _l("Re-evaluation of the rectification"))])
    rule_set = SelectField(_l("Counting rules"))
    committee_group = StringField(_l("Group of committee members"), validators=[Optional(), Length(max=128)])
    deputy_group = StringField(_l("Group of deputies (optional)"), validators=[Optional(), Length(max=128)])
    members_total = IntegerField(_l("Standing Committee members in all (the quorum counts them; empty: the members "
                                    "of the committee group)"), validators=[Optional(), NumberRange(1, 10000)])
    closes_at = DateTimeLocalField(_l("Closes by itself at (optional)"), validators=[Optional()],
                                   format="%Y-%m-%dT%H:%M")

    def validate_closes_at(self, field):
        if field.data is not None and not 2000 <= field.data.year <= 2100:
            raise ValidationError(_l("Choose a time between the years 2000 and 2100."))


@bp.get("/")
@login_required
def index():
    require_view()
    year = numbers.year_arg("year", 2000, 2100)
    return render_template("ballots/index.html", ballots=ballots.list_ballots(get_session(), year), year=year,
                           may_run=ballots.may_run(current_user))


# What opening a vote refused, by the engine's error code
OPEN_ERRORS = {"open_already": _l("A vote of this kind on this department is open already; close it first."),
               "no_such_group": _l("There is no group of this name."),
               "required": _l("Choose the groups whose members vote.")}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require_run()
    session = get_session()
    form = OpenForm(year=dates.today().year, committee_group=COMMITTEE_GROUP, rule_set="default")
    form.rule_set.choices = [SelectChoice(code, d["name"]) for code, d in ballots.rule_sets(session).items()]
    if form.validate_on_submit():
        try:
            voters = ballots.voters_from_groups(session, {"committee": form.committee_group.data,
                                                          "deputy": form.deputy_group.data})
            ballot = ballots.open_ballot(
                session, current_user, title=form.title.data, subject=form.subject.data, year=form.year.data,
                voters=voters, rule_set_code=form.rule_set.data, kind=form.kind.data,
                subject_key=form.subject_key.data or None, members_total=form.members_total.data,
                closes_at=_utc(form.closes_at.data))
        except InvalidInput as exc:
            session.rollback()
            for field, code in exc.errors.items():
                target = {"committee": form.committee_group, "deputy": form.deputy_group,
                          "subject": form.subject}.get(field)
                message = str(OPEN_ERRORS.get(code, OPEN_ERRORS["required"]))
                (target or form.committee_group).errors = [*(target or form.committee_group).errors, message]
            return render_template("ballots/new.html", form=form, **pickers.department_choices(session)), 422
        session.commit()
        flash(_("The vote is open."), "success")
        return redirect(url_for("ballots.show", public_id=ballot.public_id))
    return render_template("ballots/new.html", form=form, **pickers.department_choices(session)), \
        422 if form.errors else 200


def _utc(local: datetime | None) -> datetime | None:
    return None if local is None else local.replace(tzinfo=dates.LOCAL_TZ).astimezone(UTC)


@bp.get("/<public_id>")
@login_required
def show(public_id: str):
    require_view()
    session = get_session()
    ballot = ballots.get_ballot(session, public_id)
    return render_template("ballots/show.html", ballot=ballot, turnout=ballots.turnout(session, ballot),
                           voters=ballots.voters_of(session, ballot), may_run=ballots.may_run(current_user),
                           paper_counts=counting.paper_counts(session, ballot),
                           paper_room=counting.paper_room(session, ballot) if ballot.status == "open" else None,
                           groups=ballots.GROUPS)


def _done(public_id: str, message: str, category: str = "success"):
    get_session().commit()
    flash(message, category)
    return redirect(url_for("ballots.show", public_id=public_id))


@bp.post("/<public_id>/close")
@login_required
def close(public_id: str):
    require_run()
    session = get_session()
    ballot = counting.close_ballot(session, public_id, current_user)
    session.commit()
    counting.forget_order(session, ballot)
    if ballot.status == "void":  # the page says why, in its own alert
        flash(_("The vote is closed."), "warning")
    else:
        flash(_("The vote is closed and counted."), "success")
    return redirect(url_for("ballots.show", public_id=public_id))


@bp.post("/<public_id>/announce")
@login_required
def announce(public_id: str):
    require_run()
    counting.announce(get_session(), public_id, current_user)
    return _done(public_id, _("The announcement is recorded."))


def _count(name: str) -> int:
    count = numbers.whole(request.form.get(name, "").strip() or "0", 999_999)
    if count is None:
        raise InvalidInput("Counts are whole numbers.", errors={name: "number"})
    return count


@bp.post("/<public_id>/paper/issued")
@login_required
def paper_issued(public_id: str):
    require_run()
    counting.set_paper_issued(get_session(), public_id, current_user, _count("issued"))
    return _done(public_id, _("The number of paper ballots issued is recorded."))


@bp.post("/<public_id>/paper/to")
@login_required
def paper_to(public_id: str):
    require_run()
    ids = [n for n in map(numbers.whole, request.form.getlist("voter")) if n]
    if not ids:
        raise InvalidInput("Choose the voters.", errors={"voter": "required"})
    count = counting.issue_paper_to(get_session(), public_id, current_user, ids)
    return _done(public_id, _("%(count)s paper ballot(s) issued.", count=count))


@bp.post("/<public_id>/paper/count")
@login_required
def paper_count(public_id: str):
    require_run()
    session = get_session()
    ballot = ballots.get_ballot(session, public_id)
    codes = [o["code"] for o in ballot.rules["options"]] + [rules.INVALID]
    counts = {group: {code: _count(f"{group}.{code}") for code in codes} for group in ballots.GROUPS}
    row = counting.record_paper_count(session, public_id, current_user, issued=_count("issued"),
                                      returned=_count("returned"), counts=counts)
    voids = counting.paper_count_voids(session, ballot, row)
    if voids:
        return _done(public_id, _("Your count is recorded, but closing the vote with it voids the round: %(reason)s "
                                  "Count again if this is a mistake.", reason=cause_message(voids)), "warning")
    agree = counting.tellers_agree(session, ballot)
    if agree is False:
        return _done(public_id, _("Your count is recorded, but it differs from the other teller's. Count again; "
                                  "each teller may enter their count anew."), "warning")
    if agree:
        return _done(public_id, _("Your count is recorded and agrees with the other teller's. The vote can be "
                                  "closed."))
    return _done(public_id, _("Your count is recorded. A second teller enters theirs; the two must agree."))


@bp.post("/<public_id>/paper/ballot")
@login_required
def paper_ballot(public_id: str):
    require_run()
    counting.record_paper_ballot(get_session(), public_id, current_user, request.form.get("group", ""),
                                 request.form.get("choice", ""))
    return _done(public_id, _("Paper ballot entered."))
