"""Signing in and out, and changing one's password."""
from __future__ import annotations

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user, user_loaded_from_cookie
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from engine.errors import InvalidInput
from engine.models import User
from engine.services import users
from web.db import get_session
from web.errors import respond, wants_json
from web.extensions import limiter, login_manager
from web.security import safe_next

bp = Blueprint("auth", __name__)
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"

ACTIVE = "_active"  # the minute a signed-in session was last stamped
STAMP_EVERY = 5  # minutes


@bp.after_app_request
def keep_session_alive(response):
    """A signed-in session ends after PERMANENT_SESSION_LIFETIME without a request, not that long
    after signing in: Flask dates the cookie when it writes it and writes only a changed session,
    so a session in use is stamped every few minutes."""
    if "_user_id" in session:
        minute = int(time.time() // 60)
        if minute - session.get(ACTIVE, 0) >= STAMP_EVERY:
            session[ACTIVE] = minute
    return response


# what someone holding a temporary password may still open before choosing their own
OWN_PASSWORD_FREE = {"auth.password", "auth.logout", "i18n.switch", "static", "forms_static"}


@bp.before_app_request
def own_password_first():
    """An administrator gave a temporary password: its holder chooses their own before anything else."""
    if request.endpoint in OWN_PASSWORD_FREE or request.blueprint == "api":
        return None
    if not (getattr(current_user, "is_authenticated", False) and current_user.must_change_password):
        return None
    message = _("You signed in with a temporary password. Choose your own to go on.")
    if wants_json():  # a script (the big screen polling): an answer it reads, no message piling up
        return respond(403, message)
    if message not in [text for _category, text in session.get("_flashes", [])]:
        flash(message, "warning")
    back = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.password", next=back))


@user_loaded_from_cookie.connect
def _restored_from_cookie(_sender, user=None, **_extra) -> None:
    """A device kept signed in counts as signing in (the accounts list shows who uses the system)."""
    db = get_session()
    untouched = not (db.new or db.dirty or db.deleted)  # the user was just loaded; nothing else is pending
    users.signed_in(db, user)
    if untouched:
        db.commit()


@login_manager.user_loader
def load_user(user_id: str):
    ident, _sep, stamp = user_id.partition(".")
    if not ident.isdigit():
        return None
    user = get_session().get(User, int(ident))
    if user is None or not user.is_active or user.get_id() != user_id:
        return None
    return user


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class PasswordForm(FlaskForm):
    old_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=256)])
    repeat = PasswordField(_l("New password again"),
                           validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))])


def _account_key() -> str:
    """Guessing is limited per account and address: a meeting hall behind one address must still let
    dozens of members sign in within a minute."""
    return f"{get_remote_address()}|{(request.form.get('username') or '').strip().lower()[:64]}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"], key_func=_account_key)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(get_session(), form.username.data, form.password.data)
        if user is not None:
            users.signed_in(get_session(), user)
        get_session().commit()  # a rehashed password and the sign-in time are kept
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        flash(_("Wrong user name or password."), "danger")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out here; with `everywhere`, end every other session and remember-me cookie too (a copy
    of this one included)."""
    everywhere = request.form.get("everywhere") == "1"
    if everywhere:
        session = get_session()
        users.sign_out_everywhere(session, current_user._get_current_object(), current_user._get_current_object())
        session.commit()
    logout_user()
    flash(_("You are signed out on every device.") if everywhere else _("You are signed out."), "info")
    return redirect(url_for("auth.login"))


def _user_key() -> str:
    """Per account (checked before the sign-in requirement: an anonymous request counts by address)."""
    return f"password|{getattr(current_user, 'id', None) or get_remote_address()}"


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute; 50 per hour", methods=["POST"], key_func=_user_key)  # guessing the current one
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        session = get_session()
        user = current_user._get_current_object()
        try:
            users.set_password(session, user, form.new_password.data, user, old_password=form.old_password.data)
        except InvalidInput as exc:
            session.rollback()
            if "old_password" in exc.errors:
                form.old_password.errors.append(_("The current password is wrong."))
            elif exc.errors.get("new_password") == "same":
                form.new_password.errors.append(_("Choose a password other than the current one."))
            elif exc.errors.get("new_password") == "contains_name":
                form.new_password.errors.append(_("The password must not contain your user name."))
            elif exc.errors.get("new_password") == "common":
                form.new_password.errors.append(_("This password is too easy to guess (a common word, digits only, "
                                                  "a date or a simple pattern such as 12345678 or qwerty). "
                                                  "Please choose another."))
            else:
                form.new_password.errors.append(_("The new password is too short."))
        else:
            session.commit()
            # the session id changed with the password; a device kept signed in stays so, with a new cookie
            kept = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=kept)
            flash(_("Your password was changed."), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/password.html", form=form)
