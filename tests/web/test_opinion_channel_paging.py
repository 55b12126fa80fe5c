"""The opinion channel page in pages of 50, filtered in SQL by content item, status and rating, with the
channel's counts kept; the review actions come back to the same page and filter; the Excel list keeps
every opinion the filter lets through."""
from __future__ import annotations

import io
import re
import secrets

import openpyxl
import pytest
from sqlalchemy import select

from engine import clock
from engine.models import Opinion, User
from engine.services import opinion_channels, opinion_review
from tests.web.conftest import PASSWORD
from tests.web.test_pages import text

ITEMS = ["法治政府建设", "人大代表建议办理"]


@pytest.fixture
def channel(session, make_user):
    """120 opinions: every 10th adopted, every 7th merged into the first, every 3rd classified; ratings
    cycle satisfied / basically satisfied / dissatisfied."""
    office = make_user("office", groups=["评议办"], password=PASSWORD, display_name="王秀英")
    make_user("dept", groups=["教育局"], password=PASSWORD)
    make_user("investigator", groups=["教育局调查组"], password=PASSWORD)
    found = opinion_channels.create_channel(
        session, year=clock.now().year, department_name="教育局", department_key="D01", department_group="教育局",
        investigation_group="教育局调查组", content_items=ITEMS, actor=office)
    ratings = ("satisfied", "basically_satisfied", "dissatisfied")
    rows = [Opinion(public_id=secrets.token_hex(8), channel_id=found.id, source="public", rating=ratings[n % 3],
                    text=f"第{n}条意见：课后服务需要改进。", text_hash=secrets.token_hex(8)) for n in range(120)]
    session.add_all(rows)
    session.flush()
    for n, row in enumerate(rows):
        row.content_item = ITEMS[n % 2] if n % 3 == 0 else None
        row.is_adopted = n % 10 == 0
        row.merged_into_id = rows[0].id if n % 7 == 0 and n else None
    session.commit()
    return {"id": found.id, "ids": [r.id for r in rows]}


def numbers_on(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<div class="card[^"]*" id="o(\d+)"', html)]


def test_the_channel_is_paged_and_keeps_its_counts(client, login, channel):
    login("office")
    first = text(client.get(f"/opinions/channels/{channel['id']}"))
    assert numbers_on(first) == channel["ids"][:50]
    assert "第 1–50 条，共 120 条意见" in first and "page=3" in first
    assert "已归类" in first and "采纳" in first  # the channel's counts by status
    last = client.get(f"/opinions/channels/{channel['id']}?page=3")
    assert last.status_code == 200 and numbers_on(text(last)) == channel["ids"][100:]
    assert numbers_on(text(client.get(f"/opinions/channels/{channel['id']}?page=99"))) == channel["ids"][100:]
    assert numbers_on(text(client.get(f"/opinions/channels/{channel['id']}?page=x"))) == channel["ids"][:50]
    assert first.count('name="content_item"') == 50  # one classify form per opinion shown


def test_filters_run_together_and_bad_ones_are_ignored(client, login, channel, session):
    login("office")
    ids = channel["ids"]
    adopted_unhappy = [i for n, i in enumerate(ids) if n % 10 == 0 and not (n % 7 == 0 and n) and n % 3 == 2]
    html = text(client.get(f"/opinions/channels/{channel['id']}?status=adopted&rating=dissatisfied"))
    assert numbers_on(html) == adopted_unhappy and adopted_unhappy
    item = [i for n, i in enumerate(ids) if n % 3 == 0 and n % 2 == 0]
    html = text(client.get(f"/opinions/channels/{channel['id']}?item={ITEMS[0]}&page=1"))
    assert set(numbers_on(html)) <= set(item) and f"共 {len(item)} 条意见" in html
    assert f"{ITEMS[0]} {len(item)}" in html  # the count per content item
    odd = client.get(f"/opinions/channels/{channel['id']}?status=nonsense&rating=%3Cb%3E&page=-3")
    assert odd.status_code == 200 and numbers_on(text(odd)) == ids[:50]
    shown = text(client.get(f"/opinions/channels/{channel['id']}?status=merged&rating=satisfied&item={ITEMS[1]}"))
    merged = [i for n, i in enumerate(ids) if n % 7 == 0 and n and n % 3 == 0 and n % 2 == 1]
    assert numbers_on(shown) == merged and len(merged) == 3
    empty = text(client.get(f"/opinions/channels/{channel['id']}?status=adopted&item={ITEMS[1]}"))
    assert numbers_on(empty) == [] and "没有符合条件的意见" in empty


def test_a_review_action_comes_back_to_the_same_page_and_filter(client, login, channel, session):
    login("office")
    received = [i for n, i in enumerate(channel["ids"]) if n % 3 and n % 10 and not (n % 7 == 0 and n)]
    assert len(received) > 50
    target = received[50]
    page = text(client.get(f"/opinions/channels/{channel['id']}?status=received&page=2"))
    assert numbers_on(page) == received[50:] and 'name="_page" value="2"' in page
    done = client.post(f"/opinions/{target}/classify", data={
        "content_item": ITEMS[1], "_channel": channel["id"], "_item": "", "_status": "received",
        "_rating": "", "_page": "2"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(
        f"/opinions/channels/{channel['id']}?status=received&page=2#o{target}")
    assert session.get(Opinion, target).content_item == ITEMS[1]


def test_the_excel_list_keeps_every_opinion_of_the_filter(client, login, channel):
    login("office")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/opinions/channels/{channel['id']}/opinions.xlsx").get_data())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == channel["ids"]
    unhappy = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/opinions/channels/{channel['id']}/opinions.xlsx?rating=dissatisfied").get_data())).active
    assert [row[0] for row in unhappy.iter_rows(min_row=2, values_only=True)] == channel["ids"][2::3]


def test_the_service_counts_and_pages_in_sql(session, channel):
    dept = session.scalars(select(User).where(User.username == "dept")).one()
    page = opinion_review.channel_page(session, channel["id"], dept,
                                       opinion_review.OpinionFilter(status="received", page=2), per_page=10)
    every = opinion_review.channel_page(session, channel["id"], dept, per_page=None)
    received = [o.id for o in every.opinions if o.status == "received"]
    assert [o.id for o in page.opinions] == received[10:20] and page.total == len(received)
    assert page.counts == every.counts and sum(page.counts.values()) == 120
    assert page.counts["received"] == len(received) and page.pages == -(-len(received) // 10)
    assert sum(page.item_counts.values()) == 120 and page.item_counts[""] == 80
