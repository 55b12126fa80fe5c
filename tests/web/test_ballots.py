"""Ballots over HTTP: opening, voting from the inbox and the QR link (signed in or by 代表码),
paper entry, closing, the big screen's JSON, the result sheet, ranking, rule sets, who may do what,
and the secrecy of the request log."""
from __future__ import annotations

import io
import json
import logging
import re

import docx
import pytest
import segno
from sqlalchemy import func, select

from engine.models import Ballot, BallotVote, BallotVoter, DeputyCode, RuleSet
from engine.services import ballot_box, ballots, deputy_codes
from tests.web.conftest import PASSWORD, read, text


@pytest.fixture
def people(make_user):
    made = {
        "office": make_user("office", groups=["评议办"], password=PASSWORD),
        "chair": make_user("chair", groups=["主任会议", "常委会组成人员"], password=PASSWORD),
        "auditor": make_user("auditor", is_auditor=True, password=PASSWORD),
        "admin": make_user("boss", is_admin=True, password=PASSWORD),
        "dept": make_user("dept", groups=["教育局"], password=PASSWORD),
        "deputy": make_user("deputy", groups=["代表"], password=PASSWORD, display_name="代表甲"),
    }
    for i in range(1, 5):
        made[f"m{i}"] = make_user(f"m{i}", groups=["常委会组成人员"], password=PASSWORD)
    return made


def open_vote(client, login, **extra):
    login("office")
    response = client.post("/ballots/new", data={
        "title": "对县教育局工作的满意度测评", "subject": "县教育局", "year": 2026, "kind": "meeting",
        "rule_set": "default", "committee_group": "常委会组成人员", "deputy_group": "代表", **extra})
    assert response.status_code == 302, text(response)
    client.post("/logout")
    return response.headers["Location"].rsplit("/", 1)[-1]


def vote_as(client, login, username, public_id, choice):
    login(username)
    response = client.post(f"/v/{public_id}", data={"choice": choice})
    client.post("/logout")
    return response


def test_a_vote_from_open_to_announcement(client, login, session, people):
    public_id = open_vote(client, login)
    login("m1")
    inbox = text(client.get("/"))
    assert "等待您投票" in inbox and f"/v/{public_id}" in inbox
    page = client.get(f"/v/{public_id}")
    assert page.status_code == 200 and "满意" in text(page) and "不满意" in text(page)
    assert page.headers["Cache-Control"] == "no-store"
    done = client.post(f"/v/{public_id}", data={"choice": "satisfied"}, follow_redirects=True)
    assert "您的票已投出" in text(done)
    assert "satisfied" not in text(done) and "checked" not in text(done)  # the page does not repeat the choice
    again = client.post(f"/v/{public_id}", data={"choice": "dissatisfied"})
    assert again.status_code == 409 and "已经投过票" in text(again)
    assert f"/v/{public_id}" not in text(client.get("/"))  # no longer waiting in the inbox
    client.post("/logout")
    for name, choice in (("m2", "satisfied"), ("m3", "basic"), ("chair", "satisfied"), ("deputy", "dissatisfied")):
        assert vote_as(client, login, name, public_id, choice).status_code == 302

    login("office")
    status = client.get(f"/ballots/{public_id}/status.json").get_json()
    assert status["status"] == "open" and status["turnout"] == {"eligible": 6, "voted": 5, "paper_returned": 0}
    assert "result" not in status
    assert client.post(f"/ballots/{public_id}/close").status_code == 302
    status = client.get(f"/ballots/{public_id}/status.json").get_json()
    assert status["status"] == "closed" and status["result"]["grade"] == "基本满意"  # 3 of 6 is exactly half
    assert [(o["label"], o["count"]) for o in status["result"]["options"]] == [("满意", 3), ("基本满意", 1),
                                                                             ("不满意", 1)]
    screen = text(client.get(f"/ballots/{public_id}/screen"))
    assert "基本满意" in screen and "status.json" in screen
    sheet = text(client.get(f"/ballots/{public_id}/result"))
    assert "计票规则" in sheet and "恰好半数计为“不满意”" in sheet and "人大代表" in sheet
    client.post(f"/ballots/{public_id}/announce")
    assert read(session, select(Ballot.announced_at)) is not None
    closed = client.post(f"/v/{public_id}", data={"choice": "basic"})
    assert closed.status_code in (403, 409)


