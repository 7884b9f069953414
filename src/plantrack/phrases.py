"""Deadline phrases as Vietnamese documents write them ("Quý III/2025", "Trước ngày 10/3/2025",
"ngày 25 hằng tháng"), read into the forms a plan writes (`2025-Q3`, `2025-03-09`,
`FREQ=MONTHLY;BYMONTHDAY=25`).

The reading never guesses: a phrase it cannot read exactly is a PhraseError that quotes it.
Matching ignores case and diacritics ("Quy III/2025" reads like "Quý III/2025"), extra
spaces and trailing punctuation; the plan's own forms (`2025-Q3`, `ongoing`, `tbd`) and a
few English ones ("Q3 2025", "July 2025", "10 March 2025") read too.

"Trước" (before) always means the period before the one named: "Trước ngày 10/3/2025" is
`2025-03-09`, also after "Hoàn thành"; "trước Quý III/2025" is `2025-Q2`. With a time of day
it names that minute: "Trước 10 giờ ngày 20/02/2025" is `2025-02-20T10:00`, the minute the
deadline falls (PLAN-FORMAT.md). "Chậm nhất", "Hoàn thành", "trong", "đến hết" name the
period itself.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from plantrack.asof import year_problem
from plantrack.textmatch import fold

# Longer than any deadline a document writes; a longer text is refused before it is read.
MAX_LENGTH = 200

FORMS_HELP = ("a date (10/3/2025, ngày 10 tháng 3 năm 2025), a time and date (10 giờ ngày "
              "20/02/2025), a month (Tháng 4/2025), a quarter (Quý III/2025), a half year "
              "(6 tháng đầu năm 2025), a year (Năm 2025), Thường xuyên, Chưa xác định, a "
              "recurrence (ngày 25 hằng tháng, thứ Sáu hằng tuần) or a plan's form "
              "(2025-03-10, 2025-Q3, ongoing, tbd)")


class PhraseError(ValueError):
    """A phrase that names no deadline exactly."""


@dataclass(frozen=True)
class Reading:
    """What a phrase says: a deadline as a plan writes it (`due`), or a recurring duty's
    RRULE (`recurs`, with `due` None); `warning` when the plan needs more than the phrase
    says (a monthly duty with no day)."""

    due: str | None
    recurs: str | None = None
    warning: str | None = None


# Folded text, diacritics gone: the patterns below match what `textmatch.fold` yields.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_EDGES = " \t.,;:!?\"'“”‘’«»()[]*"
_BETWEEN_DIGITS = re.compile(r"(?<=\d) ?([/.:-]) ?(?=\d)")
_LEADS = re.compile(
    r"^(?:thoi han|han chot|han|deadline|due by|due|by|no later than|in|within|hoan thanh"
    r"|xong|cham nhat la|cham nhat vao|cham nhat|muon nhat la|muon nhat|trong|vao|den het"
    r"|den|het)(?: ?: ?| )", re.ASCII)
_BEFORE = re.compile(r"^(?:truoc|before)(?: ?: ?| )", re.ASCII)
_PERIODIC = re.compile(r"^(?:dinh ky|recurs|rrule)(?: ?: ?| )", re.ASCII)

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_NAMES = {name: index for index, name in enumerate(_MONTHS, 1)} | {
    name[:3]: index for index, name in enumerate(_MONTHS, 1)} | {"sept": 9}
_MN = r"(?P<mn>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_Y = r"(?P<y>\d{4})"

# Dates; the year may be left out ("ngày 10/3") and then comes from `default_year`.
_DATES = (
    r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?:(?P=sep)" + _Y + ")?",
    r"(?P<d>\d{1,2}) thang (?P<m>\d{1,2})(?:(?: nam)? " + _Y + ")?",
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)? (?:of )?" + _MN + "(?: " + _Y + ")?",
    _MN + r" (?P<d>\d{1,2})(?:st|nd|rd|th)?(?: " + _Y + ")?",
)
_TIME = (r"(?P<h>\d{1,2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2}))?| ?(?:gio|h|g)(?: ?(?P<mi2>\d{2})"
         r"(?: ?phut)?)?)(?: (?P<part>sang|trua|chieu|toi))?")
_DAY = [re.compile(rf"^(?:ngay )?{date}$", re.ASCII) for date in _DATES]
_DATETIME = [re.compile(rf"^{_TIME} (?:ngay )?{date}$", re.ASCII) for date in _DATES] + [
    re.compile(rf"^(?:ngay )?{date} (?:luc |vao |vao luc )?{_TIME}$", re.ASCII)
    for date in _DATES]
_ISO_DATETIME = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:t| )(?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2}))?$", re.ASCII)
_ISO_DAY = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$", re.ASCII)
_MONTH_FORMS = [re.compile(p, re.ASCII) for p in (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})$",
    r"^(?:thang |t\.? ?)?(?P<m>\d{1,2})[/.-]" + _Y + "$",
    r"^thang (?P<m>\d{1,2})(?:(?: nam)? " + _Y + ")?$",
    "^" + _MN + "(?: (?:of )?" + _Y + ")?$",
)]
_QUARTER_FORMS = [re.compile(p, re.ASCII) for p in (
    r"^(?:quy|q\.?) ?(?P<q>[ivx]+|\d{1,2})(?:(?: ?[/-] ?| )(?:nam )?" + _Y + ")?$",
    "^" + _Y + r"(?: ?- ?| )?(?:quy |q)(?P<q>[ivx]+|\d{1,2})$",
)]
_HALF_FORMS = [re.compile(p, re.ASCII) for p in (
    r"^(?:6|sau) thang (?P<h>dau|cuoi)(?: nam)?(?: " + _Y + ")?$",
    r"^nua (?P<h>dau|cuoi) nam(?: " + _Y + ")?$",
    r"^h(?P<h>\d)(?:(?: ?[/-] ?| )" + _Y + ")?$",
    "^" + _Y + r"(?: ?- ?| )?h(?P<h>\d)$",
    r"^(?P<h>first|second) half(?: of)?(?: " + _Y + ")?$",
)]
_SHORT_YEAR = re.compile(r"\d[/.-]\d{2}$", re.ASCII)
_YEAR = re.compile(r"^(?:nam |ca nam |year )?" + _Y + "$", re.ASCII)
_ONGOING = frozenset(("thuong xuyen", "thuong xuyen lien tuc", "ongoing", "standing"))
_TBD = frozenset(("tbd", "chua xac dinh", "chua xac dinh thoi han", "chua co thoi han",
                  "to be determined", "not yet set"))
_HALVES = {"dau": 1, "first": 1, "cuoi": 2, "second": 2}

# Recurrences.
_UNITS = {"ngay": "DAILY", "tuan": "WEEKLY", "thang": "MONTHLY", "quy": "QUARTERLY",
          "nam": "YEARLY"}
_PERIOD = (r"(?:(?:hang|moi) (?P<unit>ngay|tuan|thang|quy|nam)"
           r"|(?P<n>\d{1,4}) (?P<nunit>ngay|tuan|thang|nam) mot lan"
           r"|moi (?P<m>\d{1,4}) (?P<munit>ngay|tuan|thang|nam))")
_RECUR_AFTER = re.compile(rf"^(?:(?P<spec>.*?) (?:cua )?)??{_PERIOD}$", re.ASCII)
_RECUR_BEFORE = re.compile(rf"^{_PERIOD}(?: (?:vao )?(?:luc )?(?P<spec>.+))?$", re.ASCII)
_IN_QUARTER = re.compile(
    r"^ngay (?P<d>-?\d{1,2}) (?:cua )?thang (?P<which>dau|cuoi|thu (?:hai|2|ba|3)|giua)"
    r"(?: (?:cua|moi|hang))* quy$", re.ASCII)
_QUARTER_MONTHS = {"dau": 1, "thu hai": 2, "thu 2": 2, "giua": 2, "thu ba": 3, "thu 3": 3,
                   "cuoi": 3}
_WEEKDAY_WORDS = {"thu hai": "MO", "thu 2": "MO", "t2": "MO", "thu ba": "TU", "thu 3": "TU",
                  "t3": "TU", "thu tu": "WE", "thu 4": "WE", "t4": "WE", "thu nam": "TH",
                  "thu 5": "TH", "t5": "TH", "thu sau": "FR", "thu 6": "FR", "t6": "FR",
                  "thu bay": "SA", "thu 7": "SA", "t7": "SA", "chu nhat": "SU", "cn": "SU",
                  "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH",
                  "friday": "FR", "saturday": "SA", "sunday": "SU"}
_WEEKDAY = "(?:" + "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True)) + ")"
_WEEKDAYS = re.compile(rf"^{_WEEKDAY}(?:(?: va| and)? {_WEEKDAY})*$", re.ASCII)
_WEEKDAY_FIND = re.compile(_WEEKDAY, re.ASCII)
_WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MONTH_DAY = re.compile(r"^ngay (?P<d>-?\d{1,2})$", re.ASCII)
_LAST_DAY = re.compile(r"^(?:ngay )?cuoi(?: cung)?(?: (?:cua )?thang)?$", re.ASCII)
_YEAR_DAY = (re.compile(r"^ngay (?P<d>\d{1,2})[/.-](?P<m>\d{1,2})$", re.ASCII),
             re.compile(r"^ngay (?P<d>\d{1,2}) thang (?P<m>\d{1,2})$", re.ASCII))
_YEAR_MONTH = re.compile(r"^(?:vao )?thang (?P<m>\d{1,2})$", re.ASCII)
_RRULE = re.compile(r"^(?:rrule:)?freq=[a-z0-9=;,+-]*$", re.ASCII)
_RRULE_KEYS = frozenset(("FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY", "BYMONTHDAY",
                         "BYMONTH", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"))


class _Due(NamedTuple):
    """A deadline being read: its kind, year and number (month, quarter or half), or its day
    and minute."""

    kind: str  # "datetime", "date", "month", "quarter", "half", "year"
    year: int
    number: int = 0
    day: dt.date | None = None
    at: dt.time | None = None

    def text(self) -> str:
        if self.kind == "datetime" and self.day and self.at:
            return f"{self.day.isoformat()}T{self.at:%H:%M}"
        if self.kind == "date" and self.day:
            return self.day.isoformat()
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        if self.kind == "half":
            return f"{self.year:04d}-H{self.number}"
        return f"{self.year:04d}"

    def before(self) -> _Due:
        """The period before this one; a minute stays itself (the deadline is that minute)."""
        if self.kind == "datetime":
            return self
        if self.kind == "date" and self.day:
            day = self.day - dt.timedelta(days=1)
            return self._replace(year=day.year, day=day)
        per_year = {"month": 12, "quarter": 4, "half": 2}.get(self.kind)
        if per_year is None:
            return self._replace(year=self.year - 1)
        if self.number > 1:
            return self._replace(number=self.number - 1)
        return self._replace(year=self.year - 1, number=per_year)


class _Phrase:
    """One phrase being read: the text as given (for messages) and the default year."""

    def __init__(self, phrase: str, default_year: int | None) -> None:
        self.shown = unicodedata.normalize("NFC", phrase).strip()
        self.default_year = default_year

    def fail(self, why: str) -> PhraseError:
        return PhraseError(f"{self.shown!r}: {why}")

    def year(self, written: str | None) -> int:
        if written is not None:
            year = int(written)
        elif self.default_year is not None:
            year = self.default_year
        else:
            raise self.fail("it names no year; write one (Quý III/2025) or give a default "
                            "year")
        self.check_year(year)
        return year

    def check_year(self, year: int) -> None:
        problem = year_problem(year)
        if problem:
            raise self.fail(problem)

    def date(self, year: int, month: int, day: int) -> dt.date:
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise self.fail(f"{day}/{month}/{year} is not a real date ({exc})") from None


def _clean(phrase: str) -> str:
    """The phrase folded (lowercase, no diacritics, single spaces), without the punctuation
    around it and with no spaces around the separators of numbers ("10 / 3" -> "10/3")."""
    text = fold(unicodedata.normalize("NFC", phrase).translate(_DASHES)).strip(_EDGES)
    return _BETWEEN_DIGITS.sub(r"\1", text)


def read_deadline(phrase: str, *, default_year: int | None = None) -> Reading:
    """The deadline or recurrence `phrase` names: "Quý III/2025" -> Reading("2025-Q3"),
    "ngày 25 hằng tháng" -> Reading(None, "FREQ=MONTHLY;BYMONTHDAY=25"). A phrase without
    a year ("Quý III") takes `default_year`. PhraseError when the phrase names no deadline
    exactly."""
    if len(phrase) > MAX_LENGTH:
        raise PhraseError(f"{phrase[:40]!r}...: a deadline phrase is at most {MAX_LENGTH} "
                          "characters")
    said = _Phrase(phrase, default_year)
    text = _clean(phrase)
    if not text:
        raise PhraseError(f"{said.shown!r} names no deadline: the phrase is empty")
    before = periodic = False
    for _ in range(8):
        if lead := _LEADS.match(text) or _PERIODIC.match(text):
            periodic = periodic or lead.re is _PERIODIC
        elif lead := _BEFORE.match(text):
            if before:
                break
            before = True
        else:
            break
        text = text[lead.end():]
    if _RRULE.match(text):
        if before:
            raise said.fail("'before' cannot shift an RRULE; write the rule itself")
        return Reading(None, _rrule(said, text))
    text = " ".join(text.replace(",", " ").split())
    reading = _recurrence(said, text, before)
    if reading is not None:
        return reading
    if periodic:
        raise said.fail("it says the duty recurs but not how often; write e.g. 'ngày 25 "
                        "hằng tháng' or 'hằng quý'")
    if text in _ONGOING or text in _TBD:
        if before:
            raise said.fail("'before' needs a date or a period after it")
        return Reading("ongoing" if text in _ONGOING else "tbd")
    due = _deadline(said, text)
    if due is None and _SHORT_YEAR.search(text):
        raise said.fail("write the year in full (10/3/2025, not 10/3/25)")
    if due is None:
        raise said.fail(f"cannot read it as a deadline; write {FORMS_HELP}")
    if before:
        due = due.before()
    said.check_year(due.year)
    return Reading(due.text())


def day_numbers(phrase: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a Vietnamese phrase that names one day with its year ("ngày
    10/3/2025", "ngày 10 tháng 3 năm 2025", "10 tháng 3 năm 2025"), unchecked; None for any
    other text. For `asof.parse_day`, which checks the numbers and says what is wrong."""
    if len(phrase) > MAX_LENGTH:
        return None
    text = _clean(phrase)
    for pattern in _DAY[:2]:
        match = pattern.match(text)
        # A Vietnamese word in it: "10 / 3 / 2025" is no phrase, and parse_day refuses it.
        if match and match["y"] and (text.startswith("ngay ") or " thang " in text):
            return int(match["y"]), int(match["m"]), int(match["d"])
    return None


