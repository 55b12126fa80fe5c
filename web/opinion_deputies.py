"""代表码 for the office: the deputies, a printable card with each one's code, revoking a code."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.services import deputy_codes
from web import opinion_kit as kit
from web.db import get_session

bp = Blueprint("deputies", __name__, url_prefix="/opinions/deputies")


@bp.get("/")
@login_required
def index():
    rows = deputy_codes.deputies(get_session(), current_user, current_app.config["DEPUTY_GROUP"])
    return render_template("opinions/deputies.html", rows=rows, group=current_app.config["DEPUTY_GROUP"])


@bp.get("/<int:user_id>")
@login_required
def card(user_id: int):
    session = get_session()
    deputy, token = deputy_codes.token_for(session, user_id, kit.deputy_keys(), current_user)
    session.commit()  # the code row is made on first print
    url = kit.public_url("opinions_public.deputy_home", token=token)
    days = current_app.config["DEPUTY_CODE_MAX_AGE"] // (24 * 3600)
    return render_template("opinions/deputy_card.html", deputy=deputy, url=url, svg=kit.qr_inline(url), days=days)


@bp.get("/<int:user_id>/qr.<any(png, svg):kind>")
@login_required
def qr(user_id: int, kind: str):
    session = get_session()
    deputy, token = deputy_codes.token_for(session, user_id, kit.deputy_keys(), current_user)
    session.commit()
    return kit.qr_response(kit.public_url("opinions_public.deputy_home", token=token), kind,
                           f"pingyi-deputy-{deputy.id}")


@bp.post("/<int:user_id>/revoke")
@login_required
def revoke(user_id: int):
    session = get_session()
    deputy, _token = deputy_codes.revoke(session, user_id, kit.deputy_keys(), current_user, request.form.get("reason"))
    session.commit()
    flash(_("The old code of %(name)s no longer works. Print the new one below.", name=deputy.display_name),
          "success")
    return redirect(url_for(".card", user_id=user_id))
