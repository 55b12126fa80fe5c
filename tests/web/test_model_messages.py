"""The problems of model and form checks in the user's language (Chinese by default, English by
the switch): the modeler's check and deploy, the upload pages, the form editor; requests nested
too deeply get a 400 with a message; a non-executable diagram deploys."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

import forms
from engine.models import ProcessVersion
from engine.services import processes
from tests.conftest import DATA, bundle
from tests.web.conftest import PASSWORD, text
from web.model_problems import sentence

APPROVAL = (DATA / "approval" / "approval.bpmn").read_text()
JSON = {"Accept": "application/json"}
DEEP = '{"a":' + "[" * 100000 + "]" * 100000 + "}"


@pytest.fixture
def admin_client(client, login, session, make_user):
    make_user("boss", password=PASSWORD, is_admin=True)
    processes.deploy(session, bundle("approval"), None, form_checker=forms.check_bundle_form)
    session.commit()
    login("boss")
    return client


def check(client, xml: str) -> list[dict]:
    response = client.post("/processes/approval/check", json={"xml": xml}, headers=JSON)
    return response.get_json()["problems"]


def line_of(needle: str, xml: str = APPROVAL) -> int:
    return next(i for i, line in enumerate(xml.splitlines(), 1) if needle in line)


def test_modeler_problems_are_chinese_and_name_element_and_line(admin_client):
    priority = '<spiffworkflow:property name="priority" value="2"/>'
    xml = APPROVAL.replace("approved == True", "approved == = True").replace(
        priority, priority + '<spiffworkflow:property name="title" value="起草{% if %}"/>')
    problems = {p["element_id"]: p for p in check(admin_client, xml)}
    assert problems["gw"]["message"].startswith("通向“publish”的连线条件：")
    assert problems["draft"]["message"].startswith("任务标题：")
    assert problems["draft"]["line"] == line_of('<bpmn:userTask id="draft"', xml)
    admin_client.get("/lang/en")
    problems = {p["element_id"]: p for p in check(admin_client, xml)}
    assert problems["gw"]["message"].startswith("condition of the flow to 'publish': this is not valid Python")
    assert problems["draft"]["message"].startswith("title: ")


@pytest.mark.parametrize(("old", "new", "element", "expected"), [
    ('targetRef="publish"', 'targetRef="nowhere"', "gw", "有一条连线指向不存在的元素“nowhere”"),
    ('value="draft-schema.json"', 'value="nope-schema.json"', "draft", "表单文件“nope-schema.json”不在文件包中"),
    ('<bpmn:endEvent id="end">', '<bpmn:userTask id="review"/><bpmn:endEvent id="end">', "review",
     "标识“review”被多个元素使用；每个元素须有自己的标识"),
    ("<spiffworkflow:instructionsForEndUser>请为", "<spiffworkflow:preScript>x = = 1</spiffworkflow:preScript>"
     "<spiffworkflow:instructionsForEndUser>请为", "draft", "前置脚本：这不是有效的 Python 写法"),
    ("<bpmn:script>published = True</bpmn:script>", "<bpmn:script>published = True</bpmn:script>"
     "<bpmn:extensionElements/>", "publish", "此处不允许出现元素 extensionElements"),
])
def test_each_kind_of_model_problem_is_translated(admin_client, old, new, element, expected):
    [problem] = check(admin_client, APPROVAL.replace(old, new))
    assert problem["element_id"] == element and problem["message"].startswith(expected)
    assert problem["file"] == "approval/approval.bpmn"


@pytest.mark.parametrize(("prop", "value", "expected"), [
    ("candidates", "group:评议办", "属性 candidates：这不是有效的写法：候选人须加引号，例如 'group:评议办'"),
    ("dueAt", "2026-12-01", "属性 dueAt：这不是有效的写法：日期须加引号（'2026-12-01'）"),
])
def test_the_usual_expression_mistakes_are_explained(admin_client, prop, value, expected):
    priority = '<spiffworkflow:property name="priority" value="2"/>'
    [problem] = check(admin_client, APPROVAL.replace(
        priority, priority + f'<spiffworkflow:property name="{prop}" value="{value}"/>'))
    assert problem["message"].startswith(expected) and f"（现在写的是：{value}）" in problem["message"]


def test_a_condition_with_one_equals_sign_and_a_broken_title_are_explained(admin_client):
    priority = '<spiffworkflow:property name="priority" value="2"/>'
    xml = APPROVAL.replace("approved == True", "approved = True").replace(
        priority, priority + '<spiffworkflow:property name="title" value="起草{{ year"/>')
    problems = {p["element_id"]: p["message"] for p in check(admin_client, xml)}
    assert problems["gw"].startswith("通向“publish”的连线条件：比较须用 ==")
    assert problems["draft"].startswith("任务标题：模板没有写完整：每个 {{ 都要有对应的 }}")


def test_malformed_xml_from_the_editor_names_the_real_file(admin_client):
    response = admin_client.post("/processes/approval/draft", json={"xml": APPROVAL.replace("</bpmn:process>", "")},
                                 headers=JSON)
    assert response.status_code == 422
    [problem] = response.get_json()["problems"]
    assert problem["file"] == "approval/approval.bpmn"
    assert problem["message"].startswith(f"XML 格式错误（第 {problem['line']} 行第 ")
    assert "开始标签 process（第 6 行）与结束标签 definitions 不匹配" in problem["message"]


@pytest.mark.parametrize(("content", "expected", "into_approval"), [
    (b"", "XML 格式错误（第 1 行第 1 列）：文档为空", None),
    (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e "x">]>\n<d/>', "不允许 DOCTYPE 和 ENTITY 声明", None),
    (b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"/>',
     "该文件没有定义任何 BPMN 流程", "该文件没有定义流程“approval”"),
])
def test_upload_problems_are_chinese(admin_client, content, expected, into_approval):
    for url, message in (("/processes/upload", expected), ("/processes/approval/upload", into_approval or expected)):
        response = admin_client.post(url, data={"file": (io.BytesIO(content), "x.bpmn")})
        assert response.status_code == 422 and message in text(response)
        assert "x.bpmn" in text(response)


def test_a_foreign_hint_is_translated(admin_client, session):
    upload = (DATA / "foreign" / "camunda7_invoice.bpmn").read_bytes()
    response = admin_client.post("/processes/upload", data={"file": (io.BytesIO(upload), "invoice.bpmn")})
    assert response.status_code == 302
    process_id = response.headers["Location"].split("/")[-2]
    xml = admin_client.get(f"/processes/{process_id}/draft.bpmn").get_data(as_text=True)
    messages = [p["message"] for p in admin_client.post(f"/processes/{process_id}/check", json={"xml": xml},
                                                         headers=JSON).get_json()["problems"]]
    assert any(m.startswith("不支持 camunda:") and "；请" in m for m in messages), messages
    assert not [m for m in messages if "not supported" in m]


def preview(client, schema: str, ui: str = "") -> list[str]:
    return client.post("/processes/forms/preview", headers=JSON, json={
        "name": "review-schema.json", "schema": schema, "ui": ui}).get_json()["problems"]


def test_form_editor_problems_are_chinese(admin_client):
    [problem] = preview(admin_client, json.dumps({"type": "object", "properties": {"a": {"type": "strin"}}}))
    assert problem == "review-schema.json: 字段“a”：不支持类型“strin”"
    assert preview(admin_client, json.dumps({"type": "object", "properties": {"a": {"type": "strin"}}}), "{}") == [
        "review-schema.json: 字段“a”：不支持类型“strin”"]  # said once, though the UI schema is checked with it
    [problem] = preview(admin_client, json.dumps({"type": "object", "properties": {"a": {"type": "string"}}}),
                        json.dumps({"self_summary": {"ui:widget": "textarea"}}))
    assert problem == "review-uischema.json: 表单：UI Schema 中的字段“self_summary”不存在"
    [problem] = preview(admin_client, '{"type": "object", "properties": {} "x": 1}')
    assert problem == "review-schema.json 不是有效的 JSON（第 1 行第 37 列）：此处应有“,”"
    [problem] = preview(admin_client, json.dumps({"type": "object", "properties": {"a": {
        "type": "string", "then": {"properties": {}, "required": [], "bogus": 1}}}}))
    assert "字段“a”：" in problem


def test_form_editor_save_flashes_chinese_problems(admin_client):
    schema = json.dumps({"type": "object", "properties": {"a": {"type": "strin"}}})
    response = admin_client.post("/processes/forms/review-schema.json?process=approval",
                                 data={"schema": schema, "ui": "", "ui_name": ""}, follow_redirects=True)
    assert "字段“a”：不支持类型“strin”" in text(response)


@pytest.mark.parametrize("url", ["/processes/forms/preview", "/processes/approval/draft",
                                 "/processes/approval/check", "/processes/approval/deploy"])
def test_a_body_nested_too_deeply_gets_a_400_with_a_message(admin_client, url):
    response = admin_client.post(url, data=DEEP, headers={**JSON, "Content-Type": "application/json"})
    assert response.status_code == 400
    problems = response.get_json()["problems"]
    assert [p if isinstance(p, str) else p["message"] for p in problems] == ["请求嵌套过深，无法读取。"]


def test_a_non_executable_diagram_is_deployed_as_edited(admin_client, session):
    xml = APPROVAL.replace('isExecutable="true"', 'isExecutable="false"').replace("审核方案", "审核计划")
    assert check(admin_client, xml) == []
    response = admin_client.post("/processes/approval/deploy", json={"xml": xml}, headers=JSON)
    assert response.get_json()["versions"] == {"approval": 2}
    session.expire_all()
    latest = session.scalars(select(ProcessVersion).order_by(ProcessVersion.version.desc())).first()
    session.commit()
    assert latest.version == 2 and "审核计划" in latest.bpmn_xml


BROKEN_FORMS = [  # (schema, UI schema): between them, most of what the forms package refuses
    ({"type": "array"}, None),
    ({"type": "object", "properties": [], "required": "x"}, None),
    ({"type": "object", "$schema": "x", "patternProperties": {}, "required": ["zz"], "properties": {
        "a": {"type": "strin", "patternProperties": {}}, "b": {"type": ["string", "integer"]}, "c": {},
        "d": {"type": "string", "default": 1, "minLength": -1, "maximum": "x", "multipleOf": 0, "pattern": "(",
              "format": "colour", "readOnly": "yes", "title": 3},
        "_e": {"type": "string"}, "data": {"type": "string"},
        "f": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}, "g": {"type": "array"},
        "h": {"type": "string", "enum": [1], "oneOf": [], "enumNames": [1, 2]},
        "i": {"type": "string", "enumNames": ["x"]}, "j": {"type": "string", "oneOf": [{"x": 1}]},
        "k": {"type": "string", "oneOf": [{"const": 1, "title": "a", "zz": 1}]},
        "l": {"type": "integer", "minimum": 20, "maximum": 30}}},
     {"zz": {}, "ui:order": ["qq"], "ui:bogus": 1, "ui:widget": 3, "l": {"ui:widget": "rating"}, "c": 3,
      "d": {"ui:widget": "nope", "ui:options": {"zz": 1, "rows": "x"}}, "f": {"x": {}}, "g": {"items": 3},
      "b": {"ui:widget": "checkboxes"}, "a": {"ui:widget": "select"}}),
    ({"type": "object", "properties": {"a": {"type": "string", "enum": ["x", "y"]}, "b": {"type": "string"}},
      "dependencies": {"a": {"oneOf": [{"properties": {"a": {}}}], "x": 1}, "b": 3}, "if": {}, "then": 3,
      "allOf": [3]}, None),
    ({"type": "object", "properties": {"a": {"type": "string", "enum": ["x"]}}, "then": {"properties": {}},
      "dependencies": {"a": {"oneOf": 3}}}, None),
    ({"type": "object", "properties": {"a": {"type": "string", "enum": ["x"]}},
      "if": {"properties": {"a": {"const": "x"}}}, "then": {"bogus": 1, "properties": {}, "required": ["nope"]}},
     None),
    ({"type": "object", "properties": {"a": {"type": "string", "anyOf": ["options_from_task_data_var:"]}}}, None),
    ({"type": "object", "properties": {"a": {"type": "string", "minimum": "a"}}},
     {"a": {"ui:widget": "radio", "ui:options": {"rows": 3}}}),
]


def test_every_refusal_of_the_forms_package_is_translated(app):
    with app.test_request_context():
        messages = {m for schema, ui in BROKEN_FORMS
                    for m in forms.check_form("", schema, ui) + (forms.check_ui(ui) if ui else [])}
        assert len(messages) > 50
        untranslated = [m for m in messages if sentence(m) == m or "'" in sentence(m).split("：", 1)[0]]
        assert untranslated == []


UNREACHABLE = APPROVAL.replace('name="起草人"', 'name="教育"').replace(
    '<spiffworkflow:property name="formJsonSchemaFilename" value="review-schema.json"/>',
    '<spiffworkflow:property name="formJsonSchemaFilename" value="review-schema.json"/>'
    '<spiffworkflow:property name="candidates" value="[&quot;group:评议ban&quot;, &quot;user:boss&quot;]"/>'
    '<spiffworkflow:property name="assignee" value="\'nosuchuser\'"/>').replace(
    '<spiffworkflow:property name="priority" value="2"/>',
    '<spiffworkflow:property name="priority" value="2"/><spiffworkflow:property name="candidates" value="reviewers"/>'
    '<spiffworkflow:property name="assignee" value="\'boss\'"/>')


def test_names_that_reach_nobody_are_warned_about_but_deploy(admin_client, session, make_user):
    make_user("rev", groups=["审核人"])
    session.commit()
    result = admin_client.post("/processes/approval/check", json={"xml": UNREACHABLE}, headers=JSON).get_json()
    assert result["problems"] == []
    warned = [(w["element_id"], w["message"]) for w in result["warnings"]]
    assert warned == [
        ("lane_drafter", "泳道“教育”：没有这个名称的组，而开始事件在这条泳道中：只有管理员能发起本流程"),
        ("review", "“审核方案”：办理人“nosuchuser”这个用户不存在"),
        ("review", "“审核方案”：候选人中的组“评议ban”不存在")]  # the expression `reviewers` is skipped
    assert all(w["line"] for w in result["warnings"])
    admin_client.get("/lang/en")
    result = admin_client.post("/processes/approval/check", json={"xml": UNREACHABLE}, headers=JSON).get_json()
    assert "only administrators may start the process" in result["warnings"][0]["message"]

    deployed = admin_client.post("/processes/approval/deploy", json={"xml": UNREACHABLE}, headers=JSON).get_json()
    assert deployed["deployed"] and deployed["versions"] == {"approval": 2} and len(deployed["warnings"]) == 3
    page = admin_client.get(deployed["redirect"]).get_data(as_text=True)
    assert "Warning (review): &#39;审核方案&#39;: its assignee is the user &#39;nosuchuser&#39;" in page


def test_a_lane_naming_a_group_and_lanes_set_by_lane_owners_are_not_warned_about(admin_client, session, make_user):
    make_user("rev", groups=["审核人", "起草人"])
    session.commit()
    assert admin_client.post("/processes/approval/check", json={"xml": APPROVAL}, headers=JSON
                             ).get_json()["warnings"] == []
    owners = APPROVAL.replace('name="起草人"', 'name="教育"').replace(
        "<bpmn:script>published = True</bpmn:script>",
        "<bpmn:script>published = True\nlane_owners = {}</bpmn:script>")
    assert admin_client.post("/processes/approval/check", json={"xml": owners}, headers=JSON
                             ).get_json()["warnings"] == []
    lane = APPROVAL.replace('name="审核人"', 'name="审核组"')
    warned = admin_client.post("/processes/approval/check", json={"xml": lane}, headers=JSON).get_json()["warnings"]
    assert [(w["element_id"], w["message"]) for w in warned] == [
        ("lane_reviewer", "泳道“审核组”：没有这个名称的组，泳道中未设候选人或办理人的任务只有管理员能收到")]
