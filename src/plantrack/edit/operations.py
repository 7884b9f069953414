"""The edits a clerk records, as pure functions on a plan's round-trip tree.

Each function changes the tree in place or raises EditError; none reads the clock (dates
arrive as arguments) and none touches a file.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from plantrack.asof import DEFAULT_TIMEZONE
from plantrack.domain.deadlines import Deadline
from plantrack.domain.model import STATUSES
from plantrack.edit import nodes
from plantrack.problems import UsageError, message

_NUMBERED_ID = re.compile(r"^(.*?)(\d+)$")
_QUANTITY = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)%?$")


class EditError(UsageError):
    """An edit that cannot be made as asked (unknown task, task already done, ...)."""


def plan_timezone(tree: Any) -> str:
    zone = tree.get("timezone") if nodes.is_map(tree) else None
    return zone if isinstance(zone, str) and zone else DEFAULT_TIMEZONE


def _tasks(tree: Any) -> Any:
    tasks = tree.get("tasks") if nodes.is_map(tree) else None
    if not nodes.is_seq(tasks):
        raise EditError("the plan has no list of tasks to edit; run plantrack validate")
    return tasks


def task_nodes(tree: Any) -> dict[str, Any]:
    """Every task node of the tree by its id, for edits of many tasks at once."""
    return {str(t.get("id")): t for t in _tasks(tree) if nodes.is_map(t)}


def find_task(tree: Any, task_id: str) -> Any:
    ids = []
    for task in _tasks(tree):
        if nodes.is_map(task):
            if str(task.get("id")) == task_id:
                return task
            ids.append(str(task.get("id")))
    raise missing_task(ids, task_id, tree.get("id"))


def missing_task(ids: list[str], task_id: str, plan_id: object) -> EditError:
    """The error for a task id the plan does not have, with the id it may have meant."""
    close = [i for i in ids if i.lower() == task_id.lower()]
    if close:
        return EditError(message("no task %(task)s in plan %(plan)s; did you mean %(close)s?",
                                 task=repr(task_id), plan=repr(plan_id), close=close[0]))
    return EditError(message("no task %(task)s in plan %(plan)s", task=repr(task_id),
                             plan=repr(plan_id)))


def _list_style(tree: Any, key: str, default: bool) -> tuple[bool, bool]:
    """(list is flow, entries are flow) as the plan's existing `key` lists are written.

    Asked once per edit of a tree and remembered on its task list: an import recording
    thousands of updates would otherwise scan every task for each one."""
    tasks = _tasks(tree)
    known: dict[tuple[str, bool], tuple[bool, bool]] = getattr(tasks, "_plantrack_styles", {})
    if (key, default) in known:
        return known[(key, default)]
    style = False, default
    for task in reversed(tasks):
        found: Any = task.get(key) if nodes.is_map(task) else None
        if nodes.is_seq(found) and len(found):
            style = nodes.is_flow(found), nodes.is_flow(found[-1]) or nodes.is_flow(found)
            break
    try:
        known[(key, default)] = style
        tasks._plantrack_styles = known
    except AttributeError:  # a plain list: nothing to remember on
        pass
    return style


def _append_entry(tree: Any, task: Any, key: str, entry: dict[str, Any]) -> None:
    """Add an entry to a task's list (`updates`, `extensions`, ...) in the plan's style; a
    dated update goes where its date puts it, so that the list stays oldest first."""
    existing = task.get(key)
    if nodes.is_seq(existing):
        flow = nodes.is_flow(existing) or (bool(len(existing)) and nodes.is_flow(existing[-1]))
        if not len(existing):
            flow = _list_style(tree, key, True)[1]
        nodes.insert_item(existing, _date_position(existing, key, entry),
                          nodes.new_map(entry, flow))
        return
    list_flow, entry_flow = _list_style(tree, key, True)
    item = nodes.new_map(entry, entry_flow or list_flow)
    nodes.set_key(task, key, nodes.new_seq([item], list_flow), nodes.TASK_KEYS)


def _date_position(entries: Any, key: str, entry: dict[str, Any]) -> int:
    """Where an update dated `entry["date"]` goes: after every entry dated on or before it."""
    day = entry.get("date")
    if key != "updates" or not isinstance(day, dt.date):
        return len(entries)
    for index in range(len(entries) - 1, -1, -1):
        item = entries[index]
        written = item.get("date") if nodes.is_map(item) else None
        if not isinstance(written, dt.date) or written <= day:
            return index + 1
    return 0


def _compact(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if value is not None}


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise EditError(message("%(status)s is not a status; use one of %(statuses)s",
                                status=repr(status), statuses=", ".join(STATUSES)))


def _check_progress(progress: int | None) -> None:
    if progress is not None and not 0 <= progress <= 100:
        raise EditError(message("progress %(value)s is not a percent from 0 to 100",
                                value=progress))


def record_update(tree: Any, task_id: str, day: dt.date, progress: int | None = None,
                  status: str | None = None, note: str | None = None,
                  task: Any = None) -> None:
    """Add an update in date order, and set the task's progress and status to what it says,
    unless a later update already stands. An update that records nothing is refused, except
    on a recurring duty, where a dated entry is how a sent report is recorded."""
    _check_status(status)
    _check_progress(progress)
    task = find_task(tree, task_id) if task is None else task  # given: found in a batch
    if progress is None and status is None and not note and "recurs" not in task:
        raise EditError(f"the update of {task_id} records nothing: give --progress, --status "
                        "or --note")
    if not _later_update(task, day):
        if progress is not None:
            nodes.set_key(task, "progress", progress, nodes.TASK_KEYS)
        if status is not None:
            _set_status(task, status, day)
    _append_entry(tree, task, "updates",
                  _compact({"date": day, "progress": progress, "status": status, "note": note}))


def _later_update(task: Any, day: dt.date) -> bool:
    """Whether the task has an update dated after `day`: a back-dated report then adds to
    the record without changing what the task says now."""
    updates = task.get("updates")
    return nodes.is_seq(updates) and any(
        nodes.is_map(u) and isinstance(u.get("date"), dt.date) and u.get("date") > day
        for u in updates)


def _set_status(task: Any, status: str, day: dt.date) -> None:
    nodes.set_key(task, "status", status, nodes.TASK_KEYS)
    if status == "done":
        if "completed" not in task:
            nodes.set_key(task, "completed", day, nodes.TASK_KEYS)
        if "progress" in task:
            nodes.set_key(task, "progress", 100, nodes.TASK_KEYS)
    else:
        # `completed` is an error on a task that is not done.
        nodes.delete_key(task, "completed")


def mark_done(tree: Any, task_id: str, day: dt.date) -> None:
    task = find_task(tree, task_id)
    if task.get("status") == "done":
        raise EditError(message("task %(task)s is already done (completed %(day)s)",
                                task=task_id, day=task.get("completed")))
    tracks_progress = "progress" in task
    nodes.set_key(task, "status", "done", nodes.TASK_KEYS)
    nodes.set_key(task, "completed", day, nodes.TASK_KEYS)
    if tracks_progress:
        nodes.set_key(task, "progress", 100, nodes.TASK_KEYS)
    _append_entry(tree, task, "updates", _compact(
        {"date": day, "progress": 100 if tracks_progress else None, "status": "done"}))


def cancel(tree: Any, task_id: str, day: dt.date, reason: str) -> None:
    task = find_task(tree, task_id)
    if task.get("status") in ("done", "cancelled"):
        raise EditError(message("task %(task)s is already %(status)s", task=task_id,
                                    status=task.get("status")))
    if not reason.strip():
        raise EditError("give the reason the task is cancelled (--reason)")
    nodes.set_key(task, "status", "cancelled", nodes.TASK_KEYS)
    _append_entry(tree, task, "updates", {"date": day, "status": "cancelled", "note": reason})


def deadline_value(deadline: Deadline) -> Any:
    """How a deadline is written in YAML: a date plain, a year as a number, else its text."""
    if deadline.kind == "date" and deadline.last_day is not None:
        return deadline.last_day
    if deadline.kind == "year":
        return int(deadline.text)
    return deadline.text


def extend(tree: Any, task_id: str, due: Deadline, approved: dt.date, ref: str | None = None,
           reason: str | None = None, force: bool = False) -> None:
    if due.is_tbd:
        raise EditError("an extension sets a new deadline; it cannot be tbd (write the date "
                        "approved, e.g. --to 2026-12-31)")
    task = find_task(tree, task_id)
    if task.get("hard") is True and not force:
        raise EditError(f"task {task_id} has a hard deadline fixed by a higher document; "
                        "pass --force to record the extension anyway")
    if task.get("status") in ("done", "cancelled"):
        raise EditError(message("task %(task)s is already %(status)s", task=task_id,
                                    status=task.get("status")))
    if "recurs" in task:
        raise EditError(f"task {task_id} is a recurring duty; it has no deadline to extend")
    _append_entry(tree, task, "extensions", _compact(
        {"due": deadline_value(due), "approved": approved, "ref": ref, "reason": reason}))


def quantity(text: str) -> int | float | str:
    """A measured value: `40%` stays a percent string, `12` an int, `3.5` a float."""
    cleaned = text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text \
        else text.strip()
    if not _QUANTITY.match(cleaned):
        raise EditError(message("%(value)s is not a number or a percent such as 40%%",
                                value=repr(text)))
    if cleaned.endswith("%"):
        return cleaned
    number = float(cleaned)
    return int(number) if number.is_integer() and "." not in cleaned else number


def find_target(task: Any, metric: str) -> Any:
    targets = [t for t in task.get("targets") or [] if nodes.is_map(t)]
    names = [str(t.get("metric")) for t in targets]
    wanted = metric.strip().lower()
    for matches in (
        [t for t, n in zip(targets, names, strict=True) if n == metric],
        [t for t, n in zip(targets, names, strict=True) if n.lower() == wanted],
        [t for t, n in zip(targets, names, strict=True) if wanted in n.lower()],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise EditError(f"{metric!r} matches several targets of task {task.get('id')}: "
                            + "; ".join(str(t.get("metric")) for t in matches))
    known = "; ".join(names) if names else "none"
    raise EditError(f"task {task.get('id')} has no target {metric!r} (its targets: {known})")


def measure(tree: Any, task_id: str, metric: str, value: int | float | str,
            day: dt.date) -> None:
    target = find_target(find_task(tree, task_id), metric)
    nodes.set_key(target, "actual", value, nodes.TARGET_KEYS)
    nodes.set_key(target, "measured", day, nodes.TARGET_KEYS)


def next_task_id(ids: list[str]) -> str:
    """The id after the highest numbered one, keeping its prefix and zero padding."""
    best: tuple[int, str, int] | None = None
    for task_id in ids:
        match = _NUMBERED_ID.match(task_id)
        if match:
            number = int(match[2])
            if best is None or number > best[0]:
                best = (number, match[1], len(match[2]))
    if best is None:
        raise EditError("the plan has no numbered task ids to follow; give one with --id")
    number, prefix, width = best
    candidate = f"{prefix}{number + 1:0{width}d}"
    taken = set(ids)
    while candidate in taken:
        number += 1
        candidate = f"{prefix}{number + 1:0{width}d}"
    return candidate


def _blank_separated(tasks: Any) -> bool:
    """Whether the plan's tasks are separated by blank lines (judged by the tasks so far)."""
    if len(tasks) < 2:
        return False
    separated = 0
    for index in range(len(tasks) - 1):
        for holder, slot in nodes._tail_path(tasks, index):
            token = nodes._token(holder, slot)
            if token is not None and isinstance(token.value, str) and "\n\n" in token.value:
                separated += 1
                break
        else:
            entry = tasks.ca.items.get(index + 1)
            before = entry[1] if entry else None
            if before and any(getattr(t, "value", "").startswith("\n") for t in before):
                separated += 1
    return separated * 2 >= len(tasks) - 1


