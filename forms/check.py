"""Deployment-time checks: every keyword, widget and format a form uses must be one Pingyi renders.

`check_form` checks a schema (with its UI schema when known); `check_bundle_form` is the
`form_checker` for `engine.services.processes.deploy`, which hands over one file at a time.
Jinja (`{{ x }}`) inside strings is fine: the engine renders it with task data before display.
"""
from __future__ import annotations

from .definition import read_definition
from .keywords import check_ui_keys
from .parser import OPTION_WIDGETS, join

MAX_DEPTH = 64  # levels of nesting in a form file: far beyond any real form, well within Python's recursion


def too_deep(value, limit: int = MAX_DEPTH) -> bool:
    """Whether a JSON value nests deeper than `limit` levels (measured without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _depth_problem(*values) -> list[str]:
    if any(value is not None and too_deep(value) for value in values):
        return [f"the form nests more than {MAX_DEPTH} levels deep"]
    return []


def check_form(name: str, schema: dict, ui: dict | None = None) -> list[str]:
    """Problems with a form definition, each naming the field path, e.g.
    "field 'plan_items[].deadline': unsupported keyword 'patternProperties'"."""
    return _depth_problem(schema, ui) or read_definition(schema, ui)[1]


def check_ui(ui: dict) -> list[str]:
    """Problems with a UI schema on its own (which fields exist is only known with the schema)."""
    if deep := _depth_problem(ui):
        return deep
    problems: list[str] = []
    _walk_ui(ui, "", problems)
    return problems


def _walk_ui(node, path: str, problems: list[str]) -> None:
    where = f"field '{path}'" if path else "UI schema"

    def refuse(message: str) -> None:
        problems.append(f"{where}: {message}")

    if not isinstance(node, dict):
        refuse("must be a JSON object")
        return
    check_ui_keys(node, refuse)
    widget = node.get("ui:widget")
    options = node.get("ui:options")
    if isinstance(widget, str) and isinstance(options, dict):
        for key in options:
            if key in OPTION_WIDGETS and widget not in OPTION_WIDGETS[key]:
                refuse(f"'ui:options' key '{key}' does not apply to widget '{widget}'")
    for key, value in node.items():
        if not key.startswith("ui:"):
            _walk_ui(value, path + "[]" if key == "items" else join(path, key), problems)


def is_ui_schema(name: str, form) -> bool:
    """A UI schema is named `*uischema.json`, or has only `ui:*` keys and objects of them."""
    if name.lower().endswith("uischema.json"):
        return True
    if not isinstance(form, dict) or "properties" in form or isinstance(form.get("type"), str):
        return False
    return _ui_like(form)


def _ui_like(node) -> bool:
    return isinstance(node, dict) and all(key.startswith("ui:") or _ui_like(value) for key, value in node.items())


def check_bundle_form(name: str, form: dict) -> list[str]:
    """The deploy-time checker: a UI schema file is checked as one, anything else as a JSON Schema."""
    return check_ui(form) if is_ui_schema(name, form) else check_form(name, form)
