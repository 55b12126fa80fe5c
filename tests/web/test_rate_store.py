"""Rate-limit counters in the database: shared by worker processes, windows that end, long keys."""
from __future__ import annotations

from limits import parse
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select

from engine.models import RateCounter
from tests.web.conftest import PASSWORD
from web import create_app, rate_store
from web.extensions import limiter

SALT = "test-salt"


class FakeTime:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def test_the_database_is_chosen_on_postgresql_and_memory_on_sqlite():
    assert rate_store.storage_config("sqlite:///x.db", "k") == {"RATELIMIT_STORAGE_URI": "memory://"}
    shared = rate_store.storage_config("postgresql://u@h/db", "k")
    assert shared["RATELIMIT_STORAGE_URI"] == "pingyi+db://"
    assert shared["RATELIMIT_STORAGE_OPTIONS"]["url"] == "postgresql://u@h/db"
    assert shared["RATELIMIT_STORAGE_OPTIONS"]["salt"] != rate_store.storage_config("postgresql://u@h/db", "j")[
        "RATELIMIT_STORAGE_OPTIONS"]["salt"]  # derived from the secret key


def test_two_workers_count_against_one_window(database_url, sessions, monkeypatch):
    clock = FakeTime(1_800_000_000.0)
    monkeypatch.setattr(rate_store, "time", clock)
    first = FixedWindowRateLimiter(rate_store.DatabaseStorage(url=database_url, salt=SALT))
    second = rate_store.DatabaseStorage(url=database_url, salt=SALT)
    second.engine = rate_store.make_engine(database_url)  # as another process would have its own connections
    second_limiter = FixedWindowRateLimiter(second)
    limit = parse("3 per minute")
    try:
        assert [first.hit(limit, "login", "office"), second_limiter.hit(limit, "login", "office"),
                first.hit(limit, "login", "office")] == [True, True, True]
        assert second_limiter.hit(limit, "login", "office") is False  # the fourth, whichever worker gets it
        assert first.hit(limit, "login", "member") is True            # another key has its own window
        assert second_limiter.get_window_stats(limit, "login", "office").remaining == 0
        clock.now += 61  # the window ends: counting starts afresh
        assert second_limiter.hit(limit, "login", "office") is True
        assert first.get_window_stats(limit, "login", "office").remaining == 2
    finally:
        second.engine.dispose()


def test_keys_are_stored_as_keyed_digests(database_url, sessions):
    """A key names an address with an account, or a phone: the table holds neither, at any length."""
    storage = rate_store.DatabaseStorage(url=database_url, salt=SALT)
    key = "LIMITER/203.0.113.7|office/auth.login/10/1/minute" + "d" * 400
    assert storage.incr(key, 60) == 1 and storage.incr(key, 60) == 2
    assert storage.get(key) == 2 and storage.get(key + "x") == 0
    with sessions() as session:
        [stored] = session.scalars(select(RateCounter.key))
    assert "203.0.113.7" not in stored and "office" not in stored and len(stored) == 64
    other_salt = rate_store.DatabaseStorage(url=database_url, salt="another")
    assert other_salt.get(key) == 0  # without the secret the digest cannot be recomputed
    storage.clear(key)
    assert storage.get(key) == 0 and storage.check() is True


def test_ended_windows_are_swept(database_url, sessions, monkeypatch):
    clock = FakeTime(1_800_000_000.0)
    monkeypatch.setattr(rate_store, "time", clock)
    monkeypatch.setattr(rate_store, "CLEAN_EVERY", 3)
    storage = rate_store.DatabaseStorage(url=database_url, salt=SALT)
    storage._hits = 0
    storage.incr("a", 10)
    storage.incr("b", 10)
    clock.now += 11
    storage.incr("c", 10)  # the third hit sweeps the windows of a and b, which have ended
    with sessions() as session:
        assert set(session.scalars(select(RateCounter.key))) == {storage._stored_key("c")}


def test_a_login_limit_outlives_the_worker_that_counted_it(database_url, sessions, session, make_user, tmp_path):
    """A new worker (a new app and a new limiter storage) still sees the attempts the previous one
    counted: in memory they would be lost, and each of four workers would allow the full limit."""
    make_user("office", password=PASSWORD)
    session.commit()
    config = {"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True, "WTF_CSRF_ENABLED": False,
              "ATTACHMENTS_DIR": str(tmp_path), "RATELIMIT_STORAGE_URI": "pingyi+db://",
              "RATELIMIT_STORAGE_OPTIONS": {"url": database_url, "salt": SALT}}
    first = create_app(config)
    try:
        client = first.test_client()
        codes = [client.post("/login", data={"username": "office", "password": "wrong"}).status_code
                 for _ in range(6)]
        assert codes == [200] * 6
    finally:
        first.extensions["pingyi.engine"].dispose()
    second = create_app(config)
    try:
        assert isinstance(limiter.storage, rate_store.DatabaseStorage)
        client = second.test_client()
        codes = [client.post("/login", data={"username": "office", "password": "wrong"}).status_code
                 for _ in range(5)]
        assert codes == [200] * 4 + [429]  # ten per minute in all, across both
    finally:
        second.extensions["pingyi.engine"].dispose()
