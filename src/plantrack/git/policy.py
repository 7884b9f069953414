"""What a change to the plans may not do, as problems located in the head revision's files.

Each rule is a function from one plan's changes to problems; `check` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from plantrack.checks.config import Config, apply
from plantrack.git.diff import Change, PlanDiff, PlansDiff
from plantrack.problems import Problem, Severity, sort_key
from plantrack.read.yamlread import Marks
from plantrack.rules import declares

Locate = Callable[[Change], tuple[int, int]]
Rule = Callable[[PlanDiff, Locate], Iterable[Problem]]


def _problem(plan: PlanDiff, locate: Locate, change: Change, code: str, message: str,
             hint: str, severity: Severity = "error") -> Problem:
    line, col = locate(change)
    return Problem(plan.head_path or "", line, col, severity, code, message, hint)


@declares("change", ("hard-deadline-moved", "error", "a hard task's deadline in force moved"))
def hard_deadline_moved(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    """A hard deadline is fixed by a higher document: moved at all, earlier or later."""
    for c in plan.changes:
        if c.kind == "deadline" and c.hard:
            yield _problem(plan, locate, c, "hard-deadline-moved",
                           f"task {c.task_id}: its deadline is hard (fixed by a higher document) "
                           f"but moved from {c.old} to {c.new}",
                           "restore the deadline; only the issuing document can change it")


@declares("change", ("deadline-moved-unapproved", "error",
                    "the deadline in force moved later with no newly approved extension"))
def moved_without_extension(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    for c in plan.changes:
        if c.kind == "deadline" and c.later and not c.extended and not c.hard:
            yield _problem(plan, locate, c, "deadline-moved-unapproved",
                           f"task {c.task_id}: deadline moved later, from {c.old} to {c.new}, "
                           "with no approved extension",
                           "keep `due` and add an `extensions` entry {due, approved, ref}")


@declares("change", ("deadline-moved-earlier", "warning", "the deadline in force moved earlier"))
def moved_earlier(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    """Less time is allowed, not forbidden: the owner should hear of it."""
    for c in plan.changes:
        if (c.kind == "deadline" and not c.later and not c.hard and c.old is not None
                and c.days is not None and c.days < 0):
            yield _problem(plan, locate, c, "deadline-moved-earlier",
                           f"task {c.task_id}: deadline moved earlier, from {c.old} to {c.new}",
                           "make sure the presiding unit knows it has less time", "warning")


_REWRITTEN = {
    "due": "its original `due` (the task has extensions: record a new one instead)",
    "updates": "a progress update already reported",
    "extensions": "an approved extension",
    "completed": "its completion date",
}


@declares("change", ("history-rewritten", "error",
                    "a recorded update, extension, completion date or original due edited"))
def history_rewritten(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    """What was recorded stays recorded: updates, approved extensions, the original `due`
    under extensions and a completion date are added to, never edited or removed."""
    for c in plan.changes:
        if c.kind != "history":
            continue
        what = _REWRITTEN.get(c.field.split("[")[0].split(".")[0], "a recorded entry")
        verb = "removed" if c.new is None else "changed"
        yield _problem(plan, locate, c, "history-rewritten",
                       f"task {c.task_id}: {what} was {verb} ({c.field}: "
                       f"{c.old if c.old is not None else 'none'} -> "
                       f"{c.new if c.new is not None else 'none'})",
                       "restore it and add a new entry (an update, or an extension) instead")


@declares("change", ("owner-replaced", "error",
                    "an owner removed and its tasks moved to one other: record succession"))
def owner_removed_for_succession(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    """An owner deleted while every task it had moved to one other owner is a merger
    written as a rewrite: the record of who was in charge is lost."""
    moved: dict[str, set[str]] = {}
    for c in plan.changes:
        if c.kind == "owner" and isinstance(c.old, str) and isinstance(c.new, str):
            moved.setdefault(c.old, set()).add(c.new)
    for c in plan.changes:
        key = c.field.removeprefix("owners[").rstrip("]")
        if c.kind == "owner_removed" and len(moved.get(key, ())) == 1:
            successor = next(iter(moved[key]))
            yield _problem(plan, locate, c, "owner-replaced",
                           f"owner {key} was removed and its tasks moved to {successor}",
                           f"keep {key} and add succeeded_by: {{owner: {successor}, from: "
                           "DATE, ref: DECISION}; its tasks keep their owner")


@declares("change", ("task-deleted", "error", "a task deleted instead of cancelled"))
def task_deleted(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    if plan.state != "changed":
        return
    for c in plan.changes:
        if c.kind == "task_removed":
            yield _problem(plan, locate, c, "task-deleted",
                           f"task {c.task_id} was deleted from the plan",
                           "keep the task and set `status: cancelled` instead")


@declares("change", ("plan-deleted", "error", "a plan file deleted while it holds open tasks"))
def plan_deleted(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    """Deleting a plan's file deletes its tasks: an error while any of them is still open
    (retiring a plan whose tasks are all done or cancelled is fine). Said once per plan, at
    the file as it was, since it is gone at the head."""
    if plan.state != "removed":
        return
    open_tasks = [c for c in plan.changes
                  if c.kind == "task_removed" and c.old not in ("done", "cancelled")]
    if open_tasks:
        yield Problem(plan.base_path or "", 0, 0, "error", "plan-deleted",
                      f"plan {plan.plan_id} was deleted with {len(open_tasks)} open task(s)",
                      "keep the plan and set `status: cancelled` on its open tasks instead")


@declares("change", ("reopened-without-note", "error", "a done task reopened with no note why"))
def reopened_without_note(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    for c in plan.changes:
        if c.kind == "reopened" and not c.noted:
            yield _problem(plan, locate, c, "reopened-without-note",
                           f"task {c.task_id} was done and is now {c.new}, with no note saying why",
                           "add an `updates` entry with a `note`")


RULES: tuple[Rule, ...] = (hard_deadline_moved, moved_without_extension, moved_earlier,
                           history_rewritten, task_deleted, plan_deleted, reopened_without_note,
                           owner_removed_for_succession)


_VERB = {"added": "adds", "removed": "removes", "changed": "edits"}


def config_changed(changes: PlansDiff) -> Iterable[Problem]:
    change = changes.config
    if change is None:
        return
    moved = "; ".join(f"{name}: {old if old is not None else 'default'} -> "
                      f"{new if new is not None else 'default'}"
                      for name, old, new in change.settings) or "comments or layout only"
    yield Problem(change.head_path or change.base_path or "", 1 if change.head_path else 0,
                  1 if change.head_path else 0, "warning", "config-changed",
                  f"the change {_VERB[change.state]} .plantrack.yaml, the configuration of the "
                  f"checks ({moved})",
                  "diff --check applies the base revision's configuration; merge this "
                  "separately so that reviewers weigh it on its own")


def check(changes: PlansDiff, head_marks: Mapping[str, Marks],
          gate: Config | None = None) -> list[Problem]:
    """Every rule over every plan; positions come from the head files' marks. `gate` is the
    configuration the rules are judged by: the base revision's, never the change's own."""
    problems: list[Problem] = list(config_changed(changes))
    for plan in changes.plans:
        marks = head_marks.get(plan.head_path or "", Marks())

        def locate(change: Change, marks: Marks = marks) -> tuple[int, int]:
            if len(change.where) == 1:
                return marks.key(change.where)
            return marks.value(change.where)

        for rule in RULES:
            problems.extend(rule(plan, locate))
    if gate is not None:
        problems = apply(problems, gate, None)[0]
    return sorted(problems, key=sort_key)
