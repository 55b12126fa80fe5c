"""Glue between a task's form (as the engine resolved it) and the `forms` package.

A FormKit builds the WTForms form for a FormSpec, binds posted data (files first stored by the
view, their ids posted under the field's name), validates it, and renders the edit and
read-only views with the macros of `forms/_form.html`.
"""
from __future__ import annotations

import json

import wtforms
from flask import current_app, render_template_string, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

import forms
from engine.errors import InvalidInput
from engine.services import attachments
from engine.services.views import FormSpec
from forms.validators import TextLength
from web.i18n import BabelTranslations


class TranslatedForm(wtforms.Form):
    """Dynamic forms speak the user's language (WTForms asks its meta for translations)."""

    class Meta:
        def get_translations(self, form):
            return BabelTranslations()


EDIT = '{% from "forms/_form.html" import render_form %}{{ render_form(form, definition, attachments, errors) }}'
READ = ('{% from "forms/_form.html" import render_readonly %}'
        '{{ render_readonly(definition, data, attachments=attachments) }}')


def attachment_map(files) -> dict:
    return {a.public_id: {"name": a.filename, "url": url_for("files.download", public_id=a.public_id)}
            for a in files}


# what engine/read_only.py refuses, said to the person at the form (the page itself never sends these)
ENGINE_CODES = {
    "read_only_changed": _l("This row’s fixed answers were changed. Reload the page and try again."),
    "read_only_missing": _l("The rows the task gives must stay in the list. Reload the page to get them back."),
    "rows_removed": _l("Rows of this list cannot be removed."),
    "rows_added": _l("Rows cannot be added to this list."),
}


DRAFT_MAX_CHARS = 500_000  # a draft's JSON text; the forms' own limits keep real answers far below


class FormKit:
    def __init__(self, spec: FormSpec, formdata, values: dict, files=()):
        self.spec = spec
        self.values = values or {}
        self.files = attachment_map(files)
        self.errors: list[str] = []
        self.field_errors: dict[str, str] = {}
        self.definition = forms.parse_definition(spec.schema, spec.ui) if spec.schema else None
        self.form = forms.build_form(self.definition, formdata=formdata, data=self.values, base=TranslatedForm) \
            if self.definition is not None else None
        self._data: dict | None = None

    @property
    def has_files(self) -> bool:
        return bool(self.definition is not None and self.definition.has_files)

    def validate(self) -> bool:
        if self.definition is None:
            self._data = {}
            return True
        self._data, self.field_errors = forms.validate_form(self.form, self.definition)
        unknown = self._unknown_files(self._data)
        if unknown:
            self.field_errors.update(unknown)
            forms.attach_errors(self.form, self.definition, unknown)
        return not self.field_errors

    def data(self) -> dict:
        """The validated answers, read-only fields included (they stand in task data anyway)."""
        if self.definition is None:
            return {}
        return forms.to_json(self.form, self.definition, include_read_only=True)

    def unreadable(self) -> bool:
        """Mark every answer that was typed but could not be read (a number, a date) and say whether
        there was one: a draft is not saved with such answers dropped; the page comes back with
        what was typed and says where."""
        found = False
        for field in _leaves(self.form) if self.form is not None else ():
            if field.process_errors:
                field.errors = list(field.process_errors)
                found = True
        if found:
            self.errors.append(_("Some answers could not be read; the draft was not saved. Correct them and save "
                                 "again."))
        return found

    def too_long_for_draft(self) -> bool:
        """Mark every answer longer than its field allows (maxLength) and say whether there was one,
        or whether the draft as a whole is longer than DRAFT_MAX_CHARS: such a draft is not saved
        (the page comes back with what was typed)."""
        if self.form is None:
            return False
        found = False
        for field in _leaves(self.form):
            limit = getattr(field, "definition", None) and field.definition.constraints.get("maxLength")
            if isinstance(limit, int) and isinstance(field.data, str) and len(field.data) > limit:
                try:
                    TextLength(high=limit)(self.form, field)
                except ValidationError as exc:
                    field.errors = [str(exc)]
                found = True
        if found:
            self.errors.append(_("Some answers are longer than their fields allow; the draft was not saved. "
                                 "Shorten them and save again."))
        elif len(json.dumps(self.partial_data(), ensure_ascii=False, default=str)) > DRAFT_MAX_CHARS:
            self.errors.append(_("The draft is too long to be saved. Shorten the answers and save again."))
            found = True
        return found

    def partial_data(self) -> dict:
        """What was entered so far, unvalidated: for a draft. Read-only values come along: the draft
        stands in for the task's data when the page is opened again, and a repeating group's rows
        (a checklist, say) are matched to their read-only part by position."""
        if self.definition is None:
            return {}
        return forms.to_json(self.form, self.definition, include_read_only=True)

    def add_errors(self, errors: dict[str, str]) -> None:
        """Errors the engine found after our own checks, shown next to their fields."""
        errors = {path: str(ENGINE_CODES[code]) if code in ENGINE_CODES else code for path, code in errors.items()}
        if self.definition is None:
            self.errors.extend(errors.values())
            return
        self.field_errors.update(errors)
        forms.attach_errors(self.form, self.definition, errors)
        located = {p for p in errors if self.definition.find(p) is not None}
        self.errors.extend(message for path, message in errors.items() if path not in located)

    def add_upload_errors(self, refused: dict[str, str]) -> None:
        """Files refused on the way in (by input name, see with_uploads): said next to their pickers;
        none of the files sent was kept, so they must be chosen again."""
        leaves = {field.name: field for field in _leaves(self.form)} if self.form is not None else {}
        for name, message in refused.items():
            self.field_errors[name] = message
            if name in leaves:
                leaves[name].errors = [*leaves[name].errors, message]
            else:
                self.errors.append(message)
        self.errors.append(_("Nothing was saved and no file was kept: choose the files again before sending."))

    def _unknown_files(self, data: dict) -> dict[str, str]:
        return unknown_files(self.definition, self.files, data)

    def render_edit(self) -> Markup:
        if self.definition is None:
            return Markup("")
        return Markup(render_template_string(EDIT, form=self.form, definition=self.definition,
                                             attachments=self.files, errors=self.field_errors))

    def render_readonly(self) -> Markup:
        return readonly(self.spec, self.values, self.files)


