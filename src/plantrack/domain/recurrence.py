"""Recurring duties: RRULE parsing and the occurrences around a date.

A rule is read here, part by part, and held to the format's limits (PLAN-FORMAT.md,
"Limits") before dateutil sees it: FREQ DAILY or coarser, INTERVAL of at least 1, no time of
day, every BY* value within its RFC 5545 range. What dateutil then does is bounded too:
it runs on a calendar moved `_SHIFT` years ahead, where its own end of time (the year 9999)
lies soon after the format's, and occurrences are read only as far as a date asks.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from plantrack.asof import FIRST_DAY, LAST_DAY, LAST_YEAR, YEARS, year_problem
from plantrack.domain.deadlines import DATE_WORDS, year_message
from plantrack.problems import message, message_of


class RuleError(ValueError):
    pass


Freq = Literal[0, 1, 2, 3]
YEARLY: Freq = 0  # dateutil's numbers
MONTHLY: Freq = 1
WEEKLY: Freq = 2
DAILY: Freq = 3
_FREQS: dict[str, Freq] = {"YEARLY": YEARLY, "MONTHLY": MONTHLY, "WEEKLY": WEEKLY, "DAILY": DAILY}
_TOO_OFTEN = ("HOURLY", "MINUTELY", "SECONDLY")
_TIMES = ("BYHOUR", "BYMINUTE", "BYSECOND")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Each number list's largest value, and whether counting from the end (-n..-1) is allowed.
_LISTS = {"BYMONTH": (12, False), "BYMONTHDAY": (31, True), "BYYEARDAY": (366, True),
          "BYWEEKNO": (53, True), "BYSETPOS": (366, True)}
_KEYS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", *_LISTS, "WKST")
# An INTERVAL or COUNT past this acts in every year dateutil reaches as this does (4,000,000
# days is more than 10,000 years): larger ones are read as this, and never make big numbers.
_HUGE = 4_000_000
# The Gregorian calendar, weekdays included, repeats every 400 years. dateutil looks for an
# occurrence until it finds one or reaches the year 9999, so it is run 7600 years ahead: its
# search ends in what is really 2399, whatever the rule. Later occurrences are not seen.
_SHIFT = 7600
HORIZON = dt.date(9999 - _SHIFT, 12, 31)
# The most days one period of each frequency holds: a BYSETPOS beyond picks nothing.
_PERIOD_DAYS = {YEARLY: 366, MONTHLY: 31, WEEKLY: 7, DAILY: 1}

_NUMBER = re.compile(r"^[+-]?[0-9]{1,6}$")
_DIGITS = re.compile(r"^[0-9]+$")
_BYDAY = re.compile(r"^([+-]?[0-9]{1,3})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})(T[0-9]{6}Z?)?$")

Days = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """An RRULE as read: every part checked, lists without duplicates."""

    freq: Freq
    interval: int = 1
    count: int | None = None
    until: dt.date | None = None
    wkst: int = 0
    bymonth: Days | None = None
    bymonthday: Days | None = None
    byyearday: Days | None = None
    byweekno: Days | None = None
    bysetpos: Days | None = None
    byday: tuple[tuple[int, int | None], ...] | None = None  # (weekday, n of the nth)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


@lru_cache(maxsize=4096)
def parse_rule(rule: str) -> Rule:
    """The rule `rule` writes; RuleError naming the first part that breaks a limit."""
    try:
        return _read(_parts(rule))
    except RuleError as exc:
        raise RuleError(message("%(rule)s is not a usable RRULE: %(reason)s",
                                rule=repr(_short(rule.strip())), reason=message_of(exc))
                        ) from None


def _parts(rule: str) -> dict[str, str]:
    text = rule.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:"):]
    if not text or "\n" in text or "DTSTART" in text:
        raise RuleError(message("write one RRULE, e.g. %(rule)s",
                                rule="FREQ=MONTHLY;BYMONTHDAY=25"))
    parts: dict[str, str] = {}
    for part in text.split(";"):
        key, equals, value = (s.strip() for s in part.partition("="))
        if not key and not value:
            continue  # a stray ';'
        if key in _TIMES:
            raise RuleError(message("%(key)s: a duty falls on days, not at times of day "
                                    "(no BYHOUR, BYMINUTE or BYSECOND)", key=key))
        if key not in _KEYS:
            raise RuleError(message("%(key)s is not an RRULE part; the parts are %(parts)s",
                                    key=repr(_short(key)), parts=", ".join(_KEYS)))
        if not equals or not value:
            raise RuleError(message("%(key)s has no value", key=key))
        if key in parts:
            raise RuleError(message("%(key)s is given twice", key=key))
        parts[key] = value
    if "FREQ" not in parts:
        raise RuleError(message("FREQ is missing (write e.g. %(rule)s)",
                                rule="FREQ=MONTHLY;BYMONTHDAY=25"))
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError(message("COUNT and UNTIL cannot both be given"))
    return parts


def _read(parts: dict[str, str]) -> Rule:
    freq = _freq(parts["FREQ"])
    lists = {key.lower(): _numbers(key, parts[key]) for key in _LISTS if key in parts}
    return Rule(
        freq,
        interval=_whole("INTERVAL", parts["INTERVAL"]) if "INTERVAL" in parts else 1,
        count=_whole("COUNT", parts["COUNT"]) if "COUNT" in parts else None,
        until=_until(parts["UNTIL"]) if "UNTIL" in parts else None,
        wkst=_weekday("WKST", parts["WKST"]) if "WKST" in parts else 0,
        byday=_byday(parts["BYDAY"], freq) if "BYDAY" in parts else None,
        **lists)


def _freq(value: str) -> Freq:
    if value in _TOO_OFTEN:
        raise RuleError(message("%(part)s: a duty recurs at most daily (FREQ is DAILY, "
                                "WEEKLY, MONTHLY or YEARLY)", part=f"FREQ={_short(value)}"))
    if value not in _FREQS:
        raise RuleError(message("%(part)s is not a frequency; write DAILY, WEEKLY, MONTHLY "
                                "or YEARLY", part=f"FREQ={_short(value)}"))
    return _FREQS[value]


def _whole(key: str, value: str) -> int:
    """INTERVAL or COUNT: a whole number of at least 1 (a huge one read as `_HUGE`)."""
    if not _DIGITS.match(value) or not value.strip("0"):
        raise RuleError(message("%(part)s: %(key)s is a whole number of at least 1",
                                part=f"{key}={_short(value)}", key=key))
    digits = value.lstrip("0")
    return _HUGE if len(digits) > len(str(_HUGE)) else min(int(digits), _HUGE)


def _until(value: str) -> dt.date:
    match = _UNTIL.match(value)
    if not match:
        raise RuleError(message("%(part)s: write the last day as YYYYMMDD",
                                part=f"UNTIL={_short(value)}"))
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        reason = str(exc)
        raise RuleError(message("%(part)s is not a real date: %(reason)s",
                                part=f"UNTIL={value}",
                                reason=message(reason) if reason in DATE_WORDS else reason)
                        ) from None
    problem = year_message(day.year)
    if problem:
        raise RuleError(message("%(part)s: %(problem)s", part=f"UNTIL={value}",
                                problem=problem))
    return day


def _numbers(key: str, value: str) -> Days:
    top, signed = _LISTS[key]
    legal = message("1 to %(top)s or -%(top)s to -1", top=top) if signed else message(
        "1 to %(top)s", top=top)
    out: set[int] = set()
    for item in value.split(","):
        item = item.strip()
        number = int(item) if _NUMBER.match(item) else None
        if number is None or number == 0 or abs(number) > top or (number < 0 and not signed):
            raise RuleError(message("%(key)s: %(item)s is not one of %(legal)s", key=key,
                                    item=repr(_short(item)), legal=legal))
        out.add(number)
    return tuple(sorted(out))


def _weekday(key: str, value: str) -> int:
    if value not in WEEKDAYS:
        raise RuleError(message("%(part)s: write one of %(days)s",
                                part=f"{key}={_short(value)}", days=", ".join(WEEKDAYS)))
    return WEEKDAYS.index(value)


def _byday(value: str, freq: int) -> tuple[tuple[int, int | None], ...]:
    out: set[tuple[int, int | None]] = set()
    for item in value.split(","):
        item = item.strip()
        match = _BYDAY.match(item)
        if not match:
            raise RuleError(message("BYDAY: %(item)s is not a weekday such as MO, 1MO or -1FR",
                                    item=repr(_short(item))))
        nth = int(match[1]) if match[1] else None
        if nth is not None and not (1 <= abs(nth) <= 53):
            raise RuleError(message("BYDAY: %(item)s: the n of an nth weekday is 1 to 53 or "
                                    "-53 to -1", item=repr(item)))
        if nth is not None and freq not in (MONTHLY, YEARLY):
            raise RuleError(message("BYDAY: %(item)s: an nth weekday needs FREQ=MONTHLY or "
                                    "YEARLY", item=repr(item)))
        out.add((WEEKDAYS.index(match[2]), nth))
    return tuple(sorted(out, key=lambda d: (d[0], d[1] or 0)))


def _moved(day: dt.date, years: int) -> dt.date:
    # Exact for 29 February too: the shift is a whole number of 400-year cycles.
    return day.replace(year=day.year + years)


def _dateutil(rule: Rule, begin: dt.date) -> Iterator[dt.date]:
    """dateutil's occurrences of `rule` from `begin` (in the moved calendar), without COUNT,
    UNTIL and BYSETPOS, which `_generate` and `_with_setpos` apply."""
    from dateutil.rrule import rrule, weekday

    byday = None if rule.byday is None else [weekday(d, n) for d, n in rule.byday]
    try:
        found: Any = rrule(rule.freq, dtstart=dt.datetime.combine(begin, dt.time()),
                           interval=rule.interval, wkst=rule.wkst, bymonth=rule.bymonth,
                           bymonthday=rule.bymonthday, byyearday=rule.byyearday,
                           byweekno=rule.byweekno, byweekday=byday)
    except ValueError as exc:
        raise RuleError(str(exc)) from None
    moments = iter(found)
    while True:
        try:
            moment = next(moments)
        except StopIteration:
            return
        except (ValueError, OverflowError):
            return  # a week running past 31 December 9999, the end of dateutil's calendar
        yield moment.date()


def _generate(rule: Rule, start: dt.date) -> Iterator[dt.date]:
    """The occurrences from `start` on, in order, COUNT and UNTIL obeyed."""
    begin = _moved(start, _SHIFT)
    found = _with_setpos(rule, begin) if rule.bysetpos else _dateutil(_yearly(rule, begin),
                                                                       begin)
    for n, moved in enumerate(found, 1):
        day = _moved(moved, -_SHIFT)
        if rule.until is not None and day > rule.until:
            return
        yield day
        if rule.count is not None and n >= rule.count:
            return  # not one more search for an occurrence that would not count


def _yearly(rule: Rule, begin: dt.date) -> Rule:
    """A DAILY or WEEKLY rule of INTERVAL=1 as the YEARLY rule of the same days: dateutil
    tests a year's days in one loop then, not each day in a turn of its own, which is twenty
    times faster where the days are rare."""
    if rule.interval != 1 or rule.freq not in (DAILY, WEEKLY) or rule.bysetpos:
        return rule
    explicit = _explicit(rule, begin)
    every_day = tuple((d, None) for d in range(7))
    return dataclasses.replace(explicit, freq=YEARLY, byday=explicit.byday or every_day)


def _with_setpos(rule: Rule, begin: dt.date) -> Iterator[dt.date]:
    """BYSETPOS applied to each period's set here: dateutil's way costs the number of
    positions times the size of the set, for every period."""
    largest = _PERIOD_DAYS[rule.freq]
    positions = [p for p in rule.bysetpos or () if abs(p) <= largest]
    if not positions:
        return
    base = dataclasses.replace(_explicit(rule, begin), bysetpos=None)
    key = _period_key(rule)
    group: list[dt.date] = []
    for day in _dateutil(base, _period_start(rule, begin)):
        if group and key(day) != key(group[-1]):
            yield from _picked(group, positions, begin)
            group = []
        group.append(day)
    yield from _picked(group, positions, begin)


def _explicit(rule: Rule, begin: dt.date) -> Rule:
    """`rule` with the days dateutil takes from the start when no BY* says, written out: the
    rule then means the same from the start of the period."""
    if any(v is not None for v in (rule.byweekno, rule.byyearday, rule.bymonthday,
                                   rule.byday)):
        return rule
    if rule.freq == YEARLY:
        return dataclasses.replace(rule, bymonth=rule.bymonth or (begin.month,),
                                   bymonthday=(begin.day,))
    if rule.freq == MONTHLY:
        return dataclasses.replace(rule, bymonthday=(begin.day,))
    if rule.freq == WEEKLY:
        return dataclasses.replace(rule, byday=((begin.weekday(), None),))
    return rule


def _period_start(rule: Rule, begin: dt.date) -> dt.date:
    """Where the set of the first period begins (dateutil's: a week's runs from the start)."""
    if rule.freq == YEARLY:
        return begin.replace(month=1, day=1)
    if rule.freq == MONTHLY:
        return begin.replace(day=1)
    return begin


def _period_key(rule: Rule) -> Callable[[dt.date], object]:
    if rule.freq == YEARLY:
        return lambda d: d.year
    if rule.freq == MONTHLY:
        return lambda d: (d.year, d.month)
    if rule.freq == WEEKLY:
        return lambda d: d.toordinal() - (d.weekday() - rule.wkst) % 7
    return lambda d: d


def _picked(group: list[dt.date], positions: list[int], begin: dt.date) -> Iterator[dt.date]:
    size = len(group)
    chosen = {group[p - 1 if p > 0 else size + p] for p in positions if abs(p) <= size}
    yield from (d for d in sorted(chosen) if d >= begin)


class _Series:
    """One rule's occurrences from one start, read from dateutil only as far as asked."""

    def __init__(self, source: Iterator[dt.date]) -> None:
        self.dates: list[dt.date] = []
        self._source: Iterator[dt.date] | None = source

    def reach(self, day: dt.date) -> None:
        """Read on until the first occurrence on or after `day` is known, or there is none."""
        while self._source is not None and (not self.dates or self.dates[-1] < day):
            following = next(self._source, None)
            if following is None:
                self._source = None
            else:
                self.dates.append(following)


