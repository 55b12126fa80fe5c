"""Administrators' view of the process models: every version with who deployed it, its
instances and what changed; moving waiting instances to a later version; uploading a model
from another modeler as a new draft. Everyone else keeps the read-only viewer (models_pages)."""
from __future__ import annotations

import json
from dataclasses import asdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import session as cookie_session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from engine.errors import DeploymentError
from engine.services import drafts, migration, processes, versions
from web import numbers
from web.db import get_session
from web.model_problems import as_dicts

bp = Blueprint("process_admin", __name__, url_prefix="/processes")

ASPECTS = {
    "type": _l("type"), "name": _l("name"), "documentation": _l("documentation"), "lane": _l("lane"),
    "form": _l("form"), "instructions": _l("instructions"), "properties": _l("task properties"),
    "script": _l("script"), "condition": _l("condition"), "flow": _l("flow"), "timer": _l("timer"),
    "multi-instance": _l("multi-instance"), "loop": _l("loop"), "service": _l("service call"),
    "called element": _l("called process"), "event": _l("event"), "attributes": _l("attributes"),
    "extensions": _l("extensions"), "definition": _l("definition"),
    # decision tables (DMN)
    "hit policy": _l("hit policy"), "table inputs": _l("table inputs"), "table outputs": _l("table outputs"),
    "when": _l("rule conditions"), "then": _l("rule results"), "description": _l("description"),
    # SpiffWorkflow's names, in migration refusals
    "outputs": _l("outgoing flows"), "inputs": _l("incoming flows"), "typename": _l("type"),
    "bpmn_name": _l("name"), "cond_task_specs": _l("conditions"), "default_task_spec": _l("default flow"),
    "prescript": _l("pre-script"), "postscript": _l("post-script"), "event_definition": _l("event"),
    "operation_name": _l("service call"), "operation_params": _l("service call"),
}
STATES = {"COMPLETED": _l("completed"), "STARTED": _l("started"), "ERROR": _l("failed"),
          "CANCELLED": _l("cancelled"), "READY": _l("waiting"), "WAITING": _l("waiting"),
          "visited": _l("passed earlier")}


def require_admin() -> None:
    """Administrators only (auditors and everyone else get 403)."""
    if not (current_user.is_authenticated and current_user.is_active and current_user.is_admin):
        abort(403)


# what a version's change list calls the kinds of element (engine/versions.py gives BPMN's names)
ELEMENT_TYPES = {
    "userTask": _l("user task"), "manualTask": _l("manual task"), "scriptTask": _l("script task"),
    "serviceTask": _l("service task"), "businessRuleTask": _l("business rule task"), "task": _l("task"),
    "sendTask": _l("send task"), "receiveTask": _l("receive task"), "callActivity": _l("call activity"),
    "subProcess": _l("subprocess"), "startEvent": _l("start event"), "endEvent": _l("end event"),
    "boundaryEvent": _l("boundary event"), "intermediateCatchEvent": _l("intermediate event (catching)"),
    "intermediateThrowEvent": _l("intermediate event (throwing)"), "exclusiveGateway": _l("exclusive gateway"),
    "parallelGateway": _l("parallel gateway"), "inclusiveGateway": _l("inclusive gateway"),
    "eventBasedGateway": _l("event-based gateway"), "sequenceFlow": _l("sequence flow"), "lane": _l("lane"),
    "decision": _l("decision table"), "rule": _l("rule"),
}


def element_type(kind: str) -> str:
    return str(ELEMENT_TYPES.get(kind, kind))


def aspect_names(names) -> str:
    return "、".join(dict.fromkeys(str(ASPECTS.get(n, n)) for n in names))


def admin_index():
    """The admin's /processes/: every process with all its versions."""
    infos = versions.overview(get_session(), current_user)
    return render_template("models/admin_index.html", infos=infos, aspect_names=aspect_names)


RESULT_KEY = "migration_result"
# the outcome of a move waits in the session for the page the POST redirects to (reloading that page
# moves nothing again); past this many characters of JSON only the count of the rest is kept (the
# audit log has every instance), so the cookie stays small
RESULT_BUDGET = 2000


def _result_row(outcome) -> dict:
    params = {k: (v[:300] if isinstance(v, str) else v) for k, v in outcome.params.items()}
    return {"instance_id": outcome.instance_id, "title": outcome.title[:60], "moved": outcome.moved,
            "code": outcome.code, "reason": outcome.reason[:300], "params": params,
            "blockers": [asdict(b) for b in outcome.blockers[:10]]}


def keep_result(process_id: str, number: int, target: int, outcomes) -> None:
    """Remember the outcomes of one move for the page it redirects to, those that stayed first."""
    rows, size, left = [], 0, 0
    for outcome in sorted(outcomes, key=lambda o: (o.moved, o.instance_id)):
        row = _result_row(outcome)
        size += len(json.dumps(row))
        if size > RESULT_BUDGET:
            left += 1
            continue
        rows.append(row)
    cookie_session[RESULT_KEY] = {"process": process_id, "version": number, "target": target, "outcomes": rows,
                                  "left": left}


def take_result(process_id: str, number: int) -> dict:
    """The template's `outcomes`, `target` and `left` for this version's page, once; else nothing."""
    kept = cookie_session.get(RESULT_KEY)
    if not kept or kept.get("process") != process_id or kept.get("version") != number:
        return {}
    cookie_session.pop(RESULT_KEY)
    return {"outcomes": kept["outcomes"], "target": kept["target"], "left": kept["left"]}


def render_version(process_id: str, number: int | None, **extra):
    """A version's page: the diagram for everyone; versions, changes and migration for admins."""
    found = processes.versions_of(get_session(), process_id)
    version = found[-1] if found and number is None else next((v for v in found if v.version == number), None)
    if version is None:
        abort(404)
    if current_user.is_admin:
        infos = versions.overview(get_session(), current_user, process_id)
        extra.update(info=infos[0] if infos else None, aspect_names=aspect_names, states=STATES)
        extra.update(take_result(process_id, version.version))
        extra["movable"] = migration.movable(get_session(), process_id, version.version, current_user)
    return render_template("models/show.html", version=version, versions=found, **extra)


@bp.post("/<process_id>/v<int:number>/migrate")
@login_required
def migrate(process_id: str, number: int):
    require_admin()
    session = get_session()
    target = numbers.whole(request.form.get("to"))
    if target is None:
        abort(400)
    only = {n for n in map(numbers.whole, request.form.getlist("instance")) if n is not None}
    outcomes = migration.migrate_version(session, process_id, number, target, current_user, only=only)
    session.commit()
    moved = sum(1 for o in outcomes if o.moved)
    flash(_("%(moved)s of %(total)s waiting instances were moved to version %(n)s.",
            moved=moved, total=len(outcomes), n=target), "success" if moved == len(outcomes) else "warning")
    keep_result(process_id, number, target, outcomes)
    return redirect(url_for("models.show", process_id=process_id, number=number, _anchor="migrate"))


@bp.post("/upload")
@login_required
def upload():
    """A .bpmn file from any modeler becomes a draft; open it in the editor."""
    require_admin()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a .bpmn file."), "danger")
        return redirect(url_for("models.index"))
    session = get_session()
    try:
        draft = drafts.upload_new(session, upload.filename, upload.read(), current_user)
    except DeploymentError as exc:
        session.rollback()
        return render_template("models/problems.html", problems=as_dicts(exc.problems), file_name=upload.filename), 422
    session.commit()
    flash(_("The file is a draft of %(process)s now. Check it and deploy it.", process=draft.process_id), "info")
    return redirect(url_for("modeler.edit", process_id=draft.process_id))
