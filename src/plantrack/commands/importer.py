"""`plantrack import`: a new plan out of the appendix table of a Word, Excel or CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plantrack.commands.common import EXIT_OK, EXIT_PROBLEMS, fail, now, print_problems
from plantrack.problems import UsageError

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from plantrack.domain.deadlines import Deadline
    from plantrack.domain.model import Plan
    from plantrack.edit.atomic import Snapshot
    from plantrack.edit.session import Editing, Outcome
    from plantrack.problems import Problem
    from plantrack.read.office import Table
    from plantrack.read.returned import Change, Returned
    from plantrack.read.yamlread import Document


def import_plan(
    source: Annotated[Path, typer.Argument(
        help="The document: .docx, .xlsx or .csv (.doc and .xls with LibreOffice).",
        show_default=False, dir_okay=False)],
    plan: Annotated[str | None, typer.Option(
        "--plan", help="The new plan's id, such as hanoi-2025.", show_default=False)] = None,
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
        "--dry-run", help="Print the plan (with --into: the diff) instead of writing it.")
    ] = False,
    into: Annotated[Path | None, typer.Option(
        "--into", help="A plan file: read back the workbook `export --format xlsx` made of "
        "it, recording each row whose progress, status or note a unit changed as an update "
        "and adding new rows as tasks.", show_default=False, dir_okay=False)] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="With --into: the date of the updates (default: today).",
        show_default=False)] = None,
) -> None:
    """A new plan from an appendix table: STT, task, presiding and coordinating units,
    deadline phrase ("Quý III/2025"), product. Cells it cannot read are reported where
    they are (exit 1) and never guessed: a deadline it cannot read becomes due: tbd.

    Example: plantrack import phu-luc.docx --plan hai-duong-2025 --issued 19/2/2025
    """
    from plantrack.asof import parse_day
    from plantrack.read.appendix import HEADERS, find_header, read_appendix
    from plantrack.read.office import read_tables

    if into is not None:
        raise typer.Exit(merge_back(source, into, date, dry_run))
    if plan is None:
        fail("give --plan ID for a new plan, or --into PLAN.yaml for a workbook sent back")
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
    if not imported.plan["tasks"]:
        print(f"plantrack: {source}: no task to import; nothing written", file=sys.stderr)
        raise typer.Exit(EXIT_PROBLEMS)
    if dry_run:
        sys.stdout.write(text)
        raise typer.Exit(code)
    target = output or Path("plans") / f"{plan}.yaml"
    from plantrack.edit.output import create_file

    try:
        if output is None:  # the first plan of a new repository: its plans/ comes with it
            _make_folder(target.parent)
        create_file(target, text.encode("utf-8"))
    except UsageError as exc:
        fail(str(exc))
    tasks = len(imported.plan["tasks"])
    print(f"plantrack: wrote {target}: {tasks} task(s), {len(imported.plan['owners'])} "
          f"owner(s)", file=sys.stderr)
    raise typer.Exit(code)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot make the folder: {exc.strerror or exc}") from None


def merge_back(source: Path, into: Path, date: str | None, dry_run: bool) -> int:
    """Record what a unit changed in the workbook exported from the plan `into`, through the
    locked, byte-preserving edit path; the exit code."""
    from plantrack.asof import parse_day
    from plantrack.checks.loader import check_document
    from plantrack.edit.atomic import plan_lock
    from plantrack.edit.session import Outcome, commit, read_plan
    from plantrack.lang import LANGUAGES, Words
    from plantrack.read.returned import read_returned
    from plantrack.views.escape import terminal

    try:
        day = parse_day(date) if date else now().date()
    except ValueError as exc:
        fail(f"--date: {exc}")
    words = {Words(lang).status(s): s for lang in LANGUAGES
             for s in ("planned", "in_progress", "blocked", "done", "cancelled")}
    try:
        with plan_lock(into):
            snapshot, doc = read_plan(into)
            plan, problems = check_document(doc)
            if plan is None:
                fail(f"{into}: the plan has errors; run plantrack validate")
            returned = read_returned(source, plan.id, {t.id: str(t.title) for t in plan.tasks},
                                     words)
            changes, rows = _to_record(plan, returned), _to_add(plan, returned)
            # Only the tasks a unit changed are round-tripped; nothing at all when none.
            outcome = Outcome(snapshot, snapshot.raw, []) if not changes and not rows else \
                _write(into, snapshot, doc, (plan, problems), changes, rows, day)
            if outcome.new_problems:
                print_problems(outcome.new_problems)
                fail(f"the changes would introduce {len(outcome.new_problems)} error(s); "
                     f"{into} left untouched", EXIT_PROBLEMS)
            if returned.listed:
                print_problems(returned.listed)
            if dry_run:
                sys.stdout.write("".join(terminal(line) + "\n"
                                         for line in outcome.diff().splitlines()))
                return EXIT_OK
            commit(outcome)
    except UsageError as exc:
        fail(str(exc))
    print(f"plantrack: {terminal(str(into))}: {len(changes)} update(s) recorded, "
          f"{len(rows)} task(s) added, {len(returned.listed)} difference(s) listed, not "
          "written", file=sys.stderr)
    return EXIT_OK


def _to_record(plan: Plan, returned: Returned) -> list[Change]:
    """The changes not recorded yet: the same workbook read twice records nothing twice."""
    from plantrack.read.returned import news

    tasks = {t.id: t for t in plan.tasks}
    found = (news(change, tasks[change.task_id]) for change in returned.changes)
    return [change for change in found if change is not None]


def _to_add(plan: Plan, returned: Returned) -> list[tuple[str, str, Deadline]]:
    """The new rows to add as tasks (title, owner key, deadline); a row that cannot be added
    is listed."""
    from plantrack.domain.deadlines import DeadlineError, parse_deadline
    from plantrack.domain.query import owner_key
    from plantrack.phrases import PhraseError, read_deadline
    from plantrack.problems import Problem
    from plantrack.textmatch import fold

    titles = {fold(str(t.title)) for t in plan.tasks}
    out = []
    for row in returned.new:
        if fold(row.title) in titles:
            continue  # added by an earlier import of this workbook, or already planned
        try:
            owner = owner_key(plan, row.owner or "")
            reading = read_deadline(row.due) if row.due else None
            due = parse_deadline(reading.due if reading and reading.due else "tbd")
        except (UsageError, PhraseError, DeadlineError) as exc:
            returned.listed.append(Problem(row.where, 0, 0, "warning", "import-not-written",
                                           f"the new row {row.title!r} is not added: {exc}"))
            continue
        titles.add(fold(row.title))
        out.append((row.title, owner, due))
    return out


def _write(into: Path, snapshot: Snapshot, doc: Document,
           checked: tuple[Plan | None, list[Problem]], changes: list[Change],
           rows: list[tuple[str, str, Deadline]], day: dt.date) -> Outcome:
    """The plan with the changes recorded and the rows added, checked, not yet written."""
    from plantrack.edit import operations
    from plantrack.edit.session import finish, open_tasks, task_indexes

    editing = open_tasks(into, snapshot, doc, task_indexes(doc, {c.task_id for c in changes}),
                         checked=checked)
    found = operations.task_nodes(editing.tree)
    for change in changes:
        operations.record_update(editing.tree, change.task_id, day, change.progress,
                                 change.status, change.note, found.get(change.task_id))
    for title, owner, due in rows:
        operations.add_task(editing.tree, title, owner, due, [], [],
                            operations.next_task_id(editing.task_ids + _new_ids(editing)))
    return finish(editing)


def _new_ids(editing: Editing) -> list[str]:
    tasks = editing.tree.get("tasks") or []
    return [str(t.get("id")) for t in tasks if hasattr(t, "get")]


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
    if not any(cell.text.strip() for t in tables for row in t.rows for cell in row):
        fail(f"{source}: the document has no table" + (" with any text" if tables else ""))
    _refuse_legacy_text(source, tables)
    fail(f"{source}: no table has a header naming the task column (such as 'Nội dung nhiệm "
         "vụ'); pick one with --table or --sheet and name its columns with --map")


def _refuse_legacy_text(source: Path, tables: list[Table]) -> None:
    """A header not found because the document is typed in TCVN3 or VNI: say so."""
    from plantrack.read.appendix import CONVERT, legacy_encoding

    for table in tables:
        for row in table.rows[:12]:
            for cell in row:
                encoding = legacy_encoding(cell.text)
                if encoding is not None:
                    fail(f"{cell.where}: the text {cell.text[:40]!r} looks typed in {encoding}, "
                         f"not Unicode, so no header can be read; {CONVERT}")


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
