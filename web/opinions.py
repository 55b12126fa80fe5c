"""Opinion channels for signed-in users: the office creates channels, prints their QR codes and
enters paper opinions; the investigation group classifies, merges and adopts; the department
reads its opinions without their authors. Every route checks the viewer's role (403 otherwise).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from engine import dates
from engine.errors import InvalidInput
from engine.services import deputy_codes, opinion_channels, opinion_review, opinions
from engine.services.attachments import path_of
from web import documents, numbers, pickers
from web import opinion_kit as kit
from web.db import get_session

bp = Blueprint("opinions", __name__, url_prefix="/opinions")
bp.context_processor(kit.labels)

# Lanxi's "9+2+N": four of the nine common items are named in its report; the rest are the office's to add.
DEFAULT_ITEMS = "法治政府建设\n政府工作报告任务落实\n市委市政府重点工作推进\n人大代表建议办理\n部门重点工作\n其他"


class ChannelForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    department_name = StringField(_l("Department"), validators=[InputRequired(), Length(max=128)])
    department_key = StringField(_l("Department key"), validators=[InputRequired(), Length(max=64)])
    department_group = StringField(_l("The department's group"), validators=[InputRequired(), Length(max=128)])
    investigation_group = StringField(_l("Investigation group"), validators=[InputRequired(), Length(max=128)])
    content_items = TextAreaField(_l("Content items (one per line)"), default=DEFAULT_ITEMS)


CHANNEL_ERRORS = {"no_such_group": _l("There is no group of this name."), "required": _l("This field is required."),
                  "invalid": _l("Invalid input."), "too_long": _l("A content item has at most 255 characters."),
                  "too_many": _l("Too many content items.")}


@bp.get("/")
@login_required
def index():
    channels = opinion_channels.channels_for(get_session(), current_user)
    return render_template("opinions/index.html", channels=channels,
                           is_staff=opinion_channels.is_staff(current_user),
                           is_deputy=deputy_codes.is_deputy(current_user, current_app.config["DEPUTY_GROUP"]))


@bp.get("/mine")
@login_required
def mine():
    """A signed-in deputy's own page for giving opinions (the one their 代表码 opens)."""
    session = get_session()
    token = deputy_codes.own_token(session, current_user, kit.deputy_keys())
    session.commit()  # the code row is made on first use
    return redirect(url_for("opinions_public.deputy_home", token=token))


@bp.route("/channels/new", methods=["GET", "POST"])
@login_required
def new_channel():
    opinion_channels.require_staff(current_user, "create opinion channels")
    form = ChannelForm(year=dates.today().year)
    if form.validate_on_submit():
        session = get_session()
        try:
            channel = opinion_channels.create_channel(session, actor=current_user, **{
                name: getattr(form, name).data for name in ("year", "department_name", "department_key",
                                                            "department_group", "investigation_group",
                                                            "content_items")})
        except InvalidInput as exc:
            session.rollback()
            for field, code in exc.errors.items():
                getattr(form, field).errors = [str(CHANNEL_ERRORS.get(code, CHANNEL_ERRORS["invalid"]))]
        else:
            session.commit()
            flash(_("The opinion channel was created."), "success")
            return redirect(url_for(".print_channel", channel_id=channel.id))
    return render_template("opinions/channel_new.html", form=form, **pickers.department_choices(get_session())), \
        422 if form.errors else 200


def _chosen(values) -> opinion_review.OpinionFilter:
    """The list's filter from query (or form) values; an unknown status or rating, or a page that is
    not a number, is ignored rather than refused."""
    status, rating = values.get("status") or None, values.get("rating") or None
    return opinion_review.OpinionFilter(
        content_item=values.get("item") or None, status=status if status in kit.STATUSES else None,
        rating=rating if rating in kit.RATINGS else None, page=max(1, numbers.whole(values.get("page")) or 1))


def _list_args(chosen: opinion_review.OpinionFilter) -> dict:
    """The filter as the list's query arguments (the empty ones left out)."""
    return {key: value for key, value in (("item", chosen.content_item), ("status", chosen.status),
                                          ("rating", chosen.rating)) if value}


@bp.get("/channels/<int:channel_id>")
@login_required
def channel(channel_id: int):
    chosen = _chosen(request.args)
    page = opinion_review.channel_page(get_session(), channel_id, current_user, chosen)
    return render_template("opinions/channel.html", page=page, chosen=chosen, item=chosen.content_item or "",
                           args=_list_args(chosen))


@bp.get("/channels/<int:channel_id>/opinions.xlsx")
@login_required
def channel_workbook(channel_id: int):
    """The opinion list (意见清单) in Excel, as the viewer may see it: the department gets no author.
    Every opinion the filter lets through, not one page."""
    page = opinion_review.channel_page(get_session(), channel_id, current_user, _chosen(request.args), per_page=None)
    header = ["#", _("Received"), _("Source"), _("Rating"), _("Opinion"), _("Content item"), _("Status"),
              _("Merged into")]
    widths = [6, 12, 18, 12, 60, 20, 10, 10]
    if page.can_manage:
        header += [_("Deputy"), _("Name"), _("Phone"), _("Entered by"), _("Note")]
        widths += [12, 12, 14, 12, 30]
    elif page.role == "auditor":  # what staff did, not who the citizens are
        header += [_("Entered by"), _("Note")]
        widths += [12, 30]
    rows = []
    for o in page.opinions:
        row = [o.id, o.received_on, str(kit.SOURCES[o.source]), str(kit.RATINGS[o.rating]), o.text,
               o.content_item or "", str(kit.STATUSES[o.status]), o.merged_into_id]
        if page.can_manage:
            row += [o.deputy_name or "", o.author_name or "", o.author_phone or "", o.entered_by_name or "",
                    o.note or ""]
        elif page.role == "auditor":
            row += [o.entered_by_name or "", o.note or ""]
        rows.append(row)
    channel = page.channel
    return documents.send(documents.workbook(str(channel.year), header, rows, widths),
                          f"{channel.department_name}-{channel.year}-{_('Opinion list')}.xlsx")


