"""Values between task data (JSON) and the Python data WTForms fields hold."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from dateutil.parser import isoparse

from .conditions import is_absent
from .definition import FieldDefinition

MISSING = object()
NATIVE = {"updown", "text", "range", "hidden"}  # widgets whose numbers WTForms parses itself


def is_blank(value) -> bool:
    """Nothing entered: None, "", False, empty containers, or containers of blanks."""
    if isinstance(value, dict):
        return all(is_blank(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(is_blank(v) for v in value)
    return value is None or value is False or isinstance(value, str) and not value.strip()


def initial_data(fields: list[FieldDefinition], data) -> dict:
    """Prefill for a form (or sub-form) from task data or a saved draft; unusable values are left out
    (the field's default applies then)."""
    if not isinstance(data, dict):
        return {}
    result = {}
    for definition in fields:
        if definition.name in data:
            value = to_python(definition, data[definition.name])
            if value is not MISSING:
                result[definition.name] = value
    return result


def to_python(definition: FieldDefinition, value):
    """One JSON value as the data of the field built for `definition`, or MISSING."""
    if value is None:
        return MISSING
    widget, kind = definition.widget, definition.type
    if widget == "object":
        return initial_data(definition.fields, value) if isinstance(value, dict) else MISSING
    if widget == "group":
        return [initial_data(definition.item.fields, row) for row in value if isinstance(row, dict)] \
            if isinstance(value, list) else MISSING
    if widget == "list":
        if not isinstance(value, list):
            return MISSING
        items = [to_python(definition.item, v) for v in value]
        return [v for v in items if v is not MISSING]
    if kind == "array":
        return list(value) if isinstance(value, list) else MISSING
    if widget == "date":
        return _date(value)
    if widget == "datetime":
        return _datetime(value)
    if kind == "number" and widget in NATIVE:
        try:
            return Decimal(str(value)) if not isinstance(value, bool) else MISSING
        except InvalidOperation:
            return MISSING
    if kind == "integer" and widget in NATIVE:
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) \
            and float(value).is_integer() else MISSING
    if widget == "checkbox":
        return bool(value)
    return value


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return isoparse(value).date() if isinstance(value, str) else MISSING
    except ValueError:
        return MISSING


def _datetime(value):
    if isinstance(value, dt.datetime):
        return value
    try:
        return isoparse(value) if isinstance(value, str) else MISSING
    except ValueError:
        return MISSING


def json_value(definition: FieldDefinition | None, data):
    """A field's data as JSON: dates and date-times as ISO strings (seconds included), decimals as
    numbers when that is exact, else as strings."""
    if isinstance(data, dt.datetime):
        return data.isoformat(timespec="seconds")
    if isinstance(data, dt.date):
        return data.isoformat()
    if isinstance(data, Decimal):
        return number_json(data)
    if isinstance(data, list | tuple):
        return [json_value(definition, v) for v in data]
    return data


def number_json(value: Decimal):
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value() and value.adjusted() < 16:
        return int(value)
    number = float(value)
    return number if Decimal(str(number)) == value else str(value)




def field_is_blank(field) -> bool:
    """Nothing entered in a bound field (a row of a repeating group, say). Raw input counts, so a
    row holding only an unreadable date is not blank."""
    form = getattr(field, "form", None)
    if form is not None and hasattr(form, "_fields"):
        return all(field_is_blank(f) for f in form)
    entries = getattr(field, "entries", None)
    if entries is not None:
        return all(field_is_blank(e) for e in entries)
    raw = getattr(field, "raw_data", None)
    if raw:
        return all(isinstance(v, str) and not v.strip() for v in raw) and is_blank(field.data)
    return is_blank(field.data)


__all__ = ["MISSING", "field_is_blank", "initial_data", "is_absent", "is_blank", "json_value", "number_json",
           "to_python"]
