"""Small text helpers shared by the table, Markdown and CSV views."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from plantrack.views import escape

if TYPE_CHECKING:
    from plantrack.domain.state import State, TaskState
    from plantrack.lang import Words

STATE_LABELS = {
    "done_on_time": "done on time", "done_late": "done late", "on_track": "on track",
    "due_soon": "due soon", "overdue": "overdue", "ongoing": "ongoing", "cancelled": "cancelled",
    "unscheduled": "no deadline yet",
}
STATE_STYLES = {
    "done_on_time": "green", "done_late": "yellow", "on_track": "cyan", "due_soon": "bold yellow",
    "overdue": "bold red", "ongoing": "blue", "cancelled": "dim",
    "unscheduled": "magenta",
}
STATE_SHORT = {
    "done_on_time": "On time", "done_late": "Late", "on_track": "On track", "due_soon": "Soon",
    "overdue": "Overdue", "ongoing": "Ongoing", "cancelled": "Canc.",
    "unscheduled": "No deadline",
}


def shown_states(counts: Mapping[str, int]) -> tuple[State, ...]:
    """The states a count table shows: every state, but `unscheduled` only when a task is in
    it (most plans have none, and the terminal table has room for nine count columns)."""
    from plantrack.domain.state import STATES

    return tuple(s for s in STATES if s != "unscheduled" or counts.get(s, 0))


def md_escape(value: object) -> str:
    """Plan text for Markdown: the one Markdown escaper, `escape.markdown`."""
    return escape.markdown(value)


def _md_cell(value: object) -> str:
    return "" if value is None else md_escape(value)


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]],
             right: Sequence[int] = ()) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def csv_text(records: list[dict[str, Any]], fields: Sequence[str]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: escape.csv_cell(v) for k, v in r.items()} for r in records)
    return out.getvalue()


def json_text(value: Any) -> str:
    return escape.json_text(value)


def days_text(days: int | None, words: Words) -> str:
    """A count of days in a narrow column: "130d" (en), "130 ngày" (vi)."""
    return "" if days is None else words("%(n)sd") % {"n": days}


def share_text(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def short_ids(items: Sequence[TaskState]) -> bool:
    """Bare task ids are enough when no id is shared by two of the plans listed."""
    plans_of: dict[str, str] = {}
    return all(plans_of.setdefault(item.task.id, item.plan_id) == item.plan_id for item in items)


