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


def duty_met(dates: tuple[dt.date, ...], report_days: list[dt.date], start: dt.date,
             day: dt.date) -> tuple[dt.date | None, bool]:
    """(L, met): the latest occurrence before `day`, and whether a report answers it, dated
    after the occurrence before L (on or after `start` when there is none) and not after
    `day` (PLAN-FORMAT.md, "Recurring duties"). Met when nothing has fallen due yet. Both a
    recurring task's state and a plan's `reporting` rule are judged here."""
    before, latest, _ = around(dates, day)
    if latest is None:
        return None, True
    met = any((d >= start if before is None else d > before) and d <= day
              for d in report_days)
    return latest, met


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
