"""Labels: the titles forms give data keys and the names diagrams give elements."""
from __future__ import annotations

from engine import labels, repository
from engine.services import processes

PLAN = {"properties": {
    "summary": {"type": "string", "title": "方案概述"},
    "items": {"type": "array", "title": "整改措施", "items": {"type": "object", "properties": {
        "problem": {"type": "string", "title": "问题"}, "deadline": {"type": "string", "title": "完成时限"}}}},
    "note": {"type": "string", "title": "{{ department }}的说明"}}}
START = {"properties": {"department": {"type": "string", "title": "被评议部门"},
                        "summary": {"type": "string", "title": "交办说明"}}}


def test_titles_come_from_nested_objects_and_lists_in_the_order_of_the_form():
    ui = {"ui:order": ["items", "*"], "items": {"items": {"ui:order": ["deadline", "problem"]}}}
    titles = labels.field_titles({"plan.json": PLAN, "plan-ui.json": ui}, [("plan.json", "plan-ui.json")])
    assert list(titles.items()) == [("items", "整改措施"), ("deadline", "完成时限"), ("problem", "问题"),
                                    ("summary", "方案概述")]  # a title with Jinja in it is no label


def test_the_first_form_named_gives_a_shared_key_its_title():
    forms = {"a-plan.json": PLAN, "z-start.json": START}
    assert labels.field_titles(forms)["summary"] == "方案概述"  # by file name when nothing is named
    started_first = labels.field_titles(forms, [("z-start.json", None)])
    assert started_first["summary"] == "交办说明" and list(started_first)[:2] == ["department", "summary"]


def test_ordered_puts_form_fields_first_and_keeps_the_rest_as_they_came():
    named = labels.Labels(fields={"department": "被评议部门", "summary": "方案概述"})
    assert named.ordered(["zeta", "summary", "alpha", "department"]) == ["department", "summary", "zeta", "alpha"]
    assert named.field("summary") == "方案概述" and named.field("other") == "other"


def test_a_deployed_version_names_its_fields_and_elements(session, deploy):
    deploy("inbox")
    version = processes.latest_version(session, "plan")
    found = labels.for_version(session, version)
    assert list(found.fields)[:2] == ["department", "issued_on"]  # the start form first
    assert found.fields["items"] == "整改措施" and found.fields["deadline"] == "完成时限"
    assert found.element("write_plan") == "提交整改方案" and found.element("nowhere") == "nowhere"
    assert found.for_element("write_plan").fields["summary"] == "方案概述"  # the step's own form
    assert found.files == {"evidence"}  # a file field holds attachment ids
    assert labels.for_version(session, version) is found  # built once per version
    repository.clear_caches()
    assert labels.for_version(session, version) is not found  # and again after the caches go


def test_choices_are_named_by_their_titles():
    kinds = {"type": "string",
             "oneOf": [{"const": "forum", "title": "座谈会"}, {"const": "visit", "title": "实地走访"}]}
    ratings = {"type": "string", "enum": ["satisfied", "dissatisfied"], "enumNames": ["满意", "不满意"]}
    many = {"type": "array", "items": {"type": "string", "anyOf": [{"const": "a", "title": "甲"}]}}
    assert labels.choice_titles(kinds) == {"forum": "座谈会", "visit": "实地走访"}
    assert labels.choice_titles(ratings) == {"satisfied": "满意", "dissatisfied": "不满意"}
    assert labels.choice_titles(many) == {"a": "甲"} and labels.choice_titles({"type": "string"}) == {}
    choices: dict = {}
    labels.field_titles({"f.json": {"properties": {"log": {"type": "array", "items": {
        "type": "object", "properties": {"kind": kinds}}}}}}, choices=choices)
    named = labels.Labels(choices=choices)
    assert named.choice("kind", "forum") == "座谈会" and named.choice("kind", "other") is None
    assert named.choice("kind", ["forum"]) is None and named.choice(None, "forum") is None
    verdict = labels.choice_titles({"type": "boolean", "oneOf": [{"const": True, "title": "通过"},
                                                                 {"const": False, "title": "退回修改"}]})
    assert labels.Labels(choices={"approved": verdict}).choice("approved", False) == "退回修改"


def test_a_step_names_its_data_as_its_own_form_does():
    named = labels.Labels(fields={"held_on": "会议日期", "notes": "会议情况"},
                          by_element={"log": ({"held_on": "日期"}, {"kind": {"forum": "座谈会"}})})
    own = named.for_element("log")
    assert (own.field("held_on"), own.field("notes"), own.choice("kind", "forum")) == ("日期", "会议情况", "座谈会")
    assert named.for_element("other") is named


def test_what_no_step_recorded_is_named_by_the_start_form_only():
    """A vote's result arriving (no element) keeps the application's `status`: not the title the
    rectification form gives its own `status` field."""
    named = labels.Labels(fields={"status": "整改状态", "department": "被评议部门"},
                          choices={"status": {"done": "已完成"}},
                          start=({"department": "被评议部门"}, {"department": {"D01": "县教育局"}}))
    system = named.for_element(None)
    assert system.fields == {"department": "被评议部门"} and system.choice("status", "done") is None
    assert system.choice("department", "D01") == "县教育局" and named.for_element(None) is system


def test_choices_taken_from_task_data_read_as_their_titles(session, deploy):
    deploy("options_labels")
    found = labels.for_version(session, processes.latest_version(session, "options_labels"))
    assert found.option_vars == {"deputies": "deputy_choices", "department_code": "department_options"}
    assert found.with_options({}) is found and found.choice("deputies", "deputy1") is None
    data = {"deputy_choices": [{"value": "deputy1", "label": "王代表"}, "plain"],
            "department_options": [{"id": "D01", "title": "县教育局"}]}
    named = found.with_options(data)
    assert named.choice("deputies", "deputy1") == "王代表" and named.choice("department_code", "D01") == "县教育局"
    assert named.for_element("prepare").choice("deputies", "deputy1") == "王代表"  # in the step's own events
    assert found.choice("deputies", "deputy1") is None  # the version's labels stay as they were
