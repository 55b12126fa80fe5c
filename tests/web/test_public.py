"""The public pages (公开) without signing in, and the office's publication pages."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import Publication, User
from engine.services import opinion_channels, publications
from tests.web.conftest import PASSWORD
from tests.web.test_pages import text

NOTICE = {
    "intro": "根据年度工作安排，常委会决定对下列部门开展工作评议。\n欢迎社会各界提出意见和建议。",
    "period": {"start": "2026-04-01", "end": "2026-06-30"},
    "departments": [{"name": "教育局", "content_items": ["法治政府建设", "人大代表建议办理"], "slug": None},
                    {"name": "卫健局", "content_items": ["法治政府建设"], "opinion_url": "javascript:alert(1)"}],
    "channels": "电话：0579-88888888\n邮箱：pingyi@example.gov.cn",
    "contact": "县人大常委会办公室",
}
RESULTS = {"meeting_date": "2026-09-25", "rule": "满意票超过全体组成人员半数的为“满意”。",
           "rows": [{"rank": 1, "department": "教育局", "score": 92.456, "grade": "满意", "flagged": False},
                    {"rank": 2, "department": "卫健局", "score": 61, "grade": "基本满意", "flagged": True}],
           "notes": "测评结果已报送县委。"}
RECTIFICATION = {"department": "卫健局", "report_summary": "整改工作已基本完成。",
                 "items": [{"problem": "基层医疗服务能力不足", "measure": "新建村卫生室12个", "status": "done",
                            "evidence": "验收报告"},
                           {"problem": "药品采购不透明", "measure": "公开采购清单", "status": "in_progress"}],
                 "reevaluation": {"grade": "满意", "score": 88.5}}
EVIL = "<script>alert('x')</script><b>粗体</b>"


@pytest.fixture
def people(make_user):
    return {"office": make_user("office", groups=["评议办"], password=PASSWORD),
            "outsider": make_user("outsider", groups=["教育局"], password=PASSWORD),
            "auditor": make_user("auditor", is_auditor=True, password=PASSWORD),
            "investigator": make_user("investigator", groups=["教育局调查组"], password=PASSWORD)}


@pytest.fixture
def published(session, people):
    office = people["office"]
    channel = opinion_channels.create_channel(
        session, year=2026, department_name="教育局", department_key="D01", department_group="教育局",
        investigation_group="教育局调查组", content_items=["法治政府建设"], actor=office)
    notice = {**NOTICE, "departments": [{**NOTICE["departments"][0], "slug": channel.slug},
                                        NOTICE["departments"][1]]}
    made = {kind: publications.publish(session, year=2026, kind=kind, title=title, body=body, actor=office).public_id
            for kind, title, body in (("notice", "关于开展2026年度部门工作评议的公告", notice),
                                      ("results", "2026年度部门工作评议结果", RESULTS),
                                      ("rectification", "卫健局整改情况", RECTIFICATION),
                                      ("other", f"说明{EVIL}", {"text": f"第一行\n{EVIL}"}))}
    made["old"] = publications.publish(session, year=2025, kind="other", title="旧闻", body={"text": "x"},
                                       actor=office).public_id
    made["slug"] = channel.slug
    session.commit()
    return made


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.headers["Cache-Control"] == "public, max-age=60"
    return text(response)


def test_years_and_a_year_without_signing_in(client, published):
    years = page(client, "/public/")
    assert years.index("2026年度评议") < years.index("2025年度评议") and "4 条" in years
    year = page(client, "/public/2026/")
    assert [year.index(k) for k in ("公告", "评议结果", "整改情况", "其他")] == sorted(
        year.index(k) for k in ("公告", "评议结果", "整改情况", "其他"))
    assert "关于开展2026年度部门工作评议的公告" in year and f"/public/p/{published['results']}" in year
    assert "旧闻" not in year and "back-to-app" not in year  # no way into the app for the public
    assert client.get("/public/2024/").status_code == 404


def test_a_notice_shows_each_departments_code(client, published):
    html = page(client, f"/public/p/{published['notice']}")
    assert "2026年4月1日至2026年6月30日" in html and "评议对象和评议内容" in html
    assert "教育局" in html and "人大代表建议办理" in html and "意见征集渠道" in html
    assert "<svg" in html and f"/o/{published['slug']}" in html and "扫码提出意见" in html
    assert html.count("<svg") == 1 and "javascript:" not in html  # no code for 卫健局, and no script link
    assert "white-space: pre-line" in html and "欢迎社会各界提出意见和建议" in html


def test_results_and_rectification_render_in_chinese(client, published):
    results = page(client, f"/public/p/{published['results']}")
    assert "经2026年9月25日人大常委会会议评议" in results
    assert "名次" in results and "得分" in results and "92.46" in results and ">61<" in results
    assert "跟踪督办" in results and "测评结果已报送县委" in results and "计票规则" in results
    rectification = page(client, f"/public/p/{published['rectification']}")
    assert "问题及整改情况" in rectification and "新建村卫生室12个" in rectification
    assert "已完成" in rectification and "正在整改" in rectification and "佐证材料" in rectification
    assert "再测评" in rectification and "88.50" in rectification


def test_everything_is_escaped(client, published):
    html = page(client, f"/public/p/{published['other']}")
    assert "<script>" not in html and "<b>粗体" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;b&gt;粗体&lt;/b&gt;" in html
    assert "第一行" in html


def test_a_withdrawn_publication_says_so(client, session, published, people):
    publications.withdraw(session, published["results"], "名次有误，将更正后重新发布", people["office"])
    session.commit()
    html = page(client, f"/public/p/{published['results']}")
    assert "该信息已于" in html and "撤回" in html and "名次有误，将更正后重新发布" in html
    assert "92.46" not in html and "跟踪督办" not in html
    assert "已于" in page(client, "/public/2026/")
    missing = client.get("/public/p/nope")
    assert missing.status_code == 404 and "该公开信息不存在" in text(missing)


def test_the_office_publishes_and_withdraws(client, login, session, people, published):
    login("office")
    listing = client.get("/publications/")
    assert listing.status_code == 200 and "2026年度部门工作评议结果" in text(listing)
    assert 'href="/publications/"' in text(listing)  # the nav's 公开 leads the office here
    assert client.get("/publications/new").status_code == 200
    done = client.post("/publications/new", data={
        "kind": "notice", "year": "2026", "title": "补充公告", "text": "正文<i>一</i>\n第二段",
        "period_start": "2026-04-01", "period_end": "2026-05-31", "include_channels": "y",
        "channels": "电话：1234567", "contact": "办公室"})
    assert done.status_code == 302
    public_id = done.headers["Location"].rsplit("/", 1)[-1]
    found = session.scalar(select(Publication).where(Publication.public_id == public_id))
    assert found.kind == "notice" and found.body["departments"][0]["slug"] == published["slug"]
    assert found.body["period"] == {"start": "2026-04-01", "end": "2026-05-31"}
    session.commit()
    shown = page(client, done.headers["Location"])
    assert "正文&lt;i&gt;一&lt;/i&gt;" in shown and "<svg" in shown
    assert client.post("/publications/new", data={"kind": "other", "year": "2026", "title": ""}).status_code == 422

    refused = client.post(f"/publications/{public_id}/withdraw", data={"reason": " "}, follow_redirects=True)
    assert "请填写撤回原因" in text(refused)
    session.expire_all()
    assert session.scalar(select(Publication.withdrawn_at).where(Publication.public_id == public_id)) is None
    session.commit()
    withdrawn = client.post(f"/publications/{public_id}/withdraw", data={"reason": "重复发布"}, follow_redirects=True)
    assert "已撤回" in text(withdrawn) and "重复发布" in text(withdrawn)
    assert client.post(f"/publications/{public_id}/withdraw", data={"reason": "again"}).status_code == 409


def test_only_the_office_publishes_and_the_auditor_reads_the_list(client, login, session, people, published):
    assert client.get("/publications/").status_code == 302  # to sign-in
    for name in ("outsider", "auditor", "investigator"):
        login(name)
        home = text(client.get("/"))
        assert 'href="/public/">公开</a>' in home  # everyone signed in sees the public pages in the nav
        assert 'href="/" id="back-to-app">返回评议通<' in text(client.get("/public/"))  # and finds the way back
        listing = client.get("/publications/")
        if name == "auditor":  # reads the list, offered nothing to do
            assert listing.status_code == 200 and "publications/new" not in text(listing)
            assert "/withdraw" not in text(listing)
        else:
            assert listing.status_code == 403
        assert client.get("/publications/new").status_code == 403
        assert client.post("/publications/new", data={"kind": "other", "year": "2026", "title": "x",
                                                      "text": "y"}).status_code == 403
        assert client.post(f"/publications/{published['notice']}/withdraw",
                           data={"reason": "x"}).status_code == 403
        client.post("/logout")
    assert session.scalar(select(Publication.withdrawn_at).where(
        Publication.public_id == published["notice"])) is None
    assert session.scalar(select(User.id).where(User.username == "office")) is not None
    session.commit()
