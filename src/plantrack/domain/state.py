"""Derived state of every task as of a date: a pure function of (plan, as_of)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from plantrack.domain.deadlines import Deadline
from plantrack.domain.model import Extension, Plan, Status, Task, Update
from plantrack.domain.owners import in_charge
from plantrack.domain.recurrence import RuleError, around, duty_met, missed, occurrences

State = Literal["done_on_time", "done_late", "on_track", "due_soon", "overdue", "ongoing",
                "unscheduled", "cancelled"]
STATES: tuple[State, ...] = ("done_on_time", "done_late", "on_track", "due_soon", "overdue",
                             "ongoing", "unscheduled", "cancelled")
DUE_SOON_DAYS = 14


@dataclass(slots=True)
class TaskState:
    """A task as of a date: its state and what it was derived from."""

    plan_id: str
    task: Task
    state: State
    status: Status  # as of the date
    progress: int | None  # as of the date
    deadline: Deadline | None  # in force as of the date; None for a recurring duty
    deadline_day: dt.date | None  # the last allowed day; a recurring duty's relevant occurrence
    days_overdue: int | None
    days_left: int | None
    completed: dt.date | None
    last_update: Update | None
    missed_reports: tuple[dt.date, ...] = ()
    in_charge: str = ""  # the owner key in charge as of the date (owner succession)

    @property
    def ref(self) -> str:
        return f"{self.plan_id}/{self.task.id}"

    @property
    def deadline_text(self) -> str:
        """The deadline as written; for a recurring duty, the day of its relevant occurrence."""
        if self.deadline is not None:
            return self.deadline.text
        return self.deadline_day.isoformat() if self.deadline_day else ""


def said_as_of(task: Task, day: dt.date, known: list[Update]) -> tuple[Status, int | None]:
    """Status and progress as the file stood on `day`: updates dated later, and a completion
    after `day`, are not yet known. `known` holds the updates dated on or before `day`."""
    status, progress = task.status, task.progress
    if len(known) < len(task.updates):
        later = [u for u in task.updates if u.date > day]
        if any(u.status for u in later):
            stated = [u.status for u in known if u.status]
            status = stated[-1] if stated else "planned"
        if any(u.progress is not None for u in later):
            measured = [u.progress for u in known if u.progress is not None]
            progress = measured[-1] if measured else None
    if status == "done" and (task.completed is None or task.completed > day):
        status = "in_progress" if progress else "planned"
    return status, (100 if status == "done" else progress)


def extension_in_force(task: Task, day: dt.date) -> Extension | None:
    """The latest extension approved on or before `day`; an extension approved later does
    not move the deadline yet."""
    approved = [e for e in task.extensions if e.approved <= day]
    return approved[-1] if approved else None


def deadline_as_of(task: Task, day: dt.date) -> Deadline | None:
    """The deadline in force on `day`: the latest extension approved by then, else `due`.
    Every view and the diff ask here."""
    extension = extension_in_force(task, day)
    return extension.due if extension else task.due


def _open_state(last_day: dt.date, day: dt.date, soon: int
                ) -> tuple[State, int | None, int | None]:
    left = (last_day - day).days
    if left < 0:
        return "overdue", -left, None
    return ("due_soon" if left <= soon else "on_track"), None, left


@dataclass(slots=True)
class _Known:
    """What the file said of a task as of the date, before its deadline is considered."""

    plan_id: str
    task: Task
    status: Status
    progress: int | None
    last_update: Update | None
    in_charge: str

    def state(self, state: State, *, deadline: Deadline | None = None,
              deadline_day: dt.date | None = None, days_overdue: int | None = None,
              days_left: int | None = None, completed: dt.date | None = None,
              missed_reports: tuple[dt.date, ...] = ()) -> TaskState:
        return TaskState(self.plan_id, self.task, state, self.status, self.progress, deadline,
                         deadline_day, days_overdue, days_left, completed, self.last_update,
                         missed_reports, self.in_charge)


def derive(plan: Plan, task: Task, day: dt.date, soon: int = DUE_SOON_DAYS) -> TaskState:
    # Run for every task of every view (10,000 in a large `overdue`): a duty goes through
    # `_Known`, any other task builds its TaskState in one call.
    known_updates = [u for u in task.updates if u.date <= day] if task.updates else []
    status, progress = said_as_of(task, day, known_updates)
    last_update = known_updates[-1] if known_updates else None
    charge = in_charge(plan, task.owner, day)
    if task.recurs and status != "cancelled":
        known = _Known(plan.id, task, status, progress, last_update, charge)
        return _derive_recurring(known, task.start or plan.issued, day, soon, known_updates)
    deadline = deadline_as_of(task, day) if task.extensions else task.due
    last_day = deadline.last_day if deadline else None
    completed = None
    overdue = left = None
    if status == "cancelled":
        state: State = "cancelled"
    elif status == "done":
        late = last_day is not None and task.completed is not None and task.completed > last_day
        state = "done_late" if late else "done_on_time"
        completed = task.completed
    elif deadline is not None and deadline.kind == "tbd":
        state = "unscheduled"  # not yet set: never overdue, never due soon
    elif last_day is None:
        state = "ongoing"
    else:
        state, overdue, left = _open_state(last_day, day, soon)
    return TaskState(plan.id, task, state, status, progress, deadline, last_day, overdue, left,
                     completed, last_update, (), charge)


def _derive_recurring(known: _Known, start: dt.date | None, day: dt.date, soon: int,
                      updates: list[Update]) -> TaskState:
    rule = known.task.recurs
    if rule is None or start is None:
        return known.state("ongoing")
    try:
        dates = occurrences(rule, start, day)
    except RuleError:
        return known.state("ongoing")
    _, _, upcoming = around(dates, day)
    report_days = [u.date for u in updates]
    misses = tuple(missed(dates, report_days, start, day))
    latest, met = duty_met(dates, report_days, start, day)
    if latest is not None and not met:
        return known.state("overdue", deadline_day=latest, days_overdue=(day - latest).days,
                           missed_reports=misses)
    if upcoming is None:
        return known.state("done_on_time", deadline_day=latest, missed_reports=misses)
    state, _, left = _open_state(upcoming, day, soon)
    return known.state(state, deadline_day=upcoming, days_left=left, missed_reports=misses)


def could_be_overdue(task: Task, day: dt.date) -> bool:
    """False when no deadline the task has ever had ends before `day`: it cannot be overdue
    on that day, whatever else the file says, so deriving its state can be skipped."""
    if task.recurs:
        return True
    finished = task.status == "cancelled" or (
        task.status == "done" and task.completed is not None and task.completed <= day)
    if finished and not any(u.status and u.date > day for u in task.updates):
        return False  # the file's status held on `day`, and a finished task is not late
    if task.due is not None and task.due.last_day is not None and task.due.last_day < day:
        return True
    return any(e.due.last_day is not None and e.due.last_day < day for e in task.extensions)


def overdue_in_plan(plan: Plan, day: dt.date) -> list[TaskState]:
    derived = (derive(plan, task, day) for task in plan.tasks if could_be_overdue(task, day))
    return [item for item in derived if item.state == "overdue"]


def derive_plan(plan: Plan, day: dt.date, soon: int = DUE_SOON_DAYS) -> list[TaskState]:
    return [derive(plan, task, day, soon) for task in plan.tasks]


@dataclass
class Tally:
    """Counts of each derived state for a group of tasks."""

    counts: Counter[str] = field(default_factory=Counter)
    most_overdue: int = 0

    def add(self, item: TaskState) -> None:
        self.counts[item.state] += 1
        if item.days_overdue and item.days_overdue > self.most_overdue:
            self.most_overdue = item.days_overdue

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def came_due(self) -> int:
        """Tasks done, or past their deadline: the base of the on-time share. `unscheduled`
        tasks are never in it."""
        return self.counts["done_on_time"] + self.counts["done_late"] + self.counts["overdue"]

    @property
    def on_time_share(self) -> float | None:
        return self.counts["done_on_time"] / self.came_due if self.came_due else None


def tally(items: Iterable[TaskState]) -> Tally:
    out = Tally()
    for item in items:
        out.add(item)
    return out


def tally_by_plan(items: Iterable[TaskState]) -> dict[str, Tally]:
    groups: dict[str, Tally] = {}
    for item in items:
        groups.setdefault(item.plan_id, Tally()).add(item)
    return groups


def tally_by_owner(items: Iterable[TaskState]) -> dict[tuple[str, str], Tally]:
    """Owner keys are a plan's own: `dost` of one plan is not `dost` of another. A task
    counts under the unit in charge of it as of its date (owner succession)."""
    groups: dict[tuple[str, str], Tally] = {}
    for item in items:
        groups.setdefault((item.plan_id, item.in_charge or item.task.owner), Tally()).add(item)
    return groups


def overdue_first(items: Iterable[TaskState]) -> list[TaskState]:
    late = [i for i in items if i.state == "overdue"]
    return sorted(late, key=lambda i: (-(i.days_overdue or 0), i.plan_id, i.task.id))
