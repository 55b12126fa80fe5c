"""The forms of the accounts pages, and the words for the accounts service's error codes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional

from web.org_forms import ERRORS as UNIT_ERRORS

ERRORS = {
    **{code: UNIT_ERRORS[code] for code in ("required", "too_long", "invalid")},
    "taken": _l("This user name is taken."),
    "unknown": _l("There is no such group."),
    "both": _l("An account is an administrator or an auditor, not both: an auditor may change nothing."),
    "self": _l("You cannot do this to your own account; another administrator can."),
    "last_admin": _l("This is the last active administrator: make someone else an administrator first."),
    "own_password": _l("Change your own password under Password."),
    "inactive": _l("The account is inactive; activate it first."),
}


def error_text(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["invalid"]))


class AccountForm(FlaskForm):
    username = StringField(_l("User name"), validators=[InputRequired(), Length(max=64)])
    display_name = StringField(_l("Name"), validators=[InputRequired(), Length(max=128)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    groups = SelectMultipleField(_l("Groups"), choices=[], validate_choice=False)
    is_admin = BooleanField(_l("Administrator"))
    is_auditor = BooleanField(_l("Auditor"))
    with_password = BooleanField(_l("Give a temporary password now"), default=True)


class GroupForm(FlaskForm):
    name = StringField(_l("Group name"), validators=[InputRequired(), Length(max=128)])
    title = StringField(_l("Description"), validators=[Optional(), Length(max=256)])


class DeactivateForm(FlaskForm):
    reason = StringField(_l("Why"), validators=[InputRequired(), Length(max=500)])


def account_form(group_names: list[str], values: dict | None = None, new: bool = True,
                 first: list[str] = ()) -> AccountForm:
    """`first`: the groups the account is in, listed before the others (of fifty, the ticked ones show)."""
    form = AccountForm(data=values or None)
    form.groups.choices = [(name, name) for name in sorted(group_names, key=lambda name: name not in first)]
    if not new:  # the user name stays what it was; a password is given by its own button
        del form.username
        del form.with_password
    return form


def add_errors(form: FlaskForm, errors: dict) -> list[str]:
    """Put each error under its field; what belongs to no field is returned, for the page's top."""
    loose = []
    for name, code in errors.items():
        target = getattr(form, name, None)
        if target is not None:
            target.errors = [*target.errors, error_text(code)]
        else:
            loose.append(error_text(code))
    return loose
