"""The public opinion form under abuse: rate limits per device cookie and per IP address, CSRF."""
from __future__ import annotations

import pytest

from engine.models import Opinion
from engine.services import opinion_channels
from tests.web.conftest import csrf_token
from tests.web.test_pages import all_of, text
from web import create_app


@pytest.fixture
def slug(session, make_user):
    office = make_user("office", groups=["评议办"])
    make_user("dept", groups=["教育局"])
    make_user("investigator", groups=["调查组"])
    channel = opinion_channels.create_channel(session, year=2024, department_name="教育局", department_key="D01",
                                              department_group="教育局", investigation_group="调查组",
                                              content_items=[], actor=office)
    value = channel.slug
    session.commit()
    return value


@pytest.fixture
def make_app(database_url, sessions, tmp_path):
    apps = []

    def make(**config):
        app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "ATTACHMENTS_DIR": str(tmp_path),
                          "OPINION_PHOTOS_DIR": str(tmp_path / "photos"), "PROPAGATE_ERRORS": False, **config})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["pingyi.engine"].dispose()


def citizen(app, ip="127.0.0.1"):
    """A phone: its own cookie jar, so its own device cookie (set by the first page it opens)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    client.get("/healthz")
    return client


def send(client, slug, n):
    data = {"rating": "satisfied", "text": f"第{n}条意见：办事窗口服务热情。"}
    return client.post(f"/o/{slug}", data=data).status_code


def opened(client, slug):
    assert client.get(f"/o/{slug}").status_code == 200  # sets the device cookie
    return client


def test_one_device_is_limited(make_app, session, slug):
    app = make_app(OPINION_RATE_LIMIT_DEVICE="2 per minute", OPINION_RATE_LIMIT_IP="100 per minute")
    phone = opened(citizen(app), slug)
    assert [send(phone, slug, n) for n in range(3)] == [302, 302, 429]
    blocked = phone.post(f"/o/{slug}", data={"rating": "satisfied", "text": "再来一条：办事窗口服务热情。"})
    assert blocked.status_code == 429 and "提交得太频繁" in text(blocked)
    assert phone.get(f"/o/{slug}").status_code == 200  # reading is never limited
    other = opened(citizen(app), slug)  # another phone behind the same address
    assert send(other, slug, 9) == 302
    assert len(all_of(session, Opinion, "id")) == 3


def test_one_address_is_limited(make_app, session, slug):
    app = make_app(OPINION_RATE_LIMIT_DEVICE="100 per minute", OPINION_RATE_LIMIT_IP="3 per minute")
    codes = [send(opened(citizen(app), slug), slug, n) for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert send(opened(citizen(app, ip="198.51.100.7"), slug), slug, 5) == 302
    assert len(all_of(session, Opinion, "id")) == 4


def test_without_a_device_cookie_the_device_limit_applies_per_address(make_app, session, slug):
    app = make_app(OPINION_RATE_LIMIT_DEVICE="1 per minute", OPINION_RATE_LIMIT_IP="100 per minute")
    bot = app.test_client(use_cookies=False)
    assert [send(bot, slug, n) for n in range(2)] == [302, 429]


def test_the_public_form_keeps_csrf(make_app, session, slug):
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    phone = citizen(app)
    refused = phone.post(f"/o/{slug}", data={"rating": "satisfied", "text": "没有令牌的提交：服务很好。"})
    assert refused.status_code == 400 and "页面已过期" in text(refused)
    token = csrf_token(text(phone.get(f"/o/{slug}")))
    accepted = phone.post(f"/o/{slug}", data={"rating": "satisfied", "text": "带令牌的提交：服务很好。",
                                              "csrf_token": token})
    assert accepted.status_code == 302
    assert len(all_of(session, Opinion, "id")) == 1


def test_a_device_cookie_the_server_did_not_sign_counts_as_none(make_app, session, slug):
    """Review G1: a new made-up cookie per post dodged the device limit; now each counts as the address."""
    app = make_app(OPINION_RATE_LIMIT_DEVICE="2 per minute", OPINION_RATE_LIMIT_IP="100 per minute")
    codes = []
    for n in range(3):
        bot = app.test_client()
        bot.set_cookie("pingyi_device", f"{n}" * 43)  # passed the old check: 32 to 64 URL-safe characters
        codes.append(send(bot, slug, n))
    assert codes == [302, 302, 429]
    phone = opened(citizen(app), slug)
    signed = phone.get_cookie("pingyi_device").value
    assert signed.count(".") == 1 and len(signed) > 43
    assert send(phone, slug, 7) == 302  # a device the server gave its cookie to has its own count
    tampered = app.test_client()
    tampered.set_cookie("pingyi_device", signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"))
    assert send(tampered, slug, 8) == 429