def test_wrong_or_missing_choice_keeps_the_ballot(client, login, session, people):
    public_id = open_vote(client, login)
    login("m1")
    refused = client.post(f"/v/{public_id}", data={"choice": "excellent"})
    assert refused.status_code == 422 and "请选择" in text(refused)
    refused = client.post(f"/v/{public_id}", data={})
    assert refused.status_code == 422
    refused = client.post(f"/v/{public_id}", data={"choice": ["satisfied", "dissatisfied"]})  # marked twice
    assert refused.status_code == 422 and "请选择" in text(refused)
    assert read(session, select(func.count()).where(BallotVoter.has_voted.is_(True))) == 0
    assert client.post(f"/v/{public_id}", data={"choice": "basic"}).status_code == 302


def test_outsiders_and_departments_cannot_vote_or_run(client, login, session, people):
    public_id = open_vote(client, login)
    login("dept")
    page = client.get(f"/v/{public_id}")
    assert "您不是本次表决的表决人" in text(page)
    assert client.post(f"/v/{public_id}", data={"choice": "satisfied"}).status_code == 403
    for url in ("/ballots/", f"/ballots/{public_id}", f"/ballots/{public_id}/status.json",
                f"/ballots/{public_id}/screen", f"/ballots/{public_id}/result", "/ballots/ranking",
                "/ballots/rules/", "/ballots/new"):
        assert client.get(url).status_code == 403, url
    for url in ("close", "announce", "paper/issued", "paper/count", "paper/ballot"):
        assert client.post(f"/ballots/{public_id}/{url}").status_code == 403, url
    client.post("/logout")
    login("auditor")  # may look, not act
    assert client.get(f"/ballots/{public_id}").status_code == 200
    assert client.post(f"/ballots/{public_id}/close").status_code == 403
    assert client.get("/ballots/rules/default").status_code == 403
    client.post("/logout")
    assert client.get(f"/v/{public_id}").status_code == 302  # to the sign-in page
    assert read(session, select(Ballot.status)) == "open"


def test_the_chair_closes_a_vote_at_their_own_meeting(client, login, session, people):
    public_id = open_vote(client, login)
    for name in ("m1", "m2", "m3", "m4"):
        vote_as(client, login, name, public_id, "satisfied")
    login("chair")
    assert client.post(f"/ballots/{public_id}/close").status_code == 302
    assert read(session, select(Ballot.status)) == "closed"


def test_closing_asks_first_and_a_void_round_says_why_in_chinese(client, login, session, people):
    public_id = open_vote(client, login)
    vote_as(client, login, "m1", public_id, "satisfied")
    login("chair")
    page = text(client.get(f"/ballots/{public_id}"))
    assert re.search(r'data-confirm="已投 1 人，应投 6 人。现在结束表决并计票吗？', page)
    closed = text(client.post(f"/ballots/{public_id}/close", follow_redirects=True))
    # 5 members (chair, m1–m4) and a deputy vote: the quorum counts the 5 members only
    why = "不足法定人数：常委会组成人员 5 人，出席 1 人，未超过半数（代表不计入法定人数）。"
    assert why in closed and "no quorum" not in closed
    screen = client.get(f"/ballots/{public_id}/status.json").get_json()
    assert screen["void_reason"] == why


