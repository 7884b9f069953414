"""`plantrack import`: a new plan out of the appendix table of a Word, Excel or CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plantrack.commands.common import EXIT_OK, EXIT_PROBLEMS, fail, now, print_problems
from plantrack.problems import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from plantrack.read.office import Table


def import_plan(
    source: Annotated[Path, typer.Argument(
        help="The document: .docx, .xlsx or .csv (.doc and .xls with LibreOffice).",
        show_default=False, dir_okay=False)],
    plan: Annotated[str, typer.Option(
        "--plan", help="The new plan's id, such as hanoi-2025.", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The plan file to write (default: plans/ID.yaml); an existing "
        "file is never overwritten.", show_default=False, dir_okay=False)] = None,
    id_prefix: Annotated[str, typer.Option(
        "--id-prefix", help="Task ids are this and the row's number: T-1, T-1.2, T-I.1, "
        "T-1.a.")] = "T-",
    title: Annotated[str | None, typer.Option(
        "--title", help="The plan's title (default: the title row above the table).",
        show_default=False)] = None,
    issued: Annotated[str | None, typer.Option(
        "--issued", help="The plan's date (default: the document's date line, when it has "
        "one).", show_default=False)] = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", help="The workbook's sheet holding the table.", show_default=False)] = None,
    table: Annotated[int | None, typer.Option(
        "--table", min=1, help="The document's table, counting from 1.",
        show_default=False)] = None,
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", help="COLUMN=key: read the column (its header, number or letter) as key: "
        "stt, title, owner, with, due, product or note (repeatable).",
        show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the plan instead of writing it.")] = False,
) -> None:
    """A new plan from an appendix table: STT, task, presiding and coordinating units,
    deadline phrase ("Quý III/2025"), product. Cells it cannot read are reported where
    they are (exit 1) and never guessed: a deadline it cannot read becomes due: tbd.

    Example: plantrack import phu-luc.docx --plan hai-duong-2025 --issued 19/2/2025
    """
    from plantrack.asof import parse_day
    from plantrack.read.appendix import HEADERS, find_header, read_appendix
    from plantrack.read.office import read_tables

    overrides = _overrides(mapping or [], tuple(HEADERS))
    if not _plan_id_ok(plan):
        fail(f"--plan {plan!r}: a plan id is lowercase letters, digits and dashes, such as "
             "hanoi-2025")
    try:
        day = parse_day(issued) if issued else None
        tables = read_tables(source)
    except ValueError as exc:
        fail(f"--issued: {exc}")
    except UsageError as exc:
        fail(str(exc))
    chosen = _choose(source, tables, sheet, table, lambda t: find_header(t, overrides))
    try:
        imported = read_appendix(chosen, plan, prefix=id_prefix, title=title, issued=day,
                                 overrides=overrides)
    except ValueError as exc:
        fail(f"{source}: {exc}")
    text = _plan_text(imported.plan, source)
    if imported.problems:
        print_problems(imported.problems)
    code = EXIT_PROBLEMS if any(p.is_error for p in imported.problems) else EXIT_OK
    if dry_run:
        sys.stdout.write(text)
        raise typer.Exit(code)
    target = output or Path("plans") / f"{plan}.yaml"
    from plantrack.edit.output import create_file

    try:
        create_file(target, text.encode("utf-8"))
    except UsageError as exc:
        fail(str(exc))
    tasks = len(imported.plan["tasks"])
    print(f"plantrack: wrote {target}: {tasks} task(s), {len(imported.plan['owners'])} "
          f"owner(s)", file=sys.stderr)
    raise typer.Exit(code)


def _overrides(given: list[str], keys: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in given:
        column, sep, key = item.partition("=")
        if not sep or not column.strip() or key.strip() not in keys:
            fail(f"--map {item!r}: write COLUMN=key, key one of {', '.join(keys)}")
        out[column.strip()] = key.strip()
    return out


def _plan_id_ok(plan: str) -> bool:
    import re

    return re.fullmatch(r"[a-z0-9][a-z0-9-]*", plan) is not None


def _choose(source: Path, tables: list[Table], sheet: str | None, number: int | None,
            has_header: Callable[[Table], object]) -> Table:
    """The table to read: the one named by --sheet or --table, else the first whose header
    names the task column."""
    if sheet is not None:
        named = [t for t in tables if t.name == sheet]
        if not named:
            fail(f"{source}: no sheet {sheet!r}; it has " + ", ".join(
                repr(t.name) for t in tables))
        return named[0]
    if number is not None:
        if number > len(tables):
            fail(f"{source}: --table {number}, but the document has {len(tables)} table(s)")
        return tables[number - 1]
    for candidate in tables:
        if has_header(candidate) is not None:
            return candidate
    if not tables:
        fail(f"{source}: the document has no table")
    fail(f"{source}: no table has a header naming the task column (such as 'Nội dung nhiệm "
         "vụ'); pick one with --table or --sheet and name its columns with --map")


def _plan_text(plan: dict[str, object], source: Path) -> str:
    """The new plan file; it is checked as any plan is before it is written."""
    from plantrack.checks.loader import parse_and_check
    from plantrack.edit.newplan import imported_header, plan_yaml

    text = plan_yaml(plan, imported_header(source.name, now().date()))
    _, problems, _ = parse_and_check(text.encode("utf-8"), f"{plan['id']}.yaml")
    errors = [p for p in problems if p.is_error]
    if errors:
        print_problems(errors)
        fail("the imported plan does not validate; this is a bug in plantrack: please "
             "report it with the document")
    return text


def register(app: typer.Typer) -> None:
    app.command("import")(import_plan)
