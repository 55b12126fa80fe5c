"""What the meeting sees: the big screen (turnout while open, the result once counted), the QR code
voters scan, the printable result sheet, and the year's ranking."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask_login import login_required

from engine import dates, rules
from engine.services import ballots, counting
from web import ballot_documents, numbers, opinion_kit
from web.ballots import require_view, void_message
from web.db import get_session

screen_bp = Blueprint("ballot_screen", __name__, url_prefix="/ballots")


def vote_url(ballot) -> str:
    return opinion_kit.public_url("voting.vote", public_id=ballot.public_id)


def status_of(session, ballot) -> dict:
    """What the big screen shows, as JSON (polled every second)."""
    body = {"status": ballot.status, "title": ballot.title, "subject": ballot.subject,
            "turnout": ballots.turnout(session, ballot), "announced": ballot.announced_at is not None}
    if ballot.status == "void":
        body["void_reason"] = void_message(ballot)
    if ballot.status == "closed" and ballot.tally:
        tally = ballot.tally
        body["result"] = {
            "grade": tally["grade"], "score": tally["score"],
            "options": [{"label": o["label"], "count": tally["pooled"]["counts"].get(o["code"], 0),
                         "rate": tally["pooled"]["rates"].get(o["code"], 0.0)} for o in tally["options"]],
            "invalid": tally["pooled"]["counts"].get(rules.INVALID, 0), "valid": tally["pooled"]["valid"],
            "ballots": tally["pooled"]["ballots"], "combined_rate": tally["pooled"]["combined_rate"]}
    return body


@screen_bp.get("/<public_id>/screen")
@login_required
def screen(public_id: str):
    require_view()
    session = get_session()
    ballot = ballots.get_ballot(session, public_id)
    return render_template("ballots/screen.html", ballot=ballot, url=vote_url(ballot),
                           svg=opinion_kit.qr_inline(vote_url(ballot)), state=status_of(session, ballot))


@screen_bp.get("/<public_id>/status.json")
@login_required
def status(public_id: str):
    require_view()
    session = get_session()
    response = jsonify(status_of(session, ballots.get_ballot(session, public_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@screen_bp.get("/<public_id>/qr.<any(png, svg):kind>")
@login_required
def qr(public_id: str, kind: str):
    require_view()
    ballot = ballots.get_ballot(get_session(), public_id)
    return opinion_kit.qr_response(vote_url(ballot), kind, f"vote-{ballot.public_id[:8]}")


@screen_bp.get("/<public_id>/result")
@login_required
def result(public_id: str):
    require_view()
    session = get_session()
    ballot = ballots.get_ballot(session, public_id)
    return render_template("ballots/result.html", ballot=ballot, tally=ballot.tally,
                           paper_counts=counting.paper_counts(session, ballot))


@screen_bp.get("/<public_id>/result.docx")
@login_required
def result_docx(public_id: str):
    require_view()
    session = get_session()
    ballot = ballots.get_ballot(session, public_id)
    return ballot_documents.result_sheet(ballot, ballot.tally,
                                         [teller for _entry, teller in counting.paper_counts(session, ballot)])


def _ranked():
    year = numbers.year_arg("year", 2000, 2100) or dates.today().year
    kind = request.args.get("kind", "meeting")
    kind = kind if kind in ("meeting", "reevaluation") else "meeting"
    lowest = min(numbers.arg("lowest") or 1, 50)
    return counting.ranking(get_session(), year, kind=kind, lowest=lowest), year, kind, lowest


@screen_bp.get("/ranking")
@login_required
def ranking():
    require_view()
    ranked, year, kind, lowest = _ranked()
    return render_template("ballots/ranking.html", ranked=ranked, year=year, kind=kind, lowest=lowest)


@screen_bp.get("/ranking.<any(xlsx, docx):file_kind>")
@login_required
def ranking_file(file_kind: str):
    require_view()
    ranked, year, kind, _lowest = _ranked()
    return ballot_documents.ranking(ranked, year, kind, file_kind)
