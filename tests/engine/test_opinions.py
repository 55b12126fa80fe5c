"""Opinion channels in the engine: submissions, anti-abuse, who sees what, review, deputy codes."""
from __future__ import annotations

import dataclasses
import io

import pytest
from sqlalchemy import select

from engine import clock
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from engine.models import AuditEvent, Opinion, OpinionPhoto
from engine.services import deputy_codes, opinion_channels, opinion_review, opinions
from engine.services.opinions import OpinionInput, PhotoStore, Sender
from tests.images import facts, image

PNG = image("PNG")
JPEG = image("JPEG")
TEXT = "窗口办事排队时间太长，希望增加周末服务。"


@pytest.fixture
def people(make_user):
    return {"office": make_user("office", groups=["评议办"]),
            "investigator": make_user("investigator", groups=["教育局调查组"]),
            "dept": make_user("dept", groups=["教育局"]),
            "outsider": make_user("outsider"),
            "auditor": make_user("auditor", is_auditor=True),
            "deputy": make_user("deputy", groups=["代表"], display_name="李代表")}


@pytest.fixture
def channel(session, people):
    return opinion_channels.create_channel(
        session, year=2024, department_name="教育局", department_key="D01", department_group="教育局",
        investigation_group="教育局调查组", content_items=["法治政府建设", "人大代表建议办理", "法治政府建设", " "],
        actor=people["office"])


@pytest.fixture
def photos(tmp_path):
    return PhotoStore(tmp_path / "photos", max_size=1024)


def public(session, channel, store, text=TEXT, ip="203.0.113.9", device="d" * 43, **extra):
    data = OpinionInput(rating=extra.pop("rating", "dissatisfied"), text=text, **extra)
    return opinions.submit_public(session, channel.slug, data, Sender(ip=ip, device=device, salt="salt"), store)


def test_only_the_office_creates_channels(session, people, channel):
    assert channel.content_items == ["法治政府建设", "人大代表建议办理"] and channel.is_open and len(channel.slug) >= 12
    with pytest.raises(PermissionDenied):
        opinion_channels.create_channel(session, year=2024, department_name="卫健局", department_key="D02",
                                        department_group="教育局", investigation_group="教育局调查组",
                                        content_items=[], actor=people["investigator"])
    with pytest.raises(InvalidInput) as missing:
        opinion_channels.create_channel(session, year=2024, department_name="卫健局", department_key="D02",
                                        department_group="卫健局", investigation_group="", content_items=[],
                                        actor=people["office"])
    assert missing.value.errors == {"investigation_group": "required", "department_group": "no_such_group"}
    with pytest.raises(Conflict):
        opinion_channels.create_channel(session, year=2024, department_name="教育局", department_key="D01",
                                        department_group="教育局", investigation_group="教育局调查组",
                                        content_items=[], actor=people["office"])


def test_public_opinion_keeps_only_hashes_and_writes_photos_to_disk(session, channel, photos):
    opinion = public(session, channel, photos, name="张三", phone="138 0000 0000",
                     photos=[("现场.png", io.BytesIO(PNG)), ("../x.jpg", io.BytesIO(JPEG))])
    assert opinion.source == "public" and opinion.author_name == "张三" and opinion.status == "received"
    assert opinion.ip_hash == opinions.fingerprint("salt", "203.0.113.9") != "203.0.113.9"
    assert len(opinion.device_hash) == 64 and "d" * 43 not in (opinion.device_hash, opinion.ip_hash)
    stored = session.scalars(select(OpinionPhoto).order_by(OpinionPhoto.id)).all()
    assert [p.filename for p in stored] == ["现场.png", "x.jpg"]
    assert facts(photos.directory / stored[0].storage_key)[:2] == facts(PNG)[:2]
    event = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "opinion_received")).one()
    assert event.actor_id is None and "张三" not in str(event.details) and "203.0.113" not in str(event.details)


def test_honeypot_is_accepted_and_discarded(session, channel, photos):
    assert public(session, channel, photos, honeypot="http://spam.example",
                  photos=[("a.png", io.BytesIO(PNG))]) is None
    assert session.scalar(select(Opinion.id)) is None and not photos.directory.exists()


def test_the_same_text_from_the_same_sender_within_a_day_is_refused(session, channel, photos):
    public(session, channel, photos)
    with pytest.raises(opinions.DuplicateOpinion):  # same device, other network
        public(session, channel, photos, text="  窗口办事排队时间太长，希望增加周末服务。 ", ip="198.51.100.1")
    with pytest.raises(opinions.DuplicateOpinion):  # same network, other device
        public(session, channel, photos, device="e" * 43)
    public(session, channel, photos, ip="198.51.100.1", device="e" * 43)  # someone else may say the same
    clock.advance(hours=25)
    public(session, channel, photos)
    assert len(session.scalars(select(Opinion)).all()) == 3


