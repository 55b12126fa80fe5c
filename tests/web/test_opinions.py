"""Opinion channels over HTTP: the public page, deputy codes, offline entry, review, who sees what."""
from __future__ import annotations

import io
import re

import pytest

from engine import clock
from engine.models import Opinion, OpinionPhoto, User
from engine.services import deputy_codes, opinion_channels, opinion_review, org
from tests.images import facts, image
from tests.web.conftest import PASSWORD
from tests.web.test_pages import all_of, text

PNG = image("PNG")
JPEG = image("JPEG", gps=True)
OPINION = {"rating": "dissatisfied", "text": "学校门口上下学时段交通拥堵，建议增加交警疏导。"}


@pytest.fixture(autouse=True)
def photo_dir(app, tmp_path):
    app.config["OPINION_PHOTOS_DIR"] = str(tmp_path / "photos")
    return tmp_path / "photos"


@pytest.fixture
def world(session, make_user):
    people = {"office": make_user("office", groups=["评议办"], password=PASSWORD, display_name="王秀英"),
              "investigator": make_user("investigator", groups=["教育局调查组"], password=PASSWORD),
              "dept": make_user("dept", groups=["教育局"], password=PASSWORD, display_name="张局长"),
              "outsider": make_user("outsider", password=PASSWORD),
              "deputy": make_user("deputy", groups=["代表"], password=PASSWORD, display_name="李代表")}
    channel = opinion_channels.create_channel(
        session, year=clock.now().year, department_name="教育局", department_key="D01", department_group="教育局",
        investigation_group="教育局调查组", content_items=["法治政府建设", "人大代表建议办理"], actor=people["office"])
    ids = {name: user.id for name, user in people.items()}
    ids.update(channel=channel.id, slug=channel.slug)
    session.commit()
    return ids


def opinions_in_db(session):
    return all_of(session, Opinion, "id", "source", "text", "author_name", "author_phone", "deputy_id",
                  "entered_by_id", "ip_hash", "device_hash", "content_item", "merged_into_id", "is_adopted", "note")


def deputy_token(app, session, world) -> str:
    keys = deputy_codes.Keys(secret=app.config["SECRET_KEY"], salt=app.config["DEPUTY_CODE_SALT"],
                             max_age=app.config["DEPUTY_CODE_MAX_AGE"], group=app.config["DEPUTY_GROUP"])
    office = session.get(User, world["office"])
    _, token = deputy_codes.token_for(session, world["deputy"], keys, office)
    session.commit()
    return token


def test_a_citizen_sends_an_opinion_with_photos(client, session, world, photo_dir):
    page = client.get(f"/o/{world['slug']}")
    assert page.status_code == 200 and "教育局" in text(page) and "基本满意" in text(page)
    assert "pingyi_device=" in page.headers.get("Set-Cookie", "") and page.headers["Cache-Control"] == "no-store"
    sent = client.post(f"/o/{world['slug']}", data={**OPINION, "name": "张三", "phone": "13800000000", "photos": [
        (io.BytesIO(PNG), "现场1.png"), (io.BytesIO(JPEG), "现场2.jpg")]}, content_type="multipart/form-data")
    assert sent.status_code == 302 and sent.headers["Location"] == f"/o/{world['slug']}/thanks"
    assert "感谢" in text(client.get(sent.headers["Location"]))
    [opinion] = opinions_in_db(session)
    assert (opinion.source, opinion.author_name, opinion.author_phone) == ("public", "张三", "13800000000")
    assert len(opinion.ip_hash) == 64 and len(opinion.device_hash) == 64 and opinion.ip_hash != "127.0.0.1"
    photos = all_of(session, OpinionPhoto, "storage_key", "filename")
    assert sorted(p.filename for p in photos) == ["现场1.png", "现场2.jpg"]
    assert sorted(facts(photo_dir / p.storage_key) for p in photos) == [("JPEG", (6, 8), {}), ("PNG", (8, 6), {})]


