"""The plan model: plain dataclasses that pydantic validates (see `schema.py`).

Dataclasses rather than pydantic models keep this module free of pydantic, so commands
that read plans from the cache never import it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from plantrack.asof import DEFAULT_TIMEZONE
from plantrack.domain.deadlines import Deadline
from plantrack.i18n import TextSchema

Status = Literal["planned", "in_progress", "blocked", "done", "cancelled"]
STATUSES: tuple[Status, ...] = ("planned", "in_progress", "blocked", "done", "cancelled")
Percent = int  # 0 to 100: checked by `checks.check_progress`, bounded in the JSON Schema
Quantity = int | float | str  # a number, or a percent string such as "90%"

# Free text: a string, or a map of language code -> string read as an `i18n.Text`.
LangText = Annotated[str, TextSchema]


@dataclass(slots=True, kw_only=True)
class Succession:
    """`succeeded_by`: from `since` on, `owner` is in charge of this owner's tasks."""

    owner: str
    since: dt.date  # `from` in the file
    ref: str | None = None


@dataclass(slots=True, kw_only=True)
class Owner:
    name: LangText
    aliases: tuple[str, ...] = ()
    succeeded_by: Succession | None = None


@dataclass(slots=True, kw_only=True)
class BasisDoc:
    id: str
    title: LangText
    date: dt.date | None = None
    url: str | None = None


@dataclass(slots=True, kw_only=True)
class Extension:
    due: Deadline
    approved: dt.date
    ref: str | None = None
    reason: LangText | None = None


@dataclass(slots=True, kw_only=True)
class Baseline:
    value: Quantity
    date: dt.date


@dataclass(slots=True, kw_only=True)
class Target:
    metric: LangText
    target: Quantity
    actual: Quantity | None = None
    measured: dt.date | None = None
    baseline: Baseline | None = None


@dataclass(slots=True, kw_only=True)
class Update:
    date: dt.date
    progress: Percent | None = None
    status: Status | None = None
    note: LangText | None = None


@dataclass(slots=True, kw_only=True)
class Task:
    id: str
    title: LangText
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
    source: LangText | None = None
    notes: LangText | None = None


@dataclass(slots=True, kw_only=True)
class Plan:
    plantrack: Literal[1]
    id: str
    title: LangText
    owners: dict[str, Owner]
    tasks: list[Task]
    issued_by: LangText | None = None
    issued: dt.date | None = None
    timezone: str = DEFAULT_TIMEZONE
    lang: str | None = None
    basis: tuple[BasisDoc, ...] = ()
    sources: tuple[str, ...] = ()
    reporting: str | None = None


def named_task(ref: str, plan_id: str) -> tuple[str, str]:
    """The (plan id, task id) a `depends_on` entry names: a bare ID is a task of `plan_id`,
    PLAN/ID a task of that plan."""
    other, slash, task_id = ref.partition("/")
    return (other, task_id) if slash else (plan_id, ref)


# YAML keys whose Python field has another name.
FIELD_OF_KEY = {"with": "coordinators", "from": "since"}
KEY_OF_FIELD = {v: k for k, v in FIELD_OF_KEY.items()}


@dataclass(slots=True)
class SourcedPlan:
    """A plan and the file it was read from."""

    path: str
    plan: Plan
    digest: str  # sha256 of the file's bytes
