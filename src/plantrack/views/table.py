"""Terminal tables with rich: colour by state, readable at 80 columns, plain when piped."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from plantrack.state import STATES, TaskState
from plantrack.summary import Summary
from plantrack.views.text import STATE_LABELS, STATE_STYLES, share_text, short_ids

# Two-line headers keep the nine count columns within 80 characters.
_STACKED = {
    "done_on_time": "On\ntime", "done_late": "Late", "on_track": "On\ntrack", "due_soon": "Soon",
    "overdue": "Over-\ndue", "ongoing": "Ongo-\ning", "cancelled": "Canc.",
}


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # A reader that stopped early (`| head`) is not a failure: same exit as without rich.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)


def console() -> Console:
    # Plan text is shown as written: "[draft]" or ":smile:" in a title is not rich markup.
    return _Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


def _table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                 pad_edge=False, padding=(0, 1), show_edge=False)


def state_text(state: str) -> Text:
    return Text(STATE_LABELS.get(state, state), style=STATE_STYLES.get(state, ""))


def _count_columns(table: Table) -> None:
    for header, style in [("All", ""), *((_STACKED[s], STATE_STYLES[s]) for s in STATES),
                          ("On-\ntime", "")]:
        table.add_column(header, justify="right", style=style, no_wrap=True,
                         min_width=max(len(part) for part in header.split("\n")))


def _count_cells(tally_counts: dict[str, int], total: int, share: float | None) -> list[str]:
    return [str(total), *(str(tally_counts.get(s, 0) or "·") for s in STATES), share_text(share)]


# Width of the nine count columns with their padding.
_COUNTS_WIDTH = 66


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def status_tables(summary: Summary, as_of: dt.date, per_plan_dates: bool,
                  width: int = 80) -> list[Table]:
    label_width = max(width - _COUNTS_WIDTH, 12)
    when = "today in each plan's timezone" if per_plan_dates else as_of.isoformat()
    plans = _table(f"Status as of {when}")
    plans.add_column("Plan", no_wrap=True, overflow="ellipsis", min_width=10, ratio=1)
    _count_columns(plans)
    for row in summary.plans:
        plans.add_row(_fit(row.plan_id, label_width),
                      *_count_cells(row.tally.counts, row.tally.total, row.tally.on_time_share))
    if len(summary.plans) > 1:
        total = summary.total
        plans.add_row(Text("all plans", style="bold"),
                      *_count_cells(total.counts, total.total, total.on_time_share))
    out = [plans]
    for plan_row in summary.plans:
        owners = _table(f"By owner, worst first: {plan_row.plan_id}" if len(summary.plans) > 1
                        else "By owner, worst first")
        owners.add_column("Owner", no_wrap=True, overflow="ellipsis", min_width=10, ratio=1)
        _count_columns(owners)
        for owner in summary.owners:
            if owner.plan_id != plan_row.plan_id:
                continue
            label = Text(_fit(owner.key, label_width), style="bold")
            if len(owner.key) + 2 < label_width:
                label.append(" " + _fit(owner.name, label_width - len(owner.key) - 1), style="")
            owners.add_row(label, *_count_cells(owner.tally.counts, owner.tally.total,
                                                owner.tally.on_time_share))
        out.append(owners)
    if summary.most_overdue:
        out.append(_most_overdue(summary.most_overdue[:5]))
    return out


def _most_overdue(items: Sequence[TaskState]) -> Table:
    table = _table("Most overdue")
    table.add_column("Task", no_wrap=True)
    table.add_column("Owner", no_wrap=True, max_width=14, overflow="ellipsis")
    table.add_column("Deadline", no_wrap=True)
    table.add_column("Overdue", justify="right", no_wrap=True, style="bold red")
    table.add_column("Title", overflow="fold", ratio=1, min_width=12)
    short = short_ids(items)
    for item in items:
        deadline = item.deadline_text or "—"
        table.add_row(item.task.id if short else item.ref, item.task.owner, deadline,
                      f"{item.days_overdue}d", item.task.title)
    return table


def print_tables(tables: Sequence[Table]) -> None:
    out = console()
    for i, table in enumerate(tables):
        if i:
            out.print()
        out.print(table)
