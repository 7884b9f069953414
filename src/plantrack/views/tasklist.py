"""Task lists for the terminal, laid out without rich: they run to tens of thousands of rows."""

from __future__ import annotations

from collections.abc import Sequence

from plantrack.domain.state import TaskState
from plantrack.lang import Words
from plantrack.views import columns as col
from plantrack.views import escape
from plantrack.views.formats import TaskList, Terminal
from plantrack.views.text import STATE_STYLES, days_text, short_ids


def render_table(view: TaskList) -> str:
    """Task rows with their state, one task a line when written to a pipe or a file."""
    words = Words(view.lang)
    title = f"{words.title(view.title)} ({len(view.items)})"
    return task_lines(view.items, title, view.compact, view.terminal,
                      words) if view.items else ""


def task_lines(items: Sequence[TaskState], title: str | None, compact: bool,
               terminal: Terminal, words: Words | None = None) -> str:
    colour = terminal.colour
    words = words or Words("en")
    heads = [col.Column(words("Task")), col.Column(words("Owner")),
             col.Column(words("Deadline")), col.Column(words("State"))]
    if not compact:
        heads.append(col.Column(words.column("Prog."), right=True))
    heads.append(col.Column(words("Title")))
    states = {state: words.short_state(state) for state in STATE_STYLES}
    deadlines: dict[object, str] = {}  # deadlines repeat too
    short = short_ids(items)
    owners: dict[str, str] = {}  # a few owner keys repeat down thousands of rows
    rows = []
    for item in items:
        task = item.task
        key = item.deadline or item.deadline_day
        deadline = deadlines.get(key)
        if deadline is None:
            deadline = deadlines[key] = words.deadline_cell(item.deadline, item.deadline_day)
        state = states.get(item.state, item.state)
        if item.days_overdue:
            state += " " + days_text(item.days_overdue, words)
        elif item.state == "due_soon" and item.days_left is not None:
            state += " " + days_text(item.days_left, words)
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
