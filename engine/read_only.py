"""Read-only answers in a submission: what a form shows its user but does not let them change (what
the committee asked in each row of a plan, the content items of a self-inspection, an earlier
step's answer). Whatever a submission says, on every path (the web form, the JSON API, services):

- a read-only field keeps the value in the task's data (else its schema's default, else none);
- a row of a repeating group is the data row whose read-only part it carries unchanged (each data
  row once, so rows may be removed or moved), or a new row without read-only values; a row whose
  read-only part matches no data row is refused, and so are rows sent all without their read-only
  parts while the task's rows have some (there is no telling which row is which then);
- `ui:options` `removable: false` / `addable: false` of a group hold: no data row left out, no row
  added.

Read-only means what the form builder shows as such (forms/parser.py): JSON Schema `readOnly`, UI
`ui:readonly` or `ui:disabled`, inherited by everything inside, and fields declared in
`dependencies`, `if`/`then`/`else` and `allOf` as well as in `properties`.
"""
from __future__ import annotations

from engine.errors import InvalidInput
from engine.serializer import json_safe

MISSING = object()


def is_read_only(schema: dict, ui: dict) -> bool:
    return any(value is True for value in (schema.get("readOnly"), ui.get("ui:readonly"), ui.get("ui:disabled")))


def _ui(ui: dict, key: str) -> dict:
    found = ui.get(key) if isinstance(ui, dict) else None
    return found if isinstance(found, dict) else {}


def schema_parts(schema: dict):
    """The schema and every conditional branch in it (`then`/`else`, `allOf`, `dependencies` with
    their `oneOf` alternatives, at any depth): where a form may declare fields."""
    yield schema
    for key in ("then", "else"):
        if isinstance(schema.get(key), dict):
            yield from schema_parts(schema[key])
    for part in schema.get("allOf") or []:
        if isinstance(part, dict):
            yield from schema_parts(part)
    dependencies = schema.get("dependencies")
    for dependency in (dependencies.values() if isinstance(dependencies, dict) else ()):
        if isinstance(dependency, dict):
            yield from schema_parts(dependency)
            for alternative in dependency.get("oneOf") or []:
                if isinstance(alternative, dict):
                    yield from schema_parts(alternative)


def properties(schema: dict) -> dict[str, dict]:
    """name -> schema of every field a schema declares, conditional ones included (a field declared
    twice is read-only if either declaration says so)."""
    found: dict[str, dict] = {}
    for part in schema_parts(schema):
        own = part.get("properties")
        for name, sub in (own.items() if isinstance(own, dict) else ()):
            if not isinstance(sub, dict):
                continue
            if name in found and sub is not found[name]:
                sub = {**found[name], **sub, "readOnly": bool(found[name].get("readOnly") or sub.get("readOnly"))}
            found[name] = sub
    return found


def _items(schema: dict) -> dict | None:
    items = schema.get("items")
    return items if isinstance(items, dict) else None


def fixed_part(schema: dict, ui: dict, value, inherited: bool = False):
    """The read-only content of `value` (a JSON-comparable copy), or None when it has none: its
    read-only fields, and those of the objects in it (not of the lists in it)."""
    if inherited or is_read_only(schema, ui):
        return None if value in (None, "", [], {}) else json_safe(value)  # blank: nothing carried
    if isinstance(value, dict):
        part = {}
        for name, sub in properties(schema).items():
            if name in value:
                found = fixed_part(sub, _ui(ui, name), value[name])
                if found is not None:
                    part[name] = found
        return part or None
    return None  # a list inside a row is matched on its own, row by row (keep_read_only)


def keep_read_only(schema: dict, ui: dict, clean: dict, current, path: str = "",
                   inherited: bool = False) -> None:
    """Put the task's read-only values into `clean` (a submission, changed in place); InvalidInput
    when rows cannot be told apart or a group's rows were added or removed against its options."""
    if not isinstance(schema, dict) or not isinstance(clean, dict):
        return
    ui = ui if isinstance(ui, dict) else {}
    inherited = inherited or is_read_only(schema, ui)
    current = current if isinstance(current, dict) else {}
    for name, sub in properties(schema).items():
        sub_ui = _ui(ui, name)
        items = _items(sub)
        where = f"{path}.{name}" if path else name
        if inherited or is_read_only(sub, sub_ui) or (items is not None and is_read_only(items, _ui(sub_ui, "items"))):
            value = current.get(name, sub.get("default", MISSING))
            if value is MISSING:
                clean.pop(name, None)
            else:
                clean[name] = json_safe(value)  # a copy: the task data is not shared
        elif isinstance(clean.get(name), dict):
            keep_read_only(sub, sub_ui, clean[name], current.get(name), where)
        elif isinstance(clean.get(name), list) and items is not None and items.get("type") == "object":
            _rows(items, _ui(sub_ui, "items"), clean[name], current.get(name), where,
                  sub_ui.get("ui:options") if isinstance(sub_ui.get("ui:options"), dict) else {})


def _within(given, held) -> bool:
    """Whether every read-only value `given` carries is what `held` has (a row may leave out a
    read-only value whose condition fails on the page)."""
    if isinstance(given, dict) and isinstance(held, dict):
        return all(key in held and _within(value, held[key]) for key, value in given.items())
    return given == held


def _rows(schema: dict, ui: dict, rows: list, current, path: str, options: dict) -> None:
    before = [json_safe(row) for row in current if isinstance(row, dict)] if isinstance(current, list) else []
    fixed_before = [fixed_part(schema, ui, row) for row in before]
    used: set[int] = set()
    carried = new = 0
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        given = fixed_part(schema, ui, row)
        match = None
        if given is not None:
            carried += 1
            match = next((j for j, old in enumerate(fixed_before)
                          if j not in used and old is not None and _within(given, old)), None)
            if match is None:
                raise InvalidInput(f"Row {index + 1} of '{path}' changes answers that are read-only.",
                                   errors={f"{path}.{index}": "read_only_changed"})
            used.add(match)
        else:
            new += 1
        keep_read_only(schema, ui, row, before[match] if match is not None else None, f"{path}.{index}")
    with_parts = [j for j, part in enumerate(fixed_before) if part is not None]
    without_parts = len(before) - len(with_parts)  # rows sent without a part may be these
    if with_parts and not carried and new > without_parts:
        raise InvalidInput(f"The rows of '{path}' must be sent with their read-only answers as the task gives "
                           "them.", errors={path: "read_only_missing"})
    if options.get("removable") is False and (any(j not in used for j in with_parts) or len(rows) < len(before)):
        raise InvalidInput(f"Rows of '{path}' cannot be removed.", errors={path: "rows_removed"})
    if options.get("addable") is False and before and (len(rows) > len(before) or (with_parts and new)):
        raise InvalidInput(f"Rows cannot be added to '{path}'.", errors={path: "rows_added"})