def test_deputy_votes_through_their_code(client, login, session, people, app):
    public_id = open_vote(client, login)
    keys = deputy_codes.Keys(secret="test-secret")
    _user, token = deputy_codes.token_for(session, people["deputy"].id, keys, people["office"])
    session.commit()
    assert client.get(f"/d/{token}").status_code == 302  # the scan: the token becomes a cookie
    page = client.get(f"/d/v/{public_id}")
    assert page.status_code == 200 and "对县教育局工作的满意度测评" in text(page)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert client.post(f"/d/v/{public_id}", data={"choice": "basic"}).status_code == 302
    assert "您的票已投出" in text(client.get(f"/d/v/{public_id}"))
    assert read(session, select(func.count()).select_from(BallotVote)) == 1
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert client.get(f"/d/{forged}").status_code == 403
    client.set_cookie("pingyi_deputy", forged, path="/d")
    assert client.get(f"/d/v/{public_id}").status_code == 403
    client.set_cookie("pingyi_deputy", token, path="/d")
    deputy_codes.revoke(session, people["deputy"].id, keys, people["office"])
    session.commit()
    refused = client.get(f"/d/v/{public_id}")
    assert refused.status_code == 403 and "代表码" in text(refused)
    assert f'href="/login?next=/v/{public_id}"' in refused.get_data(as_text=True)  # signing in leads to this vote
    assert read(session, select(DeputyCode.version)) == 2
    client.delete_cookie("pingyi_deputy", path="/d")  # another phone, or the cookie cleared: scan again
    missing = client.get(f"/d/v/{public_id}")
    assert missing.status_code == 403 and "请重新扫描您的代表码二维码" in text(missing)


def test_paper_ballots_through_the_page(client, login, session, people, make_user):
    make_user("teller", groups=["评议办"], password=PASSWORD)
    public_id = open_vote(client, login)
    for name in ("m1", "m2"):
        vote_as(client, login, name, public_id, "satisfied")
    totals = {"issued": 3, "returned": 3, "deputy.satisfied": 1, "committee.basic": 1, "committee.invalid": 1}
    login("office")
    client.post(f"/ballots/{public_id}/paper/to", data={"voter": [str(people["m3"].id)]})
    response = client.post(f"/ballots/{public_id}/paper/count", data={**totals, "returned": 4},
                           follow_redirects=True)
    assert "总数应等于收回的票数" in text(response)
    assert client.post(f"/ballots/{public_id}/paper/count", data=totals).status_code == 302
    refused = client.post(f"/ballots/{public_id}/close", follow_redirects=True)
    assert "须由两名计票人分别录入" in text(refused) and read(session, select(Ballot.status)) == "open"
    client.post("/logout")
    login("teller")
    differs = client.post(f"/ballots/{public_id}/paper/count", follow_redirects=True,
                          data={**totals, "deputy.satisfied": 0, "deputy.basic": 1})
    assert "与另一名计票人的不一致" in text(differs)
    agrees = client.post(f"/ballots/{public_id}/paper/count", data=totals, follow_redirects=True)
    assert "与另一名计票人的一致" in text(agrees)
    assert "常委会组成人员：满意 0、基本满意 1、不满意 0、无效票 1" in text(agrees)  # in words, not JSON
    client.post(f"/ballots/{public_id}/close")
    ballot = session.scalar(select(Ballot))
    assert ballot.status == "closed" and (ballot.paper_issued, ballot.paper_returned) == (3, 3)
    assert ballot.tally["pooled"]["counts"] == {"satisfied": 3, "basic": 1, "dissatisfied": 0, "invalid": 1}


def test_big_screen_shows_a_void_round(client, login, session, people):
    public_id = open_vote(client, login)
    login("office")
    client.post(f"/ballots/{public_id}/paper/issued", data={"issued": 1})
    client.post(f"/ballots/{public_id}/paper/ballot", data={"group": "committee", "choice": "satisfied"})
    client.post(f"/ballots/{public_id}/paper/ballot", data={"group": "committee", "choice": "basic"})
    client.post(f"/ballots/{public_id}/close")
    status = client.get(f"/ballots/{public_id}/status.json").get_json()
    assert status["status"] == "void" and status["void_reason"] == "收回的纸质选票（2 张）多于发出的（1 张）。"


