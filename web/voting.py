"""The voter's side of a secret ballot: the phone page reached from the inbox or the meeting's QR code.

A voter is either signed in or identified by their 代表码 (the deputy's own signed link). The vote
is cast in two transactions (see engine/services/ballots.py); between them the envelope is kept in
the voter's own session cookie only, so that a failure of the second step can be finished later.
On PostgreSQL both steps are first tried as one statement each (engine/services/ballot_box.py);
the careful path runs only when that did not put the choice in the box.
Nothing here logs, flashes or renders the choice after it is cast.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from engine.errors import AlreadyVoted, Conflict, InvalidInput, NotFound, PermissionDenied, VoteClosed
from engine.models import User
from engine.services import ballot_box, ballots, deputy_codes
from web import opinion_kit
from web.db import get_engine, get_session, session_factory

bp = Blueprint("voting", __name__)

PENDING = "pending_votes"  # {"<voter id>/<ballot public id>": envelope} between the two steps (never the choice)
ATTEMPTS = 3


def _key(voter_id: int, public_id: str) -> str:
    return f"{voter_id}/{public_id}"


def _pending_envelope(voter: User, public_id: str) -> str | None:
    """This voter's envelope still waiting for step 2 on this browser (another person's is not theirs)."""
    envelope = (session.get(PENDING) or {}).get(_key(voter.id, public_id))
    return envelope if isinstance(envelope, str) else None


def _set_pending(key: str, envelope: str | None) -> None:
    pending = dict(session.get(PENDING) or {})
    if envelope is None:
        pending.pop(key, None)
    else:
        pending[key] = envelope
    session[PENDING] = pending


def _finish(key: str, envelope: str, choice: str) -> str:
    """Step 2 with retries: "cast", "lost" (the vote closed first), "choose" (no valid choice) or
    "pending" (the database stayed busy; the voter can finish later)."""
    get_session().commit()  # the request's own transaction must not hold SQLite's write lock meanwhile
    for _attempt in range(ATTEMPTS):
        with session_factory()() as db:
            try:
                ballots.cast(db, envelope, choice)
                db.commit()
            except OperationalError:
                db.rollback()
                continue
            except InvalidInput:
                db.rollback()
                return "choose"
            except Conflict as exc:
                db.rollback()
                if isinstance(exc, VoteClosed):
                    _set_pending(key, None)
                    return "lost"
                _set_pending(key, None)  # spent: an earlier attempt put it in the box
                return "cast"
            except NotFound:
                db.rollback()  # the envelope was dropped when the vote closed
                _set_pending(key, None)
                return "lost"
        _set_pending(key, None)
        return "cast"
    return "pending"


def _state(voter: User, ballot) -> str:
    if _pending_envelope(voter, ballot.public_id):
        return "pending"
    row = ballots.is_voter(get_session(), ballot, voter)
    if row is None:
        return "not_voter"
    if row.has_voted:
        return "voted"
    if ballot.status != "open" or ballots.is_past_closing(ballot):
        return "closed"
    return "open"


def _page(voter: User, public_id: str, action: str, status: int = 200, error: str | None = None,
          state: str | None = None):
    db = get_session()
    ballot = ballots.get_ballot(db, public_id)
    return render_template("voting/vote.html", ballot=ballot, voter=voter, state=state or _state(voter, ballot),
                           action=action, options=ballot.rules["options"], error=error), status


def _refusal(exc: Exception) -> tuple[int, str]:
    """Why step 1 refused the ballot, in the voter's words (nothing was spent)."""
    if isinstance(exc, InvalidInput):
        return 422, _("Choose one of the options.")
    if isinstance(exc, VoteClosed):
        return 409, _("The vote is closed.")
    if isinstance(exc, AlreadyVoted):
        return 409, _("You have already voted; a cast ballot cannot be changed.")
    return 403, _("You are not a voter in this ballot.")


def _choice() -> str:
    """The one option chosen; none when the form carries two (the page offers one, as on paper a ballot
    marked twice counts for nothing: here it is refused and nothing is spent)."""
    chosen = request.form.getlist("choice")
    return chosen[0] if len(chosen) == 1 else ""


def _cast_at_once(public_id: str, voter_id_on: Callable[[Connection], int]) -> bool:
    """Both steps on PostgreSQL's fast path (engine/services/ballot_box.py), on one connection and
    without the request's session. True when the choice is in the box; otherwise the careful path
    runs: it finds out why not, or finishes step 2 from the envelope left pending here."""
    engine, choice = get_engine(), _choice()
    if not ballot_box.supported(engine) or any(key.endswith(f"/{public_id}") for key in session.get(PENDING) or {}):
        return False
    voter_id = envelope = None
    cast = False
    try:
        with ballot_box.connection(engine) as conn:
            voter_id = voter_id_on(conn)
            envelope = ballot_box.issue_envelope(conn, public_id, voter_id, choice)
            cast = envelope is not None and ballot_box.cast(conn, envelope, choice)
    except PermissionDenied:
        return False
    except OperationalError:
        pass  # the careful path retries what is left
    finally:
        if envelope is not None and not cast:  # whatever stopped step 2, this browser can finish it
            _set_pending(_key(voter_id, public_id), envelope)
    return cast


def _cast(voter: User, public_id: str, action: str):
    choice = _choice()
    envelope = _pending_envelope(voter, public_id)
    if envelope is None:
        db = get_session()
        try:
            envelope = ballots.issue_envelope(db, public_id, voter, choice)
            db.commit()
        except (InvalidInput, VoteClosed, AlreadyVoted, PermissionDenied) as exc:
            db.rollback()
            status, message = _refusal(exc)
            return _page(voter, public_id, action, status, message)
        _set_pending(_key(voter.id, public_id), envelope)
    outcome = _finish(_key(voter.id, public_id), envelope, choice)
    if outcome == "lost":
        return _page(voter, public_id, action, 409, state="lost")
    if outcome == "choose":
        return _page(voter, public_id, action, 422, _("Choose one of the options."))
    return redirect(action)


@bp.route("/v/<public_id>", methods=["GET", "POST"])
@login_required
def vote(public_id: str):
    action = url_for("voting.vote", public_id=public_id)
    if request.method == "POST":
        if _cast_at_once(public_id, lambda _conn: current_user.id):
            return redirect(action)
        return _cast(current_user, public_id, action)
    return _page(current_user, public_id, action)


@bp.route("/d/v/<public_id>", methods=["GET", "POST"])
def deputy_vote(public_id: str):
    """Voting through the deputy's own 代表码 (scanned before: web/opinions_public.py), without a password."""
    keys, action = opinion_kit.deputy_keys(), url_for("voting.deputy_vote", public_id=public_id)
    token = request.cookies.get(opinion_kit.DEPUTY_COOKIE, "")
    if request.method == "POST" and _cast_at_once(public_id, lambda conn: deputy_codes.verified_id(conn, token, keys)):
        return redirect(action)
    try:
        deputy = deputy_codes.verify(get_session(), opinion_kit.deputy_token(), keys)
    except PermissionDenied as exc:
        return render_template("voting/refused.html", reason=exc.params.get("reason"),
                               signed_in_vote=url_for("voting.vote", public_id=public_id)), 403
    if request.method == "POST":
        return _cast(deputy, public_id, action)
    return _page(deputy, public_id, action)


@bp.after_request
def private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response

