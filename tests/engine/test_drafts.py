"""Drafts: the bundle of deployed files with the draft in place of its namesakes, checks, deploy."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine.errors import DeploymentError, InvalidInput, NotFound, PermissionDenied
from engine.models import AuditEvent, ProcessDraft
from engine.services import drafts, processes
from tests.conftest import DATA, bundle

CHILD = (DATA / "call" / "child.bpmn").read_text()


def test_the_deployed_bundle_has_each_file_once(session, admin):
    processes.deploy(session, {**bundle("call"), **bundle("inbox")}, admin)
    files = drafts.deployed_bundle(session)
    assert set(files) == {"call/parent.bpmn", "call/child.bpmn", "inbox/plan.bpmn", "forms/plan-schema.json",
                          "forms/plan-uischema.json", "forms/confirm-schema.json", "forms/start-schema.json"}
    assert json.loads(files["forms/confirm-schema.json"])["required"] == ["confirmed"]
    assert processes.deploy(session, files, admin)[0].is_new is False  # the same content again


def test_a_draft_of_a_called_process_deploys_its_callers_too(session, admin):
    processes.deploy(session, bundle("call"), admin)
    drafts.save_draft(session, "sign_off", CHILD.replace('name="审定签发"', 'name="签发"'), admin)
    assert drafts.check(session, "sign_off", admin) == []
    results = {r.process_id: (r.version, r.is_new) for r in drafts.deploy_draft(session, "sign_off", admin)}
    assert results == {"opinions": (2, True), "sign_off": (2, True)}
    assert session.scalars(select(ProcessDraft)).all() == []
    assert "签发" in processes.latest_version(session, "opinions").other_files["call/child.bpmn"]


def test_checks_report_problems_with_their_element(session, admin):
    processes.deploy(session, bundle("call"), admin)
    drafts.save_draft(session, "sign_off", CHILD.replace('targetRef="e"', 'targetRef="nowhere"'), admin)
    problems = drafts.check(session, "sign_off", admin)
    assert problems and problems[0].file == "call/child.bpmn" and problems[0].element_id


def test_forms_go_into_the_draft(session, admin):
    processes.deploy(session, bundle("inbox"), admin)
    drafts.save_form(session, "plan", "confirm-schema.json", '{"type": "object", "properties": {}}', admin)
    draft = drafts.get_draft(session, "plan")
    assert draft.base_version == 1 and "confirm-schema.json" in draft.forms
    assert drafts.form_texts(session, "plan")["confirm-schema.json"] == '{"type": "object", "properties": {}}'
    with pytest.raises(InvalidInput):
        drafts.save_form(session, "plan", "bad.json", "{", admin)
    with pytest.raises(InvalidInput):
        drafts.save_form(session, "plan", "../escape.json", "{}", admin)
    drafts.discard(session, "plan", admin)
    assert drafts.get_draft(session, "plan") is None
    kinds = set(session.scalars(select(AuditEvent.event_type)))
    assert {"process_draft_saved", "process_form_saved", "process_draft_discarded"} <= kinds


def test_a_draft_must_define_its_process_and_only_admins_edit(session, admin, make_user):
    processes.deploy(session, bundle("call"), admin)
    with pytest.raises(DeploymentError) as refused:
        drafts.save_draft(session, "sign_off", (DATA / "call" / "parent.bpmn").read_text(), admin)
    assert [(p.file, p.code) for p in refused.value.problems] == [("call/child.bpmn", "process_not_defined")]
    with pytest.raises(NotFound):
        drafts.check(session, "sign_off", admin)
    with pytest.raises(PermissionDenied):
        drafts.save_draft(session, "sign_off", CHILD, make_user("clerk", is_auditor=True))
