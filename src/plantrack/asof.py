"""Reading the dates people type on the command line: ISO, day-first (30/6/2025), `today`."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")

# The years dates lie in, in files and on the command line (PLAN-FORMAT.md, "Limits").
FIRST_YEAR, LAST_YEAR = 1900, 2200
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
YEARS = f"{FIRST_YEAR}-{LAST_YEAR}"


class DateRangeError(ValueError):
    """A real date outside the years the format allows."""


def year_problem(year: int) -> str | None:
    """Why a date in `year` is refused, or None when the year is allowed."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return f"the year {year} is outside the years {YEARS} that plan dates lie in"


def check_day(day: dt.date, text: str | None = None) -> dt.date:
    """`day` itself; DateRangeError when it lies outside the format's years."""
    problem = year_problem(day.year)
    if problem:
        raise DateRangeError(f"{text or day.isoformat()!r}: {problem}")
    return day


def parse_day(text: str, today: dt.date | None = None) -> dt.date:
    """A calendar date from `2025-06-30`, `30/6/2025`, `30.6.2025`, `ngày 30 tháng 6 năm 2025`
    or `today` (needs `today`)."""
    cleaned = text.strip().lower()
    if cleaned in ("today", "hôm nay", "hom nay"):
        if today is None:
            raise ValueError("'today' needs the current date")
        return today
    iso = _ISO.match(cleaned)
    day_first = _DAY_FIRST.match(cleaned)
    day: dt.date | None
    try:
        if iso:
            day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif day_first:
            day = dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
        else:
            day = _day_phrase(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date: {exc}") from None
    if day is not None:
        return check_day(day, text.strip())
    raise ValueError(f"{text!r} is not a date; write 2025-06-30, 30/6/2025 or today")


def _day_phrase(text: str) -> dt.date | None:
    """The day a Vietnamese phrase names ("ngày 10 tháng 3 năm 2025"); None for other text.
    ValueError when that day does not exist."""
    from plantrack.phrases import day_numbers  # phrases imports this module

    numbers = day_numbers(text)
    return None if numbers is None else dt.date(*numbers)


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
