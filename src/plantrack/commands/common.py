"""What every command shares: finding and loading plans, the date to judge by, printing problems.

This is the only place that reads the clock.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from plantrack.problems import Problem, UsageError
from plantrack.views import formats

if TYPE_CHECKING:
    from plantrack.checks.loader import Loaded
    from plantrack.domain.model import Plan, SourcedPlan
    from plantrack.domain.query import Filter
    from plantrack.domain.state import TaskState

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class AsOf:
    """The date to judge tasks by: one given date, or today in each plan's timezone."""

    def __init__(self, given: dt.date | None, now: dt.datetime) -> None:
        self.given = given
        self.now = now

    def for_plan(self, plan: Plan) -> dt.date:
        from plantrack.asof import today_in

        return self.given or today_in(plan.timezone, self.now)

    def label(self, plans: list[SourcedPlan]) -> dt.date:
        """One date to print in headings: the given one, or the first plan's today."""
        if self.given or not plans:
            return self.given or self.now.date()
        return self.for_plan(plans[0].plan)


def now() -> dt.datetime:
    """The clock, read once per run. PLANTRACK_NOW fixes it, for reproducible runs."""
    fixed = os.environ.get("PLANTRACK_NOW")
    if fixed:
        return dt.datetime.fromisoformat(fixed).astimezone(dt.UTC)
    return dt.datetime.now(dt.UTC)


def resolve_as_of(text: str | None) -> AsOf:
    from plantrack.asof import parse_day, year_problem

    clock = now()
    problem = year_problem(clock.year)  # PLANTRACK_NOW can set any instant
    if problem:
        fail(f"the clock reads {clock.date().isoformat()}: {problem}")
    if text is None or text.strip().lower() == "today":
        return AsOf(None, clock)
    try:
        return AsOf(parse_day(text), clock)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--as-of'") from None


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    from plantrack.views.escape import terminal as one_line

    print(f"plantrack: error: {one_line(message)}", file=sys.stderr)  # may quote plan text
    raise typer.Exit(code)


def print_problems(problems: list[Problem], stream: TextIO | None = None) -> None:
    from plantrack.views.problems import problem_lines

    (stream or sys.stderr).write(problem_lines(problems))


def terminal(stream: TextIO | None = None) -> formats.Terminal:
    """How the terminal forms are drawn on `stream`: its width (none for a pipe or a file)
    and colour (a terminal without NO_COLOR)."""
    from plantrack.views import columns

    out = stream or sys.stdout
    return formats.Terminal(columns.terminal_width(out), columns.colour_enabled(out))


def selected(items: list[TaskState], plans: list[SourcedPlan], flt: Filter) -> list[TaskState]:
    """The items the filter keeps; a filter naming an unknown owner or plan is exit 2."""
    from plantrack.domain.query import select

    try:
        return select(items, plans, flt)
    except UsageError as exc:
        fail(str(exc))


def load_plans(paths: list[str], use_cache: bool = True, keep_plans: bool = True) -> Loaded:
    """Find and load plans; a missing path or folder is a usage error (exit 2)."""
    from plantrack.checks.loader import load
    from plantrack.read.discover import plan_files

    try:
        files = plan_files(paths)
    except UsageError as exc:
        fail(str(exc))
    return load(files, use_cache=use_cache, keep_plans=keep_plans)


def load_for_reading(paths: list[str]) -> tuple[Loaded, int]:
    """Load plans for a read-only view: problems go to stderr, plans with errors are left out.

    Returns the loaded plans and the exit code the command ends with (1 when any plan had
    errors, 2 when a file could not be read).
    """
    loaded = load_plans(paths)
    errors = [p for p in loaded.problems if p.is_error]
    if errors:
        print_problems(errors)
        bad = loaded.files_with_errors()
        loaded.plans = [sp for sp in loaded.plans if sp.path not in bad]
        print(f"plantrack: {len(bad)} file(s) with errors left out; run plantrack validate",
              file=sys.stderr)
    code = EXIT_USAGE if loaded.unreadable else EXIT_PROBLEMS if errors else EXIT_OK
    return loaded, code


PathsArg = Annotated[list[str] | None, typer.Argument(
    help="Plan files or folders (default: plans/).", show_default=False)]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Judge as of this date: 2025-06-30, 30/6/2025 or today "
    "(default: today in each plan's timezone).", show_default=False)]
TasksFormatOpt = Annotated[str, formats.option("tasks")]
StatusFormatOpt = Annotated[str, formats.option("status")]
TaskFormatOpt = Annotated[str, formats.option("task")]
OwnerOpt = Annotated[list[str] | None, typer.Option(
    "--owner", help="Only tasks of this owner (key, name or alias; repeatable).",
    show_default=False)]
PlanOpt = Annotated[list[str] | None, typer.Option(
    "--plan", help="Only this plan id (repeatable).", show_default=False)]
DueSoonOpt = Annotated[int | None, typer.Option(
    "--due-soon-days", min=0, help="A task is due soon when its deadline is this many days "
    "away or fewer (default: `due_soon_days` of .plantrack.yaml, else 14).",
    show_default=False)]


def due_soon_days(given: int | None, loaded: Loaded) -> int:
    """The option as given, else the repository's default in `.plantrack.yaml` (that of the
    first plan read), else the format's 14 days."""
    from pathlib import Path

    from plantrack.checks.config import for_file
    from plantrack.domain.state import DUE_SOON_DAYS

    if given is not None:
        return given
    first = loaded.plans[0].path if loaded.plans else None
    configured = for_file(Path(first)).due_soon_days if first else None
    return DUE_SOON_DAYS if configured is None else configured
