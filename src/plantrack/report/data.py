"""The report as plain data, built from derived task states as of a date. Pure: no clock, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from plantrack.domain.model import Plan, SourcedPlan, Target
from plantrack.domain.recurrence import RuleError, duty_met, missed, occurrences
from plantrack.domain.state import STATES, Tally, TaskState, overdue_first, tally

Period = Literal["week", "month"]
OPEN_STATES = ("on_track", "due_soon", "overdue", "ongoing")


def add_months(day: dt.date, months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    result: dt.date = day + relativedelta(months=months)
    return result


def period_bounds(as_of: dt.date, period: Period) -> tuple[dt.date, dt.date]:
    """(start of the period that ends on as_of, end of the coming period after as_of)."""
    if period == "week":
        return as_of - dt.timedelta(days=7), as_of + dt.timedelta(days=7)
    return add_months(as_of, -1), add_months(as_of, 1)


@dataclass(frozen=True)
class Headline:
    """The four categories of government task tracking, plus ongoing and cancelled."""

    total: int
    done_on_time: int
    done_late: int
    in_progress: int  # on track or due soon: in progress within the deadline
    overdue: int
    ongoing: int
    cancelled: int
    on_time_share: float | None


@dataclass(frozen=True)
class OwnerRow:
    plan_id: str
    key: str
    name: str
    total: int
    counts: dict[str, int]
    on_time_share: float | None
    most_overdue: int


@dataclass(frozen=True)
class TaskRow:
    plan_id: str
    task_id: str
    ref: str
    title: str
    owner: str
    state: str
    deadline: str  # as written, or the occurrence date of a recurring duty
    deadline_day: dt.date | None
    days_overdue: int | None
    days_left: int | None
    last_update: dt.date | None
    recurring: bool


@dataclass(frozen=True)
class TargetRow:
    ref: str
    title: str
    owner: str
    metric: str
    target: str
    actual: str | None
    measured: dt.date | None


@dataclass(frozen=True)
class FilingRow:
    """One owner's standing against the plan's reporting rule."""

    plan_id: str
    key: str
    name: str
    filed: bool
    last_filed: dt.date | None
    missed: int


@dataclass(frozen=True)
class Reporting:
    plan_id: str
    rule: str
    due_day: dt.date | None  # the reporting day the latest update was due on
    owners: list[FilingRow]


@dataclass(frozen=True)
class DutyRow:
    ref: str
    title: str
    owner: str
    missed: list[dt.date]


@dataclass(frozen=True)
class PlanInfo:
    id: str
    title: str
    tasks: list[TaskRow]  # every task with a deadline day, for the timeline


@dataclass
class Report:
    as_of: dt.date
    period: Period
    period_start: dt.date
    period_end: dt.date
    headline: Headline
    plans: list[PlanInfo]
    owners: list[OwnerRow]
    overdue: list[TaskRow]
    coming: list[TaskRow]
    targets: list[TargetRow]
    unmeasured: list[TargetRow]
    reporting: list[Reporting]
    duties: list[DutyRow]
    states: tuple[str, ...] = STATES
    changes: object | None = None  # a changes.Changes, or None before it is computed
    notes: list[str] = field(default_factory=list)


def headline(total: Tally) -> Headline:
    c = total.counts
    return Headline(total.total, c["done_on_time"], c["done_late"],
                    c["on_track"] + c["due_soon"], c["overdue"], c["ongoing"], c["cancelled"],
                    total.on_time_share)


def _owner_name(plan: Plan, key: str) -> str:
    owner = plan.owners.get(key)
    return owner.name if owner else key


def owner_rows(items: list[TaskState], plans: dict[str, Plan]) -> list[OwnerRow]:
    """Owners worst first, in the order `plantrack status` gives them."""
    from plantrack.domain.summary import summarize

    return [OwnerRow(row.plan_id, row.key, row.name, row.tally.total,
                     {state: row.tally.counts[state] for state in STATES},
                     row.tally.on_time_share, row.tally.most_overdue)
            for row in summarize(items, plans, top=0).owners]


def task_row(item: TaskState, plan: Plan) -> TaskRow:
    task = item.task
    return TaskRow(item.plan_id, task.id, item.ref, task.title, _owner_name(plan, task.owner),
                   item.state, item.deadline_text, item.deadline_day, item.days_overdue,
                   item.days_left,
                   item.last_update.date if item.last_update else None, task.recurs is not None)


def coming_due(items: Iterable[TaskState], as_of: dt.date, end: dt.date) -> list[TaskState]:
    """Open tasks whose deadline (or next occurrence) falls from as_of to the period's end."""
    found = [i for i in items if i.state in ("on_track", "due_soon") and i.deadline_day
             and as_of <= i.deadline_day <= end]
    return sorted(found, key=lambda i: (i.deadline_day, i.plan_id, i.task.id))


