"""The meeting's vote in real Chromium: the big screen shows the QR code and turnout, a member votes
on a phone through the QR link, the chair closes the vote, and the big screen shows the result
by itself (it polls), within two seconds."""
from __future__ import annotations

from sqlalchemy import func, select

from engine.models import BallotVote
from engine.services import ballots, org
from tests.browser.conftest import DESKTOP, PASSWORD, PHONE, horizontal_overflow, login, screenshot

try:
    from playwright.sync_api import expect
except ImportError:  # no Playwright: the `browser` fixture skips (or fails when PINGYI_REQUIRE_BROWSER=1)
    expect = None


def test_vote_by_qr_on_a_phone_and_result_on_the_big_screen(open_page, session, make_user):
    office = make_user("office", groups=["评议办"], password=PASSWORD, display_name="王秀英")
    members = [make_user(f"m{i}", groups=["常委会组成人员"], password=PASSWORD) for i in range(1, 4)]
    ballot = ballots.open_ballot(session, office, title="对县教育局工作的满意度测评", subject="县教育局",
                                 year=2026, voters={m.id: "committee" for m in members})
    public_id, member_ids = ballot.public_id, [m.id for m in members]
    session.commit()
    for user_id, choice in zip(member_ids[1:], ("satisfied", "basic"), strict=True):
        envelope = ballots.issue_envelope(session, public_id, session.get(type(office), user_id), choice)
        session.commit()
        ballots.cast(session, envelope, choice)
        session.commit()

    screen = open_page(DESKTOP)
    login(screen, "office")
    screen.goto(f"/ballots/{public_id}/screen")
    expect(screen.locator("h1")).to_have_text("对县教育局工作的满意度测评")
    expect(screen.locator("#voted")).to_have_text("2")
    vote_url = screen.locator("[data-vote-url]").get_attribute("data-vote-url")
    assert vote_url.endswith(f"/v/{public_id}")
    expect(screen.locator(".screen-qr svg")).to_be_visible()
    screenshot(screen, "ballot-screen-open.png")

    phone = open_page(PHONE)
    phone.goto(vote_url)  # what the camera opens
    assert "/login" in phone.url
    phone.get_by_label("用户名").fill("m1")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"**/v/{public_id}")
    expect(phone.get_by_text("无记名投票 · 县教育局")).to_be_visible()
    assert horizontal_overflow(phone) == 0
    phone.get_by_text("满意", exact=True).click()
    dialogs = []
    phone.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    screenshot(phone, "ballot-vote-phone.png")
    phone.get_by_role("button", name="投票").click()
    expect(phone.locator("#vote-done")).to_have_text("您的票已投出，谢谢。")
    assert dialogs == ["确定投“满意”吗？投出后不能更改。"]
    screenshot(phone, "ballot-voted-phone.png")
    expect(screen.locator("#voted")).to_have_text("3")  # the screen polls turnout

    chair = open_page(DESKTOP)
    login(chair, "office")
    chair.goto(f"/ballots/{public_id}")
    asked = []
    chair.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    chair.get_by_role("button", name="结束表决并计票").click()
    expect(chair.locator(".alert-success")).to_have_text("表决已结束，计票完成。")
    assert asked and asked[0].startswith("已投 3 人，应投 3 人。")  # the chair confirmed, knowing the turnout
    expect(screen.locator("#grade")).to_have_text("满意", timeout=2_000)  # 2 of 3 satisfied: more than half
    expect(screen.locator("#result-rows")).to_contain_text("基本满意")
    screenshot(screen, "ballot-screen-result.png")
    assert session.scalar(select(func.count()).select_from(BallotVote)) == 3
    session.commit()
    expect(screen.locator("#screen-stale")).to_be_hidden()
    screen.context.set_offline(True)  # the hall's network drops
    expect(screen.locator("#screen-stale")).to_contain_text("连接中断", timeout=6_000)
    screen.context.set_offline(False)
    expect(screen.locator("#screen-stale")).to_be_hidden(timeout=3_000)
    screen.context.clear_cookies()  # the screen's session ends (signed out elsewhere, or the server forgot it)
    expect(screen.locator("#screen-stale")).to_contain_text("已退出登录", timeout=3_000)  # not silently stale


def test_choosing_a_department_fills_the_vote_form(open_page, session, make_user):
    office = make_user("office", groups=["评议办"], password=PASSWORD, display_name="王秀英")
    org.create_unit(session, "department", {"code": "D07", "name": "县市场监督管理局", "group_name": "市场监管局"},
                    office)
    session.commit()
    page = open_page(DESKTOP)
    login(page, "office")
    page.goto("/ballots/new")
    page.select_option("#department-picker", "D07")
    expect(page.locator("#subject")).to_have_value("县市场监督管理局")
    expect(page.locator("#subject_key")).to_have_value("D07")
    expect(page.locator("#title")).to_have_value("对县市场监督管理局工作的满意度测评")  # an empty title too
    page.fill("#title", "专项测评")
    page.select_option("#department-picker", "")
    page.select_option("#department-picker", "D07")
    expect(page.locator("#title")).to_have_value("专项测评")  # but never one the office typed
