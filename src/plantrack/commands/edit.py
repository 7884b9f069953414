"""`plantrack update | done | cancel | extend | measure | add`: record progress in a plan file.

Each command edits one plan file in place, keeping everything it does not mean to change
byte for byte; `--dry-run` prints the diff instead of writing it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from plantrack.commands.common import EXIT_PROBLEMS, LangOpt, Language, fail, now, print_problems
from plantrack.problems import Message, UsageError, message, message_of

if TYPE_CHECKING:
    from pathlib import Path

    from plantrack.edit.session import Editing

TaskRef = Annotated[str, typer.Argument(
    help="The task as PLAN/ID: a plan id from plans/ or a plan file, e.g. hanoi-2025/HN-11.",
    show_default=False)]
DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help="Print the diff the command would write, and write nothing.")]
DateOpt = Annotated[str, typer.Option(
    "--date", help="Date of the update: 2025-06-30, 30/6/2025 or today (in the plan's "
    "timezone).")]
OnOpt = Annotated[str, typer.Option(
    "--on", help="The date: 2025-06-30, 30/6/2025 or today (in the plan's timezone).")]

Edit = Callable[["Editing", Callable[[str, str], dt.date]], str]


def _run(plan_name: str, task_id: str | None, edit: Edit, dry_run: bool,
         given: Language | None = None) -> None:
    """Open the plan under its lock, apply `edit` to task `task_id` (None: a new task), then
    print the diff or write the file. Messages are in `given` language, else in `lang` of the
    plan's `.plantrack.yaml`, else in English."""
    from plantrack.edit.session import commit, editing_plan, finish, resolve_plan
    from plantrack.views.escape import terminal

    lang = None
    try:
        path = resolve_plan(plan_name)
        lang = _lang(given, path)
        with editing_plan(path, task_id) as editing:
            summary = edit(editing, _day_reader(editing))
            outcome = finish(editing)
            if outcome.new_problems:
                print_problems(outcome.new_problems, lang=lang)
                said = message("plantrack: the edit would introduce %(count)s error(s); "
                               "%(file)s left untouched", count=len(outcome.new_problems),
                               file=terminal(outcome.snapshot.shown))
                print(_in(said, lang), file=sys.stderr)
                raise typer.Exit(EXIT_PROBLEMS)
            if dry_run:
                sys.stdout.write("".join(terminal(line) + "\n"
                                         for line in outcome.diff().splitlines()))
                return
            commit(outcome)
    except UsageError as exc:
        fail(_in(message_of(exc), lang or _lang(given)))
    print(f"{terminal(outcome.snapshot.shown)}: {terminal(_in(summary, lang))}")


def _lang(given: Language | None, path: Path | None = None) -> str:
    """`--lang` as given, else `lang` of the `.plantrack.yaml` of the plan at `path` (of
    the plans folder when there is none yet), else English."""
    if given is not None:
        return given.value
    from pathlib import Path

    from plantrack.checks.config import for_file
    from plantrack.lang import LANGUAGES

    configured = for_file(path or Path("plans") / "plan.yaml").lang
    return configured if configured in LANGUAGES else "en"


def _in(text: str, lang: str) -> str:
    """`text` in `lang` when it is a Message; anything else as it is."""
    if lang == "en":
        return str(text)
    from plantrack.lang import Words

    words = Words(lang)
    if not isinstance(text, Message):
        return str(text)
    return text.said(words, lambda v: words.day(v) if type(v) is dt.date else v)


def _day_reader(editing: Editing) -> Callable[[str, str], dt.date]:
    """Parses a date option; `today` is today in the plan's own timezone."""
    from plantrack.asof import parse_day, today_in, year_problem
    from plantrack.edit.operations import plan_timezone

    clock = now()
    problem = year_problem(clock.year)  # PLANTRACK_NOW can set any instant
    if problem:
        raise UsageError(message("the clock reads %(day)s: %(problem)s", day=clock.date(),
                                 problem=problem))
    today = today_in(plan_timezone(editing.tree), clock)

    def read(text: str, option: str) -> dt.date:
        try:
            return parse_day(text, today)
        except ValueError as exc:
            raise UsageError(message("%(option)s: %(reason)s", option=option,
                                     reason=message_of(exc))) from None

    return read


