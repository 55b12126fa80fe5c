"""API tokens of an account (for machine clients of /api/v1), managed by administrators on the
account's page: made with a name and shown once (never cached, never in a flash message or the
history), revoked with one click. Their holders use them as `Authorization: Bearer …`."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import InvalidInput
from engine.models import ApiToken
from engine.services import notifications, tokens
from web.accounts import account_or_404, bp, require_manage
from web.db import get_session


@bp.post("/<username>/tokens")
def create_token(username: str):
    require_manage()
    user = account_or_404(username)
    session = get_session()
    if not user.is_active:
        flash(_("A stopped account gets no API token."), "danger")
        return redirect(url_for("accounts.edit", username=user.username))
    try:
        token, secret = tokens.create_token(session, user, request.form.get("name", ""), current_user)
    except InvalidInput:
        session.rollback()
        flash(_("Give the token a name (what will use it)."), "danger")
        return redirect(url_for("accounts.edit", username=user.username))
    if user.id != current_user.id:  # a program may now act as them: they should know
        with force_locale(user.locale or "zh_CN"):
            title = _("An administrator (%(admin)s) gave your account an API token: “%(name)s”.",
                      admin=current_user.display_name, name=token.name)
        notifications.send(session, [user], title, kind="message", actor=current_user._get_current_object())
    session.commit()
    page = render_template("accounts/token.html", account=user, token=token, secret=secret)
    return page, 200, {"Cache-Control": "no-store"}


@bp.post("/<username>/tokens/<int:token_id>/revoke")
def revoke_token(username: str, token_id: int):
    require_manage()
    user = account_or_404(username)
    session = get_session()
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        abort(404)
    tokens.revoke_token(session, token_id, current_user)
    session.commit()
    flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
    return redirect(url_for("accounts.edit", username=user.username))
