"""The report as plain data, built from derived task states as of a date. Pure: no clock, no I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from plantrack.domain.deadlines import Deadline
from plantrack.domain.model import Extension, Plan, SourcedPlan, Target, Task, Update
from plantrack.domain.recurrence import RuleError, duty_met, missed, occurrences
from plantrack.domain.state import STATES, Tally, TaskState, overdue_first, tally
from plantrack.domain.summary import unscheduled_first

if TYPE_CHECKING:
    from plantrack.report.changes import Changes
    from plantrack.report.late import Late

PeriodKind = Literal["week", "month", "quarter", "half", "year"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("week", "month", "quarter", "half", "year")
MONTHS_IN: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}
OPEN_STATES = ("on_track", "due_soon", "overdue", "ongoing", "unscheduled")
# The owner table's state columns: tasks with no deadline yet have a section of their own
# (`Report.unscheduled`) and count in no on-time share.
REPORT_STATES = tuple(s for s in STATES if s != "unscheduled")


def add_months(day: dt.date, months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    result: dt.date = day + relativedelta(months=months)
    return result


@dataclass(frozen=True)
class Period:
    """One reporting period: an ISO week, or a month, quarter, half or year, either
    calendar or closing on `cutoff_day` of its last month (Decree 09/2019: the 14th).

    `index` is the ISO week, the month (1-12), the quarter (1-4) or the half (1-2) the
    period is named by; 1 for a year. `year` is the year it is named by (the ISO year of a
    week; with a cut-off day, month 1 and the year 2025 start in December 2024).
    """

    kind: PeriodKind
    year: int
    index: int
    start: dt.date
    end: dt.date
    cutoff_day: int | None = None

    def following(self) -> Period:
        """The period right after this one, of the same kind and cut-off day."""
        return period_named(self.end + dt.timedelta(days=1), self.kind, self.cutoff_day)

    def preceding(self) -> Period:
        """The period right before this one, of the same kind and cut-off day."""
        return period_named(self.start - dt.timedelta(days=1), self.kind, self.cutoff_day)


def _month_end(year: int, month: int, cutoff_day: int | None) -> dt.date:
    """The last day of month `month` of `year`: the cut-off day, else the calendar end."""
    if cutoff_day is not None:
        return dt.date(year, month, cutoff_day)
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def period_named(day: dt.date, kind: PeriodKind, cutoff_day: int | None = None) -> Period:
    """The period of `kind` that `day` falls in. With a cut-off day C, month M runs from
    C+1 of M-1 to C of M, so a day after the C-th falls in the next month's period (20 June
    with C=14 is in month 7, 15/6-14/7); quarters, halves and years end on C of their last
    month. Weeks are ISO weeks (Monday to Sunday) and take no cut-off day."""
    if kind == "week":
        if cutoff_day is not None:
            raise ValueError("a week takes no cut-off day")
        year, week, weekday = day.isocalendar()
        start = day - dt.timedelta(days=weekday - 1)
        return Period("week", year, week, start, start + dt.timedelta(days=6))
    if cutoff_day is not None and not 1 <= cutoff_day <= 28:
        raise ValueError(f"the cut-off day must be from 1 to 28, not {cutoff_day}")
    named = day if cutoff_day is None or day.day <= cutoff_day else add_months(day, 1)
    span = MONTHS_IN[kind]
    index = (named.month - 1) // span + 1
    last = index * span  # the period's last month
    end = _month_end(named.year, last, cutoff_day)
    first = add_months(dt.date(named.year, last, 1), 1 - span)
    if cutoff_day is None:
        start = first
    else:
        start = _month_end(*_previous_month(first), cutoff_day) + dt.timedelta(days=1)
    return Period(kind, named.year, index, start, end, cutoff_day)


def _previous_month(first: dt.date) -> tuple[int, int]:
    before = first - dt.timedelta(days=1)
    return before.year, before.month


def reported_period(as_of: dt.date, kind: PeriodKind, cutoff_day: int | None = None
                    ) -> Period:
    """The period a report as of `as_of` covers. Calendar periods (and weeks): the one
    `as_of` falls in, judged as of `as_of`. With a cut-off day: the latest period closed
    on or before `as_of`, the one a secretariat files a Decree 09 report for (as of 20 June
    or 14 June with C=14, month 6: 15/5-14/6; as of 13 June, month 5: 15/4-14/5)."""
    period = period_named(as_of, kind, cutoff_day)
    if cutoff_day is not None and period.end > as_of:
        period = period.preceding()
    return period


def judged_day(as_of: dt.date, period: Period) -> dt.date:
    """The day a report's states are judged as of: as_of or the period's end, the earlier."""
    return min(as_of, period.end)


def period_bounds(as_of: dt.date, kind: PeriodKind, cutoff_day: int | None = None
                  ) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the period a report as of `as_of` covers."""
    period = reported_period(as_of, kind, cutoff_day)
    return period.start, period.end


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
    on_time_share: float | None  # `unscheduled` tasks are not in its base
    unscheduled: int = 0  # open with no deadline yet (`due: tbd`)


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
    # What a report sends up says besides the state (Decree 09/2019 reports: who presides,
    # who coordinates, the deadline in force and the original, progress and why).
    due: Deadline | None = None  # in force as of the report's date
    original: Deadline | None = None  # as first written, when an extension moved it
    coordinators: tuple[str, ...] = ()  # names of the units in `with`, as of the date
    was: str | None = None  # the owner written in the plan, when a successor is in charge
    status: str = "planned"
    progress: int | None = None
    note: str | None = None  # the latest update's note known as of the date
    extension: ExtensionRow | None = None  # the approved extension in force


