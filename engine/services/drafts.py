"""Drafts of process models edited in the browser, checked and deployed as a new version.

The bundle a draft is checked and deployed in is the current bundle of deployed files (the
files of every process's latest version: its BPMN file, the files of the processes it calls,
its forms), with the draft's BPMN file and form files put in place of their namesakes.
"""
from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from xml.sax.saxutils import escape

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, bpmn, clock, model_warnings
from engine.errors import DeploymentError, InvalidInput, NotFound, Problem
from engine.models import ProcessDraft, User
from engine.permissions import require_admin
from engine.problems import problem
from engine.services import processes
from engine.versions import BPMN

FORMS_DIR = "forms"
_FORM_NAME = re.compile(r"^[\w\u4e00-\u9fff.-]{1,120}\.json$")
_FILE_NAME = re.compile(r"[^\w\u4e00-\u9fff.-]+")
PROCESS_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$")  # an NCName that is safe in a URL path


def get_draft(session: Session, process_id: str) -> ProcessDraft | None:
    return session.scalars(select(ProcessDraft).where(ProcessDraft.process_id == process_id)).first()


def current(session: Session, process_id: str) -> tuple[str, str, ProcessDraft | None]:
    """(file name, BPMN XML, draft): the admin's draft, else the latest deployed version."""
    draft = get_draft(session, process_id)
    if draft is not None:
        return draft.file_name, draft.bpmn_xml, draft
    version = processes.latest_version(session, process_id)
    return version.file_name, version.bpmn_xml, None


def deployed_bundle(session: Session) -> dict[str, bytes]:
    """Every file of the latest versions: main files win over copies held by callers."""
    latest = sorted(processes.list_latest(session), key=lambda v: v.deployed_at)
    main = {v.file_name: v.bpmn_xml for v in latest}
    defined = {pid for text in main.values() for pid in _process_ids(text)}
    files: dict[str, bytes] = {}
    forms: dict[str, dict] = {}
    for version in latest:
        for name, text in (version.other_files or {}).items():
            if name not in main and not _process_ids(text) & defined:  # not a stale copy of a main file
                files[name] = text.encode("utf-8")
        forms.update(version.forms or {})
    files.update({name: text.encode("utf-8") for name, text in main.items()})
    for name, form in forms.items():
        files[f"{FORMS_DIR}/{name}"] = json.dumps(form, ensure_ascii=False, indent=2).encode("utf-8")
    return files


def _process_ids(text: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?process\b[^>]*\bid=\"([^\"]+)\"", text or ""))


def bundle_with(session: Session, draft: ProcessDraft) -> dict[str, bytes]:
    files = deployed_bundle(session)
    files[draft.file_name] = draft.bpmn_xml.encode("utf-8")
    for name, text in (draft.forms or {}).items():
        for existing in [n for n in files if PurePosixPath(n).name == name]:
            del files[existing]
        files[f"{FORMS_DIR}/{name}"] = text.encode("utf-8")
    return files


def form_users(session: Session, name: str, besides: str) -> list[tuple[str, str]]:
    """(process id, name) of the other processes whose latest version uses the form `name`: a change
    to it deploys them too, as new versions."""
    return sorted((v.process_id, v.name or v.process_id) for v in processes.list_latest(session)
                  if v.process_id != besides and name in (v.forms or {}))


def form_texts(session: Session, process_id: str) -> dict[str, str]:
    """Every form file the draft's bundle holds, by file name (the draft's own versions first)."""
    forms = {PurePosixPath(n).name: c.decode("utf-8") for n, c in deployed_bundle(session).items()
             if n.endswith(".json")}
    draft = get_draft(session, process_id)
    forms.update((draft.forms or {}) if draft is not None else {})
    return dict(sorted(forms.items()))


def _defines(tree, process_id: str) -> bool:
    return any(p.get("id") == process_id for p in tree.getroot().iter(f"{{{BPMN}}}process"))


