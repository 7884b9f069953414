"""Task lists as JSON, CSV and Markdown."""

from __future__ import annotations

from plantrack.domain.model import Plan
from plantrack.domain.state import TaskState
from plantrack.views.formats import TaskList
from plantrack.views.records import TASK_FIELDS, flat, task_record
from plantrack.views.text import STATE_LABELS, csv_text, json_text, md_table


def render_tasks(items: list[TaskState], plans: dict[str, Plan], fmt: str) -> str:
    records = [task_record(item, plans[item.plan_id]) for item in items]
    if fmt == "json":
        return json_text(records)
    if fmt == "csv":
        return csv_text([flat(r) for r in records], TASK_FIELDS)
    rows = [[f"{r['plan']}/{r['id']}", r["title"], r["owner_name"] or r["owner"],
             r["deadline"] or r["due"] or "", STATE_LABELS[r["state"]],
             r["days_overdue"] if r["days_overdue"] is not None else ""] for r in records]
    return md_table(["Task", "Title", "Owner", "Deadline", "State", "Days overdue"], rows,
                    [5]) + "\n"


def render_json(view: TaskList) -> str:
    return render_tasks(view.items, view.plans, "json")


def render_csv(view: TaskList) -> str:
    return render_tasks(view.items, view.plans, "csv")


def render_markdown(view: TaskList) -> str:
    return render_tasks(view.items, view.plans, "markdown")