def _deadline(text: str, option: str) -> Any:
    from plantrack.asof import DateRangeError, parse_day
    from plantrack.domain.deadlines import DeadlineError, coerce_deadline, parse_deadline

    try:
        return parse_deadline(text)
    except DeadlineError as exc:
        try:  # a day-first date such as 30/9/2025
            return coerce_deadline(parse_day(text))
        except DateRangeError as out_of_range:
            raise UsageError(message("%(option)s: %(reason)s", option=option,
                                     reason=message_of(out_of_range))) from None
        except ValueError:
            raise UsageError(message("%(option)s: %(reason)s", option=option,
                                     reason=message_of(exc))) from None


def update(
    ref: TaskRef,
    progress: Annotated[int | None, typer.Option(
        "--progress", help="Percent done, 0-100.", show_default=False)] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="planned, in_progress, blocked, done or cancelled.",
        show_default=False)] = None,
    note: Annotated[str | None, typer.Option(
        "--note", help="What the report says.", show_default=False)] = None,
    date: DateOpt = "today",
    dry_run: DryRunOpt = False,
    lang: LangOpt = None,
) -> None:
    """Record a progress report: append to `updates`, set the task's progress and status.

    Example: plantrack update hanoi-2025/HN-11 --progress 40 --note "budget submitted"
    """
    from plantrack.edit import operations

    plan, task_id = _split(ref, lang)

    def edit(editing: Editing, day: Callable[[str, str], dt.date]) -> str:
        operations.record_update(editing.tree, task_id, day(date, "--date"), progress, status,
                                 note)
        return message("%(id)s: update recorded", id=task_id)

    _run(plan, task_id, edit, dry_run, lang)


def done(
    ref: TaskRef,
    on: OnOpt = "today",
    dry_run: DryRunOpt = False,
    lang: LangOpt = None,
) -> None:
    """Mark a task done on a date (default today), with an update entry.

    Example: plantrack done hanoi-2025/HN-02 --on 28/4/2025
    """
    from plantrack.edit import operations

    plan, task_id = _split(ref, lang)

    def edit(editing: Editing, day: Callable[[str, str], dt.date]) -> str:
        when = day(on, "--on")
        operations.mark_done(editing.tree, task_id, when)
        return message("%(id)s: done on %(day)s", id=task_id, day=when)

    _run(plan, task_id, edit, dry_run, lang)


def cancel(
    ref: TaskRef,
    reason: Annotated[str, typer.Option(
        "--reason", help="Why the task is cancelled (recorded as the update's note).",
        show_default=False)],
    on: OnOpt = "today",
    dry_run: DryRunOpt = False,
    lang: LangOpt = None,
) -> None:
    """Cancel a task, recording the reason in an update.

    Example: plantrack cancel hanoi-2025/HN-14 --reason "merged into HN-06"
    """
    from plantrack.edit import operations

    plan, task_id = _split(ref, lang)

    def edit(editing: Editing, day: Callable[[str, str], dt.date]) -> str:
        operations.cancel(editing.tree, task_id, day(on, "--on"), reason)
        return message("%(id)s: cancelled", id=task_id)

    _run(plan, task_id, edit, dry_run, lang)


def extend(
    ref: TaskRef,
    to: Annotated[str, typer.Option(
        "--to", help="The new deadline: 2025-09-30, 2025-09, 2025-Q3, 2025-H2, 2025 ...",
        show_default=False)],
    approved: Annotated[str, typer.Option(
        "--approved", help="Date the extension was approved.", show_default=False)],
    doc_ref: Annotated[str | None, typer.Option(
        "--ref", help="The document that approved it.", show_default=False)] = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why the deadline moved.", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Record it even on a task whose deadline is hard.")] = False,
    dry_run: DryRunOpt = False,
    lang: LangOpt = None,
) -> None:
    """Record an approved deadline change (appended to `extensions`).

    Example: plantrack extend hanoi-2025/HN-04 --to 2025-09 --approved 15/7/2025 --ref 123/UBND
    """
    from plantrack.edit import operations

    plan, task_id = _split(ref, lang)

    def edit(editing: Editing, day: Callable[[str, str], dt.date]) -> str:
        due = _deadline(to, "--to")
        operations.extend(editing.tree, task_id, due, day(approved, "--approved"), doc_ref,
                          reason, force)
        return message("%(id)s: deadline extended to %(due)s", id=task_id, due=due.text)

    _run(plan, task_id, edit, dry_run, lang)


