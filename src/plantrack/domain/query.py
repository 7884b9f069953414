"""Derived state of every task of several plans, and the filters the commands offer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from plantrack.domain.model import Owner, Plan, SourcedPlan, Task
from plantrack.domain.owners import chain
from plantrack.domain.state import DUE_SOON_DAYS, TaskState, derive_plan, overdue_in_plan
from plantrack.problems import UsageError, message
from plantrack.textmatch import fold


def derive_all(plans: Iterable[SourcedPlan], as_of: Callable[[Plan], dt.date],
               soon: int = DUE_SOON_DAYS) -> list[TaskState]:
    return [item for sp in plans for item in derive_plan(sp.plan, as_of(sp.plan), soon)]


def overdue_all(plans: Iterable[SourcedPlan], as_of: Callable[[Plan], dt.date]
                ) -> list[TaskState]:
    return [item for sp in plans for item in overdue_in_plan(sp.plan, as_of(sp.plan))]


def owner_names(owner: Owner | None) -> list[str]:
    """Every name an owner goes by: its name in each language it is written in, its aliases."""
    if owner is None:
        return []
    langs = getattr(owner.name, "langs", None)
    names = list(dict.fromkeys([owner.name, *langs.values()])) if langs else [owner.name]
    return [*names, *owner.aliases]


def owner_matches(plan: Plan, key: str, wanted: str, in_charge: str | None = None) -> bool:
    """`wanted` names the owner by key, full name or alias, with or without diacritics; a task
    handed over by succession matches both the owner written and each one in charge since,
    up to `in_charge`."""
    if in_charge is not None and in_charge != key:
        keys = chain(plan, key)
        upto = keys[:keys.index(in_charge) + 1] if in_charge in keys else [key]
        return any(owner_matches(plan, k, wanted) for k in upto)
    folded = fold(wanted)
    owner = plan.owners.get(key)
    names = [key, *owner_names(owner)]
    return any(fold(name) == folded for name in names) or (
        len(folded) >= 4 and owner is not None
        and any(folded in fold(name) for name in owner_names(owner)[:_named(owner)]))


def _named(owner: Owner) -> int:
    """How many of `owner_names(owner)` are its name (in some language), not aliases."""
    return len(owner_names(owner)) - len(owner.aliases)


@dataclass
class Filter:
    """What the options of `list` and `overdue` keep; an empty field keeps everything."""

    owners: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    search: str | None = None

    def keep(self, item: TaskState, plan: Plan) -> bool:
        task = item.task
        if self.plans and item.plan_id not in self.plans:
            return False
        if self.owners and not any(owner_matches(plan, task.owner, o, item.in_charge)
                                   for o in self.owners):
            return False
        if self.states and item.state not in self.states:
            return False
        if self.tags and not set(self.tags) & set(task.tags):
            return False
        day = item.deadline_day
        if self.due_before and (day is None or day >= self.due_before):
            return False
        if self.due_after and (day is None or day <= self.due_after):
            return False
        return not (self.search and not _found(self.search, item, plan))


def _found(needle: str, item: TaskState, plan: Plan) -> bool:
    task = item.task
    owner = plan.owners.get(task.owner)
    texts = [task.id, task.title, task.source or "", task.notes or "", " ".join(task.tags),
             task.owner, *owner_names(owner)]
    folded = fold(needle)
    return any(folded in fold(text) for text in texts)


def owner_key(plan: Plan, wanted: str) -> str:
    """The owner key `wanted` names in `plan` (its key, name or an alias, with or without
    diacritics): one reading for filters and edits alike. A UsageError with suggestions
    when it names none, or several."""
    if wanted in plan.owners:
        return wanted
    keys = [k for k in plan.owners if owner_matches(plan, k, wanted)]
    exact = [k for k in keys
             if fold(wanted) in (fold(k), *map(fold, owner_names(plan.owners[k])))]
    if len(exact) == 1 or len(keys) == 1:
        return (exact or keys)[0]
    if keys:
        raise UsageError(f"{wanted!r} names several owners of {plan.id}: " + ", ".join(keys))
    raise UsageError(f"no owner {wanted!r} in plan {plan.id}" + _suggest(wanted, [
        name for k, o in plan.owners.items() for name in (k, *owner_names(o))]))


def _suggest(wanted: str, names: Iterable[str]) -> str:
    import difflib

    by_fold = {fold(n): n for n in names}
    close = difflib.get_close_matches(fold(wanted), list(by_fold), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(by_fold[c]) for c in close)}?)" if close else ""


def check_filter(plans: list[SourcedPlan], flt: Filter) -> None:
    """A filter naming an owner or plan that none of the plans has is a usage error with
    suggestions, not an empty list."""
    ids = [sp.plan.id for sp in plans]
    for wanted in flt.plans:
        if wanted not in ids:
            raise UsageError(f"no plan {wanted!r} among the plans read" + _suggest(wanted, ids))
    for wanted in flt.owners:
        if not any(owner_matches(sp.plan, key, wanted) for sp in plans for key in sp.plan.owners):
            names = [n for sp in plans for k, o in sp.plan.owners.items()
                     for n in (k, *owner_names(o))]
            raise UsageError(f"no owner {wanted!r} in the plans read" + _suggest(wanted, names))


def select(items: list[TaskState], plans: list[SourcedPlan], flt: Filter) -> list[TaskState]:
    check_filter(plans, flt)
    if flt == Filter():
        return items
    by_id = {sp.plan.id: sp.plan for sp in plans}
    return [item for item in items if flt.keep(item, by_id[item.plan_id])]


def _by_file(plans: list[SourcedPlan], name: str) -> Plan | None:
    """The plan read from the file `name` (FILE/ID names a task by its plan's file)."""
    import os

    wanted = os.path.realpath(name)
    return next((sp.plan for sp in plans if os.path.realpath(sp.path) == wanted), None)


def find_task(plans: list[SourcedPlan], ref: str) -> tuple[Plan, Task] | str:
    """The task named PLAN/ID, FILE/ID or a bare ID that one plan alone has, or what is not
    there: the one reading of a task reference, for show, history and the edits."""
    import difflib

    plan_id, _, task_id = ref.rpartition("/")
    if not plan_id:
        owners = [sp.plan for sp in plans if any(t.id == task_id for t in sp.plan.tasks)] or [
            sp.plan for sp in plans if any(t.id.lower() == task_id.lower() for t in sp.plan.tasks)]
        if len(owners) == 1:
            plan_id = owners[0].id
        elif owners:
            return f"{ref!r} is a task of several plans; name it as PLAN/ID: " + ", ".join(
                f"{p.id}/{task_id}" for p in owners)
        else:
            return message("no task %(task)s in any plan; name it as PLAN/ID, e.g. %(example)s",
                           task=repr(ref), example="hanoi-2025/HN-03")
    by_id = {sp.plan.id: sp.plan for sp in plans}
    plan = by_id.get(plan_id) or _by_file(plans, plan_id)
    if plan is None:
        close = difflib.get_close_matches(plan_id, list(by_id), n=1)
        return f"no plan {plan_id!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    for task in plan.tasks:
        if task.id == task_id:
            return plan, task
    for task in plan.tasks:
        if task.id.lower() == task_id.lower():
            return plan, task
    ids = [t.id for t in plan.tasks]
    lowered = {i.lower(): i for i in ids}
    close = [lowered[task_id.lower()]] if task_id.lower() in lowered else \
        difflib.get_close_matches(task_id, ids, n=1)
    if close:
        return message("no task %(task)s in plan %(plan)s (did you mean %(close)s?)",
                       task=repr(task_id), plan=repr(plan_id), close=repr(close[0]))
    return message("no task %(task)s in plan %(plan)s", task=repr(task_id), plan=repr(plan_id))
