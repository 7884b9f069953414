"""One edit from start to finish: find the file, load it, apply, check, diff, write."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plantrack.edit.atomic import Snapshot, read_snapshot, write_atomic
from plantrack.edit.roundtrip import RoundTrip, SpliceError
from plantrack.problems import Problem, UsageError

_LINE_REF = re.compile(r"\bline \d+\b")


@dataclass
class Editing:
    snapshot: Snapshot
    roundtrip: RoundTrip

    @property
    def tree(self) -> Any:
        return self.roundtrip.tree


@dataclass
class Outcome:
    snapshot: Snapshot
    new: bytes
    new_problems: list[Problem]

    @property
    def changed(self) -> bool:
        return self.new != self.snapshot.raw

    def diff(self) -> str:
        return unified_diff(self.snapshot.raw, self.new, self.snapshot.shown)


def split_ref(ref: str) -> tuple[str, str]:
    """`PLAN/TASK-ID` -> (PLAN, TASK-ID); PLAN may itself be a path with slashes."""
    plan, sep, task = ref.rpartition("/")
    if not sep or not plan or not task:
        raise UsageError(f"{ref!r}: name a task as PLAN/TASK-ID, e.g. hanoi-2025/HN-11")
    return plan, task


def resolve_plan(name: str, folder: Path = Path("plans")) -> Path:
    """A plan file from a path, or from a plan id looked up in the plans folder."""
    path = Path(name)
    if path.is_file():
        return path
    if path.suffix in (".yaml", ".yml") or not folder.is_dir():
        raise UsageError(f"{name}: no such plan file" + ("" if folder.is_dir() else
                         f", and no {folder}/ folder here to look the plan id up in"))
    for suffix in (".yaml", ".yml"):
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return _by_declared_id(name, folder)


def _by_declared_id(name: str, folder: Path) -> Path:
    """A plan whose file name differs from its id: read the ids (cached) to find it."""
    from plantrack.checks.loader import load
    from plantrack.read.discover import plan_files

    loaded = load(plan_files([str(folder)]))
    matches = [Path(sp.path) for sp in loaded.plans if sp.plan.id == name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"plan id {name!r} is declared by several files: "
                         + ", ".join(map(str, matches)))
    known = ", ".join(sorted(sp.plan.id for sp in loaded.plans)) or "none"
    raise UsageError(f"no plan {name!r} in {folder}/ (plans: {known})")


def open_plan(path: Path) -> Editing:
    snapshot = read_snapshot(path)
    try:
        roundtrip = RoundTrip(snapshot.raw)
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the file is not UTF-8 text; run plantrack validate") from None
    except Exception as exc:  # ruamel raises many kinds for a malformed file
        raise UsageError(f"{path}: cannot read the YAML ({' '.join(str(exc).split())}); "
                         "run plantrack validate") from None
    if not hasattr(roundtrip.tree, "get"):
        raise UsageError(f"{path}: not a plan (a YAML mapping); run plantrack validate")
    return Editing(snapshot, roundtrip)


def finish(editing: Editing) -> Outcome:
    """The edited bytes, with the errors the edit would introduce (empty when it is safe)."""
    from plantrack.checks.loader import parse_and_check

    try:
        new = editing.roundtrip.render()
    except SpliceError as exc:
        raise UsageError(f"{editing.snapshot.shown}: {exc}; nothing written") from None
    _confirm_faithful(editing, new)
    name = editing.snapshot.shown
    before = parse_and_check(editing.snapshot.raw, name)[1]
    after = parse_and_check(new, name)[1]
    return Outcome(editing.snapshot, new, introduced(before, after))


def _confirm_faithful(editing: Editing, new: bytes) -> None:
    """The written text must read back as exactly the edited tree."""
    from plantrack.edit.roundtrip import Text

    reread = editing.roundtrip.load_text(Text.from_bytes(new).plain())
    if _plain(reread) != _plain(editing.tree):
        raise UsageError(f"{editing.snapshot.shown}: the edit could not be written without "
                         "changing other parts of the file; nothing written")


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    return problem.severity, problem.code, _LINE_REF.sub("line N", problem.message)


def introduced(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """Errors in `after` that `before` did not have (lines may have moved)."""
    old = Counter(_problem_key(p) for p in before if p.is_error)
    fresh = []
    for problem in after:
        if not problem.is_error:
            continue
        key = _problem_key(problem)
        if old[key]:
            old[key] -= 1
        else:
            fresh.append(problem)
    return fresh


def unified_diff(old: bytes, new: bytes, name: str) -> str:
    def lines(raw: bytes) -> list[str]:
        return raw.decode("utf-8-sig").splitlines(keepends=True)

    out = []
    for line in difflib.unified_diff(lines(old), lines(new), f"a/{name}", f"b/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def commit(outcome: Outcome) -> None:
    if outcome.changed:
        write_atomic(outcome.snapshot, outcome.new)
