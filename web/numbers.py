"""Whole numbers from query strings and forms: ASCII digits only ("²" is a digit to Python but no
number to int()), within what the database holds. Anything else is None, for the caller to treat
as "not given" or to refuse with its own message."""
from __future__ import annotations

from flask import request

MAX_ID = 2**31 - 1  # the largest value an INTEGER column holds


def whole(value: str | None, maximum: int = MAX_ID) -> int | None:
    """0..maximum written in ASCII digits (spaces around allowed), else None."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    found = int(text)
    return found if found <= maximum else None


def arg(name: str, maximum: int = MAX_ID) -> int | None:
    """A positive whole number from the query string, else None."""
    found = whole(request.args.get(name), maximum)
    return found or None


def year_arg(name: str = "year", earliest: int = 1900, latest: int = 2999) -> int | None:
    found = arg(name, latest)
    return found if found is not None and found >= earliest else None
