"""The JSON API for integrations, under /api/v1, authenticated by bearer tokens.

Same services, same authorization and validation as the pages. Browser sessions are not
accepted here (so no CSRF token is needed): machine clients send `Authorization: Bearer pyt_…`.
"""
from __future__ import annotations

import json
from functools import wraps

from flask import Blueprint, g, jsonify, request, url_for

import forms
from engine.errors import InvalidInput, PermissionDenied
from engine.models import HumanTask
from engine.services import attachments, inbox, instances, tasks, tokens, views
from web import auditor, formkit, numbers
from web.db import get_session
from web.openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _sep, secret = header.partition(" ")
        user = tokens.user_for_token(get_session(), secret.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            response = jsonify(status=401, title="Unauthorized", detail="A valid bearer token is required.")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="pingyi"'
            return response
        if get_session().info.pop(tokens.STAMPED, False):
            get_session().commit()
        if not auditor.may_change(request.method, request.endpoint, user):
            raise PermissionDenied("Auditors read everything and change nothing.")
        g.api_user = user
        return view(*args, **kwargs)
    return wrapper


def _body() -> dict:
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise InvalidInput("The request body is nested too deeply.", errors={"body": "too_deep"}) from None
    if not isinstance(body, dict):  # not JSON, not sent as application/json, or not an object
        raise InvalidInput("The request body must be a JSON object.", errors={"body": "object"})
    return body


def _text(body: dict, name: str) -> str | None:
    """An optional text member of the body (a number or an object there is refused, naming it)."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"'{name}' must be text.", errors={name: "text"})
    return value


def task_json(task: HumanTask, tasks_url: str | None = None) -> dict:
    """`tasks_url`: the address of the task list, when a list of tasks is built (one url_for, not one each)."""
    return {
        "id": task.id, "title": task.title, "element": task.element_id, "lane": task.lane, "state": task.state,
        "instance": task.instance_id, "assignee": task.assignee.username if task.assignee else None,
        "due_at": task.due_at.isoformat() if task.due_at else None, "priority": task.priority,
        "created_at": task.created_at.isoformat(), "form": task.form_key,
        "url": f"{tasks_url}/{task.id}" if tasks_url else url_for("api.get_task", task_id=task.id),
    }


@bp.post("/instances")
@token_required
def start_instance():
    body = _body()
    data = body.get("data") or {}
    if not isinstance(data, dict):
        raise InvalidInput("'data' must be an object.", errors={"data": "object"})
    session = get_session()
    instance = instances.start_by_user(session, _text(body, "process_id") or "", g.api_user, data,
                                       title=_text(body, "title"), business_key=_text(body, "business_key"))
    # read before the commit: one transaction, not a second one just for this
    listed = url_for("api.list_tasks")
    mine = [task_json(t, listed) for t in tasks.my_tasks_in(session, g.api_user, instance.id)]
    session.commit()
    return jsonify(id=instance.id, process_id=instance.process_id, status=instance.status, tasks=mine), 201


@bp.get("/tasks")
@token_required
def list_tasks():
    page = inbox.inbox(get_session(), g.api_user, inbox.InboxQuery(
        tab=request.args.get("tab", "mine"), search=request.args.get("q", ""),
        process_id=request.args.get("process"), due=request.args.get("due"),
        sort=request.args.get("sort", "due"), page=numbers.arg("page") or 1,
        per_page=numbers.arg("per_page") or 50))
    listed = url_for("api.list_tasks")
    return jsonify(total=page.total, page=page.query.page, pages=page.pages,
                   tasks=[task_json(row.task, listed) for row in page.rows])


@bp.get("/tasks/<int:task_id>")
@token_required
def get_task(task_id: int):
    page = views.task_page(get_session(), task_id, g.api_user)
    auditor.viewed("task", user=g.api_user, instance=page.instance, task=page.task, title=page.task.title)
    return jsonify(task=task_json(page.task), instance={"id": page.instance.id, "title": page.instance.title,
                                                        "status": page.instance.status},
                   instructions=page.task.instructions, form={"schema": page.form.schema, "ui": page.form.ui},
                   data=_form_values(page), can_complete=page.can_work, can_claim=page.can_claim)


def _form_values(page) -> dict:
    """The values of the task's form fields (the draft, the submission or the task's data), not the
    rest of the task's data: a task inside a branch carries data of the whole instance."""
    fields = (page.form.schema or {}).get("properties") or {}
    return {key: value for key, value in page.values.items() if key in fields}


@bp.post("/tasks/<int:task_id>/claim")
@token_required
def claim(task_id: int):
    session = get_session()
    task = tasks.claim(session, task_id, g.api_user)
    session.commit()
    return jsonify(task=task_json(task))


def _refuse_foreign_files(session, task_id: int, data: dict) -> None:
    """The task page's rule: a file field names attachments of this instance, nothing else."""
    found = views.deployed_form_of_task(session, task_id)
    if found is None:
        return  # complete_task says the task does not exist
    spec, instance_id = found
    if not spec.schema or '"file"' not in json.dumps(spec.ui or {}):
        return
    known = {a.public_id for a in attachments.for_instance(session, instance_id)}
    unknown = formkit.unknown_files(forms.parse_definition(spec.schema, spec.ui), known, data)
    if unknown:
        raise InvalidInput("Some answers are missing or invalid.", errors=unknown)


@bp.post("/tasks/<int:task_id>/submit")
@token_required
def submit(task_id: int):
    body = _body()
    data = body.get("data")
    if not isinstance(data, dict):
        raise InvalidInput("'data' must be an object.", errors={"data": "object"})
    if g.api_user.is_auditor:
        raise PermissionDenied("Auditors change nothing.")
    session = get_session()
    _refuse_foreign_files(session, task_id, data)
    task = tasks.complete_task(session, task_id, data, g.api_user, reason=_text(body, "reason"))
    following = tasks.next_task_for(session, g.api_user, task.instance_id)  # in the same transaction
    session.commit()
    instance = task.instance
    return jsonify(task=task_json(task), instance={"id": instance.id, "status": instance.status,
                                                   "error": (instance.error or {}).get("ref")},
                   next_task=task_json(following) if following else None)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