def test_bad_input_is_shown_in_chinese_and_nothing_is_kept(client, session, world):
    bad = client.post(f"/o/{world['slug']}", data={"text": "短"})
    assert bad.status_code == 422 and "请选择评价" in text(bad)
    wrong = client.post(f"/o/{world['slug']}", data={**OPINION, "photos": [(io.BytesIO(b"%PDF-1.4"), "a.pdf")]},
                        content_type="multipart/form-data")
    assert wrong.status_code == 422 and "只接受照片" in text(wrong)
    for content, said in ((b"", "照片是空文件"), (b"MZ\x90\x00not an image", "不是有效的照片")):
        refused = client.post(f"/o/{world['slug']}", data={**OPINION, "photos": [(io.BytesIO(content), "a.jpg")]},
                              content_type="multipart/form-data")
        assert refused.status_code == 422 and said in text(refused)
    nul = client.post(f"/o/{world['slug']}", data={**OPINION, "text": "意见\x00"},
                      headers={"Referer": f"http://localhost/o/{world['slug']}"})
    assert nul.status_code == 400 and "部分输入无法保存" in text(nul)
    assert f'href="/o/{world["slug"]}">返回</a>' in text(nul) and "返回待办" not in text(nul)  # back to the form
    assert opinions_in_db(session) == []


def test_the_honeypot_is_thanked_and_forgotten(client, session, world):
    robot = client.post(f"/o/{world['slug']}", data={**OPINION, "website": "http://cheap.example"})
    assert robot.status_code == 302 and robot.headers["Location"].endswith("/thanks")
    assert opinions_in_db(session) == []


def test_a_duplicate_is_refused_politely(client, session, world):
    assert client.post(f"/o/{world['slug']}", data=OPINION).status_code == 302
    again = client.post(f"/o/{world['slug']}", data={**OPINION, "rating": "satisfied"})
    assert again.status_code == 409 and "无需重复提交" in text(again)
    assert len(opinions_in_db(session)) == 1


def test_a_closed_channel_refuses(client, login, session, world):
    login("office")
    assert client.post(f"/opinions/channels/{world['channel']}/close").status_code == 302
    client.post("/logout")
    for response in (client.get(f"/o/{world['slug']}"), client.post(f"/o/{world['slug']}", data=OPINION)):
        assert response.status_code == 409 and "不再收集" in text(response)
    assert client.get("/o/no-such-code").status_code == 404
    assert opinions_in_db(session) == []


def test_forged_expired_and_revoked_deputy_codes_are_refused(app, client, login, session, world):
    token = deputy_token(app, session, world)
    assert client.get(f"/d/{token}").status_code == 302 and client.get("/d/home").status_code == 200
    forged = client.get(f"/d/{token[:-3]}xyz")
    assert forged.status_code == 403 and "代表码无效" in text(forged)
    stranger = app.test_client()  # no code scanned, or a made-up one in the cookie
    assert "请重新扫描您的代表码二维码" in text(stranger.post(f"/d/c/{world['channel']}", data=OPINION))
    stranger.set_cookie("pingyi_deputy", token[:-3] + "xyz", path="/d")
    assert stranger.post(f"/d/c/{world['channel']}", data=OPINION).status_code == 403
    app.config["DEPUTY_CODE_MAX_AGE"] = 60
    clock.advance(seconds=61)
    expired = client.get("/d/home")  # the scanned code is checked again on every request
    assert expired.status_code == 403 and "已过期" in text(expired)
    clock.reset()
    app.config["DEPUTY_CODE_MAX_AGE"] = 3600
    login("office")
    card = client.get(f"/opinions/deputies/{world['deputy']}")
    assert card.status_code == 200 and "<svg" in text(card)
    assert client.post(f"/opinions/deputies/{world['deputy']}/revoke", data={"reason": "手机丢失"}).status_code == 302
    client.post("/logout")
    revoked = client.get("/d/home")
    assert revoked.status_code == 403 and "已失效" in text(revoked)
    assert client.get(f"/d/{token}").status_code == 403
    assert deputy_token(app, session, world) != token  # the reissued code works
    assert client.get(f"/d/{deputy_token(app, session, world)}", follow_redirects=True).status_code == 200
    assert opinions_in_db(session) == []


