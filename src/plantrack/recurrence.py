"""Recurring duties: RRULE parsing and the occurrences around a date."""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

# Occurrences are looked at up to this many years past the start: far beyond any plan.
_HORIZON_YEARS = 30


class RuleError(ValueError):
    pass


@lru_cache(maxsize=4096)
def occurrences(rule: str, start: dt.date) -> tuple[dt.date, ...]:
    """Every occurrence date of `rule` from `start` on, within the horizon."""
    from dateutil.rrule import rrulestr

    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:"):]
    if not text or "\n" in text or "DTSTART" in text.upper():
        raise RuleError(f"{rule!r} is not a single RRULE (write e.g. FREQ=MONTHLY;BYMONTHDAY=25)")
    begin = dt.datetime.combine(start, dt.time())
    try:
        parsed = rrulestr(text, dtstart=begin, forceset=False)
        until = begin.replace(year=begin.year + _HORIZON_YEARS)
        dates = tuple(d.date() for d in parsed.between(begin, until, inc=True))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise RuleError(f"{rule!r} is not a valid RRULE: {exc}") from None
    return dates


def validate_rule(rule: str) -> None:
    """Raise RuleError when `rule` is not a usable RRULE."""
    occurrences(rule, dt.date(2000, 1, 1))


def around(dates: tuple[dt.date, ...], day: dt.date) -> tuple[dt.date | None, dt.date | None,
                                                               dt.date | None]:
    """(P, L, N): the two latest occurrences before `day`, and the next on or after it."""
    i = bisect.bisect_left(dates, day)
    latest = dates[i - 1] if i >= 1 else None
    before = dates[i - 2] if i >= 2 else None
    upcoming = dates[i] if i < len(dates) else None
    return before, latest, upcoming


def missed(dates: tuple[dt.date, ...], report_days: list[dt.date], start: dt.date,
           day: dt.date) -> list[dt.date]:
    """Occurrences before `day` with no report dated after the previous one and on or before it."""
    out: list[dt.date] = []
    reports = sorted(report_days)
    previous: dt.date | None = None
    for occurrence in dates:
        if occurrence >= day:
            break
        lo = bisect.bisect_left(reports, start) if previous is None else \
            bisect.bisect_right(reports, previous)
        hi = bisect.bisect_right(reports, occurrence)
        if hi <= lo:
            out.append(occurrence)
        previous = occurrence
    return out