def test_input_is_checked(session, channel, photos):
    with pytest.raises(InvalidInput) as bad:
        public(session, channel, photos, text="短", rating="great", phone="call me", name="x" * 65)
    assert bad.value.errors == {"rating": "required", "text": "too_short", "name": "too_long", "phone": "invalid"}
    with pytest.raises(InvalidInput) as many:
        public(session, channel, photos, photos=[("a.png", io.BytesIO(PNG))] * 4)
    assert many.value.errors == {"photos": "too_many"}
    for name, content, problem in (("a.pdf", b"%PDF-1.4", "type"), ("b.png", JPEG, "content"),
                                   ("c.png", image("PNG", (64, 64), noise=True), "size"),
                                   ("d.png", PNG[:40], "content")):  # a photo by its name only
        with pytest.raises(InvalidInput) as refused:
            public(session, channel, photos, photos=[("ok.png", io.BytesIO(PNG)), (name, io.BytesIO(content))])
        assert refused.value.errors == {"photos": problem}
    assert not [p for p in photos.directory.rglob("*") if p.is_file()]  # the good one was removed again


def test_a_closed_channel_refuses(session, people, channel, photos):
    opinion_channels.set_open(session, channel.id, False, people["office"])
    with pytest.raises(opinions.ChannelClosed):
        public(session, channel, photos)
    with pytest.raises(PermissionDenied):
        opinion_channels.set_open(session, channel.id, True, people["investigator"])
    assert [e.event_type for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))][-1] == "channel_closed"


def test_the_department_never_gets_the_author(session, people, channel, photos):
    public(session, channel, photos, name="张三", phone="13800000000", photos=[("a.png", io.BytesIO(PNG))])
    opinions.submit_deputy(session, channel.id, OpinionInput("satisfied", "代表的意见：课后服务很好。"),
                           people["deputy"], Sender(ip="1.2.3.4", salt="s"), photos)
    opinions.enter_offline(session, channel.id, OpinionInput("basically_satisfied", "纸质意见：食堂卫生需加强。",
                                                             name="王五"), people["office"], photos)
    page = opinion_review.channel_page(session, channel.id, people["dept"])
    assert page.role == "department" and not page.can_manage and len(page.opinions) == 3
    for view in page.opinions:
        assert type(view) is opinion_review.OpinionView
        values = dataclasses.asdict(view)
        assert set(values) == {"id", "received_on", "source", "rating", "text", "content_item", "status",
                               "is_adopted", "merged_into_id"}
        assert not {"张三", "13800000000", "李代表", "王五", "Office"} & {str(v) for v in values.values()}
    # an auditor reads what staff did (who typed a paper opinion in), not who the citizens are
    audited = opinion_review.channel_page(session, channel.id, people["auditor"])
    assert audited.role == "auditor" and not audited.can_manage
    assert [o.entered_by_name for o in audited.opinions] == [None, None, "Office"]
    for view in audited.opinions:
        shown = {str(v) for v in dataclasses.asdict(view).values()}
        assert not {"张三", "13800000000", "李代表", "王五"} & shown and view.photos == ()
    full = opinion_review.channel_page(session, channel.id, people["investigator"])
    assert full.role == "group" and [o.author_name for o in full.opinions] == ["张三", None, "王五"]
    assert [o.deputy_name for o in full.opinions] == [None, "李代表", None]
    assert full.opinions[2].entered_by_name == "Office" and full.opinions[2].source == "offline"
    assert len(full.opinions[0].photos) == 1
    with pytest.raises(PermissionDenied):
        opinion_review.channel_page(session, channel.id, people["outsider"])
    with pytest.raises(PermissionDenied):
        opinion_review.photo(session, full.opinions[0].photos[0].public_id, people["dept"])


