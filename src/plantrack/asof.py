"""Reading the dates people type on the command line: ISO, day-first (30/6/2025), `today`."""

from __future__ import annotations

import datetime as dt
import re

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


def today_in(timezone: str, now: dt.datetime) -> dt.date:
    """The calendar date in `timezone` at the instant `now` (timezone-aware)."""
    from zoneinfo import ZoneInfo

    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except (ValueError, KeyError, OSError):
        return now.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
