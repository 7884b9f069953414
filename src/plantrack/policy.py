"""What a change to the plans may not do, as problems located in the head revision's files.

Each rule is a function from one plan's changes to problems; `check` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from plantrack.diff import Change, PlanDiff, PlansDiff
from plantrack.problems import Problem, sort_key
from plantrack.yamlread import Marks

Locate = Callable[[Change], tuple[int, int]]
Rule = Callable[[PlanDiff, Locate], Iterable[Problem]]


def _problem(plan: PlanDiff, locate: Locate, change: Change, code: str, message: str,
             hint: str) -> Problem:
    line, col = locate(change)
    return Problem(plan.head_path or "", line, col, "error", code, message, hint)


def hard_deadline_moved(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    for c in plan.changes:
        if c.kind == "deadline" and c.hard:
            yield _problem(plan, locate, c, "hard-deadline-moved",
                           f"task {c.task_id}: its deadline is hard (fixed by a higher document) "
                           f"but moved from {c.old} to {c.new}",
                           "restore the deadline; only the issuing document can change it")


def moved_without_extension(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    for c in plan.changes:
        if c.kind == "deadline" and c.later and not c.extended and not c.hard:
            yield _problem(plan, locate, c, "deadline-moved-unapproved",
                           f"task {c.task_id}: deadline moved later, from {c.old} to {c.new}, "
                           "with no approved extension",
                           "keep `due` and add an `extensions` entry {due, approved, ref}")


def task_deleted(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    if plan.state != "changed":
        return
    for c in plan.changes:
        if c.kind == "task_removed":
            yield _problem(plan, locate, c, "task-deleted",
                           f"task {c.task_id} was deleted from the plan",
                           "keep the task and set `status: cancelled` instead")


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


def reopened_without_note(plan: PlanDiff, locate: Locate) -> Iterable[Problem]:
    for c in plan.changes:
        if c.kind == "reopened" and not c.noted:
            yield _problem(plan, locate, c, "reopened-without-note",
                           f"task {c.task_id} was done and is now {c.new}, with no note saying why",
                           "add an `updates` entry with a `note`")


RULES: tuple[Rule, ...] = (hard_deadline_moved, moved_without_extension, task_deleted,
                           plan_deleted, reopened_without_note)


def check(changes: PlansDiff, head_marks: Mapping[str, Marks]) -> list[Problem]:
    """Every rule over every plan; positions come from the head files' marks."""
    problems: list[Problem] = []
    for plan in changes.plans:
        marks = head_marks.get(plan.head_path or "", Marks())

        def locate(change: Change, marks: Marks = marks) -> tuple[int, int]:
            if change.where == ("tasks",):
                return marks.key(change.where)
            return marks.value(change.where)

        for rule in RULES:
            problems.extend(rule(plan, locate))
    return sorted(problems, key=sort_key)
