"""Deployment-time checks: unsupported keywords, widgets and formats are refused, naming the field."""
from __future__ import annotations

import json

import pytest

from engine import bpmn
from engine.errors import DeploymentError
from engine.services import processes
from forms import check_bundle_form, check_form, check_ui, is_ui_schema
from tests.conftest import DATA, ROOT, bundle
from tests.forms.conftest import KITCHEN, KITCHEN_UI


def form(**properties) -> dict:
    return {"type": "object", "properties": properties}


PLAN = {"type": "object", "properties": {"plan_items": {"type": "array", "items": {
    "type": "object", "properties": {"deadline": {"type": "string", "patternProperties": {}}}}}}}


@pytest.mark.parametrize(("schema", "ui", "message"), [
    (PLAN, None, "field 'plan_items[].deadline': unsupported keyword 'patternProperties'"),
    (form(a={"type": "string", "$ref": "#/definitions/x"}), None, "field 'a': unsupported keyword '$ref'"),
    ({**form(), "definitions": {}}, None, "form: unsupported keyword 'definitions'"),
    (form(a={"type": "string", "format": "uri"}), None, "field 'a': unsupported format 'uri'"),
    (form(a={"type": "integer", "minLength": 1}), None,
     "field 'a': unsupported keyword 'minLength' for type 'integer'"),
    (form(a={"type": "null"}), None, "field 'a': unsupported type 'null'"),
    (form(a={"title": "no type"}), None, "field 'a': missing 'type'"),
    (form(a={"type": "string"}), {"a": {"ui:widget": "markdown"}}, "field 'a': unsupported widget 'markdown'"),
    (form(a={"type": "string"}), {"a": {"ui:widget": "rating"}},
     "field 'a': widget 'rating' does not fit type 'string'"),
    (form(a={"type": "string"}), {"a": {"ui:widget": "select"}},
     "field 'a': widget 'select' needs choices (enum, oneOf or anyOf)"),
    (form(a={"type": "string"}), {"a": {"ui:field": "x"}}, "field 'a': unsupported UI keyword 'ui:field'"),
    (form(a={"type": "string"}), {"a": {"ui:options": {"bogus": 1}}},
     "field 'a': unsupported 'ui:options' key 'bogus'"),
    (form(a={"type": "string"}), {"a": {"ui:options": {"rows": 3}}},
     "field 'a': 'ui:options' key 'rows' does not apply to widget 'text'"),
    (form(a={"type": "string"}), {"b": {}}, "form: the UI schema names unknown field 'b'"),
    (form(a={"type": "string"}), {"ui:order": ["a", "b"]}, "form: 'ui:order' names unknown field 'b'"),
    (form(a={"type": "array", "items": [{"type": "string"}]}), None, "field 'a': an array needs 'items' as one schema"),
    (form(a={"type": "array", "items": {"type": "array", "items": {"type": "string"}}}), None,
     "field 'a': arrays of arrays are not supported"),
    (form(data={"type": "string"}), None, "field 'data': field name 'data' is reserved"),
    (form(**{"a-b": {"type": "string"}}), None,
     "field 'a-b': field names must be plain identifiers (letters, digits, '_') not starting with '_'"),
    (form(a={"type": "string", "minLength": "{{ n }}"}), None, "field 'a': 'minLength' must be a non-negative integer"),
    (form(a={"type": "string", "pattern": "("}), None, "field 'a': 'pattern' is not a valid regular expression"),
    (form(a={"type": "integer", "default": "3"}), None, "field 'a': 'default' does not fit type 'integer'"),
    (form(a={"type": "string", "enumNames": ["A"]}), None, "field 'a': 'enumNames' needs 'enum'"),
    (form(a={"type": "string", "oneOf": [{"title": "no value"}]}), None,
     "field 'a': each entry of 'oneOf' must be an object with 'const'"),
    (form(a={"type": "integer"}), {"a": {"ui:widget": "rating"}, "ui:order": ["a"]}, None),
    (form(a={"type": "integer", "maximum": 50}), {"a": {"ui:widget": "rating"}}, "field 'a': a rating needs"),
    (form(a={"type": "string"}), {"a": {"ui:widget": "file", "ui:options": {"multiple": True}}},
     "field 'a': a file field holding several attachments must be of type 'array'"),
    (form(a={"type": "object", "properties": {"b": {"type": "string"}}, "additionalProperties": {}}), None,
     "field 'a': 'additionalProperties' must be true or false"),
    ({**form(a={"type": "string"}, b={"type": "string"}), "if": {"properties": {"a": {"const": 1}, "b": {}}}},
     None, "form: 'if' must test exactly one sibling field"),
    ({**form(a={"type": "string"}), "allOf": [{"type": "object"}]}, None,
     "form: 'allOf' is supported only as a list of if/then/else conditions"),
    ({**form(a={"type": "string"}), "dependencies": {"a": {"oneOf": [{"properties": {"x": {"type": "string"}}}]}}},
     None, "form: each 'oneOf' alternative of the dependency on 'a' must give 'a' an enum or const"),
    ({**form(a={"type": "string"}), "dependencies": {"zz": ["a"]}}, None, "form: a condition tests unknown field 'zz'"),
    ({**form(a={"type": "string"}), "required": ["b"]}, None, "form: 'required' names unknown field 'b'"),
    ({**form(a={"type": "string"}), "$schema": "https://json-schema.org/draft/2020-12/schema"}, None,
     "form: only JSON Schema draft-07"),
    ({"type": "array", "items": {"type": "string"}}, None, "form: the form's schema must have type 'object'"),
])
def test_unsupported_things_are_refused_naming_the_field(schema, ui, message):
    problems = check_form("x-schema.json", schema, ui)
    if message is None:
        assert problems == []
    else:
        assert any(p.startswith(message) for p in problems), problems


