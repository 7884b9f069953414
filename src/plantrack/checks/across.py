"""Checks that need several plans at once. Positions are read again only for what they find."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from plantrack.domain.model import SourcedPlan, named_task
from plantrack.problems import Problem, message
from plantrack.rules import declare

declare("duplicate-plan", "error", "plans", "two files hold plans with the same id")
declare("unknown-plan", "warning", "plans",
        "depends_on names a plan that was not read in this run")

if TYPE_CHECKING:
    from plantrack.read.yamlread import Marks


def _marks(path: str, memo: dict[str, Marks]) -> Marks:
    from plantrack.read.source import read_source
    from plantrack.read.yamlread import Marks, read_yaml

    if path not in memo:
        try:
            memo[path] = read_yaml(read_source(path), path).marks
        except OSError:
            memo[path] = Marks()
    return memo[path]


class Outline(NamedTuple):
    """What the checks across files need of one plan: far less than the plan itself, so that
    `validate` of a national repository need not keep every plan in memory."""

    path: str
    plan_id: str
    task_ids: frozenset[str]
    # (task index, task id, index in depends_on, the reference) for each PLAN/ID reference to
    # another plan.
    foreign: tuple[tuple[int, str, int, str], ...]


def _names_other_plan(ref: str, plan_id: str) -> bool:
    other_id, task_id = named_task(ref, plan_id)
    return bool(task_id) and other_id != plan_id


def outline(sp: SourcedPlan) -> Outline:
    foreign = tuple((i, task.id, j, ref)
                    for i, task in enumerate(sp.plan.tasks) if task.depends_on
                    for j, ref in enumerate(task.depends_on)
                    if _names_other_plan(ref, sp.plan.id))
    return Outline(sp.path, sp.plan.id, frozenset(t.id for t in sp.plan.tasks), foreign)


def check_across(plans: list[Outline]) -> list[Problem]:
    memo: dict[str, Marks] = {}
    out, by_id = _duplicate_ids(plans, memo)
    return out + _dependencies(plans, by_id, memo)


def _duplicate_ids(plans: list[Outline], memo: dict[str, Marks]
                   ) -> tuple[list[Problem], dict[str, Outline]]:
    out: list[Problem] = []
    by_id: dict[str, Outline] = {}
    for plan in plans:
        if plan.plan_id in by_id:
            line, col = _marks(plan.path, memo).value(("id",))
            out.append(Problem(plan.path, line, col, "error", "duplicate-plan",
                               message("plan id %(id)s is also used by %(other)s",
                                       id=repr(plan.plan_id),
                                       other=by_id[plan.plan_id].path)))
        else:
            by_id[plan.plan_id] = plan
    return out, by_id


def _dependencies(plans: list[Outline], by_id: dict[str, Outline], memo: dict[str, Marks]
                  ) -> list[Problem]:
    """Dependencies on tasks of other plans: each must name a task of a plan that was read.
    (A dependency within the plan is checked with the plan itself.)"""
    out: list[Problem] = []
    for plan in plans:
        for i, task_id, j, ref in plan.foreign:
            other_id, other_task = named_task(ref, plan.plan_id)
            other = by_id.get(other_id)
            if other is not None and other_task in other.task_ids:
                continue
            line, col = _marks(plan.path, memo).value(("tasks", i, "depends_on", j))
            if other is None:
                out.append(Problem(plan.path, line, col, "warning", "unknown-plan",
                                   message("task %(id)s depends on %(ref)s, but no plan "
                                           "%(plan)s was read", id=repr(task_id),
                                           ref=repr(ref), plan=repr(other_id)),
                                   message("name that plan's file too, or check the id")))
            else:
                out.append(Problem(plan.path, line, col, "error", "unknown-dependency",
                                   message("task %(id)s depends on %(ref)s, which is not a "
                                           "task of plan %(plan)s", id=repr(task_id),
                                           ref=repr(ref), plan=repr(other_id))))
    return out
