"""Fixtures for the forms package: a Jinja environment on forms.TEMPLATE_DIR (with a dummy `_` that
marks translated strings), a renderer for both macros, and the SpiffArena-style schema resolution
the engine performs (Jinja with task data, then `options_from_task_data_var` expanded)."""
from __future__ import annotations

import jinja2
import pytest

from forms import OPTIONS_PREFIX, TEMPLATE_DIR

IMPORT = '{% from "forms/_form.html" import render_form, render_readonly %}'


def make_env(translate: bool = True, strict: bool = True) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True,
                             undefined=jinja2.StrictUndefined if strict else jinja2.Undefined)
    if translate:
        env.globals["_"] = lambda text: f"«{text}»"
    return env


@pytest.fixture
def env() -> jinja2.Environment:
    return make_env()


@pytest.fixture
def render_edit(env):
    def render(form, definition, **kwargs) -> str:
        return env.from_string(IMPORT + "{{ render_form(form, definition, **kwargs) }}").render(
            form=form, definition=definition, kwargs=kwargs)
    return render


@pytest.fixture
def render_view(env):
    def render(definition, data, **kwargs) -> str:
        return env.from_string(IMPORT + "{{ render_readonly(definition, data, **kwargs) }}").render(
            definition=definition, data=data, kwargs=kwargs)
    return render


def resolve_like_the_engine(schema: dict, task_data: dict) -> dict:
    """What engine/validation.py's resolve_schema does, without the engine's sandbox."""
    return _expand(_render(schema, task_data), task_data)


def _render(node, task_data):
    if isinstance(node, str):
        return jinja2.Environment().from_string(node).render(**task_data) if "{" in node else node
    if isinstance(node, dict):
        return {_render(k, task_data): _render(v, task_data) for k, v in node.items()}
    if isinstance(node, list):
        return [_render(v, task_data) for v in node]
    return node


def _expand(node, task_data):
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "anyOf" and isinstance(value, list) and len(value) == 1 and isinstance(value[0], str) \
                    and value[0].startswith(OPTIONS_PREFIX):
                options = task_data.get(value[0][len(OPTIONS_PREFIX):]) or []
                result[key] = [{"enum": [o["value"]], "title": o["label"]} if isinstance(o, dict)
                               else {"enum": [o], "title": str(o)} for o in options] or [{"enum": [None], "title": "-"}]
            else:
                result[key] = _expand(value, task_data)
        return result
    if isinstance(node, list):
        return [_expand(v, task_data) for v in node]
    return node


