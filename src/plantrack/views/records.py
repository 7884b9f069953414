"""Derived state as plain records: the JSON and CSV shape of tasks and tallies (documented in
the README; add keys, never rename them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plantrack.domain.model import Plan
from plantrack.domain.state import STATES, Tally, TaskState

TASK_FIELDS = ("plan", "id", "title", "owner", "owner_name", "with", "due", "deadline", "state",
               "days_overdue", "days_left", "status", "progress", "completed", "recurs", "hard",
               "tags", "last_update")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def task_record(item: TaskState, plan: Plan) -> dict[str, Any]:
    task = item.task
    owner = plan.owners.get(task.owner)
    return {
        "plan": item.plan_id,
        "id": task.id,
        "title": task.title,
        "owner": task.owner,
        "owner_name": owner.name if owner else None,
        "with": list(task.coordinators),
        "due": task.due.text if task.due else None,
        "deadline": _iso(item.deadline_day),
        "state": item.state,
        "days_overdue": item.days_overdue,
        "days_left": item.days_left,
        "status": item.status,
        "progress": item.progress,
        "completed": _iso(item.completed),
        "recurs": task.recurs,
        "hard": task.hard,
        "tags": list(task.tags),
        "last_update": _iso(item.last_update.date) if item.last_update else None,
    }


def tally_record(tally: Tally) -> dict[str, Any]:
    share = tally.on_time_share
    return {
        "total": tally.total,
        **{state: tally.counts[state] for state in STATES},
        "on_time_share": round(share, 4) if share is not None else None,
        "most_days_overdue": tally.most_overdue or None,
    }


def flat(record: dict[str, Any]) -> dict[str, Any]:
    """One CSV row: lists joined with ';', None as empty."""
    return {k: ";".join(v) if isinstance(v, list) else ("" if v is None else v)
            for k, v in record.items()}
