"""`plantrack validate`: the schema and every check, all problems of all files in one run."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from plantrack.commands.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    PathsArg,
    load_plans,
)
from plantrack.views import formats

if TYPE_CHECKING:
    pass


def validate(
    paths: PathsArg = None,
    output: Annotated[str, formats.option(
        "problems", "text, json, github (Actions annotations), or auto: github under "
        "GitHub Actions, text elsewhere.")] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Parse every file afresh.")] = False,
) -> None:
    """Check plans against the format: schema, dates, owners, dependencies, order, RRULEs.

    Prints one line per problem, `path:line:col: error|warning [code] message`, and exits 0 when
    clean (warnings allowed unless --strict), 1 on problems, 2 when a file cannot be read.

    Example: plantrack validate plans/ --format github
    """
    loaded = load_plans(paths or [], use_cache=not no_cache, keep_plans=False)
    problems = loaded.problems
    chosen = output
    if chosen == "auto":
        chosen = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    sys.stdout.write(formats.render("problems", chosen,
                                    formats.ProblemList(problems, loaded.waived)))
    tasks = loaded.task_count
    files = len(set(loaded.files_read) | {p.path for p in problems})
    verdict = "no problems" if not problems else f"{errors} error(s), {warnings} warning(s)"
    gone = sum(1 for w in loaded.waived if w.how in ("off", "silenced"))
    if gone:
        verdict += f" ({gone} turned off or silenced by .plantrack.yaml or comments)"
    print(f"plantrack: checked {files} file(s), {tasks} task(s): {verdict}", file=sys.stderr)
    if loaded.unreadable:
        raise typer.Exit(EXIT_USAGE)
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_PROBLEMS)
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command()(validate)
