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
    LangOpt,
    PathsArg,
    load_plans,
)
from plantrack.views import formats

if TYPE_CHECKING:
    from plantrack.lang import Words


def validate(
    paths: PathsArg = None,
    output: Annotated[str, formats.option(
        "problems", "text, json, github (Actions annotations), or auto: github under "
        "GitHub Actions, text elsewhere.")] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Parse every file afresh.")] = False,
    lang: LangOpt = None,
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
    tasks = loaded.task_count
    files = len(set(loaded.files_read) | {p.path for p in problems})
    gone = sum(1 for w in loaded.waived if w.how in ("off", "silenced"))
    words = _words(lang.value if lang else None, [*loaded.files_read, *(p.path for p in problems)])
    if chosen == "text" and words is not None:
        from plantrack.views.problems import problem_lines

        sys.stdout.write(problem_lines(problems, words.lang))
    else:
        sys.stdout.write(formats.render("problems", chosen,
                                        formats.ProblemList(problems, loaded.waived)))
    if words is None:
        verdict = "no problems" if not problems else f"{errors} error(s), {warnings} warning(s)"
        if gone:
            verdict += f" ({gone} turned off or silenced by .plantrack.yaml or comments)"
        print(f"plantrack: checked {files} file(s), {tasks} task(s): {verdict}",
              file=sys.stderr)
    else:
        verdict = words("no problems") if not problems else words(
            "%(errors)s error(s), %(warnings)s warning(s)") % {"errors": errors,
                                                             "warnings": warnings}
        if gone:
            verdict += words(" (%(gone)s turned off or silenced by .plantrack.yaml or "
                             "comments)") % {"gone": gone}
        print(words("plantrack: checked %(files)s file(s), %(tasks)s task(s): %(verdict)s")
              % {"files": files, "tasks": tasks, "verdict": verdict}, file=sys.stderr)
    if loaded.unreadable:
        raise typer.Exit(EXIT_USAGE)
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_PROBLEMS)
    raise typer.Exit(EXIT_OK)


def _words(given: str | None, paths: list[str]) -> Words | None:
    """The words of the language to speak: `--lang` as given, else `lang` of the
    `.plantrack.yaml` of the first file read; None for English (today's text as it is)."""
    from pathlib import Path

    from plantrack.checks.config import for_file
    from plantrack.lang import LANGUAGES, Words

    lang = given
    if lang is None and paths:
        configured = for_file(Path(paths[0])).lang
        lang = configured if configured in LANGUAGES else None
    return Words(lang) if lang not in (None, "en") else None


def register(app: typer.Typer) -> None:
    app.command()(validate)