def _deadline(said: _Phrase, text: str) -> _Due | None:
    """The deadline `text` names, None when it is none of the deadline forms."""
    if match := _ISO_DATETIME.match(text):
        return _datetime(said, match, said.year(match["y"]))
    if match := _ISO_DAY.match(text):
        return _day(said, match, said.year(match["y"]))
    for pattern in _DATETIME:
        if match := pattern.match(text):
            return _datetime(said, match, said.year(match["y"]))
    for pattern in _DAY:
        if match := pattern.match(text):
            return _day(said, match, said.year(match["y"]))
    for pattern in _MONTH_FORMS:
        if match := pattern.match(text):
            month = _month_of(match)
            year = said.year(match["y"])
            if not 1 <= month <= 12:
                raise said.fail(f"there is no month {month}")
            return _Due("month", year, month)
    for pattern in _QUARTER_FORMS:
        if match := pattern.match(text):
            written = match["q"]
            quarter = _ROMAN.get(written, 0) if not written.isdigit() else int(written)
            if not 1 <= quarter <= 4:
                raise said.fail(f"a year has quarters I to IV (1 to 4) only, not "
                                f"{written.upper()}")
            return _Due("quarter", said.year(match["y"]), quarter)
    for pattern in _HALF_FORMS:
        if match := pattern.match(text):
            half = _HALVES.get(match["h"]) or int(match["h"])
            if half not in (1, 2):
                raise said.fail("a year has halves H1 and H2 only")
            return _Due("half", said.year(match["y"]), half)
    if match := _YEAR.match(text):
        return _Due("year", said.year(match["y"]))
    return None