def test_jinja_in_strings_is_accepted():
    schema = {"title": "{{ department }}整改", "type": "object", "required": ["a"], "properties": {
        "a": {"type": "string", "title": "对{{ department }}的意见", "default": "{{ today }}",
              "description": "{% if x %}x{% endif %}", "pattern": "^{{ prefix }}"},
        "b": {"type": "string", "enum": ["{{ first }}", "{{ second }}"]},
        "c": {"type": "string", "oneOf": [{"const": "x", "title": "{{ label }}"}]}}}
    ui = {"a": {"ui:help": "{{ hint }}", "ui:placeholder": "{{ example }}", "ui:title": "{{ t }}"}}
    assert check_form("x.json", schema, ui) == []


def test_the_kitchen_sink_form_passes():
    assert check_form("kitchen-schema.json", KITCHEN, KITCHEN_UI) == []


def test_example_forms_pass():
    paths = sorted((ROOT / "processes" / "forms").glob("*.json")) + sorted(DATA.glob("*/*.json"))
    assert len(paths) >= 7
    for path in paths:
        assert check_bundle_form(path.name, json.loads(path.read_text(encoding="utf-8"))) == [], path
    forms_dir = ROOT / "processes" / "forms"
    plan = [json.loads((forms_dir / f"rectification-plan-{kind}.json").read_text(encoding="utf-8"))
            for kind in ("schema", "uischema")]
    assert check_form("rectification-plan-schema.json", *plan) == []


def test_ui_schemas_are_recognised_and_checked_alone():
    ui = {"plan_items": {"items": {"deadline": {"ui:widget": "calendar"}}}}
    assert is_ui_schema("plan-uischema.json", {}) and is_ui_schema("plan.json", ui)
    assert not is_ui_schema("plan-schema.json", {"type": "object", "properties": {}})
    assert check_bundle_form("plan-uischema.json", ui) == [
        "field 'plan_items[].deadline': unsupported widget 'calendar'"]
    assert check_ui({"a": {"ui:widget": "radio", "ui:options": {"rows": 2}}, "ui:order": "a"}) == [
        "UI schema: 'ui:order' must be a list",
        "field 'a': 'ui:options' key 'rows' does not apply to widget 'radio'"]
    assert check_bundle_form("plan-schema.json", PLAN) == [
        "field 'plan_items[].deadline': unsupported keyword 'patternProperties'"]


def test_deploy_uses_the_checker(session, admin):
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=check_bundle_form)
    files = bundle("approval")
    draft = json.loads(files["approval/draft-schema.json"])
    draft["properties"]["title"]["patternProperties"] = {}
    files["approval/draft-schema.json"] = json.dumps(draft).encode()
    with pytest.raises(DeploymentError) as caught:
        processes.deploy(session, files, admin, form_checker=check_bundle_form)
    [problem] = caught.value.problems
    assert problem.file == "approval/draft-schema.json"
    assert problem.message == "field 'title': unsupported keyword 'patternProperties'"