def test_a_deputy_gives_opinions_and_follows_them(app, client, login, session, world):
    token = deputy_token(app, session, world)
    scan = client.get(f"/d/{token}")  # the token becomes a cookie; no other address carries it
    assert scan.status_code == 302 and scan.headers["Location"] == "/d/home"
    cookie = scan.headers["Set-Cookie"]
    assert f"pingyi_deputy={token}" in cookie and "HttpOnly" in cookie and "Path=/d" in cookie
    home = text(client.get("/d/home"))
    assert "李代表" in home and f'href="/d/c/{world["channel"]}"' in home and "还没有提出意见" in home
    assert token not in home
    form = client.get(f"/d/c/{world['channel']}")
    assert form.status_code == 200 and 'name="name"' not in text(form) and form.headers["Referrer-Policy"] == \
        "no-referrer"
    assert token not in text(form)
    sent = client.post(f"/d/c/{world['channel']}", data={**OPINION, "photos": [(io.BytesIO(PNG), "a.png")]},
                       content_type="multipart/form-data")
    assert sent.status_code == 302 and sent.headers["Location"] == "/d/home"
    [opinion] = opinions_in_db(session)
    assert opinion.source == "deputy" and opinion.deputy_id == world["deputy"]
    listed = text(client.get("/d/home"))
    assert "已收到" in listed and "交警疏导" in listed and "1 张照片" in listed
    login("investigator")
    client.post(f"/opinions/{opinion.id}/adopt", data={"_channel": world["channel"]})
    client.post("/logout")
    assert "已采纳" in text(client.get("/d/home"))


def test_the_office_enters_paper_opinions(client, login, session, world, make_user):
    login("dept")
    assert client.get(f"/opinions/channels/{world['channel']}/offline").status_code == 403
    client.post("/logout")
    login("office")
    page = client.get(f"/opinions/channels/{world['channel']}/offline")
    assert page.status_code == 200 and "纸质意见" in text(page)
    assert "提出人姓名（选填）" in text(page) and "您的" not in text(page)  # the clerk enters someone else's words
    saved = client.post(f"/opinions/channels/{world['channel']}/offline",
                        data={"rating": "basically_satisfied", "text": "座谈会纸质意见：希望加强师资培训。",
                              "name": "赵六"})
    assert saved.status_code == 302
    [opinion] = opinions_in_db(session)
    assert (opinion.source, opinion.entered_by_id, opinion.author_name) == ("offline", world["office"], "赵六")
    assert "由王秀英录入" in text(client.get(f"/opinions/channels/{world['channel']}"))
    client.post("/logout")
    make_user("auditor1", password=PASSWORD, is_auditor=True)
    session.commit()
    login("auditor1")  # who typed it in, not who said it; nor the department's wording
    page = text(client.get(f"/opinions/channels/{world['channel']}"))
    assert "由王秀英录入" in page and "赵六" not in page and "本部门" not in page


def submit_three(client, world):
    for n, device in enumerate(("a" * 40, "b" * 40, "c" * 40)):
        client.set_cookie("pingyi_device", device)
        response = client.post(f"/o/{world['slug']}", data={
            "rating": "dissatisfied", "text": f"第{n}条意见：食堂饭菜价格偏高。", "name": "张三",
            "phone": "13912345678"})
        assert response.status_code == 302


def test_the_investigation_group_classifies_merges_and_adopts(client, login, session, world):
    submit_three(client, world)
    first, second, third = (o.id for o in opinions_in_db(session))
    login("investigator")
    page = text(client.get(f"/opinions/channels/{world['channel']}"))
    assert "张三" in page and "13912345678" in page and "归类" in page
    common = {"_channel": world["channel"]}
    classified = client.post(f"/opinions/{first}/classify", data={**common, "content_item": "法治政府建设"})
    assert classified.status_code == 302
    assert client.post(f"/opinions/{second}/merge", data={**common, "into": f"#{first}"}).status_code == 302
    refused = client.post(f"/opinions/{third}/merge", data={**common, "into": str(second)}, follow_redirects=True)
    assert "本身已合并" in text(refused)
    client.post(f"/opinions/{first}/adopt", data=common)
    client.post(f"/opinions/{first}/note", data={**common, "note": "调查报告第三部分引用"})
    rows = {o.id: o for o in opinions_in_db(session)}
    assert rows[first].content_item == "法治政府建设" and rows[first].is_adopted
    assert rows[first].note == "调查报告第三部分引用"
    assert rows[second].merged_into_id == first and rows[third].merged_into_id is None
    filtered = text(client.get(f"/opinions/channels/{world['channel']}?item=法治政府建设"))
    assert "第0条" in filtered and "第2条" not in filtered


