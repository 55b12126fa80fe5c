"""Building WTForms classes from definitions, binding input, converting to JSON and back."""
from __future__ import annotations

from decimal import Decimal

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import fields as wtf

from forms import (
    FormData,
    build_form,
    build_form_class,
    parse_definition,
    process,
    to_json,
    validate,
    validate_form,
)
from forms.fields import AttachmentField, DateField, DateTimeLocalField, RepeatingField
from forms.values import number_json
from tests.forms.conftest import GOOD_DATA, GOOD_POST, KITCHEN, KITCHEN_UI, PEOPLE


@pytest.fixture
def kitchen():
    return parse_definition(KITCHEN, KITCHEN_UI)


def post(**changes) -> FormData:
    values = {k: v for k, v in {**GOOD_POST, **changes}.items() if v is not None}
    return FormData(values)


def test_every_widget_gets_its_wtforms_field(kitchen):
    form = build_form(kitchen, choices=PEOPLE)
    kinds = {name: type(form[name]).__mro__[2] for name in form.field_definitions}
    assert kinds == {
        "name": wtf.StringField, "notes": wtf.TextAreaField, "email": wtf.EmailField, "born": DateField,
        "meeting": DateTimeLocalField, "level": wtf.SelectField, "colour": wtf.RadioField,
        "count": wtf.IntegerField, "ratio": wtf.DecimalField, "amount": wtf.DecimalField, "grade": wtf.SelectField,
        "agree": wtf.BooleanField, "verdict": wtf.RadioField, "urgent": wtf.SelectField,
        "tags": wtf.SelectMultipleField, "code": wtf.StringField, "score": wtf.RadioField,
        "reviewer": wtf.SelectField, "watchers": wtf.SelectMultipleField, "report": AttachmentField,
        "evidence": AttachmentField, "address": wtf.FormField, "opinions": RepeatingField, "phones": RepeatingField,
        "volume": wtf.IntegerField,
    }
    assert isinstance(form["opinions"], wtf.FieldList)
    assert issubclass(DateField, wtf.DateField) and issubclass(DateTimeLocalField, wtf.DateTimeLocalField)
    assert form["address"].form["city"].definition.path == "address.city"
    assert form["code"].data == "X1"   # the schema's default
    assert len(form["opinions"].entries) == 1 and len(form["phones"].entries) == 1   # a blank row to fill in


def test_good_input_round_trips_to_json(kitchen):
    for formdata in (post(), MultiDict([(k, v) for k, vs in GOOD_POST.items()
                                        for v in (vs if isinstance(vs, list) else [vs])])):
        data, errors = process(kitchen, formdata, choices=PEOPLE)
        assert errors == {}
        assert data == GOOD_DATA
    assert validate(kitchen, GOOD_DATA) == {}


def test_task_data_prefills_and_converts_back_unchanged(kitchen):
    form = build_form(kitchen, data={**GOOD_DATA, "unrelated": 1}, choices=PEOPLE)
    assert form["born"].data.isoformat() == "1815-12-10" and form["ratio"].data == Decimal("0.25")
    assert [e.form["problem"].data for e in form["opinions"].entries] == ["Slow"]
    assert to_json(form, kitchen) == GOOD_DATA


