"""Form definitions (JSON Schema plus a UI schema, SpiffArena's convention) turned into WTForms
classes and back into JSON-safe task data. No Flask and no database here.

    definition = parse_definition(schema, ui_schema)          # after the engine rendered Jinja
    form = build_form(definition, formdata=request.form, data=task_data, base=FlaskForm)
    data, errors = validate_form(form, definition)             # or process(...) in one call

Templates: `{% from "forms/_form.html" import render_form, render_readonly %}` with TEMPLATE_DIR on
the Jinja loader; forms.js (in STATIC_DIR) adds and removes rows and shows conditional fields.
"""
from __future__ import annotations

from pathlib import Path

from .builder import FormData, build_form, build_form_class, resolved_choices
from .check import check_bundle_form, check_form, check_ui, is_ui_schema
from .choices import OPTIONS_PREFIX, Choice
from .conditions import Condition
from .definition import FieldDefinition, FormDefinition, FormDefinitionError, parse_definition, read_definition
from .fields import BUILDERS, builder
from .submission import attach_errors, form_errors, process, to_json, validate, validate_form
from .values import initial_data

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
UPLOAD_SUFFIX = "__upload"  # a file field `x` has its <input type=file> named `x__upload`

__all__ = [
    "BUILDERS", "Choice", "Condition", "FieldDefinition", "FormData", "FormDefinition", "FormDefinitionError",
    "OPTIONS_PREFIX", "STATIC_DIR", "TEMPLATE_DIR", "UPLOAD_SUFFIX", "attach_errors", "build_form",
    "build_form_class", "builder", "check_bundle_form", "check_form", "check_ui", "form_errors", "initial_data",
    "is_ui_schema", "parse_definition", "process", "read_definition", "resolved_choices", "to_json", "validate",
    "validate_form",
]
