"""The inbox tabs, filters, sorting and pages; drafts; API tokens."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engine import clock
from engine.errors import PermissionDenied
from engine.models import HumanTask, TaskState
from engine.services import inbox, tasks, tokens
from engine.services.inbox import InboxQuery


@pytest.fixture
def setup(session, deploy, start, make_user):
    deploy("lanes")
    clock.set_now(datetime(2023, 10, 31, 2, tzinfo=UTC))
    people = {"me": make_user("me", groups=["评议办"]), "colleague": make_user("colleague", groups=["评议办"]),
              "other": make_user("other", groups=["被评议部门"])}
    made = [start("lanes", {"issued_on": f"2023-11-{day:02d}", "deputies": []}, title=f"部门{day}",
                  business_key=f"D{day}") for day in range(1, 8)]
    return people, made


def titles(page):
    return [row.task.instance.title for row in page.rows]


def test_tabs(session, setup):
    people, made = setup
    rows = session.scalars(select(HumanTask).order_by(HumanTask.id)).all()
    tasks.claim(session, rows[0].id, people["me"])
    tasks.claim(session, rows[1].id, people["colleague"])
    tasks.complete_task(session, rows[2].id, {}, people["me"])
    mine = inbox.inbox(session, people["me"], InboxQuery(tab="mine"))
    group = inbox.inbox(session, people["me"], InboxQuery(tab="group"))
    done = inbox.inbox(session, people["me"], InboxQuery(tab="completed"))
    # mine: held by me or offered to me (even if a colleague holds it, so I can see who does)
    assert mine.total == 6 and "部门3" not in titles(mine)
    assert group.total == 4 and {"部门1", "部门2", "部门3"}.isdisjoint(titles(group))
    assert titles(done) == ["部门3"]
    assert inbox.count_mine(session, people["me"]) == 6
    # completing 部门3's registration handed its next step to the departments' lane
    assert titles(inbox.inbox(session, people["other"], InboxQuery(tab="mine"))) == ["部门3"]


def test_due_filters_search_sort_and_pages(session, setup):
    people, _ = setup
    clock.set_now(datetime(2023, 11, 6, tzinfo=UTC))  # dueAt = issued_on + 3 days, end of day in Beijing
    overdue = inbox.inbox(session, people["me"], InboxQuery(due="overdue"))
    soon = inbox.inbox(session, people["me"], InboxQuery(due="soon"))
    assert titles(overdue) == ["部门1", "部门2"] and all(row.is_overdue for row in overdue.rows)
    assert titles(soon) == ["部门3", "部门4", "部门5"] and all(row.is_due_soon for row in soon.rows)
    assert titles(inbox.inbox(session, people["me"], InboxQuery(search="D5"))) == ["部门5"]
    assert titles(inbox.inbox(session, people["me"], InboxQuery(search="部门6"))) == ["部门6"]
    newest = inbox.inbox(session, people["me"], InboxQuery(sort="created"))
    assert titles(newest)[0] == "部门7"
    first = inbox.inbox(session, people["me"], InboxQuery(per_page=5, page=1))
    second = inbox.inbox(session, people["me"], InboxQuery(per_page=5, page=2))
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (7, 2, 5, 2)
    assert set(titles(first)).isdisjoint(titles(second))
    # nonsense parameters fall back to defaults instead of failing
    odd = inbox.inbox(session, people["me"], InboxQuery(tab="x", sort="y", due="z", page=-3, per_page=10_000))
    assert odd.query.tab == "mine" and odd.query.page == 1 and odd.query.per_page == 100 and odd.total == 7


def test_draft_is_kept_until_the_task_is_done(session, setup):
    people, _ = setup
    row = session.scalars(select(HumanTask).order_by(HumanTask.id)).first()
    with pytest.raises(PermissionDenied):
        tasks.save_draft(session, row.id, {"note": "x"}, people["other"])
    tasks.save_draft(session, row.id, {"note": "写了一半", "when": datetime(2023, 11, 1, tzinfo=UTC)}, people["me"])
    session.expire_all()
    row = session.get(HumanTask, row.id)
    assert row.draft == {"note": "写了一半", "when": "2023-11-01T00:00:00+00:00"} and row.draft_saved_at
    tasks.complete_task(session, row.id, {}, people["me"])
    session.expire_all()
    row = session.get(HumanTask, row.id)
    assert row.state == TaskState.COMPLETED and row.draft is None and row.submitted == {}


def test_api_tokens(session, setup):
    people, _ = setup
    token, secret = tokens.create_token(session, people["me"], "报表系统", people["me"])
    assert secret.startswith("pyt_") and secret not in token.token_hash
    assert tokens.user_for_token(session, secret).id == people["me"].id
    assert tokens.user_for_token(session, secret + "x") is None
    assert tokens.user_for_token(session, "not-a-token") is None
    people["me"].is_active = False  # a deactivated person's tokens stop working with them
    session.flush()
    assert tokens.user_for_token(session, secret) is None
    people["me"].is_active = True
    session.flush()
    with pytest.raises(PermissionDenied):
        tokens.create_token(session, people["me"], "x", people["colleague"])
    tokens.revoke_token(session, token.id, people["me"])
    assert tokens.user_for_token(session, secret) is None
    clock.advance(timedelta(days=1))
