"""Trend figures from the snapshots: tasks by state and overdue by owner at each period's
end, and each target's pace. Pure: every day is passed in."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from plantrack.domain.model import Plan, SourcedPlan, Target, Task
from plantrack.domain.state import Tally, TaskState, deadline_as_of, tally
from plantrack.report.data import Period
from plantrack.site.snapshots import PeriodSnapshot


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    day: dt.date
    tally: Tally  # every task of the snapshot derived as of `day`: what `status` counts
    overdue_by_owner: dict[str, int]  # owner_key -> overdue tasks
    owner_names: dict[str, str]  # owner_key -> the name shown


def owner_key(name: str) -> str:
    """Owners of different plans with this key share a page: NFC, case folded, spaces
    collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def owner_name(plan: Plan, key: str) -> str:
    owner = plan.owners.get(key)
    return str(owner.name) if owner is not None else key


def point_of(period: Period, day: dt.date, items: Iterable[TaskState],
             plans: dict[str, Plan]) -> TrendPoint:
    items = list(items)
    overdue: dict[str, int] = {}
    names: dict[str, str] = {}
    for item in items:
        if item.state != "overdue":
            continue
        name = owner_name(plans[item.plan_id], item.in_charge or item.task.owner)
        key = owner_key(name)
        names.setdefault(key, name)
        overdue[key] = overdue.get(key, 0) + 1
    return TrendPoint(period, day, tally(items), overdue, names)


def trend_point(snapshot: PeriodSnapshot, soon: int) -> TrendPoint:
    from plantrack.domain.query import derive_all

    items = derive_all(snapshot.plans, lambda _plan: snapshot.day, soon)
    return point_of(snapshot.period, snapshot.day, items,
                    {sp.plan.id: sp.plan for sp in snapshot.plans})


@dataclass(frozen=True)
class TargetPace:
    plan_id: str
    task_id: str
    title: str
    owner: str
    metric: str
    unit: str  # "%" for a percent target, else ""
    start_value: float
    start_day: dt.date
    target_value: float
    deadline_day: dt.date | None
    expected: float | None  # on the straight line from start to target, as of the day
    actual: float | None  # measured on or before the day
    measured: dt.date | None
    status: str  # met, on_pace, behind, unmeasured, no_deadline


def _number(value: object) -> tuple[float, str] | None:
    """A quantity as a number and its unit; None when it is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value), ""
    if isinstance(value, str):
        text = value.strip()
        unit = "%" if text.endswith("%") else ""
        try:
            return float(text.rstrip("%").strip().replace(",", ".")), unit
        except ValueError:
            return None
    return None


def expected_at(start: tuple[dt.date, float], end: tuple[dt.date, float], day: dt.date
                ) -> float:
    """The value on the straight line from `start` to `end` at `day`, clamped to it."""
    (d0, v0), (d1, v1) = start, end
    if day <= d0:
        return v0
    if day >= d1:
        return v1
    return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days


def pace_of(plan: Plan, task: Task, target: Target, day: dt.date) -> TargetPace | None:
    goal = _number(target.target)
    if goal is None:
        return None
    value, unit = goal
    if target.baseline is not None:
        base = _number(target.baseline.value)
        if base is None:
            return None
        # A baseline in another unit than the target (50 against 90%) is read in the
        # target's unit: the number is what the office wrote.
        start_value, start_day = base[0], target.baseline.date
    elif plan.issued is not None:
        start_value, start_day = 0.0, plan.issued
    else:
        return None
    deadline = deadline_as_of(task, day)
    end = deadline.last_day if deadline is not None else None
    known = target.actual is not None and (target.measured is None or target.measured <= day)
    measured = _number(target.actual) if known else None
    actual = measured[0] if measured else None
    expected = (expected_at((start_day, start_value), (end, value), day)
                if end is not None and end > start_day else None)
    rising = value >= start_value
    if actual is not None and (actual >= value if rising else actual <= value):
        status = "met"
    elif actual is None:
        status = "unmeasured"
    elif expected is None:
        status = "no_deadline"
    elif actual >= expected if rising else actual <= expected:
        status = "on_pace"
    else:
        status = "behind"
    return TargetPace(plan.id, task.id, str(task.title), owner_name(plan, task.owner),
                      str(target.metric), unit, start_value, start_day, value, end, expected,
                      actual, target.measured if known else None, status)


def target_paces(plans: Iterable[SourcedPlan], day: dt.date) -> list[TargetPace]:
    """Every numeric target of every task not cancelled, as of `day`."""
    found = []
    for sp in plans:
        for task in sp.plan.tasks:
            if task.status == "cancelled":
                continue
            for target in task.targets:
                pace = pace_of(sp.plan, task, target, day)
                if pace is not None:
                    found.append(pace)
    return found
