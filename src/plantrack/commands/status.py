"""`plantrack status`: one screen per plan and per owner."""

from __future__ import annotations

import typer

from plantrack.commands.common import (
    AsOfOpt,
    DueSoonOpt,
    LangOpt,
    OwnerOpt,
    PathsArg,
    PlanOpt,
    StatusFormatOpt,
    resolve_as_of,
)


def status(
    paths: PathsArg = None,
    owner: OwnerOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    output: StatusFormatOpt = "table",
    due_soon_days: DueSoonOpt = None,
    lang: LangOpt = None,
) -> None:
    """Counts of each derived state per plan and per owner, the share done on time, and the
    most overdue tasks.

    Example: plantrack status --as-of 30/6/2025 --owner dost
    """
    from plantrack.commands.fast import Args
    from plantrack.commands.fast import status as run_status

    resolve_as_of(as_of)  # a bad date is typer's usage error
    raise typer.Exit(run_status(Args(paths or [], owner or [], plan or [], as_of, output,
                                     due_soon_days, lang.value if lang else None)))


def register(app: typer.Typer) -> None:
    app.command()(status)
