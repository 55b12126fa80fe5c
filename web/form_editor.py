"""The form editor for administrators: a form's JSON Schema and UI schema as JSON text, a live
preview rendered by the `forms` package, the deployment's own checks; saving puts the files in
the draft of the process named by `?process=` (they deploy with it)."""
from __future__ import annotations

import json

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

import forms
from engine import validation
from engine.services import drafts
from engine.services.views import FormSpec
from web.db import get_session
from web.display import list_separator
from web.formkit import FormKit
from web.model_problems import json_error, sentence
from web.process_admin import require_admin

bp = Blueprint("form_editor", __name__, url_prefix="/processes/forms")


def ui_name_for(name: str) -> str:
    """The UI schema's file name by SpiffArena's convention (x-schema.json -> x-uischema.json)."""
    if name.endswith("-schema.json"):
        return name[: -len("-schema.json")] + "-uischema.json"
    return name[: -len(".json")] + "-uischema.json"


def parse(text: str, what: str) -> tuple[dict | None, list[str]]:
    if not text.strip():
        return None, []
    try:
        value = json.loads(text)
    except ValueError as exc:
        return None, [json_error(what, exc)]
    except RecursionError:
        return None, [_("%(what)s nests too deeply.", what=what)]
    if not isinstance(value, dict):
        return None, [_("%(what)s must be a JSON object.", what=what)]
    return value, []


def check(name: str, schema_text: str, ui_name: str, ui_text: str) -> tuple[list[str], Markup]:
    """The problems deployment would report for the pair, and the rendered preview."""
    schema, problems = parse(schema_text, name)
    ui, ui_problems = parse(ui_text, ui_name)
    problems += ui_problems
    if schema is None:
        return problems or [_("%(what)s is empty.", what=name)], Markup("")
    own = forms.check_bundle_form(name, schema)
    problems += [f"{name}: {sentence(p)}" for p in own]
    if ui is not None:  # what the schema alone has is said once, on the schema
        pair = [p for p in forms.check_ui(ui) + forms.check_form("", schema, ui) if p not in own]
        problems += [f"{ui_name}: {sentence(p)}" for p in pair]
    if problems:
        return list(dict.fromkeys(problems)), Markup("")
    try:
        spec = FormSpec(name, validation.resolve_schema(schema, {}), validation.resolve_schema(ui, {}) if ui else None)
        return [], FormKit(spec, None, {}).render_edit()
    except Exception as exc:  # a preview must never break the editor
        return [f"{type(exc).__name__}: {exc}"], Markup("")


@bp.route("/<name>", methods=["GET", "POST"])
@login_required
def edit(name: str):
    require_admin()
    process_id = request.args.get("process", "")
    if not process_id or not name.endswith(".json"):
        abort(404)
    session = get_session()
    drafts.current(session, process_id)  # 404 for an unknown process
    texts = drafts.form_texts(session, process_id)
    ui_name = request.form.get("ui_name") or ui_name_for(name)
    schema_text = request.form.get("schema", texts.get(name, '{\n  "type": "object",\n  "properties": {}\n}'))
    ui_text = request.form.get("ui", texts.get(ui_name, ""))
    problems, preview = check(name, schema_text, ui_name, ui_text)
    page = dict(name=name, ui_name=ui_name, process_id=process_id, schema_text=schema_text, ui_text=ui_text,
                problems=problems, preview=preview, is_new=name not in texts,
                shared_with=drafts.form_users(session, name, process_id))
    if request.method == "GET":
        return render_template("models/form_edit.html", **page)
    if parse(schema_text, name)[1] or parse(ui_text, ui_name)[1] or not schema_text.strip():
        return render_template("models/form_edit.html", **page), 422
    drafts.save_form(session, process_id, name, schema_text, current_user)
    if ui_text.strip():
        drafts.save_form(session, process_id, ui_name, ui_text, current_user)
    session.commit()
    message = _("The form is saved in the draft of %(process)s; it deploys with the process.", process=process_id)
    if page["shared_with"]:
        message += " " + _("Deploying it also gives new versions to: %(processes)s.",
                           processes=list_separator().join(title for _id, title in page["shared_with"]))
    if problems:
        message += " " + _("Deployment would still refuse it:") + " " + "; ".join(problems)
    flash(message, "warning" if problems else "success")
    return redirect(url_for(".edit", name=name, process=process_id))


@bp.post("/preview")
@login_required
def preview():
    """The live preview: posted JSON {name, schema, ui_name, ui} -> {problems, html}."""
    require_admin()
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        return jsonify({"problems": [_("The request is nested too deeply to be read.")],
                        "html": ""}), 400
    if not isinstance(body, dict):
        body = {}
    name = str(body.get("name") or "form-schema.json")
    ui_name = str(body.get("ui_name") or ui_name_for(name))
    problems, html = check(name, str(body.get("schema") or ""), ui_name, str(body.get("ui") or ""))
    return jsonify({"problems": problems, "html": str(html)})
