"""A draft of a form whose repeating group carries read-only rows (a checklist prefilled from task data)."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from engine.services.views import FormSpec
from web.formkit import FormKit

CHECKLIST = FormSpec(key="check.json", schema={"type": "object", "properties": {"rows": {
    "type": "array", "title": "逐项自查", "items": {"type": "object", "required": ["item"], "properties": {
        "item": {"type": "string", "title": "评议内容", "readOnly": True},
        "finding": {"type": "string", "title": "发现的问题"}}}}}})
PREFILL = {"rows": [{"item": "法治政府建设"}, {"item": "优化营商环境"}, {"item": "部门基础工作"}]}


def draft(app, values: dict, posted: dict) -> dict:
    with app.test_request_context():
        return FormKit(CHECKLIST, MultiDict(posted), values).partial_data()


def test_a_draft_keeps_every_checklist_row_with_its_read_only_part(app):
    posted = {"rows-0-item": "改过的", "rows-0-finding": "执法文书不规范", "rows-1-finding": "", "rows-2-finding": ""}
    first = draft(app, PREFILL, posted)
    assert first == {"rows": [{"item": "法治政府建设", "finding": "执法文书不规范"}, {"item": "优化营商环境"},
                              {"item": "部门基础工作"}]}  # a read-only value is never taken from the post
    again = draft(app, first, {**posted, "rows-2-finding": "台账不全"})  # saved again from the page the draft fills
    assert [row["item"] for row in again["rows"]] == ["法治政府建设", "优化营商环境", "部门基础工作"]
    assert again["rows"][2]["finding"] == "台账不全"
