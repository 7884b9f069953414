"""`plantrack report`: the weekly or monthly report, in Markdown or self-contained HTML."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from plantrack.commands.common import (
    AsOfOpt,
    DueSoonOpt,
    LangOpt,
    PathsArg,
    emit,
    fail,
    in_lang,
    load_for_reading,
    resolve_as_of,
)
from plantrack.commands.common import (
    due_soon_days as due_soon,
)
from plantrack.problems import UsageError
from plantrack.views import formats

if TYPE_CHECKING:
    from plantrack.checks.loader import Loaded
    from plantrack.report.data import NoteSection


class ReportPeriod(StrEnum):
    week = "week"
    month = "month"
    quarter = "quarter"
    half = "half"
    year = "year"


def report(
    paths: PathsArg = None,
    output_format: Annotated[str, formats.option(
        "report", "md (or markdown): GitHub Markdown; html: one self-contained page; docx: "
        "a Word document in the layout of Decree 30/2020, to sign (with -o FILE).")
    ] = "markdown",
    period: Annotated[ReportPeriod, typer.Option(
        "--period", help="The period the report covers and looks ahead to.")
    ] = ReportPeriod.week,
    cutoff_day: Annotated[int | None, typer.Option(
        "--cutoff-day", help="Periods close on this day (1 to 28) of their last month "
        "(Decree 09/2019: 14); the report then covers the latest period closed by --as-of. "
        "Not with --period week. Default: cutoff_day of .plantrack.yaml, else calendar "
        "periods.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output (atomically: "
        "the old file stays whole until the new one is complete).",
        show_default=False, dir_okay=False)] = None,
    template: Annotated[Path | None, typer.Option(
        "--template", help="Your own jinja2 template (run in a sandbox).", show_default=False,
        dir_okay=False)] = None,
    lang: LangOpt = None,
    notes: Annotated[Path | None, typer.Option(
        "--notes", help="A Markdown file whose second-level headings (## ...) become "
        "sections after the figures: difficulties, proposals, key tasks for the next "
        "period. Shown as text: raw HTML is not passed through.", show_default=False,
        dir_okay=False)] = None,
    due_soon_days: DueSoonOpt = None,
) -> None:
    """The periodic report: headline, owners, overdue, due next, targets, reporting
    compliance and what changed in git since the period began.

    Example: plantrack report --format html --period quarter --cutoff-day 14
    --as-of 2025-06-20 -o report.html
    """
    from plantrack.report.compose import compose_report, shallow_warnings

    if cutoff_day is not None and period is ReportPeriod.week:
        fail("--cutoff-day applies to --period month, quarter, half or year; "
             "weeks are ISO weeks (Monday to Sunday)")
    if cutoff_day is not None and not 1 <= cutoff_day <= 28:
        fail(f"--cutoff-day must be from 1 to 28, not {cutoff_day}")
    binary = formats.is_binary("report", output_format)
    if binary and template is not None:
        fail("--template applies to the text formats (md, html), not to docx")
    if binary and output is None and sys.stdout.isatty():
        fail("a Word document is a file: give -o FILE (or redirect the output)")
    when = resolve_as_of(as_of)
    sections = read_notes(notes) if notes is not None else []
    loaded, code = load_for_reading(paths or [])
    language = in_lang(loaded, lang.value if lang is not None else None)
    day = when.label(loaded.plans)
    cutoff = None if period is ReportPeriod.week else _cutoff_day(cutoff_day, loaded)
    try:
        model = compose_report(loaded.plans, day, period.value, cutoff,
                               due_soon(due_soon_days, loaded))
        model.notes = sections
        view = formats.ReportView(model, language, template,
                                  _particulars(loaded) if binary else None)
        data = (formats.render_file("report", output_format, view) if binary
                else formats.render("report", output_format, view).encode("utf-8"))
    except UsageError as exc:
        fail(str(exc))
    for warning in shallow_warnings(model):
        print(f"plantrack: warning: {warning}", file=sys.stderr)
    emit(data, output)
    raise typer.Exit(code)


def read_notes(path: Path) -> list[NoteSection]:
    """The sections of a `--notes` file; a file that cannot be read, is not UTF-8 or has
    no section is exit 2, located."""
    from plantrack.read.source import SourceError, read_source
    from plantrack.report.notes import MAX_NOTES_BYTES, NotesError, parse_notes

    try:
        raw = read_source(path, MAX_NOTES_BYTES)
    except SourceError as exc:
        fail(f"{path}: {exc}")
    if len(raw) > MAX_NOTES_BYTES:
        fail(f"{path}: the notes file is larger than {MAX_NOTES_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        fail(f"{path}:{line}: the notes file is not UTF-8 (byte 0x{raw[exc.start]:02x}); "
             "save it as UTF-8")
    try:
        return parse_notes(text)
    except NotesError as exc:
        fail(f"{path}:{exc.line}: {exc}" if exc.line else f"{path}: {exc}")


def _particulars(loaded: Loaded) -> Any:
    """The Word document's particulars: `report:` of the `.plantrack.yaml` of the first plan
    read, the issuer else the plans' shared `issued_by`."""
    from plantrack.checks.config import for_file
    from plantrack.report.docx import particulars_from

    config = for_file(Path(loaded.plans[0].path)).report if loaded.plans else {}
    return particulars_from(config, [str(sp.plan.issued_by) for sp in loaded.plans
                                     if sp.plan.issued_by])


def _cutoff_day(given: int | None, loaded: Loaded) -> int | None:
    """The option as given, else `cutoff_day` of the `.plantrack.yaml` of the first plan
    read, else None: calendar periods."""
    if given is not None:
        return given
    if not loaded.plans:
        return None
    from plantrack.checks.config import for_file

    return for_file(Path(loaded.plans[0].path)).cutoff_day


def register(app: typer.Typer) -> None:
    app.command()(report)
