"""Reading a (schema, UI schema) pair into field definitions."""
from __future__ import annotations

import pytest

from forms import Choice, Condition, FormDefinitionError, parse_definition, read_definition
from tests.forms.conftest import KITCHEN, KITCHEN_UI


@pytest.fixture
def kitchen():
    return parse_definition(KITCHEN, KITCHEN_UI)


def test_every_widget_is_resolved(kitchen):
    widgets = {f.path: f.widget for f in kitchen.walk()}
    assert widgets == {
        "name": "text", "notes": "textarea", "email": "email", "born": "date", "meeting": "datetime",
        "level": "select", "colour": "radio", "count": "updown", "ratio": "updown", "amount": "updown",
        "grade": "select", "agree": "checkbox", "verdict": "radio", "urgent": "select", "tags": "checkboxes",
        "code": "hidden", "score": "rating", "reviewer": "principal", "watchers": "principal",
        "report": "file", "evidence": "file", "address": "object",
        "address.city": "text", "address.zip": "text", "opinions": "group", "opinions[].problem": "text",
        "opinions[].deadline": "date", "phones": "list", "phones[]": "text", "volume": "range",
    }


def test_ui_order_puts_listed_fields_first(kitchen):
    assert [f.name for f in kitchen.fields][:3] == ["name", "notes", "email"]
    definition = parse_definition(KITCHEN, {"ui:order": ["*", "name"]})
    assert definition.fields[-1].name == "name"


def test_titles_help_and_constraints(kitchen):
    name = kitchen.find("name")
    assert (name.title, name.help, name.placeholder, name.autofocus, name.required) == \
        ("Name", "Letters only", "Your name", True, True)
    assert name.constraints == {"minLength": 2, "maxLength": 20, "pattern": "^[A-Za-z ]+$"}
    assert kitchen.find("born").description == "As on the ID card"
    assert kitchen.find("code").default == "X1"
    assert kitchen.find("address.zip").error_message == "Six digits, please"
    assert kitchen.find("tags").constraints == {"uniqueItems": True, "maxItems": 2}
    assert kitchen.find("notes").options == {"rows": 3}


def test_choices_keep_their_titles(kitchen):
    assert kitchen.find("level").choices == [Choice("low", "Low"), Choice("high", "High")]
    assert kitchen.find("colour").choices == [Choice("r", "Red"), Choice("g", "Green")]
    assert kitchen.find("tags").choices == [Choice("a", "Alpha"), Choice("b", "Beta"), Choice("c", "Gamma")]
    assert kitchen.find("grade").label_for(2) == "Two"
    assert kitchen.find("tags").labels_for(["a", "c"]) == ["Alpha", "Gamma"]
    assert kitchen.find("score").choice_list() == [(n, str(n)) for n in range(1, 6)]


def test_find_accepts_data_paths_and_definition_paths(kitchen):
    assert kitchen.find("opinions.3.deadline") is kitchen.find("opinions[].deadline")
    assert kitchen.find("phones.0").path == "phones[]"
    assert kitchen.find("nothing") is None


def test_files_principals_and_ratings(kitchen):
    evidence = kitchen.find("evidence")
    assert (evidence.multiple, evidence.accept, evidence.options["maxSize"]) == (True, [".pdf", ".docx"], 1048576)
    assert kitchen.find("report").accept == [".pdf"]
    assert kitchen.find("reviewer").choice_list({"reviewer": [("u1", "Wang")]}) == [("u1", "Wang")]
    assert kitchen.find("score").rating_max == 5
    assert kitchen.has_files


def test_options_from_task_data_var_is_accepted_before_expansion():
    definition = parse_definition({"type": "object", "properties": {
        "fruit": {"type": "string", "title": "Fruit", "anyOf": ["options_from_task_data_var:fruits"]},
        "basket": {"type": "array", "items": {"type": "string", "anyOf": ["options_from_task_data_var:fruits"]}}}})
    fruit, basket = definition.fields
    assert (fruit.widget, fruit.choices_from, fruit.choices) == ("select", "fruits", None)
    assert (basket.widget, basket.choices_from) == ("checkboxes", "fruits")
    assert fruit.choice_list({"fruits": [("a", "Apple")]}) == [("a", "Apple")]


def test_expanded_options_read_as_choices():
    definition = parse_definition({"type": "object", "properties": {"fruit": {
        "type": "string", "anyOf": [{"enum": ["a"], "title": "Apple"}, {"enum": ["b"], "title": "Banana"}]}}})
    assert definition.fields[0].choices == [Choice("a", "Apple"), Choice("b", "Banana")]


def test_type_is_inferred_from_enum_and_nullable_types_are_read():
    definition = parse_definition({"type": "object", "properties": {
        "n": {"enum": [1, 2]}, "b": {"const": True}, "s": {"type": ["string", "null"], "title": "S"}}})
    assert [f.type for f in definition.fields] == ["integer", "boolean", "string"]


