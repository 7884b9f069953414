"""What a change to the plans does: tasks, deadlines and commitments, before against after.

`compare` is pure: it takes the plans read at two revisions and says, per plan, what
changed in meaning. Reformatting, reordering and comments change nothing it looks at.
Plans are matched by plan id (a renamed file is the same plan), tasks by task id.
Each change carries `where`, the path of the YAML node at the head revision it concerns,
so that checks and views can point at a line without reading the file again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from plantrack.deadlines import Deadline
from plantrack.model import Extension, Plan, SourcedPlan, Target, Task

ChangeKind = Literal[
    "task_added", "task_removed", "cancelled", "completed", "reopened", "status",
    "progress", "deadline", "recurrence", "owner", "coordinators", "target", "title",
]
PlanState = Literal["added", "removed", "changed"]
YamlPath = tuple[str | int, ...]
Value = str | int | float | None


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    task_id: str | None
    old: Value = None
    new: Value = None
    where: YamlPath = ()  # the node at the head revision this change is about
    days: int | None = None  # for deadlines: how far it moved (later is positive)
    extended: bool = False  # for deadlines: a newly approved extension sets the new one
    hard: bool = False  # for deadlines: the task's deadline is fixed by a higher document
    later: bool = False  # for deadlines: it gives more time (later, or now `ongoing`)
    metric: str | None = None  # for targets
    noted: bool = False  # for reopened tasks: the change adds a note saying why
    title: str = ""  # the task's title, for readers


@dataclass(slots=True)
class PlanDiff:
    plan_id: str
    title: str
    state: PlanState
    base_path: str | None
    head_path: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        return bool(self.base_path and self.head_path and self.base_path != self.head_path)


@dataclass(slots=True)
class PlansDiff:
    plans: list[PlanDiff] = field(default_factory=list)  # only plans that changed

    @property
    def is_empty(self) -> bool:
        return not self.plans

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for p in self.plans for c in p.changes if c.kind == kind)

    def plans_in(self, state: PlanState) -> list[PlanDiff]:
        return [p for p in self.plans if p.state == state]


def compare(base: list[SourcedPlan], head: list[SourcedPlan]) -> PlansDiff:
    """The plans' changes from `base` to `head`, in plan id order."""
    before = _by_id(base)
    after = _by_id(head)
    result = PlansDiff()
    for plan_id in sorted(before.keys() | after.keys()):
        old, new = before.get(plan_id), after.get(plan_id)
        if old is None and new is not None:
            result.plans.append(_whole_plan(new, "added"))
        elif new is None and old is not None:
            result.plans.append(_whole_plan(old, "removed"))
        elif old is not None and new is not None:
            changed = PlanDiff(plan_id, new.plan.title, "changed", old.path, new.path,
                               compare_plan(old.plan, new.plan))
            if changed.changes or changed.renamed:
                result.plans.append(changed)
    return result


def _by_id(plans: list[SourcedPlan]) -> dict[str, SourcedPlan]:
    """Plans by id; of two files claiming one id, the first in path order counts."""
    found: dict[str, SourcedPlan] = {}
    for sourced in sorted(plans, key=lambda sp: sp.path):
        found.setdefault(sourced.plan.id, sourced)
    return found


def _whole_plan(sourced: SourcedPlan, state: PlanState) -> PlanDiff:
    added = state == "added"
    kind: ChangeKind = "task_added" if added else "task_removed"
    # A removed task keeps its last status as `old`: policy tells finished from open work.
    changes = [Change(kind, t.id, None if added else t.status,
                      where=("tasks", i) if added else ("tasks",), title=t.title)
               for i, t in enumerate(sourced.plan.tasks)]
    return PlanDiff(sourced.plan.id, sourced.plan.title, state,
                    None if added else sourced.path, sourced.path if added else None, changes)


def compare_plan(old: Plan, new: Plan) -> list[Change]:
    """Task by task, in the head's order, then the tasks the head no longer has."""
    old_tasks = {t.id: t for t in old.tasks}
    new_index = {t.id: i for i, t in enumerate(new.tasks)}
    changes: list[Change] = []
    for index, task in enumerate(new.tasks):
        before = old_tasks.get(task.id)
        if before is None:
            changes.append(Change("task_added", task.id, where=("tasks", index), title=task.title))
        else:
            changes.extend(compare_task(before, task, index))
    for position, task in enumerate(old.tasks):
        if task.id not in new_index:
            changes.append(Change("task_removed", task.id, title=task.title,
                                  where=_neighbour(old.tasks, position, new_index)))
    return changes


def _neighbour(old_tasks: list[Task], position: int, new_index: dict[str, int]) -> YamlPath:
    """Where a removed task stood at the head: the next surviving task, else the one
    before it, else the plan's `tasks` key."""
    for task in (*old_tasks[position + 1:], *reversed(old_tasks[:position])):
        if task.id in new_index:
            return ("tasks", new_index[task.id])
    return ("tasks",)


