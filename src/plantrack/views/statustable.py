"""`plantrack status` for the terminal: count tables in the plain column layout.

The same look as every terminal table (a title, a header, a rule, aligned columns), in the one
column layout of `views.columns`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from plantrack.domain.state import STATES, State, Tally, TaskState
from plantrack.domain.summary import Summary
from plantrack.views import columns as col
from plantrack.views import escape
from plantrack.views.formats import StatusView
from plantrack.views.text import STATE_STYLES, share_text, short_ids, shown_states

# Two-line headers keep the nine count columns within 80 characters; the tenth, `unscheduled`
# (TBD), is shown only when a task has no deadline yet, and then the label column narrows.
_STACKED = {
    "done_on_time": "On\ntime", "done_late": "Late", "on_track": "On\ntrack", "due_soon": "Soon",
    "overdue": "Over-\ndue", "ongoing": "Ongo-\ning", "unscheduled": "TBD", "cancelled": "Canc.",
}
_COUNT_WIDTH = 5
_GAP = "  "
_TIGHT_GAP = " "  # with the TBD column, so that 80 characters still show a plan id in full
_MIN_LABEL = 12


def _count_heads(states: Sequence[State]) -> list[tuple[str, str]]:
    return [("All", ""), *((_STACKED[s], STATE_STYLES[s]) for s in states), ("On-\ntime", "")]


def _counts_width(states: Sequence[State], gap: str) -> int:
    return len(_count_heads(states)) * (len(gap) + _COUNT_WIDTH)


def _gap(states: Sequence[State]) -> str:
    return _GAP if len(states) < len(STATES) else _TIGHT_GAP


def render_table(view: StatusView) -> str:
    return status_text(view.summary, view.as_of, view.per_plan_dates,
                       view.terminal.width or 80, view.terminal.colour)


def status_text(summary: Summary, as_of: dt.date, per_plan_dates: bool, width: int,
                colour: bool) -> str:
    """Counts per plan, per owner of each plan (worst first), and the most overdue tasks."""
    states = shown_states(summary.total.counts)
    label_width = max(width - _counts_width(states, _gap(states)), _MIN_LABEL)
    when = "today in each plan's timezone" if per_plan_dates else as_of.isoformat()
    plan_rows = [(col.fit(escape.terminal(row.plan_id), label_width), "", row.tally)
                 for row in summary.plans]
    if len(summary.plans) > 1:
        plan_rows.append(("all plans", "bold", summary.total))
    blocks = [_count_table(f"Status as of {when}", "Plan", plan_rows, label_width, colour,
                           states)]
    for plan_row in summary.plans:
        title = "By owner, worst first" + (
            f": {escape.terminal(plan_row.plan_id)}" if len(summary.plans) > 1 else "")
        owner_rows = [(_owner_label(owner.key, owner.name, label_width), "bold", owner.tally)
                      for owner in summary.owners if owner.plan_id == plan_row.plan_id]
        if owner_rows:  # a plan without tasks has its row above and no owner table
            blocks.append(_count_table(title, "Owner", owner_rows, label_width, colour,
                                       states))
    if summary.most_overdue:
        blocks.append(_most_overdue(summary.most_overdue[:5], width, colour))
    if summary.unscheduled:
        blocks.append(_unscheduled(summary.unscheduled, width, colour))
    return "\n".join(blocks)


def _owner_label(key: str, name: str, width: int) -> str:
    """The owner's key and name, fitted to `width`: plan text, through `escape.terminal`."""
    key, name = escape.terminal(key), escape.terminal(name)
    label = col.fit(key, width)
    used = col.cell_len(key)
    if used + 2 < width:
        label += " " + col.fit(name, width - used - 1)
    return label


def _count_table(title: str, label_head: str, rows: Sequence[tuple[str, str, Tally]],
                 label_width: int, colour: bool, states: Sequence[State]) -> str:
    heads = _count_heads(states)
    gap = _gap(states)
    head_lines = [head.split("\n") for head, _ in heads]
    depth = max(len(parts) for parts in head_lines)
    out = [col.paint(title, "bold", colour)]
    for line in range(depth):
        cells = [col.pad(label_head if line == depth - 1 else "", label_width)]
        for parts in head_lines:
            # Bottom-aligned: a one-line header sits on the last header line.
            index = line - (depth - len(parts))
            cells.append(parts[index].rjust(_COUNT_WIDTH) if index >= 0 else " " * _COUNT_WIDTH)
        out.append(gap.join(cells).rstrip())
    out.append("─" * (label_width + _counts_width(states, gap)))
    for label, style, counts in rows:
        cells = [col.paint(col.pad(label, label_width), style, colour)]
        values = _count_cells(counts, states)
        for value, (_, count_style) in zip(values, heads, strict=True):
            cells.append(col.paint(value.rjust(_COUNT_WIDTH), count_style, colour))
        out.append(gap.join(cells).rstrip())
    return "\n".join(out) + "\n"


def _count_cells(counts: Tally, states: Sequence[State]) -> list[str]:
    return [str(counts.total), *(str(counts.counts.get(s, 0) or "·") for s in states),
            share_text(counts.on_time_share)]


def _most_overdue(items: Sequence[TaskState], width: int, colour: bool) -> str:
    short = short_ids(items)
    rows = [[(item.task.id if short else item.ref, ""),
             (col.fit(escape.terminal(item.task.owner), 14), ""), (item.deadline_text or "—", ""),
             (f"{item.days_overdue}d", "bold red"),
             (item.task.title, "")] for item in items]
    heads = [col.Column("Task"), col.Column("Owner"), col.Column("Deadline"),
             col.Column("Overdue", right=True), col.Column("Title")]
    return col.render(heads, rows, "Most overdue", width, colour)


# At most this many tasks with no deadline yet are listed; the count says how many there are.
UNSCHEDULED_SHOWN = 10


def _unscheduled(items: Sequence[TaskState], width: int, colour: bool) -> str:
    """Tasks whose deadline is not yet set (`due: tbd`), listed apart so that one gets set."""
    short = short_ids(items)
    rows = [[(item.task.id if short else item.ref, ""),
             (col.fit(escape.terminal(item.task.owner), 14), ""),
             (item.task.title, "")] for item in items[:UNSCHEDULED_SHOWN]]
    heads = [col.Column("Task"), col.Column("Owner"), col.Column("Title")]
    more = len(items) - UNSCHEDULED_SHOWN
    text = col.render(heads, rows, f"No deadline yet ({len(items)})", width, colour)
    if more > 0:
        text = text.rstrip("\n") + f"\n… and {more} more: plantrack list --state unscheduled\n"
    return text
