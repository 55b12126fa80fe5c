"""Every kind of event the application records has a name in the history, the audit pages and the
exports (an unnamed one shows its raw key, in English, on a Chinese page)."""
from __future__ import annotations

import re
from pathlib import Path

from web.i18n import EVENT_NAMES

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r"audit\.record\(\s*\w+,\s*\"([a-z_]+)\"")


def recorded_event_types() -> set[str]:
    found = set()
    for folder in ("engine", "web"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_recorded_event_has_a_name():
    recorded = recorded_event_types()
    assert len(recorded) > 40  # the scan finds the calls
    assert sorted(recorded - set(EVENT_NAMES)) == []
