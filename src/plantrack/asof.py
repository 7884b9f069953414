"""Reading the dates people type on the command line: ISO, day-first (30/6/2025), `today`."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_day(text: str, today: dt.date | None = None) -> dt.date:
    """A calendar date from `2025-06-30`, `30/6/2025`, `30.6.2025` or `today` (needs `today`)."""
    cleaned = text.strip().lower()
    if cleaned in ("today", "hôm nay", "hom nay"):
        if today is None:
            raise ValueError("'today' needs the current date")
        return today
    iso = _ISO.match(cleaned)
    day_first = _DAY_FIRST.match(cleaned)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date: {exc}") from None
    raise ValueError(f"{text!r} is not a date; write 2025-06-30, 30/6/2025 or today")


DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def zone(name: str | None) -> ZoneInfo | None:
    """The plan's timezone: `name`, the format's default when none is written, None when
    `name` is no IANA timezone (a located error of validate)."""
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(DEFAULT_TIMEZONE if name is None else name)
    except (ValueError, KeyError, OSError):
        return None


def today_in(timezone: str | None, now: dt.datetime) -> dt.date:
    """The calendar date in the plan's timezone at the instant `now` (timezone-aware); in
    the default timezone when the plan's is not valid."""
    return now.astimezone(zone(timezone) or zone(None)).date()
