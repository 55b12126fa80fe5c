"""Browser tests: Debian's Chromium, driven by Playwright, against the app served over real HTTP.

The server is werkzeug's, in a background thread, on the session's test database (CSRF on: it is a
real browser). Chromium is /usr/bin/chromium or $PINGYI_CHROMIUM. When it is missing the tests are
skipped, unless PINGYI_REQUIRE_BROWSER=1 (CI), where they fail instead: all of that is `browser`.

SQLite allows one writer: the test's own session commits before the browser acts and ends every
later read with a commit (see `task_row`), so it never holds a transaction while the server works.
"""
from __future__ import annotations

import os
import threading
from datetime import date
from types import SimpleNamespace
from typing import NoReturn

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

import forms
from engine.models import HumanTask, User
from engine.services import instances, processes
from tests.conftest import ROOT, bundle
from web import create_app

ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "correct-horse-42"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the environment promised a browser (PINGYI_REQUIRE_BROWSER=1)."""
    if os.environ.get("PINGYI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PINGYI_REQUIRE_BROWSER=1, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the folder (package scope: it is gone before other folders start Playwright)."""
    path = os.environ.get("PINGYI_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _unavailable(f"no Chromium at {path} (install Debian's chromium or set PINGYI_CHROMIUM)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Error as exc:
            _unavailable(f"Chromium at {path} did not start: {exc}")
        yield launched
        launched.close()


@pytest.fixture
def server(database_url, sessions, tmp_path) -> str:
    """The app on a free port of 127.0.0.1; its base URL. Stopped before the tables are emptied."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "browser-test-secret", "RATELIMIT_ENABLED": False,
                      "ATTACHMENTS_DIR": str(tmp_path / "files")})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="pingyi-test-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)
    app.extensions["pingyi.engine"].dispose()


@pytest.fixture
def open_page(browser, server):
    """open_page(viewport=PHONE) -> a page in a fresh browser context (own cookies) on the server."""
    contexts, refused = [], []

    def do(viewport=PHONE):
        phone = viewport["width"] < 576
        context = browser.new_context(base_url=server, viewport=viewport, locale="zh-CN",
                                      timezone_id="Asia/Shanghai", is_mobile=phone, has_touch=phone)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        # whatever the Content-Security-Policy blocks (an inline handler, a style, a font) fails the test
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        return page

    yield do
    for context in contexts:
        context.close()
    assert refused == [], f"the browser refused something under the Content-Security-Policy: {refused}"


@pytest.fixture
def plan(session, make_user):
    """Users, the `inbox` bundle and one started `plan` instance waiting at write_plan, all committed.
    Plain ids only: touching an expired ORM object later would open a transaction."""
    people = {"office": make_user("office", groups=["评议办"], password=PASSWORD, display_name="王秀英"),
              "dept": make_user("dept", groups=["被评议部门"], password=PASSWORD, display_name="张伟")}
    processes.deploy(session, bundle("inbox"), None, form_checker=forms.check_bundle_form)
    instance = instances.start_instance(session, "plan", people["office"],
                                        {"department": "教育局", "issued_on": date.today().isoformat()},
                                        title="教育局整改")
    session.commit()
    return SimpleNamespace(instance_id=instance.id, users={name: user.id for name, user in people.items()},
                           task_id=task_row(session, "write_plan").id)


def task_row(session, element: str) -> SimpleNamespace:
    """A plain copy of the task at `element`; the read's transaction is ended at once."""
    session.expire_all()
    task = session.scalars(select(HumanTask).where(HumanTask.element_id == element)).one()
    copy = SimpleNamespace(**{name: getattr(task, name) for name in
                              ("id", "instance_id", "state", "assignee_id", "submitted")})
    session.commit()
    return copy


def user(session, user_id: int) -> User:
    return session.get(User, user_id)


def login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login page (Chinese UI) and wait for the inbox."""
    page.goto("/")
    assert "/login" in page.url
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def horizontal_overflow(page) -> int:
    """By how many CSS pixels the page is wider than the viewport (0 when nothing sticks out)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