def measure(
    ref: TaskRef,
    metric: Annotated[str, typer.Argument(
        help="The target's metric, or a unique part of it.", show_default=False)],
    value: Annotated[str, typer.Argument(
        help="The actual value: a number or a percent such as 40%.", show_default=False)],
    on: OnOpt = "today",
    dry_run: DryRunOpt = False,
    lang: LangOpt = None,
) -> None:
    """Record a target's actual value and the date it was measured.

    Example: plantrack measure hanoi-2025/HN-11 "budget" 3.2%
    """
    from plantrack.edit import operations

    plan, task_id = _split(ref, lang)

    def edit(editing: Editing, day: Callable[[str, str], dt.date]) -> str:
        operations.measure(editing.tree, task_id, metric, operations.quantity(value),
                           day(on, "--on"))
        return message("%(id)s: measured %(value)s", id=task_id, value=value)

    _run(plan, task_id, edit, dry_run, lang)


def add(
    plan: Annotated[str, typer.Argument(
        help="A plan id from plans/, or a plan file.", show_default=False)],
    title: Annotated[str, typer.Option("--title", help="The task.", show_default=False)],
    owner: Annotated[str, typer.Option(
        "--owner", help="The presiding unit: its owner key, name or an alias.",
        show_default=False)],
    due: Annotated[str, typer.Option(
        "--due", help="Deadline: 2025-09-30, 2025-09, 2025-Q3, 2025, ongoing, tbd ...",
        show_default=False)],
    coordinators: Annotated[list[str] | None, typer.Option(
        "--with", help="A coordinating unit: key, name or alias (repeatable).",
        show_default=False)] = None,
    tags: Annotated[list[str] | None, typer.Option(
        "--tag", help="A tag (repeatable).", show_default=False)] = None,
    task_id: Annotated[str | None, typer.Option(
        "--id", help="The new task's id (default: the next free one, e.g. HN-30 -> HN-31).",
        show_default=False)] = None,
    dry_run: DryRunOpt = False,
    lang: LangOpt = None,
) -> None:
    """Add a task at the end of a plan, with the next free id.

    Example: plantrack add hanoi-2025 --title "Open the data portal" --owner dost --due 2025-Q4
    """
    from plantrack.edit import operations

    if not title.strip():
        fail(_in(message("%(option)s: a task needs a title; write what is to be done",
                         option="--title"), _lang(lang)))

    def edit(editing: Editing, day: Callable[[str, str], dt.date]) -> str:
        key = _owner_key(editing, owner)
        keys = [_owner_key(editing, name) for name in coordinators or []]
        taken = editing.task_ids
        new_id = task_id or operations.next_task_id(taken)
        if new_id in taken:
            raise operations.EditError(message("the plan already has a task %(task)s",
                                               task=new_id))
        operations.add_task(editing.tree, title, key, _deadline(due, "--due"), keys,
                            tags or [], new_id)
        return message("%(id)s: added", id=new_id)

    _run(plan, None, edit, dry_run, lang)


def _owner_key(editing: Editing, wanted: str) -> str:
    """The owner key `wanted` names, read as `--owner` filters read it; as written when the
    plan cannot be read (the edit's own check then says what is wrong)."""
    from plantrack.domain.query import owner_key

    plan = editing.checked()[0]
    return wanted if plan is None else owner_key(plan, wanted)


def _split(ref: str, lang: Language | None = None) -> tuple[str, str]:
    """(plan id or file, task id) of PLAN/ID, FILE/ID, or a bare ID one plan in plans/ has."""
    from plantrack.edit.session import split_ref

    if "/" not in ref:
        return _bare(ref, lang)
    try:
        return split_ref(ref)
    except UsageError as exc:
        fail(_in(message_of(exc), _lang(lang)))


def _bare(task_id: str, lang: Language | None = None) -> tuple[str, str]:
    from plantrack.commands.common import load_plans
    from plantrack.domain.query import find_task

    loaded = load_plans([])
    found = find_task(loaded.plans, task_id)
    if isinstance(found, str):
        fail(_in(found, _lang(lang)))
    plan, task = found
    path = next(sp.path for sp in loaded.plans if sp.plan is plan)
    return path, task.id


def register(app: typer.Typer) -> None:
    for command in (update, done, cancel, extend, measure, add):
        app.command()(command)
