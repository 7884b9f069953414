"""Section 7 of the report: what changed since the period began, read from git history.

The base is the last commit before the period's start; the head is the plans as loaded now.
"Newly overdue" needs no history: overdue as of now, not overdue as of the period's start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.deadlines import Deadline, effective
from plantrack.model import Extension, Plan, SourcedPlan, Task
from plantrack.report.data import TaskRow, task_row
from plantrack.state import TaskState, derive


@dataclass(frozen=True)
class Moved:
    ref: str
    title: str
    old: str
    new: str
    days: int | None
    extension: str | None  # the approved extension that moved it; None when there is none


@dataclass(frozen=True)
class Ref:
    ref: str
    title: str


@dataclass
class Changes:
    in_git: bool
    base_rev: str | None = None
    base_date: dt.date | None = None
    newly_overdue: list[TaskRow] = field(default_factory=list)
    completed: list[Ref] = field(default_factory=list)
    cancelled: list[Ref] = field(default_factory=list)
    added: list[Ref] = field(default_factory=list)
    removed: list[Ref] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.completed or self.cancelled or self.added or self.removed or self.moved)


def newly_overdue(items: list[TaskState], plans: dict[str, Plan], start: dt.date
                  ) -> list[TaskRow]:
    """Overdue now, but not when the period began (judged on the same file)."""
    rows = []
    for item in items:
        if item.state != "overdue":
            continue
        plan = plans[item.plan_id]
        if derive(plan, item.task, start).state != "overdue":
            rows.append(task_row(item, plan))
    return sorted(rows, key=lambda r: (-(r.days_overdue or 0), r.ref))


def _deadline_of(task: Task) -> Deadline | None:
    return effective(task.due, [e.due for e in task.extensions])


def _extension_text(ext: Extension) -> str:
    parts = [ext.approved.isoformat()]
    if ext.ref:
        parts.append(ext.ref)
    return ", ".join(parts)


def _moved(ref: str, old: Task, new: Task) -> Moved | None:
    before, after = _deadline_of(old), _deadline_of(new)
    if old.recurs or new.recurs or before == after:
        return None
    old_text, new_text = (before.text if before else "—"), (after.text if after else "—")
    if old_text == new_text:
        return None
    days = None
    if before and after and before.last_day and after.last_day:
        days = (after.last_day - before.last_day).days
    fresh = [e for e in new.extensions if e not in old.extensions]
    covering = fresh[-1] if fresh and after is not None and fresh[-1].due == after else None
    return Moved(ref, new.title, old_text, new_text, days,
                 _extension_text(covering) if covering else None)


def compare(base: list[SourcedPlan], head: list[SourcedPlan]) -> Changes:
    """Tasks completed, cancelled, added, removed and deadlines moved from `base` to `head`."""
    out = Changes(in_git=True)
    old_tasks = {f"{sp.plan.id}/{t.id}": t for sp in base for t in sp.plan.tasks}
    new_tasks = {f"{sp.plan.id}/{t.id}": t for sp in head for t in sp.plan.tasks}
    for ref, task in new_tasks.items():
        old = old_tasks.get(ref)
        if old is None:
            out.added.append(Ref(ref, task.title))
            continue
        if task.status == "done" and old.status != "done":
            out.completed.append(Ref(ref, task.title))
        if task.status == "cancelled" and old.status != "cancelled":
            out.cancelled.append(Ref(ref, task.title))
        moved = _moved(ref, old, task)
        if moved:
            out.moved.append(moved)
    out.removed = [Ref(ref, t.title) for ref, t in old_tasks.items() if ref not in new_tasks]
    return out


def changes_since(plans: list[SourcedPlan], items: list[TaskState], start: dt.date
                  ) -> Changes:
    """Section 7 for plans loaded from files: compared with git when they live in a repository."""
    from plantrack import gitread

    by_id = {sp.plan.id: sp.plan for sp in plans}
    overdue = newly_overdue(items, by_id, start)
    repo = gitread.repo_root(Path(plans[0].path).resolve()) if plans else None
    if repo is None:
        return Changes(in_git=False, newly_overdue=overdue)
    rev = gitread.revision_at(repo, dt.datetime.combine(start, dt.time()))
    if rev is None:
        return Changes(in_git=True, newly_overdue=overdue)
    paths = _relative(repo, plans)
    base = list(gitread.plans_at(repo, rev, paths)) if paths else []
    out = compare(base, plans)
    out.base_rev, out.base_date = rev, _commit_day(repo, rev)
    out.newly_overdue = overdue
    return out


def _relative(repo: Path, plans: list[SourcedPlan]) -> list[str]:
    """The plans' paths inside the repository; a plan outside it is left out of the comparison."""
    out = []
    for sp in plans:
        try:
            out.append(Path(sp.path).resolve().relative_to(repo.resolve()).as_posix())
        except ValueError:
            continue
    return out


def _commit_day(repo: Path, rev: str) -> dt.date | None:
    import subprocess

    done = subprocess.run(["git", "-C", str(repo), "show", "-s", "--format=%cs", rev],
                          capture_output=True, text=True, check=False)
    try:
        return dt.date.fromisoformat(done.stdout.strip())
    except ValueError:
        return None