def test_read_only_comes_from_schema_or_ui_and_is_inherited():
    definition = parse_definition(
        {"type": "object", "properties": {
            "a": {"type": "string", "readOnly": True}, "b": {"type": "string"}, "c": {"type": "string"},
            "d": {"type": "object", "readOnly": True, "properties": {"e": {"type": "string"}}}}},
        {"b": {"ui:readonly": True}, "c": {"ui:disabled": True}})
    assert [f.read_only for f in definition.walk()] == [True, True, True, True, True]


CONDITIONAL = {
    "type": "object",
    "properties": {
        "has_issue": {"type": "string", "title": "Issue?", "enum": ["yes", "no"]},
        "contact": {"type": "string", "title": "Contact"},
        "phone": {"type": "string", "title": "Phone"},
        "agree": {"type": "boolean", "title": "Agree"},
    },
    "dependencies": {
        "contact": ["phone"],
        "has_issue": {"oneOf": [
            {"properties": {"has_issue": {"enum": ["yes"]}, "issue": {"type": "string", "title": "Issue"}},
             "required": ["issue"]},
            {"properties": {"has_issue": {"enum": ["no"]}}}]},
    },
    "if": {"properties": {"agree": {"const": True}}, "required": ["agree"]},
    "then": {"properties": {"signature": {"type": "string", "title": "Signature"}}, "required": ["signature"]},
    "else": {"properties": {"reason": {"type": "string", "title": "Reason"}}},
}


def test_conditional_fields_follow_their_sibling():
    definition = parse_definition(CONDITIONAL)
    assert [f.name for f in definition.fields] == ["has_issue", "issue", "contact", "phone", "agree", "signature",
                                                   "reason"]
    issue, phone = definition.find("issue"), definition.find("phone")
    assert issue.condition == Condition("has_issue", ("yes",)) == issue.required_when and issue.marked_required
    assert (phone.condition, phone.required_when) == (None, Condition("contact"))
    assert definition.find("signature").condition == Condition("agree", (True,))
    assert definition.find("reason").condition == Condition("agree", (True,), negate=True)


def test_conditions_hold_like_json_schema():
    yes = Condition("a", ("yes",))
    assert yes.holds({"a": "yes"}) and not yes.holds({"a": "no"}) and not yes.holds({})
    assert Condition("a", ("yes",), when_absent=True).holds({})   # an `if` without `required`
    assert Condition("a").holds({"a": "anything"}) and not Condition("a").holds({"a": ""})
    assert Condition("a", (True,), negate=True).holds({"a": False})
    assert not Condition("a", (1,)).holds({"a": True})            # True is not 1 here
    assert Condition("a", ("x",)).holds({"a": ["x", "y"]})         # checkboxes: any chosen value
    assert Condition("a", ("yes",)).for_browser("a") == {"field": "a", "values": ["yes"], "absent": False,
                                                           "negate": False}


def test_alternatives_of_one_dependency_are_combined():
    kind = {"type": "string", "enum": ["a", "b", "c"]}
    definition = parse_definition({"type": "object", "properties": {"kind": kind},
                                   "dependencies": {"kind": {"oneOf": [
                                       {"properties": {"kind": {"const": "a"}, "x": {"type": "string"}}},
                                       {"properties": {"kind": {"const": "b"}, "x": {"type": "string"}}},
                                       {"properties": {"kind": {"const": "c"}}}]}}})
    assert definition.find("x").condition == Condition("kind", ("a", "b"))


def test_all_of_if_then_conditions_and_schema_dependencies():
    definition = parse_definition({"type": "object", "properties": {
        "a": {"type": "string"}, "b": {"type": "integer"}},
        "dependencies": {"a": {"properties": {"a_note": {"type": "string"}}}},
        "allOf": [{"if": {"properties": {"b": {"enum": [1, 2]}}}, "then": {"required": ["a"]}},
                  {"if": {"properties": {"b": {"const": 3}}}, "then": {"properties": {"b3": {"type": "string"}}}}]})
    assert definition.find("a").required_when == Condition("b", (1, 2), when_absent=True)
    assert definition.find("a_note").condition == Condition("a")
    assert definition.find("b3").condition == Condition("b", (3,), when_absent=True)


def test_parse_definition_raises_with_every_problem():
    with pytest.raises(FormDefinitionError) as caught:
        parse_definition({"type": "object", "properties": {"a": {"type": "string", "not": {}},
                                                           "b": {"type": "string", "format": "uri"}}})
    assert caught.value.problems == ["field 'a': unsupported keyword 'not'", "field 'b': unsupported format 'uri'"]
    assert read_definition("nonsense")[1] == ["form: a form schema must be a JSON object"]
