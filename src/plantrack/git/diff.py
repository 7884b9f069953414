"""What a change to the plans does: every field of every plan, before against after.

`compare` is pure: it takes the plans read at two revisions and the day to judge them on,
and lists every difference in meaning (see `canon` for what counts as meaning). Plans are
matched by plan id (a renamed file is the same plan), tasks by task id. Each field that
differs is one entry; the deadline in force, as `state.deadline_as_of` says on that day, adds
an entry of its own when it moves. Each change carries `where`, the path of the YAML node at
the head revision it concerns, so that checks and views can point at a line without reading
the file again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from plantrack.domain.deadlines import Deadline
from plantrack.domain.model import Plan, SourcedPlan, Task
from plantrack.domain.state import deadline_as_of, extension_in_force
from plantrack.git.canon import Flat, Leaf, YamlPath, flatten_plan_fields, flatten_task

ChangeKind = Literal[
    "task_added", "task_removed", "cancelled", "completed", "reopened", "status",
    "progress", "deadline", "recurrence", "owner", "coordinators", "target", "title",
    "text", "update", "extension", "history", "plan", "owner_removed", "field",
]
# The groups a summary counts, each a kind of meaning a reviewer looks for.
Group = Literal["deadline", "owner", "status", "progress", "target", "tasks", "text",
                "history", "plan", "other"]
GROUP_OF: dict[ChangeKind, Group] = {
    "deadline": "deadline", "extension": "deadline", "owner": "owner",
    "coordinators": "owner", "status": "status", "completed": "status", "reopened": "status",
    "progress": "progress", "update": "progress", "target": "target",
    "task_added": "tasks", "task_removed": "tasks", "cancelled": "tasks", "title": "text",
    "text": "text", "history": "history", "plan": "plan", "owner_removed": "plan",
    "recurrence": "other", "field": "other",
}
PlanState = Literal["added", "removed", "changed"]
Value = str | int | float | None
AsOf = Callable[[Plan], dt.date]


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    task_id: str | None
    old: Value = None
    new: Value = None
    where: YamlPath = ()  # the node at the head revision this change is about
    days: int | None = None  # for deadlines: how far it moved (later is positive)
    extended: bool = False  # for deadlines: a newly approved extension sets the new one
    hard: bool = False  # for deadlines: the task's deadline is fixed by a higher document
    later: bool = False  # for deadlines: it gives more time (later, or now open-ended)
    metric: str | None = None  # for targets
    noted: bool = False  # for reopened tasks: the change adds a note saying why
    title: str = ""  # the task's title, for readers
    field: str = ""  # the field path in the file: `due`, `updates[2025-05-25].note`, ...
    covers: tuple[str, ...] = ()  # further field paths this entry reports (a deadline move)

    @property
    def group(self) -> Group:
        return GROUP_OF[self.kind]

    @property
    def fields(self) -> tuple[str, ...]:
        return ((self.field,) if self.field else ()) + self.covers


@dataclass(slots=True)
class PlanDiff:
    plan_id: str
    title: str
    state: PlanState
    base_path: str | None
    head_path: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        return bool(self.base_path and self.head_path and self.base_path != self.head_path)


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """`.plantrack.yaml` changed: it sets the checks, so reviewers see each setting moved."""

    base_path: str | None
    head_path: str | None
    settings: tuple[tuple[str, Value, Value], ...]  # (setting, old, new); None: the default

    @property
    def state(self) -> PlanState:
        return "added" if self.base_path is None else (
            "removed" if self.head_path is None else "changed")


@dataclass(slots=True)
class PlansDiff:
    plans: list[PlanDiff] = field(default_factory=list)  # only plans that changed
    config: ConfigChange | None = None

    @property
    def is_empty(self) -> bool:
        return not self.plans and self.config is None

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for p in self.plans for c in p.changes if c.kind == kind)

    def plans_in(self, state: PlanState) -> list[PlanDiff]:
        return [p for p in self.plans if p.state == state]


def compare(base: list[SourcedPlan], head: list[SourcedPlan], as_of: AsOf) -> PlansDiff:
    """The plans' changes from `base` to `head`, in plan id order, both sides judged as of
    `as_of(head plan)` (the base plan's own day when the plan is gone at the head)."""
    before = _by_id(base)
    after = _by_id(head)
    result = PlansDiff()
    for plan_id in sorted(before.keys() | after.keys()):
        old, new = before.get(plan_id), after.get(plan_id)
        if old is None and new is not None:
            result.plans.append(_whole_plan(new, "added"))
        elif new is None and old is not None:
            result.plans.append(_whole_plan(old, "removed"))
        elif old is not None and new is not None:
            # the same bytes mean the same plan: most files of a change are untouched
            same = old.digest == new.digest and bool(old.digest)
            changed = PlanDiff(plan_id, new.plan.title, "changed", old.path, new.path,
                               [] if same else compare_plan(old.plan, new.plan,
                                                            as_of(new.plan)))
            if changed.changes or changed.renamed:
                result.plans.append(changed)
    return result


def compare_config(base: tuple[str, bytes] | None, head: tuple[str, bytes] | None
                   ) -> ConfigChange | None:
    """What changed in `.plantrack.yaml` between two revisions ((path, bytes) or None)."""
    from plantrack.checks.config import Config, parse

    if (base and base[1]) == (head and head[1]):
        return None
    before = parse(base[1], base[0]) if base else Config()
    after = parse(head[1], head[0]) if head else Config()
    settings = []
    for name in ("lang", "cutoff_day", "due_soon_days"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            settings.append((name, old, new))
    for group in ("rules", "report"):
        old_map, new_map = getattr(before, group), getattr(after, group)
        for key in sorted(old_map.keys() | new_map.keys()):
            if old_map.get(key) != new_map.get(key):
                settings.append((f"{group}.{key}", _plain(old_map.get(key)),
                                 _plain(new_map.get(key))))
    return ConfigChange(base[0] if base else None, head[0] if head else None, tuple(settings))


def _plain(value: object) -> Value:
    if value is None or isinstance(value, (str, int, float)):
        return value
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _by_id(plans: list[SourcedPlan]) -> dict[str, SourcedPlan]:
    """Plans by id; of two files claiming one id, the first in path order counts."""
    found: dict[str, SourcedPlan] = {}
    for sourced in sorted(plans, key=lambda sp: sp.path):
        found.setdefault(sourced.plan.id, sourced)
    return found


def _whole_plan(sourced: SourcedPlan, state: PlanState) -> PlanDiff:
    added = state == "added"
    kind: ChangeKind = "task_added" if added else "task_removed"
    # A removed task keeps its last status as `old`: policy tells finished from open work.
    changes = [Change(kind, t.id, None if added else t.status,
                      where=("tasks", i) if added else ("tasks",), title=t.title,
                      field=f"tasks[{t.id}]")
               for i, t in enumerate(sourced.plan.tasks)]
    return PlanDiff(sourced.plan.id, sourced.plan.title, state,
                    None if added else sourced.path, sourced.path if added else None, changes)


def compare_plan(old: Plan, new: Plan, day: dt.date) -> list[Change]:
    """The plan's own fields, then task by task in the head's order, then the tasks the head
    no longer has."""
    changes = _plan_field_changes(old, new)
    old_tasks = {t.id: t for t in old.tasks}
    new_index = {t.id: i for i, t in enumerate(new.tasks)}
    for index, task in enumerate(new.tasks):
        before = old_tasks.get(task.id)
        if before is None:
            changes.append(Change("task_added", task.id, where=("tasks", index), title=task.title,
                                  field=f"tasks[{task.id}]"))
        else:
            changes.extend(compare_task(before, task, index, day, old.lang, new.lang))
    for position, task in enumerate(old.tasks):
        if task.id not in new_index:
            changes.append(Change("task_removed", task.id, task.status, title=task.title,
                                  where=_neighbour(old.tasks, position, new_index),
                                  field=f"tasks[{task.id}]"))
    return changes


def _neighbour(old_tasks: list[Task], position: int, new_index: dict[str, int]) -> YamlPath:
    """Where a removed task stood at the head: the next surviving task, else the one
    before it, else the plan's `tasks` key."""
    for task in (*old_tasks[position + 1:], *reversed(old_tasks[:position])):
        if task.id in new_index:
            return ("tasks", new_index[task.id])
    return ("tasks",)


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """One field path whose value differs; a side is None where the field is absent."""

    path: str
    old: Leaf | None
    new: Leaf | None

    def where(self, fallback: YamlPath) -> YamlPath:
        return self.new.where if self.new else fallback


def field_diffs(before: Flat, after: Flat) -> list[FieldDiff]:
    """Paths that differ, in the head's order, then those only the base has. Something added
    or removed whole (a list item, an owner, a succession, an optional field) is one entry at
    its own path, not one per field inside it."""
    out: list[FieldDiff] = []
    wholes: set[str] = set()
    prefixes: dict[bool, set[str]] = {}  # of each side, made when a path is on one side only
    for path in [*after, *(p for p in before if p not in after)]:
        old, new = before.get(path), after.get(path)
        if old is not None and new is not None:
            if old.canon != new.canon:
                out.append(FieldDiff(path, old, new))
            continue
        side = old is None
        if side not in prefixes:
            prefixes[side] = _prefixes(before if side else after)
        root = _absent_root(path, prefixes[side])
        if root not in wholes:
            wholes.add(root)
            out.append(FieldDiff(root, _whole(before, root), _whole(after, root)))
    return out


def _cuts(path: str) -> list[int]:
    """Where a field path steps down: each `.` and `[` outside the brackets of a key."""
    if "." not in path and "[" not in path:
        return []
    cuts, inside = [], False
    for i, ch in enumerate(path):
        if ch == "]":
            inside = False
        elif not inside and ch in ".[" and i > 0:
            cuts.append(i)
            inside = ch == "["
    return cuts


def _parts(path: str) -> list[str]:
    """Every prefix of a field path that names a value: `a`, `a[k]`, `a[k].b`."""
    return [path[:i] for i in _cuts(path)] + [path]


def _prefixes(flat: Flat) -> set[str]:
    return {part for path in flat for part in _parts(path)}


def _absent_root(path: str, other: set[str]) -> str:
    """The outermost value holding `path` that the other side does not have at all; a list
    or map is never it (an empty one is no list), its item is."""
    return next(part for part in _parts(path)
                if part not in other and path[len(part):len(part) + 1] != "[")


def _whole(flat: Flat, root: str) -> Leaf | None:
    """The value at `root` as one: a leaf, or `key value, key value` for what it holds."""
    if root in flat:
        return flat[root]
    inner = [(p, leaf) for p, leaf in flat.items() if p.startswith((root + ".", root + "["))]
    if not inner:
        return None
    shown = ", ".join(f"{p[len(root):].lstrip('.')} {_shown(leaf)}" for p, leaf in inner)
    path, leaf = inner[0]
    # one YAML step per field name or list item: drop the steps below `root`
    below = _steps(path) - _steps(root)
    where = leaf.where[:len(leaf.where) - below] if below else leaf.where
    return Leaf(tuple((p, leaf.canon) for p, leaf in inner), shown, where)


def _steps(path: str) -> int:
    return len(_cuts(path))


def _plan_field_changes(old: Plan, new: Plan) -> list[Change]:
    changes = []
    removed_owners = set(old.owners) - set(new.owners)
    for diff in field_diffs(flatten_plan_fields(old), flatten_plan_fields(new)):
        key = diff.path.removeprefix("owners[").partition("]")[0]
        kind: ChangeKind = "owner_removed" if (
            diff.path == f"owners[{key}]" and key in removed_owners) else "plan"
        changes.append(Change(kind, None, _shown(diff.old), _shown(diff.new),
                              diff.where((diff.path.split("[")[0].split(".")[0],)),
                              field=diff.path))
    return changes


def _shown(leaf: Leaf | None) -> Value:
    if leaf is None:
        return None
    value = leaf.shown
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def compare_task(old: Task, new: Task, index: int, day: dt.date, old_lang: str | None = None,
                 new_lang: str | None = None) -> list[Change]:
    """Every field of the task that differs, plus the deadline in force when it moved."""
    if old_lang == new_lang and _same_data(old, new):
        return []
    at: YamlPath = ("tasks", index)
    diffs = field_diffs(flatten_task(old, old_lang, at), flatten_task(new, new_lang, at))
    deadline = _deadline_change(old, new, at, day, {d.path for d in diffs})
    covered = set(deadline.covers) if deadline else set()
    changes = [deadline] if deadline else []
    noted = _adds_note(old, new)
    for diff in diffs:
        if diff.path not in covered:
            changes.append(_field_change(old, new, diff, at, noted))
    return changes


def _same_data(old: Task, new: Task) -> bool:
    """The two read back identically, every translation included: nothing can differ. (Not
    `==`: a `Text` compares as its shown string alone.)"""
    import pickle

    return pickle.dumps(old, protocol=5) == pickle.dumps(new, protocol=5)


def _field_change(old: Task, new: Task, diff: FieldDiff, at: YamlPath, noted: bool
                  ) -> Change:
    kind = _kind_of(old, new, diff, noted)
    metric = None
    if kind == "target":
        metric = diff.path.removeprefix("targets[").partition("]")[0]
    return Change(kind, new.id, _shown(diff.old), _shown(diff.new), diff.where(at),
                  noted=kind == "reopened" and noted, title=new.title, field=diff.path,
                  metric=metric)


def _kind_of(old: Task, new: Task, diff: FieldDiff, noted: bool) -> ChangeKind:
    path, top = diff.path, diff.path.split("[")[0].split(".")[0]
    added = diff.old is None
    if path == "status":
        return _status_kind(old, new)
    simple: dict[str, ChangeKind] = {
        "progress": "progress", "owner": "owner", "with": "coordinators", "targets": "target",
        "title": "title", "recurs": "recurrence", "notes": "text", "source": "text",
    }
    if top in simple:
        return simple[top]
    if top == "due":
        # with extensions, `due` is the original deadline: the record of what was set
        return "history" if old.extensions or new.extensions else "field"
    if top in ("updates", "extensions"):
        if added and _steps(path) == 1:
            return "update" if top == "updates" else "extension"
        return "history"
    if top == "completed":
        # a reopen takes the date away; the reopen rule asks it to say why
        reopened = new.completed is None and old.status == "done" and new.status != "done"
        return "field" if added or reopened else "history"
    return "field"


def _status_kind(old: Task, new: Task) -> ChangeKind:
    if new.status == "cancelled":
        return "cancelled"
    if new.status == "done":
        return "completed"
    if old.status == "done":
        return "reopened"
    return "status"


def _adds_note(old: Task, new: Task) -> bool:
    """The change explains itself: a new update with a note, or new task notes."""
    known = {(u.date, str(u.note)) for u in old.updates}
    new_note = any(u.note and (u.date, str(u.note)) not in known for u in new.updates)
    return new_note or (bool(new.notes) and new.notes != old.notes)


def _moment(deadline: Deadline | None) -> tuple[object, ...]:
    if deadline is None:
        return ()
    if deadline.last_day is None:
        return (deadline.kind,)  # `ongoing` and `tbd` differ, though neither has a last day
    return (deadline.last_day, deadline.at)


def _ends(deadline: Deadline) -> tuple[dt.date, dt.time]:
    """When a dated deadline runs out: its minute, or the end of its last day."""
    assert deadline.last_day is not None
    return deadline.last_day, deadline.at or dt.time.max


def _gives_more_time(before: Deadline | None, after: Deadline | None) -> bool:
    """Later, or a date becoming open-ended (`ongoing`, `tbd`); setting a date is not more
    time."""
    if before is None or after is None or before.open_ended:
        return False
    return after.open_ended or _ends(after) > _ends(before)


def _deadline_change(old: Task, new: Task, at: YamlPath, day: dt.date, changed: set[str]
                     ) -> Change | None:
    """The deadline in force on `day` moved: one entry, which also reports the field that
    moved it (`due`, or the extension now in force) when that field is new."""
    if old.recurs or new.recurs:
        return None
    before, after = deadline_as_of(old, day), deadline_as_of(new, day)
    if _moment(before) == _moment(after):
        return None
    days: int | None = None
    if before and after and before.last_day and after.last_day:
        days = (after.last_day - before.last_day).days
    in_force = extension_in_force(new, day)
    index = new.extensions.index(in_force) if in_force else -1
    label = _extension_label(new, index) if in_force else "due"
    extended = in_force is not None and label in changed and in_force not in old.extensions
    covers = (label,) if label in changed and (in_force or not old.extensions) else ()
    where = (*at, "extensions", index, "due") if in_force else (*at, "due")
    return Change("deadline", new.id, before.text if before else None,
                  after.text if after else None, where, days=days, extended=extended,
                  hard=old.hard or new.hard, later=_gives_more_time(before, after),
                  title=new.title, field="", covers=covers)


def _extension_label(task: Task, index: int) -> str:
    """The field path of `task.extensions[index]`, as `canon` names it."""
    approved = task.extensions[index].approved
    same_day = sum(1 for e in task.extensions[:index + 1] if e.approved == approved)
    return f"extensions[{approved.isoformat()}]" + (f"#{same_day}" if same_day > 1 else "")