# One field per supported widget (and the keywords each understands).
KITCHEN = {
    "title": "All widgets",
    "type": "object",
    "required": ["name", "level"],
    "properties": {
        "name": {"type": "string", "title": "Name", "minLength": 2, "maxLength": 20, "pattern": "^[A-Za-z ]+$"},
        "notes": {"type": "string", "title": "Notes", "maxLength": 200},
        "email": {"type": "string", "format": "email", "title": "Email"},
        "born": {"type": "string", "format": "date", "title": "Born"},
        "meeting": {"type": "string", "format": "date-time", "title": "Meeting"},
        "level": {"type": "string", "title": "Level", "enum": ["low", "high"], "enumNames": ["Low", "High"]},
        "colour": {"type": "string", "title": "Colour",
                   "oneOf": [{"const": "r", "title": "Red"}, {"const": "g", "title": "Green"}]},
        "count": {"type": "integer", "title": "Count", "minimum": 1, "maximum": 10},
        "ratio": {"type": "number", "title": "Ratio", "exclusiveMinimum": 0, "maximum": 1},
        "amount": {"type": "number", "title": "Amount", "multipleOf": 0.01},
        "grade": {"type": "integer", "title": "Grade", "enum": [1, 2, 3], "enumNames": ["One", "Two", "Three"]},
        "agree": {"type": "boolean", "title": "Agree"},
        "verdict": {"type": "boolean", "title": "Verdict",
                    "oneOf": [{"const": True, "title": "Pass"}, {"const": False, "title": "Fail"}]},
        "urgent": {"type": "boolean", "title": "Urgent"},
        "tags": {"type": "array", "title": "Tags", "uniqueItems": True, "maxItems": 2,
                 "items": {"type": "string", "enum": ["a", "b", "c"], "enumNames": ["Alpha", "Beta", "Gamma"]}},
        "code": {"type": "string", "title": "Code", "default": "X1"},
        "score": {"type": "integer", "title": "Score", "maximum": 5},
        "reviewer": {"type": "string", "title": "Reviewer"},
        "watchers": {"type": "array", "title": "Watchers", "items": {"type": "string"}},
        "report": {"type": "string", "title": "Report"},
        "evidence": {"type": "array", "title": "Evidence", "maxItems": 3, "items": {"type": "string"}},
        "address": {"type": "object", "title": "Address", "required": ["city"], "properties": {
            "city": {"type": "string", "title": "City"},
            "zip": {"type": "string", "title": "Zip", "pattern": "^[0-9]{6}$",
                    "validationErrorMessage": "Six digits, please"}}},
        "opinions": {"type": "array", "title": "Opinions", "minItems": 1, "items": {
            "type": "object", "required": ["problem"], "properties": {
                "problem": {"type": "string", "title": "Problem"},
                "deadline": {"type": "string", "format": "date", "title": "Deadline"}}}},
        "phones": {"type": "array", "title": "Phones", "items": {"type": "string", "title": "Phone"}},
        "volume": {"type": "integer", "title": "Volume", "minimum": 0, "maximum": 11},
    },
}
KITCHEN_UI = {
    "ui:order": ["name", "*"],
    "name": {"ui:placeholder": "Your name", "ui:help": "Letters only", "ui:autofocus": True},
    "notes": {"ui:widget": "textarea", "ui:options": {"rows": 3}},
    "colour": {"ui:widget": "radio", "ui:options": {"inline": True}},
    "verdict": {"ui:widget": "radio"},
    "urgent": {"ui:widget": "select"},
    "tags": {"ui:widget": "checkboxes"},
    "code": {"ui:widget": "hidden"},
    "score": {"ui:widget": "rating"},
    "reviewer": {"ui:widget": "principal"},
    "watchers": {"ui:widget": "principal"},
    "report": {"ui:widget": "file", "ui:options": {"accept": [".pdf"]}},
    "evidence": {"ui:widget": "file", "ui:options": {"accept": ".pdf,.docx", "multiple": True, "maxSize": 1048576}},
    "count": {"ui:widget": "updown"},
    "volume": {"ui:widget": "range"},
    "born": {"ui:widget": "date", "ui:description": "As on the ID card"},
}
PEOPLE = {"reviewer": [("u1", "Wang Wei"), ("u2", "Li Na")], "watchers": [("u1", "Wang Wei"), ("u2", "Li Na")]}
GOOD_POST = {
    "name": "Ada Lovelace", "notes": "line one\r\nline two", "email": "ada@example.org", "born": "1815-12-10",
    "meeting": "2024-03-01T09:30", "level": "high", "colour": "g", "count": "3", "ratio": "0.25", "amount": "12.34",
    "grade": "2", "agree": "y", "verdict": "false", "urgent": "true", "tags": ["a", "c"], "code": "X1", "score": "4",
    "reviewer": "u1", "watchers": ["u1", "u2"], "report": "att-1", "evidence": ["att-2", "att-3"],
    "address-city": "Paris", "address-zip": "750001", "opinions-0-problem": "Slow", "opinions-0-deadline": "2024-05-01",
    "opinions-1-problem": "", "opinions-1-deadline": "", "phones-0": "123", "phones-1": " ", "volume": "7",
}
GOOD_DATA = {
    "name": "Ada Lovelace", "notes": "line one\r\nline two", "email": "ada@example.org", "born": "1815-12-10",
    "meeting": "2024-03-01T09:30:00", "level": "high", "colour": "g", "count": 3, "ratio": 0.25, "amount": 12.34,
    "grade": 2, "agree": True, "verdict": False, "urgent": True, "tags": ["a", "c"], "code": "X1", "score": 4,
    "reviewer": "u1", "watchers": ["u1", "u2"], "report": "att-1", "evidence": ["att-2", "att-3"],
    "address": {"city": "Paris", "zip": "750001"}, "opinions": [{"problem": "Slow", "deadline": "2024-05-01"}],
    "phones": ["123"], "volume": 7,
}