def test_request_log_holds_no_choice(client, login, session, people, caplog):
    public_id = open_vote(client, login)
    caplog.set_level(logging.DEBUG)
    vote_as(client, login, "m1", public_id, "dissatisfied")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "dissatisfied" not in logged and "不满意" not in logged


def test_a_second_open_vote_on_the_same_department_is_refused(client, login, session, people):
    open_vote(client, login)
    login("office")
    again = client.post("/ballots/new", data={
        "title": "再次测评", "subject": "县教育局", "year": 2026, "kind": "meeting", "rule_set": "default",
        "committee_group": "常委会组成人员"})
    assert again.status_code == 422 and "该部门已有一个同类表决正在进行" in text(again)
    assert read(session, select(func.count()).select_from(Ballot)) == 1


def test_open_form_errors_in_chinese(client, login, session, people):
    login("office")
    response = client.post("/ballots/new", data={"title": "", "subject": "县卫健局", "year": 2026, "kind": "meeting",
                                                 "rule_set": "F", "committee_group": "没有这个组"})
    assert response.status_code == 422
    response = client.post("/ballots/new", data={"title": "测评", "subject": "县卫健局", "year": 2026,
                                                 "kind": "meeting", "rule_set": "F", "committee_group": "没有这个组"})
    assert response.status_code == 422 and "没有这个名称的组" in text(response)
    assert read(session, select(func.count()).select_from(Ballot)) == 0


def test_ranking_page(client, login, session, people):
    for subject, choice in (("县教育局", "satisfied"), ("县民政局", "dissatisfied")):
        public_id = open_vote(client, login, subject=subject)
        for name in ("m1", "m2", "m3", "m4"):
            vote_as(client, login, name, public_id, choice)
        login("office")
        client.post(f"/ballots/{public_id}/close")
        client.post("/logout")
    login("auditor")
    page = text(client.get("/ballots/ranking?year=2026&lowest=1"))
    rows = re.findall(r'<tr class="([^"]*)">\s*<td>(\d+)</td>\s*<td><a [^>]+>([^<]+)</a>', page)
    assert [(rank, name, "table-danger" in cls) for cls, rank, name in rows] == [
        ("1", "县教育局", False), ("2", "县民政局", True)]


def test_rule_set_editor(client, login, session, people):
    login("boss")
    page = client.get("/ballots/rules/F")
    assert page.status_code == 200 and "不了解" in text(page)
    bad = client.post("/ballots/rules/F", data={"name": "F", "definition": "{not json", "_action": "save"})
    assert bad.status_code == 422 and "不是有效的 JSON" in text(bad)
    definition = dict(ballots.rule_set(session, "F"))
    session.commit()
    definition.pop("name")
    definition["grade"]["bands"] = [[90, "满意"], [70, "基本满意"]]
    preview = client.post("/ballots/rules/F", data={"name": "F（本县）", "definition": json.dumps(definition),
                                                    "_action": "preview"})
    assert preview.status_code == 200 and "90分及以上为“满意”" in text(preview)
    assert read(session, select(func.count()).select_from(RuleSet)) == 0  # a preview saves nothing
    definition["rate_denominator"] = "everyone"
    bad = client.post("/ballots/rules/F", data={"name": "F", "definition": json.dumps(definition), "_action": "save"})
    assert bad.status_code == 422 and "rate_denominator" in text(bad)
    definition["rate_denominator"] = "valid"
    for wrong, said in ((json.dumps(definition).replace("100", "NaN", 1), "不是有效的 JSON"),
                        ("[" * 100_000 + "]" * 100_000, "嵌套层次过深")):
        bad = client.post("/ballots/rules/F", data={"name": "F", "definition": wrong, "_action": "save"})
        assert bad.status_code == 422 and said in text(bad)
    saved = client.post("/ballots/rules/F", data={"name": "F（本县）", "definition": json.dumps(definition),
                                                  "_action": "save"})
    assert saved.status_code == 302
    assert "F（本县）" in text(client.get("/ballots/rules/"))
    assert client.get("/ballots/rules/create?code=bad code!").status_code == 302


