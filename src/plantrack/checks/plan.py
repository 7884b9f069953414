"""Checks of a valid-shaped plan: each a function (plan, context) -> problems.

Adding a check means adding a function to `PLAN_CHECKS`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from plantrack.asof import DEFAULT_TIMEZONE, FIRST_DAY, zone
from plantrack.domain.model import Plan, named_task
from plantrack.domain.recurrence import RuleError, validate_rule
from plantrack.i18n import lang_problem
from plantrack.problems import Problem, Severity, message, message_of
from plantrack.read.yamlread import Marks, Path
from plantrack.rules import declares

PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TASK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PERCENT = re.compile(r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$")


@dataclass(frozen=True)
class Context:
    path: str
    marks: Marks
    damaged: frozenset[Path] = frozenset()  # invalid keys already reported and left out

    def lost(self, i: int, *keys: str) -> bool:
        """Whether any of these keys of task `i` was invalid, so a check must not judge it."""
        return any(("tasks", i, key) in self.damaged for key in keys)

    def at(self, where: Path, severity: Severity, code: str, message: str,
           hint: str | None = None, key: bool = False) -> Problem:
        line, col = self.marks.key(where) if key else self.marks.value(where)
        return Problem(self.path, line, col, severity, code, message, hint)


Check = Callable[[Plan, Context], Iterator[Problem]]


def _task_path(i: int, *rest: str | int) -> Path:
    return ("tasks", i, *rest)


@declares("plan", ("bad-id", "error", "a plan or task id outside the allowed characters"),
          ("id-mismatch", "warning", "the plan id differs from the file's name"))
def check_plan_id(plan: Plan, ctx: Context) -> Iterator[Problem]:
    if not PLAN_ID.match(plan.id):
        yield ctx.at(("id",), "error", "bad-id",
                     message("plan id %(id)s must be lowercase letters, digits and dashes",
                             id=repr(plan.id)),
                     message("for example: %(example)s", example="hanoi-2025"))
    stem = PurePath(ctx.path).stem
    if plan.id != stem and ctx.path not in ("-", "<stdin>"):
        yield ctx.at(("id",), "warning", "id-mismatch",
                     message("plan id %(id)s differs from the file name %(stem)s",
                             id=repr(plan.id), stem=repr(stem)),
                     message("rename the file to %(file)s or set id: %(stem)s",
                             file=f"{plan.id}.yaml", stem=stem))


@declares("plan", ("bad-timezone", "error", "`timezone` is not an IANA timezone"))
def check_timezone(plan: Plan, ctx: Context) -> Iterator[Problem]:
    if zone(plan.timezone) is None:
        yield ctx.at(("timezone",), "error", "bad-timezone",
                     message("%(zone)s is not an IANA timezone", zone=repr(plan.timezone)),
                     message("for example: %(example)s", example=DEFAULT_TIMEZONE))


def check_lang(plan: Plan, ctx: Context) -> Iterator[Problem]:
    problem = lang_problem(plan.lang) if plan.lang is not None else None
    if problem:
        yield ctx.at(("lang",), "error", "bad-value", problem)


def _rule_problem(rule: str, ctx: Context, where: Path, start: dt.date | None
                  ) -> Iterator[Problem]:
    """A rule breaking the format's limits, or with no occurrence from `start` (without
    one, from the first day the format allows) to the end of 2200."""
    try:
        validate_rule(rule, start or FIRST_DAY)
    except RuleError as exc:
        yield ctx.at(where, "error", "bad-rrule", message_of(exc),
                     message("for a report on the 25th: %(rule)s",
                             rule="FREQ=MONTHLY;BYMONTHDAY=25"))


@declares("plan", ("bad-rrule", "error", "`recurs` or `reporting` is not a usable RRULE"))
def check_reporting(plan: Plan, ctx: Context) -> Iterator[Problem]:
    if plan.reporting:
        yield from _rule_problem(plan.reporting, ctx, ("reporting",), plan.issued)


@declares("plan", ("duplicate-id", "error", "a task id, or a basis id, used twice in a plan"))
def check_task_ids(plan: Plan, ctx: Context) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for i, task in enumerate(plan.tasks):
        if not TASK_ID.match(task.id):
            yield ctx.at(_task_path(i, "id"), "error", "bad-id",
                         message("task id %(id)s must start with a letter or digit and hold "
                                 "only letters, digits, '.', '_' and '-'", id=repr(task.id)))
        if task.id in first:
            line = ctx.marks.value(_task_path(first[task.id], "id"))[0]
            yield ctx.at(_task_path(i, "id"), "error", "duplicate-id",
                         message("task id %(id)s is used twice (first at line %(line)s)",
                                 id=repr(task.id), line=line))
        else:
            first[task.id] = i


def _unknown_owner(plan: Plan, key: str, ctx: Context, where: Path) -> Iterator[Problem]:
    if key in plan.owners:
        return
    close = difflib.get_close_matches(key, list(plan.owners), n=1, cutoff=0.6)
    if close:
        yield ctx.at(where, "error", "unknown-owner",
                     message("owner %(key)s is not in the plan's owners (did you mean "
                             "%(close)s?)", key=repr(key), close=repr(close[0])))
        return
    yield ctx.at(where, "error", "unknown-owner",
                 message("owner %(key)s is not in the plan's owners", key=repr(key)),
                 message("add it under owners: or use one of %(keys)s",
                         keys=", ".join(sorted(plan.owners))))


@declares("plan", ("unknown-owner", "error",
                  "an owner key (task owner, `with`, successor) not among the plan's owners"))
def check_owners(plan: Plan, ctx: Context) -> Iterator[Problem]:
    for i, task in enumerate(plan.tasks):
        yield from _unknown_owner(plan, task.owner, ctx, _task_path(i, "owner"))
        for j, key in enumerate(task.coordinators):
            yield from _unknown_owner(plan, key, ctx, _task_path(i, "with", j))


@declares("plan", ("succession-cycle", "error", "owners succeed each other in a cycle"))
def check_succession(plan: Plan, ctx: Context) -> Iterator[Problem]:
    from plantrack.domain.owners import succession_cycle

    reported: set[str] = set()
    for key, owner in plan.owners.items():
        succession = owner.succeeded_by
        if succession is None:
            continue
        where: Path = ("owners", key, "succeeded_by", "owner")
        if succession.owner not in plan.owners:
            yield from _unknown_owner(plan, succession.owner, ctx, where)
            continue
        cycle = succession_cycle(plan, key)
        if cycle and not reported & set(cycle):
            reported.update(cycle)
            yield ctx.at(where, "error", "succession-cycle",
                         message("owners succeed each other in a cycle: %(cycle)s",
                                 cycle=" -> ".join([*cycle, cycle[0]])),
                         message("a succession runs one way: the merged unit succeeds the "
                                 "old ones"))


@declares("plan", ("unknown-dependency", "error", "depends_on names a task that does not exist"),
          ("dependency-cycle", "error", "tasks depend on each other in a cycle"))
def check_dependencies(plan: Plan, ctx: Context) -> Iterator[Problem]:
    """Unknown ids in this plan, and cycles; references to other plans are checked across files."""
    ids = {t.id for t in plan.tasks}
    graph: dict[str, list[str]] = {}
    for i, task in enumerate(plan.tasks):
        local: list[str] = []
        for j, ref in enumerate(task.depends_on):
            named_plan, target = named_task(ref, plan.id)
            if named_plan != plan.id:
                continue  # checked across files
            if target not in ids:
                close = difflib.get_close_matches(target, list(ids), n=1, cutoff=0.6)
                said = message(
                    "task %(id)s depends on %(ref)s, which is not a task of this plan (did "
                    "you mean %(close)s?)", id=repr(task.id), ref=repr(ref),
                    close=repr(close[0])) if close else message(
                    "task %(id)s depends on %(ref)s, which is not a task of this plan",
                    id=repr(task.id), ref=repr(ref))
                yield ctx.at(_task_path(i, "depends_on", j), "error", "unknown-dependency",
                             said)
            elif target == task.id:
                yield ctx.at(_task_path(i, "depends_on", j), "error", "dependency-cycle",
                             message("task %(id)s depends on itself", id=repr(task.id)))
            else:
                local.append(target)
        graph.setdefault(task.id, local)
    position = {t.id: i for i, t in enumerate(plan.tasks)}
    for cycle in _cycles(graph):
        path = " -> ".join([*cycle, cycle[0]])
        yield ctx.at(_task_path(position[cycle[0]], "depends_on"), "error", "dependency-cycle",
                     message("dependency cycle: %(path)s", path=path), key=True)


def _cycles(graph: dict[str, list[str]]) -> Iterator[list[str]]:
    """One cycle per strongly connected group, found without recursion."""
    colour: dict[str, int] = {}
    for root in graph:
        if colour.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(graph.get(root, [])))]
        trail = [root]
        colour[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = 2
                stack.pop()
                trail.pop()
            elif colour.get(child) == 1:
                yield trail[trail.index(child):]
            elif not colour.get(child):
                colour[child] = 1
                trail.append(child)
                stack.append((child, iter(graph.get(child, []))))


@declares("plan",
          ("completed-not-done", "error", "a `completed` date on a task that is not done"),
          ("recurring-done", "error", "a recurring duty marked done (end it in its RRULE)"),
          ("done-without-date", "error", "a done task without a `completed` date"),
          ("done-progress", "warning", "a done task whose progress is not 100"))
def check_completion(plan: Plan, ctx: Context) -> Iterator[Problem]:
    for i, task in enumerate(plan.tasks):
        if ctx.lost(i, "status", "completed"):
            continue
        if task.completed is not None and task.status != "done":
            yield ctx.at(_task_path(i, "completed"), "error", "completed-not-done",
                         message("task %(id)s has a completed date but its status is "
                                 "%(status)s", id=repr(task.id), status=repr(task.status)),
                         message("set status: done, or remove completed"), key=True)
        if task.status == "done" and task.recurs:
            yield ctx.at(_task_path(i, "status"), "error", "recurring-done",
                         message("recurring duty %(id)s cannot be done", id=repr(task.id)),
                         message("end it in its RRULE with UNTIL or COUNT"))
        elif task.status == "done" and task.completed is None:
            yield ctx.at(_task_path(i, "status"), "error", "done-without-date",
                         message("task %(id)s is done but has no completed date",
                                 id=repr(task.id)),
                         message("add completed: YYYY-MM-DD"))
        if task.status == "done" and task.progress is not None and task.progress != 100:
            yield ctx.at(_task_path(i, "progress"), "warning", "done-progress",
                         message("task %(id)s is done but its progress is %(progress)s%%",
                                 id=repr(task.id), progress=task.progress),
                         message("done implies 100: remove progress or set it to 100"))


@declares("plan",
          ("due-and-recurs", "error", "a task with both `due` and `recurs`"),
          ("missing-start", "error", "a recurring duty with no `start` and no plan `issued`"),
          ("hard-extended", "warning", "a hard deadline that extensions move"))
def check_schedule(plan: Plan, ctx: Context) -> Iterator[Problem]:
    for i, task in enumerate(plan.tasks):
        if task.recurs is None and task.due is None and not ctx.lost(i, "due", "recurs"):
            yield ctx.at(_task_path(i), "error", "missing-key",
                         message("missing required key %(key)s in task %(id)s", key="'due'",
                                 id=repr(task.id)),
                         message("write the deadline, 'ongoing' for a standing duty, or "
                                 "recurs: RRULE"))
        if task.recurs is not None:
            if task.due is not None:
                yield ctx.at(_task_path(i, "due"), "error", "due-and-recurs",
                             message("task %(id)s has both due and recurs", id=repr(task.id)),
                             message("keep one"), key=True)
            if task.start is None and plan.issued is None:
                yield ctx.at(_task_path(i, "recurs"), "error", "missing-start",
                             message("recurring duty %(id)s needs a start date",
                                     id=repr(task.id)),
                             message("add start: YYYY-MM-DD, or issued: to the plan"), key=True)
            yield from _rule_problem(task.recurs, ctx, _task_path(i, "recurs"),
                                     task.start or plan.issued)
        if task.hard and task.extensions:
            yield ctx.at(_task_path(i, "extensions"), "warning", "hard-extended",
                         message("task %(id)s has a hard deadline, yet extensions move it",
                                 id=repr(task.id)), key=True)


@declares("plan",
          ("deadline-tbd", "warning", "a task whose deadline is not yet set (`due: tbd`)"),
          ("hard-tbd", "error", "a hard task whose deadline is `tbd`: nothing fixes it"),
          ("extension-tbd", "error", "an extension to `tbd`: an extension sets a deadline"))
def check_tbd(plan: Plan, ctx: Context) -> Iterator[Problem]:
    """`due: tbd` is allowed but should not stay; a hard deadline is fixed by a higher
    document, so it cannot be unset, and an approved extension grants a deadline."""
    for i, task in enumerate(plan.tasks):
        if task.due is not None and task.due.is_tbd and not ctx.lost(i, "due"):
            if task.hard and not ctx.lost(i, "hard"):
                yield ctx.at(_task_path(i, "hard"), "error", "hard-tbd",
                             message("task %(id)s is hard (its deadline fixed by a higher "
                                     "document) but its deadline is tbd", id=repr(task.id)),
                             message("write the deadline the document fixes, or remove "
                                     "hard: true"))
            elif task.status not in ("done", "cancelled"):
                yield ctx.at(_task_path(i, "due"), "warning", "deadline-tbd",
                             message("task %(id)s has no deadline yet (due: tbd)", id=task.id),
                             message("set one when it is decided: due: YYYY-MM-DD (or "
                                     "2025-Q3, 2025, ongoing for a standing duty)"))
        for j, extension in enumerate(task.extensions):
            if extension.due.is_tbd:
                yield ctx.at(_task_path(i, "extensions", j, "due"), "error", "extension-tbd",
                             message("task %(id)s: an extension cannot move the deadline to "
                                     "tbd", id=repr(task.id)),
                             message("an extension approves a new deadline: write its date, "
                                     "or remove the entry"))


def _out_of_range(value: int | None) -> bool:
    return value is not None and not 0 <= value <= 100


def check_progress(plan: Plan, ctx: Context) -> Iterator[Problem]:
    for i, task in enumerate(plan.tasks):
        if _out_of_range(task.progress):
            yield ctx.at(_task_path(i, "progress"), "error", "out-of-range",
                         message("progress is %(value)s; it must be between 0 and 100",
                                 value=task.progress))
        for j, update in enumerate(task.updates):
            if _out_of_range(update.progress):
                yield ctx.at(_task_path(i, "updates", j, "progress"), "error", "out-of-range",
                             message("progress is %(value)s; it must be between 0 and 100",
                                     value=update.progress))


@declares("plan", ("extensions-order", "error", "extensions not listed oldest first"),
          ("updates-order", "error", "updates not listed oldest first"))
def check_order(plan: Plan, ctx: Context) -> Iterator[Problem]:
    for i, task in enumerate(plan.tasks):
        for j in range(1, len(task.extensions)):
            if task.extensions[j].approved < task.extensions[j - 1].approved:
                yield ctx.at(_task_path(i, "extensions", j, "approved"), "error",
                             "extensions-order",
                             message("extensions must be listed oldest first: %(later)s comes "
                                     "after %(earlier)s", later=task.extensions[j].approved,
                                     earlier=task.extensions[j - 1].approved))
        for j in range(1, len(task.updates)):
            if task.updates[j].date < task.updates[j - 1].date:
                yield ctx.at(_task_path(i, "updates", j, "date"), "error", "updates-order",
                             message("updates must be listed oldest first: %(later)s comes "
                                     "after %(earlier)s", later=task.updates[j].date,
                                     earlier=task.updates[j - 1].date))


@declares("plan", ("bad-quantity", "error", "a target value neither a number nor a percent"),
          ("unmeasured", "warning", "a target with an actual value but no `measured` date"))
def check_targets(plan: Plan, ctx: Context) -> Iterator[Problem]:
    for i, task in enumerate(plan.tasks):
        for j, target in enumerate(task.targets):
            quantities: list[tuple[tuple[str, ...], object]] = [
                ((key,), getattr(target, key)) for key in ("target", "actual")]
            if target.baseline is not None:
                quantities.append((("baseline", "value"), target.baseline.value))
            for keys, value in quantities:
                if isinstance(value, str) and not PERCENT.match(value):
                    yield ctx.at(_task_path(i, "targets", j, *keys), "error", "bad-quantity",
                                 message("%(key)s %(value)s must be a number or a percent "
                                         "such as 90%%", key=".".join(keys),
                                         value=repr(value)))
            if target.actual is not None and target.measured is None:
                yield ctx.at(_task_path(i, "targets", j), "warning", "unmeasured",
                             message("target %(metric)s has an actual value but no measured "
                                     "date", metric=repr(target.metric)),
                             message("add measured: YYYY-MM-DD"))


@declares("plan", ("unknown-basis", "error", "a task's basis id not among the plan's documents"))
def check_basis(plan: Plan, ctx: Context) -> Iterator[Problem]:
    ids: dict[str, int] = {}
    for k, doc in enumerate(plan.basis):
        if doc.id in ids:
            yield ctx.at(("basis", k, "id"), "error", "duplicate-id",
                         message("basis id %(id)s is used twice", id=repr(doc.id)))
        ids.setdefault(doc.id, k)
    for i, task in enumerate(plan.tasks):
        for j, ref in enumerate(task.basis):
            if ref not in ids:
                yield ctx.at(_task_path(i, "basis", j), "error", "unknown-basis",
                             message("basis %(ref)s is not among the plan's basis documents",
                                     ref=repr(ref)))


PLAN_CHECKS: list[Check] = [
    check_plan_id, check_timezone, check_reporting, check_task_ids, check_owners,
    check_lang, check_succession, check_dependencies, check_completion, check_schedule,
    check_progress, check_order, check_targets, check_basis, check_tbd,
]


def check_plan(plan: Plan, ctx: Context) -> list[Problem]:
    return [problem for check in PLAN_CHECKS for problem in check(plan, ctx)]