def _month_of(match: re.Match[str]) -> int:
    names = match.groupdict()
    if names.get("mn"):
        return _MONTH_NAMES[names["mn"]]
    return int(names["m"])


def _day(said: _Phrase, match: re.Match[str], year: int) -> _Due:
    day = said.date(year, _month_of(match), int(match["d"]))
    return _Due("date", year, day=day)


def _datetime(said: _Phrase, match: re.Match[str], year: int) -> _Due:
    day = _day(said, match, year).day
    names = match.groupdict()
    hour, minute = int(names["h"]), int(names.get("mi") or names.get("mi2") or 0)
    part = names.get("part")
    if names.get("s") and int(names["s"]):
        raise said.fail("a deadline falls on a minute; leave the seconds out")
    if (part == "sang" and hour > 11) or (part == "trua" and hour not in (11, 12, 13)):
        raise said.fail(f"{hour} giờ is not in the {'morning' if part == 'sang' else 'noon'}")
    if part in ("chieu", "toi") and 1 <= hour <= 11:
        hour += 12
    elif part in ("chieu", "toi") and not 12 <= hour <= 23:
        raise said.fail(f"{hour} giờ is not in the afternoon or evening")
    if hour > 23 or minute > 59:
        raise said.fail(f"{hour}:{minute:02d} is not a time of day")
    return _Due("datetime", year, day=day, at=dt.time(hour, minute))