def test_the_department_never_sees_who_wrote(app, client, login, session, world):
    submit_three(client, world)
    token = deputy_token(app, session, world)
    client.get(f"/d/{token}")
    client.post(f"/d/c/{world['channel']}", data={"rating": "satisfied", "text": "代表意见：家校沟通做得好。"})
    login("office")
    client.post(f"/opinions/channels/{world['channel']}/offline",
                data={"rating": "satisfied", "text": "纸质意见：校车安全有保障。", "name": "赵六",
                      "phone": "13700000000"})
    client.post("/logout")
    login("dept")
    page = client.get(f"/opinions/channels/{world['channel']}")
    html = text(page)
    assert page.status_code == 200 and "家校沟通做得好" in html and "食堂饭菜" in html
    for secret in ("张三", "13912345678", "李代表", "赵六", "13700000000", "王秀英", "/opinions/photos/",
                   "归类", "采纳</button>"):
        assert secret not in html, secret
    assert re.search(r"\d{4}-\d{2}-\d{2}", html) and "代表（代表码）" in html
    assert client.post(f"/opinions/{opinions_in_db(session)[0].id}/adopt",
                       data={"_channel": world["channel"]}).status_code == 403
    # the service gives the department a view without any author field
    dept = session.get(User, world["dept"])
    views = opinion_review.channel_page(session, world["channel"], dept).opinions
    session.commit()
    assert len(views) == 5 and all(type(v) is opinion_review.OpinionView for v in views)
    assert not any(hasattr(v, name) for v in views for name in ("author_name", "author_phone", "deputy_name",
                                                                 "entered_by_name", "photos", "note"))


def test_the_opinion_list_in_excel_names_authors_only_to_the_office_and_the_group(client, login, session, world):
    import io
    import zipfile

    from openpyxl import load_workbook

    submit_three(client, world)

    def workbook_text() -> tuple[list, str]:
        response = client.get(f"/opinions/channels/{world['channel']}/opinions.xlsx")
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
        return rows, "\n".join(str(cell) for row in rows for cell in row if cell is not None)

    client.set_cookie("pingyi_device", "d" * 40)
    assert client.post(f"/o/{world['slug']}", data={"rating": "dissatisfied", "text": '=HYPERLINK("http://x.cn","看")'
                                                    }).status_code == 302  # a citizen may type anything
    login("investigator")
    rows, content = workbook_text()
    assert len(rows) == 5 and rows[0][:5] == ("#", "收到日期", "来源", "评价", "意见内容")
    sheet = zipfile.ZipFile(io.BytesIO(client.get(f"/opinions/channels/{world['channel']}/opinions.xlsx").data)
                            ).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "=HYPERLINK" in sheet  # text, never a formula Excel would run
    assert "张三" in content and "13912345678" in content and "第0条意见：食堂饭菜价格偏高。" in content
    client.post("/logout")
    login("dept")
    rows, content = workbook_text()
    assert len(rows) == 5 and "第2条意见" in content
    for secret in ("张三", "13912345678", "姓名", "电话"):
        assert secret not in content, secret
    client.post("/logout")
    login("outsider")
    assert client.get(f"/opinions/channels/{world['channel']}/opinions.xlsx").status_code == 403


