"""The task page: instructions, the form, context from earlier steps, files, history."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

import forms
from engine.errors import InvalidInput, PermissionDenied
from engine.services import attachments, tasks, term_plans, views
from web import auditor, formkit
from web.db import get_session
from web.errors import respond, wants_json
from web.files import storage
from web.term_plans import PROCESS_ID as TERM_PLAN_PROCESS

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


def _back(task_id: int):
    target = request.form.get("_next")
    if target == "inbox":
        return redirect(url_for("inbox.index"))
    return redirect(url_for("tasks.show", task_id=task_id))


def _term_plans(page) -> list:
    """The term plans (规划表) the task's process drafts, when the viewer may open them: what the
    approver reviews is on the plan's page."""
    if page.instance.process_id != TERM_PLAN_PROCESS or not term_plans.may_view(current_user):
        return []
    return [plan for plan in term_plans.list_plans(get_session(), current_user) if plan.instance_id == page.instance.id]


def _render(page, kit, status: int = 200):
    files = formkit.attachment_map(page.files)
    readonly = [(step, formkit.readonly(step.form, step.data, files)) for step in page.earlier]
    return render_template("tasks/show.html", page=page, kit=kit, earlier=readonly,
                           term_plans=_term_plans(page)), status


@bp.get("/<int:task_id>")
@login_required
def show(task_id: int):
    page = views.task_page(get_session(), task_id, current_user)
    auditor.viewed("task", instance=page.instance, task=page.task, title=page.task.title)
    kit = formkit.FormKit(page.form, None, page.values, page.files)
    return _render(page, kit)


def _storer(session, page):
    """Store one upload for the task, keeping it in the page's files (their names show in the form)."""

    def store(field, upload, **rules):
        stored = attachments.store(session, storage(), page.task.id, upload.filename, upload.stream, current_user,
                                   field=field, **rules)
        page.files.append(stored)
        return stored

    return store


def _discard(session, written) -> None:
    """Keep nothing of a request that sent a refused file: not the other files either."""
    keys = [a.storage_key for a in written]
    session.rollback()
    attachments.discard(storage(), keys)


def _refuse_uploads(session, task_id: int, written, formdata, refused: dict):
    """A file was refused: the form comes back with what was typed and a message next to each
    refused file."""
    _discard(session, written)
    page = views.task_page(session, task_id, current_user)
    kit = formkit.FormKit(page.form, formdata, page.values, page.files)
    kit.add_upload_errors(refused)
    return _render(page, kit, 422)


@bp.post("/<int:task_id>")
@login_required
def submit(task_id: int):
    session = get_session()
    page = views.task_page(session, task_id, current_user)
    if not page.can_work and not (current_user.is_admin and page.task.state == "open"):
        tasks.require_open(page.task)
        raise PermissionDenied("This task is not yours to complete.", task=page.task.title)
    stored_before = len(page.files)
    formdata, refused = formkit.with_uploads(page.form, request.form, request.files, _storer(session, page))
    if refused:
        return _refuse_uploads(session, task_id, page.files[stored_before:], request.form, refused)
    if len(page.files) > stored_before:
        session.commit()  # uploaded files stay with the task even when the answers are sent back (as /files does)
    kit = formkit.FormKit(page.form, formdata, page.values, page.files)
    if request.form.get("_action") == "draft":
        if kit.unreadable() or kit.too_long_for_draft():
            return _render(page, kit, 422)
        try:
            tasks.save_draft(session, task_id, kit.partial_data(), current_user)
        except InvalidInput as exc:  # rows that are not the task's (the page always sends the task's)
            session.rollback()
            kit.add_errors(exc.errors)
            return _render(page, kit, 422)
        session.commit()
        flash(_("Your draft was saved."), "success")
        return redirect(url_for("tasks.show", task_id=task_id))
    if not kit.validate():
        session.rollback()
        return _render(page, kit, 422)
    try:
        task = tasks.complete_task(session, task_id, kit.data(), current_user, reason=request.form.get("_reason"))
    except InvalidInput as exc:
        session.rollback()
        kit.add_errors(exc.errors)
        return _render(page, kit, 422)
    following = tasks.next_task_for(session, current_user, task.instance_id)  # in the same transaction
    session.commit()
    instance = task.instance
    if instance.status == "error" and instance.error:
        flash(_("Your answers were saved, but the process stopped with an error at “%(task)s”. "
                "Reference number: %(ref)s. The administrators can see it.",
                task=instance.error.get("task") or instance.error.get("element_id"), ref=instance.error.get("ref")),
              "danger")
    else:
        flash(_("“%(title)s” is done.", title=task.title), "success")
    if following is not None:
        return redirect(url_for("tasks.show", task_id=following.id))
    return redirect(url_for("inbox.index"))


@bp.post("/<int:task_id>/claim")
@login_required
def claim(task_id: int):
    session = get_session()
    tasks.claim(session, task_id, current_user)
    session.commit()
    flash(_("The task is yours now."), "success")
    return _back(task_id)


@bp.post("/<int:task_id>/unclaim")
@login_required
def unclaim(task_id: int):
    session = get_session()
    tasks.unclaim(session, task_id, current_user, request.form.get("reason"))
    session.commit()
    flash(_("The task was released to its group."), "info")
    return _back(task_id) if request.form.get("_next") != "task" else redirect(url_for("inbox.index"))


@bp.post("/<int:task_id>/files")
@login_required
def upload(task_id: int):
    """Upload files for a task (from the form's file picker); answers JSON for scripts."""
    session = get_session()
    page = views.task_page(session, task_id, current_user)
    field = request.form.get("field", "")
    files = MultiDict([(field + forms.UPLOAD_SUFFIX, f) for f in request.files.getlist("file")])
    stored_before = len(page.files)
    _formdata, refused = formkit.with_uploads(page.form, MultiDict(), files, _storer(session, page))
    if refused:
        if wants_json():
            _discard(session, page.files[stored_before:])
            return respond(422, next(iter(refused.values())), errors=refused)
        return _refuse_uploads(session, task_id, page.files[stored_before:], None, refused)
    stored = page.files[stored_before:]
    if not stored:
        raise InvalidInput("No file was sent.", errors={"file": "required"})
    session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(files=[{"id": a.public_id, "filename": a.filename, "size": a.size,
                               "url": url_for("files.download", public_id=a.public_id)} for a in stored])
    flash(_("%(count)s file(s) uploaded.", count=len(stored)), "success")
    return redirect(url_for("tasks.show", task_id=task_id))
