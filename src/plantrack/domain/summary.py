"""The status summary: tallies per plan and per owner, and the most overdue tasks."""

from __future__ import annotations

from dataclasses import dataclass, field

from plantrack.domain.model import Plan
from plantrack.domain.state import (
    Tally,
    TaskState,
    overdue_first,
    tally,
    tally_by_owner,
    tally_by_plan,
)


@dataclass(frozen=True)
class OwnerRow:
    plan_id: str
    key: str
    name: str
    tally: Tally


@dataclass(frozen=True)
class PlanRow:
    plan_id: str
    title: str
    tally: Tally


@dataclass(frozen=True)
class Summary:
    total: Tally
    plans: list[PlanRow]
    owners: list[OwnerRow]
    most_overdue: list[TaskState]
    unscheduled: list[TaskState] = field(default_factory=list)  # `due: tbd`, still open


def worst_first(row: OwnerRow) -> tuple[int, int, float, object, str]:
    """Most overdue first; ties in Vietnamese alphabetical order of the owner's name."""
    from plantrack.collate import sort_key

    share = row.tally.on_time_share
    return (-row.tally.counts["overdue"], -row.tally.most_overdue,
            share if share is not None else 1.0, sort_key(str(row.name)), row.plan_id)


def summarize(items: list[TaskState], plans: dict[str, Plan], top: int = 10) -> Summary:
    by_plan = tally_by_plan(items)
    # Every plan has a row, an empty one too: a plan with no tasks is still a plan read.
    plan_rows = [PlanRow(pid, plan.title, by_plan.get(pid, Tally())) for pid, plan in plans.items()]
    owner_rows = []
    for (pid, key), group in tally_by_owner(items).items():
        owner = plans[pid].owners.get(key)
        owner_rows.append(OwnerRow(pid, key, owner.name if owner else key, group))
    owner_rows.sort(key=worst_first)
    return Summary(tally(items), plan_rows, owner_rows, overdue_first(items)[:top],
                   unscheduled_first(items))


def unscheduled_first(items: list[TaskState]) -> list[TaskState]:
    """Open tasks whose deadline is not yet set (`due: tbd`), listed apart so that one gets
    set: in plan and task order."""
    return sorted((i for i in items if i.state == "unscheduled"),
                  key=lambda i: (i.plan_id, i.task.id))
