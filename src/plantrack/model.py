"""The plan model: plain dataclasses that pydantic validates (see `schema.py`).

Dataclasses rather than pydantic models keep this module free of pydantic, so commands
that read plans from the cache never import it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from plantrack.deadlines import Deadline

Status = Literal["planned", "in_progress", "blocked", "done", "cancelled"]
STATUSES: tuple[Status, ...] = ("planned", "in_progress", "blocked", "done", "cancelled")
Percent = int  # 0 to 100: checked by `checks.check_progress`, bounded in the JSON Schema
Quantity = int | float | str  # a number, or a percent string such as "90%"

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


@dataclass(slots=True, kw_only=True)
class Owner:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(slots=True, kw_only=True)
class BasisDoc:
    id: str
    title: str
    date: dt.date | None = None
    url: str | None = None


@dataclass(slots=True, kw_only=True)
class Extension:
    due: Deadline
    approved: dt.date
    ref: str | None = None
    reason: str | None = None


@dataclass(slots=True, kw_only=True)
class Target:
    metric: str
    target: Quantity
    actual: Quantity | None = None
    measured: dt.date | None = None


@dataclass(slots=True, kw_only=True)
class Update:
    date: dt.date
    progress: Percent | None = None
    status: Status | None = None
    note: str | None = None


@dataclass(slots=True, kw_only=True)
class Task:
    id: str
    title: str
    owner: str
    coordinators: tuple[str, ...] = ()  # `with` in the file
    due: Deadline | None = None
    recurs: str | None = None
    start: dt.date | None = None
    hard: bool = False
    status: Status = "planned"
    completed: dt.date | None = None
    progress: Percent | None = None
    extensions: tuple[Extension, ...] = ()
    depends_on: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    updates: tuple[Update, ...] = ()
    tags: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    source: str | None = None
    notes: str | None = None


@dataclass(slots=True, kw_only=True)
class Plan:
    plantrack: Literal[1]
    id: str
    title: str
    owners: dict[str, Owner]
    tasks: list[Task]
    issued_by: str | None = None
    issued: dt.date | None = None
    timezone: str = DEFAULT_TIMEZONE
    basis: tuple[BasisDoc, ...] = ()
    sources: tuple[str, ...] = ()
    reporting: str | None = None


def named_task(ref: str, plan_id: str) -> tuple[str, str]:
    """The (plan id, task id) a `depends_on` entry names: a bare ID is a task of `plan_id`,
    PLAN/ID a task of that plan."""
    other, slash, task_id = ref.partition("/")
    return (other, task_id) if slash else (plan_id, ref)


# YAML keys whose Python field has another name.
FIELD_OF_KEY = {"with": "coordinators"}
KEY_OF_FIELD = {v: k for k, v in FIELD_OF_KEY.items()}


@dataclass(slots=True)
class SourcedPlan:
    """A plan and the file it was read from."""

    path: str
    plan: Plan
    digest: str  # sha256 of the file's bytes
