"""The application factory, the front page and the health check."""
from __future__ import annotations

import pytest

from web import create_app


@pytest.fixture
def app(database_url, sessions):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test", "TESTING": True})
    yield app
    app.extensions["pingyi.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def test_front_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "评议通" in response.get_data(as_text=True)


def test_front_page_lists_deployed_processes(client, deploy, session):
    deploy("approval")
    session.commit()  # the app reads through its own engine
    page = client.get("/").get_data(as_text=True)
    assert "起草与审核" in page and "v1" in page


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