@bp.post("/channels/<int:channel_id>/<any(open, close):action>")
@login_required
def open_or_close(channel_id: int, action: str):
    session = get_session()
    opinion_channels.set_open(session, channel_id, action == "open", current_user)
    session.commit()
    flash(_("The channel is open again.") if action == "open" else _("The channel is closed."), "success")
    return redirect(url_for(".channel", channel_id=channel_id))


def _staff_channel(channel_id: int):
    opinion_channels.require_staff(current_user, "print channel codes")
    return opinion_channels.get_channel(get_session(), channel_id)


@bp.get("/channels/<int:channel_id>/print")
@login_required
def print_channel(channel_id: int):
    channel = _staff_channel(channel_id)
    url = kit.public_url("opinions_public.channel_form", slug=channel.slug)
    return render_template("opinions/channel_print.html", channel=channel, url=url, svg=kit.qr_inline(url))


@bp.get("/channels/<int:channel_id>/qr.<any(png, svg):kind>")
@login_required
def channel_qr(channel_id: int, kind: str):
    channel = _staff_channel(channel_id)
    return kit.qr_response(kit.public_url("opinions_public.channel_form", slug=channel.slug), kind,
                           f"pingyi-channel-{channel.id}")


@bp.route("/channels/<int:channel_id>/offline", methods=["GET", "POST"])
@login_required
def offline(channel_id: int):
    channel = _staff_channel(channel_id)
    form = kit.PaperOpinionForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            opinions.enter_offline(session, channel_id, kit.opinion_input(form), current_user, kit.photo_store())
        except InvalidInput as exc:
            session.rollback()
            kit.add_errors(form, exc)
        else:
            session.commit()
            flash(_("The paper opinion was entered."), "success")
            return redirect(url_for(".offline", channel_id=channel_id))
    max_mb = kit.photo_store().max_size // (1024 * 1024)
    return render_template("opinions/offline.html", channel=channel, form=form, max_mb=max_mb), \
        422 if request.method == "POST" else 200


ACTIONS = {
    "classify": (lambda s, i, f, a: opinion_review.classify(s, i, f.get("content_item"), a), _l("Classified.")),
    "merge": (lambda s, i, f, a: opinion_review.merge(s, i, _number(f.get("into")), a), _l("Merged.")),
    "unmerge": (lambda s, i, f, a: opinion_review.unmerge(s, i, a), _l("No longer merged.")),
    "adopt": (lambda s, i, f, a: opinion_review.set_adopted(s, i, True, a), _l("Marked as adopted.")),
    "unadopt": (lambda s, i, f, a: opinion_review.set_adopted(s, i, False, a), _l("No longer adopted.")),
    "note": (lambda s, i, f, a: opinion_review.set_note(s, i, f.get("note"), a), _l("Note saved.")),
}

ACTION_ERRORS = {
    ("into", "invalid"): _l("Give the number of another opinion of this channel."),
    ("into", "merged"): _l("That opinion is merged itself; give the number of the one it was merged into."),
    ("adopted", "merged"): _l("A merged opinion cannot be adopted; adopt the one it was merged into."),
    ("content_item", "invalid"): _l("Not one of this channel's content items."),
    ("note", "too_long"): _l("The note is too long."),
}


def _number(value: str | None) -> int:
    number = numbers.whole((value or "").strip().lstrip("#"))
    if number is None:
        raise InvalidInput("Give the number of the opinion to keep.", errors={"into": "invalid"})
    return number


@bp.post("/<int:opinion_id>/<action>")
@login_required
def act(opinion_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    service, done = ACTIONS[action]
    session = get_session()
    channel_id = numbers.whole(request.form.get("_channel"))
    try:
        opinion = service(session, opinion_id, request.form, current_user)
    except InvalidInput as exc:
        if channel_id is None:
            raise
        session.rollback()
        field, code = next(iter(exc.errors.items()), ("", ""))
        flash(str(ACTION_ERRORS.get((field, code), _l("Some answers are missing or invalid."))), "danger")
    else:
        session.commit()
        channel_id = opinion.channel_id
        flash(str(done), "success")
    kept = _chosen({key[1:]: request.form.get(key) for key in ("_item", "_status", "_rating", "_page")})
    return redirect(url_for(".channel", channel_id=channel_id, **_list_args(kept),
                            page=kept.page if kept.page > 1 else None, _anchor=f"o{opinion_id}"))


@bp.get("/photos/<public_id>")
@login_required
def photo(public_id: str):
    found = opinion_review.photo(get_session(), public_id, current_user)
    path = path_of(kit.photo_store().directory, found)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=found.content_type, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
