"""The delivery layer: the Flask application factory."""
from __future__ import annotations

import json

from flask import Flask, send_from_directory
from flask_babel import format_datetime, get_locale
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import forms
from web import db
from web.config import build_config
from web.numbers import MAX_ID


class IdConverter(IntegerConverter):
    """`<int:…>` up to the largest id an INTEGER column holds: a longer number is a 404, not a
    database error."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = IdConverter
    app.config.update(build_config(app.instance_path, config))
    if app.config["PROXY_HOPS"]:  # client addresses (rate limits) and https links come from the proxy
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    db.init_app(app)

    from web import (  # account_tokens adds its routes to accounts.bp
        account_tokens,  # noqa: F401
        accounts,
        api,
        audit,
        audit_exports,
        auditor,
        auth,
        ballot_screen,
        ballots,
        cli,
        display,
        errors,
        files,
        form_editor,
        i18n,
        inbox,
        instances,
        ledger,
        letters,
        logs,
        modeler,
        models_pages,
        notifications,
        org,
        org_import,
        process_admin,
        public,
        publications,
        rule_sets,
        security,
        start,
        task_documents,
        tasks,
        term_plans,
        views,
        voting,
    )
    from web.extensions import babel, csrf, limiter, login_manager
    from web.opinion_deputies import bp as deputies_bp
    from web.opinions import bp as opinions_bp
    from web.opinions_public import bp as opinions_public_bp

    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, default_translation_directories="translations")
    limiter.init_app(app)
    _add_form_templates(app)
    for blueprint in (views.bp, auth.bp, i18n.bp, inbox.bp, tasks.bp, instances.bp, start.bp, files.bp, api.bp,
                      opinions_bp, deputies_bp, opinions_public_bp, ballots.bp, ballot_screen.screen_bp, rule_sets.bp,
                      voting.bp, public.bp, publications.bp, models_pages.bp, org.bp, org_import.bp, term_plans.bp,
                      audit.bp, audit_exports.bp, process_admin.bp, modeler.bp, form_editor.bp, accounts.bp,
                      notifications.bp, ledger.bp, task_documents.bp, letters.bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)  # token-authenticated; browser sessions are refused there
    app.jinja_env.globals.update(event_name=i18n.event_name, data_key_name=i18n.data_key_name,
                                 format_datetime=format_datetime,
                                 get_locale=get_locale)
    app.jinja_env.filters["json_text"] = lambda value, indent=None: json.dumps(value, ensure_ascii=False, indent=indent)
    app.jinja_env.filters["local_moment"] = display.local_moment
    app.jinja_env.filters["named_only"] = display.named_only
    app.jinja_env.globals["ATTACHMENT_MAX_SIZE"] = app.config["ATTACHMENT_MAX_SIZE"]  # for the file pickers
    app.jinja_env.globals.update(named_key=display.named_key, colon=display.colon,
                                 list_separator=display.list_separator, element_type=process_admin.element_type,
                                 has_letter=letters.has_letter)
    errors.register(app)
    security.register(app)
    auditor.register(app)
    inbox.register_context(app)
    cli.init_app(app)
    logs.install()  # no 代表码 in a request line or an error message
    return app


def _add_form_templates(app: Flask) -> None:
    """The form macros and forms.js live in the `forms` package."""
    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(str(forms.TEMPLATE_DIR))])
    app.add_url_rule("/static/forms/<path:filename>", "forms_static",
                     lambda filename: send_from_directory(forms.STATIC_DIR, filename, max_age=3600))
