"""From a bound form to task data: JSON-safe values, errors by field path, and the jsonschema check.

Error paths are data paths: `plan_items.0.deadline` (rows counted without the blank ones), and
`(form)` for the form as a whole, the convention of engine/validation.py.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping

import wtforms
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.validators import validator_for

from .builder import build_form
from .choices import strip_option_vars
from .conditions import is_absent
from .definition import FieldDefinition, FormDefinition, read_definition
from .validators import EMAIL, is_iso_date, is_iso_datetime
from .values import MISSING, field_is_blank, json_value

FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("date")(lambda v: not isinstance(v, str) or is_iso_date(v))
FORMAT_CHECKER.checks("date-time")(lambda v: not isinstance(v, str) or is_iso_datetime(v))
FORMAT_CHECKER.checks("email")(lambda v: not isinstance(v, str) or EMAIL.match(v) is not None)
WHOLE_FORM = "(form)"


def to_json(form, definition: FormDefinition, include_read_only: bool = False) -> dict:
    """The form's values as task data: empty optional values, read-only fields (unless asked for)
    and conditional fields whose condition fails are left out."""
    return _object(form, definition.fields, include_read_only)


OUTSIDE_ROWS = object()  # `raw` of fields outside any repeating group


def _object(form, fields: list[FieldDefinition], include_read_only: bool, raw=OUTSIDE_ROWS) -> dict:
    """In a row of a repeating group (`raw`: the data row it shows, None for a row added on the
    page), read-only answers are those of the data row exactly, unconverted, so that the engine
    knows the row by them; a new row has none."""
    values = {}
    for definition in fields:
        if definition.read_only and raw is not OUTSIDE_ROWS:
            value = copy.deepcopy(raw[definition.name]) if isinstance(raw, dict) and definition.name in raw \
                else MISSING
        else:
            inner = OUTSIDE_ROWS if raw is OUTSIDE_ROWS else (raw.get(definition.name) if isinstance(raw, dict)
                                                             else None)
            value = _value(form[definition.name], definition, include_read_only, inner)
        if value is not MISSING:
            values[definition.name] = value
    for definition in fields:  # conditions look at every sibling, read-only ones included
        if definition.name in values and not definition.applies_to(values):
            del values[definition.name]
    if not include_read_only:
        for definition in fields:
            if definition.read_only:
                values.pop(definition.name, None)
    return values


def _value(field, definition: FieldDefinition, include_read_only: bool, raw=OUTSIDE_ROWS):
    if definition.widget == "object":
        value = _object(field.form, definition.fields, include_read_only, raw)
        return value if value or definition.required else MISSING
    if definition.widget == "group":
        value = [_object(entry.form, definition.item.fields, include_read_only, getattr(entry, "raw_row", None))
                 for entry in kept_entries(field)]
    elif definition.widget == "list":
        value = [json_value(definition.item, entry.data) for entry in kept_entries(field)]
        value = [v for v in value if not is_absent(v)]
    else:
        value = json_value(definition, field.data)
    if isinstance(value, list):
        return value if value or definition.required else MISSING
    return MISSING if is_absent(value) else value


def kept_entries(field) -> list:
    return [entry for entry in field.entries if not field_is_blank(entry)]


def form_errors(form, definition: FormDefinition) -> dict[str, str]:
    """WTForms' errors by data path, `validationErrorMessage` replacing the field's own messages."""
    errors: dict[str, str] = {}
    _collect(form, definition.fields, "", errors)
    for field in form:  # fields the base class adds, such as Flask-WTF's csrf_token
        if field.short_name not in form.field_definitions and field.errors:
            errors[field.short_name] = _first(field.errors)
    return errors


def _collect(form, fields: list[FieldDefinition], prefix: str, errors: dict) -> None:
    for definition in fields:
        field, path = form[definition.name], prefix + definition.name
        if definition.widget == "object":
            _collect(field.form, definition.fields, path + ".", errors)
        elif definition.widget in ("group", "list"):
            own = [e for e in field.errors if isinstance(e, str)]
            if own:
                errors[path] = definition.error_message or own[0]
            for index, entry in enumerate(kept_entries(field)):
                if definition.widget == "group":
                    _collect(entry.form, definition.item.fields, f"{path}.{index}.", errors)
                elif entry.errors:
                    errors[f"{path}.{index}"] = definition.item.error_message or _first(entry.errors)
        elif field.errors:
            errors[path] = definition.error_message or _first(field.errors)


def _first(errors) -> str:
    return next((e for e in errors if isinstance(e, str)), str(errors))


def validate(schema: dict | FormDefinition, data: Mapping) -> dict[str, str]:
    """jsonschema's verdict on `data` (Draft 7 unless the schema's `$schema` says otherwise), by
    data path, honouring `validationErrorMessage`."""
    if isinstance(schema, FormDefinition):
        definition, schema = schema, schema.schema
    else:
        definition = read_definition(schema)[0]
    plain = strip_option_vars(schema)
    validator = validator_for(plain, default=Draft7Validator)(plain, format_checker=FORMAT_CHECKER)
    errors: dict[str, str] = {}
    for error in validator.iter_errors(dict(data)):
        path = [str(p) for p in error.absolute_path]
        named = _named_property(error)
        if named:
            path.append(named)
        key = ".".join(path) or WHOLE_FORM
        field = definition.find(key) if path else None
        custom = field.error_message if field else None
        if not custom and not named and isinstance(error.schema, dict):
            custom = error.schema.get("validationErrorMessage")
        errors.setdefault(key, custom or error.message)
    return errors


def _named_property(error) -> str | None:
    """The missing property of a `required` or `dependencies` error."""
    if error.validator == "required":
        names = error.validator_value
    elif error.validator == "dependencies" and isinstance(error.validator_value, dict):
        names = [n for value in error.validator_value.values() if isinstance(value, list) for n in value]
    else:
        return None
    return next((n for n in names if error.message.startswith(f"{n!r} is ")), None)


def attach_errors(form, definition: FormDefinition, errors: Mapping[str, str]) -> None:
    """Show errors found after WTForms' validation (jsonschema's) next to their fields."""
    for path, message in errors.items():
        field = _locate(form, definition, path)
        if field is not None and not isinstance(getattr(type(field), "errors", None), property) \
                and message not in field.errors:
            field.errors = [*field.errors, message]


def _locate(form, definition: FormDefinition, path: str):
    parts, fields, field = path.split("."), definition.fields, None
    index = 0
    while index < len(parts):
        current = next((f for f in fields if f.name == parts[index]), None)
        if current is None or form is None:
            return field
        field = form[current.name]
        form, fields = (field.form, current.fields) if current.widget == "object" else (None, [])
        if current.widget in ("group", "list") and index + 1 < len(parts) and parts[index + 1].isdigit():
            entries = kept_entries(field)
            row = int(parts[index + 1])
            if row >= len(entries):
                return field
            field, index = entries[row], index + 1
            if current.widget == "group":
                form, fields = field.form, current.item.fields
        index += 1
    return field


def validate_form(form, definition: FormDefinition) -> tuple[dict, dict[str, str]]:
    """Run WTForms' validation, convert, then check with jsonschema (read-only values included, as
    they stand in task data). Returns (data for the task, errors by path); errors also appear on
    the form's fields for re-rendering."""
    form.validate()
    errors = form_errors(form, definition)
    data = to_json(form, definition)
    found = validate(definition, to_json(form, definition, include_read_only=True))
    # jsonschema's complaints about what WTForms already reported (the same field, a part of it,
    # or the form as a whole) would only repeat them less clearly
    later = {path: message for path, message in found.items()
             if not any(_overlap(path, known) for known in errors) and not (errors and path == WHOLE_FORM)}
    attach_errors(form, definition, later)
    return data, {**errors, **later}


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def process(definition: FormDefinition, formdata, task_data: Mapping | None = None,
            choices: Mapping | None = None, base=wtforms.Form) -> tuple[dict, dict[str, str]]:
    """Build, bind, validate and convert in one call: (data, errors)."""
    return validate_form(build_form(definition, formdata, task_data, choices, base), definition)
