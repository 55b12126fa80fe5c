"""The Jinja macros: the edit view (render_form) and the read-only view (render_readonly)."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import wtforms
from wtforms import fields as wtf

from forms import STATIC_DIR, TEMPLATE_DIR, UPLOAD_SUFFIX, FormData, build_form, parse_definition, validate_form
from tests.forms.conftest import GOOD_DATA, GOOD_POST, IMPORT, KITCHEN, KITCHEN_UI, PEOPLE, make_env
from tests.forms.test_definition import CONDITIONAL

VOID = {"input", "br", "hr", "img", "meta", "link"}
ATTACHMENTS = {"att-1": {"name": "report.pdf", "url": "/a/1"}, "att-2": "photo.jpg"}


class Balance(HTMLParser):
    """Checks that every opened element is closed in order (good enough to catch broken macros)."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unexpected </{tag}>"


def well_formed(html: str) -> str:
    checker = Balance()
    checker.feed(html)
    assert checker.stack == [], checker.stack
    return html


@pytest.fixture
def kitchen():
    return parse_definition(KITCHEN, KITCHEN_UI)


def test_edit_view_renders_every_widget(kitchen, render_edit):
    form = build_form(kitchen, data=GOOD_DATA, choices=PEOPLE)
    html = well_formed(render_edit(form, kitchen, attachments=ATTACHMENTS))
    for snippet in [
        'placeholder="Your name"', "autofocus", '<div class="form-text" id="name-help">Letters only</div>',
        '<textarea', 'rows="3"', 'type="email"', 'type="date"', 'type="datetime-local"', 'value="2024-03-01T09:30"',
        '<select class="form-select" id="level" name="level" required>', '<option value="high" selected>High</option>',
        'form-check form-check-inline', '<label class="form-check-label" for="colour-1">Green</label>',
        'type="number"', 'step="any"', 'type="range"', 'max="11"', 'data-boolean="true"', '>Pass</label>',
        '<option value="true" selected>«Yes»</option>', '<input checked class="form-check-input" id="tags-2"',
        '>Gamma</label>', 'type="hidden" value="X1"', 'class="pingyi-rating"',
        'checked class="form-check-input" id="score-3"', '<option value="u1" selected>Wang Wei</option>',
        'multiple', f'name="report{UPLOAD_SUFFIX}"', 'accept=".pdf"', 'accept=".pdf,.docx"',
        'data-max-size="1048576"', '<a href="/a/1">report.pdf</a>', 'photo.jpg',
        'value="att-3" id="evidence-1" checked',
        '«Uncheck an attachment to remove it.»', '<legend class="fs-6">Address', 'name="address-city"',
        'data-repeat-token="__i0__"', 'name="opinions-0-problem" type="text" value="Slow"',
        'name="opinions-__i0__-problem"', "«Add row»", "«Remove row»", 'name="phones-0"', 'title="«Required»"',
        '<div class="form-text mt-0 mb-1">As on the ID card</div>',
    ]:
        assert snippet in html, snippet


def test_edit_view_shows_errors_inline(kitchen, render_edit):
    form = build_form(kitchen, FormData({**GOOD_POST, "name": "A", "address-zip": "1", "opinions-0-deadline": "x",
                                         "tags": ["a", "b", "c"]}), choices=PEOPLE)
    validate_form(form, kitchen)
    html = well_formed(render_edit(form, kitchen, errors={"(form)": "Something is off"}))
    assert 'class="form-control is-invalid" id="name"' in html
    assert '<div class="invalid-feedback d-block">Please write 2 to 20 characters.</div>' in html
    assert '<div class="invalid-feedback d-block">Six digits, please</div>' in html
    assert '<div class="invalid-feedback d-block">Not a valid date value.</div>' in html
    assert '<div class="invalid-feedback d-block">Enter at most 2.</div>' in html
    assert '<div class="alert alert-danger" role="alert">Something is off</div>' in html


def test_conditional_fields_carry_their_condition(render_edit):
    definition = parse_definition(CONDITIONAL)
    html = well_formed(render_edit(build_form(definition), definition))
    conditions = {m.group(1): json.loads(m.group(2)) for m in
                  re.finditer(r'data-field="(\w+)" data-show-if=\'([^\']*)\'', html)}
    assert conditions == {
        "issue": {"field": "has_issue", "values": ["yes"], "absent": False, "negate": False},
        "signature": {"field": "agree", "values": ["true"], "absent": False, "negate": False},
        "reason": {"field": "agree", "values": ["true"], "absent": False, "negate": True},
    }
    assert 'for="issue">Issue<span class="text-danger ms-1"' in html   # required whenever shown
    assert 'name="issue" required' not in html                          # but not for the browser


def test_conditions_in_rows_name_the_sibling_of_the_same_row(render_edit):
    definition = parse_definition({"type": "object", "properties": {"rows": {"type": "array", "items": {
        "type": "object", "properties": {"kind": {"type": "string", "enum": ["a", "b"]}},
        "dependencies": {"kind": {"properties": {"note": {"type": "string"}}}}}}}})
    html = render_edit(build_form(definition, data={"rows": [{"kind": "a"}]}), definition)
    assert '"field": "rows-0-kind"' in html and '"field": "rows-__i0__-kind"' in html