def _quantity(value: object) -> str:
    return str(value)


def target_rows(items: Iterable[TaskState], plans: dict[str, Plan], as_of: dt.date
                ) -> list[TargetRow]:
    """Every target with its actual value; a measurement dated after as_of is not yet known."""
    rows = []
    for item in items:
        plan = plans[item.plan_id]
        for target in item.task.targets:
            rows.append(_target_row(item, plan, target, as_of))
    return rows


def _target_row(item: TaskState, plan: Plan, target: Target, as_of: dt.date) -> TargetRow:
    known = target.actual is not None and (target.measured is None or target.measured <= as_of)
    return TargetRow(item.ref, item.task.title, _owner_name(plan, item.task.owner),
                     target.metric, _quantity(target.target),
                     _quantity(target.actual) if known else None,
                     target.measured if known else None)


def reporting_for(plan: Plan, items: list[TaskState], as_of: dt.date) -> Reporting | None:
    """Who filed the update due on the latest reporting day, and reports missed so far.

    The plan's `reporting` rule binds every owner with open tasks; an owner has filed for a
    reporting day when any of its tasks has an update dated after the reporting day before it
    and not after that day (the rule recurring duties follow).
    """
    if not plan.reporting:
        return None
    start = plan.issued or dt.date(as_of.year, 1, 1)
    try:  # up to the day after as_of: the reports missed by as_of are counted to then
        dates = occurrences(plan.reporting, start, as_of + dt.timedelta(days=1))
    except RuleError:
        return None
    updates: dict[str, list[dt.date]] = {}
    open_owners: set[str] = set()
    for item in items:
        days = updates.setdefault(item.task.owner, [])
        days.extend(u.date for u in item.task.updates if u.date <= as_of)
        if item.state in OPEN_STATES:
            open_owners.add(item.task.owner)
    rows = []
    due = duty_met(dates, [], start, as_of)[0]  # the reporting day last past
    for key in sorted(open_owners):
        days = sorted(updates.get(key, []))
        filed = duty_met(dates, days, start, as_of)[1]
        misses = missed(dates, days, start, as_of + dt.timedelta(days=1))
        rows.append(FilingRow(plan.id, key, _owner_name(plan, key), filed,
                              days[-1] if days else None, len(misses)))
    from plantrack.collate import sort_key

    rows.sort(key=lambda r: (r.filed, -r.missed, sort_key(str(r.name))))
    return Reporting(plan.id, plan.reporting, due, rows)


def duty_rows(items: Iterable[TaskState], plans: dict[str, Plan]) -> list[DutyRow]:
    rows = [DutyRow(i.ref, i.task.title, _owner_name(plans[i.plan_id], i.task.owner),
                    list(i.missed_reports)) for i in items if i.missed_reports]
    return sorted(rows, key=lambda r: (-len(r.missed), r.ref))


def build_report(plans: list[SourcedPlan], items: list[TaskState], as_of: dt.date,
                 period: Period) -> Report:
    """The report of `items` (derived as of `as_of` from `plans`) for the period ending as_of."""
    by_id = {sp.plan.id: sp.plan for sp in plans}
    start, end = period_bounds(as_of, period)
    by_plan: dict[str, list[TaskState]] = {pid: [] for pid in by_id}
    for item in items:
        by_plan[item.plan_id].append(item)
    infos = [PlanInfo(pid, by_id[pid].title,
                      [task_row(i, by_id[pid]) for i in group if i.deadline_day is not None])
             for pid, group in by_plan.items()]
    targets = target_rows(items, by_id, as_of)
    reporting = [r for pid, group in by_plan.items()
                 if (r := reporting_for(by_id[pid], group, as_of)) is not None]
    return Report(
        as_of=as_of, period=period, period_start=start, period_end=end,
        headline=headline(tally(items)), plans=infos, owners=owner_rows(items, by_id),
        overdue=[task_row(i, by_id[i.plan_id]) for i in overdue_first(items)],
        coming=[task_row(i, by_id[i.plan_id]) for i in coming_due(items, as_of, end)],
        targets=targets, unmeasured=[t for t in targets if t.actual is None],
        reporting=reporting, duties=duty_rows(items, by_id))
