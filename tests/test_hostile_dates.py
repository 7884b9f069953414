"""Hostile recurrences and dates: the format's limits enforced, located, never a hang."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from plantrack.domain.model import Owner, Plan, Task, Update
from plantrack.domain.recurrence import HORIZON, RuleError, occurrences, validate_rule
from plantrack.domain.state import derive
from tests.conftest import WritePlan
from tests.test_cli import run

D = dt.date
PROBLEM = re.compile(r":(\d+):\d+: error \[([a-z-]+)\] (.*)$")


def duty(recurs: str, start: str = "2025-03-01", extra: str = "") -> str:
    return (f"- id: R\n  title: report\n  owner: dost\n  recurs: {recurs}\n"
            f"  start: {start}\n{extra}")


def problems(path: Path) -> list[tuple[int, str, str]]:
    """(line, code, message) of each error `plantrack validate` prints."""
    code, out, err = run("validate", str(path))
    assert code in (0, 1), err
    return [(int(m[1]), m[2], m[3]) for line in (out + err).splitlines()
            if (m := PROBLEM.search(line))]


def rule_problems(write_plan: WritePlan, recurs: str) -> list[tuple[int, str, str]]:
    return problems(write_plan(duty(recurs)))


# 1. Recurrences -------------------------------------------------------------------------

@pytest.mark.parametrize("recurs, says", [
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
    ("FREQ=SECONDLY", "at most daily"),
    ("FREQ=MINUTELY", "at most daily"),
    ("FREQ=HOURLY", "at most daily"),
    ("FREQ=DAILY;BYHOUR=9", "BYHOUR"),
    ("FREQ=DAILY;BYMINUTE=0", "BYMINUTE"),
    ("FREQ=WEEKLY;BYSECOND=0", "BYSECOND"),
    ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY"),
    ("FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY"),
    ("FREQ=YEARLY;BYWEEKNO=0", "BYWEEKNO"),
    ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-367", "BYSETPOS"),
    ("FREQ=MONTHLY;BYMONTHDAY=25;UNTIL=23000101", "2300"),
    ("FREQ=MONTHLY;COUNT=2;UNTIL=20260101", "COUNT and UNTIL"),
])
def test_rules_beyond_the_limits_are_located_errors(write_plan: WritePlan, recurs: str,
                                                    says: str) -> None:
    found = rule_problems(write_plan, recurs)
    assert [(line, code) for line, code, _ in found] == [(12, "bad-rrule")]
    assert says in found[0][2]


def test_a_rule_with_times_of_day_is_refused_before_dateutil_runs(
        write_plan: WritePlan, monkeypatch: pytest.MonkeyPatch) -> None:
    import dateutil.rrule

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("dateutil was asked to enumerate a refused rule")

    monkeypatch.setattr(dateutil.rrule, "rrule", never)
    days = ",".join(str(d) for d in range(1, 367))
    recurs = f"FREQ=YEARLY;BYYEARDAY={days};BYHOUR={','.join(map(str, range(24)))};" \
             f"BYMINUTE={','.join(map(str, range(60)))}"
    with pytest.raises(RuleError, match="BYHOUR"):
        validate_rule(recurs, D(2025, 1, 1))
    assert [code for _, code, _ in rule_problems(write_plan, recurs)] == ["bad-rrule"]


def test_a_rule_that_never_occurs_is_an_error_not_done(write_plan: WritePlan) -> None:
    for recurs in ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
                   "FREQ=MONTHLY;BYDAY=6MO", "FREQ=DAILY;UNTIL=20200101",
                   # searched to the end of dateutil's calendar, in a week running past it
                   "FREQ=WEEKLY;INTERVAL=3;BYSETPOS=4",
                   "FREQ=WEEKLY;INTERVAL=3;BYMONTH=4;BYMONTHDAY=31"):
        found = rule_problems(write_plan, recurs)
        assert [(line, code) for line, code, _ in found] == [(12, "bad-rrule")], recurs
        assert "no occurrence" in found[0][2]


def test_the_first_occurrence_after_2200_is_too_late(write_plan: WritePlan) -> None:
    found = problems(write_plan(duty("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
                                     start="2197-01-01")))
    assert [code for _, code, _ in found] == ["bad-rrule"]  # 2200 is no leap year: 2204 is
    assert occurrences("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", D(2197, 1, 1), D(2197, 1, 1)) \
        == (D(2204, 2, 29),)


def test_huge_intervals_and_counts_are_allowed_and_finish() -> None:
    for recurs in ("FREQ=DAILY;INTERVAL=" + "9" * 5000, "FREQ=WEEKLY;INTERVAL=123456789",
                   "FREQ=YEARLY;COUNT=" + "9" * 100):
        validate_rule(recurs, D(1900, 1, 1))
    assert occurrences("FREQ=DAILY;INTERVAL=" + "9" * 50, D(1900, 1, 1), D(2200, 1, 1)) == (
        D(1900, 1, 1),)


def plan_with(t: Task) -> Plan:
    return Plan(plantrack=1, id="p", title="P", owners={"o": Owner(name="O")}, tasks=[t],
                issued=D(2024, 1, 1))


def recurring(recurs: str, start: dt.date, *reports: dt.date) -> Task:
    return Task(id="R", title="r", owner="o", recurs=recurs, start=start,
                updates=tuple(Update(date=d) for d in reports))


def test_a_monthly_duty_from_29_february_skips_months_without_a_29th() -> None:
    t = recurring("FREQ=MONTHLY", D(2024, 2, 29), D(2024, 2, 29))
    item = derive(plan_with(t), t, D(2024, 3, 10))
    assert (item.state, item.deadline_day, item.days_left) == ("on_track", D(2024, 3, 29), 19)
    reported = recurring("FREQ=MONTHLY", D(2024, 2, 29),
                         *[D(2024 + m // 12, m % 12 + 1, 29) for m in range(1, 13)])
    later = derive(plan_with(reported), reported, D(2025, 3, 1))
    # No 2025-02-29: the report of 2025-01-29 answers the latest occurrence.
    assert (later.state, later.deadline_day, later.days_left) == ("on_track", D(2025, 3, 29), 28)
    assert occurrences("FREQ=MONTHLY", D(2024, 2, 29), D(2025, 3, 30))[-3:] == (
        D(2025, 1, 29), D(2025, 3, 29), D(2025, 4, 29))


def test_a_yearly_duty_from_29_february_falls_in_leap_years() -> None:
    t = recurring("FREQ=YEARLY", D(2024, 2, 29), D(2024, 2, 29))
    item = derive(plan_with(t), t, D(2025, 3, 1))
    assert (item.state, item.deadline_day) == ("on_track", D(2028, 2, 29))
    late = derive(plan_with(t), t, D(2028, 3, 1))
    assert (late.state, late.deadline_day, late.days_overdue) == ("overdue", D(2028, 2, 29), 1)
    assert occurrences("FREQ=YEARLY", D(2096, 2, 29), D(2104, 1, 1)) == (
        D(2096, 2, 29), D(2104, 2, 29))  # 2100 is no leap year


def test_month_ends_as_dateutil_defines_them() -> None:
    assert occurrences("FREQ=MONTHLY", D(2024, 1, 31), D(2024, 6, 1)) == (
        D(2024, 1, 31), D(2024, 3, 31), D(2024, 5, 31), D(2024, 7, 31))
    assert occurrences("FREQ=MONTHLY;BYMONTHDAY=-1", D(2024, 1, 31), D(2024, 3, 1)) == (
        D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31))


def test_count_and_until_are_obeyed() -> None:
    rule = "FREQ=MONTHLY;BYMONTHDAY=25;COUNT=3"
    assert occurrences(rule, D(2025, 1, 1), D(2200, 12, 31)) == (
        D(2025, 1, 25), D(2025, 2, 25), D(2025, 3, 25))
    t = recurring(rule, D(2025, 1, 1), D(2025, 1, 25), D(2025, 2, 25), D(2025, 3, 25))
    assert derive(plan_with(t), t, D(2025, 6, 1)).state == "done_on_time"
    unmet = recurring(rule, D(2025, 1, 1), D(2025, 1, 25), D(2025, 2, 25))
    item = derive(plan_with(unmet), unmet, D(2025, 6, 1))
    assert (item.state, item.deadline_day) == ("overdue", D(2025, 3, 25))
    assert occurrences("FREQ=WEEKLY;UNTIL=20250115", D(2025, 1, 1), D(2026, 1, 1)) == (
        D(2025, 1, 1), D(2025, 1, 8), D(2025, 1, 15))


def test_occurrences_are_read_only_as_far_as_asked() -> None:
    near = occurrences("FREQ=DAILY", D(1900, 1, 1), D(1900, 1, 10))
    assert near == tuple(D(1900, 1, d) for d in range(1, 11))  # up to the first on the day


# 2. Dates in the years 1900-2200 ---------------------------------------------------------

OUT_OF_RANGE = """\
- id: A
  title: a
  owner: dost
  due: 2300-01-01
