"""`plantrack show PLAN/ID`: one task in full."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from plantrack.commands.common import (
    AsOfOpt,
    LangOpt,
    PathsArg,
    TaskFormatOpt,
    fail,
    in_lang,
    in_words,
    load_for_reading,
    resolve_as_of,
    terminal,
)
from plantrack.views import formats


def show(
    ref: Annotated[str, typer.Argument(
        help="The task as PLAN/ID, e.g. hanoi-2025/HN-03, or its bare ID when no other plan "
        "has a task of that id.", show_default=False)],
    paths: PathsArg = None,
    as_of: AsOfOpt = None,
    output: TaskFormatOpt = "table",
    lang: LangOpt = None,
) -> None:
    """One task in full: fields, deadline history, updates, targets.

    Example: plantrack show hai-duong-2025/HD-03
    """
    from plantrack.domain.query import find_task
    from plantrack.domain.state import derive

    when = resolve_as_of(as_of)
    loaded, code = load_for_reading(paths or [])
    words = in_lang(loaded, lang.value if lang else None)
    found = find_task(loaded.plans, ref)
    if isinstance(found, str):
        fail(in_words(found, words))
    plan, task = found
    item = derive(plan, task, when.for_plan(plan))
    view = formats.TaskDetail(item, plan, terminal(), words)
    sys.stdout.write(formats.render("task", output, view))
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command()(show)
