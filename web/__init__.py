"""The delivery layer: the Flask application factory."""
from __future__ import annotations

from flask import Flask

from web import db
from web.config import build_config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(build_config(app.instance_path, config))
    db.init_app(app)

    from web import cli, views

    app.register_blueprint(views.bp)
    cli.init_app(app)
    return app
