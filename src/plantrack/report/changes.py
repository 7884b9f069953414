"""Section 7 of the report: what changed since the period began, read from git history.

The base is the last commit before the period's start; the head is the plans as loaded now.
"Newly overdue" needs no history: overdue as of now, not overdue as of the period's start.
A shallow clone cut after the period's start lacks the base: `shallow` says so, and the
section says it cannot be read rather than comparing with nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.domain.deadlines import Deadline, DeadlineError, parse_deadline
from plantrack.domain.model import Extension, Plan, SourcedPlan
from plantrack.domain.state import TaskState, derive
from plantrack.report.data import ExtensionRow, TaskRow, task_row


@dataclass(frozen=True)
class Moved:
    ref: str
    title: str
    old: str
    new: str
    days: int | None
    extension: str | None  # the approved extension that moved it; None when there is none
    old_due: Deadline | None = None  # `old` and `new` read as deadlines, for the words
    new_due: Deadline | None = None
    approved: ExtensionRow | None = None  # the extension as the report words it


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
    shallow: bool = False  # the history is shallow and cut after the period began

    @property
    def empty(self) -> bool:
        return not (self.completed or self.cancelled or self.added or self.removed or self.moved)


def newly_overdue(items: list[TaskState], plans: dict[str, Plan], start: dt.date
                  ) -> list[TaskRow]:
    """Overdue now, but not on the eve of the period (judged on the same file): a task due
    on the day before the period began fell overdue on its first day, within it."""
    rows = []
    eve = start - dt.timedelta(days=1)
    for item in items:
        if item.state != "overdue":
            continue
        plan = plans[item.plan_id]
        if derive(plan, item.task, eve).state != "overdue":
            rows.append(task_row(item, plan))
    return sorted(rows, key=lambda r: (-(r.days_overdue or 0), r.ref))


def _extension_text(ext: Extension) -> str:
    return ", ".join([ext.approved.isoformat(), *([ext.ref] if ext.ref else [])])


def compare(base: list[SourcedPlan], head: list[SourcedPlan], as_of: dt.date) -> Changes:
    """Tasks completed, cancelled, added, removed and deadlines moved from `base` to `head`,
    as the semantic diff of the two sets of plans says, judged as of `as_of`."""
    from plantrack.domain.state import extension_in_force
    from plantrack.git.diff import compare as diff_plans

    head_tasks = {(sp.plan.id, t.id): t for sp in head for t in sp.plan.tasks}
    out = Changes(in_git=True)
    lists = {"task_added": out.added, "task_removed": out.removed, "completed": out.completed,
             "cancelled": out.cancelled}
    for plan in diff_plans(base, head, lambda _: as_of).plans:
        for change in plan.changes:
            ref = f"{plan.plan_id}/{change.task_id}"
            if change.kind in lists:
                lists[change.kind].append(Ref(ref, change.title))
            elif change.kind == "deadline":
                task = head_tasks.get((plan.plan_id, change.task_id or ""))
                extension = extension_in_force(task, as_of) if change.extended and task else None
                row = None
                if extension is not None and task is not None:
                    row = ExtensionRow(ref, change.title, "", _deadline(change.old),
                                       extension.due, extension.approved, extension.ref,
                                       extension.reason)
                out.moved.append(Moved(ref, change.title, str(change.old or "—"),
                                       str(change.new or "—"), change.days,
                                       _extension_text(extension) if extension else None,
                                       _deadline(change.old), _deadline(change.new), row))
    return out


def _deadline(text: object) -> Deadline | None:
    if not isinstance(text, str):
        return None
    try:
        return parse_deadline(text)
    except DeadlineError:
        return None


def changes_since(plans: list[SourcedPlan], items: list[TaskState], start: dt.date,
                  as_of: dt.date, head: str = "HEAD",
                  read_at: Callable[[str], list[SourcedPlan]] | None = None) -> Changes:
    """Section 9 for plans loaded from files: compared with git when they live in a
    repository, with the last commit in `head`'s history before the period began; `read_at`
    reads the plans at a commit (default: the plans' own files at it)."""
    from plantrack.git import repo as gitread
    by_id = {sp.plan.id: sp.plan for sp in plans}
    overdue = newly_overdue(items, by_id, start)
    repo = gitread.repo_root(Path(plans[0].path).resolve()) if plans else None
    if repo is None:
        return Changes(in_git=False, newly_overdue=overdue)
    began = dt.datetime.combine(start, dt.time())
    if gitread.history_cut_after(repo, began):
        return Changes(in_git=True, newly_overdue=overdue, shallow=True)
    rev = gitread.revision_at(repo, began, head)
    if rev is None:
        return Changes(in_git=True, newly_overdue=overdue)
    paths = _relative(repo, plans)
    if read_at is not None:
        base = read_at(rev)
    else:
        base = list(gitread.plans_at(repo, rev, paths)) if paths else []
    out = compare(base, plans, as_of)
    out.base_rev, out.base_date = rev, _commit_day(repo, rev)
    out.newly_overdue = overdue
    return out


def shallow_warning() -> str:
    """What the `report` command prints on stderr when `Changes.shallow` is set."""
    from plantrack.git.repo import shallow_message

    return shallow_message("the changes since the period began")


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
    """The day `rev` was committed, in the plans' default timezone."""
    from plantrack.asof import today_in
    from plantrack.git import repo as gitread
    from plantrack.problems import UsageError

    try:
        return today_in(None, gitread.commit_time(repo, rev))
    except (UsageError, ValueError):
        return None
