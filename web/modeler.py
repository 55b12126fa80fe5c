"""The in-browser BPMN editor (bpmn-js Modeler with our side panel, static/modeler.js), for
administrators: a draft per process kept on the server, checked with the deployment's own checks
(each problem shown on its element), deployed as a new version; download and upload .bpmn."""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from engine import connectors
from engine.errors import DeploymentError, InvalidInput
from engine.models import Group
from engine.services import ballots, drafts, processes
from web.cli import FORM_CHECKS
from web.db import get_session
from web.display import list_separator
from web.model_problems import as_dicts
from web.modeler_labels import labels
from web.process_admin import require_admin

bp = Blueprint("modeler", __name__, url_prefix="/processes")


def operations() -> dict:
    return {name: {"required": list(op.required), "optional": list(op.optional), "doc": op.doc}
            for name, op in sorted(connectors.registry().items())}


def _literal(text: str) -> str:
    """A parameter value is a Python expression: a name chosen from a list becomes a string literal."""
    return json.dumps(text, ensure_ascii=False)


def parameter_choices(session) -> dict:
    """Choices for some operation parameters (the ballot settings): {operation: {parameter: [[value, label]]}}."""
    rule_sets = [[_literal(code), f"{code} – {rule.get('name', code)}"]
                 for code, rule in sorted(ballots.rule_sets(session).items())]
    groups = [[_literal(g.name), f"{g.name} – {g.title}" if g.title and g.title != g.name else g.name]
              for g in session.scalars(select(Group).order_by(Group.name))]
    kinds = [[_literal("meeting"), _("Evaluation meeting")],
             [_literal("reevaluation"), _("Re-evaluation of the rectification")]]
    return {"ballot.open": {"rule_set": rule_sets, "kind": kinds, "committee_group": groups, "deputy_group": groups},
            "ballot.ranking": {"kind": kinds}}


NEW_PROCESS_ERRORS = {
    ("process_id", "invalid"): _l("The id must start with a letter and use only letters, digits, '_', '-' and '.' "
                                  "(it appears in addresses), e.g. dept_survey."),
    ("process_id", "taken"): _l("A process with this id already exists: choose another id, or edit that one."),
    ("name", "required"): _l("Give the process a name of at most 100 characters (users see it)."),
}


@bp.post("/new")
@login_required
def new_process():
    """A new process from nothing: its draft holds a start and an end event, and the modeler opens it."""
    require_admin()
    session = get_session()
    try:
        draft = drafts.new_process(session, request.form.get("process_id", ""), request.form.get("name", ""),
                                   current_user)
    except InvalidInput as exc:
        session.rollback()
        for key in exc.errors.items():
            flash(str(NEW_PROCESS_ERRORS.get(key, _("Please check this."))), "danger")
        return redirect(url_for("models.index"))
    session.commit()
    return redirect(url_for(".edit", process_id=draft.process_id))


@bp.get("/<process_id>/edit")
@login_required
def edit(process_id: str):
    require_admin()
    session = get_session()
    file_name, _xml, draft = drafts.current(session, process_id)
    latest = processes.latest_version(session, process_id, required=False)
    data = {
        "processId": process_id, "fileName": file_name,
        "urls": {"xml": url_for(".draft_xml", process_id=process_id), "save": url_for(".save", process_id=process_id),
                 "check": url_for(".check", process_id=process_id), "deploy": url_for(".deploy", process_id=process_id),
                 "forms": url_for(".upload_form", process_id=process_id),
                 "formEditor": url_for("form_editor.edit", name="__NAME__", process=process_id),
                 "descriptor": url_for("static", filename="spiffworkflow-moddle.json")},
        "forms": sorted(drafts.form_texts(session, process_id)),
        "operations": operations(),
        "choices": parameter_choices(session),
        "labels": labels(),
    }
    return render_template("models/edit.html", process_id=process_id, draft=draft, latest=latest, data=data,
                           file_name=file_name)


@bp.get("/<process_id>/draft.bpmn")
@login_required
def draft_xml(process_id: str):
    require_admin()
    _file, xml, _draft = drafts.current(get_session(), process_id)
    return Response(xml, mimetype="application/xml", headers={"Cache-Control": "no-store"})


@bp.get("/<process_id>/download.bpmn")
@login_required
def download(process_id: str):
    require_admin()
    file_name, xml, _draft = drafts.current(get_session(), process_id)
    name = file_name.rsplit("/", 1)[-1]
    return Response(xml, mimetype="application/xml",
                    headers={"Content-Disposition": f"attachment; filename=\"{name}\"", "Cache-Control": "no-store"})


class _Unreadable(Exception):
    """The request body is JSON nested too deeply to be read (the editor never sends such a thing)."""


def _xml_from_request() -> str:
    try:
        payload = request.get_json(silent=True) or {}
    except RecursionError:
        raise _Unreadable from None
    xml = payload.get("xml") if isinstance(payload, dict) else None
    if not isinstance(xml, str) or not xml.strip():
        raise InvalidInput("No diagram was sent.", errors={"xml": "required"})
    return xml


def _unreadable(key: str, process_id: str):
    """The 400 answer to a body nested too deeply, as one problem the editor lists."""
    message = _("The request is nested too deeply to be read.")
    return jsonify({key: False, "problems": [{"file": drafts.current(get_session(), process_id)[0], "element_id": "",
                                             "line": None, "message": message}]}), 400


