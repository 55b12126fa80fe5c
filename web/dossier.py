"""An instance's dossier as one ZIP, built in a temporary file (deleted when closed), then streamed.

    index.html                    what is in it, readable offline
    instance.json                 the instance, its current data, open tasks with their drafts
    tasks/NN-<element>.json|html  every completed task: what was submitted, as data and as read
    attachments.csv               every file: name, size, uploader, time, SHA-256, whether it is enclosed
    files/<id>-<name>             the files themselves, when present on disk (SHA-256 checked on the way)
    timeline.csv|html             every event of the instance, each checked against its hash
    SHA256SUMS                    the SHA-256 of every entry above
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

import forms
from engine import clock
from engine.models import User
from engine.services import exports, history, views
from engine.services.attachments import path_of
from web import formkit
from web.audit_filters import export_words, status_names

CHUNK = 256 * 1024


class _Writer:
    """Adds entries to the archive and remembers each one's SHA-256."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive, self.sums = archive, []

    def add(self, name: str, parts: Iterable[bytes] | bytes | str) -> str:
        if isinstance(parts, str):
            parts = parts.encode("utf-8")
        if isinstance(parts, bytes):
            parts = (parts,)
        digest = hashlib.sha256()
        with self.archive.open(name, "w", force_zip64=True) as out:
            for part in parts:
                digest.update(part)
                out.write(part)
        self.sums.append(f"{digest.hexdigest()}  {name}")
        return digest.hexdigest()


class _Pages:
    """Renders the dossier's pages with one template context, built once: the app's context processors
    (the navigation's counts, meaningless in a ZIP) run once per dossier instead of once per file, and
    each distinct form is parsed (and its schema checked) once."""

    def __init__(self):
        self.context: dict = {}
        current_app.update_template_context(self.context)
        self.env = current_app.jinja_env
        self.read = self.env.from_string(formkit.READ)
        self.definitions: dict[str, object] = {}

    def page(self, name: str, **values) -> str:
        return self.env.get_template(name).render({**self.context, **values})

    def form(self, spec, data: dict, files: dict) -> Markup:
        """As formkit.readonly gives it."""
        if not spec.schema:
            return formkit.readonly(spec, data, files)
        key = json.dumps([spec.schema, spec.ui], sort_keys=True, default=str)
        if key not in self.definitions:
            self.definitions[key] = forms.parse_definition(spec.schema, spec.ui)
        return Markup(self.read.render({**self.context, "definition": self.definitions[key], "data": data or {},
                                        "attachments": files or {}}))


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True,
                      default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))


def build(session, instance_id: int, storage: Path, handle) -> None:
    """Write the dossier into `handle` (a binary file) and rewind it; the user must be allowed to
    see the instance (checked here) and to read the history (checked by the blueprint)."""
    page = views.instance_page(session, instance_id, current_user)
    instance = page.instance
    steps = views.earlier_steps(session, instance)
    events = history.timeline(session, instance_id, include_views=True)
    names = {f.public_id: f"files/{f.public_id}-{f.filename}" for f in page.files}
    linked = {f.public_id: {"name": f.filename, "url": "../" + names[f.public_id]} for f in page.files}
    pages = _Pages()
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        out = _Writer(archive)
        out.add("instance.json", _json({
            "id": instance.id, "process_id": instance.process_id, "process": page.version.name,
            "version": page.version.version, "title": instance.title, "business_key": instance.business_key,
            "status": instance.status, "started_at": instance.started_at, "ended_at": instance.ended_at,
            "data": page.data, "generated_at": clock.now(), "generated_by": current_user.username,
            "open_tasks": [{"id": t.id, "title": t.title, "element": t.element_id, "lane": t.lane,
                            "assignee": t.assignee.username if t.assignee else None, "due_at": t.due_at,
                            "draft": t.draft, "draft_saved_at": t.draft_saved_at} for t in page.open_tasks]}))
        entries = []
        for number, step in enumerate(steps, start=1):
            task, stem = step.task, f"tasks/{number:02d}-{step.task.element_id}"
            out.add(stem + ".json", _json({
                "id": task.id, "title": task.title, "element": task.element_id, "lane": task.lane,
                "completed_by": task.completed_by.username if task.completed_by else None,
                "completed_at": task.completed_at, "form": task.form_key, "data": step.data}))
            out.add(stem + ".html", pages.page("audit/dossier/task.html", step=step, instance=instance,
                                               body=pages.form(step.form, step.data, linked)))
            entries.append((step, stem + ".html"))
        enclosed = {}
        for f in page.files:
            path = path_of(storage, f)
            enclosed[f.public_id] = ("yes" if out.add(names[f.public_id], _file_chunks(path)) == f.sha256
                                     else "changed") if path.is_file() else "missing"
        said = {"yes": _("yes"), "changed": _("enclosed, but its content changed"), "missing": _("missing")}
        uploaders = dict(session.execute(select(User.id, User.username).where(
            User.id.in_({f.uploaded_by_id for f in page.files if f.uploaded_by_id}))).all())
        out.add("attachments.csv", exports.csv_stream(
            [_("File"), _("Field"), _("Task"), _("Uploaded by"), _("Uploaded"), _("Size (bytes)"), "SHA-256",
             _("Enclosed"), _("Path in this archive")],
            ([f.filename, f.field, f.human_task_id or "", uploaders.get(f.uploaded_by_id, ""),
              exports.local_time(f.uploaded_at), f.size, f.sha256, said[enclosed[f.public_id]],
              names[f.public_id] if enclosed[f.public_id] != "missing" else ""] for f in page.files)))
        words = export_words()
        out.add("timeline.csv", exports.csv_stream(words.header(exports.EVENT_FIELDS),
                                                   (exports.event_row(e.event, words) for e in events)))
        out.add("timeline.html", pages.page("audit/dossier/timeline.html", instance=instance, entries=events))
        out.add("index.html", pages.page("audit/dossier/index.html", page=page, tasks=entries, names=names,
                                         enclosed=enclosed, said=said, uploaders=uploaders,
                                         statuses=status_names(), generated_at=clock.now()))
        out.add("SHA256SUMS", "\n".join(out.sums) + "\n")
    handle.seek(0)


def stream_file(handle) -> Iterator[bytes]:
    """The temporary file's bytes; it is closed (and so deleted) at the end or when the client leaves."""
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()
