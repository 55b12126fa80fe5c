"""The walk over a (schema, UI schema) pair that builds FieldDefinitions and records problems.

Every problem names the field path (`plan_items[].deadline`) and what is not supported.
"""
from __future__ import annotations

from jsonschema import Draft7Validator
from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for

from .choices import read_choices, strip_option_vars
from .conditions import read_branches
from .definition import FieldDefinition, FormDefinition
from .keywords import (
    ANNOTATIONS,
    BY_TYPE,
    KNOWN_WIDGETS,
    OBJECT_KEYWORDS,
    ROOT_ONLY,
    TYPES,
    WIDGET_ALIASES,
    WIDGETS,
    check_constraints,
    check_name,
    check_ui_keys,
    default_fits,
    is_number,
)

CONSTRAINTS = ("minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
               "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "const")
ALL_KEYWORDS = ANNOTATIONS | ROOT_ONLY | frozenset().union(*BY_TYPE.values())
DRAFTS = {f"{scheme}://json-schema.org/draft-{n}/schema{end}"
          for scheme in ("http", "https") for n in ("04", "06", "07") for end in ("", "#")}
OPTION_WIDGETS = {"rows": {"textarea"}, "inline": {"radio", "checkboxes", "rating"},
                  "addable": {"group", "list"}, "removable": {"group", "list"},
                  "accept": {"file"}, "multiple": {"file"}, "maxSize": {"file"}}


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class Parser:
    def __init__(self):
        self.problems: list[str] = []

    def refuser(self, path: str):
        where = f"field '{path}'" if path else "form"
        return lambda message: self.problems.append(f"{where}: {message}")

    def form(self, schema, ui) -> FormDefinition:
        refuse = self.refuser("")
        if not isinstance(schema, dict):
            refuse("a form schema must be a JSON object")
            return FormDefinition("", "", [], {})
        if not isinstance(ui, dict):
            refuse("a UI schema must be a JSON object")
            ui = {}
        if schema.get("type", "object") != "object":
            refuse("the form's schema must have type 'object'")
        for key in schema:
            if key not in ANNOTATIONS | ROOT_ONLY | OBJECT_KEYWORDS:
                refuse(f"unsupported keyword '{key}'")
        if "$schema" in schema and schema["$schema"] not in DRAFTS:
            refuse("only JSON Schema draft-07 (or draft-06, draft-04) is supported in '$schema'")
        check_constraints(schema, refuse)
        check_ui_keys(ui, refuse)
        fields = self.properties(schema, ui, "", schema.get("readOnly") is True)
        if not self.problems:
            self.check_schema(schema, refuse)
        return FormDefinition(title=str(ui.get("ui:title") or schema.get("title") or ""),
                              description=str(ui.get("ui:description") or schema.get("description") or ""),
                              fields=fields, schema=schema, ui=ui)

    def properties(self, schema: dict, ui: dict, path: str, read_only: bool) -> list[FieldDefinition]:
        refuse = self.refuser(path)
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            refuse("'properties' must be an object")
            properties = {}
        required = schema.get("required", [])
        if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
            refuse("'required' must be a list of field names")
            required = []
        fields = [self.field(name, sub, self.ui_of(ui, name, path), join(path, name), name in required, read_only)
                  for name, sub in properties.items()]
        fields = self.conditional(schema, ui, path, read_only, fields)
        names = {f.name for f in fields}
        for name in required:
            if name not in names:
                refuse(f"'required' names unknown field '{name}'")
        for key in ui:
            if not key.startswith("ui:") and key not in names:
                refuse(f"the UI schema names unknown field '{key}'")
        return self.ordered(fields, ui.get("ui:order"), refuse)

    def conditional(self, schema, ui, path, read_only, fields: list[FieldDefinition]) -> list[FieldDefinition]:
        refuse = self.refuser(path)
        by_name = {f.name: f for f in fields}
        for branch in read_branches(schema, refuse):
            condition = branch.condition
            if condition.field not in by_name:
                refuse(f"a condition tests unknown field '{condition.field}'")
                continue
            for name, sub in branch.properties.items():
                existing = by_name.get(name)
                if name == condition.field:
                    continue
                if existing is None:
                    field = self.field(name, sub, self.ui_of(ui, name, path), join(path, name), False, read_only)
                    field.condition = condition
                    by_name[name] = field
                    fields.insert(self.after(fields, condition.field), field)
                elif existing.condition is not None:
                    self.combine(existing, "condition", condition)
                # else: a field of the object restated in a branch; jsonschema enforces the restatement
            for name in branch.required:
                target = by_name.get(name)
                if target is None:
                    refuse(f"a condition requires unknown field '{name}'")
                elif not target.required:
                    self.combine(target, "required_when", condition)
        return fields

    def combine(self, field: FieldDefinition, attribute: str, condition) -> None:
        current = getattr(field, attribute)
        merged = condition if current is None else current.union(condition)
        if merged is None:
            self.refuser(field.path)(f"depends on '{current.field}' and '{condition.field}' in ways that cannot "
                                     "be combined (one condition per field)")
        else:
            setattr(field, attribute, merged)

    @staticmethod
    def after(fields: list[FieldDefinition], sibling: str) -> int:
        """Where a conditional field goes: after its sibling and the sibling's other conditional fields."""
        index = next(i for i, f in enumerate(fields) if f.name == sibling) + 1
        while index < len(fields) and fields[index].condition is not None \
                and fields[index].condition.field == sibling:
            index += 1
        return index

    def ordered(self, fields: list[FieldDefinition], order, refuse) -> list[FieldDefinition]:
        if not isinstance(order, list):
            return fields
        by_name = {f.name: f for f in fields}
        for name in order:
            if name != "*" and name not in by_name:
                refuse(f"'ui:order' names unknown field '{name}'")
        star = order.index("*") if "*" in order else len(order)
        before = [n for n in order[:star] if n in by_name]
        after = [n for n in order[star + 1:] if n in by_name]
        rest = [n for n in by_name if n not in before and n not in after]
        return [by_name[n] for n in before + rest + after]

    def ui_of(self, ui: dict, name: str, path: str) -> dict:
        value = ui.get(name, {})
        if isinstance(value, dict):
            return value
        self.refuser(join(path, name))("its UI schema entry must be an object")
        return {}

    def field(self, name, schema, ui, path, required, read_only) -> FieldDefinition:
        refuse = self.refuser(path)
        if not path.endswith("[]"):
            problem = check_name(name)
            if problem:
                refuse(problem)
        if not isinstance(schema, dict):
            refuse("its schema must be a JSON object")
            return FieldDefinition(name, path, "string")
        kind = self.type_of(schema, refuse)
        for key in schema:
            if key not in ANNOTATIONS | BY_TYPE[kind]:
                refuse(f"unsupported keyword '{key}'" + (f" for type '{kind}'" if key in ALL_KEYWORDS else ""))
        check_constraints(schema, refuse)
        check_ui_keys(ui, refuse)
        if "default" in schema and not default_fits(kind, schema["default"]):
            refuse(f"'default' does not fit type '{kind}'")
        read_only = read_only or any(x is True for x in (schema.get("readOnly"), ui.get("ui:readonly"),
                                                         ui.get("ui:disabled")))
        choices, choices_from = read_choices(schema, refuse) if kind not in ("array", "object") else (None, None)
        definition = FieldDefinition(
            name=name, path=path, type=kind, required=required, default=schema.get("default"),
            title=str(ui.get("ui:title") or schema.get("title") or ""),
            description=str(ui.get("ui:description") or schema.get("description") or ""),
            help=str(ui.get("ui:help") or ""), placeholder=str(ui.get("ui:placeholder") or ""),
            read_only=read_only, autofocus=ui.get("ui:autofocus") is True, choices=choices,
            choices_from=choices_from, constraints={k: schema[k] for k in CONSTRAINTS if k in schema},
            error_message=schema.get("validationErrorMessage"), options=dict(ui.get("ui:options") or {}),
            schema=schema)
        widget = ui.get("ui:widget")
        widget = WIDGET_ALIASES.get(widget, widget) if isinstance(widget, str) and widget in KNOWN_WIDGETS else None
        if kind == "object":
            definition.widget = "object"
            if widget:
                refuse(f"widget '{widget}' does not fit type 'object'")
            definition.fields = self.properties(schema, ui, path, read_only)
        elif kind == "array":
            self.array(definition, schema, ui, widget, refuse)
        else:
            definition.widget = self.scalar_widget(definition, widget, refuse)
        self.check_options(definition, refuse)
        return definition

    def type_of(self, schema: dict, refuse) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            others = [k for k in kind if k != "null"]
            if len(others) != 1 or len(kind) > 2:
                refuse("a list of types is supported only as [TYPE, \"null\"]")
                return "string"
            kind = others[0]
        if kind is None:
            kind = self.inferred_type(schema)
            if kind is None:
                refuse("missing 'type'")
                return "string"
        if kind not in TYPES:
            refuse(f"unsupported type '{kind}'")
            return "string"
        return kind

    @staticmethod
    def inferred_type(schema: dict) -> str | None:
        if "properties" in schema:
            return "object"
        if "items" in schema:
            return "array"
        choices, var = read_choices(schema, lambda message: None)
        values = [c.value for c in choices or []] + ([schema["const"]] if "const" in schema else [])
        if var:
            return "string"
        if not values:
            return None
        if all(isinstance(v, bool) for v in values):
            return "boolean"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return "integer"
        return "number" if all(is_number(v) for v in values) else "string"

    def array(self, definition: FieldDefinition, schema: dict, ui: dict, widget, refuse) -> None:
        items, item_ui = schema.get("items"), ui.get("items", {})
        for key in ui:
            if not key.startswith("ui:") and key != "items":
                refuse(f"the UI schema names unknown field '{key}' (use 'items' for the entries of an array)")
        if not isinstance(item_ui, dict):
            refuse("'items' in the UI schema must be an object")
            item_ui = {}
        if not isinstance(items, dict):
            refuse("an array needs 'items' as one schema")
            items = {"type": "string"}
        item = self.field(definition.name, items, item_ui, definition.path + "[]", False, definition.read_only)
        definition.item = item
        has_choices = item.choices is not None or item.choices_from is not None
        if item.type == "array":
            refuse("arrays of arrays are not supported")
        if widget is None:
            widget = "group" if item.type == "object" else "checkboxes" if has_choices else "list"
        elif widget not in WIDGETS["array"]:
            refuse(f"widget '{widget}' does not fit type 'array'")
            widget = "list"
        elif widget in ("checkboxes", "select") and not has_choices:
            refuse(f"widget '{widget}' needs choices in 'items' (enum, oneOf or anyOf)")
        elif widget in ("file", "principal") and (item.type != "string" or has_choices):
            refuse(f"widget '{widget}' needs 'items' of type 'string' without choices")
        definition.widget = widget
        if widget in ("checkboxes", "select"):
            definition.choices, definition.choices_from = item.choices, item.choices_from

    def scalar_widget(self, definition: FieldDefinition, widget, refuse) -> str:
        kind = definition.type
        has_choices = definition.choices is not None or definition.choices_from is not None
        formats = {"date": "date", "date-time": "datetime", "email": "email"}
        default = "select" if has_choices else "checkbox" if kind == "boolean" \
            else formats.get(definition.constraints.get("format"), "text") if kind == "string" else "updown"
        if widget is None:
            return default
        if widget not in WIDGETS[kind]:
            refuse(f"widget '{widget}' does not fit type '{kind}'")
            return default
        if widget in ("select", "radio") and not has_choices and kind != "boolean":
            refuse(f"widget '{widget}' needs choices (enum, oneOf or anyOf)")
            return default
        if has_choices and widget not in ("select", "radio", "hidden"):
            refuse(f"widget '{widget}' cannot offer the choices of 'enum'/'oneOf'/'anyOf' (use select or radio)")
            return default
        if widget == "rating":
            low, high = definition.constraints.get("minimum", 1), definition.constraints.get("maximum", 5)
            if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
                refuse("a rating needs integer 'minimum' (default 1) and 'maximum' (default 5) within 0..10")
                return default
        return widget

    def check_options(self, definition: FieldDefinition, refuse) -> None:
        for key, value in definition.options.items():
            if key in OPTION_WIDGETS and definition.widget not in OPTION_WIDGETS[key]:
                refuse(f"'ui:options' key '{key}' does not apply to widget '{definition.widget}'")
            elif key == "multiple" and value != definition.multiple:
                refuse("a file field holding several attachments must be of type 'array' (and only then)")

    def check_schema(self, schema: dict, refuse) -> None:
        plain = strip_option_vars(schema)
        try:
            validator_for(plain, default=Draft7Validator).check_schema(plain)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.path)
            refuse(f"not a valid JSON Schema: {exc.message}" + (f" (at {where})" if where else ""))
