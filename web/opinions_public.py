"""The pages reached by scanning a QR code, without signing in.

/o/<slug>  the 评议码 of one department: rating, opinion, optional name, phone and photos.
/d/<token> the 代表码 of one deputy: its scan exchanges the token for a cookie (opinion_kit.
           remember_deputy) and leads to /d/home, so that only the scan's address carries the
           token (addresses end up in logs and browser histories).
/d/home    the deputy's page: the year's open channels, a form for each (/d/c/<channel id>), their
           votes (/d/v/<ballot>, web/voting.py) and their own past opinions with what became of them.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine import dates
from engine.errors import EngineError, InvalidInput
from engine.services import ballots, deputy_codes, opinion_channels, opinions
from web import opinion_kit as kit
from web.db import get_session
from web.errors import user_message

bp = Blueprint("opinions_public", __name__)
bp.after_request(kit.protect)


@bp.before_request
def public_cap() -> None:
    """No account needed here: a body is at most the photos a citizen may send (not a task form's files)."""
    request.max_content_length = opinions.MAX_PHOTOS * current_app.config["OPINION_PHOTO_MAX_SIZE"] + 1024 * 1024
bp.context_processor(kit.labels)


def notice(status: int, message: str, title: str | None = None):
    get_session().rollback()
    return render_template("opinions/public_notice.html", message=message, title=title or _("Sorry"),
                           status=status), status


@bp.errorhandler(EngineError)
def engine_error(exc: EngineError):
    messages = {
        "channel_closed": _("Opinions for this evaluation are no longer being collected. Thank you for your "
                            "interest."),
        "duplicate_opinion": _("We have already received this opinion from you today; there is no need to send it "
                               "again."),
        "not_found": _("This code does not exist or is no longer in use."),
    }
    if exc.code == "permission_denied" and "reason" not in exc.params:  # not a 代表码: e.g. an auditor's browser
        return notice(403, user_message(exc))
    if exc.code == "permission_denied":
        reason = exc.params.get("reason")
        message = {"expired": _("This deputy code has expired. Please ask the evaluation office for a new one."),
                   "revoked": _("This deputy code is no longer valid. Please ask the evaluation office for a new one."),
                   "missing": _("Please scan the QR code of your deputy code again.")
                   }.get(reason, _("This deputy code is not valid."))
        return notice(403, message)
    return notice(exc.status, messages.get(exc.code, _("The request could not be completed.")))


@bp.errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    return notice(400, _("The page expired. Please go back, reload it and send your opinion again."))


@bp.errorhandler(413)
def too_large(exc: HTTPException):
    return notice(413, _("The photos are too large. Please send smaller ones or fewer."))


@bp.errorhandler(429)
def too_many(exc: HTTPException):
    return notice(429, _("You have sent several opinions in a short time. Please try again later."))


def _render_form(form, channel, status: int = 200, deputy=None):
    return render_template("opinions/public_form.html", form=form, channel=channel, deputy=deputy,
                           max_mb=kit.photo_store().max_size // (1024 * 1024)), status


@bp.route("/o/<slug>", methods=["GET", "POST"])
@kit.device_limit
@kit.ip_limit
def channel_form(slug: str):
    session = get_session()
    channel = opinion_channels.by_slug(session, slug)
    if not channel.is_open:
        raise opinions.ChannelClosed("closed")
    form = kit.OpinionForm()
    if not form.validate_on_submit():
        return _render_form(form, channel, 422 if request.method == "POST" else 200)
    try:
        opinions.submit_public(session, slug, kit.opinion_input(form), kit.sender(), kit.photo_store())
    except InvalidInput as exc:
        session.rollback()
        kit.add_errors(form, exc)
        return _render_form(form, channel, 422)
    session.commit()
    return redirect(url_for(".thanks", slug=slug))


@bp.get("/o/<slug>/thanks")
def thanks(slug: str):
    channel = opinion_channels.by_slug(get_session(), slug)
    return render_template("opinions/public_thanks.html", channel=channel)


@bp.get("/o/<slug>/qr.<any(png, svg):kind>")
def channel_qr(slug: str, kind: str):
    channel = opinion_channels.by_slug(get_session(), slug)
    return kit.qr_response(kit.public_url(".channel_form", slug=channel.slug), kind, f"pingyi-{channel.slug}")


@bp.get("/d/<token>")
def deputy_home(token: str):
    """The scan of a 代表码 (the address on the card): the token becomes a cookie."""
    deputy_codes.verify(get_session(), token, kit.deputy_keys())
    return kit.remember_deputy(redirect(url_for(".deputy_page")), token)


def _deputy():
    return deputy_codes.verify(get_session(), kit.deputy_token(), kit.deputy_keys())


@bp.get("/d/home")
def deputy_page():
    session, deputy = get_session(), _deputy()
    return render_template("opinions/deputy_home.html", deputy=deputy,
                           channels=opinion_channels.open_channels(session, dates.today().year),
                           submissions=deputy_codes.own_submissions(session, deputy),
                           open_ballots=ballots.my_open_ballots(session, deputy))


@bp.route("/d/c/<int:channel_id>", methods=["GET", "POST"])
@kit.device_limit
@kit.ip_limit
def deputy_form(channel_id: int):
    session, deputy = get_session(), _deputy()
    channel = opinion_channels.get_channel(session, channel_id)
    if not channel.is_open:
        raise opinions.ChannelClosed("closed")
    form = kit.OpinionForm()
    if not form.validate_on_submit():
        return _render_form(form, channel, 422 if request.method == "POST" else 200, deputy)
    try:
        opinions.submit_deputy(session, channel.id, kit.opinion_input(form), deputy, kit.sender(), kit.photo_store())
    except InvalidInput as exc:
        session.rollback()
        kit.add_errors(form, exc)
        return _render_form(form, channel, 422, deputy)
    session.commit()
    flash(_("Thank you. Your opinion on %(department)s was received.", department=channel.department_name),
          "success")
    return redirect(url_for(".deputy_page"))
