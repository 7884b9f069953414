"""`plantrack export`: the plans as office files — an Excel workbook, a CSV, a calendar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plantrack.commands.common import (
    AsOfOpt,
    LangOpt,
    OwnerOpt,
    PathsArg,
    PlanOpt,
    emit,
    fail,
    in_lang,
    load_for_reading,
    resolve_as_of,
    selected,
)
from plantrack.problems import UsageError
from plantrack.views import formats

if TYPE_CHECKING:
    from plantrack.domain.model import Plan


def export(
    paths: PathsArg = None,
    output_format: Annotated[str, formats.option(
        "export", "xlsx: a workbook, a sheet per plan, to fill in and import back; csv: "
        "UTF-8 with a byte-order mark, as Excel opens it; ics: a calendar of the deadlines "
        "(--owner makes one unit's).")] = "xlsx",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The file to write (atomically); standard output when "
        "redirected.", show_default=False, dir_okay=False)] = None,
    owner: OwnerOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    delimiter: Annotated[str, typer.Option(
        "--delimiter", help="The CSV separator: , or ; (Excel with Vietnamese regional "
        "settings expects ;).")] = ",",
    lang: LangOpt = None,
) -> None:
    """The plans as files for the office: xlsx, csv or ics.

    Example: plantrack export --format ics --owner so-khcn -o so-khcn.ics
    """
    from plantrack.domain.query import Filter, derive_all

    if delimiter not in (",", ";"):
        fail(f"--delimiter must be , or ;, not {delimiter!r}")
    if output is None and sys.stdout.isatty():
        fail(f"a {output_format} file is a file: give -o FILE (or redirect the output)")
    when = resolve_as_of(as_of)
    loaded, code = load_for_reading(paths or [])
    words = in_lang(loaded, lang.value if lang else None)
    derived = derive_all(loaded.plans, when.for_plan)
    items = selected(derived, loaded.plans, Filter(owners=owner or [], plans=plan or []))
    plans = {sp.plan.id: sp.plan for sp in loaded.plans if not plan or sp.plan.id in plan}
    name = _owner_names(owner or [], list(plans.values())) or None
    view = formats.ExportView(items, plans, when.label(loaded.plans), words, delimiter, name)
    data = formats.render_file("export", output_format, view)
    emit(data, output)
    raise typer.Exit(code)


def _owner_names(wanted: list[str], plans: list[Plan]) -> str:
    """The names of the owners `--owner` names, for the calendar's name: "Sở Y tế"."""
    from plantrack.domain.query import owner_key

    names: list[str] = []
    for text in wanted:
        for plan in plans:
            try:
                key = owner_key(plan, text)
            except UsageError:
                continue
            names.append(str(plan.owners[key].name))
            break
        else:
            names.append(text)
    return ", ".join(dict.fromkeys(names))


def register(app: typer.Typer) -> None:
    app.command()(export)
