"""Human names for what a process version stores under technical names: a data key gets the
title its form gives it ("summary" -> "方案概述"), an element id the name drawn on the diagram
("write_plan" -> "提交整改方案"). Pages show these instead of the keys; exports keep the keys."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from sqlalchemy.orm import Session

from engine import repository
from engine.cache import LRU
from engine.models import ProcessVersion


@dataclass(frozen=True)
class Labels:
    fields: dict[str, str] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)
    choices: dict[str, dict] = field(default_factory=dict)  # key -> {stored value: its title}
    # element id -> (titles, choices) of its own form: what one step's data is called in that step
    by_element: dict[str, tuple[dict, dict]] = field(default_factory=dict)
    files: frozenset[str] = frozenset()  # keys of file fields: their values are attachment ids
    # key -> the task data variable its choices come from (`"anyOf": ["options_from_task_data_var:NAME"]`)
    option_vars: dict[str, str] = field(default_factory=dict)
    start: tuple[dict, dict] = ({}, {})  # (titles, choices) of the start form
    _per_element: dict = field(default_factory=dict, compare=False, repr=False)  # for_element's results

    @cached_property
    def _position(self) -> dict[str, int]:
        return {key: index for index, key in enumerate(self.fields)}

    def for_element(self, element_id: str | None) -> Labels:
        """These labels as the element's own form gives them (two forms may title one key apart).
        No element (what the instance as a whole or the application recorded: the start, a message,
        a publication): the start form's titles only, so that a key the application writes
        (`status`) does not take the title some step's form gives it."""
        own = self.by_element.get(element_id) if element_id else None
        if own is None and element_id:
            return self
        if element_id not in self._per_element:  # a history asks once per event: build once per step
            titles, choices = own or self.start
            fallback = {k: v for k, v in self.fields.items() if k not in titles} if element_id else {}
            self._per_element[element_id] = Labels(
                fields={**titles, **fallback}, elements=self.elements,
                choices={**self.choices, **choices} if element_id else choices, files=self.files)
        return self._per_element[element_id]

    def with_options(self, data: dict | None) -> Labels:
        """These labels with the titles of the choices that come from task data (`deputy_choices`:
        a deputy's user name -> name), as `data` (an instance's or a task's data) holds them."""
        found = {key: titles for key, name in self.option_vars.items()
                 if isinstance(data, dict) and (titles := option_titles(data.get(name)))}
        if not found:
            return self
        return replace(self, choices={**self.choices, **found}, _per_element={})

    def choice(self, key: str | None, value) -> str | None:
        """The title a form gives `value` among the choices of `key` ("forum" -> "座谈会")."""
        titles = self.choices.get(key) if key else None
        if not titles or not isinstance(value, (str, int, float)):  # bool is an int: 通过 / 退回修改
            return None
        return titles.get(value)

    def field(self, key: str) -> str:
        return self.fields.get(key) or key

    def ordered(self, keys) -> list[str]:
        """`keys` in the order their forms list them; keys no form names keep their order, after."""
        position = self._position
        return sorted(keys, key=lambda key: position.get(key, len(position)))

    def element(self, element_id: str | None) -> str | None:
        return self.elements.get(element_id, element_id) if element_id else element_id


OPTIONS_PREFIX = "options_from_task_data_var:"
_NESTED = ("additionalProperties", "$defs", "definitions", "allOf", "anyOf", "oneOf", "then", "else")


def _in_ui_order(names: list[str], ui: dict) -> list[str]:
    """Property names in the order the form shows them (`ui:order`, with "*" for the rest)."""
    order = ui.get("ui:order")
    if not isinstance(order, list):
        return names
    star = order.index("*") if "*" in order else len(order)
    before = [n for n in order[:star] if n in names]
    after = [n for n in order[star + 1:] if n in names]
    return before + [n for n in names if n not in before and n not in after] + after


def option_titles(options) -> dict:
    """{value: title} of the options a task data variable holds, as the engine expands them
    (engine/validation.py: a dict gives `value` or `id`, and `label` or `title`)."""
    found = {}
    for option in options if isinstance(options, list) else ():
        if isinstance(option, dict):
            value = option.get("value", option.get("id"))
            title = option.get("label", option.get("title"))
            if isinstance(value, (str, int, float)) and isinstance(title, str) and title.strip():
                found[value] = title.strip()
    return found


def option_var(schema: dict) -> str | None:
    """The task data variable a field's (or its items') choices come from, if they do."""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema = schema["items"]
    entries = schema.get("anyOf")
    if isinstance(entries, list) and len(entries) == 1 and isinstance(entries[0], str) \
            and entries[0].startswith(OPTIONS_PREFIX):
        return entries[0][len(OPTIONS_PREFIX):]
    return None


def _titled(title) -> str | None:
    return title.strip() if isinstance(title, str) and title.strip() and "{{" not in title else None


