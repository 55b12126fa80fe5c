"""Rate-limit counters in the application's database, shared by every worker process.

Flask-Limiter keeps its counters in a `limits` storage. The memory storage counts per process, so
under gunicorn with four workers a limit of ten login attempts a minute would let forty through.
This storage keeps the fixed windows in the `rate_counter` table instead: one atomic upsert per
hit, on its own connection and committed at once (a hit counts even when the request fails).
Keys (an address with an account name, a phone's cookie) are stored only as keyed digests.

It is used on PostgreSQL (see `storage_config`). On SQLite every transaction takes the database's
write lock when it begins, and a request that has already started its own transaction would wait
on itself; a SQLite deployment is a single process (`make run`), where the memory storage is exact.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time

from limits.storage import Storage
from sqlalchemy import bindparam, case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from engine.db import is_sqlite, make_engine
from engine.models import RateCounter

SCHEME = "pingyi+db"
CLEAN_EVERY = 500          # hits between two sweeps of windows that ended
_TABLE = RateCounter.__table__
_engines: dict[str, object] = {}
_engines_lock = threading.Lock()


def storage_config(database_url: str, secret: str) -> dict:
    """The Flask-Limiter settings for a database: shared counters on PostgreSQL, memory on SQLite."""
    if is_sqlite(database_url):
        return {"RATELIMIT_STORAGE_URI": "memory://"}
    salt = hmac.new(secret.encode(), b"pingyi.rate-counter", hashlib.sha256).hexdigest()
    return {"RATELIMIT_STORAGE_URI": f"{SCHEME}://", "RATELIMIT_STORAGE_OPTIONS": {"url": database_url, "salt": salt},
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True}


def _engine(url: str):
    """One small engine per database and process, however many apps the process creates."""
    with _engines_lock:
        if url not in _engines:
            options = {} if is_sqlite(url) else {"pool_size": 2, "max_overflow": 8}
            _engines[url] = make_engine(url, **options)
        return _engines[url]


def _upsert(dialect_insert):
    """Add to the window, or start a new one when the stored window has ended."""
    statement = dialect_insert(_TABLE).values(key=bindparam("k"), hits=bindparam("n"), expires_at=bindparam("until"))
    ended = _TABLE.c.expires_at <= bindparam("now")
    return statement.on_conflict_do_update(
        index_elements=[_TABLE.c.key],
        set_={"hits": case((ended, statement.excluded.hits), else_=_TABLE.c.hits + statement.excluded.hits),
              "expires_at": case((ended, statement.excluded.expires_at), else_=_TABLE.c.expires_at)},
    ).returning(_TABLE.c.hits)


_UPSERT = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}
_CURRENT = select(_TABLE.c.hits, _TABLE.c.expires_at).where(
    _TABLE.c.key == bindparam("k"), _TABLE.c.expires_at > bindparam("now"))
_NO_FLUSH_WAIT = text("SET LOCAL synchronous_commit TO OFF")
_ENDED = delete(_TABLE).where(_TABLE.c.expires_at <= bindparam("now"))


class DatabaseStorage(Storage):
    """A `limits` storage for the fixed-window strategy (the one Pingyi uses)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, url: str = "", salt: str = "",
                 **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        if not url or not salt:
            raise ValueError("the database storage needs the database URL and a salt (storage options)")
        self.engine = _engine(url)
        self._salt = salt.encode()
        self._hits = 0

    def _stored_key(self, key: str) -> str:
        """Keys name an address and an account or a phone: only a keyed digest of them is stored."""
        return hmac.new(self._salt, key.encode(), hashlib.sha256).hexdigest()

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":  # a counter lost in a crash is no loss: no flush wait
                connection.execute(_NO_FLUSH_WAIT)
            hits = connection.execute(_UPSERT[self.engine.dialect.name], {
                "k": self._stored_key(key), "n": amount, "until": now + expiry, "now": now}).scalar_one()
            self._hits += 1
            if self._hits % CLEAN_EVERY == 0:
                connection.execute(_ENDED, {"now": now})
        return hits

    def _current(self, key: str):
        with self.engine.connect() as connection:
            return connection.execute(_CURRENT, {"k": self._stored_key(key), "now": time.time()}).first()

    def get(self, key: str) -> int:
        row = self._current(key)
        return row.hits if row is not None else 0

    def get_expiry(self, key: str) -> float:
        row = self._current(key)
        return row.expires_at if row is not None else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return connection.execute(delete(_TABLE)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(_TABLE).where(_TABLE.c.key == self._stored_key(key)))
