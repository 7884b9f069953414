"""`plantrack status` for the terminal: count tables in the plain column layout.

The same look as every terminal table (a title, a header, a rule, aligned columns), in the one
column layout of `views.columns`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from plantrack.domain.state import STATES, State, Tally, TaskState
from plantrack.domain.summary import Summary
from plantrack.lang import Words
from plantrack.views import columns as col
from plantrack.views import escape
from plantrack.views.formats import StatusView
from plantrack.views.text import STATE_STYLES, days_text, share_text, short_ids, shown_states

# Two-line headers keep the nine count columns within 80 characters; the tenth, `unscheduled`
# (TBD), is shown only when a task has no deadline yet, and then the gaps narrow. Each is
# a message of the catalogue in the context "column".
_STACKED = {
    "done_on_time": "On\ntime", "done_late": "Late", "on_track": "On\ntrack", "due_soon": "Soon",
    "overdue": "Over-\ndue", "ongoing": "Ongo-\ning", "unscheduled": "TBD", "cancelled": "Canc.",
}
_ALL, _SHARE = "All", "On-\ntime"
_MIN_COUNT_WIDTH = 5
_GAP = "  "
_TIGHT_GAP = " "  # with the TBD column, so that 80 characters still show a plan id in full
_MIN_LABEL = 12


class _Layout:
    """The count columns of one language: their headers, widths and gap."""

    def __init__(self, states: Sequence[State], words: Words) -> None:
        column = words.column
        self.states = states
        self.heads = [(column(_ALL), ""), *((column(_STACKED[s]), STATE_STYLES[s])
                                            for s in states), (column(_SHARE), "")]
        # Each column as wide as its header's longest line: Vietnamese "Thường" takes six.
        self.widths = [max(_MIN_COUNT_WIDTH, *(len(part) for part in head.split("\n")))
                       for head, _ in self.heads]
        self.gap = _GAP if len(states) < len(STATES) else _TIGHT_GAP

    @property
    def counts_width(self) -> int:
        return sum(self.widths) + len(self.heads) * len(self.gap)


def render_table(view: StatusView) -> str:
    return status_text(view.summary, view.as_of, view.per_plan_dates,
                       view.terminal.width or 80, view.terminal.colour, Words(view.lang))


def status_text(summary: Summary, as_of: dt.date, per_plan_dates: bool, width: int,
                colour: bool, words: Words | None = None) -> str:
    """Counts per plan, per owner of each plan (worst first), and the most overdue tasks."""
    words = words or Words("en")
    layout = _Layout(shown_states(summary.total.counts), words)
    label_width = max(width - layout.counts_width, _MIN_LABEL)
    when = (words("today in each plan's timezone") if per_plan_dates
            else words.date(as_of))
    plan_rows = [(col.fit(escape.terminal(row.plan_id), label_width), "", row.tally)
                 for row in summary.plans]
    if len(summary.plans) > 1:
        plan_rows.append((words("all plans"), "bold", summary.total))
    blocks = [_count_table(words("Status as of %(date)s") % {"date": when}, words("Plan"),
                           plan_rows, label_width, colour, layout)]
    for plan_row in summary.plans:
        title = words("By owner, worst first") + (
            f": {escape.terminal(plan_row.plan_id)}" if len(summary.plans) > 1 else "")
        owner_rows = [(_owner_label(owner.key, owner.name, label_width), "bold", owner.tally)
                      for owner in summary.owners if owner.plan_id == plan_row.plan_id]
        if owner_rows:  # a plan without tasks has its row above and no owner table
            blocks.append(_count_table(title, words("Owner"), owner_rows, label_width, colour,
                                       layout))
    if summary.most_overdue:
        blocks.append(_most_overdue(summary.most_overdue[:5], width, colour, words))
    if summary.unscheduled:
        blocks.append(_unscheduled(summary.unscheduled, width, colour, words))
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
                 label_width: int, colour: bool, layout: _Layout) -> str:
    gap, widths = layout.gap, layout.widths
    head_lines = [head.split("\n") for head, _ in layout.heads]
    depth = max(len(parts) for parts in head_lines)
    out = [col.paint(title, "bold", colour)]
    for line in range(depth):
        cells = [col.pad(label_head if line == depth - 1 else "", label_width)]
        for parts, width in zip(head_lines, widths, strict=True):
            # Bottom-aligned: a one-line header sits on the last header line.
            index = line - (depth - len(parts))
            cells.append(parts[index].rjust(width) if index >= 0 else " " * width)
        out.append(gap.join(cells).rstrip())
    out.append("─" * (label_width + layout.counts_width))
    for label, style, counts in rows:
        cells = [col.paint(col.pad(label, label_width), style, colour)]
        values = _count_cells(counts, layout.states)
        for value, (_, count_style), width in zip(values, layout.heads, widths, strict=True):
            cells.append(col.paint(value.rjust(width), count_style, colour))
        out.append(gap.join(cells).rstrip())
    return "\n".join(out) + "\n"


def _count_cells(counts: Tally, states: Sequence[State]) -> list[str]:
    return [str(counts.total), *(str(counts.counts.get(s, 0) or "·") for s in states),
            share_text(counts.on_time_share)]


def _most_overdue(items: Sequence[TaskState], width: int, colour: bool, words: Words) -> str:
    short = short_ids(items)
    rows = [[(item.task.id if short else item.ref, ""),
             (col.fit(escape.terminal(item.task.owner), 14), ""),
             (words.deadline_cell(item.deadline, item.deadline_day), ""),
             (days_text(item.days_overdue, words), "bold red"),
             (item.task.title, "")] for item in items]
    heads = [col.Column(words("Task")), col.Column(words("Owner")),
             col.Column(words("Deadline")), col.Column(words("Overdue"), right=True),
             col.Column(words("Title"))]
    return col.render(heads, rows, words("Most overdue"), width, colour)


# At most this many tasks with no deadline yet are listed; the count says how many there are.
UNSCHEDULED_SHOWN = 10


def _unscheduled(items: Sequence[TaskState], width: int, colour: bool, words: Words) -> str:
    """Tasks whose deadline is not yet set (`due: tbd`), listed apart so that one gets set."""
    short = short_ids(items)
    rows = [[(item.task.id if short else item.ref, ""),
             (col.fit(escape.terminal(item.task.owner), 14), ""),
             (item.task.title, "")] for item in items[:UNSCHEDULED_SHOWN]]
    heads = [col.Column(words("Task")), col.Column(words("Owner")), col.Column(words("Title"))]
    more = len(items) - UNSCHEDULED_SHOWN
    title = words("No deadline yet (%(n)s)") % {"n": len(items)}
    text = col.render(heads, rows, title, width, colour)
    if more > 0:
        text = text.rstrip("\n") + "\n" + words(
            "… and %(n)s more: plantrack list --state unscheduled") % {"n": more} + "\n"
    return text