def compare_task(old: Task, new: Task, index: int) -> list[Change]:
    at: YamlPath = ("tasks", index)
    changes: list[Change] = []
    changes.extend(_status_changes(old, new, at))
    deadline = _deadline_change(old, new, at)
    if deadline is not None:
        changes.append(deadline)
    if old.recurs != new.recurs and (old.recurs or new.recurs):
        changes.append(Change("recurrence", new.id, old.recurs, new.recurs, (*at, "recurs"),
                              title=new.title))
    if old.owner != new.owner:
        changes.append(Change("owner", new.id, old.owner, new.owner, (*at, "owner"),
                              title=new.title))
    if sorted(old.coordinators) != sorted(new.coordinators):
        changes.append(Change("coordinators", new.id, ", ".join(old.coordinators) or None,
                              ", ".join(new.coordinators) or None, (*at, "with"),
                              title=new.title))
    changes.extend(_target_changes(old.targets, new.targets, new, at))
    if old.title != new.title:
        changes.append(Change("title", new.id, old.title, new.title, (*at, "title"),
                              title=new.title))
    return changes


def progress_of(task: Task) -> int | None:
    """The progress the file states: done means 100, else `progress`, else the last update's."""
    if task.status == "done":
        return 100
    if task.progress is not None:
        return task.progress
    stated = [u.progress for u in task.updates if u.progress is not None]
    return stated[-1] if stated else None


def _status_changes(old: Task, new: Task, at: YamlPath) -> list[Change]:
    changes: list[Change] = []
    where = (*at, "status")
    if old.status != new.status:
        if new.status == "cancelled":
            kind: ChangeKind = "cancelled"
        elif new.status == "done":
            kind = "completed"
        elif old.status == "done":
            kind = "reopened"
        else:
            kind = "status"
        changes.append(Change(kind, new.id, old.status, new.status, where,
                              noted=kind == "reopened" and _adds_note(old, new),
                              title=new.title))
    old_progress, new_progress = progress_of(old), progress_of(new)
    # Completing says 100%, and reopening with no figure says nothing new: both are noise.
    implied = new.status == "done" or (old.status == "done" and new_progress is None)
    if old_progress != new_progress and not implied:
        changes.append(Change("progress", new.id, old_progress, new_progress,
                              (*at, "progress") if new.progress is not None else at,
                              title=new.title))
    return changes


def _adds_note(old: Task, new: Task) -> bool:
    """The change explains itself: a new update with a note, or new task notes."""
    known = {(u.date, u.note) for u in old.updates}
    new_note = any(u.note and (u.date, u.note) not in known for u in new.updates)
    return new_note or (bool(new.notes) and new.notes != old.notes)


def effective_deadline(task: Task) -> Deadline | None:
    return task.extensions[-1].due if task.extensions else task.due


def _deadline_where(task: Task, at: YamlPath) -> YamlPath:
    if task.extensions:
        return (*at, "extensions", len(task.extensions) - 1, "due")
    return (*at, "due")


def _moment(deadline: Deadline | None) -> tuple[object, ...]:
    if deadline is None:
        return ()
    return (deadline.last_day, deadline.at)


def _ends(deadline: Deadline) -> tuple[dt.date, dt.time]:
    """When a dated deadline runs out: its minute, or the end of its last day."""
    assert deadline.last_day is not None
    return deadline.last_day, deadline.at or dt.time.max


def _gives_more_time(before: Deadline | None, after: Deadline | None) -> bool:
    if before is None or after is None or before.is_ongoing:
        return False
    return after.is_ongoing or _ends(after) > _ends(before)


def _deadline_change(old: Task, new: Task, at: YamlPath) -> Change | None:
    before, after = effective_deadline(old), effective_deadline(new)
    if _moment(before) == _moment(after):
        return None
    days: int | None = None
    if before and after and before.last_day and after.last_day:
        days = (after.last_day - before.last_day).days
    return Change("deadline", new.id, before.text if before else None,
                  after.text if after else None, _deadline_where(new, at), days=days,
                  extended=_newly_extended(old.extensions, new.extensions),
                  hard=old.hard or new.hard, later=_gives_more_time(before, after),
                  title=new.title)


def _ext_key(ext: Extension) -> tuple[object, ...]:
    return (ext.due.text, ext.approved)


def _newly_extended(old: Sequence[Extension], new: Sequence[Extension]) -> bool:
    """The deadline in force comes from an extension the base did not have."""
    return bool(new) and _ext_key(new[-1]) not in {_ext_key(e) for e in old}


def _target_changes(old: Sequence[Target], new: Sequence[Target], task: Task,
                    at: YamlPath) -> list[Change]:
    before = {t.metric: t for t in old}
    changes = []
    for index, target in enumerate(new):
        where: YamlPath = (*at, "targets", index)
        prior = before.pop(target.metric, None)
        if prior is None:
            changes.append(Change("target", task.id, None, _describe(target), where,
                                  metric=target.metric, title=task.title))
        elif (prior.target, prior.actual) != (target.target, target.actual):
            changes.append(Change("target", task.id, _describe(prior), _describe(target),
                                  where, metric=target.metric, title=task.title))
    for metric, prior in before.items():
        changes.append(Change("target", task.id, _describe(prior), None, (*at, "targets"),
                              metric=metric, title=task.title))
    return changes


def _describe(target: Target) -> str:
    """`actual / target`, or the target alone while nothing is measured."""
    if target.actual is None:
        return f"target {target.target}"
    return f"{target.actual} of {target.target}"
