"""One SQLAlchemy session per request or CLI command; committed in one place by the caller."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from engine.db import make_engine, make_session_factory


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["pingyi.engine"] = engine
    app.extensions["pingyi.sessions"] = make_session_factory(engine)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["pingyi.sessions"]()
    return g.db_session


def get_engine() -> Engine:
    return current_app.extensions["pingyi.engine"]


def session_factory():
    return current_app.extensions["pingyi.sessions"]


def _close_session(exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()