@dataclass(frozen=True)
class ExtensionRow:
    """An approved deadline change: from `old` to `new`, approved on `approved`."""

    ref: str
    title: str
    owner: str
    old: Deadline | None
    new: Deadline
    approved: dt.date
    decision: str | None  # the reference of the decision approving it (`ref`)
    reason: str | None


@dataclass(frozen=True)
class UpdateRow:
    """A progress update recorded in the period."""

    ref: str
    title: str
    owner: str
    date: dt.date
    progress: int | None
    status: str | None
    note: str | None


@dataclass(frozen=True)
class NoteSection:
    """A section the secretariat writes (`--notes FILE`): a heading and its blocks, each a
    paragraph or a list of items, as plain text."""

    title: str
    blocks: tuple[tuple[str, tuple[str, ...]], ...]  # ("p", (text,)) or ("ul"|"ol", items)


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
    as_of: dt.date  # the day states are judged as of: min(the date asked for, period_end)
    period: PeriodKind
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
    states: tuple[str, ...] = REPORT_STATES
    unscheduled: list[TaskRow] = field(default_factory=list)  # open, with `due: tbd`
    changes: Changes | None = None  # None before it is computed
    late: Late | None = None  # late corrections to the previous period; None: not computed
    notes: list[NoteSection] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)  # every task, plan by plan, as written
    completed: list[TaskRow] = field(default_factory=list)  # completed within the period
    updates: list[UpdateRow] = field(default_factory=list)  # recorded within the period
    extensions: list[ExtensionRow] = field(default_factory=list)  # approved within it
    stopped: list[TaskRow] = field(default_factory=list)  # cancelled within it, with why
    cutoff_day: int | None = None  # None: calendar periods
    current: Period | None = None  # the period reported on (period_start..period_end)
    upcoming: Period | None = None  # the next period, which "coming up" runs to the end of
    asked: dt.date | None = None  # the date the report was asked for (--as-of)


def headline(total: Tally) -> Headline:
    c = total.counts
    return Headline(total.total, c["done_on_time"], c["done_late"],
                    c["on_track"] + c["due_soon"], c["overdue"], c["ongoing"], c["cancelled"],
                    total.on_time_share, c["unscheduled"])


