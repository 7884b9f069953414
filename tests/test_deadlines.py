"""Deadline forms and the last day each allows: examples and properties."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plantrack.domain.deadlines import Deadline, DeadlineError, coerce_deadline, parse_deadline


@pytest.mark.parametrize("text, kind, last_day", [
    ("2025-03-10", "date", dt.date(2025, 3, 10)),
    ("2025-02-20T10:00", "datetime", dt.date(2025, 2, 20)),
    ("2025-07", "month", dt.date(2025, 7, 31)),
    ("2025-02", "month", dt.date(2025, 2, 28)),
    ("2024-02", "month", dt.date(2024, 2, 29)),
    ("2025-Q3", "quarter", dt.date(2025, 9, 30)),
    ("2025-q1", "quarter", dt.date(2025, 3, 31)),
    ("2025-H1", "half", dt.date(2025, 6, 30)),
    ("2025-H2", "half", dt.date(2025, 12, 31)),
    ("2025", "year", dt.date(2025, 12, 31)),
    ("ongoing", "ongoing", None),
])
def test_forms(text: str, kind: str, last_day: dt.date | None) -> None:
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.last_day) == (kind, last_day)


def test_datetime_keeps_its_minute() -> None:
    assert parse_deadline("2025-02-20T10:00").at == dt.time(10, 0)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-Q5", "2025-Q0", "2025-H3", "2025-13",
                                  "2025-00", "July 2025", "", "2025-02-20T25:00", "soon"])
def test_impossible_or_unknown_is_an_error(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text)


def test_coerce_what_the_reader_yields() -> None:
    assert coerce_deadline(2025).last_day == dt.date(2025, 12, 31)
    assert coerce_deadline(dt.date(2025, 3, 9)).text == "2025-03-09"
    assert coerce_deadline(dt.datetime(2025, 2, 20, 10, 0)).text == "2025-02-20T10:00"
    with pytest.raises(DeadlineError):
        coerce_deadline(True)
    with pytest.raises(DeadlineError):
        coerce_deadline(3.5)


@given(st.integers(1900, 2200), st.integers(1, 12))
def test_month_ends_on_its_last_day(year: int, month: int) -> None:
    deadline = parse_deadline(f"{year}-{month:02d}")
    assert deadline.last_day is not None
    assert deadline.last_day.month == month
    assert (deadline.last_day + dt.timedelta(days=1)).day == 1
    if month == 2:
        assert deadline.last_day.day == (29 if calendar.isleap(year) else 28)


@given(st.integers(1900, 2200), st.integers(1, 4))
def test_quarter_ends_with_its_third_month(year: int, quarter: int) -> None:
    deadline = parse_deadline(f"{year}-Q{quarter}")
    assert deadline.last_day == parse_deadline(f"{year}-{3 * quarter:02d}").last_day


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_a_date_is_its_own_last_day_and_lies_within_its_month_and_year(day: dt.date) -> None:
    exact = parse_deadline(day.isoformat())
    month = parse_deadline(f"{day.year}-{day.month:02d}")
    quarter = parse_deadline(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    half = parse_deadline(f"{day.year}-H{(day.month - 1) // 6 + 1}")
    year = parse_deadline(str(day.year))
    assert exact.last_day == day
    ends = [d.last_day for d in (exact, month, quarter, half, year)]
    assert all(e is not None for e in ends)
    assert ends == sorted(ends)  # type: ignore[type-var]


def test_deadline_is_immutable() -> None:
    deadline = Deadline("2025", "year", dt.date(2025, 12, 31))
    with pytest.raises(AttributeError):
        deadline.text = "2026"  # type: ignore[misc]


def test_equal_deadlines_are_one_object_and_types_stay_apart() -> None:
    assert coerce_deadline("2025-Q3") is coerce_deadline("2025-Q3")
    day = coerce_deadline(dt.date(2025, 3, 10))
    assert day is coerce_deadline(dt.date(2025, 3, 10))
    moment = coerce_deadline(dt.datetime(2025, 3, 10, 0, 0))
    assert (day.kind, moment.kind) == ("date", "datetime")
    with pytest.raises(DeadlineError):
        coerce_deadline(True)