@pytest.mark.parametrize(("changes", "path", "message"), [
    ({"name": "A"}, "name", "Please write 2 to 20 characters."),
    ({"name": "Ada 1"}, "name", "Invalid input."),
    ({"name": " "}, "name", "This field is required."),
    ({"name": None}, "name", "This field is required."),
    ({"email": "nope"}, "email", "Invalid email address."),
    ({"born": "1815-13-40"}, "born", "Not a valid date value."),
    ({"meeting": "soon"}, "meeting", "Not a valid datetime value."),
    ({"level": "medium"}, "level", "Not a valid choice."),
    ({"level": ""}, "level", "This field is required."),
    ({"colour": "x"}, "colour", "Not a valid choice."),
    ({"count": "11"}, "count", "Number must be between 1 and 10."),
    ({"count": "three"}, "count", "Not a valid integer value."),
    ({"ratio": "0"}, "ratio", "Number must be greater than 0."),
    ({"ratio": "NaN"}, "ratio", "Not a valid decimal value."),
    ({"amount": "1.234"}, "amount", "Number must be a multiple of 0.01."),
    ({"grade": "5"}, "grade", "Not a valid choice."),
    ({"verdict": "maybe"}, "verdict", "Not a valid choice."),
    ({"tags": ["a", "b", "c"]}, "tags", "Enter at most 2."),
    ({"tags": ["z"]}, "tags", "Not a valid choice."),
    ({"score": "6"}, "score", "Not a valid choice."),
    ({"reviewer": "u9"}, "reviewer", "Not a valid choice."),
    ({"watchers": ["u1", "u9"]}, "watchers", "Not a valid choice."),
    ({"evidence": ["1", "2", "3", "4"]}, "evidence", "Enter at most 3."),
    ({"address-city": ""}, "address.city", "This field is required."),
    ({"address-zip": "12"}, "address.zip", "Six digits, please"),
    ({"opinions-0-problem": "", "opinions-0-deadline": "2024-01-01"}, "opinions.0.problem",
     "This field is required."),
    ({"opinions-0-problem": "", "opinions-0-deadline": ""}, "opinions", "Enter at least 1."),
    ({"opinions-0-deadline": "tomorrow"}, "opinions.0.deadline", "Not a valid date value."),
    ({"volume": "12"}, "volume", "Number must be between 0 and 11."),
])
def test_bad_input_is_refused_on_its_field(kitchen, changes, path, message):
    form = build_form(kitchen, post(**changes), choices=PEOPLE)
    data, errors = validate_form(form, kitchen)
    assert errors[path] == message
    assert set(errors) == {path}


def test_json_schema_errors_reach_the_fields(kitchen):
    definition = parse_definition({"type": "object", "properties": {
        "code": {"type": "string", "const": "OK", "validationErrorMessage": "Type OK"},
        "rows": {"type": "array", "uniqueItems": True, "items": {"type": "string"}}}})
    form = build_form(definition, FormData({"code": "KO", "rows-0": "a", "rows-1": "a"}))
    data, errors = validate_form(form, definition)
    assert data == {"code": "KO", "rows": ["a", "a"]}
    assert errors == {"code": "Type OK", "rows": "['a', 'a'] has non-unique elements"}
    assert form["code"].errors == ["Type OK"] and "['a', 'a'] has non-unique elements" in form["rows"].errors


def test_blank_rows_are_ignored_and_removed_rows_renumbered(kitchen):
    data, errors = process(kitchen, post(**{"opinions-0-problem": "", "opinions-0-deadline": "",
                                            "opinions-3-problem": "Late", "opinions-7-problem": "Rude"}),
                           choices=PEOPLE)
    assert errors == {} and data["opinions"] == [{"problem": "Late"}, {"problem": "Rude"}]


def test_optional_empty_values_are_left_out():
    definition = parse_definition({"type": "object", "properties": {
        "a": {"type": "string"}, "n": {"type": "integer"}, "d": {"type": "string", "format": "date"},
        "b": {"type": "boolean"}, "t": {"type": "array", "items": {"type": "string", "enum": ["x"]}},
        "o": {"type": "object", "properties": {"x": {"type": "string"}}},
        "g": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "string"}}}}}})
    data, errors = process(definition, FormData({"a": "", "n": "", "d": "", "o-x": "", "g-0-x": ""}))
    assert (data, errors) == ({"b": False}, {})


