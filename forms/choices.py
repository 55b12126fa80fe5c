"""Choices of a field: `enum` (with optional `enumNames`), `oneOf`/`anyOf` lists of `const`/`enum`
entries with titles, or SpiffArena's `"anyOf": ["options_from_task_data_var:NAME"]`."""
from __future__ import annotations

from dataclasses import dataclass

from .keywords import CHOICE_ENTRY_KEYWORDS

OPTIONS_PREFIX = "options_from_task_data_var:"


@dataclass(frozen=True)
class Choice:
    value: object
    label: str


def read_choices(schema: dict, refuse) -> tuple[list[Choice] | None, str | None]:
    """(choices, name of the task data variable holding them); either may be None."""
    lists = [key for key in ("enum", "oneOf", "anyOf") if key in schema]
    if len(lists) > 1:
        refuse(f"use only one of 'enum', 'oneOf' and 'anyOf' (found {', '.join(lists)})")
        return None, None
    if "enumNames" in schema and "enum" not in schema:
        refuse("'enumNames' needs 'enum'")
    if not lists:
        return None, None
    key = lists[0]
    entries = schema[key]
    if not isinstance(entries, list) or not entries:
        refuse(f"'{key}' must be a non-empty list")
        return None, None
    if key == "enum":
        return _from_enum(entries, schema.get("enumNames"), refuse), None
    if is_option_var(entries):
        name = entries[0][len(OPTIONS_PREFIX):]
        if not name.isidentifier():
            refuse(f"'{OPTIONS_PREFIX}' must name a task data variable")
        return None, name
    choices = []
    for entry in entries:
        choice = _from_entry(entry)
        if choice is None:
            refuse(f"each entry of '{key}' must be an object with 'const' (or a one-value 'enum') and a 'title'")
            return None, None
        for extra in set(entry) - CHOICE_ENTRY_KEYWORDS:
            refuse(f"unsupported keyword '{extra}' in a '{key}' entry")
        choices.append(choice)
    return choices, None


def _from_enum(values: list, names, refuse) -> list[Choice]:
    if names is not None and (not isinstance(names, list) or len(names) != len(values)
                              or not all(isinstance(n, str) for n in names)):
        refuse("'enumNames' must list one title per 'enum' value")
        names = None
    labels = names or [_label(v) for v in values]
    return [Choice(v, label) for v, label in zip(values, labels, strict=True)]


def _from_entry(entry) -> Choice | None:
    if not isinstance(entry, dict):
        return None
    if "const" in entry:
        value = entry["const"]
    elif isinstance(entry.get("enum"), list) and len(entry["enum"]) == 1:
        value = entry["enum"][0]
    else:
        return None
    title = entry.get("title")
    return Choice(value, title if isinstance(title, str) else _label(value))


def _label(value) -> str:
    return "" if value is None else str(value)


def options_from_data(options) -> list[tuple[object, str]]:
    """(value, label) pairs from a task data variable, the way the engine expands them: a dict
    option gives `value` (or `id`) and `label` (or `title`); anything else is its own label."""
    pairs = []
    for option in options or []:
        if isinstance(option, dict):
            value = option.get("value", option.get("id"))
            pairs.append((value, str(option.get("label", option.get("title", value)))))
        else:
            pairs.append((option, str(option)))
    return pairs


def is_option_var(entries) -> bool:
    return isinstance(entries, list) and len(entries) == 1 and isinstance(entries[0], str) \
        and entries[0].startswith(OPTIONS_PREFIX)


def strip_option_vars(node):
    """A copy of a schema without `"anyOf": ["options_from_task_data_var:NAME"]`, which is not valid
    JSON Schema until the engine expands it (choices are then checked by the form instead)."""
    if isinstance(node, dict):
        return {k: strip_option_vars(v) for k, v in node.items() if not (k == "anyOf" and is_option_var(v))}
    if isinstance(node, list):
        return [strip_option_vars(v) for v in node]
    return node