def test_read_only_fields_are_not_editable(render_edit):
    definition = parse_definition({"type": "object", "properties": {
        "a": {"type": "string", "readOnly": True}, "b": {"type": "string", "enum": ["x", "y"], "readOnly": True},
        "c": {"type": "boolean", "readOnly": True},
        "rows": {"type": "array", "readOnly": True, "items": {"type": "object", "properties": {
            "p": {"type": "string"}}}},
        "files": {"type": "array", "readOnly": True, "items": {"type": "string"}}}},
        {"files": {"ui:widget": "file"}})
    form = build_form(definition, data={"a": "kept", "b": "y", "c": True, "rows": [{"p": "one"}], "files": ["f1"]})
    html = well_formed(render_edit(form, definition))
    assert 'name="a" readonly type="text" value="kept"' in html
    assert 'name="b" disabled>' in html and 'checked class="form-check-input" data-boolean="true" disabled' in html
    assert 'name="rows-0-p" readonly' in html and "Add row" not in html and "Remove row" not in html
    assert 'value="f1" id="files-0" checked disabled' in html and "__upload" not in html


def test_extra_hidden_fields_of_the_base_are_rendered(render_edit):
    class Base(wtforms.Form):
        csrf_token = wtf.HiddenField(default="tok")

    definition = parse_definition({"type": "object", "properties": {"a": {"type": "string"}}})
    html = render_edit(build_form(definition, base=Base), definition)
    assert '<input id="csrf_token" name="csrf_token" type="hidden" value="tok">' in html


def test_read_only_view_shows_titles_tables_and_attachments(kitchen, render_view):
    html = well_formed(render_view(kitchen, GOOD_DATA, choices=PEOPLE, attachments=ATTACHMENTS))
    for snippet in [
        '<dt class="col-sm-4">Name</dt>', ">Ada Lovelace</dd>", 'style="white-space: pre-wrap">line one',
        ">High</dd>", ">Green</dd>", ">Two</dd>", ">«Yes»</dd>", ">Fail</dd>", ">Alpha, Gamma</dd>", ">4 / 5</dd>",
        ">Wang Wei</dd>", ">Wang Wei, Li Na</dd>", '<a href="/a/1">report.pdf</a>', "<li>photo.jpg</li>",
        "<li>att-3</li>", '<th scope="col">Problem</th>', "<td>Slow</td>", "<td>2024-05-01</td>", "<li>123</li>",
        '<dt class="col-sm-4">City</dt>', "2024-03-01T09:30:00",
    ]:
        assert snippet in html, snippet
    assert "X1" not in html   # hidden fields are not shown


def test_read_only_view_of_missing_and_conditional_values(render_view):
    definition = parse_definition(CONDITIONAL)
    html = well_formed(render_view(definition, {"has_issue": "no", "agree": False, "reason": "busy"}))
    assert "Issue</dt>" not in html and "Signature</dt>" not in html and ">busy</dd>" in html
    assert ">«No»</dd>" in html and '<span class="text-body-secondary">—</span>' in html


def test_user_text_is_escaped(render_edit, render_view):
    definition = parse_definition({"type": "object", "properties": {"a": {
        "type": "string", "title": "<b>bold</b>", "enum": ["<x>"], "enumNames": ["<i>choice</i>"]}}},
        {"a": {"ui:help": "<script>alert(1)</script>"}})
    edit = render_edit(build_form(definition, data={"a": "<x>"}), definition)
    view = render_view(definition, {"a": "<x>"})
    for html in (edit, view):
        assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in edit and "&lt;i&gt;choice&lt;/i&gt;" in view


@pytest.mark.parametrize("strict", [True, False])
def test_macros_work_without_a_translation_function(kitchen, strict):
    env = make_env(translate=False, strict=strict)
    template = env.from_string(IMPORT + "{{ render_form(form, definition) }}{{ render_readonly(definition, data) }}")
    html = template.render(form=build_form(kitchen, data=GOOD_DATA, choices=PEOPLE), definition=kitchen,
                           data=GOOD_DATA)
    assert "Add row" in html and "«" not in html and ">Yes</dd>" in html


def test_package_exposes_its_template_and_script():
    assert (TEMPLATE_DIR / "forms" / "_form.html").is_file()
    script = (STATIC_DIR / "forms.js").read_text(encoding="utf-8")
    for attribute in ("data-repeat-add", "data-repeat-remove", "data-repeat-template", "data-repeat-token",
                      "data-show-if", "data-repeat-max"):
        assert attribute in script


def test_macros_use_the_i18n_extension_as_flask_babel_installs_it(kitchen):
    env = make_env(translate=False)
    env.add_extension("jinja2.ext.i18n")
    catalog = {"Add row": "添加一行", "Yes": "是"}
    env.install_gettext_callables(lambda text: catalog.get(text, text), lambda s, p, n: s if n == 1 else p,
                                  newstyle=True)
    template = env.from_string(IMPORT + "{{ render_form(form, definition) }}{{ render_readonly(definition, data) }}")
    html = template.render(form=build_form(kitchen, data=GOOD_DATA, choices=PEOPLE), definition=kitchen,
                           data=GOOD_DATA)
    assert "添加一行" in html and ">是</dd>" in html and "Remove row" in html