def save_draft(session: Session, process_id: str, xml: str, actor: User, source: str = "editor") -> ProcessDraft:
    """Keep the edited BPMN as the process's draft (well-formed XML defining the process, which is
    marked executable)."""
    require_admin(actor, "edit process models")
    draft = get_draft(session, process_id)
    latest = processes.latest_version(session, process_id, required=False) if draft is None else None
    if draft is None and latest is None:
        raise NotFound(f"No process '{process_id}' is deployed.", process=process_id)
    file_name = draft.file_name if draft is not None else latest.file_name
    try:
        content = xml.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a client: not text at all
        raise DeploymentError([problem(file_name, "not_text")]) from None
    tree = bpmn.parse_xml(file_name, content)
    if not _defines(tree, process_id):
        raise DeploymentError([problem(file_name, "process_not_defined", process=process_id)])
    xml = _executable(tree, process_id, xml)
    if draft is None:
        draft = ProcessDraft(process_id=process_id, file_name=latest.file_name, base_version=latest.version,
                             forms={}, created_by_id=actor.id, created_at=clock.now())
        session.add(draft)
    draft.bpmn_xml, draft.updated_by_id, draft.updated_at = xml, actor.id, clock.now()
    session.flush()
    audit.record(session, "process_draft_saved", actor, process_id=process_id,
                 details={"file": draft.file_name, "source": source, "size": len(xml)})
    return draft


def _executable(tree, process_id: str, xml: str) -> str:
    """The XML with the edited process marked executable (isExecutable="true").

    A process is edited here to be run: Pingyi deploys and starts only executable processes, its
    editor has no switch for the flag, and other modelers write isExecutable="false" by default
    (bpmn.io does). Refusing the draft would send the admin to edit XML by hand for a flag whose
    only sensible value is true, and deploying it as it is would quietly leave the process out
    ("nothing changed"). Other processes of the file (a pool standing for an outside party) keep
    their flag. The text is rewritten only when the flag changes."""
    process = next(p for p in tree.getroot().iter(f"{{{BPMN}}}process") if p.get("id") == process_id)
    if process.get("isExecutable") == "true":
        return xml
    process.set("isExecutable", "true")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(tree, encoding="unicode")


_SKELETON = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Definitions_{id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="{id}" name="{name}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>flow_start</bpmn:outgoing></bpmn:startEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>flow_start</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="end"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_{id}">
    <bpmndi:BPMNPlane id="Plane_{id}" bpmnElement="{id}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="180" y="160" width="36" height="36"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="420" y="160" width="36" height="36"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_start_di" bpmnElement="flow_start">
        <di:waypoint x="216" y="178"/><di:waypoint x="420" y="178"/></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def new_process(session: Session, process_id: str, name: str, actor: User) -> ProcessDraft:
    """The draft of a new process: a start and an end event, to be drawn on in the modeler."""
    require_admin(actor, "edit process models")
    process_id, name = (process_id or "").strip(), " ".join((name or "").split())
    if not PROCESS_ID.match(process_id):
        raise InvalidInput("The process id must be a plain name.", errors={"process_id": "invalid"})
    if not name or len(name) > 100:
        raise InvalidInput("The process needs a name of at most 100 characters.", errors={"name": "required"})
    if get_draft(session, process_id) or processes.latest_version(session, process_id, required=False):
        raise InvalidInput("A process with this id exists.", errors={"process_id": "taken"})
    xml = _SKELETON.format(id=process_id, name=escape(name, {'"': "&quot;"}))
    return upload_new(session, f"{process_id}.bpmn", xml.encode("utf-8"), actor)


def upload_new(session: Session, file_name: str, content: bytes, actor: User) -> ProcessDraft:
    """A .bpmn file from any modeler becomes the draft of the process it defines (a new one, or
    the next version of a deployed one)."""
    require_admin(actor, "edit process models")
    tree = bpmn.parse_xml(file_name, content)
    found = [p for p in tree.getroot().iter(f"{{{BPMN}}}process") if p.get("id")]
    if not found:
        raise DeploymentError([problem(file_name, "no_process")])
    chosen = next((p for p in found if p.get("isExecutable") == "true"), found[0]).get("id")
    if not PROCESS_ID.match(chosen):
        raise DeploymentError([problem(file_name, "process_id_invalid", chosen[:80], process=chosen[:80])])
    if get_draft(session, chosen) is None and processes.latest_version(session, chosen, required=False) is None:
        name = _FILE_NAME.sub("_", PurePosixPath(file_name or "").name) or f"{chosen}.bpmn"
        if not name.endswith(bpmn.BPMN_SUFFIXES):
            name += ".bpmn"
        if name in deployed_bundle(session):
            name = f"{chosen}-{name}"
        session.add(ProcessDraft(process_id=chosen, file_name=name, bpmn_xml="", base_version=None, forms={},
                                 created_by_id=actor.id, created_at=clock.now()))
        session.flush()
    return save_draft(session, chosen, _text(content, tree), actor, source="upload")


def upload_into(session: Session, process_id: str, file_name: str, content: bytes, actor: User) -> ProcessDraft:
    """A .bpmn file replaces the draft of a process (it must define that process)."""
    tree = bpmn.parse_xml(file_name, content)
    return save_draft(session, process_id, _text(content, tree), actor, source="upload")


def _text(content: bytes, tree) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:  # another declared encoding: lxml read it, write it back as text
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(tree.getroot(), encoding="unicode")


def save_form(session: Session, process_id: str, name: str, text: str, actor: User) -> ProcessDraft:
    """Put a form file into the process's draft (the draft starts from the latest version)."""
    require_admin(actor, "edit forms")
    if not _FORM_NAME.match(name or ""):
        raise InvalidInput("A form file name ends in .json and has letters, digits, '.', '-' or '_'.",
                           errors={"name": "invalid"})
    try:
        json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"{name} is not valid JSON: {exc}", errors={"text": str(exc)}) from None
    except RecursionError:
        raise InvalidInput(f"{name} nests too deeply.", errors={"text": "depth"}) from None
    draft = get_draft(session, process_id)
    if draft is None:
        _file, xml, _none = current(session, process_id)
        draft = save_draft(session, process_id, xml, actor, source="form")
    draft.forms = {**(draft.forms or {}), name: text}
    draft.updated_by_id, draft.updated_at = actor.id, clock.now()
    session.flush()
    audit.record(session, "process_form_saved", actor, process_id=process_id,
                 details={"form": name, "size": len(text)})
    return draft


