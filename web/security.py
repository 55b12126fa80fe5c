"""Small request-safety helpers: safe redirects, who may see what."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default: str = "inbox.index") -> str:
    """A local path to go to after sign-in or a switch; anything else goes to `default`."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for(default)
