"""Checking submitted task data before the engine sees it.

A user task's JSON Schema (named by `formJsonSchemaFilename`) may contain Jinja, rendered with
the task's data first, and `"anyOf": ["options_from_task_data_var:NAME"]`, replaced by the
options held in that task data variable (SpiffArena's convention). Data is then validated with
the `jsonschema` library and reduced to JSON-safe values.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.validators import validator_for

from engine.errors import InvalidInput
from engine.read_only import keep_read_only, schema_parts
from engine.script_env import GUARDS, HELPERS, SAFE_BUILTINS, render_text
from engine.serializer import json_safe

OPTIONS_PREFIX = "options_from_task_data_var:"
RESERVED = frozenset(HELPERS) | frozenset(SAFE_BUILTINS) | frozenset(GUARDS) | {"lane_owners"}


def resolve_schema(schema: dict, task_data: dict) -> dict:
    """Render Jinja in the schema with task data and expand `options_from_task_data_var`.

    Each string is rendered on its own (never the JSON text as a whole), so a value from task data
    stays a value: a quote in a department's name can neither break the schema nor add rules to it."""
    text = json.dumps(schema, ensure_ascii=False)
    if "{{" in text or "{%" in text:
        schema = _render_strings(schema, task_data)
    return _expand_options(schema, task_data)


def _render_strings(node, task_data):
    if isinstance(node, str):
        return render_text(node, task_data) if "{{" in node or "{%" in node else node
    if isinstance(node, dict):
        return {_render_strings(key, task_data): _render_strings(value, task_data) for key, value in node.items()}
    if isinstance(node, list):
        return [_render_strings(value, task_data) for value in node]
    return node


def _expand_options(node, task_data):
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "anyOf" and isinstance(value, list) and len(value) == 1 \
                    and isinstance(value[0], str) and value[0].startswith(OPTIONS_PREFIX):
                options = task_data.get(value[0][len(OPTIONS_PREFIX):]) or []
                result[key] = [_option(o) for o in options] or [{"enum": [None], "title": "-"}]
            else:
                result[key] = _expand_options(value, task_data)
        return result
    if isinstance(node, list):
        return [_expand_options(v, task_data) for v in node]
    return node


def _option(option):
    if isinstance(option, dict):
        value = option.get("value", option.get("id"))
        return {"enum": [value], "title": str(option.get("label", option.get("title", value)))}
    return {"enum": [option], "title": str(option)}


# `format` is checked for these (jsonschema's own date-time and email checks need packages we do not
# install, or accept anything with an "@"); other formats are not checked
FORMATS = FormatChecker(formats=())
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def _parses(pattern: re.Pattern, parse, value) -> bool:
    if not isinstance(value, str):
        return True  # `type` says what else is allowed
    try:
        return pattern.fullmatch(value) is not None and parse(value.upper().replace("Z", "+00:00")) is not None
    except ValueError:
        return False


@FORMATS.checks("date")
def is_date(value) -> bool:
    """YYYY-MM-DD, a real calendar day."""
    return _parses(_DATE, dt.date.fromisoformat, value)


@FORMATS.checks("date-time")
def is_date_time(value) -> bool:
    """A real day and time in ISO 8601 (seconds and the offset may be left out: the forms send local times)."""
    return _parses(_DATE_TIME, dt.datetime.fromisoformat, value)


@FORMATS.checks("email")
def is_email(value) -> bool:
    return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None


def schema_errors(schema: dict, data: dict) -> dict[str, str]:
    cls = validator_for(schema, default=Draft7Validator)
    errors = {}
    for error in sorted(cls(schema, format_checker=FORMATS).iter_errors(data), key=lambda e: list(e.path)):
        path = ".".join(str(p) for p in error.absolute_path)
        if error.validator == "required" and error.message.startswith("'"):
            missing = error.message.split("'")[1]
            path = f"{path}.{missing}" if path else missing
        custom = error.schema.get("validationErrorMessage") if isinstance(error.schema, dict) else None
        errors.setdefault(path or "(form)", custom or error.message)
    for path, message in date_bound_errors(schema, data).items():
        errors.setdefault(path, message)
    return errors


DATE_BOUNDS = (("minimumDate", "before"), ("maximumDate", "after"))


def _is_day(value) -> bool:
    return isinstance(value, str) and (is_date(value) or is_date_time(value))