def discard(session: Session, process_id: str, actor: User) -> None:
    require_admin(actor, "edit process models")
    draft = get_draft(session, process_id)
    if draft is not None:
        session.delete(draft)
        session.flush()
        audit.record(session, "process_draft_discarded", actor, process_id=process_id,
                     details={"file": draft.file_name, "forms": sorted(draft.forms or {})})


def check(session: Session, process_id: str, actor: User, form_checker=None, pair_checker=None) -> list[Problem]:
    """The problems deployment would report for the draft's bundle ([] when it would deploy)."""
    require_admin(actor, "check process models")
    draft = get_draft(session, process_id)
    if draft is None:
        raise NotFound(f"There is no draft of '{process_id}'.", process=process_id)
    files = bundle_with(session, draft)
    try:
        parsed = bpmn.check_bundle(files)
        if form_checker is not None:
            bpmn.check_forms(parsed, files, form_checker, pair_checker)
    except DeploymentError as exc:
        return exc.problems
    return []


def warnings(session: Session, process_id: str) -> list[Problem]:
    """What the draft names that reaches nobody: lanes, candidates and assignees naming no group or
    user (engine/model_warnings.py). Check and Deploy show them; they do not stop a deployment."""
    draft = get_draft(session, process_id)
    return model_warnings.check(session, draft.file_name, draft.bpmn_xml) if draft is not None else []


def deploy_draft(session: Session, process_id: str, actor: User, form_checker=None,
                 pair_checker=None) -> list[processes.Deployed]:
    """Deploy the bundle with the draft in it (raises DeploymentError); the draft is then gone."""
    require_admin(actor, "deploy process models")
    draft = get_draft(session, process_id)
    if draft is None:
        raise NotFound(f"There is no draft of '{process_id}'.", process=process_id)
    results = processes.deploy(session, bundle_with(session, draft), actor, form_checker=form_checker,
                               pair_checker=pair_checker)
    audit.record(session, "process_draft_deployed", actor, process_id=process_id,
                 details={"file": draft.file_name, "versions": {r.process_id: r.version for r in results if r.is_new}})
    session.delete(draft)
    session.flush()
    return results