def _owner_name(plan: Plan, key: str) -> str:
    owner = plan.owners.get(key)
    return owner.name if owner else key


def _in_charge_name(plan: Plan, key: str, day: dt.date) -> str:
    from plantrack.domain.owners import in_charge

    return _owner_name(plan, in_charge(plan, key, day))


def owner_rows(items: list[TaskState], plans: dict[str, Plan]) -> list[OwnerRow]:
    """Owners worst first, in the order `plantrack status` gives them."""
    from plantrack.domain.summary import summarize

    return [OwnerRow(row.plan_id, row.key, row.name, row.tally.total,
                     {state: row.tally.counts[state] for state in STATES},
                     row.tally.on_time_share, row.tally.most_overdue)
            for row in summarize(items, plans, top=0).owners]


def task_row(item: TaskState, plan: Plan, day: dt.date | None = None) -> TaskRow:
    """`item` as the report shows it; `day` is the day it was derived as of, which says
    who is in charge of the coordinating units too (the presiding unit's is in `item`)."""
    from plantrack.domain.state import extension_in_force

    task = item.task
    charge = item.in_charge or task.owner
    in_force = extension_in_force(task, day) if day is not None and task.extensions else None
    last = item.last_update
    return TaskRow(
        item.plan_id, task.id, item.ref, task.title, _owner_name(plan, charge),
        item.state, item.deadline_text, item.deadline_day, item.days_overdue, item.days_left,
        last.date if last else None, task.recurs is not None,
        due=item.deadline,
        original=task.due if in_force is not None and task.due != item.deadline else None,
        coordinators=tuple(_in_charge_name(plan, key, day) if day else _owner_name(plan, key)
                           for key in task.coordinators),
        was=_owner_name(plan, task.owner) if charge != task.owner else None,
        status=item.status, progress=item.progress, note=_latest_note(task, item),
        extension=_extension_row(item, plan, in_force, _before(task, in_force))
        if in_force else None)


def _latest_note(task: Task, item: TaskState) -> str | None:
    """The note of the latest update known as of the date that has one."""
    known = [u for u in task.updates if item.last_update and u.date <= item.last_update.date]
    return next((u.note for u in reversed(known) if u.note), None)


def _before(task: Task, extension: Extension | None) -> Deadline | None:
    """The deadline `extension` replaced: the one before it, else `due`."""
    if extension is None:
        return None
    index = task.extensions.index(extension)
    return task.extensions[index - 1].due if index else task.due


def _extension_row(item: TaskState, plan: Plan, ext: Extension, old: Deadline | None
                   ) -> ExtensionRow:
    return ExtensionRow(item.ref, item.task.title,
                        _owner_name(plan, item.in_charge or item.task.owner), old, ext.due,
                        ext.approved, ext.ref, ext.reason)


def cancelled_on(task: Task) -> Update | None:
    """The update that cancelled `task`: the latest one saying `status: cancelled`."""
    return next((u for u in reversed(task.updates) if u.status == "cancelled"), None)


def stopped_in(items: Iterable[TaskState], plans: dict[str, Plan], start: dt.date,
               end: dt.date) -> list[TaskRow]:
    """Tasks cancelled within the period, by the date of the update that cancelled them (a
    cancellation with no dated update cannot be placed in a period), with its note as the
    reason."""
    found = []
    for item in items:
        update = cancelled_on(item.task) if item.state == "cancelled" else None
        if update is not None and start <= update.date <= end:
            row = task_row(item, plans[item.plan_id], end)
            found.append((update.date, dataclasses.replace(row, note=update.note,
                                                           last_update=update.date)))
    return [row for _, row in sorted(found, key=lambda pair: (pair[0], pair[1].ref))]