- id: B
  title: b
  owner: dost
  due: 2201-Q1
- id: C
  title: c
  owner: dost
  due: "1899"
- id: E
  title: e
  owner: dost
  due: 2025-09
  status: done
  completed: 9999-12-31
- id: F
  title: f
  owner: dost
  due: 2025-09
  extensions:
    - {due: 2025-12, approved: 1800-01-01}
  updates:
    - {date: 2025-01-01}
    - {date: 2201-01-01}
- id: G
  title: g
  owner: dost
  recurs: FREQ=MONTHLY
  start: 0001-01-01
"""


def test_dates_outside_the_years_are_located_errors(write_plan: WritePlan) -> None:
    found = problems(write_plan(OUT_OF_RANGE))
    ranged = sorted((line, code) for line, code, _ in found if code == "date-range")
    assert ranged == [(12, "date-range"), (16, "date-range"), (20, "date-range"),
                      (26, "date-range"), (32, "date-range"), (35, "date-range"),
                      (40, "date-range")]
    assert all("1900-2200" in message for _, code, message in found if code == "date-range")


def test_dates_at_the_limits_are_fine(write_plan: WritePlan) -> None:
    path = write_plan("- id: A\n  title: a\n  owner: dost\n  due: 2200-12-31\n"
                      "- id: B\n  title: b\n  owner: dost\n  due: 1900-Q1\n"
                      + duty("FREQ=MONTHLY;BYMONTHDAY=-1", start="1900-01-01").replace(
                          "id: R", "id: C"))
    assert problems(path) == []


@pytest.mark.parametrize("args", [
    ("status", "--as-of", "2201-01-01"),
    ("status", "--as-of", "31/12/1899"),
    ("list", "--due-before", "9999-01-01"),
    ("overdue", "--as-of", "1000-06-30"),
    ("report", "--as-of", "9999-12-25"),
])
def test_command_line_dates_outside_the_years_are_exit_2(write_plan: WritePlan,
                                                         args: tuple[str, ...]) -> None:
    path = write_plan(duty("FREQ=MONTHLY;BYMONTHDAY=25"))
    code, _, err = run(*args, str(path.parent))
    assert code == 2
    assert "1900-2200" in err


def test_edit_dates_outside_the_years_are_exit_2(write_plan: WritePlan) -> None:
    path = write_plan(duty("FREQ=MONTHLY;BYMONTHDAY=25"))
    before = path.read_text(encoding="utf-8")
    code, _, err = run("update", "example-2025/R", "--date", "2300-01-01", "--progress", "5",
                       cwd=path.parent.parent)
    assert code == 2 and "1900-2200" in err
    assert path.read_text(encoding="utf-8") == before


EXTREME_PLAN = """\
plantrack: 1
id: extremes
title: Extremes
issued: 1900-01-01
reporting: FREQ=MONTHLY;BYMONTHDAY=-1
owners:
  dost: Department
