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
    out: list[Problem] = []
    memo: dict[str, Marks] = {}
    by_id: dict[str, SourcedPlan] = {}
    for sp in plans:
        if sp.plan.id in by_id:
            line, col = _marks(sp.path, memo).value(("id",))
            out.append(Problem(sp.path, line, col, "error", "duplicate-plan",
                               f"plan id {sp.plan.id!r} is also used by {by_id[sp.plan.id].path}"))
        else:
            by_id[sp.plan.id] = sp
    task_ids = {plan_id: {t.id for t in sp.plan.tasks} for plan_id, sp in by_id.items()}
    for sp in plans:
        for i, task in enumerate(sp.plan.tasks):
            for j, ref in enumerate(task.depends_on):
                plan_id, _, task_id = ref.partition("/")
                if not task_id or plan_id == sp.plan.id:
                    continue  # a dependency within the plan: checked with the plan itself
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
