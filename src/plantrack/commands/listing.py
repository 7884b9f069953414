"""`plantrack list` and `plantrack overdue`: tasks with their derived state."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from plantrack.commands.base import print_tasks
from plantrack.commands.common import (
    AsOfOpt,
    DueSoonOpt,
    LangOpt,
    OwnerOpt,
    PathsArg,
    PlanOpt,
    TasksFormatOpt,
    in_lang,
    load_for_reading,
    resolve_as_of,
    selected,
)
from plantrack.commands.common import (
    due_soon_days as due_soon,
)
from plantrack.domain.query import Filter
from plantrack.domain.state import STATES


def _day_option(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    from plantrack.asof import parse_day

    try:
        return parse_day(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{name}'") from None


def list_tasks(
    paths: PathsArg = None,
    owner: OwnerOpt = None,
    plan: PlanOpt = None,
    state: Annotated[list[str] | None, typer.Option(
        "--state", help=f"Only tasks in this state (repeatable): {', '.join(STATES)}.",
        show_default=False)] = None,
    tag: Annotated[list[str] | None, typer.Option(
        "--tag", help="Only tasks with this tag (repeatable).", show_default=False)] = None,
    due_before: Annotated[str | None, typer.Option(
        "--due-before", help="Only tasks whose deadline ends before this date.",
        show_default=False)] = None,
    due_after: Annotated[str | None, typer.Option(
        "--due-after", help="Only tasks whose deadline ends after this date.",
        show_default=False)] = None,
    search: Annotated[str | None, typer.Option(
        "--search", "-s", help="Only tasks whose id, title, source, notes, tags or owner contain "
        "this text; Vietnamese matches with or without diacritics.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    output: TasksFormatOpt = "table",
    due_soon_days: DueSoonOpt = None,
    lang: LangOpt = None,
) -> None:
    """Every task with its derived state, in plan order.

    Example: plantrack list --state overdue --search "du lieu" --format csv
    """
    from plantrack.domain.query import derive_all

    bad = [s for s in state or [] if s not in STATES]
    if bad:
        raise typer.BadParameter(f"unknown state {bad[0]!r}; one of {', '.join(STATES)}",
                                 param_hint="'--state'")
    flt = Filter(owners=owner or [], plans=plan or [], states=state or [], tags=tag or [],
                 due_before=_day_option(due_before, "--due-before"),
                 due_after=_day_option(due_after, "--due-after"),
                 search=search)
    when = resolve_as_of(as_of)
    loaded, code = load_for_reading(paths or [])
    words = in_lang(loaded, lang.value if lang else None)
    derived = derive_all(loaded.plans, when.for_plan, due_soon(due_soon_days, loaded))
    items = selected(derived, loaded.plans, flt)
    print_tasks(items, {sp.plan.id: sp.plan for sp in loaded.plans}, output, "Tasks",
                lang=words)
    raise typer.Exit(code)


def overdue(
    paths: PathsArg = None,
    owner: OwnerOpt = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    output: TasksFormatOpt = "table",
    lang: LangOpt = None,
) -> None:
    """Overdue tasks, most days overdue first, with owner and deadline.

    Example: plantrack overdue --as-of 2025-06-30 --format json
    """
    from plantrack.commands.fast import Args
    from plantrack.commands.fast import overdue as run_overdue

    resolve_as_of(as_of)  # a bad date is typer's usage error
    raise typer.Exit(run_overdue(Args(paths or [], owner or [], plan or [], as_of, output,
                                      lang=lang.value if lang else None)))


def register(app: typer.Typer) -> None:
    app.command("list")(list_tasks)
    app.command()(overdue)
