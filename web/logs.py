"""No 代表码 in a log: the address a deputy's card scans, /d/<token>, is written as /d/***.

The token opens the deputy's page, sends opinions and votes in their name without a password. Its
scan is the only address that carries it (web/opinions_public.py exchanges it for a cookie), but that
request line still reaches the access log of werkzeug's development server and of gunicorn
(`--access-logfile`), and an error message could quote it. A reverse proxy keeps its own log: see
the README (do not log /d/ paths there).
"""
from __future__ import annotations

import logging
import re

# /d/<token>, not the token-free pages /d/home, /d/c/<channel> and /d/v/<ballot>
DEPUTY_TOKEN = re.compile(r"(/d/)(?!(?:home|c|v)(?:[/\s?#\"']|$))[^/\s?#\"']+")
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "pingyi.web", "web")


def mask(text: str) -> str:
    return DEPUTY_TOKEN.sub(r"\1***", text)


class MaskDeputyCodes(logging.Filter):
    """Rewrites a record whose message names a /d/<token> address (arguments merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to the handler to report
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install() -> None:
    """On the loggers that write request lines and errors; once per process, however many apps."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, MaskDeputyCodes) for existing in logger.filters):
            logger.addFilter(MaskDeputyCodes())
