"""Read-only fields keep the task's data whatever a submission says (the JSON API included)."""
from __future__ import annotations

from types import SimpleNamespace

from engine.validation import keep_read_only, validate_submission

PLAN = {"type": "object", "properties": {
    "department": {"type": "string", "readOnly": True},
    "summary": {"type": "string"},
    "plan_items": {"type": "array", "items": {"type": "object", "properties": {
        "problem": {"type": "string"},
        "target": {"type": "string", "readOnly": True},
        "measures": {"type": "string"}}}}}}
DATA = {"department": "教育局", "plan_items": [{"problem": "课后服务不足", "target": "覆盖率达到95%"},
                                              {"problem": "交通隐患", "target": "完成整治"}]}


def test_a_read_only_field_keeps_the_task_data():
    clean = {"department": "别的部门", "summary": "方案"}
    keep_read_only(PLAN, {}, clean, DATA)
    assert clean == {"department": "教育局", "summary": "方案"}


def test_a_read_only_field_the_data_lacks_is_dropped():
    clean = {"department": "别的部门"}
    keep_read_only(PLAN, {}, clean, {})
    assert clean == {}


def test_rows_take_their_read_only_part_from_the_same_position():
    clean = {"plan_items": [{"problem": "课后服务不足", "target": "改成别的", "measures": "扩大服务"},
                            {"problem": "交通隐患", "measures": "整治"}]}
    keep_read_only(PLAN, {}, clean, DATA)
    assert [row.get("target") for row in clean["plan_items"]] == ["覆盖率达到95%", "完成整治"]
    assert clean["plan_items"][0]["measures"] == "扩大服务"


def test_an_added_row_has_no_read_only_part():
    clean = {"plan_items": [{"problem": "课后服务不足", "target": "覆盖率达到95%"},
                            {"problem": "交通隐患", "target": "完成整治"},
                            {"problem": "新增问题", "target": "自己写的", "measures": "措施"}]}
    keep_read_only(PLAN, {}, clean, DATA)
    assert [row.get("target") for row in clean["plan_items"]] == ["覆盖率达到95%", "完成整治", None]


def test_the_ui_schema_can_make_a_field_read_only():
    schema = {"type": "object", "properties": {"issued_on": {"type": "string"}, "note": {"type": "string"}}}
    clean = {"issued_on": "2099-01-01", "note": "x"}
    keep_read_only(schema, {"issued_on": {"ui:readonly": True}}, clean, {"issued_on": "2025-10-31"})
    assert clean == {"issued_on": "2025-10-31", "note": "x"}


def test_a_submission_through_the_service_checks_keep_it():
    row = SimpleNamespace(form_key="plan.json", ui_form_key=None)
    clean = validate_submission({"plan.json": PLAN}, row, SimpleNamespace(data=DATA), {
        "department": "别的部门", "plan_items": [{"problem": "课后服务不足", "target": "x", "measures": "m"},
                                                {"problem": "交通隐患", "measures": "n"}]})
    assert clean == {"department": "教育局", "plan_items": [
        {"problem": "课后服务不足", "target": "覆盖率达到95%", "measures": "m"},
        {"problem": "交通隐患", "target": "完成整治", "measures": "n"}]}


def test_a_removed_row_does_not_shift_the_others():
    # the first row was removed in the browser: the second keeps its own target
    clean = {"plan_items": [{"problem": "交通隐患", "target": "完成整治", "measures": "整治"}]}
    keep_read_only(PLAN, {}, clean, DATA)
    assert clean["plan_items"] == [{"problem": "交通隐患", "target": "完成整治", "measures": "整治"}]
    # without its read-only part, a row is only matched by position while no row was removed
    clean = {"plan_items": [{"problem": "交通隐患", "measures": "整治"}]}
    keep_read_only(PLAN, {}, clean, DATA)
    assert clean["plan_items"] == [{"problem": "交通隐患", "measures": "整治"}]


def test_a_data_row_lends_its_read_only_part_once():
    clean = {"plan_items": [{"problem": "a", "target": "完成整治"}, {"problem": "b", "target": "完成整治"}]}
    keep_read_only(PLAN, {}, clean, DATA)
    assert [row.get("target") for row in clean["plan_items"]] == ["完成整治", None]
