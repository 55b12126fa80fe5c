"""Web fixtures: an app on the test database, a client, and signing in."""
from __future__ import annotations

import re

import pytest

from web import create_app

PASSWORD = "correct-horse-42"


@pytest.fixture
def app(database_url, sessions, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path / "files"), "PROPAGATE_ERRORS": False})
    yield app
    app.extensions["pingyi.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client, session):
    """login('office') signs the client in (the user must exist with PASSWORD)."""

    def do(username: str, password: str = PASSWORD, **extra):
        session.commit()  # the app reads the users from its own connection
        return client.post("/login", data={"username": username, "password": password, **extra})

    return do


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def text(response) -> str:
    return response.get_data(as_text=True)


def read(session, statement):
    """One value, without keeping a transaction open (on SQLite it would block the app)."""
    value = session.scalar(statement)
    session.commit()
    return value
