"""Form definitions: a JSON Schema plus an optional UI schema (react-jsonschema-form's convention, as
SpiffArena uses it) read into a tree of field definitions.

`parse_definition(schema, ui)` raises FormDefinitionError listing every unsupported keyword;
`read_definition` returns the problems instead (that is what deployment checks call).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .choices import Choice
from .conditions import Condition, html_value

INDEX = re.compile(r"\.\d+(?=\.|$)")


class FormDefinitionError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(eq=False)
class FieldDefinition:
    """One field. `widget` is resolved: text, textarea, email, date, datetime, select, radio,
    checkbox, checkboxes, updown, range, hidden, file, principal, rating, object (nested fields in
    `fields`), group (a repeating group: `item` is the row object) or list (an array of plain values:
    `item` is the value's definition)."""
    name: str
    path: str
    type: str
    widget: str = "text"
    title: str = ""
    description: str = ""
    help: str = ""
    placeholder: str = ""
    required: bool = False
    default: Any = None
    read_only: bool = False
    autofocus: bool = False
    choices: list[Choice] | None = None
    choices_from: str | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    error_message: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    fields: list[FieldDefinition] = field(default_factory=list)
    item: FieldDefinition | None = None
    condition: Condition | None = None
    required_when: Condition | None = None
    schema: dict = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def multiple(self) -> bool:
        return self.type == "array"

    @property
    def depth(self) -> int:
        """How many repeating groups enclose this field."""
        return self.path.count("[]")

    @property
    def marked_required(self) -> bool:
        """Whether to show the required marker: required, or required whenever it is shown."""
        return self.required or self.required_when is not None and self.required_when == self.condition

    @property
    def rating_max(self) -> int:
        return int(self.constraints.get("maximum", 5))

    @property
    def accept(self) -> list[str]:
        accept = self.options.get("accept") or []
        return [a.strip() for a in accept.split(",")] if isinstance(accept, str) else list(accept)

    def applies_to(self, siblings: Mapping) -> bool:
        """Whether the field is shown (and kept) given the values of its siblings."""
        return self.condition is None or self.condition.holds(siblings)

    def is_required_in(self, siblings: Mapping) -> bool:
        return self.required or self.required_when is not None and self.required_when.holds(siblings)

    def choice_list(self, choices: Mapping | None = None) -> list[tuple[Any, str]]:
        """(value, label) pairs: from the schema, else supplied by the caller under the field's
        path (or the task data variable's name)."""
        if self.choices is not None:
            return [(c.value, c.label) for c in self.choices]
        if self.widget == "rating":
            return [(n, str(n)) for n in range(int(self.constraints.get("minimum", 1)), self.rating_max + 1)]
        choices = choices or {}
        for key in (self.path, self.choices_from):
            if key and key in choices:
                return [(value, str(label)) for value, label in choices[key]]
        return []

    def label_for(self, value, choices: Mapping | None = None) -> str:
        """The title of a choice value (the value itself when it is not a known choice)."""
        for option, label in self.choice_list(choices):
            if option == value or html_value(option) == html_value(value):
                return label
        return html_value(value)

    def labels_for(self, values, choices: Mapping | None = None) -> list[str]:
        return [self.label_for(v, choices) for v in values or []]


@dataclass(eq=False)
class FormDefinition:
    title: str
    description: str
    fields: list[FieldDefinition]
    schema: dict = field(repr=False)
    ui: dict = field(default_factory=dict, repr=False)

    def walk(self) -> Iterator[FieldDefinition]:
        """Every field, depth first (items of repeating groups included)."""
        stack = list(reversed(self.fields))
        while stack:
            current = stack.pop()
            yield current
            children = list(current.fields)
            if current.item is not None:
                children = [current.item] if current.widget == "list" else list(current.item.fields)
            stack.extend(reversed(children))

    def find(self, path: str) -> FieldDefinition | None:
        """The field at a definition path (`plan_items[].deadline`) or data path (`plan_items.0.deadline`)."""
        wanted = INDEX.sub("[]", path)
        return next((f for f in self.walk() if f.path == wanted), None)

    def find_input(self, name: str) -> FieldDefinition | None:
        """The field whose HTML input is named `name` (WTForms' names: `plan_items-0-evidence`)."""
        return next((f for f in self.walk() if _input_pattern(f.path).fullmatch(name)), None)

    @property
    def has_files(self) -> bool:
        """Whether the HTML form needs enctype="multipart/form-data"."""
        return any(f.widget == "file" and not f.read_only for f in self.walk())


def read_definition(schema, ui=None) -> tuple[FormDefinition, list[str]]:
    """The definition and the list of problems found (empty when everything is supported)."""
    from .parser import Parser

    parser = Parser()
    definition = parser.form(schema, ui if ui is not None else {})
    return definition, parser.problems


def parse_definition(schema, ui=None) -> FormDefinition:
    definition, problems = read_definition(schema, ui)
    if problems:
        raise FormDefinitionError(problems)
    return definition


def _input_pattern(path: str) -> re.Pattern:
    return re.compile(re.escape(path).replace(re.escape("[]."), r"-\d+-").replace(re.escape("."), "-"))
