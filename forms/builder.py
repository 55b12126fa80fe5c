"""Form classes assembled at run time from a FormDefinition (indico's `make_survey_form` pattern:
`type()` a class, then `setattr` one field per definition)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import wtforms
from wtforms.meta import DefaultMeta

from .choices import options_from_data
from .definition import FieldDefinition, FormDefinition
from .fields import Context, make_field
from .values import initial_data


def build_form_class(definition: FormDefinition, base=wtforms.Form, choices: Mapping | None = None) -> type:
    """A form class for `definition`. `base` may be Flask-WTF's FlaskForm (CSRF, translations);
    nested objects and rows use a plain form sharing the base's Meta, without CSRF. `choices` maps a
    field path (or a task data variable name) to (value, label) pairs for principal pickers and
    unexpanded `options_from_task_data_var` fields."""
    sub_meta = type("Meta", (getattr(base, "Meta", DefaultMeta),), {"csrf": False})
    sub_base = type("SubForm", (wtforms.Form,), {"Meta": sub_meta})
    context = Context(choices=choices or {}, form_class=None)
    context.form_class = lambda name, fields: _form_class(name, fields, sub_base, context)
    return _form_class("DefinedForm", definition.fields, base, context)


def _form_class(name: str, fields: list[FieldDefinition], base: type, context: Context) -> type:
    form_class = type(name, (base,), {"field_definitions": {f.name: f for f in fields}})
    for definition in fields:
        setattr(form_class, definition.name, make_field(definition, context))
    return form_class


def build_form(definition: FormDefinition, formdata=None, data: Mapping | None = None,
               choices: Mapping | None = None, base=wtforms.Form, **kwargs):
    """A bound form: prefilled from `data` (task data or a saved draft), bound to `formdata` (anything
    with `getlist`, e.g. werkzeug's MultiDict or FormData below). Without formdata, empty repeating
    groups get one blank row to fill in."""
    data = dict(data or {})
    form_class = build_form_class(definition, base, resolved_choices(definition, data, choices))
    form = form_class(formdata=formdata, data=initial_data(definition.fields, data), **kwargs)
    if formdata is None:
        _add_blank_rows(form, definition.fields)
    attach_rows(form, definition.fields, data)
    return form


def attach_rows(form, fields: list[FieldDefinition], data) -> None:
    """Give each row of a repeating group the data row it shows, as the data holds it (`raw_row`;
    None for a row added on the page): its read-only answers go back exactly as they were given."""
    data = data if isinstance(data, Mapping) else {}
    for definition in fields:
        field = form[definition.name]
        value = data.get(definition.name)
        if definition.widget == "object":
            attach_rows(field.form, definition.fields, value)
        elif definition.widget == "group":
            rows = [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
            for entry in field.entries:
                index = getattr(entry, "row_index", None)
                entry.raw_row = rows[index] if index is not None and index < len(rows) else None
                attach_rows(entry.form, definition.item.fields, entry.raw_row)


def resolved_choices(definition: FormDefinition, data: Mapping, choices: Mapping | None) -> dict:
    """The caller's choices plus those of `options_from_task_data_var` fields found in task data."""
    result = dict(choices or {})
    for field in definition.walk():
        name = field.choices_from
        if name and name not in result and field.path not in result and name in data:
            result[name] = options_from_data(data[name])
    return result


def _add_blank_rows(form, fields: list[FieldDefinition]) -> None:
    for definition in fields:
        field = form[definition.name]
        if definition.widget == "object":
            _add_blank_rows(field.form, definition.fields)
        elif definition.widget in ("group", "list") and not field.entries and not definition.read_only \
                and definition.options.get("addable", True):
            field.append_entry()


class FormData:
    """The little of werkzeug's MultiDict that WTForms needs, for tests and callers without a request.
    Built from a mapping (a value may be a list) or from (key, value) pairs."""

    def __init__(self, values: Mapping | Iterable[tuple[str, object]] | None = None):
        self._values: dict[str, list] = {}
        items = values.items() if isinstance(values, Mapping) else values or []
        for key, value in items:
            self._values.setdefault(key, []).extend(value if isinstance(value, list | tuple) else [value])

    def getlist(self, key: str) -> list:
        return list(self._values.get(key, []))

    def get(self, key: str, default=None):
        values = self._values.get(key)
        return values[0] if values else default

    def __contains__(self, key) -> bool:
        return key in self._values

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self):
        return self._values.keys()
