"""How one task changed commit by commit: its deadline, status, progress and owner."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plantrack import gitread
from plantrack.diff import effective_deadline, progress_of
from plantrack.gitread import Commit
from plantrack.model import Plan, Task
from plantrack.problems import UsageError

FIELDS = ("deadline", "status", "progress", "owner")
Value = str | int | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    deadline: str | None
    status: str
    progress: int | None
    owner: str

    @classmethod
    def of(cls, task: Task) -> Snapshot:
        deadline = effective_deadline(task)
        text = deadline.text if deadline else (f"recurs {task.recurs}" if task.recurs else None)
        return cls(text, task.status, progress_of(task), task.owner)


@dataclass(slots=True)
class Step:
    """One commit that changed the task; `changes` are (field, before, after)."""

    commit: Commit
    event: str  # "created", "changed", "removed", "plan removed" or "unreadable"
    changes: list[tuple[str, Value, Value]] = field(default_factory=list)
    snapshot: Snapshot | None = None


def _find(plan: Plan | None, task_id: str) -> Task | None:
    if plan is None:
        return None
    return next((t for t in plan.tasks if t.id == task_id), None)


def task_history(versions: list[tuple[Commit, Plan | None]], task_id: str) -> list[Step]:
    """The commits, oldest first, where the task appeared, changed or went away."""
    steps: list[Step] = []
    before: Snapshot | None = None
    for commit, plan in versions:
        if plan is None and not commit.deleted:
            steps.append(Step(commit, "unreadable"))  # keep the last known state
            continue
        task = _find(plan, task_id)
        now = Snapshot.of(task) if task else None
        if now == before:
            continue
        if now is None:
            steps.append(Step(commit, "plan removed" if commit.deleted else "removed"))
        elif before is None:
            steps.append(Step(commit, "created", snapshot=now))
        else:
            diffs = [(name, getattr(before, name), getattr(now, name)) for name in FIELDS
                     if getattr(before, name) != getattr(now, name)]
            steps.append(Step(commit, "changed", diffs, now))
        before = now
    return steps


def plan_path(repo: Path, plan_id: str, rev: str = "HEAD",
              paths: list[str] | None = None) -> str:
    """The file holding plan `plan_id` at `rev`: `plans/<id>.yaml` when it says so, else the
    first plan file whose id is `plan_id`."""
    listed = gitread.plan_blobs(repo, gitread.resolve(repo, rev), paths)
    guess = [p for p, _ in listed if Path(p).stem == plan_id]
    for candidate in (guess, None):
        plans = gitread.plans_at(repo, rev, candidate) if candidate != [] else []
        for sourced in plans:
            if sourced.plan.id == plan_id:
                return sourced.path
    raise UsageError(f"no plan with id {plan_id!r} at {rev}")


def read_history(repo: Path, plan_id: str, task_id: str, rev: str = "HEAD",
                 paths: list[str] | None = None) -> tuple[str, list[Step]]:
    """The plan's file at `rev`, and the task's history through every commit touching it."""
    from plantrack.loader import parse_and_check

    path = plan_path(repo, plan_id, rev, paths)
    commits = gitread.file_log(repo, path, rev)
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