def _leaves(form):
    """Every input field of a form, inside nested objects and repeating groups too."""
    for field in form:
        if isinstance(field, wtforms.FormField):
            yield from _leaves(field.form)
        elif isinstance(field, wtforms.FieldList):
            for entry in field.entries:
                yield from _leaves([entry])
        else:
            yield field


def unknown_files(definition, files, data: dict) -> dict[str, str]:
    """File fields may only name attachments of this instance (`files`: their public ids)."""
    if definition is None:
        return {}
    return {path: _("This file is not attached to this task.")
            for path, value in _file_values(definition.fields, data, "")
            if any(not isinstance(i, str) or i not in files for i in (value if isinstance(value, list) else [value])
                   if i not in (None, ""))}


def _file_values(fields, data: dict, prefix: str):
    """(path, value) of every file field in submitted data, at any depth."""
    for definition in fields:
        if not isinstance(data, dict) or definition.name not in data:
            continue
        value, path = data[definition.name], prefix + definition.name
        if definition.widget == "file":
            yield path, value
        elif definition.widget == "object":
            yield from _file_values(definition.fields, value, path + ".")
        elif definition.widget == "group" and isinstance(value, list):
            for index, row in enumerate(value):
                yield from _file_values(definition.item.fields, row, f"{path}.{index}.")


def readonly(spec: FormSpec, data: dict, files: dict | None = None) -> Markup:
    """A read-only view of submitted data (plain key/value pairs when there is no form)."""
    if not spec.schema:
        rows = "".join(f"<dt class='col-5'>{Markup.escape(k)}</dt><dd class='col-7'>{Markup.escape(v)}</dd>"
                       for k, v in sorted((data or {}).items()) if k != "lane_owners")
        return Markup(f"<dl class='row small'>{rows}</dl>")
    definition = forms.parse_definition(spec.schema, spec.ui)
    return Markup(render_template_string(READ, definition=definition, data=data or {}, attachments=files or {}))


# why a file was refused (engine.services.attachments), said next to its field
UPLOAD_ERRORS = {
    "type": _l("Files of this type are not accepted here: “%(name)s”."),
    "types": _l("Files of this type are not accepted here: “%(name)s”. Accepted types: %(types)s."),
    "empty": _l("The file is empty: “%(name)s”."),
    "content": _l("The file’s content does not match its type: “%(name)s”."),
    "size": _l("The file is too large: “%(name)s”. Each file may have at most %(limit)s."),
}
MB = 1024 * 1024


def upload_rules(definition, name: str) -> dict:
    """What the file field with input `name` takes: its picker's types, and its own size limit
    (`maxSize`) when that is lower than the site's."""
    field = definition.find_input(name) if definition is not None else None
    limit = current_app.config["ATTACHMENT_MAX_SIZE"]
    if field is None or field.widget != "file":
        return {"allowed": None, "max_size": limit}
    own = field.options.get("maxSize")
    return {"allowed": attachments.allowed_for(field.accept),
            "max_size": min(limit, own) if isinstance(own, int) and own > 0 else limit}


def upload_message(exc: InvalidInput, filename: str) -> str:
    code = next(iter(exc.errors.values()), "")
    if code not in UPLOAD_ERRORS:
        return _("This file could not be accepted: “%(name)s”.", name=filename)
    limit = exc.params.get("limit", 0)
    size = f"{limit / MB:g} MB" if limit >= MB else f"{max(1, limit // 1024)} KB"
    if code == "type" and exc.params.get("allowed"):
        code = "types"
    return str(UPLOAD_ERRORS[code]) % {"name": attachments.sanitise_name(filename), "limit": size,
                                       "types": exc.params.get("allowed")}


def with_uploads(spec: FormSpec, formdata: MultiDict, files, store) -> tuple[MultiDict, dict[str, str]]:
    """Store every `<field>__upload` file (through `store(field, upload, allowed=…, max_size=…) ->
    attachment`, see upload_rules) and post its id under `<field>`, next to the ids the user kept.
    Returns that form data and, by input name, what is wrong with each file that was refused (the
    caller then rolls back and discards the ones stored)."""
    definition = forms.parse_definition(spec.schema, spec.ui) if spec.schema else None
    merged, refused = MultiDict(formdata), {}
    for key in list(files.keys()):
        if not key.endswith(forms.UPLOAD_SUFFIX):
            continue
        field = key[: -len(forms.UPLOAD_SUFFIX)]
        for upload in files.getlist(key):
            if not (upload and upload.filename):
                continue
            try:
                merged.add(field, store(field, upload, **upload_rules(definition, field)).public_id)
            except InvalidInput as exc:
                refused.setdefault(field, upload_message(exc, upload.filename))
    return merged, refused
