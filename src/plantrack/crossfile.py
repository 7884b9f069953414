"""Checks that need several plans at once. Positions are read again only for what they find."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from plantrack.model import SourcedPlan
from plantrack.problems import Problem

if TYPE_CHECKING:
    from plantrack.yamlread import Marks


def _marks(path: str, memo: dict[str, Marks]) -> Marks:
    from plantrack.yamlread import Marks, read_yaml

    if path not in memo:
        try:
            memo[path] = read_yaml(Path(path).read_bytes(), path).marks
        except OSError:
            memo[path] = Marks()
    return memo[path]


def check_across(plans: list[SourcedPlan]) -> list[Problem]:
    memo: dict[str, Marks] = {}
    out, by_id = _duplicate_ids(plans, memo)
    return out + _dependencies(plans, by_id, memo)


def _duplicate_ids(plans: list[SourcedPlan], memo: dict[str, Marks]
                   ) -> tuple[list[Problem], dict[str, SourcedPlan]]:
    out: list[Problem] = []
    by_id: dict[str, SourcedPlan] = {}
    for sp in plans:
        if sp.plan.id in by_id:
            line, col = _marks(sp.path, memo).value(("id",))
            out.append(Problem(sp.path, line, col, "error", "duplicate-plan",
                               f"plan id {sp.plan.id!r} is also used by {by_id[sp.plan.id].path}"))
        else:
            by_id[sp.plan.id] = sp
    return out, by_id


def _dependencies(plans: list[SourcedPlan], by_id: dict[str, SourcedPlan],
                  memo: dict[str, Marks]) -> list[Problem]:
    """Dependencies on tasks of other plans: each must name a task of a plan that was read."""
    out: list[Problem] = []
    task_ids: dict[str, set[str]] = {}  # only of the plans that others depend on
    for sp in plans:
        for i, task in enumerate(sp.plan.tasks):
            if not task.depends_on:
                continue
            for j, ref in enumerate(task.depends_on):
                plan_id, _, task_id = ref.partition("/")
                if not task_id or plan_id == sp.plan.id:
                    continue  # a dependency within the plan: checked with the plan itself
                if plan_id in by_id and plan_id not in task_ids:
                    task_ids[plan_id] = {t.id for t in by_id[plan_id].plan.tasks}
                if plan_id not in task_ids:
                    line, col = _marks(sp.path, memo).value(("tasks", i, "depends_on", j))
                    out.append(Problem(sp.path, line, col, "warning", "unknown-plan",
                                       f"task {task.id!r} depends on {ref!r}, but no plan "
                                       f"{plan_id!r} was read",
                                       "name that plan's file too, or check the id"))
                elif task_id not in task_ids[plan_id]:
                    line, col = _marks(sp.path, memo).value(("tasks", i, "depends_on", j))
                    out.append(Problem(sp.path, line, col, "error", "unknown-dependency",
                                       f"task {task.id!r} depends on {ref!r}, which is not a task "
                                       f"of plan {plan_id!r}"))
    return out