def _save_posted(session, process_id: str):
    """Save the posted diagram as the draft: (draft, None), or (None, the 4xx answer naming the problems)."""
    try:
        return drafts.save_draft(session, process_id, _xml_from_request(), current_user), None
    except DeploymentError as exc:
        session.rollback()
        return None, (jsonify({"saved": False, "problems": as_dicts(exc.problems)}), 422)
    except _Unreadable:
        return None, _unreadable("saved", process_id)


@bp.post("/<process_id>/draft")
@login_required
def save(process_id: str):
    require_admin()
    session = get_session()
    draft, refused = _save_posted(session, process_id)
    if refused:
        return refused
    session.commit()
    return jsonify({"saved": True, "updated_at": draft.updated_at.isoformat()})


@bp.post("/<process_id>/check")
@login_required
def check(process_id: str):
    """Save the posted diagram as the draft, then report what deployment would refuse."""
    require_admin()
    session = get_session()
    _draft, refused = _save_posted(session, process_id)
    if refused:
        return refused
    problems = drafts.check(session, process_id, current_user, **FORM_CHECKS)
    warnings = as_dicts(drafts.warnings(session, process_id))
    session.commit()
    return jsonify({"saved": True, "problems": as_dicts(problems), "warnings": warnings})


@bp.post("/<process_id>/deploy")
@login_required
def deploy(process_id: str):
    """Save the posted diagram, then deploy the bundle with it as a new version (or report why not)."""
    require_admin()
    session = get_session()
    warnings = []
    try:
        drafts.save_draft(session, process_id, _xml_from_request(), current_user)
        session.commit()
        warnings = as_dicts(drafts.warnings(session, process_id))
        results = drafts.deploy_draft(session, process_id, current_user, **FORM_CHECKS)
    except DeploymentError as exc:
        session.rollback()
        return jsonify({"deployed": False, "problems": as_dicts(exc.problems), "warnings": warnings}), 422
    except _Unreadable:
        return _unreadable("deployed", process_id)
    session.commit()
    mine = next((r for r in results if r.process_id == process_id), None)
    others = [r for r in results if r.is_new and r.process_id != process_id]
    if mine is not None and mine.is_new:
        flash(_("Version %(n)s of %(process)s is deployed; new instances start on it.", n=mine.version,
                process=process_id), "success")
    if others:  # a form they share changed with this one
        named = [_("%(process)s version %(n)s", process=_title(session, r.process_id), n=r.version) for r in others]
        flash(_("The changed forms are also used by other processes, which got new versions: %(versions)s.",
                versions=list_separator().join(named)), "info")
    if not (mine is not None and mine.is_new) and not others:
        flash(_("Nothing changed: no new version was deployed."), "info")
    _flash_warnings(warnings)
    number = mine.version if mine is not None else None
    return jsonify({"deployed": True, "warnings": warnings,
                    "versions": {r.process_id: r.version for r in results if r.is_new},
                    "redirect": url_for("models.show", process_id=process_id, number=number)
                    if number else url_for("models.index")})


FLASHED_WARNINGS = 5  # the rest in a count: the session cookie stays small


def _flash_warnings(warnings: list[dict]) -> None:
    """Deployed all the same: the next page says what in the model reaches nobody."""
    for item in warnings[:FLASHED_WARNINGS]:
        flash(_("Warning (%(element)s): %(message)s", element=item["element_id"] or item["file"],
                message=item["message"]), "warning")
    if len(warnings) > FLASHED_WARNINGS:
        flash(_("%(n)s more warnings: Check in the editor lists them all.", n=len(warnings) - FLASHED_WARNINGS),
              "warning")


def _title(session, process_id: str) -> str:
    return processes.latest_version(session, process_id).name or process_id


@bp.post("/<process_id>/discard")
@login_required
def discard(process_id: str):
    require_admin()
    session = get_session()
    drafts.discard(session, process_id, current_user)
    session.commit()
    flash(_("The draft was discarded."), "info")
    if processes.latest_version(session, process_id, required=False) is None:
        return redirect(url_for("models.index"))
    return redirect(url_for(".edit", process_id=process_id))


@bp.post("/<process_id>/upload")
@login_required
def upload(process_id: str):
    """A .bpmn file replaces the draft (it must define this process)."""
    require_admin()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a .bpmn file."), "danger")
        return redirect(url_for(".edit", process_id=process_id))
    session = get_session()
    try:
        drafts.upload_into(session, process_id, upload.filename, upload.read(), current_user)
    except DeploymentError as exc:
        session.rollback()
        return render_template("models/problems.html", problems=as_dicts(exc.problems), file_name=upload.filename), 422
    session.commit()
    flash(_("The uploaded file is the draft now. Check it and deploy it."), "info")
    return redirect(url_for(".edit", process_id=process_id))


@bp.get("/<process_id>/forms")
@login_required
def form_list(process_id: str):
    """The names of the forms the draft's bundle holds (the panel asks again when the admin comes back
    from the form editor's tab)."""
    require_admin()
    session = get_session()
    drafts.current(session, process_id)  # 404 for an unknown process
    return jsonify({"forms": sorted(drafts.form_texts(session, process_id))})


@bp.post("/<process_id>/forms")
@login_required
def upload_form(process_id: str):
    """A form file (JSON) uploaded from the side panel goes into the draft."""
    require_admin()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput("Choose a form file (.json).", errors={"file": "required"})
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("A form file is UTF-8 text.", errors={"file": "encoding"}) from None
    session = get_session()
    drafts.save_form(session, process_id, upload.filename.rsplit("/", 1)[-1], text, current_user)
    session.commit()
    return jsonify({"forms": sorted(drafts.form_texts(session, process_id))})
