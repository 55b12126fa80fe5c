"""The dossier ZIP's cost does not grow per file: the navigation's count queries run once per dossier
(not once per rendered page), the tasks' answers come in one statement, and a form is parsed once."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import event

from engine.services.views import FormSpec
from tests.web import auditing
from web import dossier, formkit


@pytest.fixture
def record(session, make_user, app):
    return auditing.build(session, make_user, Path(app.config["ATTACHMENTS_DIR"]))


def statements(app, run) -> list[str]:
    seen: list[str] = []
    engine = app.extensions["pingyi.engine"]

    def count(conn, cursor, statement, params, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def test_the_navigation_counts_run_once_per_dossier(app, client, login, record):
    login("auditor")
    responses = []
    seen = statements(app, lambda: responses.append(client.get(f"/audit/instances/{record.edu}/dossier.zip")))
    assert responses[0].status_code == 200
    names = zipfile.ZipFile(io.BytesIO(responses[0].get_data())).namelist()
    assert {"tasks/01-write_plan.html", "timeline.html", "index.html"} <= set(names)  # three pages and a form
    assert sum("FROM notification" in s for s in seen) == 1
    assert sum("FROM ballot_voter" in s for s in seen) == 1
    assert not any(s.startswith("SELECT human_task.submitted FROM") for s in seen)  # loaded with the tasks


SCHEMA = {"type": "object", "properties": {"summary": {"type": "string", "title": "概述"}}}


def test_a_form_is_parsed_once_and_reads_as_before(app, monkeypatch):
    calls = []
    parse = dossier.forms.parse_definition
    monkeypatch.setattr(dossier.forms, "parse_definition", lambda *a: calls.append(a) or parse(*a))
    spec, other = FormSpec("f", SCHEMA, {}), FormSpec("g", {**SCHEMA, "title": "另一个"}, {})
    with app.test_request_context("/"):
        pages = dossier._Pages()
        first, second = pages.form(spec, {"summary": "甲"}, {}), pages.form(spec, {"summary": "乙"}, {})
        pages.form(other, {}, {})
        assert len(calls) == 2  # one per distinct form
        assert first == formkit.readonly(spec, {"summary": "甲"})
        assert second == formkit.readonly(spec, {"summary": "乙"}) and "乙" in second
        plain = FormSpec()
        assert pages.form(plain, {"a": "1"}, {}) == formkit.readonly(plain, {"a": "1"})
