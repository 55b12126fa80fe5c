"""Shared fixtures.

The database is SQLite in a temporary file, or PostgreSQL when `DATABASE_URL` names a database
whose name contains "test" (CI's second run). The schema is built once per session through
the Alembic migrations, and every test leaves the tables empty again, so tests can commit from
several threads and still not see each other's rows.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url

from engine import bpmn, clock, repository
from engine.db import Base, make_engine, make_session_factory
from engine.models import User
from engine.services import instances, processes, users
from web.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config):
    users.use_fast_hashing_for_tests()


@event.listens_for(Engine, "connect")
def _unordered_selects_come_back_reversed(dbapi_connection, record):
    """On SQLite every SELECT without ORDER BY returns its rows backwards here, so code or a test
    that relies on an order nobody asked for fails on SQLite too, not only on PostgreSQL."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA reverse_unordered_selects = ON")


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        name = make_url(url).database or ""
        if "test" not in name:
            pytest.exit(f"Refusing to run tests against '{name}': DATABASE_URL must name a test database.")
        if not url.startswith("sqlite"):
            _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'pingyi-test.db'}"
    upgrade(url, str(ROOT / "migrations"))
    return url


@pytest.fixture(scope="session")
def db_engine(database_url):
    engine = make_engine(database_url, pool_size=20, max_overflow=20) \
        if not database_url.startswith("sqlite") else make_engine(database_url)
    yield engine
    engine.dispose()


def _empty_tables(engine) -> None:
    """Back to the freshly migrated state: no rows, the audit chain at its genesis."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name != "audit_head"]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))
        conn.execute(text("UPDATE audit_head SET last_seq = 0, last_hash = :genesis"), {"genesis": "0" * 64})


@pytest.fixture
def sessions(db_engine):
    """A session factory on the test database; every table is emptied afterwards."""
    yield make_session_factory(db_engine)
    _empty_tables(db_engine)


@pytest.fixture
def session(sessions):
    s = sessions()
    yield s
    s.rollback()
    s.close()


@pytest.fixture(autouse=True)
def _fresh_state():
    clock.reset()
    repository.clear_caches()
    yield
    clock.reset()
    repository.clear_caches()


@pytest.fixture
def make_user(session):
    """make_user('alice', groups=['评议办'], is_admin=True) -> User (groups created on demand)."""

    def make(username: str, groups=(), password: str | None = None, **flags) -> User:
        user = users.create_user(session, username, flags.pop("display_name", username.title()), None,
                                 password=password, **flags)
        for group in groups:
            try:
                users.get_group(session, group)
            except Exception:
                users.create_group(session, group, None)
            users.add_to_group(session, username, group, None)
        session.flush()
        return user

    return make


@pytest.fixture
def admin(make_user) -> User:
    return make_user("admin", is_admin=True)


def bundle(*names: str) -> dict[str, bytes]:
    """The files of one or more folders under tests/data, as a deployment bundle."""
    files: dict[str, bytes] = {}
    for name in names:
        for path, content in bpmn.read_bundle(DATA / name).items():
            files[f"{name}/{path}"] = content
    return files


@pytest.fixture
def deploy(session, admin):
    def do(*names: str):
        return processes.deploy(session, bundle(*names), admin)

    return do


@pytest.fixture
def start(session, admin):
    def do(process_id: str, data: dict | None = None, actor=None, **kwargs):
        return instances.start_instance(session, process_id, actor or admin, data or {}, **kwargs)

    return do
