"""`plantrack status`: one screen per plan and per owner."""

from __future__ import annotations

import sys

import typer

from plantrack.commands.common import (
    AsOfOpt,
    DueSoonOpt,
    OwnerOpt,
    PathsArg,
    PlanOpt,
    StatusFormatOpt,
    load_for_reading,
    resolve_as_of,
    selected,
    terminal,
)
from plantrack.commands.common import (
    due_soon_days as due_soon,
)
from plantrack.views import formats


def status(
    paths: PathsArg = None,
    owner: OwnerOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    output: StatusFormatOpt = "table",
    due_soon_days: DueSoonOpt = None,
) -> None:
    """Counts of each derived state per plan and per owner, the share done on time, and the
    most overdue tasks.

    Example: plantrack status --as-of 30/6/2025 --owner dost
    """
    from plantrack.domain.query import Filter, derive_all
    from plantrack.domain.summary import summarize

    when = resolve_as_of(as_of)
    loaded, code = load_for_reading(paths or [])
    items = derive_all(loaded.plans, when.for_plan, due_soon(due_soon_days, loaded))
    items = selected(items, loaded.plans, Filter(owners=owner or [], plans=plan or []))
    plans = {sp.plan.id: sp.plan for sp in loaded.plans if not plan or sp.plan.id in plan}
    summary = summarize(items, plans)
    label = when.label(loaded.plans)
    view = formats.StatusView(summary, label, plans, when.given is None and len(plans) > 1,
                              terminal())
    sys.stdout.write(formats.render("status", output, view))
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command()(status)
