"""What every command shares: finding and loading plans, the date to judge by, printing problems.

This is the only place that reads the clock. It does not import the argument parser, so
that the fast path of `cli.main` can run a command without it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import TYPE_CHECKING, NoReturn, TextIO

from plantrack.problems import Problem, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from plantrack.checks.loader import Loaded
    from plantrack.domain.model import Plan, SourcedPlan
    from plantrack.domain.query import Filter
    from plantrack.domain.state import TaskState
    from plantrack.views.formats import Terminal

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


def as_of(text: str | None) -> AsOf:
    """The date `--as-of` names (today by the clock when None); ValueError when it names
    none, exit 2 when the clock itself is out of the format's range."""
    from plantrack.asof import parse_day, year_problem

    clock = now()
    problem = year_problem(clock.year)  # PLANTRACK_NOW can set any instant
    if problem:
        fail(f"the clock reads {clock.date().isoformat()}: {problem}")
    if text is None or text.strip().lower() == "today":
        return AsOf(None, clock)
    return AsOf(parse_day(text), clock)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    from plantrack.views.escape import terminal as one_line

    print(f"plantrack: error: {one_line(message)}", file=sys.stderr)  # may quote plan text
    raise SystemExit(code)


def print_problems(problems: list[Problem], stream: TextIO | None = None,
                   lang: str = "en") -> None:
    from plantrack.views.problems import problem_lines

    (stream or sys.stderr).write(problem_lines(problems, lang))


def terminal(stream: TextIO | None = None) -> Terminal:
    """How the terminal forms are drawn on `stream`: its width (none for a pipe or a file)
    and colour (a terminal without NO_COLOR)."""
    from plantrack.views import columns
    from plantrack.views.formats import Terminal

    out = stream or sys.stdout
    return Terminal(columns.terminal_width(out), columns.colour_enabled(out))


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


def chosen_lang(given: str | None, loaded: Loaded) -> str | None:
    """The language a view speaks: `--lang` as given, else `lang` of the `.plantrack.yaml`
    of the first plan read when the tool speaks it, else None (English labels, each plan's
    text as it shows it by default)."""
    if given is not None:
        return given
    if not loaded.plans:
        return None
    from pathlib import Path

    from plantrack.checks.config import for_file
    from plantrack.lang import LANGUAGES

    configured = for_file(Path(loaded.plans[0].path)).lang
    return configured if configured in LANGUAGES else None


def in_lang(loaded: Loaded, given: str | None) -> str:
    """Choose the view's language (`chosen_lang`) and put the plans' text in it; the
    language of the labels, "en" when none was chosen."""
    lang = chosen_lang(given, loaded)
    if lang is not None:
        from plantrack.domain.localize import localized_plans

        loaded.plans = localized_plans(loaded.plans, lang)
    return lang or "en"


def in_words(text: str, lang: str) -> str:
    """A message in `lang` when it is a `problems.Message`; any other text as it is."""
    from plantrack.problems import Message

    if lang == "en" or not isinstance(text, Message):
        return str(text)
    import datetime as dt

    from plantrack.lang import Words

    words = Words(lang)
    return text.said(words, lambda v: words.day(v) if type(v) is dt.date else v)


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


def emit(data: bytes, output: Path | None) -> None:
    """What a command made: to `output`, written atomically, else to standard output."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from plantrack.edit.output import write_output

    try:
        write_output(output, data)
    except UsageError as exc:
        fail(str(exc))


def print_tasks(items: list[TaskState], plans: dict[str, Plan], output: str, title: str,
                compact: bool = False, lang: str = "en") -> None:
    """A task list in `output`; an empty table is one line on stderr."""
    from plantrack.views import formats

    if output == "table" and not items:
        from plantrack.lang import Words

        words = Words(lang)
        print(words("%(title)s: none") % {"title": words.title(title)}, file=sys.stderr)
        return
    view = formats.TaskList(items, plans, title, compact, terminal(), lang)
    sys.stdout.write(formats.render("tasks", output, view))