@lru_cache(maxsize=1024)
def _series(rule: str, start: dt.date) -> _Series:
    parsed = parse_rule(rule)
    problem = year_message(start.year)
    if problem:
        raise RuleError(message("the start %(start)s: %(problem)s", start=start,
                                problem=problem))
    return _Series(_generate(parsed, start))


def occurrences(rule: str, start: dt.date, day: dt.date) -> tuple[dt.date, ...]:
    """The occurrences of `rule` from `start` on before `day`, and the first on or after
    `day` when there is one (up to `HORIZON`): all that the state as of `day` looks at."""
    series = _series(rule, start)
    series.reach(day)
    return tuple(series.dates[:bisect.bisect_left(series.dates, day) + 1])


def validate_rule(rule: str, start: dt.date = FIRST_DAY) -> None:
    """Raise RuleError when `rule` breaks the format's limits, or has no occurrence from
    `start` (when that is a date the format allows) to the end of 2200."""
    parse_rule(rule)
    if year_problem(start.year):
        return  # the start is reported itself
    first = occurrences(rule, start, start)  # stops at the first occurrence
    if not first or first[0] > LAST_DAY:
        raise RuleError(message("%(rule)s has no occurrence from %(start)s to the end of "
                                "%(last)s (dates lie in the years %(years)s)",
                                rule=repr(_short(rule.strip())), start=start, last=LAST_YEAR,
                                years=YEARS))


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
