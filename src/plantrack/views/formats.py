"""The rendering registry: which renderer draws each view in each format.

A view is plain data (below); a renderer is a function of that data to text, named here as
`module:function` so that a command imports only the renderer it prints with. Every command
that prints takes its `--format` from `option(view)`: the same name for the same format in
every command (`md` is `markdown`; `text` and `table` name a view's terminal form, whichever
it has), and a format a view has no renderer for is a usage error (exit 2) listing those it
has. A new format is one line in `RENDERERS` and one function.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plantrack.checks.config import Waived
    from plantrack.domain.model import Plan
    from plantrack.domain.state import TaskState
    from plantrack.domain.summary import Summary
    from plantrack.git.diff import PlansDiff
    from plantrack.git.history import Step
    from plantrack.problems import Problem
    from plantrack.rules import Rule


@dataclass
class Terminal:
    """Where terminal forms are drawn: the width to wrap to (None: no wrapping, as in a pipe)
    and whether ANSI colour is on."""

    width: int | None = None
    colour: bool = False


@dataclass
class TaskList:
    """Tasks with their derived state (`list`, `overdue`)."""

    items: list[TaskState]
    plans: dict[str, Plan]
    title: str
    compact: bool = False
    terminal: Terminal = field(default_factory=Terminal)
    lang: str = "en"  # of the labels, dates and state names of the human formats


@dataclass
class StatusView:
    """Counts by state, plan and owner (`status`)."""

    summary: Summary
    as_of: dt.date
    plans: dict[str, Plan]
    per_plan_dates: bool = False
    terminal: Terminal = field(default_factory=Terminal)
    lang: str = "en"


@dataclass
class TaskDetail:
    """One task in full (`show`)."""

    item: TaskState
    plan: Plan
    terminal: Terminal = field(default_factory=Terminal)
    lang: str = "en"


@dataclass
class ProblemList:
    """What `validate` found, and what the configuration waived."""

    problems: list[Problem]
    waived: list[Waived] = field(default_factory=list)


@dataclass
class DiffView:
    """What changed between two revisions (`diff`)."""

    changes: PlansDiff
    problems: list[Problem] = field(default_factory=list)  # the policy's, with --check
    lang: str = "en"  # of the labels, dates and deadlines of the text and Markdown forms


@dataclass
class HistoryView:
    """A task's or a plan's changes, commit by commit (`history`)."""

    ref: str
    path: str
    steps: list[Step]
    lang: str = "en"  # of the labels, dates and deadlines of the text form


@dataclass
class RuleList:
    """The rule catalogue (`rules`)."""

    rules: list[Rule]
    terminal: Terminal = field(default_factory=Terminal)


@dataclass
class ReportView:
    """A period report (`report`)."""

    report: Any  # a `report.data.Report`: the report layer sits after the views in the flow
    lang: str
    template: Any = None  # a custom template's path, for the text formats
    particulars: Any = None  # a `report.docx.Particulars`, for the Word document


@dataclass
class ExportView:
    """Tasks as files for the office (`export`): a workbook, a spreadsheet, a calendar."""

    items: list[TaskState]
    plans: dict[str, Plan]
    as_of: dt.date
    lang: str = "en"
    delimiter: str = ","  # of the CSV: ";" for Excel with Vietnamese regional settings
    name: str | None = None  # the calendar's name


# (view, format) -> renderer; each view's formats in the order --help lists them.
RENDERERS: dict[tuple[str, str], str] = {
    ("tasks", "table"): "plantrack.views.tasklist:render_table",
    ("tasks", "json"): "plantrack.views.tasks:render_json",
    ("tasks", "csv"): "plantrack.views.tasks:render_csv",
    ("tasks", "markdown"): "plantrack.views.tasks:render_markdown",
    ("status", "table"): "plantrack.views.statustable:render_table",
    ("status", "json"): "plantrack.views.status:render_json",
    ("status", "csv"): "plantrack.views.status:render_csv",
    ("status", "markdown"): "plantrack.views.status:render_markdown",
    ("task", "table"): "plantrack.views.detail:render_table",
    ("task", "json"): "plantrack.views.detail:render_json",
    ("task", "csv"): "plantrack.views.detail:render_csv",
    ("task", "markdown"): "plantrack.views.detail:render_markdown",
    ("problems", "text"): "plantrack.views.problems:render_text",
    ("problems", "json"): "plantrack.views.problems:render_json",
    ("problems", "github"): "plantrack.views.problems:render_github",
    ("diff", "text"): "plantrack.views.diffview:render_text",
    ("diff", "markdown"): "plantrack.views.diffview:render_markdown",
    ("diff", "json"): "plantrack.views.diffview:render_json",
    ("history", "text"): "plantrack.views.diffview:render_history_text",
    ("history", "json"): "plantrack.views.diffview:render_history_json",
    ("rules", "table"): "plantrack.views.rulelist:render_table",
    ("rules", "json"): "plantrack.views.rulelist:render_json",
    ("rules", "markdown"): "plantrack.views.rulelist:render_markdown",
    ("report", "markdown"): "plantrack.report.render:render_markdown",
    ("report", "html"): "plantrack.report.render:render_html",
}
# Formats that are files, not text: their renderers return bytes.
BINARY_RENDERERS: dict[tuple[str, str], str] = {
    ("report", "docx"): "plantrack.report.docx:render_view",
    ("export", "xlsx"): "plantrack.views.exports:render_xlsx",
    ("export", "csv"): "plantrack.views.exports:render_csv",
    ("export", "ics"): "plantrack.views.exports:render_ics",
}
# Choices that are not a renderer: `auto` picks github under GitHub Actions, else text.
_CHOICES = {"problems": ("auto",)}
ALIASES = {"md": "markdown", "txt": "text", "terminal": "text"}
_TERMINAL = ("table", "text")  # the terminal form goes by either name


def formats_of(view: str) -> tuple[str, ...]:
    return (*_CHOICES.get(view, ()), *(fmt for v, fmt in RENDERERS if v == view),
            *(fmt for v, fmt in BINARY_RENDERERS if v == view))


def is_binary(view: str, fmt: str) -> bool:
    return (view, fmt) in BINARY_RENDERERS


def meant(view: str, name: str) -> str | None:
    """The format `name` means for `view`, or None when it has none."""
    formats = formats_of(view)
    wanted = ALIASES.get(name.strip().lower(), name.strip().lower())
    if wanted in _TERMINAL and wanted not in formats:
        wanted = next((f for f in _TERMINAL if f in formats), wanted)
    return wanted if wanted in formats else None


def normalise(view: str, name: str) -> str:
    """The format `name` means for `view`; a BadParameter (exit 2) when it has none."""
    wanted = meant(view, name)
    if wanted is None:
        formats = formats_of(view)
        import typer

        raise typer.BadParameter(f"{name!r} is not a format of this command; use one of: "
                                 + ", ".join(_named(f) for f in formats),
                                 param_hint="'--format'")
    return wanted


def _named(fmt: str) -> str:
    other = [alias for alias, meant in ALIASES.items() if meant == fmt and len(alias) < 4]
    return f"{fmt} ({', '.join(other)})" if other else fmt


def option(view: str, help_text: str | None = None) -> Any:
    """The `--format/-f` option of a command printing `view`."""
    formats = formats_of(view)

    import typer

    def check(value: str) -> str:
        return normalise(view, value)

    return typer.Option("--format", "-f", callback=check, metavar="[" + "|".join(formats) + "]",
                        help=help_text or "Output format: " + ", ".join(formats) + ".")


def renderer(view: str, fmt: str) -> Callable[[Any], str]:
    module, _, name = RENDERERS[(view, fmt)].partition(":")
    func: Callable[[Any], str] = getattr(importlib.import_module(module), name)
    return func


def render(view: str, fmt: str, data: Any) -> str:
    """`data`, a view of kind `view`, drawn in `fmt`."""
    return renderer(view, fmt)(data)


def render_file(view: str, fmt: str, data: Any) -> bytes:
    """`data` drawn in a binary format (`BINARY_RENDERERS`): the file's bytes."""
    module, _, name = BINARY_RENDERERS[(view, fmt)].partition(":")
    func: Callable[[Any], bytes] = getattr(importlib.import_module(module), name)
    return func(data)
