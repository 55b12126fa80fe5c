"""The one source of "now" for the engine.

Everything that needs the current time (timers, due dates, audit timestamps) asks this
module. Tests move the clock with `set_now` / `advance`; nothing sleeps. SpiffWorkflow's
timer module reads the time through a `datetime` subclass whose `now()` comes from here,
installed by `engine.runtime` when it is imported.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

_frozen: datetime | None = None


def now() -> datetime:
    """The current time as an aware UTC datetime."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC)


def set_now(value: datetime) -> None:
    """Freeze the clock at `value` (naive values are taken as UTC)."""
    global _frozen
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    _frozen = value.astimezone(UTC)


def advance(delta: timedelta | None = None, **kwargs: float) -> datetime:
    """Move a frozen clock forward (freezing it at the real time first if needed)."""
    step = delta if delta is not None else timedelta(**kwargs)
    set_now(now() + step)
    return now()


def reset() -> None:
    """Let the clock follow real time again."""
    global _frozen
    _frozen = None


class ClockDateTime(datetime):
    """A `datetime` whose `now()` reads this clock; handed to SpiffWorkflow's timer module."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        current = now()
        return current if tz is None else current.astimezone(tz)