tasks:
  - id: A
    title: a
    owner: dost
    due: 2200-12-31
  - id: B
    title: b
    owner: dost
    due: 1900-01-01
  - id: R
    title: r
    owner: dost
    recurs: FREQ=MONTHLY;BYMONTHDAY=31
    updates:
      - {date: 1900-01-31}
  - id: W
    title: w
    owner: dost
    recurs: FREQ=WEEKLY;BYDAY=FR
    start: 2200-12-01
"""


@pytest.mark.parametrize("day", ["1900-01-01", "2200-12-31", "2200-12-25"])
@pytest.mark.parametrize("command", [
    ("status", "--due-soon-days", "100000"), ("overdue",), ("list",),
    ("report", "--period", "week", "--due-soon-days", "100000"),
    ("report", "--period", "month"), ("report", "--period", "month", "--format", "html")])
def test_in_range_extremes_work(write_plan: WritePlan, day: str,
                                command: tuple[str, ...]) -> None:
    path = write_plan(raw=EXTREME_PLAN, plan_id="extremes")
    code, _, err = run(*command, "--as-of", day, str(path))
    assert code == 0, err


# 3. Properties ---------------------------------------------------------------------------

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def valid_looking_rules(draw: st.DrawFn) -> str:
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 30))}"]
    values = st.lists(st.integers(-31, 31).filter(bool), min_size=1, max_size=3)
    if draw(st.booleans()):
        parts.append("BYMONTHDAY=" + ",".join(map(str, draw(values))))
    if draw(st.booleans()):
        nth = st.sampled_from(["", "1", "2", "-1", "4"]) if freq in ("MONTHLY", "YEARLY") \
            else st.just("")
        days = draw(st.lists(st.tuples(nth, st.sampled_from(WEEKDAYS)), min_size=1, max_size=3))
        parts.append("BYDAY=" + ",".join(n + d for n, d in days))
    if draw(st.booleans()):
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3))
        parts.append("BYMONTH=" + ",".join(map(str, months)))
    if draw(st.integers(0, 3)) == 0:
        positions = draw(st.lists(st.integers(-5, 5).filter(bool), min_size=1, max_size=3))
        parts.append("BYSETPOS=" + ",".join(map(str, positions)))
    if draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(WEEKDAYS))}")
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.integers(1, 40))}")
    return ";".join(draw(st.permutations(parts)))


def reference(rule: str, start: dt.date, day: dt.date) -> tuple[list[dt.date], dt.date | None]:
    """dateutil's own answer on the real calendar: the occurrences from `start` before `day`,
    and the first on or after it (none past the horizon the tool looks to)."""
    from dateutil.rrule import rrulestr

    begin = dt.datetime.combine(start, dt.time())
    end = dt.datetime.combine(day, dt.time())
    found = rrulestr(rule, dtstart=begin)
    before = [d.date() for d in found.between(begin, end, inc=True) if d < end]
    try:
        following = found.after(end, inc=True)
    except ValueError:  # dateutil's own calendar ends in a week that runs into the year 10000
        following = None
    upcoming = following.date() if following is not None else None
    return before, upcoming if upcoming is not None and upcoming <= HORIZON else None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(valid_looking_rules(), st.dates(D(1900, 1, 1), D(2200, 12, 31)),
       st.integers(0, 4000))
def test_occurrences_agree_with_dateutil(rule: str, start: dt.date, ahead: int) -> None:
    try:
        validate_rule(rule, start)
    except RuleError:
        assume(False)
    day = min(start + dt.timedelta(days=ahead), D(2200, 12, 31))
    dates = occurrences(rule, start, day)
    before, upcoming = reference(rule, start, day)
    assert [d for d in dates if d < day] == before
    assert (dates[-1] if dates and dates[-1] >= day else None) == upcoming


PIECES = st.sampled_from([
    "FREQ=", "DAILY", "HOURLY", "SECONDLY", "YEARLY", "MONTHLY", "WEEKLY", ";", "=", ",",
    "INTERVAL=", "COUNT=", "UNTIL=", "BYDAY=", "BYMONTHDAY=", "BYYEARDAY=", "BYWEEKNO=",
    "BYSETPOS=", "BYMONTH=", "BYHOUR=", "BYEASTER=", "WKST=", "RRULE:", "DTSTART:", "MO",
    "-1", "+5", "0", "53", "366", "-367", "99999999999999999999", "20250101", "22010101T000000Z",
    "1FR", "\n", " ", "x"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(PIECES, max_size=14).map("".join), st.text(max_size=40)),
       st.dates(D(1900, 1, 1), D(2200, 12, 31)))
def test_checking_any_rule_text_finishes_with_rule_error_at_most(text: str,
                                                                 start: dt.date) -> None:
    try:
        validate_rule(text, start)
    except RuleError:
        return
    occurrences(text, start, min(start + dt.timedelta(days=400), D(2200, 12, 31)))
