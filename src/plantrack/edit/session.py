"""One edit from start to finish: lock and read the file, apply, check, diff, write."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plantrack.edit.atomic import Snapshot, plan_lock, read_snapshot, write_atomic
from plantrack.edit.excerpt import Excerpt, ExcerptError
from plantrack.edit.roundtrip import RoundTrip, SpliceError
from plantrack.problems import Problem, UsageError, message

if TYPE_CHECKING:
    from plantrack.domain.model import Plan
    from plantrack.read.yamlread import Document

_LINE_REF = re.compile(r"\bline \d+\b")


@dataclass
class Editing:
    """A plan open for one edit: its bytes, what the fast reader saw, and the round-trip
    tree of the excerpt (or of the whole file when it cannot be cut by lines)."""

    snapshot: Snapshot
    roundtrip: RoundTrip
    doc: Document  # the fast reader's data and positions of the whole file
    excerpt: Excerpt | None = None
    _checked: tuple[Plan | None, list[Problem]] | None = None

    @property
    def tree(self) -> Any:
        return self.roundtrip.tree

    @property
    def task_ids(self) -> list[str]:
        """Every task id of the plan (the excerpt's tree holds only some of the tasks)."""
        tasks = self.doc.data.get("tasks")
        return [str(t.get("id")) for t in tasks if isinstance(t, dict)] \
            if isinstance(tasks, list) else []

    def checked(self) -> tuple[Plan | None, list[Problem]]:
        """The plan as read, validated and checked (only when an edit needs it)."""
        if self._checked is None:
            from plantrack.checks.loader import check_document

            self._checked = check_document(self.doc)
        return self._checked


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
    raise UsageError(message("no plan %(plan)s in %(folder)s/ (plans: %(known)s)",
                             plan=repr(name), folder=folder, known=known))


@contextlib.contextmanager
def editing_plan(path: Path, task_id: str | None) -> Iterator[Editing]:
    """The plan open for an edit of task `task_id` (None: a task to be added), with the
    plan's lock held until the block ends, so that reading and writing are one step."""
    with plan_lock(path):
        yield open_plan(path, task_id)


def open_plan(path: Path, task_id: str | None = None, whole: bool = False) -> Editing:
    """Read the plan once with the fast reader; round-trip only the excerpt the edit needs
    (`whole`: the whole file, as for a plan that cannot be cut by lines)."""
    snapshot, doc = read_plan(path)
    targets = [] if task_id is None else [_task_index(doc, task_id)]
    return open_tasks(path, snapshot, doc, targets, whole)


def read_plan(path: Path) -> tuple[Snapshot, Document]:
    """The plan's bytes and what the fast reader makes of them; UsageError when it cannot
    read them as YAML at all."""
    from plantrack.read.yamlread import read_yaml

    snapshot = read_snapshot(path)
    doc = read_yaml(snapshot.raw, snapshot.shown)
    if doc.data is None:
        first = doc.problems[0] if doc.problems else None
        where = f":{first.line}:{first.col}" if first else ""
        reason = f" ({first.message})" if first else ""
        raise UsageError(f"{path}{where}: cannot read the plan{reason}; run plantrack "
                         "validate")
    return snapshot, doc


def open_tasks(path: Path, snapshot: Snapshot, doc: Document, targets: Collection[int],
               whole: bool = False, checked: tuple[Plan | None, list[Problem]] | None = None
               ) -> Editing:
    """The plan read as `read_plan` read it, open for an edit of the tasks at the indexes
    `targets` (and of tasks to be added): only they, and the tasks that show the file's
    layout, are round-tripped. `checked`: what checking `doc` gave, when already known."""
    excerpt = None if whole else _excerpt(snapshot.raw, doc, targets)
    roundtrip = _roundtrip(path, excerpt.raw if excerpt else snapshot.raw)
    if not hasattr(roundtrip.tree, "get"):
        raise UsageError(f"{path}: not a plan (a YAML mapping); run plantrack validate")
    return Editing(snapshot, roundtrip, doc, excerpt, checked)


def task_indexes(doc: Document, task_ids: Collection[str]) -> list[int]:
    """The indexes in the plan's task list of the tasks with these ids (the first of each)."""
    tasks = doc.data.get("tasks")
    if not isinstance(tasks, list):
        return []
    wanted, found = set(task_ids), {}
    for index, task in enumerate(tasks):
        task_id = str(task.get("id")) if isinstance(task, dict) else ""
        if task_id in wanted and task_id not in found:
            found[task_id] = index
    return sorted(found.values())


def _task_index(doc: Document, task_id: str) -> int:
    from plantrack.edit.operations import EditError, missing_task

    tasks = doc.data.get("tasks")
    if not isinstance(tasks, list):
        raise EditError("the plan has no list of tasks to edit; run plantrack validate")
    ids = [str(t.get("id")) if isinstance(t, dict) else "" for t in tasks]
    matches = [i for i, found in enumerate(ids) if found == task_id]
    if not matches:
        raise missing_task(ids, task_id, doc.data.get("id"))
    return matches[0]


def _excerpt(raw: bytes, doc: Document, targets: Collection[int]) -> Excerpt | None:
    """The excerpt for the edit, or None when the whole file must be round-tripped."""
    from plantrack.edit.excerpt import ExcerptError, choose_tasks, cut, dash_column, task_spans
    from plantrack.edit.roundtrip import Text

    whole = Text.from_bytes(raw)
    try:
        spans = task_spans(doc.data, doc.marks, whole)
    except (ExcerptError, KeyError, IndexError):
        return None
    chosen = choose_tasks(doc.data, targets)
    if len(chosen) == len(spans):
        return None  # a small plan: the excerpt would be the whole file
    return cut(whole, spans, chosen, dash_column(whole, spans))


def _roundtrip(path: Path, raw: bytes) -> RoundTrip:
    try:
        return RoundTrip(raw)
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the file is not UTF-8 text; run plantrack validate") from None
    except Exception as exc:  # ruamel raises many kinds for a malformed file
        raise UsageError(f"{path}: cannot read the YAML ({' '.join(str(exc).split())}); "
                         "run plantrack validate") from None


def finish(editing: Editing) -> Outcome:
    """The edited bytes, with the errors the edit would introduce (empty when it is safe)."""
    from plantrack.checks.loader import parse_and_check

    shown = editing.snapshot.shown
    try:
        rendered = editing.roundtrip.render()
        _confirm_faithful(editing, rendered)
        new = editing.excerpt.merge(rendered) if editing.excerpt else rendered
    except (SpliceError, ExcerptError) as exc:
        raise UsageError(f"{shown}: {exc}; nothing written") from None
    except UsageError:
        raise
    except Exception as exc:  # ruamel cannot write or re-read what it made
        raise UsageError(f"{shown}: the edit could not be written ({' '.join(str(exc).split())})"
                         "; nothing written") from None
    expected, clean = _expected(editing, rendered)
    if clean and expected is not None and editing.excerpt is not None \
            and editing.excerpt.confined():
        # The splice cannot have changed how the other tasks read: check the expected data
        # (positions are the old file's; an error sends the edit to the whole read below,
        # which locates it in the new file).
        from plantrack.checks.loader import check_document
        from plantrack.read.yamlread import Document

        doc = Document(expected, editing.doc.marks, [], set(), shown)
        if not any(p.is_error for p in check_document(doc)[1]):
            return Outcome(editing.snapshot, new, [])
    # The plan had problems, or the edit may add some: read the whole new file, so that
    # every problem is located in it.
    _, after, new_doc = parse_and_check(new, shown)
    if editing.excerpt is not None and new_doc.data != expected:
        raise UsageError(f"{shown}: the edit could not be placed into the file without "
                         "changing other parts of it; nothing written")
    if not any(p.is_error for p in after):
        return Outcome(editing.snapshot, new, [])
    return Outcome(editing.snapshot, new, introduced(editing.checked()[1], after))


def _expected(editing: Editing, rendered: bytes) -> tuple[dict[str, Any] | None, bool]:
    """What the whole new plan must read as (the old data with the excerpt's tasks as the
    edited excerpt reads), and whether both the plan and the edited excerpt read without
    problems (the condition for checking the edit from this instead of the new file)."""
    from plantrack.read.yamlread import read_yaml

    if editing.excerpt is None:
        return None, False
    edited = read_yaml(rendered, editing.snapshot.shown)
    clean = not editing.doc.problems and not edited.problems
    return editing.excerpt.compose(editing.doc.data, edited.data), clean


def _confirm_faithful(editing: Editing, new: bytes) -> None:
    """The written text must read back as exactly the edited tree: by the fast reader, the
    one every command reads plans with, and by ruamel only when the two disagree (ruamel's
    pure-Python re-read of a 10,000-task plan takes seconds)."""
    from plantrack.edit.roundtrip import Text
    from plantrack.read.yamlread import read_yaml

    wanted = _plain(editing.tree)
    fast = read_yaml(new, editing.snapshot.shown)
    if not fast.problems and fast.data == wanted:
        return
    reread = editing.roundtrip.load_text(Text.from_bytes(new).plain())
    if _plain(reread) != wanted:
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


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")
_CONTEXT = 3


def unified_diff(old: bytes, new: bytes, name: str) -> str:
    """The edit as a unified diff. Only the span between the first and the last changed line
    is compared (an edit changes a few lines of a plan of thousands)."""
    from plantrack.edit.linediff import unified

    def lines(raw: bytes) -> list[str]:
        return raw.decode("utf-8-sig").splitlines(keepends=True)

    before, after = lines(old), lines(new)
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while (end < min(len(before), len(after)) - start
           and before[-1 - end] == after[-1 - end]):
        end += 1
    first = max(start - _CONTEXT, 0)
    keep = max(end - _CONTEXT, 0)
    out = []
    for line in unified(before[first:len(before) - keep], after[first:len(after) - keep],
                        f"a/{name}", f"b/{name}", n=_CONTEXT):
        if first and line.startswith("@@"):
            line = _HUNK.sub(lambda m: f"@@ -{int(m[1]) + first}{m[2] or ''} "
                             f"+{int(m[3]) + first}{m[4] or ''} @@", line)
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def commit(outcome: Outcome) -> None:
    if outcome.changed:
        write_atomic(outcome.snapshot, outcome.new)
