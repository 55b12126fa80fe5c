"""A SpiffArena-style form: schema plus UI schema, Jinja in titles, options from task data, and a
repeating group of opinions (problem / deadline / target)."""
from __future__ import annotations

import pytest

from engine.validation import resolve_schema
from forms import FormData, build_form, check_form, parse_definition, process, validate, validate_form
from tests.forms.conftest import resolve_like_the_engine

SCHEMA = {
    "title": "{{ department }}整改意见反馈",
    "type": "object",
    "required": ["committee", "opinions"],
    "properties": {
        "department": {"type": "string", "title": "被评议部门", "readOnly": True},
        "committee": {"type": "string", "title": "责任委室", "anyOf": ["options_from_task_data_var:committees"]},
        "summary": {"type": "string", "title": "对{{ department }}的总体评价", "maxLength": 2000},
        "opinions": {
            "type": "array", "title": "评议意见", "minItems": 1,
            "items": {
                "type": "object", "required": ["problem", "deadline", "target"],
                "properties": {
                    "problem": {"type": "string", "title": "问题", "minLength": 2},
                    "deadline": {"type": "string", "format": "date", "title": "整改时限"},
                    "target": {"type": "string", "title": "整改目标"},
                },
            },
        },
        "satisfaction": {"type": "integer", "title": "满意度", "maximum": 5},
    },
}
UI = {
    "ui:order": ["department", "committee", "summary", "opinions", "satisfaction"],
    "summary": {"ui:widget": "textarea", "ui:help": "请概述{{ department }}的整改情况"},
    "opinions": {"items": {"target": {"ui:widget": "textarea"}, "deadline": {"ui:widget": "date"}},
                 "ui:options": {"addable": True}},
    "satisfaction": {"ui:widget": "rating"},
}
TASK_DATA = {
    "department": "教育局",
    "committees": [{"value": "jkww", "label": "教科文卫工委"}, {"value": "nw", "label": "农业与农村委"}],
}
POST = {
    "committee": "jkww", "summary": "整改有力", "satisfaction": "4",
    "opinions-0-problem": "课后服务覆盖不足", "opinions-0-deadline": "2023-12-31", "opinions-0-target": "覆盖率 95%",
    "opinions-1-problem": "校园安全", "opinions-1-deadline": "2024-03-31", "opinions-1-target": "零事故",
}


@pytest.fixture
def definition():
    # the UI schema may hold Jinja too (ui:help here): it is resolved the same way
    return parse_definition(resolve_like_the_engine(SCHEMA, TASK_DATA), resolve_like_the_engine(UI, TASK_DATA))


def test_the_unresolved_form_passes_the_deployment_check():
    assert check_form("opinion-schema.json", SCHEMA, UI) == []


def test_the_helper_resolves_like_the_engine():
    assert resolve_like_the_engine(SCHEMA, TASK_DATA) == resolve_schema(SCHEMA, TASK_DATA)


def test_it_renders_with_resolved_titles_and_options(definition, render_edit, render_view):
    assert definition.title == "教育局整改意见反馈"
    form = build_form(definition, data=TASK_DATA)
    html = render_edit(form, definition)
    assert "对教育局的总体评价" in html and "请概述教育局的整改情况" in html
    assert '<option value="jkww">教科文卫工委</option>' in html and 'value="教育局"' in html and "readonly" in html
    assert 'name="opinions-0-target"' in html and 'name="opinions-__i0__-deadline"' in html
    data, errors = process(definition, FormData(POST), TASK_DATA)
    view = render_view(definition, {**TASK_DATA, **data})
    assert ">教科文卫工委</dd>" in view and "<td>校园安全</td>" in view and ">4 / 5</dd>" in view


def test_it_validates_and_returns_task_data(definition):
    data, errors = process(definition, FormData({**POST, "department": "forged"}), TASK_DATA)
    assert errors == {}
    assert data == {
        "committee": "jkww", "summary": "整改有力", "satisfaction": 4,
        "opinions": [{"problem": "课后服务覆盖不足", "deadline": "2023-12-31", "target": "覆盖率 95%"},
                     {"problem": "校园安全", "deadline": "2024-03-31", "target": "零事故"}],
    }
    assert validate(resolve_schema(SCHEMA, TASK_DATA), {**data, "department": "教育局"}) == {}


def test_bad_answers_are_located(definition):
    form = build_form(definition, FormData({**POST, "committee": "zz", "opinions-1-target": "",
                                            "opinions-0-deadline": "2023-02-30", "satisfaction": "9"}), TASK_DATA)
    data, errors = validate_form(form, definition)
    assert errors == {"committee": "Not a valid choice.", "opinions.0.deadline": "Not a valid date value.",
                      "opinions.1.target": "This field is required.", "satisfaction": "Not a valid choice."}


def test_unexpanded_options_take_their_choices_from_task_data():
    definition = parse_definition(SCHEMA, UI)
    data, errors = process(definition, FormData(POST), TASK_DATA)
    assert errors == {} and data["committee"] == "jkww"
    assert process(definition, FormData({**POST, "committee": "zz"}), TASK_DATA)[1] == {
        "committee": "Not a valid choice."}


@pytest.mark.parametrize("department", ['教育"局', '", "enum": [false], "description": "', "a\\", "{{ 1 + 1 }}"])
def test_task_data_in_jinja_stays_a_value(department):
    """A title rendered from task data keeps the value as text: a quote can neither break the schema
    nor add a rule to it (the schema is rendered string by string, not as JSON text)."""
    schema = {"type": "object", "title": "确认{{ department }}的整改方案",
              "properties": {"confirmed": {"type": "boolean", "title": "{{ department }}已确认"}}}
    resolved = resolve_schema(schema, {"department": department})
    assert resolved["title"] == f"确认{department}的整改方案"
    assert resolved["properties"] == {"confirmed": {"type": "boolean", "title": f"{department}已确认"}}
    assert validate(resolved, {"confirmed": True}) == {}