def choice_titles(schema: dict) -> dict:
    """{value: title} of a field's choices (`oneOf`/`anyOf` entries, `enum` with `enumNames`; for
    a list of choices, those of its items)."""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema = schema["items"]
    found = {}
    entries = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict) and _titled(entry.get("title")) and "const" in entry:
                value = entry["const"]
                if isinstance(value, (str, int, float)):
                    found[value] = _titled(entry["title"])
    values, names = schema.get("enum"), schema.get("enumNames")
    if isinstance(values, list) and isinstance(names, list):
        for value, name in zip(values, names, strict=False):
            if isinstance(value, (str, int, float)) and _titled(name):
                found[value] = _titled(name)
    return found


def field_titles(forms: dict, pairs: list[tuple[str | None, str | None]] = (),
                 choices: dict[str, dict] | None = None, only_named: bool = False,
                 files: set[str] | None = None, option_vars: dict[str, str] | None = None) -> dict[str, str]:
    """Property name -> title, over every form of a version, nested objects and lists included.

    `pairs` (form, UI form) come first, in that order (the start form, then the tasks' forms),
    then the other forms by name. The first title met wins, so one key keeps one label on a
    page, and the dict's order is the order people fill the fields in. The titles of each
    field's choices go into `choices` when it is given, the keys of file fields (their values are
    attachment ids) into `files`, the task data variables that hold a field's choices into
    `option_vars`. `only_named`: the forms in `pairs` only."""
    titles: dict[str, str] = {}

    def walk(node, ui) -> None:
        ui = ui if isinstance(ui, dict) else {}
        if isinstance(node, list):
            for child in node:
                walk(child, ui)
            return
        if not isinstance(node, dict):
            return
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name in _in_ui_order(list(properties), ui):
                child = properties[name]
                if not isinstance(child, dict):
                    continue
                if _titled(child.get("title")):
                    titles.setdefault(name, _titled(child["title"]))
                if choices is not None and name not in choices and (found := choice_titles(child)):
                    choices[name] = found
                if option_vars is not None and name not in option_vars and (variable := option_var(child)):
                    option_vars[name] = variable
                own_ui = ui.get(name) if isinstance(ui.get(name), dict) else {}
                if files is not None and own_ui.get("ui:widget") == "file":
                    files.add(name)
                walk(child, own_ui)
        if "items" in node:
            walk(node["items"], ui.get("items"))
        for key in _NESTED:
            if key in node:
                walk(node[key], ui)

    for name, ui_name in [*pairs, *(() if only_named else ((name, None) for name in sorted(forms)))]:
        if name in forms:
            walk(forms[name], forms.get(ui_name) if ui_name else None)
    return titles


def _task_specs(spec, subprocess_specs: dict):
    for process in (spec, *subprocess_specs.values()):
        yield from process.task_specs.values()


def element_names(spec, subprocess_specs: dict) -> dict[str, str]:
    """Element id -> its name on the diagram, for every named element of the version."""
    names: dict[str, str] = {}
    for task_spec in _task_specs(spec, subprocess_specs):
        bpmn_id, name = getattr(task_spec, "bpmn_id", None), getattr(task_spec, "bpmn_name", None)
        if bpmn_id and name and name.strip():
            names.setdefault(bpmn_id, " ".join(name.split()))
    return names


def forms_in_use(spec, subprocess_specs: dict) -> list[tuple[str, str, str | None]]:
    """(element id, form, UI form) of the tasks that name a form, in the order the specs list them."""
    used = []
    for task_spec in _task_specs(spec, subprocess_specs):
        properties = (getattr(task_spec, "extensions", None) or {}).get("properties") or {}
        if properties.get("formJsonSchemaFilename"):
            used.append((getattr(task_spec, "bpmn_id", None) or task_spec.name,
                         properties["formJsonSchemaFilename"], properties.get("formUiSchemaFilename")))
    return used


def _own_titles(forms: dict, form: str, ui: str | None) -> tuple[dict, dict]:
    choices: dict[str, dict] = {}
    return field_titles(forms, [(form, ui)], choices, only_named=True), choices


_labels = LRU(64)  # process version id -> (the repository's spec objects it was built from, Labels)


def for_version(session: Session, version: ProcessVersion) -> Labels:
    """The labels of a version, built once per copy of its spec that the repository caches (so
    they go when the repository's caches are cleared). The start form's fields come first."""
    objects = repository.spec_objects(session, version.id)
    cached = _labels.get(version.id)
    if cached is not None and cached[0] is objects:
        return cached[1]
    spec, subprocesses = objects
    used = forms_in_use(spec, subprocesses)
    forms = repository.forms_of(session, version.id)
    pairs = [(version.start_form_key, version.start_ui_form_key), *((form, ui) for _, form, ui in used)]
    choices: dict[str, dict] = {}
    files: set[str] = set()
    option_vars: dict[str, str] = {}
    labels = Labels(fields=field_titles(forms, pairs, choices, files=files, option_vars=option_vars),
                    elements=element_names(spec, subprocesses), choices=choices,
                    by_element={element: _own_titles(forms, form, ui) for element, form, ui in used},
                    files=frozenset(files), option_vars=option_vars,
                    start=_own_titles(forms, version.start_form_key, version.start_ui_form_key))
    _labels.put(version.id, (objects, labels))
    return labels
