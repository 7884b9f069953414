"""The command-line options commands share, and (re-exported) what `base` gives them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from plantrack.commands.base import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    AsOf,
    as_of,
    chosen_lang,
    due_soon_days,
    emit,
    fail,
    in_lang,
    in_words,
    load_for_reading,
    load_plans,
    now,
    print_problems,
    selected,
    terminal,
)
from plantrack.views import formats

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "AsOf", "chosen_lang", "due_soon_days",
           "emit", "fail", "in_lang", "in_words",
           "load_for_reading", "load_plans", "now", "print_problems", "resolve_as_of",
           "selected", "terminal"]


def resolve_as_of(text: str | None) -> AsOf:
    try:
        return as_of(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--as-of'") from None


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


class Language(StrEnum):
    en = "en"
    vi = "vi"


LangOpt = Annotated[Language | None, typer.Option(
    "--lang", help="Language of labels, dates and state names, and of the plans' text where "
    "they have it (JSON and CSV keep their keys and ISO dates). Default: lang of "
    ".plantrack.yaml, else en.", show_default=False)]
