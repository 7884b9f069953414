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
    print_problems,
)
from plantrack.problems import Problem
from plantrack.views import formats

if TYPE_CHECKING:
    from plantrack.loader import Loaded


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(problem: Problem) -> str:
    """A GitHub Actions workflow command that annotates the file and line."""
    level = "error" if problem.is_error else "warning"
    props = [f"file={_escape_property(problem.path)}"]
    if problem.line > 0:
        props += [f"line={problem.line}", f"col={problem.col}"]
    props.append(f"title={_escape_property('plantrack ' + problem.code)}")
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def problem_record(problem: Problem, waived: str | None = None) -> dict[str, object]:
    """A finding as JSON; `waived` says what `.plantrack.yaml` or a disable comment did to it:
    null, "downgraded" or "upgraded" (its severity is the one in force), or "off" or
    "silenced" (listed after the findings, with the severity its rule has by default)."""
    return {**problem._asdict(), "waived": waived}


def _records(loaded: Loaded) -> list[dict[str, object]]:
    changed = {w.problem._replace(severity="warning" if w.how == "downgraded" else "error"):
               w.how for w in loaded.waived if w.how in ("downgraded", "upgraded")}
    records = [problem_record(p, changed.get(p)) for p in loaded.problems]
    records += [problem_record(w.problem, w.how) for w in loaded.waived
                if w.how in ("off", "silenced")]
    return records


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
    if chosen == "json":
        from plantrack.views.text import json_text

        sys.stdout.write(json_text(_records(loaded)))
    elif chosen == "github":
        for problem in problems:
            print(github_line(problem))
    else:
        print_problems(problems, sys.stdout)
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