def test_the_investigation_group_classifies_merges_and_adopts(session, people, channel, photos):
    first, second, third = (public(session, channel, photos, text=f"意见{n}：学校周边交通拥堵。", device=str(n) * 40)
                            for n in range(3))
    group = people["investigator"]
    opinion_review.classify(session, first.id, "法治政府建设", group)
    with pytest.raises(InvalidInput):
        opinion_review.classify(session, first.id, "不存在的项目", group)
    opinion_review.merge(session, third.id, second.id, group)
    opinion_review.merge(session, second.id, first.id, group)  # what was merged into `second` follows it
    session.refresh(third)
    assert third.merged_into_id == first.id and second.status == "merged"
    with pytest.raises(InvalidInput):
        opinion_review.merge(session, first.id, second.id, group)  # into a merged one
    with pytest.raises(InvalidInput):
        opinion_review.set_adopted(session, second.id, True, group)
    opinion_review.set_adopted(session, first.id, True, group)
    opinion_review.set_note(session, first.id, "调查报告第二部分第3条", group)
    assert first.status == "adopted" and first.note == "调查报告第二部分第3条" and first.reviewed_by_id == group.id
    for action in (lambda: opinion_review.classify(session, first.id, None, people["dept"]),
                   lambda: opinion_review.set_adopted(session, first.id, False, people["outsider"])):
        with pytest.raises(PermissionDenied):
            action()
    events = [e.event_type for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert events[-5:] == ["opinion_classified", "opinion_merged", "opinion_merged", "opinion_adopted",
                           "opinion_noted"]


def test_deputy_codes_are_signed_expire_and_can_be_revoked(session, people, channel, photos):
    keys = deputy_codes.Keys(secret="k", max_age=3600)
    deputy, token = deputy_codes.token_for(session, people["deputy"].id, keys, people["office"])
    assert deputy_codes.verify(session, token, keys).id == deputy.id

    def refused(value, with_keys=keys):
        with pytest.raises(PermissionDenied) as denied:
            deputy_codes.verify(session, value, with_keys)
        return denied.value.params["reason"]

    assert refused(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) == "invalid"
    assert refused(token, deputy_codes.Keys(secret="other")) == "invalid"
    assert refused("not-a-token") == "invalid"
    clock.advance(seconds=3601)
    assert refused(token) == "expired"
    clock.reset()
    _, new_token = deputy_codes.revoke(session, deputy.id, keys, people["office"], "丢失")
    assert refused(token) == "revoked" and deputy_codes.verify(session, new_token, keys).id == deputy.id
    with pytest.raises(PermissionDenied):
        deputy_codes.token_for(session, deputy.id, keys, people["investigator"])
    with pytest.raises(NotFound):  # not a deputy: nothing to print
        deputy_codes.token_for(session, people["dept"].id, keys, people["office"])


def test_a_deputy_sees_their_own_submissions(session, people, channel, photos):
    deputy = people["deputy"]
    mine = opinions.submit_deputy(session, channel.id, OpinionInput("dissatisfied", "招生政策宣传不到位。",
                                                                    photos=[("a.png", io.BytesIO(PNG))]),
                                  deputy, Sender(device="x" * 40, salt="s"), photos)
    public(session, channel, photos)
    with pytest.raises(opinions.DuplicateOpinion):  # the same deputy again, from another phone
        opinions.submit_deputy(session, channel.id, OpinionInput("dissatisfied", "招生政策宣传不到位。"), deputy,
                               Sender(device="y" * 40, salt="s"), photos)
    opinion_review.set_adopted(session, mine.id, True, people["investigator"])
    [view] = deputy_codes.own_submissions(session, deputy)
    assert (view.id, view.status, view.is_adopted, view.photo_count, view.channel_title) == \
        (mine.id, "adopted", True, 1, "2024 教育局")


def test_offline_entry_is_for_the_office(session, people, channel, photos):
    opinion_channels.set_open(session, channel.id, False, people["office"])  # paper may come in late
    entered = opinions.enter_offline(session, channel.id, OpinionInput("satisfied", "纸质问卷：服务态度好。"),
                                     people["office"], photos)
    assert entered.source == "offline" and entered.entered_by_id == people["office"].id and entered.ip_hash is None
    with pytest.raises(PermissionDenied):
        opinions.enter_offline(session, channel.id, OpinionInput("satisfied", "纸质问卷：服务态度好。"),
                               people["investigator"], photos)
    assert session.scalars(select(AuditEvent.event_type).order_by(AuditEvent.seq.desc())).first() == "opinion_entered"


def test_photos_lose_their_metadata_and_stand_upright(session, channel, tmp_path):
    """Camera, time and place in a photo's EXIF could name the sender: the photo is written again
    without them, turned as the camera meant it."""
    store = PhotoStore(tmp_path / "photos")
    sent = image("JPEG", (8, 6), gps=True)
    assert 0x8825 in facts(sent)[2]  # the GPS block is there
    public(session, channel, store, photos=[("现场.jpg", io.BytesIO(sent)), ("b.webp", io.BytesIO(image("WEBP")))])
    kept = session.scalars(select(OpinionPhoto).order_by(OpinionPhoto.id)).all()
    path = store.directory / kept[0].storage_key
    assert facts(path) == ("JPEG", (6, 8), {})  # no metadata; upright: turned by 90 degrees
    assert b"Phone maker" not in path.read_bytes() and kept[0].size == path.stat().st_size
    assert facts(store.directory / kept[1].storage_key)[0] == "WEBP"
