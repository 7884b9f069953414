"""Derived state as of a date, for every state, as-of reading of the past, recurring duties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plantrack.domain.deadlines import parse_deadline
from plantrack.domain.model import Extension, Owner, Plan, Task, Update
from plantrack.domain.state import derive, tally

D = dt.date


ISSUED = D(2025, 2, 19)


def plan_with(*tasks: Task) -> Plan:
    return Plan(plantrack=1, id="p", title="P", owners={"o": Owner(name="O")}, tasks=list(tasks),
                issued=ISSUED)


def task(**fields: object) -> Task:
    due = fields.pop("due", "2025-06-30")
    return Task(id="T-1", title="t", owner="o",
                due=parse_deadline(due) if isinstance(due, str) else None, **fields)  # type: ignore[arg-type]


def state_of(t: Task, day: dt.date, soon: int = 14) -> str:
    return derive(plan_with(t), t, day, soon).state


@pytest.mark.parametrize("fields, day, expected", [
    ({}, D(2025, 6, 1), "on_track"),
    ({}, D(2025, 6, 16), "due_soon"),
    ({}, D(2025, 6, 30), "due_soon"),
    ({}, D(2025, 7, 1), "overdue"),
    ({"due": "ongoing"}, D(2030, 1, 1), "ongoing"),
    ({"status": "cancelled"}, D(2026, 1, 1), "cancelled"),
    ({"status": "done", "completed": D(2025, 6, 30)}, D(2026, 1, 1), "done_on_time"),
    ({"status": "done", "completed": D(2025, 7, 1)}, D(2026, 1, 1), "done_late"),
    ({"due": "2025-Q2"}, D(2025, 6, 30), "due_soon"),
    ({"due": "2025-Q2"}, D(2025, 7, 1), "overdue"),
    ({"due": "2025-02-20T10:00"}, D(2025, 2, 20), "due_soon"),
    ({"due": "2025-02-20T10:00"}, D(2025, 2, 21), "overdue"),
])
def test_each_state(fields: dict[str, object], day: dt.date, expected: str) -> None:
    assert state_of(task(**fields), day) == expected


def test_days_overdue_counts_whole_days_from_the_last_day() -> None:
    item = derive(plan_with(t := task(due="2025-07")), t, D(2025, 9, 30))
    assert (item.state, item.days_overdue, item.deadline_day) == ("overdue", 61, D(2025, 7, 31))


def test_due_soon_window_is_configurable() -> None:
    assert state_of(task(), D(2025, 6, 1), soon=30) == "due_soon"
    assert state_of(task(), D(2025, 6, 29), soon=0) == "on_track"


def test_completion_after_the_as_of_date_is_not_yet_known() -> None:
    t = task(status="done", completed=D(2025, 8, 1), progress=100,
             updates=[Update(date=D(2025, 5, 25), progress=40),
                      Update(date=D(2025, 8, 1), progress=100, status="done")])
    past = derive(plan_with(t), t, D(2025, 7, 15))
    assert (past.state, past.status, past.progress, past.days_overdue) == (
        "overdue", "planned", 40, 15)
    assert derive(plan_with(t), t, D(2025, 8, 2)).state == "done_late"


def test_extensions_count_from_their_approval() -> None:
    t = task(extensions=[Extension(due=parse_deadline("2025-09-30"), approved=D(2025, 7, 10))])
    assert state_of(t, D(2025, 7, 5)) == "overdue"
    later = derive(plan_with(t), t, D(2025, 7, 15))
    assert (later.state, later.deadline_day) == ("on_track", D(2025, 9, 30))
    done = task(status="done", completed=D(2025, 9, 1), extensions=t.extensions)
    assert state_of(done, D(2025, 12, 1)) == "done_on_time"


def test_cancellation_recorded_later_is_not_known_before() -> None:
    t = task(status="cancelled", updates=[Update(date=D(2025, 8, 1), status="cancelled")])
    assert state_of(t, D(2025, 7, 15)) == "overdue"
    assert state_of(t, D(2025, 8, 1)) == "cancelled"


def monthly(**fields: object) -> Task:
    fields.setdefault("recurs", "FREQ=MONTHLY;BYMONTHDAY=25")
    return Task(id="R", title="report", owner="o", **fields)  # type: ignore[arg-type]


def test_recurring_before_the_first_occurrence() -> None:
    t = monthly()
    item = derive(plan_with(t), t, D(2025, 2, 20))
    assert (item.state, item.deadline_day, item.days_left) == ("due_soon", D(2025, 2, 25), 5)


def test_recurring_unmet_is_overdue_from_the_latest_occurrence() -> None:
    t = monthly(updates=[Update(date=D(2025, 2, 25)), Update(date=D(2025, 3, 24))])
    item = derive(plan_with(t), t, D(2025, 5, 1))
    assert (item.state, item.days_overdue, item.deadline_day) == ("overdue", 6, D(2025, 4, 25))
    assert item.missed_reports == (D(2025, 4, 25),)


def test_recurring_met_by_a_late_report_looks_to_the_next() -> None:
    t = monthly(updates=[Update(date=D(2025, 2, 25)), Update(date=D(2025, 3, 27))])
    item = derive(plan_with(t), t, D(2025, 4, 1))
    assert (item.state, item.deadline_day) == ("on_track", D(2025, 4, 25))
    assert item.missed_reports == (D(2025, 3, 25),)


def test_recurring_on_the_day_itself_is_not_yet_late() -> None:
    t = monthly(updates=[Update(date=D(2025, 2, 25))])
    assert state_of(t, D(2025, 3, 25)) == "due_soon"
    assert state_of(t, D(2025, 3, 26)) == "overdue"


def test_recurring_that_ended_is_done_on_time() -> None:
    t = monthly(recurs="FREQ=MONTHLY;BYMONTHDAY=25;COUNT=2",
                updates=[Update(date=D(2025, 2, 25)), Update(date=D(2025, 3, 25))])
    assert state_of(t, D(2025, 6, 1)) == "done_on_time"


def test_recurring_start_overrides_issued() -> None:
    t = monthly(start=D(2025, 5, 1))
    assert derive(plan_with(t), t, D(2025, 5, 2)).deadline_day == D(2025, 5, 25)


def test_share_on_time_counts_what_came_due() -> None:
    items = [derive(plan_with(t), t, D(2025, 7, 10)) for t in (
        task(status="done", completed=D(2025, 6, 1)), task(status="done", completed=D(2025, 7, 2)),
        task(), task(due="2025-12"))]
    result = tally(items)
    assert result.came_due == 3
    assert result.on_time_share == pytest.approx(1 / 3)
    assert result.most_overdue == 10


@given(st.dates(D(2024, 1, 1), D(2027, 12, 31)), st.dates(D(2024, 1, 1), D(2027, 12, 31)))
def test_overdue_exactly_when_the_date_is_past_the_last_day(due: dt.date, day: dt.date) -> None:
    item = derive(plan_with(t := task(due=due.isoformat())), t, day)
    assert (item.state == "overdue") == (day > due)
    if item.state == "overdue":
        assert item.days_overdue == (day - due).days
    else:
        assert item.days_left == (due - day).days
        assert (item.state == "due_soon") == ((due - day).days <= 14)


@given(st.dates(D(2025, 2, 19), D(2027, 12, 31)),
       st.lists(st.dates(D(2025, 2, 19), D(2027, 12, 31)), max_size=30))
def test_recurring_state_agrees_with_missed_reports(day: dt.date, reports: list[dt.date]) -> None:
    t = monthly(updates=[Update(date=d) for d in sorted(reports)])
    item = derive(plan_with(t), t, day)
    assert item.state in ("overdue", "on_track", "due_soon")
    if item.state == "overdue":
        assert item.days_overdue is not None and 1 <= item.days_overdue <= 31
    # Every missed occurrence lies before the date, on the 25th.
    assert all(m < day and m.day == 25 for m in item.missed_reports)


@given(st.dates(D(2024, 1, 1), D(2027, 12, 31)), st.sampled_from(
    ["2025-03", "2025-Q2", "2025", "ongoing", "2025-06-30", "2025-02-20T10:00"]),
    st.lists(st.tuples(st.sampled_from(["2025-05", "2025-Q4", "2026", "ongoing"]),
                       st.dates(D(2025, 1, 1), D(2026, 12, 31))), max_size=3),
    st.sampled_from(["planned", "done", "cancelled"]))
def test_the_overdue_shortcut_never_hides_an_overdue_task(
        day: dt.date, due: str, extensions: list[tuple[str, dt.date]], status: str) -> None:
    from plantrack.domain.state import could_be_overdue

    t = task(due=due, status=status, completed=D(2025, 6, 1) if status == "done" else None,
             extensions=[Extension(due=parse_deadline(d), approved=a)
                         for d, a in sorted(extensions, key=lambda e: e[1])])
    if derive(plan_with(t), t, day).state == "overdue":
        assert could_be_overdue(t, day)
