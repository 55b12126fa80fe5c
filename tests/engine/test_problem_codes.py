"""Every problem a model check reports has a stable code and parameters (the web layer translates
them) besides its English message; the task title is checked like the instructions; a process
edited in Pingyi is executable; the file a draft's problem names is the draft's own."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from engine import assignment, bpmn, foreign
from engine.errors import DeploymentError, ScriptError
from engine.models import ProcessVersion
from engine.problems import TEMPLATES, CodedProblem
from engine.services import drafts, processes
from tests.conftest import DATA, bundle

APPROVAL = (DATA / "approval" / "approval.bpmn").read_text()
FOREIGN = DATA / "foreign"


def refused(files: dict) -> list[CodedProblem]:
    with pytest.raises(DeploymentError) as caught:
        bpmn.check_bundle(files)
    problems = caught.value.problems
    for problem in problems:  # each is coded, and its English message is its template filled in
        assert isinstance(problem, CodedProblem) and problem.code in TEMPLATES
        assert problem.message == TEMPLATES[problem.code] % {"line": problem.line, **problem.params}
    return problems


def approval(text: str) -> dict:
    return {**bundle("approval"), "approval/approval.bpmn": text.encode()}


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def with_title(title: str) -> str:
    return APPROVAL.replace('<spiffworkflow:property name="priority" value="2"/>',
                            f'<spiffworkflow:property name="priority" value="2"/>'
                            f'<spiffworkflow:property name="title" value="{title}"/>')


def test_a_broken_title_template_is_refused_on_its_element():
    text = with_title("起草{% if %}")
    [problem] = refused(approval(text))
    assert (problem.code, problem.element_id) == ("title_template", "draft")
    assert problem.line == line_of(text, '<bpmn:userTask id="draft"')
    assert problem.message.startswith("title: ") and "Expected an expression" in problem.params["error"]


def test_a_title_that_fails_while_running_is_named_as_the_title():
    spec = SimpleNamespace(bpmn_id="draft", name="draft", bpmn_name="起草方案", lane=None,
                           extensions={"properties": {"title": "起草{{ missing.part }}"},
                                       "instructionsForEndUser": "请起草"})
    with pytest.raises(ScriptError) as caught:
        assignment.describe(SimpleNamespace(task_spec=spec, data={}, id="t1"))
    assert "): title: " in caught.value.message and "instructions" not in caught.value.message
    spec.extensions = {"instructionsForEndUser": "请起草{{ missing.part }}"}
    with pytest.raises(ScriptError) as caught:
        assignment.describe(SimpleNamespace(task_spec=spec, data={}, id="t1"))
    assert "): instructions: " in caught.value.message


@pytest.mark.parametrize(("old", "new", "code", "params"), [
    ('<bpmn:userTask id="review"', '<bpmn:userTask id="review"<', "xml_malformed",
     {"xml_error": "attributes construct error"}),
    ('targetRef="publish"', 'targetRef="nowhere"', "flow_unknown_target", {"target": "nowhere"}),
    ("approved == True", "approved == = True", "condition_syntax", {"target": "publish"}),
    ("published = True", "published = (True", "script_syntax", {}),
    ('isExecutable="true"', 'isExecutable="false"', "not_executable", {"process": "approval"}),
])
def test_each_kind_has_its_code_and_parameters(old, new, code, params):
    [problem] = refused(approval(APPROVAL.replace(old, new)))
    assert problem.code == code
    assert params.items() <= problem.params.items()


def test_malformed_xml_keeps_its_line_and_column():
    [problem] = refused({"x.bpmn": b"<a></b>"})
    assert (problem.code, problem.line, problem.params) == (
        "xml_malformed", 1, {"column": 8, "xml_error": "Opening and ending tag mismatch: a line 1 and b"})
    [empty] = refused({"x.bpmn": b""})
    assert empty.params == {"column": 1, "xml_error": "Document is empty"}
    [declared] = refused({"x.bpmn": b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e "x">]>\n<d/>'})
    assert (declared.code, declared.line) == ("xml_declaration", 2)


def test_a_duplicate_id_names_the_element():
    text = APPROVAL.replace('<bpmn:endEvent id="end">', '<bpmn:userTask id="review"/><bpmn:endEvent id="end">')
    [problem] = refused(approval(text))
    assert (problem.code, problem.element_id, problem.params["id"]) == ("duplicate_id", "review", "review")
    assert problem.line == line_of(text, '<bpmn:userTask id="review"/>')


def test_schema_errors_name_the_element_and_say_what_is_wrong():
    text = APPROVAL.replace('<bpmn:sequenceFlow id="f1" sourceRef="start"', '<bpmn:sequenceFlow id="f1"')
    [problem] = refused(approval(text))
    assert (problem.code, problem.element_id) == ("attribute_missing", "f1")
    assert problem.params == {"tag": "sequenceFlow", "attribute": "sourceRef"}


def test_form_files_problems_are_coded():
    files = bundle("approval")
    del files["approval/draft-schema.json"]
    files["approval/review-schema.json"] = b'{"type": "object",\n "x": 1 "y": 2}'
    problems = {p.code: p for p in refused(files)}
    assert problems["form_missing"].params == {"form": "draft-schema.json"}
    invalid = problems["form_not_json"]
    assert (invalid.file, invalid.line) == ("approval/review-schema.json", 2)
    assert invalid.params == {"form": "review-schema.json", "column": 9, "json_error": "Expecting ',' delimiter"}


def test_form_checker_messages_are_kept_as_the_problem_parameter():
    def checker(name, form):
        return ["field 'a': unsupported type 'strin'"] if name == "draft-schema.json" else []

    files = bundle("approval")
    with pytest.raises(DeploymentError) as caught:
        bpmn.check_forms(bpmn.check_bundle(files), files, checker)
    [problem] = caught.value.problems
    assert (problem.code, problem.params) == ("form_check", {"problem": "field 'a': unsupported type 'strin'"})
    assert problem.message == "field 'a': unsupported type 'strin'"


def test_foreign_constructs_are_coded_with_their_hint():
    from lxml import etree

    tree = etree.ElementTree(etree.fromstring((FOREIGN / "camunda7_invoice.bpmn").read_bytes()))
    found = foreign.problems("invoice.bpmn", tree)
    assert found and all(p.code in TEMPLATES for p in found)
    hinted = [p for p in found if p.code.endswith("_hint")]
    assert hinted and all(p.params["hint"] in foreign.HINTS.values() for p in hinted)


def test_a_draft_names_its_own_file_and_is_made_executable(session, admin):
    processes.deploy(session, bundle("approval"), admin)
    with pytest.raises(DeploymentError) as caught:
        drafts.save_draft(session, "approval", APPROVAL.replace('<bpmn:userTask id="review"', "<bpmn:userTask <"),
                          admin)
    assert [p.file for p in caught.value.problems] == ["approval/approval.bpmn"]

    edited = APPROVAL.replace('isExecutable="true"', 'isExecutable="false"').replace("审核方案", "审核计划")
    draft = drafts.save_draft(session, "approval", edited, admin)
    assert 'isExecutable="true"' in draft.bpmn_xml and "审核计划" in draft.bpmn_xml
    assert drafts.check(session, "approval", admin) == []
    [result] = drafts.deploy_draft(session, "approval", admin)
    assert (result.version, result.is_new) == (2, True)
    deployed = session.scalars(select(ProcessVersion).where(ProcessVersion.version == 2)).one()
    assert "审核计划" in deployed.bpmn_xml


def test_an_uploaded_bpmn_io_file_keeps_its_other_pools_as_they_are(session, admin):
    two_pools = (FOREIGN / "bpmnio_review.bpmn").read_text().replace('isExecutable="true"', 'isExecutable="false"')
    two_pools = two_pools.replace("</bpmn:definitions>",
                                  '<bpmn:process id="outside" isExecutable="false"/></bpmn:definitions>')
    draft = drafts.upload_new(session, "review.bpmn", two_pools.encode(), admin)
    assert draft.process_id == "Process_review"
    assert dict(_executable_flags(draft.bpmn_xml)) == {"Process_review": "true", "outside": "false"}
    assert "Review a suggestion" in draft.bpmn_xml


def _executable_flags(xml: str):
    from lxml import etree

    for process in etree.fromstring(xml.encode()).iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}process"):
        yield process.get("id"), process.get("isExecutable")