def test_read_only_fields_keep_task_data_whatever_is_posted():
    definition = parse_definition({"type": "object", "required": ["department"], "properties": {
        "department": {"type": "string", "title": "Department", "readOnly": True},
        "score": {"type": "integer", "title": "Score"},
        "level": {"type": "string", "enum": ["a", "b"]},
        "opinions": {"type": "array", "readOnly": True, "items": {"type": "object", "properties": {
            "problem": {"type": "string"}}}},
        "comment": {"type": "string"}}}, {"score": {"ui:readonly": True}, "level": {"ui:disabled": True}})
    task_data = {"department": "教育局", "score": 3, "level": "a", "opinions": [{"problem": "p1"}]}
    hostile = FormData({"department": "HACKED", "score": "99", "level": "b", "opinions-0-problem": "changed",
                        "opinions-1-problem": "added", "comment": "fine"})
    form = build_form(definition, hostile, task_data)
    assert (form["department"].data, form["score"].data, form["level"].data) == ("教育局", 3, "a")
    assert [e.form["problem"].data for e in form["opinions"].entries] == ["p1"]
    data, errors = validate_form(form, definition)
    assert (data, errors) == ({"comment": "fine"}, {})   # required `department` is checked with its task value
    assert to_json(form, definition, include_read_only=True)["department"] == "教育局"


def test_conditional_fields_are_dropped_and_not_required_when_their_condition_fails():
    from tests.forms.test_definition import CONDITIONAL

    definition = parse_definition(CONDITIONAL)
    cases = [
        ({"has_issue": "no", "issue": "left over", "reason": "busy"}, {"has_issue": "no", "agree": False,
                                                                        "reason": "busy"}, {}),
        ({"has_issue": "yes"}, {"has_issue": "yes", "agree": False}, {"issue": "This field is required."}),
        ({"has_issue": "yes", "issue": "noise"}, {"has_issue": "yes", "issue": "noise", "agree": False}, {}),
        ({"contact": "Ann"}, {"contact": "Ann", "agree": False}, {"phone": "This field is required."}),
        ({"agree": "y", "reason": "dropped"}, {"agree": True}, {"signature": "This field is required."}),
        ({"agree": "y", "signature": "A.L."}, {"agree": True, "signature": "A.L."}, {}),
    ]
    for formdata, expected, expected_errors in cases:
        data, errors = process(definition, FormData(formdata))
        assert (data, errors) == (expected, expected_errors), formdata
        if not errors:
            assert validate(definition, data) == {}


def test_options_from_task_data_give_choices_without_expansion():
    definition = parse_definition({"type": "object", "properties": {
        "fruit": {"type": "string", "anyOf": ["options_from_task_data_var:fruits"]},
        "basket": {"type": "array", "items": {"type": "integer", "anyOf": ["options_from_task_data_var:sizes"]}}}})
    task_data = {"fruits": [{"value": "apple", "label": "Apple"}, "pear"], "sizes": [1, 2, 3]}
    data, errors = process(definition, FormData({"fruit": "pear", "basket": ["1", "3"]}), task_data)
    assert (data, errors) == ({"fruit": "pear", "basket": [1, 3]}, {})
    _, errors = process(definition, FormData({"fruit": "plum"}), task_data)
    assert errors == {"fruit": "Not a valid choice."}


def test_numbers_become_json_exactly():
    assert number_json(Decimal("3")) == 3 and isinstance(number_json(Decimal("3.0")), int)
    assert number_json(Decimal("0.1")) == 0.1
    assert number_json(Decimal("0.1000000000000000000001")) == "0.1000000000000000000001"
    assert number_json(Decimal("1E+400")) == "1E+400"


def test_the_base_class_and_its_meta_are_used_for_nested_forms():
    class Base(wtforms.Form):
        class Meta:
            locales = ["zh"]

        token = wtf.HiddenField(validators=[wtforms.validators.InputRequired()])

    definition = parse_definition({"type": "object", "properties": {
        "a": {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}}}})
    form_class = build_form_class(definition, base=Base)
    assert issubclass(form_class, Base) and form_class.field_definitions["a"].path == "a"
    data, errors = validate_form(form_class(FormData({"a-b": ""})), definition)
    assert errors == {"a.b": "该字段是必填字段。", "token": "该字段是必填字段。"}
    assert "token" not in form_class(FormData({})).a.form._fields


def test_formdata_adaptor_behaves_like_a_multidict():
    formdata = FormData([("a", "1"), ("a", "2"), ("b", ["3"])])
    assert formdata.getlist("a") == ["1", "2"] and formdata.get("b") == "3" and formdata.get("c") is None
    assert "a" in formdata and list(formdata) == ["a", "b"] and len(formdata) == 2 and not FormData()
