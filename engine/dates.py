"""Date helpers shared by services and BPMN expressions.

Calendar months come from `dateutil.relativedelta`: 2023-01-31 + 1 month = 2023-02-28.
SpiffWorkflow's `P1M` is NOT a calendar month (it adds the day count of the start month, so
Jan 31 + P1M = Mar 3); models should compute due dates with `add_months` and pass the result
to a `timeDate` timer.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from engine import clock

# The county's offices work in China Standard Time; a date-only deadline ends there.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def parse(value: str | date | datetime) -> date | datetime:
    """Accept a date, a datetime or an ISO string (date or date-time)."""
    if isinstance(value, (date, datetime)):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected a date or an ISO string, got {type(value).__name__}")
    text = value.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _same_kind(original, result):
    return result.isoformat() if isinstance(original, str) else result


def add_months(value, months: int):
    """Add calendar months; the result has the type of the input (ISO string in, ISO string out)."""
    return _same_kind(value, parse(value) + relativedelta(months=int(months)))


def add_days(value, days: int):
    return _same_kind(value, parse(value) + timedelta(days=int(days)))


def today() -> date:
    """Today's date in the county's time zone."""
    return clock.now().astimezone(LOCAL_TZ).date()


def now_iso() -> str:
    return clock.now().isoformat()


def end_of_day(value) -> str:
    """The last second of a (local) date, as an aware ISO string: what a `timeDate` timer needs."""
    moment = parse(value)
    day = moment.astimezone(LOCAL_TZ).date() if isinstance(moment, datetime) else moment
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ).isoformat()


def start_of_day(value) -> str:
    moment = parse(value)
    day = moment.astimezone(LOCAL_TZ).date() if isinstance(moment, datetime) else moment
    return datetime.combine(day, time(0, 0), LOCAL_TZ).isoformat()


def to_datetime(value) -> datetime:
    """An aware datetime for a date (its end, local time), a datetime or an ISO string."""
    moment = parse(value)
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.fromisoformat(end_of_day(moment))


def days_between(start, end) -> int:
    def as_date(v):
        moment = parse(v)
        return moment.astimezone(LOCAL_TZ).date() if isinstance(moment, datetime) else moment

    return (as_date(end) - as_date(start)).days