def add_task(tree: Any, title: str, owner: str, due: Deadline, coordinators: list[str],
             tags: list[str], task_id: str | None = None) -> str:
    """Append a task at the end of the list (before any closing comment); return its id."""
    tasks = _tasks(tree)
    ids = [str(t.get("id")) for t in tasks if nodes.is_map(t)]
    new_id = task_id or next_task_id(ids)
    if new_id in ids:
        raise EditError(message("the plan already has a task %(task)s", task=new_id))
    fields: dict[str, Any] = {"id": new_id, "title": title, "owner": owner}
    if coordinators:
        fields["with"] = nodes.new_seq(list(coordinators), _list_style(tree, "with", True)[0]
                                       or not _has_list(tree, "with"))
    fields["due"] = deadline_value(due)
    if tags:
        fields["tags"] = nodes.new_seq(list(tags), _list_style(tree, "tags", True)[0]
                                       or not _has_list(tree, "tags"))
    if not len(tasks):
        tasks.fa.set_block_style()  # `tasks: []` opens into a block list
    flow_tasks = nodes.is_flow(tasks) or (len(tasks) and nodes.is_flow(tasks[-1]))
    nodes.append_item(tasks, nodes.new_map(fields, bool(flow_tasks)),
                      blank_before=_blank_separated(tasks))
    return new_id


def _has_list(tree: Any, key: str) -> bool:
    return any(nodes.is_map(t) and nodes.is_seq(t.get(key)) and len(t.get(key))
               for t in _tasks(tree))