def results_in(items: Iterable[TaskState], plans: dict[str, Plan], start: dt.date,
               end: dt.date) -> tuple[list[TaskRow], list[UpdateRow], list[ExtensionRow]]:
    """What the period brought: tasks completed within it, updates recorded within it and
    extensions approved within it, each in date order."""
    completed: list[tuple[dt.date, TaskRow]] = []
    updates: list[UpdateRow] = []
    extensions: list[ExtensionRow] = []
    for item in items:
        plan, task = plans[item.plan_id], item.task
        if item.completed is not None and start <= item.completed <= end:
            completed.append((item.completed, task_row(item, plan, end)))
        owner = _owner_name(plan, item.in_charge or task.owner)
        updates.extend(_update_row(item.ref, task.title, owner, u) for u in task.updates
                       if start <= u.date <= end)
        extensions.extend(_extension_row(item, plan, e, _before(task, e))
                          for e in task.extensions if start <= e.approved <= end)
    completed.sort(key=lambda pair: (pair[0], pair[1].ref))
    updates.sort(key=lambda r: (r.date, r.ref))
    extensions.sort(key=lambda r: (r.approved, r.ref))
    return [row for _, row in completed], updates, extensions


def _update_row(ref: str, title: str, owner: str, update: Update) -> UpdateRow:
    return UpdateRow(ref, title, owner, update.date, update.progress, update.status,
                     update.note)


def coming_due(items: Iterable[TaskState], as_of: dt.date, end: dt.date) -> list[TaskState]:
    """Open tasks whose deadline (or next occurrence) falls from as_of to `end` (the end of
    the next period)."""
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
        charge = item.in_charge or item.task.owner  # a successor files for what it took over
        days = updates.setdefault(charge, [])
        days.extend(u.date for u in item.task.updates if u.date <= as_of)
        if item.state in OPEN_STATES:
            open_owners.add(charge)
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
                 period: PeriodKind | Period, cutoff_day: int | None = None) -> Report:
    """The report of `items` for the period `as_of` names (`reported_period`), judged as of
    `judged_day`: as_of or the period's end, the earlier. `items` must be derived as of
    that day from `plans`. Coming up runs from that day to the end of the next period."""
    by_id = {sp.plan.id: sp.plan for sp in plans}
    current = (period if isinstance(period, Period)
               else reported_period(as_of, period, cutoff_day))
    asked, as_of = as_of, judged_day(as_of, current)
    upcoming = current.following()
    start, end = current.start, current.end
    by_plan: dict[str, list[TaskState]] = {pid: [] for pid in by_id}
    for item in items:
        by_plan[item.plan_id].append(item)
    rows = {id(i): task_row(i, by_id[i.plan_id], as_of) for i in items}
    infos = [PlanInfo(pid, by_id[pid].title,
                      [rows[id(i)] for i in group if i.deadline_day is not None])
             for pid, group in by_plan.items()]
    completed, updates, extensions = results_in(items, by_id, start, as_of)
    targets = target_rows(items, by_id, as_of)
    reporting = [r for pid, group in by_plan.items()
                 if (r := reporting_for(by_id[pid], group, as_of)) is not None]
    return Report(
        as_of=as_of, period=current.kind, period_start=start, period_end=end,
        cutoff_day=current.cutoff_day, current=current, upcoming=upcoming, asked=asked,
        headline=headline(tally(items)), plans=infos, owners=owner_rows(items, by_id),
        overdue=[rows[id(i)] for i in overdue_first(items)],
        coming=[rows[id(i)] for i in coming_due(items, as_of, upcoming.end)],
        targets=targets, unmeasured=[t for t in targets if t.actual is None],
        reporting=reporting, duties=duty_rows(items, by_id),
        unscheduled=[rows[id(i)] for i in unscheduled_first(items)],
        tasks=[rows[id(i)] for group in by_plan.values() for i in group],
        completed=completed, updates=updates, extensions=extensions,
        stopped=stopped_in(items, by_id, start, as_of))
