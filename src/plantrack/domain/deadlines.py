"""Deadlines as plans write them, and the calendar day each one ends on."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from plantrack.asof import FIRST_YEAR, LAST_YEAR, YEARS, DateRangeError, year_problem
from plantrack.problems import message

DeadlineKind = Literal["datetime", "date", "month", "quarter", "half", "year", "ongoing", "tbd"]

_FORMS: list[tuple[DeadlineKind, re.Pattern[str]]] = [
    ("datetime", re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$")),
    ("date", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("quarter", re.compile(r"^(\d{4})-[Qq](\d)$")),
    ("half", re.compile(r"^(\d{4})-[Hh](\d)$")),
    ("year", re.compile(r"^(\d{4})$")),
]

FORMS_HELP = ("2025-03-10, 2025-02-20T10:00, 2025-07, 2025-Q3, 2025-H1, 2025, ongoing, "
              "or tbd (not yet set)")
FORMS = message("2025-03-10, 2025-02-20T10:00, 2025-07, 2025-Q3, 2025-H1, 2025, ongoing, "
                "or tbd (not yet set)")
# Python's reasons a date is not one (`datetime.date`), said in the user's language.
DATE_WORDS = frozenset(("month must be in 1..12", "day is out of range for month",
                        "year 0 is out of range", "hour must be in 0..23",
                        "minute must be in 0..59", "second must be in 0..59"))

# The JSON Schema pattern for the written forms (the calendar check happens in the tool).
PATTERN = (
    r"^(ongoing|tbd|TBD|\d{4}(-(0[1-9]|1[0-2])(-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?)?"
    r"|-[Qq][1-4]|-[Hh][12])?)$"
)


class DeadlineError(ValueError):
    pass


class DeadlineRangeError(DeadlineError, DateRangeError):
    """A deadline in a year outside the format's (PLAN-FORMAT.md, "Limits")."""


def year_message(year: int) -> str | None:
    """`asof.year_problem` as a Message (translated in views); None when the year is allowed."""
    problem = year_problem(year)
    if problem is None:
        return None
    said = message("the year %(year)s is outside the years %(years)s that plan dates lie in",
                   year=year, years=YEARS)
    return said if said == problem else problem


def _check_year(text: str, year: int) -> None:
    problem = year_message(year)
    if problem:
        raise DeadlineRangeError(message("%(text)s: %(problem)s", text=repr(text),
                                         problem=problem))


class Deadline(NamedTuple):
    """A written deadline: `text` as written, and the last calendar day it allows.

    A named tuple: immutable, and the cheapest object to read back from the cache."""

    text: str
    kind: DeadlineKind
    last_day: dt.date | None  # None for ongoing and tbd
    at: dt.time | None = None  # the minute a `datetime` deadline falls due

    @property
    def is_ongoing(self) -> bool:
        """A standing duty: never due."""
        return self.kind == "ongoing"

    @property
    def is_tbd(self) -> bool:
        """Not yet set (`due: tbd`): the source gives no deadline."""
        return self.kind == "tbd"

    @property
    def open_ended(self) -> bool:
        """No last day: `ongoing` or `tbd`."""
        return self.last_day is None

    def __reduce__(self) -> tuple[Any, ...]:
        # Read back from the cache by C code alone, not through the Python-level __new__.
        return tuple.__new__, (type(self), tuple(self))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            coerce_deadline,
            json_schema_input_schema=core_schema.union_schema(
                [core_schema.str_schema(pattern=PATTERN),
                 core_schema.int_schema(ge=FIRST_YEAR, le=LAST_YEAR), core_schema.date_schema()]
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda d: d.text),
        )


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str) -> Deadline:
    """Parse one of the written forms; raise DeadlineError naming what is wrong."""
    text = text.strip()
    if text.lower() == "ongoing":
        return Deadline("ongoing", "ongoing", None)
    if text.lower() == "tbd":
        return Deadline("tbd", "tbd", None)
    for kind, pattern in _FORMS:
        match = pattern.match(text)
        if match:
            return _build(text, kind, [int(g) if g else 0 for g in match.groups()])
    raise DeadlineError(_not_a_deadline(repr(text)))


def _not_a_deadline(shown: str) -> str:
    return message("%(value)s is not a deadline; write one of %(forms)s", value=shown,
                   forms=FORMS)


def _build(text: str, kind: DeadlineKind, parts: list[int]) -> Deadline:
    year = parts[0]
    _check_year(text, year)  # first, so that no arithmetic below meets an extreme year
    try:
        if kind == "year":
            return Deadline(text, kind, dt.date(year, 12, 31))
        if kind == "half":
            if parts[1] not in (1, 2):
                raise DeadlineError(message("%(text)s: a year has halves H1 and H2 only",
                                            text=repr(text)))
            return Deadline(text, kind, _month_end(year, 6 * parts[1]))
        if kind == "quarter":
            if not 1 <= parts[1] <= 4:
                raise DeadlineError(message("%(text)s: a year has quarters Q1 to Q4 only",
                                            text=repr(text)))
            return Deadline(text, kind, _month_end(year, 3 * parts[1]))
        if kind == "month":
            if not 1 <= parts[1] <= 12:
                raise DeadlineError(message("%(text)s: there is no month %(month)s",
                                            text=repr(text), month=parts[1]))
            return Deadline(text, kind, _month_end(year, parts[1]))
        day = dt.date(year, parts[1], parts[2])
        if kind == "date":
            return Deadline(text, kind, day)
        at = dt.time(parts[3], parts[4], parts[5])
        return Deadline(f"{day.isoformat()}T{at.strftime('%H:%M')}", kind, day, at)
    except ValueError as exc:
        if isinstance(exc, DeadlineError):
            raise
        reason = str(exc)
        raise DeadlineError(message("%(text)s is not a real date: %(reason)s", text=repr(text),
                                    reason=message(reason) if reason in DATE_WORDS else reason)
                            ) from None


def coerce_deadline(value: object) -> Deadline:
    """Accept what the YAML reader yields for a deadline: text, a year, a date or a datetime."""
    if isinstance(value, Deadline):
        return value
    if isinstance(value, (str, int, dt.date)):
        return _coerce_known(value)
    return _coerce(value)


@lru_cache(maxsize=4096, typed=True)
def _coerce_known(value: str | int | dt.date) -> Deadline:
    # One Deadline per distinct value: plans repeat deadlines, and equal objects are stored
    # once in the cache.
    return _coerce(value)


def _coerce(value: object) -> Deadline:
    if isinstance(value, bool):
        raise DeadlineError(_not_a_deadline(repr(value)))
    if isinstance(value, int):
        return parse_deadline(str(value))
    if isinstance(value, dt.date):
        _check_year(value.isoformat(), value.year)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise DeadlineError(message("write the deadline's time without a UTC offset: it is "
                                        "read in the plan's timezone"))
        return Deadline(value.strftime("%Y-%m-%dT%H:%M"), "datetime", value.date(),
                        value.time().replace(second=0, microsecond=0))
    if isinstance(value, dt.date):
        return Deadline(value.isoformat(), "date", value)
    if isinstance(value, str):
        return parse_deadline(value)
    raise DeadlineError(message("a deadline is text such as %(forms)s, not %(type)s",
                                forms=FORMS, type=type(value).__name__))
