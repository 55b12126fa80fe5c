"""What Pingyi's forms support: JSON Schema keywords per type, UI schema keys, widgets, formats.

Anything not listed here is refused at deployment (see `forms.check`), so render time only ever
sees what the builders know.
"""
from __future__ import annotations

import re

import wtforms

TYPES = ("string", "integer", "number", "boolean", "array", "object")

# Keywords every field may carry. `validationErrorMessage` is SpiffArena's custom error text.
ANNOTATIONS = frozenset({"type", "title", "description", "default", "readOnly", "validationErrorMessage",
                         "$comment", "examples"})
ROOT_ONLY = frozenset({"$schema", "$id"})
CHOICE_KEYWORDS = frozenset({"enum", "enumNames", "const", "oneOf", "anyOf"})
NUMBER_KEYWORDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})
OBJECT_KEYWORDS = frozenset({"properties", "required", "dependencies", "if", "then", "else", "allOf",
                             "additionalProperties"})
BY_TYPE = {
    "string": CHOICE_KEYWORDS | {"minLength", "maxLength", "pattern", "format", "minimumDate", "maximumDate"},
    "integer": CHOICE_KEYWORDS | NUMBER_KEYWORDS,
    "number": CHOICE_KEYWORDS | NUMBER_KEYWORDS,
    "boolean": CHOICE_KEYWORDS,
    "array": frozenset({"items", "minItems", "maxItems", "uniqueItems"}),
    "object": OBJECT_KEYWORDS,
}
# Keywords allowed in one entry of a `oneOf` / `anyOf` list of choices.
CHOICE_ENTRY_KEYWORDS = frozenset({"const", "enum", "title", "description", "type"})
FORMATS = ("date", "date-time", "email")
COUNTS = ("minLength", "maxLength", "minItems", "maxItems")

# Widgets a `ui:widget` may name, by schema type. "file", "principal" and "rating" are Pingyi's.
WIDGETS = {
    "string": {"text", "textarea", "select", "radio", "date", "datetime", "email", "hidden", "file", "principal"},
    "integer": {"updown", "text", "range", "select", "radio", "hidden", "rating"},
    "number": {"updown", "text", "range", "select", "radio", "hidden"},
    "boolean": {"checkbox", "radio", "select"},
    "array": {"checkboxes", "select", "file", "principal"},
    "object": set(),
}
WIDGET_ALIASES = {"date-time": "datetime", "datetime-local": "datetime"}
KNOWN_WIDGETS = frozenset().union(*WIDGETS.values()) | set(WIDGET_ALIASES)
CHOICE_WIDGETS = ("select", "radio", "checkboxes")

UI_KEYS = {
    "ui:widget": str, "ui:order": list, "ui:help": str, "ui:description": str, "ui:placeholder": str,
    "ui:title": str, "ui:options": dict, "ui:readonly": bool, "ui:disabled": bool, "ui:autofocus": bool,
    "ui:classNames": str,
}
UI_OPTIONS = {
    "rows": int, "inline": bool, "addable": bool, "removable": bool,   # textarea, radios, repeating groups
    "accept": (list, str), "multiple": bool, "maxSize": int,           # file
}

# Names a field may not have: they are attributes of WTForms (and Flask-WTF) forms, the keyword
# arguments of a form's constructor, or the attribute our builder sets on generated classes.
RESERVED_NAMES = frozenset(name for name in dir(wtforms.Form) if not name.startswith("_")) | {
    "csrf_token", "hidden_tag", "is_submitted", "validate_on_submit", "recaptcha", "obj", "formdata",
    "prefix", "meta", "data", "extra_filters", "field_definitions",
}
JINJA = re.compile(r"{{|{%")
DATE_BOUND = re.compile(r"\d{4}-\d{2}-\d{2}|field:[A-Za-z_\u4e00-\u9fff][\w]*")


def has_jinja(value) -> bool:
    return isinstance(value, str) and JINJA.search(value) is not None


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_name(name: str) -> str | None:
    """Why a property name cannot be a form field, or None."""
    if not name.isidentifier() or name.startswith("_"):
        return "field names must be plain identifiers (letters, digits, '_') not starting with '_'"
    if name in RESERVED_NAMES or name.startswith("validate_"):
        return f"field name '{name}' is reserved"
    return None


def check_ui_keys(ui: dict, refuse) -> None:
    """Refuse unknown `ui:*` keys, values of the wrong type, unknown widgets and `ui:options`."""
    for key, value in ui.items():
        if not key.startswith("ui:"):
            continue
        expected = UI_KEYS.get(key)
        if expected is None:
            refuse(f"unsupported UI keyword '{key}'")
        elif not isinstance(value, expected):
            refuse(f"'{key}' must be a {_type_name(expected)}")
        elif key == "ui:widget" and value not in KNOWN_WIDGETS:
            refuse(f"unsupported widget '{value}'")
        elif key == "ui:order" and not all(isinstance(v, str) for v in value):
            refuse("'ui:order' must list field names")
        elif key == "ui:options":
            for option, option_value in value.items():
                kind = UI_OPTIONS.get(option)
                if kind is None:
                    refuse(f"unsupported 'ui:options' key '{option}'")
                elif not isinstance(option_value, kind) or isinstance(option_value, bool) and kind is int:
                    refuse(f"'ui:options' key '{option}' must be a {_type_name(kind)}")


def check_constraints(schema: dict, refuse) -> None:
    """Refuse constraint values of the wrong type (a Jinja string cannot stand for a number)."""
    for key in COUNTS:
        if key in schema and (not isinstance(schema[key], int) or isinstance(schema[key], bool) or schema[key] < 0):
            refuse(f"'{key}' must be a non-negative integer")
    for key in NUMBER_KEYWORDS:
        if key in schema and not is_number(schema[key]):
            refuse(f"'{key}' must be a number")
    if "multipleOf" in schema and is_number(schema["multipleOf"]) and schema["multipleOf"] <= 0:
        refuse("'multipleOf' must be greater than 0")
    if "pattern" in schema:
        pattern = schema["pattern"]
        if not isinstance(pattern, str):
            refuse("'pattern' must be a string")
        elif not has_jinja(pattern):
            try:
                re.compile(pattern)
            except re.error as exc:
                refuse(f"'pattern' is not a valid regular expression: {exc}")
    for key in ("minimumDate", "maximumDate"):  # SpiffArena's: an ISO date, or "field:NAME" (a sibling's date)
        bound = schema.get(key)
        if key in schema and not (isinstance(bound, str) and (has_jinja(bound) or DATE_BOUND.fullmatch(bound))):
            refuse(f"'{key}' must be a date (YYYY-MM-DD) or 'field:NAME'")
    if "format" in schema and schema["format"] not in FORMATS:
        refuse(f"unsupported format '{schema['format']}'")
    for key in ("uniqueItems", "readOnly", "additionalProperties"):
        if key in schema and not isinstance(schema[key], bool):
            refuse(f"'{key}' must be true or false")
    for key in ("title", "description", "validationErrorMessage"):
        if key in schema and not isinstance(schema[key], str):
            refuse(f"'{key}' must be a string")


def default_fits(type_: str, value) -> bool:
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": is_number,
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    return value is None or checks[type_](value)


def _type_name(kind) -> str:
    names = {str: "string", list: "list", dict: "object", bool: "boolean (true or false)", int: "integer"}
    if isinstance(kind, tuple):
        return " or ".join(names[k] for k in kind)
    return names[kind]
