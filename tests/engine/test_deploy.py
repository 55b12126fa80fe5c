"""Deployment: versions, no-op redeploys, located errors, hostile XML."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.errors import DeploymentError
from engine.models import AuditEvent, ProcessVersion
from engine.services import instances, processes
from tests.conftest import DATA, bundle

APPROVAL = (DATA / "approval" / "approval.bpmn").read_text()


def versions(session):
    return session.scalars(select(ProcessVersion).order_by(ProcessVersion.id)).all()


def test_deploy_stores_an_immutable_version(session, deploy, admin):
    [result] = deploy("approval")
    assert (result.process_id, result.version, result.is_new) == ("approval", 1, True)
    [version] = versions(session)
    assert version.name == "起草与审核"
    assert version.file_name == "approval/approval.bpmn"
    assert "起草方案" in version.bpmn_xml
    assert set(version.forms) == {"draft-schema.json", "review-schema.json"}
    assert version.deployed_by_id == admin.id and version.deployed_at is not None
    assert len(version.content_hash) == 64 and '"spec"' in version.spec_json
    event = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "version_deployed")).one()
    assert event.process_id == "approval" and event.details["version"] == 1


def test_identical_content_is_a_no_op(session, deploy):
    deploy("approval")
    [again] = deploy("approval")
    assert (again.version, again.is_new) == (1, False)
    assert len(versions(session)) == 1
    assert session.scalar(select(func.count()).where(AuditEvent.event_type == "version_deployed")) == 1


def test_a_form_keeps_the_order_its_author_gave_its_fields(session, admin):
    import json

    files = bundle("approval")
    processes.deploy(session, files, admin)
    stored = versions(session)[0].forms["draft-schema.json"]["properties"]
    assert list(stored) == ["title", "submitted_on", "round_count"]  # as written, not sorted
    form = json.loads(files["approval/draft-schema.json"])
    form["properties"] = dict(reversed(form["properties"].items()))
    files["approval/draft-schema.json"] = json.dumps(form, ensure_ascii=False).encode()
    [result] = processes.deploy(session, files, admin)
    assert (result.version, result.is_new) == (2, True)  # the order is part of the form
    session.expire_all()
    assert list(versions(session)[1].forms["draft-schema.json"]["properties"]) == ["round_count", "submitted_on",
                                                                                  "title"]


def test_changed_content_becomes_the_next_version(session, admin):
    files = bundle("approval")
    processes.deploy(session, files, admin)
    files["approval/approval.bpmn"] = APPROVAL.replace("审核方案", "审核整改方案").encode()
    [result] = processes.deploy(session, files, admin)
    assert (result.version, result.is_new) == (2, True)
    # a changed form is a change too
    files["approval/review-schema.json"] = b'{"type": "object", "properties": {"approved": {"type": "boolean"}}}'
    [result] = processes.deploy(session, files, admin)
    assert result.version == 3
    assert [v.version for v in versions(session)] == [1, 2, 3]


def test_called_process_is_bundled_with_its_caller(session, deploy):
    results = {r.process_id: r for r in deploy("call")}
    assert set(results) == {"opinions", "sign_off"}
    caller = processes.latest_version(session, "opinions")
    assert caller.is_startable and list(caller.other_files) == ["call/child.bpmn"]
    assert not processes.latest_version(session, "sign_off").is_startable


def refused(session, admin, files) -> list:
    with pytest.raises(DeploymentError) as caught:
        processes.deploy(session, files, admin)
    assert versions(session) == []  # nothing of the bundle was stored
    return caught.value.problems


def one_file(text: str, name: str = "broken.bpmn") -> dict[str, bytes]:
    """The approval bundle's forms with `text` as its only BPMN file."""
    files = {k: v for k, v in bundle("approval").items() if k.endswith(".json")}
    files[name] = text.encode()
    return files


def test_malformed_xml_names_file_and_line(session, admin):
    text = APPROVAL.replace("<bpmn:userTask id=\"review\"", "<bpmn:userTask id=\"review\"<")
    [problem] = refused(session, admin, one_file(text))
    assert problem.file == "broken.bpmn"
    assert problem.line == text.splitlines().index(
        next(line for line in text.splitlines() if 'id="review"<' in line)) + 1
    assert "malformed XML" in problem.message


def test_schema_error_names_line(session, admin):
    text = APPROVAL.replace('<bpmn:endEvent id="end">', '<bpmn:bogusElement id="bogus"/><bpmn:endEvent id="end">')
    [problem] = refused(session, admin, one_file(text))
    assert problem.line == next(i for i, line in enumerate(text.splitlines(), 1) if "bogusElement" in line)
    assert "bogusElement" in problem.message


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_flow_to_unknown_element_is_located(session, admin):
    text = APPROVAL.replace('targetRef="publish"', 'targetRef="does_not_exist"')
    [problem] = refused(session, admin, one_file(text))
    assert problem.element_id == "gw"
    assert problem.line == line_of(text, '<bpmn:exclusiveGateway id="gw"')
    assert "does_not_exist" in problem.message


