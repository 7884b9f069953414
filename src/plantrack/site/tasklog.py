"""Each task's git history: the first-parent commits that created, changed or removed it.

Reading every version of every plan is the site's dearest step, so the log is kept in the
site folder (`data/task-history.json`) and extended run by run: a run reads only the
commits made since the last one. A history that was rewritten (the last commit read is no
longer in HEAD's history) or other plan paths start the log afresh.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.domain.model import Plan, Task
from plantrack.git.repo import Commit
from plantrack.site.snapshots import History

LOG = "data/task-history.json"
MAX_LOG_BYTES = 256 * 1024 * 1024
# 2: fingerprints no longer depend on the process's string hashing (a log of format 1 held
# prints that changed from run to run, so unchanged tasks gained "changed" events).
FORMAT = 2


@dataclass(frozen=True)
class Event:
    sha: str
    when: str  # ISO committer date
    author: str
    subject: str
    kind: str  # "created", "changed" or "removed"


@dataclass
class TaskLog:
    specs: list[str]
    rev: str | None = None  # the last commit read
    prints: dict[str, str] = field(default_factory=dict)  # "plan/task" -> its fingerprint
    events: dict[str, list[Event]] = field(default_factory=dict)

    def dump(self) -> bytes:
        data = {"format": FORMAT, "specs": self.specs, "rev": self.rev, "prints": self.prints,
                "events": {ref: [[e.sha, e.when, e.author, e.subject, e.kind] for e in found]
                           for ref, found in sorted(self.events.items())}}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fingerprint(plan: Plan, task: Task) -> str:
    """What the diff compares of a task, hashed: equal for equal meaning, whatever the
    spelling in the file."""
    from plantrack.git.canon import flatten_task

    flat = flatten_task(task, plan.lang, ())
    canon = repr(sorted((path, repr(_ordered(leaf.canon))) for path, leaf in flat.items()))
    return hashlib.blake2b(canon.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _ordered(canon: object) -> object:
    """A leaf's value with a set's members sorted: a set's repr follows string hashing,
    which is seeded afresh in every process."""
    return tuple(sorted(canon, key=repr)) if isinstance(canon, frozenset) else canon


def read_log(root: Path, specs: list[str]) -> TaskLog:
    """The log kept in `root`, or an empty one when there is none or it does not fit."""
    path = root / LOG
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_LOG_BYTES + 1)
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_LOG_BYTES else None
    except (OSError, UnicodeDecodeError, ValueError):
        data = None
    fresh = TaskLog(list(specs))
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("specs") != specs:
        return fresh  # a log is derived data: when in doubt, read the history again
    try:
        return TaskLog(list(specs), None if data["rev"] is None else str(data["rev"]),
                       {str(k): str(v) for k, v in data["prints"].items()},
                       {str(ref): [Event(*(str(x) for x in e)) for e in found]
                        for ref, found in data["events"].items()})
    except (KeyError, TypeError, AttributeError, ValueError):
        return fresh


def _event(commit: Commit, kind: str) -> Event:
    return Event(commit.sha, commit.date.isoformat(), commit.author, commit.subject, kind)


def extend(log: TaskLog, history: History) -> TaskLog:
    """`log` carried forward through the commits made since it was last read."""
    from plantrack.git.repo import first_parent_commits, is_ancestor

    if log.rev is not None and not is_ancestor(history.repo, log.rev):
        log = TaskLog(log.specs)
    previous: dict[str, str] = {}  # plan path -> its blob at the last commit read
    for commit in first_parent_commits(history.repo, log.rev):
        seen: set[str] = set()
        blobs = history.blobs_at(commit.sha)
        for sourced in history.plans_at(commit.sha):
            plan = sourced.plan
            unchanged = previous.get(sourced.path) == blobs[sourced.path]
            for task in plan.tasks:
                ref = f"{plan.id}/{task.id}"
                seen.add(ref)
                if unchanged and ref in log.prints:
                    continue
                mark = fingerprint(plan, task)
                if log.prints.get(ref) != mark:
                    kind = "changed" if ref in log.prints else "created"
                    log.events.setdefault(ref, []).append(_event(commit, kind))
                    log.prints[ref] = mark
        for ref in [r for r in log.prints if r not in seen]:
            log.events.setdefault(ref, []).append(_event(commit, "removed"))
            del log.prints[ref]
        previous = blobs
        history.prune({commit.sha})
        log.rev = commit.sha
    return log