def test_the_qr_code_carries_the_vote_address(client, login, session, people):
    public_id = open_vote(client, login)
    login("office")
    png = client.get(f"/ballots/{public_id}/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    expected = io.BytesIO()
    segno.make_qr(f"http://localhost/v/{public_id}", error="m").save(expected, kind="png", scale=10, border=4)
    assert png.data == expected.getvalue()
    svg = client.get(f"/ballots/{public_id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.data.startswith(b"<?xml")


def _session_cookie(app, client) -> dict:
    cookie = client.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def test_a_vote_that_missed_the_box_is_finished_by_its_voter_alone(app, client, login, session, people,
                                                                    monkeypatch):
    """When step 2 fails, the browser keeps the envelope (never the choice) for that voter only:
    the next person on the same phone sees their own ballot, and the first voter chooses again."""
    from sqlalchemy.exc import OperationalError

    public_id = open_vote(client, login)

    def busy(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(ballots, "cast", busy)
    monkeypatch.setattr(ballot_box, "cast", busy)  # PostgreSQL's one-statement step 2 as well
    login("m1")
    assert client.post(f"/v/{public_id}", data={"choice": "dissatisfied"}).status_code == 302
    assert "尚未投入票箱" in text(client.get(f"/v/{public_id}"))
    kept = _session_cookie(app, client)
    assert "dissatisfied" not in json.dumps(kept) and list(kept["pending_votes"]) == [f"{people['m1'].id}/{public_id}"]
    client.post("/logout")

    monkeypatch.undo()  # step 2 works again
    login("m2")  # the same browser
    page = text(client.get(f"/v/{public_id}"))
    assert "尚未投入票箱" not in page and 'id="vote-form"' in page
    client.post(f"/v/{public_id}", data={"choice": "satisfied"})
    client.post("/logout")
    login("m1")
    assert client.post(f"/v/{public_id}", data={"choice": "basic"}).status_code == 302
    assert "您的票已投出" in text(client.get(f"/v/{public_id}"))
    assert sorted(session.scalars(select(BallotVote.choice))) == ["basic", "satisfied"]
    session.commit()


def test_a_vote_that_closed_between_the_steps_says_it_was_not_counted(client, login, session, people, monkeypatch):
    from engine.errors import VoteClosed

    public_id = open_vote(client, login)

    def closed(*args, **kwargs):
        raise VoteClosed("The vote is closed.")

    monkeypatch.setattr(ballots, "cast", closed)
    monkeypatch.setattr(ballot_box, "cast", lambda *args, **kwargs: False)  # the one statement found it closed
    login("m1")
    response = client.post(f"/v/{public_id}", data={"choice": "basic"})
    assert response.status_code == 409 and "未计入" in text(response) and "您的票已投出" not in text(response)


def test_a_vote_whose_second_step_broke_unexpectedly_is_finished_later(app, client, login, session, people,
                                                                       monkeypatch):
    """PostgreSQL's one-statement path: the voter is marked in step 1; whatever stops step 2, the
    browser keeps the envelope, so the page says the ballot is not in the box yet, not that it is."""
    if not ballot_box.supported(app.extensions["pingyi.engine"]):
        pytest.skip("the one-statement path is PostgreSQL's")
    public_id = open_vote(client, login)

    def broken(*args, **kwargs):
        raise RuntimeError("the connection broke")

    monkeypatch.setattr(ballot_box, "cast", broken)
    login("m1")
    assert client.post(f"/v/{public_id}", data={"choice": "basic"}).status_code == 500
    assert "尚未投入票箱" in text(client.get(f"/v/{public_id}"))
    monkeypatch.undo()
    assert client.post(f"/v/{public_id}", data={"choice": "basic"}).status_code == 302
    assert "您的票已投出" in text(client.get(f"/v/{public_id}"))
    assert list(session.scalars(select(BallotVote.choice))) == ["basic"]
    session.commit()


def test_paper_ballots_beyond_the_voters_are_refused_or_void_the_round(client, login, session, people, make_user):
    """J1 through the pages: 6 voters (5 members, 1 deputy), 2 vote on the phone."""
    make_user("teller", groups=["评议办"], password=PASSWORD)
    public_id = open_vote(client, login)
    for name in ("m1", "m2"):
        vote_as(client, login, name, public_id, "satisfied")
    login("office")
    refused = text(client.post(f"/ballots/{public_id}/paper/issued", data={"issued": 5}, follow_redirects=True))
    assert "发出纸质选票不可能为 5 张：尚未在手机上投票的只有 4 人。" in refused
    assert read(session, select(Ballot.paper_issued)) is None  # nothing stored
    refused = text(client.post(f"/ballots/{public_id}/paper/count", follow_redirects=True,
                               data={"issued": 4, "returned": 2, "deputy.satisfied": 2}))
    assert "人大代表计有 2 张选票，但人大代表只有 1 人。请重新清点。" in refused
    # 4 paper ballots from the members: possible alone (5 members), but with the 2 phone votes 6 of 5
    totals = {"issued": 4, "returned": 4, "committee.satisfied": 4}
    warned = text(client.post(f"/ballots/{public_id}/paper/count", data=totals, follow_redirects=True))
    assert "按此结束表决，本轮表决无效" in warned
    assert "常委会组成人员的手机和纸质选票合计 6 张，多于其应参加表决人数（5 人）" in warned
    client.post("/logout")
    login("teller")
    client.post(f"/ballots/{public_id}/paper/count", data=totals)
    closed = text(client.post(f"/ballots/{public_id}/close", follow_redirects=True))
    assert read(session, select(Ballot.status)) == "void"
    too_many = "常委会组成人员的手机和纸质选票合计 6 张，多于其应参加表决人数（5 人）"
    assert "本轮表决无效" in closed and too_many in closed
    sheet = text(client.get(f"/ballots/{public_id}/result"))
    assert "多于其应参加表决人数（5 人）" in sheet and "等次" not in sheet


def test_the_result_sheet_shows_the_committee_members_present_and_the_rule_counted(client, login, session,
                                                                                 people):
    """J2: the sheet says how many of the members were present, and the rule says what was counted."""
    public_id = open_vote(client, login)
    for name in ("m1", "m2", "m3", "deputy"):
        vote_as(client, login, name, public_id, "satisfied")
    login("chair")
    client.post(f"/ballots/{public_id}/close")
    sheet = text(client.get(f"/ballots/{public_id}/result"))
    assert "常委会组成人员应到 5 人 · 实到 3 人（法定人数只计组成人员）" in sheet
    assert "以全体应参加表决人数（全体常委会组成人员加参加表决的代表）计" in sheet
    assert "参加表决的代表不计入法定人数" in sheet
    assert "满意" in sheet and read(session, select(Ballot.status)) == "closed"  # 4 of 6 entitled: 满意
    assert read(session, select(Ballot.tally))["grade"] == "满意"
    document = client.get(f"/ballots/{public_id}/result.docx")
    assert document.status_code == 200
    body = "".join(p.text for p in docx.Document(io.BytesIO(document.data)).paragraphs)
    assert "常委会组成人员应到 5 人 · 实到 3 人" in body


def test_phone_votes_after_the_paper_ballots_were_issued_are_flagged(client, login, session, people):
    """The paper ballots were handed out first (4 of the 6 voters), then 3 voted on the phone: the page
    warns before anyone closes the vote."""
    public_id = open_vote(client, login)
    login("office")
    assert client.post(f"/ballots/{public_id}/paper/issued", data={"issued": 4}).status_code == 302
    assert 'id="paper-over-room"' not in client.get(f"/ballots/{public_id}").get_data(as_text=True)
    client.post("/logout")
    for name in ("m1", "m2", "m3"):
        vote_as(client, login, name, public_id, "satisfied")
    login("office")
    page = text(client.get(f"/ballots/{public_id}"))
    assert "已发出纸质选票 4 张，但此后又有人在手机上投票，尚未投票的只剩 3 人" in page
