"""Task lists for the terminal, laid out without rich: they run to tens of thousands of rows."""

from __future__ import annotations

from collections.abc import Sequence

from plantrack.domain.state import TaskState
from plantrack.views import columns as col
from plantrack.views import escape
from plantrack.views.formats import TaskList, Terminal
from plantrack.views.text import STATE_LABELS, STATE_STYLES, short_ids


def render_table(view: TaskList) -> str:
    """Task rows with their state, one task a line when written to a pipe or a file."""
    return task_lines(view.items, f"{view.title} ({len(view.items)})", view.compact,
                      view.terminal) if view.items else ""


def task_lines(items: Sequence[TaskState], title: str | None, compact: bool,
               terminal: Terminal) -> str:
    colour = terminal.colour
    heads = [col.Column("Task"), col.Column("Owner"), col.Column("Deadline"), col.Column("State")]
    if not compact:
        heads.append(col.Column("Prog.", right=True))
    heads.append(col.Column("Title"))
    short = short_ids(items)
    owners: dict[str, str] = {}  # a few owner keys repeat down thousands of rows
    rows = []
    for item in items:
        task = item.task
        deadline = item.deadline_text or "—"
        state = STATE_LABELS.get(item.state, item.state)
        if item.days_overdue:
            state += f" {item.days_overdue}d"
        elif item.state == "due_soon" and item.days_left is not None:
            state += f" {item.days_left}d"
        owner = owners.get(task.owner)
        if owner is None:
            owner = owners[task.owner] = col.fit(escape.terminal(task.owner), 14)
        row = [(task.id if short else item.ref, "bold"), (owner, ""), (deadline, ""),
               (state, STATE_STYLES.get(item.state, ""))]
        if not compact:
            row.append(("" if item.progress is None else f"{item.progress}%", ""))
        row.append((task.title, ""))
        rows.append(row)
    return col.render(heads, rows, title, terminal.width, colour)
