"""The app boots, answers its health check, and speaks Chinese first."""
from __future__ import annotations


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
