"""How stored values read on participants' pages: which data keys have a name people know, and
moments stored as ISO 8601 text shown as the local date and time."""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import get_locale

from engine.dates import LOCAL_TZ
from engine.labels import Labels
from web.i18n import DATA_KEYS

_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")


def named_key(key, labels: Labels | None) -> bool:
    """Whether a data key has a name: its form's title, one the application gives, or words already
    (a content item). The others are a process's own bookkeeping (a group name, a reminder time)."""
    if not isinstance(key, str):
        return False
    return bool(labels and labels.fields.get(key)) or key in DATA_KEYS or not key.isascii()


def named_only(data: dict, labels: Labels | None) -> dict:
    """The entries of `data` whose keys have a name (see named_key)."""
    return {key: value for key, value in data.items() if named_key(key, labels)}


def local_moment(value: str) -> str:
    """'2026-11-19T23:59:59+08:00' -> '2026-11-19 23:59' (local time); other text as it is."""
    if not _MOMENT.fullmatch(value):
        return value
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def colon() -> str:
    """After a label: full width in Chinese text, a colon and a space in English."""
    return "：" if _chinese() else ": "


def list_separator() -> str:
    """Between the items of a list written in a sentence: 、 in Chinese, a comma in English."""
    return "、" if _chinese() else ", "


def _chinese() -> bool:
    return str(get_locale() or "zh_CN").startswith("zh")
