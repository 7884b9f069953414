"""Task lists as JSON, CSV and Markdown."""

from __future__ import annotations

from plantrack.domain.model import Plan
from plantrack.domain.state import TaskState
from plantrack.lang import Words
from plantrack.views.formats import TaskList
from plantrack.views.records import TASK_FIELDS, flat, task_record
from plantrack.views.text import csv_text, json_text, md_table


def render_tasks(items: list[TaskState], plans: dict[str, Plan], fmt: str,
                 lang: str = "en") -> str:
    """Machine formats keep their keys and ISO dates in every language."""
    if fmt == "json":
        return json_text([task_record(item, plans[item.plan_id]) for item in items])
    if fmt == "csv":
        return csv_text([flat(task_record(item, plans[item.plan_id])) for item in items],
                        TASK_FIELDS)
    words = Words(lang)
    rows = [[item.ref, item.task.title, _owner_name(plans[item.plan_id], item.task.owner),
             _deadline(item, words), words.short_state(item.state),
             item.days_overdue if item.days_overdue is not None else ""] for item in items]
    head = [words(h) for h in ("Task", "Title", "Owner", "Deadline", "State", "Days overdue")]
    return md_table(head, rows, [5]) + "\n"


def _owner_name(plan: Plan, key: str) -> str:
    owner = plan.owners.get(key)
    return owner.name if owner else key


def _deadline(item: TaskState, words: Words) -> str:
    if words.lang == "en":  # the deadline in force as a date, as JSON gives it
        day = item.deadline_day
        return day.isoformat() if day else (item.task.due.text if item.task.due else "")
    return words.deadline_cell(item.deadline, item.deadline_day)


def render_json(view: TaskList) -> str:
    return render_tasks(view.items, view.plans, "json")


def render_csv(view: TaskList) -> str:
    return render_tasks(view.items, view.plans, "csv")


def render_markdown(view: TaskList) -> str:
    return render_tasks(view.items, view.plans, "markdown", view.lang)
