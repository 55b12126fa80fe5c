"""Read-only answers keep the task's data whatever a submission says (the JSON API included)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from engine.errors import InvalidInput
from engine.read_only import keep_read_only
from engine.validation import validate_submission

ROW = {"type": "object", "properties": {
    "problem": {"type": "string"},
    "target": {"type": "string", "readOnly": True},
    "measures": {"type": "string"}}}
PLAN = {"type": "object", "properties": {
    "department": {"type": "string", "readOnly": True},
    "summary": {"type": "string"},
    "plan_items": {"type": "array", "items": ROW}}}
A = {"problem": "课后服务不足", "target": "覆盖率达到95%"}
B = {"problem": "交通隐患", "target": "完成整治"}
C = {"problem": "食堂管理", "target": "建立制度"}
DATA = {"department": "教育局", "plan_items": [A, B, C]}


def kept(clean, schema=PLAN, ui=None, data=DATA):
    keep_read_only(schema, ui or {}, clean, data)
    return clean


def test_a_read_only_field_keeps_the_task_data_or_its_default():
    assert kept({"department": "别的部门", "summary": "方案"}) == {"department": "教育局", "summary": "方案"}
    assert kept({"department": "别的部门"}, data={}) == {}
    with_default = {"type": "object", "properties": {"kind": {"type": "string", "readOnly": True, "default": "固定"}}}
    assert kept({"kind": "固定"}, with_default, data={}) == {"kind": "固定"}  # what the form showed and sent
    assert kept({"kind": "别的"}, with_default, data={}) == {"kind": "固定"}


def test_rows_are_the_data_rows_they_carry_even_when_one_was_removed():
    rows = kept({"plan_items": [{**B, "measures": "整治"}, {**C, "measures": "制度"}]})["plan_items"]
    assert rows == [{**B, "measures": "整治"}, {**C, "measures": "制度"}]


def test_an_added_row_never_takes_a_removed_rows_answers():
    # C removed in the browser and a new row added: as many rows as before, but the new one is new
    rows = kept({"plan_items": [{**A, "measures": "m"}, {**B, "measures": "n"},
                                {"problem": "部门自查发现的新问题", "target": "", "measures": "新措施"}]})["plan_items"]
    assert rows[2] == {"problem": "部门自查发现的新问题", "measures": "新措施"}


def test_a_changed_read_only_answer_is_refused():
    with pytest.raises(InvalidInput) as refused:
        kept({"plan_items": [{**A, "target": "改成别的"}, B, C]})
    assert refused.value.errors == {"plan_items.0": "read_only_changed"}
    with pytest.raises(InvalidInput):  # one data row cannot stand for two
        kept({"plan_items": [B, B]})


def test_rows_sent_without_their_read_only_parts_are_refused():
    with pytest.raises(InvalidInput) as refused:
        kept({"plan_items": [{"problem": "课后服务不足", "measures": "m"}, {"problem": "交通隐患", "measures": "n"}]})
    assert refused.value.errors == {"plan_items": "read_only_missing"}
    assert kept({"plan_items": [{"problem": "全新", "measures": "m"}]}, data={})["plan_items"] == [
        {"problem": "全新", "measures": "m"}]  # nothing to carry: every row is new


def test_a_group_that_may_not_lose_or_gain_rows():
    ui = {"plan_items": {"ui:options": {"removable": False, "addable": False}}}
    assert len(kept({"plan_items": [C, A, B]}, ui=ui)["plan_items"]) == 3
    with pytest.raises(InvalidInput) as refused:
        kept({"plan_items": [A, B]}, ui=ui)
    assert refused.value.errors == {"plan_items": "rows_removed"}
    with pytest.raises(InvalidInput) as refused:
        kept({"plan_items": [A, B, C, {"problem": "新"}]}, ui=ui)
    assert refused.value.errors == {"plan_items": "rows_added"}


def test_read_only_wherever_the_form_builder_sees_it():
    schema = {"type": "object", "properties": {
        "amount": {"type": "string"},
        "rows": {"type": "array", "items": {"type": "string", "readOnly": True}},
        "box": {"type": "object", "readOnly": True, "properties": {"x": {"type": "string"}}}},
        "dependencies": {"amount": {"properties": {"approved": {"type": "string", "readOnly": True}}}},
        "if": {"properties": {"amount": {"const": "1"}}},
        "then": {"properties": {"basis": {"type": "string", "readOnly": True}}},
        "allOf": [{"properties": {"fixed": {"type": "string", "readOnly": True}}},
                  {"if": {"properties": {"amount": {"const": "2"}}},
                   "then": {"properties": {"deep": {"type": "string", "readOnly": True}}}}]}
    data = {"approved": "100", "basis": "依据", "fixed": "f", "deep": "d", "rows": ["甲"], "box": {"x": "1"}}
    clean = kept({"amount": "1", "approved": "999999", "basis": "改", "fixed": "改", "deep": "改", "rows": ["乙"],
                  "box": {"x": "2"}}, schema, data=data)
    assert clean == {"amount": "1", **data}
    ui_only = {"type": "object", "properties": {"issued_on": {"type": "string"}, "note": {"type": "string"}}}
    assert kept({"issued_on": "2099-01-01", "note": "x"}, ui_only, {"issued_on": {"ui:readonly": True}},
                {"issued_on": "2025-10-31"}) == {"issued_on": "2025-10-31", "note": "x"}
    whole = {"type": "object", "readOnly": True, "properties": {"a": {"type": "string"}}}
    assert kept({"a": "changed"}, whole, data={"a": "kept"}) == {"a": "kept"}


def test_a_read_only_part_nested_in_a_row_comes_along():
    schema = {"type": "object", "properties": {"rows": {"type": "array", "items": {"type": "object", "properties": {
        "source": {"type": "object", "properties": {"who": {"type": "string", "readOnly": True}}},
        "answer": {"type": "string"}}}}}}
    data = {"rows": [{"source": {"who": "甲"}}, {"source": {"who": "乙"}}]}
    clean = kept({"rows": [{"source": {"who": "乙"}, "answer": "好"}]}, schema, data=data)
    assert clean == {"rows": [{"source": {"who": "乙"}, "answer": "好"}]}


def test_a_submission_through_the_service_checks_keep_it():
    row = SimpleNamespace(form_key="plan.json", ui_form_key=None)
    clean = validate_submission({"plan.json": PLAN}, row, SimpleNamespace(data=DATA), {
        "department": "别的部门", "plan_items": [{**A, "measures": "m"}, {**C, "measures": "n"}]})
    assert clean == {"department": "教育局", "plan_items": [{**A, "measures": "m"}, {**C, "measures": "n"}]}


def test_a_list_inside_a_row_is_matched_on_its_own():
    schema = {"type": "object", "properties": {"outer": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string", "readOnly": True},
        "inner": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string", "readOnly": True}, "note": {"type": "string"}}}}}}}}}
    data = {"outer": [{"name": "甲", "inner": [{"code": "1"}, {"code": "2"}]}]}
    clean = kept({"outer": [{"name": "甲", "inner": [{"code": "2", "note": "留下"}, {"note": "新增"}]}]},
                 schema, data=data)  # an inner row removed and one added
    assert clean == {"outer": [{"name": "甲", "inner": [{"code": "2", "note": "留下"}, {"note": "新增"}]}]}


def test_a_new_row_gets_the_read_only_default_and_a_row_may_leave_out_a_conditional_one():
    row = {"type": "object", "properties": {"kind": {"type": "string", "readOnly": True, "default": "委室交办"},
                                            "note": {"type": "string", "readOnly": True},
                                            "text": {"type": "string"}}}
    schema = {"type": "object", "properties": {"rows": {"type": "array", "items": row}}}
    data = {"rows": [{"kind": "评议意见", "note": "附注", "text": "a"}]}
    clean = kept({"rows": [{"kind": "评议意见", "text": "a2"}, {"text": "b"}]}, schema, data=data)
    assert clean == {"rows": [{"kind": "评议意见", "note": "附注", "text": "a2"}, {"kind": "委室交办", "text": "b"}]}


def test_rows_without_a_read_only_part_may_stay_when_others_are_removed():
    data = {"plan_items": [A, {"problem": "问题B", "target": ""}]}  # an opinion without a requirement
    assert kept({"plan_items": [{"problem": "问题B", "measures": "m"}]}, data=data)["plan_items"] == [
        {"problem": "问题B", "measures": "m"}]  # not refused as rows sent without their parts
