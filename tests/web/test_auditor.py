"""Auditors read everything and change nothing: every page they may open, no action anywhere,
403 on every route that could change something (enumerated from the URL map, so a new route is
covered the day it is added), the API refusing their tokens, and every view they make recorded."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from engine.models import AuditEvent, User
from engine.services import tokens
from tests.web import auditing
from tests.web.auditing import read
from tests.web.conftest import PASSWORD

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
# Allowed to a signed-in auditor: they change only the auditor's own session or password.
EXEMPT = {"auth.logout", "auth.password", "notifications.open_one", "notifications.read_all"}
# Routes that work without signing in: what they do does not depend on who is signed in (a citizen's
# opinion through a 评议码, a deputy's opinion or vote through a 代表码, signing in). A new route
# that answers without a sign-in fails test_public_routes_are_the_listed_ones until it is added here.
PUBLIC = {"auth.login", "opinions_public.channel_form", "opinions_public.deputy_form", "voting.deputy_vote"}


@pytest.fixture
def record(session, make_user, app):
    return auditing.build(session, make_user, Path(app.config["ATTACHMENTS_DIR"]))


def text(response) -> str:
    return response.get_data(as_text=True)


def mutating_rules(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & MUTATING):
            values = {}
            for name, converter in rule._converters.items():
                if isinstance(converter, IntegerConverter):
                    values[name] = 1
                elif isinstance(converter, AnyConverter):
                    values[name] = sorted(converter.items)[0]
                else:
                    values[name] = "x"
            url = app.url_map.bind("localhost").build(rule.endpoint, values, method=method)
            yield rule.endpoint, method, url


def views_recorded(session) -> list[dict]:
    rows = session.scalars(select(AuditEvent.details).where(AuditEvent.event_type == "auditor_viewed")
                           .order_by(AuditEvent.seq)).all()
    session.commit()
    return rows


def test_the_auditor_reads_every_instance_task_file_and_event(client, login, session, record):
    login("auditor")
    instance = client.get(f"/instances/{record.edu}")
    assert instance.status_code == 200 and "课后服务不足" in text(instance) and "整改方案.pdf" in text(instance)
    assert f"/audit/instances/{record.edu}/dossier.zip" in text(instance)
    done = client.get(f"/tasks/{record.plan_task}")
    assert done.status_code == 200 and "成立专班逐条整改" in text(done) and "张伟" in text(done)
    draft = client.get(f"/tasks/{record.confirm_task}")
    assert draft.status_code == 200 and 'id="draft-heading"' in text(draft)
    download = client.get(f"/files/{record.file}")
    assert download.status_code == 200 and download.data == auditing.PDF
    download.close()
    history = client.get(f"/audit/?instance={record.edu}")
    assert history.status_code == 200 and "完成任务" in text(history) and "张伟 (dept)" in text(history)
    assert client.get("/audit/events/1").status_code == 200
    completed = read(session, select(AuditEvent.seq).where(AuditEvent.event_type == "task_completed").limit(1))
    details = text(client.get(f"/audit/events/{completed}"))
    assert "提交整改方案" in details and "\\u63d0" not in details  # the details read as written
    listing = client.get("/audit/instances")
    assert "教育局整改" in text(listing) and "卫健局整改" in text(listing)
    assert client.get(f"/audit/instances/{record.edu}/dossier.zip").status_code == 200
    exported = client.get("/audit/events.csv")
    assert exported.status_code == 200 and exported.headers["Content-Type"] == "text/csv; charset=utf-8"


PAGES = ["/", "/instances/{edu}", "/tasks/{plan}", "/tasks/{confirm}", "/audit/", "/audit/instances",
         "/audit/report?department=D01&year=2026", "/audit/verify?run=1", "/audit/events/1",
         "/org/departments/", "/org/members/", "/org/deputies/", "/opinions/", "/opinions/channels/{channel}",
         "/ballots/", "/ballots/{ballot}", "/ballots/{ballot}/result", "/ballots/rules/", "/term-plans/",
         "/processes/", "/public/", "/start/"]


def test_no_page_offers_the_auditor_an_action(client, login, session, record):
    login("auditor")
    for template in PAGES:
        page = client.get(template.format(edu=record.edu, plan=record.plan_task, confirm=record.confirm_task,
                                          ballot=record.ballot, channel=record.channel))
        html = text(page)
        assert page.status_code in (200, 403), (template, page.status_code)
        forms = re.findall(r"<form\b[^>]*>", html)
        posting = [f for f in forms if re.search(r'method="post"', f, re.I)]
        assert all('action="/logout"' in f for f in posting), (template, posting)
        assert "formaction" not in html and 'href="/start/"' not in html, template


def test_every_route_that_changes_something_refuses_the_auditor(app, client, login, session, record):
    login("auditor")
    checked = 0
    for endpoint, method, url in mutating_rules(app):
        response = client.open(url, method=method, data={"reason": "x", "username": "dept"})
        if endpoint in EXEMPT:
            assert response.status_code != 403, (endpoint, url)
            login("auditor")  # signing out is allowed, and ends the session
            continue
        assert response.status_code == 403, (endpoint, method, url, response.status_code)
        checked += 1
    assert checked >= 30
    # and nothing changed: the auditor left no event but views
    assert read(session, select(func.count()).where(AuditEvent.actor_id == record.people["auditor"],
                                                    AuditEvent.event_type != "auditor_viewed")) == 0


def test_public_routes_are_the_listed_ones(app, client, record):
    public = set()
    for endpoint, method, url in mutating_rules(app):
        response = client.open(url, method=method, data={})
        assert response.status_code < 500, (endpoint, url)
        to_login = response.status_code == 302 and response.headers["Location"].startswith("/login")
        if not (to_login or response.status_code == 401):
            public.add(endpoint)
    assert public == PUBLIC


def test_public_routes_refuse_a_signed_in_auditor_too(client, login, record):
    login("auditor")
    assert client.post("/o/x", data={}).status_code == 403
    assert client.post("/d/v/y", data={}).status_code == 403


def test_the_auditor_changes_their_own_password_and_signs_out(client, login, session, record):
    login("auditor")
    changed = client.post("/password", data={"old_password": PASSWORD, "new_password": "another-pass-99",
                                             "repeat": "another-pass-99"})
    assert changed.status_code == 302
    assert client.post("/logout").status_code == 302
    assert client.get("/audit/").status_code == 302  # signed out
    assert client.get("/lang/en").status_code == 302


def test_the_api_refuses_auditor_tokens_for_changes_but_serves_reads(client, session, record):
    auditor = session.get(User, record.people["auditor"])
    _, secret = tokens.create_token(session, auditor, "audit", auditor)
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/v1/instances", json={"process_id": "plan"}, headers=headers).status_code == 403
    assert client.post(f"/api/v1/tasks/{record.confirm_task}/claim", headers=headers).status_code == 403
    submit = client.post(f"/api/v1/tasks/{record.confirm_task}/submit", json={"data": {"confirmed": True}},
                         headers=headers)
    assert submit.status_code == 403
    task = client.get(f"/api/v1/tasks/{record.confirm_task}", headers=headers)
    assert task.status_code == 200 and task.get_json()["data"] == {"confirmed": False}
    assert views_recorded(session)[-1]["what"] == "task"


def test_what_the_auditor_views_is_recorded(client, login, session, record):
    login("auditor")
    client.get("/")
    client.get("/static/app.css").close()
    assert views_recorded(session) == []  # not the inbox, not static files
    client.get(f"/instances/{record.edu}")
    client.get(f"/tasks/{record.plan_task}")
    client.get(f"/files/{record.file}").close()
    client.get(f"/audit/instances/{record.edu}/dossier.zip").close()
    client.get("/audit/events.xlsx?type=task_completed").close()
    client.get("/audit/?department=D01&year=2026")
    client.get("/audit/report?department=D01&year=2026")
    client.get("/audit/verify")  # the page alone is no view of anything
    client.get("/audit/verify?run=1")
    seen = views_recorded(session)
    assert [v["what"] for v in seen] == ["instance", "task", "attachment", "dossier", "export", "history_search",
                                         "report", "verify"]
    assert seen[7]["events"] > 0 and "broken_at" not in seen[7]
    assert seen[2]["filename"] == "整改方案.pdf" and seen[4]["filters"] == {"event_type": "task_completed"}
    assert seen[5]["filters"] == {"department": "D01", "year": 2026}
    instance_of_views = session.scalars(select(AuditEvent.instance_id).where(
        AuditEvent.event_type == "auditor_viewed").order_by(AuditEvent.seq)).all()
    session.commit()
    assert instance_of_views[:4] == [record.edu] * 4
    # the instance page still shows the process's history, and counts the views apart
    client.post("/logout")
    login("boss")
    page = text(client.get(f"/instances/{record.edu}"))
    assert f"/audit/?instance={record.edu}&amp;type=auditor_viewed" in page  # 4 views, linked, not in the timeline
    assert page.count("data-seq=") == read(session, select(func.count()).where(
        AuditEvent.instance_id == record.edu, AuditEvent.event_type != "auditor_viewed"))
    assert read(session, select(func.count()).where(AuditEvent.event_type == "auditor_viewed")) == 8  # not boss's


def test_only_auditors_and_administrators_reach_the_audit_pages(client, login, record):
    login("dept")
    for url in ("/audit/", "/audit/instances", "/audit/verify", "/audit/report", "/audit/events.csv",
                f"/audit/instances/{record.edu}/dossier.zip", "/audit/events/1"):
        assert client.get(url).status_code == 403, url
    assert 'href="/audit/"' not in text(client.get("/"))
    client.post("/logout")
    login("boss")
    assert client.get("/audit/").status_code == 200 and 'href="/audit/"' in text(client.get("/"))


@pytest.mark.parametrize("query", [
    "year=9999", "year=1", "year=-1", "year=%C2%B2", "instance=%C2%B2", "year=" + "9" * 20, "until=9999-12-31",
    "since=0001-01-01", "before=" + "9" * 20, "after=" + "9" * 20, "per_page=" + "9" * 20, "kind=x",
    "_method=POST", "department=%00", "type=" + "x" * 500, "since=2026-13-01",
])
def test_odd_query_strings_are_no_filter_and_no_error(client, login, record, query):
    login("auditor")
    for page in ("/audit/", "/audit/instances", "/audit/report?department=D01", "/audit/events.csv",
                 "/audit/instances.xlsx"):
        response = client.get(f"{page}{'&' if '?' in page else '?'}{query}")
        assert response.status_code == 200, (page, query)
        response.get_data()  # a stream must not fail half-way either


def test_ids_too_large_for_the_database_are_not_found(client, login, record):
    login("auditor")
    for url in ("/audit/events/" + "9" * 20, "/audit/instances/" + "9" * 20 + "/dossier.zip",
                "/instances/2147483648", "/tasks/" + "9" * 20):
        assert client.get(url).status_code == 404, url
