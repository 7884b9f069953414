"""Properties of the total diff over generated plan pairs: the field paths it reports are
exactly the ones changed, and rewriting a plan without changing its meaning reports nothing."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from plantrack.domain.deadlines import parse_deadline
from plantrack.domain.model import (
    Baseline,
    BasisDoc,
    Extension,
    Owner,
    Plan,
    Succession,
    Target,
    Task,
    Update,
)
from plantrack.git.diff import compare_plan
from plantrack.i18n import Text

T = TypeVar("T")
D = dt.date
DAY = D(2025, 7, 1)


def _task(n: int) -> Task:
    return Task(
        id=f"T-{n}", title=f"Task số {n}", owner="a", coordinators=("b",),
        due=parse_deadline("2025-03-31"), start=D(2025, 1, 1), status="in_progress",
        progress=10, extensions=(Extension(due=parse_deadline("2025-06-30"),
                                           approved=D(2025, 3, 1), ref="1/QD", reason="late"),),
        depends_on=(), targets=(Target(metric="records", target="100%", actual="10%",
                                       measured=D(2025, 5, 1),
                                       baseline=Baseline(value=0, date=D(2025, 1, 1))),),
        updates=(Update(date=D(2025, 4, 25), progress=5, note="begun"),
                 Update(date=D(2025, 5, 25), progress=10)),
        tags=("x",), basis=("nq",), source="Điều 1", notes="ghi chú")


def _plan(tasks: int) -> Plan:
    return Plan(plantrack=1, id="p", title="Kế hoạch", issued_by="UBND", issued=D(2025, 2, 1),
                lang="vi", owners={"a": Owner(name="Sở A", aliases=("SA",)),
                                   "b": Owner(name="Sở B")},
                basis=(BasisDoc(id="nq", title="NQ 57", date=D(2024, 12, 22)),),
                sources=("https://example.org",), reporting="FREQ=MONTHLY;BYMONTHDAY=25",
                tasks=[_task(n) for n in range(1, tasks + 1)])


Mutation = Callable[[Task], Task]
r = dataclasses.replace


def _first(items: tuple[T, ...], **changes: object) -> tuple[T, ...]:
    """The items with the first (the one the base plan has) changed."""
    return (r(items[0], **changes), *items[1:])  # type: ignore[type-var]


# Each changes one field of a task, and says which field path a reviewer must see.
TASK_MUTATIONS: dict[str, tuple[Mutation, str]] = {
    "title": (lambda t: r(t, title=t.title + "!"), "title"),
    "owner": (lambda t: r(t, owner="b"), "owner"),
    "with": (lambda t: r(t, coordinators=("a", "b")), "with"),
    "due": (lambda t: r(t, due=parse_deadline("2025-04-30")), "due"),
    "start": (lambda t: r(t, start=D(2025, 1, 2)), "start"),
    "hard": (lambda t: r(t, hard=True), "hard"),
    "status": (lambda t: r(t, status="blocked"), "status"),
    "progress": (lambda t: r(t, progress=20), "progress"),
    "ext reason": (lambda t: r(t, extensions=_first(t.extensions, reason="later")),
                   "extensions[2025-03-01].reason"),
    "ext ref": (lambda t: r(t, extensions=_first(t.extensions, ref=None)),
                "extensions[2025-03-01].ref"),
    "ext added late": (lambda t: r(t, extensions=(*t.extensions, Extension(
        due=parse_deadline("2025-12"), approved=D(2025, 8, 1)))), "extensions[2025-08-01]"),
    "depends": (lambda t: r(t, depends_on=("T-99",)), "depends_on"),
    "actual": (lambda t: r(t, targets=_first(t.targets, actual="20%")),
               "targets[records].actual"),
    "baseline": (lambda t: r(t, targets=_first(t.targets, baseline=None)),
                 "targets[records].baseline"),
    "target added": (lambda t: r(t, targets=(*t.targets, Target(metric="km", target=5))),
                     "targets[km]"),
    "note": (lambda t: r(t, updates=tuple(r(u, note="started") if u.date == D(2025, 4, 25)
                                          else u for u in t.updates)),
             "updates[2025-04-25].note"),
    "update gone": (lambda t: r(t, updates=tuple(u for u in t.updates
                                                 if u.date != D(2025, 4, 25))),
                    "updates[2025-04-25]"),
    "update added": (lambda t: r(t, updates=(Update(date=D(2025, 3, 25), note="early"),
                                             *t.updates)), "updates[2025-03-25]"),
    "same day": (lambda t: r(t, updates=(*t.updates, Update(date=D(2025, 5, 25), note="2nd"))),
                 "updates[2025-05-25]#2"),
    "tags": (lambda t: r(t, tags=()), "tags"),
    "basis": (lambda t: r(t, basis=("nq", "other")), "basis"),
    "source": (lambda t: r(t, source=None), "source"),
    "notes": (lambda t: r(t, notes=Text("ghi chú", {"vi": "ghi chú", "en": "a note"})),
              "notes"),
}

# Two edits of one entry are one edit: at most one of each group is drawn.
EXCLUSIVE = ({"note", "update gone"},)

PLAN_MUTATIONS: dict[str, tuple[Callable[[Plan], None], str]] = {
    "plan title": (lambda p: setattr(p, "title", "Khác"), "title"),
    "issued": (lambda p: setattr(p, "issued", None), "issued"),
    "timezone": (lambda p: setattr(p, "timezone", "Asia/Bangkok"), "timezone"),
    "owner name": (lambda p: p.owners.__setitem__("b", r(p.owners["b"], name="Sở C")),
                   "owners[b].name"),
    "alias": (lambda p: p.owners.__setitem__("a", r(p.owners["a"], aliases=())),
              "owners[a].aliases"),
    "succession": (lambda p: p.owners.__setitem__("b", r(p.owners["b"], succeeded_by=Succession(
        owner="a", since=D(2025, 8, 1)))), "owners[b].succeeded_by"),
    "basis doc": (lambda p: setattr(p, "basis", (r(p.basis[0], title="NQ 57-NQ/TW"),)),
                  "basis[nq].title"),
    "sources": (lambda p: setattr(p, "sources", ()), "sources"),
    "reporting": (lambda p: setattr(p, "reporting", None), "reporting"),
}


def _reported(old: Plan, new: Plan) -> set[tuple[str | None, str]]:
    return {(c.task_id, f) for c in compare_plan(old, new, DAY) for f in c.fields}


@settings(max_examples=150, deadline=None)
@given(tasks=st.integers(1, 4), data=st.data())
def test_reported_field_paths_are_exactly_the_changed_ones(tasks: int, data: st.DataObject
                                                           ) -> None:
    old = _plan(tasks)
    new = copy.deepcopy(old)
    expected: set[tuple[str | None, str]] = set()
    for i, task in enumerate(new.tasks):
        names = data.draw(st.lists(st.sampled_from(sorted(TASK_MUTATIONS)), unique=True,
                                   max_size=4), label=task.id)
        for group in EXCLUSIVE:
            names = [n for n in names if n not in group or n == min(group & set(names))]
        for name in names:
            mutate, path = TASK_MUTATIONS[name]
            new.tasks[i] = mutate(new.tasks[i])
            expected.add((task.id, path))
    for name in data.draw(st.lists(st.sampled_from(sorted(PLAN_MUTATIONS)), unique=True,
                                   max_size=3), label="plan"):
        mutate_plan, path = PLAN_MUTATIONS[name]
        mutate_plan(new)
        expected.add((None, path))
    if data.draw(st.booleans(), label="reorder"):
        new.tasks.reverse()
    assert _reported(old, new) == expected


def _same_meaning(plan: Plan, nfd: bool, as_map: bool) -> Plan:
    """The plan written otherwise: NFD text, strings as `{<lang>: X}`, lists reordered."""
    def text(value: str) -> str:
        shown = unicodedata.normalize("NFD", value) if nfd else value
        return Text(shown, {plan.lang or "vi": shown}) if as_map else shown

    out = copy.deepcopy(plan)
    out.title = text(plan.title)
    out.owners = {k: r(o, name=text(o.name), aliases=tuple(reversed(o.aliases)))
                  for k, o in reversed(plan.owners.items())}
    out.tasks = [r(t, title=text(t.title), coordinators=tuple(reversed(t.coordinators)),
                   notes=text(t.notes) if t.notes else None)
                 for t in reversed(plan.tasks)]
    return out


@settings(max_examples=40, deadline=None)
@given(tasks=st.integers(0, 4), nfd=st.booleans(), as_map=st.booleans())
def test_rewriting_without_changing_meaning_reports_nothing(tasks: int, nfd: bool,
                                                             as_map: bool) -> None:
    plan = _plan(tasks)
    assert compare_plan(plan, _same_meaning(plan, nfd, as_map), DAY) == []
