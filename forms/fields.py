"""Field builders, registered by (schema type, widget), and the few field classes WTForms lacks.

A builder returns (field class, keyword arguments); `make_field` turns that into an unbound field
whose class carries its FieldDefinition (the indico survey pattern: a definition knows how to
make its WTForms field).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from wtforms import fields as wtf
from wtforms import widgets
from wtforms.utils import unset_value

from .conditions import html_value
from .definition import FieldDefinition
from .validators import Finite, ValidChoice, condition_holds, constraints, presence
from .values import MISSING, field_is_blank, to_python

BUILDERS: dict[tuple[str, str], Callable] = {}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]


@dataclass
class Context:
    choices: Mapping            # (value, label) lists supplied by the caller, by field path or variable name
    form_class: Callable        # (name, fields) -> a sub-form class


def builder(kind: str, *widget_names: str):
    def register(function):
        for widget in widget_names:
            BUILDERS[(kind, widget)] = function
        return function
    return register


def make_field(definition: FieldDefinition, context: Context):
    field_class, kwargs = BUILDERS[(definition.type, definition.widget)](definition, context)
    defined = type(field_class.__name__, (DefinedField, field_class), {"definition": definition})
    return defined(**kwargs)


class DefinedField:
    """Mixed into every generated field. Read-only fields take their value from the prefill (task
    data) and never from input; a conditional field whose condition fails is not validated."""
    definition: FieldDefinition

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(None if self.definition.read_only else formdata, data, extra_filters)

    def validate(self, form, extra_validators=()):
        if self.definition.read_only or not condition_holds(form, self.definition.condition):
            if not isinstance(getattr(type(self), "errors", None), property):
                self.errors = []
            return True
        return super().validate(form, extra_validators)


class BlankIsNone:
    """A date or time left empty is none (not an unreadable one): a draft keeps it empty."""

    def process_formdata(self, valuelist):
        if valuelist and all(isinstance(v, str) and not v.strip() for v in valuelist):
            self.data = None
            return
        super().process_formdata(valuelist)


class DateField(BlankIsNone, wtf.DateField):
    pass


class DateTimeLocalField(BlankIsNone, wtf.DateTimeLocalField):
    pass


class AttachmentField(wtf.Field):
    """Attachment ids: one (or a list when `multiple`). Uploading is the web layer's business; it
    posts the ids of kept and new attachments under the field's name."""
    widget = widgets.HiddenInput()

    def __init__(self, label=None, validators=None, multiple=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.multiple = multiple

    def process_data(self, value):
        ids = [str(v) for v in value] if isinstance(value, list) else [] if value in (None, "") else [str(value)]
        self.data = ids if self.multiple else (ids[-1] if ids else None)

    def process_formdata(self, valuelist):
        ids = [v.strip() for v in valuelist if isinstance(v, str) and v.strip()]
        self.data = ids if self.multiple else (ids[-1] if ids else None)

    def _value(self):
        return "" if self.multiple else self.data or ""


ROW_KEY = "__row"     # posted with each row shown from the data: which data row it is
ROWS_KEY = "__rows"   # posted once per group by the page: its rows say which data row they are


class RepeatingField(wtf.FieldList):
    """A FieldList whose blank rows are ignored, and which can make an unnumbered blank row (named
    with `token` instead of an index) for the browser to copy when a row is added.

    Each entry knows the data row it shows (`row_index`; None for a row added on the page). The page
    posts it with the row, so a row keeps its read-only part whatever happens to the numbering: rows
    removed in the browser, or the renumbering after a refused submission. A post without these
    (a client other than the page) pairs rows with the data by their numbers, as WTForms does."""

    def __init__(self, unbound_field, label=None, validators=None, token="__index__", **kwargs):
        super().__init__(unbound_field, label, validators, **kwargs)
        self.token = token

    def _add_entry(self, formdata=None, data=unset_value, index=None):
        shown = self.last_index + 1 if index is None else index
        entry = super()._add_entry(formdata, data, index)
        entry.row_index = shown if data is not unset_value else None  # WTForms pairs by number
        return entry

    def process(self, formdata, data=unset_value, extra_filters=None):
        if not formdata or f"{self.name}{self._separator}{ROWS_KEY}" not in formdata:
            super().process(formdata, data, extra_filters)
            return
        rows = list(data) if data not in (unset_value, None) else []
        self.object_data, self.entries, self.last_index = rows, [], -1
        used: set[int] = set()
        for index in sorted(set(self._extract_indices(self.name, formdata))):
            shown = formdata.get(f"{self.name}{self._separator}{index}{self._separator}{ROW_KEY}")
            row = int(shown) if isinstance(shown, str) and shown.isdigit() and int(shown) < len(rows) else None
            if row in used:
                row = None
            entry = self._add_entry(formdata, rows[row] if row is not None else unset_value, index=index)
            entry.row_index = row
            used.add(row)
        self._compact_indices()
        while len(self.entries) < self.min_entries:
            self._add_entry(formdata)

    def validate(self, form, extra_validators=()):
        self.errors = []
        for entry in self.entries:
            self.errors.append([] if field_is_blank(entry) or entry.validate(form) else entry.errors)
        if not any(self.errors):
            self.errors = []
        self._run_validation_chain(form, [*self.validators, *extra_validators])
        return not self.errors

    def blank_entry(self):
        options = dict(name=f"{self.name}{self._separator}{self.token}", id=f"{self.id}{self._separator}{self.token}",
                       _meta=self.meta, translations=self._translations)
        entry = self.meta.bind_field(self._form, self.unbound_field, options)
        entry.process(None)
        entry.row_index = None
        return entry


class Coerce:
    """Browser strings back to the JSON values of the choices ("" is no choice)."""

    def __init__(self, values: list):
        self.mapping = {html_value(v): v for v in values}
        self.mapping[""] = None

    def __call__(self, value):
        return self.mapping.get(value, value) if isinstance(value, str) else value


def strip(value):
    return value.strip() if isinstance(value, str) else value


def common(definition: FieldDefinition, *validators, **extra) -> dict:
    render_kw = {"placeholder": definition.placeholder or None, "autofocus": definition.autofocus or None,
                 "readonly": definition.read_only or None}
    kwargs = dict(label=definition.label, description=definition.description,
                  render_kw={k: v for k, v in render_kw.items() if v is not None}, validators=list(validators))
    if definition.default is not None:
        default = to_python(definition, definition.default)
        if default is not MISSING:
            kwargs["default"] = default
    kwargs.update(extra)
    return kwargs


def scalar(definition: FieldDefinition, *validators, **extra) -> dict:
    return common(definition, *presence(definition), *validators, *constraints(definition), **extra)


def choice_kwargs(definition: FieldDefinition, context: Context, blank: bool) -> tuple[dict, list]:
    pairs = definition.choice_list(context.choices)
    if definition.type == "boolean" and not pairs:
        pairs = [(True, "Yes"), (False, "No")]   # translated by the macros
    pairs = [(value, label) for value, label in pairs if value is not None]
    values = [value for value, _ in pairs]
    choices = ([wtf.SelectChoice("", "")] if blank else []) \
        + [wtf.SelectChoice(html_value(value), label) for value, label in pairs]
    return dict(choices=choices, coerce=Coerce(values), validate_choice=False), [ValidChoice(values)]


@builder("string", "text", "hidden")
def string_field(definition, context):
    widget = widgets.HiddenInput() if definition.widget == "hidden" else widgets.TextInput()
    return wtf.StringField, scalar(definition, filters=[strip], widget=widget)


@builder("string", "textarea")
def textarea_field(definition, context):
    kwargs = scalar(definition, filters=[strip])
    if "rows" in definition.options:
        kwargs["render_kw"]["rows"] = definition.options["rows"]
    return wtf.TextAreaField, kwargs


@builder("string", "email")
def email_field(definition, context):
    return wtf.EmailField, scalar(definition, filters=[strip])


@builder("string", "date")
def date_field(definition, context):
    return DateField, scalar(definition)


@builder("string", "datetime")
def datetime_field(definition, context):
    return DateTimeLocalField, scalar(definition, format=DATETIME_FORMATS)


@builder("string", "select", "radio")
@builder("integer", "select", "radio", "rating")
@builder("number", "select", "radio")
@builder("boolean", "select", "radio")
def choice_field(definition, context):
    kwargs, validators = choice_kwargs(definition, context, blank=definition.widget == "select")
    field_class = wtf.SelectField if definition.widget == "select" else wtf.RadioField
    return field_class, scalar(definition, *validators, **kwargs)


@builder("string", "principal")
def principal_field(definition, context):
    kwargs, validators = choice_kwargs(definition, context, blank=True)
    return wtf.SelectField, scalar(definition, *validators, **kwargs)


@builder("string", "file")
def file_field(definition, context):
    return AttachmentField, scalar(definition, multiple=False)


NUMBER_WIDGETS = {"updown": widgets.NumberInput, "text": widgets.TextInput, "range": widgets.RangeInput,
                  "hidden": widgets.HiddenInput}


@builder("integer", *NUMBER_WIDGETS)
def integer_field(definition, context):
    return wtf.IntegerField, scalar(definition, widget=NUMBER_WIDGETS[definition.widget]())


@builder("number", *NUMBER_WIDGETS)
def number_field(definition, context):
    widget_class = NUMBER_WIDGETS[definition.widget]
    widget = widget_class(step="any") if widget_class in (widgets.NumberInput, widgets.RangeInput) else widget_class()
    return wtf.DecimalField, scalar(definition, Finite(), places=None, widget=widget)


@builder("boolean", "checkbox")
def boolean_field(definition, context):
    return wtf.BooleanField, scalar(definition)


@builder("array", "checkboxes", "select", "principal")
def multiple_choice_field(definition, context):
    kwargs, validators = choice_kwargs(definition, context, blank=False)
    if definition.widget == "checkboxes":
        kwargs.update(widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput())
    return wtf.SelectMultipleField, common(definition, *validators, *constraints(definition), **kwargs)


@builder("array", "file")
def files_field(definition, context):
    return AttachmentField, common(definition, *constraints(definition), multiple=True)


@builder("array", "group", "list")
def repeating_field(definition, context):
    item = make_field(definition.item, context)
    kwargs = common(definition, *constraints(definition), token=f"__i{definition.depth}__",
                    min_entries=definition.constraints.get("minItems", 0))
    kwargs.pop("render_kw")
    return RepeatingField, dict(kwargs, unbound_field=item)


@builder("object", "object")
def object_field(definition, context):
    kwargs = common(definition)
    del kwargs["validators"], kwargs["render_kw"]
    return wtf.FormField, dict(kwargs, form_class=context.form_class(f"{definition.name}Form", definition.fields))
