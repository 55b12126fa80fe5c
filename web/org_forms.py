"""What the organisation pages share: the tabs, their columns, the edit forms and the error labels."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from engine.services import org


@dataclass(frozen=True)
class Tab:
    kind: str             # the service's kind
    title: object
    key: str              # code or username
    columns: tuple        # (field, label)
    is_person: bool = False


TABS = {
    "departments": Tab("department", _l("Departments"), "code", (
        ("code", _l("Code")), ("name", _l("Unit name")), ("short_name", _l("Short name")), ("head_name", _l("Head")),
        ("group_name", _l("Contact group")), ("office_code", _l("Responsible office")),
        ("leader_name", _l("Responsible leader")), ("vice_mayor", _l("Vice county head in charge")),
        ("superior", _l("Superior authority")), ("party_group", _l("Party committee group")))),
    "offices": Tab("office", _l("Committee offices"), "code", (
        ("code", _l("Code")), ("name", _l("Unit name")), ("group_name", _l("User group")),
        ("leader_name", _l("Responsible leader")))),
    "members": Tab("committee", _l("Committee members"), "username", (
        ("username", _l("User name")), ("name", _l("Name")), ("title", _l("Position")), ("phone", _l("Phone"))),
        is_person=True),
    "deputies": Tab("deputy", _l("Deputies"), "username", (
        ("username", _l("User name")), ("name", _l("Name")), ("delegation", _l("Delegation")),
        ("phone", _l("Phone"))), is_person=True),
    "observers": Tab("observer", _l("Observer units"), "code", (
        ("code", _l("Code")), ("name", _l("Unit name")), ("kind", _l("Kind")))),
}

OBSERVER_KINDS = {"organisation": _l("Organisation department"), "discipline": _l("Discipline inspection"),
                  "audit": _l("Audit office")}

ERRORS = {
    "required": _l("This field is required."),
    "too_long": _l("This is too long."),
    "invalid": _l("Invalid input."),
    "unknown_office": _l("There is no committee office with this code or name."),
    "unknown_kind": _l("Choose organisation, discipline inspection or audit."),
    "duplicate": _l("This appears more than once in the file."),
    "taken": _l("This code or user name is taken."),
    "missing_column": _l("This column is missing from the header row."),
    "unreadable": _l("The file cannot be read; upload an .xlsx workbook or a .csv file."),
    "encoding": _l("The CSV file is neither UTF-8 nor GBK."),
    "empty": _l("The file has no rows to import."),
    "too_many_rows": _l("The file has too many rows."),
    "too_large": _l("The file is too large."),
    "formula": _l("This cell holds a formula without a value: type the value itself (or open and save the file in "
                  "Excel first)."),
    "existing_account": _l("An account with this user name exists already. If it is the same person, tick “Link "
                           "existing accounts” (the account keeps its name); otherwise choose another user name."),
    "protected_account": _l("This user name belongs to an administrator's or auditor's account, which cannot be "
                            "listed here."),
    "contact_account": _l("This user name is a department's contact account, which cannot be a committee member "
                          "or a deputy."),
    "name_differs": _l("Linking keeps the account's name, and it differs from this one: type the name as the "
                       "account has it, or check the user name."),
}

LINK_EXISTING = _l("Link existing accounts")


INVALID_FIELD = {
    "username": _l("A user name is 2 to 64 letters, digits or . _ - @, with at least one letter or digit."),
    "phone": _l("A phone number has 5 to 20 digits, spaces or hyphens, and may start with +."),
}


def error_text(code: str, field: str = "") -> str:
    if code == "invalid" and field in INVALID_FIELD:
        return str(INVALID_FIELD[field])
    return str(ERRORS.get(code, ERRORS["invalid"]))


def text(max_length: int, required: bool = False):
    validators = [InputRequired()] if required else [Optional()]
    return validators + [Length(max=max_length)]


class DepartmentForm(FlaskForm):
    code = StringField(_l("Code"), validators=text(32, True))
    name = StringField(_l("Unit name"), validators=text(128, True))
    short_name = StringField(_l("Short name"), validators=text(64))
    head_name = StringField(_l("Head"), validators=text(64))
    group_name = StringField(_l("Contact group"), validators=text(128, True))
    office_code = SelectField(_l("Responsible office"), validators=[Optional()])
    leader_name = StringField(_l("Responsible leader"), validators=text(64))
    vice_mayor = StringField(_l("Vice county head in charge"), validators=text(64))
    superior = StringField(_l("Superior authority"), validators=text(128))
    party_group = StringField(_l("Party committee group"), validators=text(128))


class OfficeForm(FlaskForm):
    code = StringField(_l("Code"), validators=text(32, True))
    name = StringField(_l("Unit name"), validators=text(128, True))
    group_name = StringField(_l("User group"), validators=text(128, True))
    leader_name = StringField(_l("Responsible leader"), validators=text(64))


class ObserverForm(FlaskForm):
    code = StringField(_l("Code"), validators=text(32, True))
    name = StringField(_l("Unit name"), validators=text(128, True))
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in OBSERVER_KINDS.items()])


class MemberForm(FlaskForm):
    username = StringField(_l("User name"), validators=text(64, True))
    link_existing = BooleanField(LINK_EXISTING)
    name = StringField(_l("Name"), validators=text(128, True))
    title = StringField(_l("Position"), validators=text(128))
    phone = StringField(_l("Phone"), validators=text(32))


class DeputyForm(FlaskForm):
    username = StringField(_l("User name"), validators=text(64, True))
    link_existing = BooleanField(LINK_EXISTING)
    name = StringField(_l("Name"), validators=text(128, True))
    delegation = StringField(_l("Delegation"), validators=text(128, True))
    phone = StringField(_l("Phone"), validators=text(32))


FORMS = {"department": DepartmentForm, "office": OfficeForm, "observer": ObserverForm, "committee": MemberForm,
         "deputy": DeputyForm}


def make_form(session, tab: Tab, values: dict | None = None) -> FlaskForm:
    form = FORMS[tab.kind](data=values or None)
    if tab.kind == "department":
        form.office_code.choices = [SelectChoice("", "—")] + [
            SelectChoice(o.code, f"{o.name}（{o.code}）") for o in org.all_units(session, "office")]
    return form


def form_values(form: FlaskForm) -> dict:
    return {field.name: field.data for field in form if field.name not in ("csrf_token", "link_existing")}


def add_errors(form: FlaskForm, errors: dict) -> None:
    for field, code in errors.items():
        target = getattr(form, field, None)
        if target is not None:
            target.errors = [*target.errors, error_text(code, field)]
