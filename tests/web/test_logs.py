"""No 代表码 in a log (review G2): the scan's address /d/<token> is masked in the request lines of
werkzeug's development server and of gunicorn's access log, and in the app's own messages."""
from __future__ import annotations

import datetime
import logging
import threading
import urllib.request
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger
from werkzeug.serving import make_server

from tests.web.test_opinions import deputy_token, world  # noqa: F401 (a fixture)
from web.logs import mask

TOKEN = "WzEyLDFd.awrUgQ.4yja4RwF7dRHD2evnphEGRAoZds"


def test_only_the_token_is_masked():
    assert mask(f'"GET /d/{TOKEN} HTTP/1.1" 302 -') == '"GET /d/*** HTTP/1.1" 302 -'
    assert mask(f"/d/{TOKEN}?x=1 and /d/{TOKEN}/c/3") == "/d/***?x=1 and /d/***/c/3"
    for kept in ("GET /d/home HTTP/1.1", "POST /d/c/12 HTTP/1.1", "GET /d/v/Ab3_x HTTP/1.1", "/d/", "/o/slug"):
        assert mask(kept) == kept


def test_the_development_servers_request_line_has_no_token(app, session, world, caplog):  # noqa: F811
    token = deputy_token(app, session, world)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())  # keeps the cookie
            with phone.open(f"http://127.0.0.1:{server.server_port}/d/{token}") as page:  # follows the redirect
                assert page.status == 200 and page.url.endswith("/d/home")
    finally:
        server.shutdown()
        thread.join()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("GET /d/*** HTTP/1.1" in line for line in lines) and any("GET /d/home" in line for line in lines)
    assert not any(token in line for line in lines)


def test_gunicorns_access_log_has_no_token(app, tmp_path):
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s %(U)s "%(f)s"')
    log = Logger(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/d/{TOKEN}", "PATH_INFO": f"/d/{TOKEN}",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.5"}
    log.access(SimpleNamespace(status="302 FOUND", headers=[], sent=0), SimpleNamespace(headers=[]), environ,
               datetime.timedelta(milliseconds=3))
    for handler in log.access_log.handlers:
        handler.flush()
    written = (tmp_path / "access.log").read_text()
    assert '203.0.113.5 "GET /d/*** HTTP/1.1" 302 /d/***' in written and TOKEN not in written


def test_the_apps_own_messages_are_masked_too(app, caplog):
    with caplog.at_level(logging.WARNING, logger="pingyi.web"):
        logging.getLogger("pingyi.web").warning("refused %s", f"/d/{TOKEN}")
    assert caplog.records[-1].getMessage() == "refused /d/***"
