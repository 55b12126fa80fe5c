"""A task's answers as a Word document: the self-inspection report, an investigation report, a
rectification plan or report, as the office files them.

The document follows the task's form as its read-only view shows it (forms/_form.html): each
field under its title, choices by their titles, a repeating group as a table, files by name.
Who may see the task may download it; an open task's document says that it was not submitted.
"""
from __future__ import annotations

from flask import Blueprint
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

import forms
from engine.models import TaskState
from engine.services import views
from web import auditor, documents
from web.db import get_session
from web.formkit import attachment_map

bp = Blueprint("task_documents", __name__, url_prefix="/tasks")


@bp.get("/<int:task_id>/document.docx")
@login_required
def document(task_id: int):
    page = views.task_page(get_session(), task_id, current_user)
    auditor.viewed("export", export="task_document", format="docx", instance=page.instance, task=page.task)
    task = page.task
    if task.state == TaskState.COMPLETED:
        done_by = task.completed_by.display_name if task.completed_by else ""
        subtitle = _("Submitted by %(name)s on %(date)s", name=done_by,
                     date=format_datetime(task.completed_at, "yyyy-MM-dd"))
    elif task.state == TaskState.CANCELLED:
        subtitle = _("Ended by the process without being submitted")
    elif task.draft_saved_at:  # what the page shows and has not saved stays in the browser
        subtitle = _("Not submitted: the draft saved on %(date)s",
                     date=format_datetime(task.draft_saved_at, "yyyy-MM-dd HH:mm"))
    else:
        subtitle = _("Not submitted: what the task holds now")
    document = documents.word(task.title, subtitle)
    documents.paragraph(document, f"{page.process_name} · {page.instance.title}", size=10.5)
    if page.form.schema:
        definition = forms.parse_definition(page.form.schema, page.form.ui)
        files = {key: value["name"] for key, value in attachment_map(page.files).items()}
        write_fields(document, definition.fields, page.values, files)
    return documents.send(document, f"{task.title}.docx")


def write_fields(document, definitions, data, files: dict[str, str]) -> None:
    data = data if isinstance(data, dict) else {}
    for d in definitions:
        if d.widget == "hidden" or not d.applies_to(data):
            continue
        value = data.get(d.name)
        if d.widget == "object" and isinstance(value, dict):
            documents.paragraph(document, d.label, bold=True)
            write_fields(document, d.fields, value, files)
        elif d.widget == "group" and isinstance(value, list) and value:
            documents.paragraph(document, d.label, bold=True)
            columns = [c for c in d.item.fields if c.widget != "hidden"]
            rows = [[str(n), *(text_of(c, item.get(c.name), files) if c.applies_to(item) else "" for c in columns)]
                    for n, item in enumerate((i for i in value if isinstance(i, dict)), 1)]
            documents.table(document, ["#", *(c.label for c in columns)], rows)
        elif d.widget == "textarea":
            documents.paragraph(document, d.label, bold=True)
            documents.paragraph(document, text_of(d, value, files))
        else:
            documents.paragraph(document, f"{d.label}：{text_of(d, value, files)}")


def text_of(d, value, files: dict[str, str]) -> str:
    """A value as the read-only view words it."""
    if value is None or value == "" or (isinstance(value, (list, dict)) and not value):
        return "—"
    if d.widget == "object" and isinstance(value, dict):
        return "；".join(f"{f.label}：{text_of(f, value.get(f.name), files)}" for f in d.fields
                        if f.widget != "hidden" and f.applies_to(value))
    if d.widget == "group" and isinstance(value, list):
        return "\n".join(text_of(d.item, item, files) for item in value)
    if d.widget == "list" and isinstance(value, list):
        return "、".join(text_of(d.item, item, files) for item in value)
    if d.widget == "file":
        ids = value if isinstance(value, list) else [value]
        return "、".join(files.get(str(i), str(i)) for i in ids)
    if d.multiple:
        return "、".join(d.labels_for(value if isinstance(value, list) else [value]))
    if d.type == "boolean" and not d.choices:
        return _("Yes") if value else _("No")
    if d.widget == "rating":
        return f"{value} / {d.rating_max}"
    if d.widget in ("select", "radio", "principal"):
        return d.label_for(value)
    return str(value)