def _bound(bound: str, data: dict, properties: dict) -> tuple[str | None, str]:
    """The date a bound stands for (None when it has none yet) and how a message names it."""
    if bound.startswith("field:"):
        name = bound[len("field:"):]
        other = data.get(name)
        title = (properties.get(name) or {}).get("title") or name
        return (other if _is_day(other) else None), f"'{title}' ({other})"
    return (bound if _is_day(bound) else None), bound


def date_bound_errors(schema, data, path: str = "") -> dict[str, str]:
    """SpiffArena's `minimumDate` and `maximumDate` on a date field of `properties`: an ISO date (Jinja may
    give it, e.g. the plan's year), or `field:NAME` for a sibling's date: a date out of bounds is refused.
    Checked in nested objects and in each row of a repeating group."""
    if not isinstance(schema, dict) or not isinstance(data, dict):
        return {}
    errors = {}
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    for name, sub in properties.items():
        if not isinstance(sub, dict):
            continue
        here, value = f"{path}.{name}" if path else name, data.get(name)
        for keyword, word in DATE_BOUNDS:
            bound = sub.get(keyword)
            if not isinstance(bound, str) or not _is_day(value):
                continue
            other, named = _bound(bound, data, properties)
            if other is not None and (value[:10] < other[:10] if word == "before" else value[:10] > other[:10]):
                errors.setdefault(here, sub.get("validationErrorMessage") or f"Must not be {word} {named}.")
        if isinstance(value, dict):
            errors.update(date_bound_errors(sub, value, here))
        elif isinstance(value, list):
            for index, row in enumerate(value):
                errors.update(date_bound_errors(sub.get("items"), row, f"{here}.{index}"))
    return errors


def declared_names(schema: dict) -> set[str] | None:
    """Top-level field names a schema declares, conditional ones (dependencies, if/then/else,
    allOf) included; None when it declares none (then any name goes)."""
    if not isinstance(schema, dict):
        return None
    parts = [part["properties"] for part in schema_parts(schema) if isinstance(part.get("properties"), dict)]
    return set().union(*parts) if parts else None


def check_fields(schema: dict, clean: dict) -> None:
    """Refuse reserved names and, when the schema lists its fields, names it does not list."""
    bad = sorted(k for k in clean if k.startswith("_") or k in RESERVED)
    if bad:
        raise InvalidInput(f"Field names not allowed: {', '.join(bad)}.", errors={k: "reserved" for k in bad})
    declared = declared_names(schema or {})
    if declared is not None and (schema or {}).get("additionalProperties") is not True:
        unknown = sorted(k for k in clean if k not in declared)
        if unknown:
            raise InvalidInput(f"Fields not in the form: {', '.join(unknown)}.",
                               errors={k: "unknown" for k in unknown})


def draft_read_only(forms: dict, task_row, task_data: dict, draft: dict) -> dict:
    """A copy of `draft` whose read-only answers are the task's (as a submission's are, see
    keep_read_only): InvalidInput when its rows cannot be told apart or were added or removed
    against the form. A draft carries no answer the form would not let its user change."""
    clean = json_safe(draft)
    schema = (forms or {}).get(task_row.form_key) if task_row.form_key else None
    if schema:
        ui = (forms or {}).get(task_row.ui_form_key) if task_row.ui_form_key else None
        keep_read_only(schema, ui if isinstance(ui, dict) else {}, clean, task_data)
    return clean


def validate_submission(forms: dict, task_row, spiff_task, data: dict) -> dict:
    """JSON-safe, schema-checked data for this task, or InvalidInput naming each bad field."""
    try:
        clean = json_safe(data)
    except RecursionError:
        raise InvalidInput("The answers are nested too deeply.") from None
    schema = (forms or {}).get(task_row.form_key) if task_row.form_key else None
    check_fields(schema or {}, clean)
    if schema:
        ui = (forms or {}).get(task_row.ui_form_key) if task_row.ui_form_key else None
        keep_read_only(schema, ui if isinstance(ui, dict) else {}, clean, spiff_task.data)
    if schema:
        errors = schema_errors(resolve_schema(schema, spiff_task.data), clean)
        if errors:
            raise InvalidInput("Some answers are missing or invalid.", errors=errors)
    return clean
