"""A workbook a unit sends back: what it changed in the plan's sheet of an `export --format
xlsx`, against the values the export kept in its hidden sheet.

Progress, status and notes a unit changed become updates; rows it added become new tasks;
every other difference (a title, a unit, a deadline) is listed, never written (a deadline
changes only by an approved extension). Rows that match no task are listed, not guessed.
Pure but for reading the file: the edits are made by the command, through the edit path.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plantrack.problems import Problem, UsageError
from plantrack.rules import declare

if TYPE_CHECKING:
    from plantrack.domain.model import Task

declare("import-unmatched", "warning", "file",
        "a row of a returned workbook names no task of the plan as exported: not read")
declare("import-not-written", "warning", "file",
        "a returned workbook changes what import does not write (a title, a deadline), or "
        "holds a value it cannot read")

# What `views.workbook` writes (a plan sheet's columns and the hidden sheet's), read back.
COLUMN_KEYS = ("no", "id", "title", "owner_name", "with", "deadline", "due", "state",
               "days_overdue", "progress", "status", "last_update", "note", "new_progress",
               "new_note")
HIDDEN_KEYS = ("sheet", "row", "plan", "id", "progress", "status", "note", "due", "deadline")
HIDDEN_SHEET = "_plantrack"
HEADER_ROW = 2
STATUSES = ("planned", "in_progress", "blocked", "done", "cancelled")


@dataclass
class Change:
    """An update to record: the values a unit changed, the others None."""

    task_id: str
    progress: int | None = None
    status: str | None = None
    note: str | None = None


@dataclass
class NewTask:
    title: str
    owner: str | None  # the unit's name as typed
    due: str | None  # the deadline as typed
    where: str


@dataclass
class Returned:
    changes: list[Change] = field(default_factory=list)
    new: list[NewTask] = field(default_factory=list)
    listed: list[Problem] = field(default_factory=list)  # differences not written, and why


def read_returned(path: Path, plan_id: str, titles: dict[str, str], status_words: dict[str,
                  str]) -> Returned:
    """What the unit changed in `plan_id`'s sheet of the workbook at `path`; `titles` are
    the plan's task titles by id, `status_words` map each language's word for a status to
    the status."""
    title, rows, hidden = _sheets(path, plan_id)
    exported = {str(row["id"]): row for row in hidden}
    out = Returned()
    for number, values in enumerate(rows, HEADER_ROW + 1):
        row = dict(zip(COLUMN_KEYS, values, strict=False))
        where = f"{path.name}:{title}!{number}"
        task_id = _text(row.get("id"))
        if not task_id:
            if _text(row.get("title")):
                out.new.append(NewTask(_text(row["title"]), _text(row.get("owner_name")) or None,
                                       _text(row.get("due")) or None, where))
            continue
        before = exported.get(task_id)
        if before is None or task_id not in titles:
            out.listed.append(_listed(where, "import-unmatched",
                                      f"no task {task_id!r} in the plan as exported: not read"))
            continue
        change = _change(task_id, row, before, status_words, where, out)
        if change is not None:
            out.changes.append(change)
        if _text(row.get("title")) and _text(row["title"]) != titles[task_id]:
            out.listed.append(_listed(where, "import-not-written",
                                      f"task {task_id}'s title differs from the plan's; titles "
                                      "change in the plan, not by import"))
        if _text(row.get("due")) != _text(before.get("due")):
            out.listed.append(_listed(where, "import-not-written",
                                      f"task {task_id}'s deadline differs from the export; a "
                                      "deadline changes by an approved extension: plantrack "
                                      "extend"))
    return out


def news(change: Change, task: Task) -> Change | None:
    """What of `change` the task does not say yet (None: nothing): a value equal to the
    task's progress or status, or to the note of its latest update, is left out, so a
    workbook read again, on any day, or a value someone already recorded, adds nothing."""
    dated = sorted(task.updates, key=lambda u: u.date)
    progress = task.progress if task.progress is not None else next(
        (u.progress for u in reversed(dated) if u.progress is not None), None)
    note = next((str(u.note) for u in reversed(dated) if u.note is not None), None)
    left = replace(change,
                   progress=None if change.progress == progress else change.progress,
                   status=None if change.status == task.status else change.status,
                   note=None if change.note == note else change.note)
    if left.progress is None and left.status is None and left.note is None:
        return None
    return left


def _change(task_id: str, row: dict[str, Any], before: dict[str, Any],
            status_words: dict[str, str], where: str, out: Returned) -> Change | None:
    change = Change(task_id)
    progress = _progress(row.get("new_progress"), row.get("progress"), before.get("progress"))
    if isinstance(progress, str):
        out.listed.append(_listed(where, "import-not-written", progress))
    else:
        change.progress = progress
    status = _text(row.get("status"))
    if status and status_words.get(status, status) != before.get("status"):
        wanted = status_words.get(status, status)
        if wanted in STATUSES:
            change.status = wanted
        else:
            out.listed.append(_listed(where, "import-not-written",
                                      f"{status!r} is not a status: not read"))
    note = _text(row.get("new_note")) or _text(row.get("note"))
    if note and note != _text(before.get("note")):
        change.note = note
    if change.progress is None and change.status is None and change.note is None:
        return None
    return change


def _progress(new: object, shown: object, exported: object) -> int | str | None:
    """The progress a unit set: the new-progress column, else the progress column when it
    was changed (a fraction of 1 in a percent cell); a message when neither reads."""
    if new not in (None, ""):
        value = _number(new)
        if value is None or not 0 <= value <= 100:
            return f"new progress {new!r} is not a percent from 0 to 100: not read"
        return None if value == exported else round(value)
    if shown in (None, ""):
        return None
    value = _number(shown)
    if value is None:
        return f"progress {shown!r} is not a percent: not read"
    # A percent cell holds a fraction of 1 (Excel keeps 40% as 0.4); typed text says "40%".
    value = value if isinstance(shown, str) else value * 100
    if not 0 <= value <= 100:
        return f"progress {shown!r} is not a percent from 0 to 100: not read"
    return None if round(value) == exported else round(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().rstrip("%").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _text(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _listed(where: str, code: str, message: str) -> Problem:
    return Problem(where, 0, 0, "warning", code, message)


def _sheets(path: Path, plan_id: str) -> tuple[str, list[tuple[Any, ...]], list[dict[str, Any]]]:
    """The plan's sheet (its name and the rows below its header) and the hidden sheet's rows
    for the plan, read in openpyxl's streaming mode: a few times faster on long sheets."""
    import openpyxl  # type: ignore[import-untyped]

    from plantrack.read.office import OfficeError, bounded_bytes, check_archive

    raw = bounded_bytes(path)
    check_archive(path, raw)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise OfficeError(f"{path}: the workbook cannot be read ({exc})") from None
    try:
        if HIDDEN_SHEET not in book.sheetnames:
            raise UsageError(f"{path}: not a workbook plantrack exported (it has no "
                             f"{HIDDEN_SHEET} sheet); import it as a new plan instead")
        hidden = [dict(zip(HIDDEN_KEYS, r, strict=False))
                  for r in book[HIDDEN_SHEET].iter_rows(min_row=2, values_only=True)]
        mine = [r for r in hidden if r.get("plan") == plan_id]
        if not mine:
            raise UsageError(f"{path}: the workbook holds no sheet of plan {plan_id!r}")
        name = str(mine[0]["sheet"])
        if name not in book.sheetnames:
            raise UsageError(f"{path}: the sheet {name!r} of plan {plan_id!r} was removed")
        rows = list(book[name].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    finally:
        book.close()
    return name, rows, mine
