"""Conditional fields: which fields appear (or become required) depending on a sibling's value.

Three JSON Schema spellings are understood, all on an object schema:

- property dependencies, `"dependencies": {"a": ["b"]}`: b is required once a has a value;
- schema dependencies, `"dependencies": {"a": {"properties": {...}, "required": [...]}}`, optionally
  as `{"oneOf": [...]}` where each alternative pins a with `enum` or `const`;
- `"if": {"properties": {"a": {"const": v}}}, "then": {...}, "else": {...}`, also inside `allOf`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

BRANCH_KEYWORDS = frozenset({"properties", "required", "title", "description", "$comment"})
PINNING_KEYWORDS = frozenset({"enum", "const", "type", "title"})


def html_value(value) -> str:
    """The string a browser sends for a JSON value (used for option values and conditions)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def is_absent(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


@dataclass(frozen=True)
class Condition:
    """`field` (a sibling) has one of `values` (any value when None); `when_absent` is the outcome
    when the sibling is empty; `negate` turns the outcome round (an `else` branch)."""
    field: str
    values: tuple | None = None
    when_absent: bool = False
    negate: bool = False

    def holds(self, siblings: Mapping) -> bool:
        value = siblings.get(self.field)
        if is_absent(value):
            result = self.when_absent
        elif self.values is None:
            result = True
        elif isinstance(value, list):
            result = any(_same(v, w) for v in value for w in self.values)
        else:
            result = any(_same(value, w) for w in self.values)
        return result != self.negate

    def union(self, other: Condition) -> Condition | None:
        """A condition holding when either holds, or None when they cannot be combined."""
        if other.field != self.field or other.negate != self.negate:
            return None
        values = None if self.values is None or other.values is None \
            else self.values + tuple(v for v in other.values if v not in self.values)
        return Condition(self.field, values, self.when_absent or other.when_absent, self.negate)

    def for_browser(self, input_name: str) -> dict:
        """What forms.js needs: the sibling's input name and the values as the browser sends them."""
        values = None if self.values is None else [html_value(v) for v in self.values]
        return {"field": input_name, "values": values, "absent": self.when_absent, "negate": self.negate}


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b or is_number(a) and is_number(b) and a == b


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class Branch:
    """Properties that appear, and names that become required, when `condition` holds."""
    condition: Condition
    properties: dict
    required: list


def read_branches(schema: dict, refuse) -> list[Branch]:
    """Every conditional branch of an object schema; `refuse(message)` records what is not understood."""
    branches: list[Branch] = []
    dependencies = schema.get("dependencies")
    if dependencies is not None:
        if isinstance(dependencies, dict):
            for name, dependency in dependencies.items():
                branches += _dependency(name, dependency, refuse)
        else:
            refuse("'dependencies' must be an object")
    if any(key in schema for key in ("if", "then", "else")):
        branches += _if_then_else(schema, refuse)
    parts = schema.get("allOf")
    if parts is not None:
        if isinstance(parts, list) and all(isinstance(p, dict) and p and set(p) <= {"if", "then", "else"}
                                           for p in parts):
            for part in parts:
                branches += _if_then_else(part, refuse)
        else:
            refuse("'allOf' is supported only as a list of if/then/else conditions")
    return branches


def _dependency(name: str, dependency, refuse) -> list[Branch]:
    if isinstance(dependency, list) and all(isinstance(n, str) for n in dependency):
        return [Branch(Condition(name), {}, list(dependency))]
    if not isinstance(dependency, dict):
        refuse(f"the dependency on '{name}' must be a list of names or a schema")
        return []
    if "oneOf" not in dependency:
        branch = _branch(dependency, Condition(name), f"the dependency on '{name}'", refuse)
        return [branch] if branch else []
    for key in set(dependency) - {"oneOf"}:
        refuse(f"unsupported keyword '{key}' in the dependency on '{name}'")
    alternatives = dependency["oneOf"]
    if not isinstance(alternatives, list):
        refuse(f"'oneOf' in the dependency on '{name}' must be a list")
        return []
    branches = []
    for alternative in alternatives:
        own = alternative.get("properties", {}).get(name) if isinstance(alternative, dict) else None
        values = _pinned_values(own)
        if values is None:
            refuse(f"each 'oneOf' alternative of the dependency on '{name}' must give '{name}' an enum or const")
            continue
        branch = _branch(alternative, Condition(name, values), f"the dependency on '{name}'", refuse)
        if branch:
            branch.properties.pop(name, None)
            branches.append(branch)
    return branches


def _if_then_else(schema: dict, refuse) -> list[Branch]:
    test = schema.get("if")
    if not isinstance(test, dict):
        refuse("'then' and 'else' need an 'if'")
        return []
    properties = test.get("properties")
    extra = set(test) - {"properties", "required"}
    if extra or not isinstance(properties, dict) or len(properties) != 1:
        refuse("'if' must test exactly one sibling field with 'const' or 'enum'")
        return []
    [(name, pinned)] = properties.items()
    values = _pinned_values(pinned)
    if values is None:
        refuse(f"'if' must test '{name}' with 'const' or 'enum'")
        return []
    required = test.get("required", [])
    condition = Condition(name, values, when_absent=name not in required)
    branches = []
    for key, branch_condition in (("then", condition), ("else", replace(condition, negate=True))):
        if key in schema:
            branch = _branch(schema[key], branch_condition, f"'{key}'", refuse)
            if branch:
                branches.append(branch)
    return branches


def _branch(schema, condition: Condition, where: str, refuse) -> Branch | None:
    if not isinstance(schema, dict):
        refuse(f"{where} must be a schema")
        return None
    for key in set(schema) - BRANCH_KEYWORDS:
        refuse(f"unsupported keyword '{key}' in {where}")
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    if not isinstance(properties, dict) or not isinstance(required, list) \
            or not all(isinstance(n, str) for n in required):
        refuse(f"{where} must have 'properties' as an object and 'required' as a list of names")
        return None
    return Branch(condition, dict(properties), list(required))


def _pinned_values(schema) -> tuple | None:
    if not isinstance(schema, dict) or set(schema) - PINNING_KEYWORDS:
        return None
    if "const" in schema:
        return (schema["const"],)
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return tuple(schema["enum"])
    return None