def test_task_with_two_outgoing_flows_is_located(session, admin):
    text = APPROVAL.replace('<bpmn:outgoing>f2</bpmn:outgoing>',
                            '<bpmn:outgoing>f2</bpmn:outgoing><bpmn:outgoing>f_extra</bpmn:outgoing>')
    text = text.replace('<bpmn:sequenceFlow id="f2"',
                        '<bpmn:sequenceFlow id="f_extra" sourceRef="draft" targetRef="review"/>'
                        '<bpmn:sequenceFlow id="f2"')
    [problem] = refused(session, admin, one_file(text))
    assert problem.element_id == "draft"
    assert problem.line == line_of(text, '<bpmn:userTask id="draft"')


def test_missing_start_event_is_located(session, admin):
    text = APPROVAL.replace('<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>', "")
    text = text.replace('<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="draft"/>', "")
    text = text.replace("<bpmn:incoming>f1</bpmn:incoming>", "")
    text = text.replace("<bpmn:flowNodeRef>start</bpmn:flowNodeRef>", "")
    [problem] = refused(session, admin, one_file(text))
    assert problem.element_id == "approval" and problem.line == line_of(text, '<bpmn:process id="approval"')
    assert "start event" in problem.message.lower()


def test_condition_syntax_error_is_located(session, admin):
    text = APPROVAL.replace("approved == True", "approved == = True")
    [problem] = refused(session, admin, one_file(text))
    assert problem.element_id == "gw" and problem.line == line_of(text, '<bpmn:exclusiveGateway id="gw"')
    assert "condition" in problem.message


def test_script_syntax_error_is_located(session, admin):
    text = APPROVAL.replace("published = True", "published = (True")
    [problem] = refused(session, admin, one_file(text))
    assert problem.element_id == "publish" and problem.line == line_of(text, '<bpmn:scriptTask id="publish"')


def test_unknown_called_process_is_located(session, admin):
    files = bundle("call")
    del files["call/child.bpmn"]
    [problem] = refused(session, admin, files)
    assert problem.file == "call/parent.bpmn" and problem.element_id == "call_sign"
    assert problem.line == line_of(files["call/parent.bpmn"].decode(), 'id="call_sign"')
    assert "sign_off" in problem.message


def test_referenced_forms_must_exist_and_be_json(session, admin):
    files = bundle("approval")
    del files["approval/draft-schema.json"]
    files["approval/review-schema.json"] = b'{"type": "object",'
    problems = refused(session, admin, files)
    messages = {p.message.split(":")[0]: p for p in problems}
    missing = next(p for p in problems if "draft-schema.json" in p.message)
    assert missing.element_id == "draft" and missing.file == "approval/approval.bpmn"
    invalid = next(p for p in problems if "review-schema.json" in p.message)
    assert invalid.file == "approval/review-schema.json" and "not valid JSON" in invalid.message
    assert messages


def test_every_problem_is_reported_at_once(session, admin):
    text = APPROVAL.replace("approved == True", "approved ==").replace("published = True", "published =")
    problems = refused(session, admin, one_file(text))
    assert {p.element_id for p in problems} == {"gw", "publish"}


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" isExecutable="true"><bpmn:documentation>&lol3;</bpmn:documentation></bpmn:process>
</bpmn:definitions>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" isExecutable="true"><bpmn:documentation>&secret;</bpmn:documentation></bpmn:process>
</bpmn:definitions>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"/>"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY],
                         ids=["billion-laughs", "external-entity", "parameter-entity"])
def test_entity_attacks_are_refused(session, admin, text):
    [problem] = refused(session, admin, one_file(text, "evil.bpmn"))
    assert problem.file == "evil.bpmn" and problem.line == 2
    assert "not allowed" in problem.message and "root:" not in problem.message


def test_a_bundle_without_bpmn_is_refused(session, admin):
    [problem] = refused(session, admin, {"forms/x.json": b"{}"})  # noqa
    assert "no BPMN" in problem.message


def test_form_checker_refusals_are_located(session, admin):
    def checker(name, form):
        return ["field 'title' uses unsupported keyword 'patternProperties'"] if name == "draft-schema.json" else []

    with pytest.raises(DeploymentError) as caught:
        processes.deploy(session, bundle("approval"), admin, form_checker=checker)
    [problem] = caught.value.problems
    assert problem.file == "approval/draft-schema.json" and "patternProperties" in problem.message
    assert versions(session) == []


def test_dmn_decision_is_deployed_with_its_process(session, deploy, start):
    [result] = deploy("dmn")
    version = processes.latest_version(session, "graded")
    assert (result.process_id, list(version.other_files)) == ("graded", ["dmn/grade.dmn"])
    for rate, grade in ((0.95, "满意"), (0.7, "基本满意"), (0.3, "不满意")):
        instance = start("graded", {"satisfied_rate": rate})
        assert instances.task_data(session, instance)["grade"] == grade


def test_broken_dmn_is_located(session, admin):
    files = bundle("dmn")
    text = files["dmn/grade.dmn"].decode().replace('hitPolicy="FIRST"', 'hitPolicy="SOMETIMES"')
    files["dmn/grade.dmn"] = text.encode()
    [problem] = refused(session, admin, files)
    assert problem.file == "dmn/grade.dmn" and problem.line == line_of(text, "SOMETIMES")
    assert "SOMETIMES" in problem.message
