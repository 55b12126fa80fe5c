"""The app boots, answers its health check, and speaks Chinese first."""
from __future__ import annotations

import re

from flask import request

from tests.conftest import ROOT
from web import create_app


def test_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_sign_in_page_is_chinese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in page and "登录" in page and "评议通" in page


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


def test_static_assets_come_from_npm(client):
    for path in ("/static/vendor/bootstrap/bootstrap.min.css", "/static/forms/forms.js",
                 "/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js"):
        with client.get(path) as response:
            assert response.status_code == 200, path


def test_behind_a_proxy_the_client_address_comes_from_the_proxy(database_url, sessions, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True,
                      "ATTACHMENTS_DIR": str(tmp_path), "PROXY_HOPS": 1})
    seen = {}

    @app.get("/_addr")
    def addr():
        seen["ip"], seen["scheme"] = request.remote_addr, request.scheme
        return "ok"

    try:
        app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
        assert seen == {"ip": "203.0.113.7", "scheme": "https"}
    finally:
        app.extensions["pingyi.engine"].dispose()


def test_pages_carry_protective_headers_and_public_notices_may_be_embedded(database_url, sessions, tmp_path, client):
    page = client.get("/login")
    assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Strict-Transport-Security" not in page.headers  # plain HTTP: no promise to stay on HTTPS
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'self'" in policy and "'unsafe-eval'" not in policy
    public = client.get("/public/")
    assert public.status_code == 200 and "X-Frame-Options" not in public.headers
    assert "frame-ancestors" not in public.headers["Content-Security-Policy"]
    assert "script-src 'self';" in public.headers["Content-Security-Policy"]
    secure = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s", "TESTING": True,
                         "ATTACHMENTS_DIR": str(tmp_path), "SESSION_COOKIE_SECURE": True})
    try:
        assert secure.test_client().get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        secure.extensions["pingyi.engine"].dispose()


INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE)


def test_no_template_carries_script_the_content_security_policy_would_refuse():
    """Script runs only from the site's files: no template has an inline handler or an inline script
    (a JSON data block is data)."""
    found = []
    for folder in (ROOT / "web/templates", ROOT / "forms/templates"):
        for path in folder.rglob("*.html"):
            content = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}"
                      for pattern in (INLINE_HANDLER, INLINE_SCRIPT) for m in pattern.finditer(content)]
    assert found == []
