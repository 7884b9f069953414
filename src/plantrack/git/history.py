"""How one task changed commit by commit: every field, as the diff sees it, and the task's
deadline in force, status, progress and owner as of each commit's date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.asof import today_in
from plantrack.domain.model import Plan, Task
from plantrack.domain.owners import in_charge
from plantrack.domain.state import deadline_as_of, said_as_of
from plantrack.git import repo as gitread
from plantrack.git.diff import Change, compare_task
from plantrack.git.repo import Commit
from plantrack.problems import UsageError


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The task as of a commit's day, by the rules every view uses."""

    deadline: str | None
    status: str
    progress: int | None
    owner: str

    @classmethod
    def of(cls, plan: Plan, task: Task, day: dt.date) -> Snapshot:
        deadline = deadline_as_of(task, day)
        text = deadline.text if deadline else (f"recurs {task.recurs}" if task.recurs else None)
        status, progress = said_as_of(task, day, [u for u in task.updates if u.date <= day])
        return cls(text, status, progress, in_charge(plan, task.owner, day))


@dataclass(slots=True)
class Step:
    """One commit that changed the task; `changes` are the diff's entries for the task."""

    commit: Commit
    event: str  # "created", "changed", "removed", "plan removed" or "unreadable"
    changes: list[Change] = field(default_factory=list)
    snapshot: Snapshot | None = None


def _find(plan: Plan | None, task_id: str) -> Task | None:
    if plan is None:
        return None
    return next((t for t in plan.tasks if t.id == task_id), None)


def task_history(versions: list[tuple[Commit, Plan | None]], task_id: str) -> list[Step]:
    """The commits, oldest first, where the task appeared, changed or went away."""
    steps: list[Step] = []
    before: tuple[Plan, Task] | None = None
    for commit, plan in versions:
        if plan is None and not commit.deleted:
            steps.append(Step(commit, "unreadable"))  # keep the last known state
            continue
        task = _find(plan, task_id)
        if task is None or plan is None:
            if before is not None:
                steps.append(Step(commit, "plan removed" if commit.deleted else "removed"))
            before = None
            continue
        day = today_in(plan.timezone, commit.date)
        now = Snapshot.of(plan, task, day)
        if before is None:
            steps.append(Step(commit, "created", snapshot=now))
        else:
            index = next(i for i, t in enumerate(plan.tasks) if t is task)
            changes = compare_task(before[1], task, index, day, before[0].lang, plan.lang)
            if changes:
                steps.append(Step(commit, "changed", changes, now))
        before = (plan, task)
    return steps


def plan_path(repo: Path, plan_id: str, rev: str = "HEAD",
              paths: list[str] | None = None) -> str:
    """The file holding plan `plan_id` at `rev`: `plans/<id>.yaml` when it says so, else the
    first plan file whose id is `plan_id`. `rev` is verified as a commit before any use."""
    commit = gitread.resolve(repo, rev)
    listed = gitread.plan_blobs(repo, commit, paths)
    guess = [p for p, _ in listed if Path(p).stem == plan_id]
    for candidate in (guess, paths):  # the likely file first, then every one under `paths`
        plans = gitread.plans_at(repo, commit, candidate) if candidate != [] else []
        for sourced in plans:
            if sourced.plan.id == plan_id:
                return sourced.path
    raise UsageError(f"no plan with id {plan_id!r} at {rev}")


def read_history(repo: Path, plan_id: str, task_id: str, rev: str = "HEAD",
                 paths: list[str] | None = None) -> tuple[str, list[Step]]:
    """The plan's file at `rev`, and the task's history through every commit touching it."""
    from plantrack.checks.loader import parse_and_check

    path = plan_path(repo, plan_id, rev, paths)
    commits = gitread.file_log(repo, path, rev)  # which verifies `rev` again, on its own
    blobs = gitread.read_blobs(repo, [f"{c.sha}:{c.path}" for c in commits if not c.deleted])
    found = iter(blobs)
    versions: list[tuple[Commit, Plan | None]] = []
    for commit in commits:
        raw = None if commit.deleted else next(found)
        plan = parse_and_check(raw, commit.path)[0] if raw is not None else None
        # Another plan may have lived in this file once; only this plan's versions count.
        versions.append((commit, plan if plan is None or plan.id == plan_id else None))
    steps = task_history(versions, task_id)
    if not any(s.snapshot for s in steps):
        raise UsageError(f"plan {plan_id} ({path}) never had a task {task_id!r}")
    return path, steps