def _rrule(said: _Phrase, text: str) -> str:
    """An RRULE written as such, uppercase, its parts checked as far as the format's
    limits go without the domain (which checks it in full when the plan is read)."""
    rule = text.upper().removeprefix("RRULE:")
    parts = [p.partition("=") for p in rule.split(";") if p]
    keys = [key for key, _, _ in parts]
    values = {key: value for key, _, value in parts}
    for key in keys:
        if key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            raise said.fail(f"a plan's recurrence has no {key}: its duties fall on days")
        if key not in _RRULE_KEYS:
            raise said.fail(f"{key} is not a part of an RRULE")
    if len(set(keys)) != len(keys):
        raise said.fail("the RRULE names a part twice")
    if values["FREQ"] not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        raise said.fail("a plan's recurrence is at most daily: FREQ is DAILY, WEEKLY, "
                        "MONTHLY or YEARLY")
    interval = values.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        raise said.fail("INTERVAL is a whole number of at least 1")
    return ";".join(p for p in rule.split(";") if p)


def _recurrence(said: _Phrase, text: str, before: bool) -> Reading | None:
    """A recurring duty `text` names ("ngày 25 hằng tháng"), None when it names none."""
    if match := _IN_QUARTER.match(text):
        day = int(match["d"])
        if before:
            if day <= 1:
                raise said.fail("the day before the 1st lies in another month; write the "
                                "day itself")
            day -= 1
        _check_month_day(said, day)
        first = _QUARTER_MONTHS[match["which"]]
        months = ",".join(str(m) for m in range(first, 13, 3))
        rule = f"FREQ=MONTHLY;BYMONTH={months};BYMONTHDAY={day}"
        return Reading(None, rule, _short_month_warning(day))
    match = _RECUR_AFTER.match(text) or _RECUR_BEFORE.match(text)
    if match is None:
        return None
    unit = match["unit"] or match["nunit"] or match["munit"]
    every = int(match["n"] or match["m"] or 1)
    if every < 1:
        raise said.fail("a duty recurs every 1 period or more")
    spec = match["spec"] or ""
    freq = _UNITS[unit]
    if freq == "QUARTERLY":
        freq, every = "MONTHLY", 3
    parts, warnings = _recurrence_days(said, freq, spec, before)
    if _UNITS[unit] == "QUARTERLY":
        warnings[:1 if not parts else 0] = [
            "a quarterly duty falls every 3 months counted from start: set start in the "
            "right month of the quarter" + ("" if parts else ", and BYMONTHDAY")]
    rule = ";".join([f"FREQ={freq}", *([f"INTERVAL={every}"] if every > 1 else []), *parts])
    return Reading(None, rule, "; ".join(warnings) or None)


