"""BPMN exported by other modelers either deploys or is refused with one problem per unsupported
element (never an unexpected exception)."""
from __future__ import annotations

import pytest

from engine.errors import DeploymentError
from engine.services import drafts, processes
from tests.conftest import DATA

FOREIGN = DATA / "foreign"


def refused(session, admin, name: str, text: str | None = None) -> list:
    content = text.encode() if text is not None else (FOREIGN / name).read_bytes()
    with pytest.raises(DeploymentError) as caught:
        processes.deploy(session, {name: content}, admin)
    return caught.value.problems


def by_element(problems) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.element_id, []).append(problem.message)
    return found


def test_camunda_7_extensions_are_named_one_by_one(session, admin):
    found = by_element(refused(session, admin, "camunda7_invoice.bpmn"))
    assert any("camunda:formKey" in m for m in found["StartEvent_1"])
    assert {m.split("=")[0] for m in found["approve_invoice"] if m.startswith("camunda:")} == \
        {"camunda:assignee", "camunda:candidateGroups", "camunda:dueDate", "camunda:formData is not supported; "
         "write the form as a JSON Schema file (formJsonSchemaFilename)",
         "camunda:taskListener is not supported; listeners are not run; use a script task"}
    assert any("needs a DMN decision" in m for m in found["assign_approver"])
    assert any("camunda:class" in m for m in found["archive_invoice"])
    assert any("groovy" in m for m in found["log_reminder"])
    assert any("needs quotes" in m for m in found["remind_timer"])
    assert all("JUEL" in m for m in found["Flow_yes"] + found["Flow_no"])
    assert any("candidateStarterGroups" in m for m in found["invoice_approval"])
    assert all(p.line for p in refused(session, admin, "camunda7_invoice.bpmn"))


def test_signavio_constructs_pingyi_does_not_run(session, admin):
    found = by_element(refused(session, admin, "signavio_complaints.bpmn"))
    assert len(found) == 4
    messages = " ".join(m for ms in found.values() for m in ms)
    for word in ("complex gateways", "conditional events", "data stores"):
        assert word in messages
    assert "signavioMetaData" not in messages  # metadata is ignored


def test_camunda_8_zeebe_extensions(session, admin):
    found = by_element(refused(session, admin, "camunda8_zeebe.bpmn"))
    assert set(found) == {"start", "decide", "notify"}
    assert any("zeebe:taskDefinition" in m for m in found["notify"])


def test_a_plain_bpmn_io_export_deploys(session, admin):
    [result] = processes.deploy(session, {"review.bpmn": (FOREIGN / "bpmnio_review.bpmn").read_bytes()}, admin)
    assert (result.process_id, result.version) == ("Process_review", 1)


def test_a_non_executable_export_names_its_process(session, admin):
    text = (FOREIGN / "bpmnio_review.bpmn").read_text().replace('isExecutable="true"', 'isExecutable="false"')
    [problem] = refused(session, admin, "review.bpmn", text)
    assert problem.element_id == "Process_review" and "not executable" in problem.message


@pytest.mark.parametrize("mutation", [
    ("<bpmn:manualTask", "<bpmn:complexGateway"),  # unknown to SpiffWorkflow and wrongly shaped
    ('sourceRef="StartEvent_1"', 'sourceRef="nowhere"'),
    ("<bpmn:process ", "<bpmn:process xmlns:foo='urn:x' foo:bar='1' "),
    ("</bpmn:userTask>", "<bpmn:multiInstanceLoopCharacteristics/></bpmn:userTask>"),
    ('isExecutable="true"', 'isExecutable="true"><bpmn:ioSpecification id="io"/'),
])
def test_odd_files_are_refused_or_deployed_never_crash(session, admin, mutation):
    text = (FOREIGN / "bpmnio_review.bpmn").read_text().replace(*mutation, 1)
    try:
        processes.deploy(session, {"odd.bpmn": text.encode()}, admin)
    except DeploymentError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


def test_an_upload_becomes_a_draft_of_the_process_it_defines(session, admin):
    draft = drafts.upload_new(session, "Camunda export.bpmn", (FOREIGN / "camunda7_invoice.bpmn").read_bytes(), admin)
    assert (draft.process_id, draft.file_name, draft.base_version) == ("invoice_approval", "Camunda_export.bpmn", None)
    problems = drafts.check(session, "invoice_approval", admin)
    assert "Flow_yes" in {p.element_id for p in problems}
