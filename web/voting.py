"""The voter's side of a secret ballot: the phone page reached from the inbox or the meeting's QR code.

A voter is either signed in or identified by their 代表码 (the deputy's own signed link). The vote
is cast in two transactions (see engine/services/ballots.py); between them the envelope is kept in
the voter's own session cookie only, so that a failure of the second step can be finished later.
Nothing here logs, flashes or renders the choice after it is cast.
"""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError

from engine.errors import AlreadyVoted, Conflict, InvalidInput, NotFound, PermissionDenied, VoteClosed
from engine.models import User
from engine.services import ballots, deputy_codes
from web import opinion_kit
from web.db import get_session, session_factory

bp = Blueprint("voting", __name__)

PENDING = "pending_votes"  # {ballot public id: [envelope, choice]} between the two steps
ATTEMPTS = 3


def _pending() -> dict:
    return session.get(PENDING) or {}


def _set_pending(public_id: str, value: list | None) -> None:
    pending = dict(_pending())
    if value is None:
        pending.pop(public_id, None)
    else:
        pending[public_id] = value
    session[PENDING] = pending


def _finish(public_id: str) -> bool:
    """Step 2 with retries; True when the vote is in the box (or the envelope is gone for good)."""
    envelope, choice = _pending()[public_id]
    for _attempt in range(ATTEMPTS):
        with session_factory()() as db:
            try:
                ballots.cast(db, envelope, choice)
                db.commit()
            except OperationalError:
                db.rollback()
                continue
            except (NotFound, Conflict):
                db.rollback()  # spent already, or the vote closed before it arrived
                _set_pending(public_id, None)
                return False
        _set_pending(public_id, None)
        return True
    return False


def _state(voter: User, ballot) -> str:
    if ballot.public_id in _pending():
        return "pending"
    row = ballots.is_voter(get_session(), ballot, voter)
    if row is None:
        return "not_voter"
    if row.has_voted:
        return "voted"
    if ballot.status != "open" or ballots.is_past_closing(ballot):
        return "closed"
    return "open"


def _page(voter: User, public_id: str, action: str, status: int = 200, error: str | None = None):
    db = get_session()
    ballot = ballots.get_ballot(db, public_id)
    state = _state(voter, ballot)
    return render_template("voting/vote.html", ballot=ballot, voter=voter, state=state, action=action,
                           options=ballot.rules["options"], error=error), status


def _cast(voter: User, public_id: str, action: str):
    choice = request.form.get("choice", "")
    if public_id in _pending():
        _finish(public_id)
        return redirect(action)
    db = get_session()
    try:
        envelope = ballots.issue_envelope(db, public_id, voter, choice)
        db.commit()
    except InvalidInput:
        db.rollback()
        return _page(voter, public_id, action, 422, _("Choose one of the options."))
    except VoteClosed:
        db.rollback()
        return _page(voter, public_id, action, 409, _("The vote is closed."))
    except AlreadyVoted:
        db.rollback()
        return _page(voter, public_id, action, 409, _("You have already voted; a cast ballot cannot be changed."))
    except PermissionDenied:
        db.rollback()
        return _page(voter, public_id, action, 403, _("You are not a voter in this ballot."))
    _set_pending(public_id, [envelope, choice])
    _finish(public_id)
    return redirect(action)


@bp.route("/v/<public_id>", methods=["GET", "POST"])
@login_required
def vote(public_id: str):
    action = url_for("voting.vote", public_id=public_id)
    if request.method == "POST":
        return _cast(current_user, public_id, action)
    return _page(current_user, public_id, action)


@bp.route("/d/<token>/v/<public_id>", methods=["GET", "POST"])
def deputy_vote(token: str, public_id: str):
    """Voting through the deputy's own 代表码 link, without a password."""
    try:
        deputy = deputy_codes.verify(get_session(), token, opinion_kit.deputy_keys())
    except PermissionDenied as exc:
        return render_template("voting/refused.html", reason=exc.params.get("reason")), 403
    action = url_for("voting.deputy_vote", token=token, public_id=public_id)
    if request.method == "POST":
        return _cast(deputy, public_id, action)
    return _page(deputy, public_id, action)


@bp.after_request
def private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # a deputy's token is in the address
    return response