def test_outsiders_get_403(client, login, session, world):
    client.post(f"/o/{world['slug']}", data={**OPINION, "photos": [(io.BytesIO(PNG), "a.png")]},
                content_type="multipart/form-data")
    [photo] = all_of(session, OpinionPhoto, "public_id")
    [opinion] = opinions_in_db(session)
    channel = world["channel"]
    assert client.get(f"/opinions/channels/{channel}").status_code == 302  # not signed in: to the sign-in page
    for who in ("outsider", "dept", "investigator"):
        login(who)
        staff_only = [client.get(f"/opinions/channels/{channel}/print"),
                      client.get(f"/opinions/channels/{channel}/qr.png"), client.get("/opinions/channels/new"),
                      client.post(f"/opinions/channels/{channel}/close"),
                      client.get("/opinions/deputies/"), client.get(f"/opinions/deputies/{world['deputy']}"),
                      client.post(f"/opinions/deputies/{world['deputy']}/revoke")]
        assert [r.status_code for r in staff_only] == [403] * 7, who
        if who == "outsider":
            assert client.get(f"/opinions/channels/{channel}").status_code == 403
            assert client.get(f"/opinions/photos/{photo.public_id}").status_code == 403
            assert client.post(f"/opinions/{opinion.id}/classify", data={"content_item": ""}).status_code == 403
            assert "教育局" not in text(client.get("/opinions/"))
        if who == "dept":
            assert client.get(f"/opinions/photos/{photo.public_id}").status_code == 403
        if who == "investigator":
            with client.get(f"/opinions/photos/{photo.public_id}") as shown:
                assert facts(shown.data)[:2] == ("PNG", (8, 6)) and shown.headers["X-Content-Type-Options"] == "nosniff"
        client.post("/logout")


def test_the_office_creates_a_channel_and_prints_its_code(client, login, session, world):
    org.create_unit(session, "department", {"code": "D02", "name": "县卫生健康局", "group_name": "教育局"},
                    session.get(User, world["office"]))
    login("office")
    form = client.get("/opinions/channels/new")
    assert form.status_code == 200 and "法治政府建设" in text(form)
    # the organisation's departments fill the department's fields; group fields suggest the groups
    assert 'data-name="县卫生健康局" data-code="D02" data-group="教育局"' in text(form)
    assert 'id="department_group" list="group-names"' in text(form) and '<option value="代表">' in text(form)
    bad = client.post("/opinions/channels/new", data={
        "year": 2025, "department_name": "卫健局", "department_key": "D02", "department_group": "没有这个组",
        "investigation_group": "教育局调查组"})
    assert bad.status_code == 422 and "没有这个名称的组" in text(bad)
    made = client.post("/opinions/channels/new", data={
        "year": 2025, "department_name": "卫健局", "department_key": "D02", "department_group": "教育局",
        "investigation_group": "教育局调查组", "content_items": "政府工作报告任务落实\n其他"})
    assert made.status_code == 302 and made.headers["Location"].endswith("/print")
    printed = text(client.get(made.headers["Location"]))
    slug = re.search(r"http://localhost/o/([\w-]+)", printed).group(1)
    assert "<svg" in printed and "扫码" in printed
    png = client.get(made.headers["Location"].replace("/print", "/qr.png"))
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = client.get(made.headers["Location"].replace("/print", "/qr.svg"))
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    client.post("/logout")
    assert client.get(f"/o/{slug}/qr.png").data.startswith(b"\x89PNG")  # for the public notice
    assert "卫健局" in text(client.get(f"/o/{slug}"))


def test_a_signed_in_deputy_reaches_their_own_page(client, login, session, world):
    login("deputy")
    index = text(client.get("/opinions/"))
    assert 'id="deputy-entry"' in index and "提交代表意见" in index
    mine = client.get("/opinions/mine")
    assert mine.status_code == 302 and "/d/" in mine.headers["Location"]
    home = text(client.get(mine.headers["Location"], follow_redirects=True))
    assert "李代表" in home and f"/c/{world['channel']}" in home  # the channel to give an opinion on
    client.post("/logout")
    login("dept")
    assert 'id="deputy-entry"' not in text(client.get("/opinions/"))
    assert client.get("/opinions/mine").status_code == 403  # no deputy, no code


def test_an_auditors_browser_is_refused_for_what_it_is_not_for_a_deputy_code(client, login, session, world,
                                                                              make_user):
    make_user("auditor1", password=PASSWORD, is_auditor=True)
    login("auditor1")
    refused = client.post(f"/o/{world['slug']}", data=OPINION)
    assert refused.status_code == 403
    assert "代表码" not in text(refused) and "无权" in text(refused)
    assert opinions_in_db(session) == []