def _recurrence_days(said: _Phrase, freq: str, spec: str, before: bool
                     ) -> tuple[list[str], list[str]]:
    """The BY... parts of a rule of `freq` from its day `spec`, and warnings."""
    spec = spec.removeprefix("vao ").removesuffix(" cua")
    if not spec:
        if before:
            raise said.fail("'before' needs a day after it")
        return [], ([] if freq == "DAILY" else [_NO_DAY[freq]])
    if freq == "WEEKLY" and _WEEKDAYS.match(spec):
        days = list(dict.fromkeys(_WEEKDAY_WORDS[w] for w in _WEEKDAY_FIND.findall(spec)))
        if before:
            days = list(dict.fromkeys(_WEEK[_WEEK.index(d) - 1] for d in days))
        return [f"BYDAY={','.join(days)}"], []
    if freq == "MONTHLY" and (_MONTH_DAY.match(spec) or _LAST_DAY.match(spec)):
        found = _MONTH_DAY.match(spec)
        day = int(found["d"]) if found else -1
        if before:
            if day < 0:
                raise said.fail("'before' a day counted from the month's end is not read; "
                                "write the day itself")
            day = day - 1 if day > 1 else -1
        _check_month_day(said, day)
        warning = _short_month_warning(day)
        return [f"BYMONTHDAY={day}"], [warning] if warning else []
    if freq == "YEARLY":
        for pattern in _YEAR_DAY:
            if found := pattern.match(spec):
                day, month = int(found["d"]), int(found["m"])
                said.date(2024, month, day)  # a leap year: 29/2 is a day of some years
                if before:
                    if day > 1:
                        day -= 1
                    else:
                        month, day = (month - 2) % 12 + 1, -1
                warnings = ["29/2 falls in leap years only"] if (day, month) == (29, 2) else []
                return [f"BYMONTH={month}", f"BYMONTHDAY={day}"], warnings
        if (found := _YEAR_MONTH.match(spec)) and not before:
            month = int(found["m"])
            if not 1 <= month <= 12:
                raise said.fail(f"there is no month {month}")
            return [f"BYMONTH={month}"], ["a yearly duty with a month and no day: set "
                                          "BYMONTHDAY (it falls on start's day otherwise)"]
    raise said.fail(f"cannot read {spec!r} as the day of a duty that recurs "
                    f"{_EVERY_WORDS[freq]}")


_NO_DAY = {
    "WEEKLY": "a weekly duty with no weekday: set BYDAY (it falls on start's weekday "
              "otherwise)",
    "MONTHLY": "a monthly duty with no day: set BYMONTHDAY (it falls on start's day of the "
               "month otherwise)",
    "YEARLY": "a yearly duty with no date: set BYMONTH and BYMONTHDAY (it falls on start's "
              "date otherwise)",
}
_EVERY_WORDS = {"DAILY": "daily", "WEEKLY": "weekly (write the weekday: thứ Sáu)",
                "MONTHLY": "monthly (write the day: ngày 25)",
                "YEARLY": "yearly (write the date: ngày 31/12)"}


def _check_month_day(said: _Phrase, day: int) -> None:
    if day == 0 or not -31 <= day <= 31:
        raise said.fail(f"a month has no day {day}")


def _short_month_warning(day: int) -> str | None:
    if day > 28 or day < -28:
        return (f"months without a day {day} have no occurrence; BYMONTHDAY=-1 is each "
                "month's last day")
    return None
