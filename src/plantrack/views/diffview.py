"""A plans diff as text for the terminal, Markdown for a pull-request comment, or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from plantrack.diff import Change, PlanDiff, PlansDiff
from plantrack.history import Snapshot, Step

_STATE_WORD = {"added": "added", "removed": "removed", "changed": "changed"}


def _pct(value: object) -> str:
    return "none" if value is None else f"{value}%"


def _moved(change: Change) -> str:
    parts = []
    if change.days is not None:
        parts.append(f"{change.days:+d} days")
    if change.extended:
        parts.append("approved extension")
    elif change.later:
        parts.append("no approved extension")
    if change.hard:
        parts.append("HARD deadline")
    return f" ({', '.join(parts)})" if parts else ""


def describe(change: Change) -> str:
    """One line saying what the change does, without the task id."""
    kind, old, new = change.kind, change.old, change.new
    if kind == "task_added":
        return f"added: {change.title}"
    if kind == "task_removed":
        return f"removed: {change.title}"
    if kind == "cancelled":
        return f"cancelled (was {old})"
    if kind == "completed":
        return f"completed (was {old})"
    if kind == "reopened":
        return f"reopened: {old} -> {new}" + ("" if change.noted else ", no note why")
    if kind == "status":
        return f"status {old} -> {new}"
    if kind == "progress":
        return f"progress {_pct(old)} -> {_pct(new)}"
    if kind == "deadline":
        return f"deadline {old or 'none'} -> {new or 'none'}{_moved(change)}"
    if kind == "recurrence":
        return f"recurrence {old or 'none'} -> {new or 'none'}"
    if kind == "owner":
        return f"owner {old} -> {new}"
    if kind == "coordinators":
        return f"coordinators {old or 'none'} -> {new or 'none'}"
    if kind == "target":
        if old is None:
            return f"target added: {change.metric}: {new}"
        if new is None:
            return f"target removed: {change.metric}: {old}"
        return f"target {change.metric}: {old} -> {new}"
    return f"title {old!r} -> {new!r}"


def summary(diff: PlansDiff) -> str:
    if diff.is_empty:
        return "No changes to plans."
    counts = [
        (len(diff.plans_in("changed")), "plan(s) changed"),
        (len(diff.plans_in("added")), "plan(s) added"),
        (len(diff.plans_in("removed")), "plan(s) removed"),
        (diff.count("task_added"), "task(s) added"),
        (diff.count("task_removed"), "task(s) removed"),
        (diff.count("deadline"), "deadline(s) moved"),
        (diff.count("completed"), "completed"),
        (diff.count("cancelled"), "cancelled"),
        (diff.count("reopened"), "reopened"),
        (diff.count("owner"), "owner(s) reassigned"),
    ]
    return ", ".join(f"{n} {label}" for n, label in counts if n) + "."


def _heading(plan: PlanDiff) -> str:
    path = plan.head_path or plan.base_path
    text = f"{plan.plan_id}: {plan.title} [{_STATE_WORD[plan.state]}] {path}"
    if plan.renamed:
        text += f" (renamed from {plan.base_path})"
    return text


def _plan_lines(plan: PlanDiff) -> list[str]:
    if plan.state != "changed":
        return [f"  {len(plan.changes)} task(s)"]
    return [f"  {c.task_id}  {describe(c)}" for c in plan.changes]


def render_text(diff: PlansDiff) -> str:
    lines: list[str] = []
    for plan in diff.plans:
        lines.append(_heading(plan))
        lines.extend(_plan_lines(plan))
    lines.append(summary(diff))
    return "\n".join(lines) + "\n"


_MD_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "`": "&#96;", "\\": "&#92;",
    "\n": " ", "\r": " ",
})


def md_escape(text: object) -> str:
    """Plan text made inert in Markdown and HTML: no table break, tag, code span or escape.

    Entities rather than the backslashes of `views.text.md_escape`: a pull-request comment puts
    plan text inside `<summary>` HTML too, where a backslash would show as itself."""
    return str(text).translate(_MD_ESCAPES)


def _md_plan(plan: PlanDiff) -> list[str]:
    state = "" if plan.state == "changed" else f" ({plan.state})"
    renamed = f", renamed from {md_escape(plan.base_path)}" if plan.renamed else ""
    count = len(plan.changes)
    lines = [
        "<details>",
        f"<summary><b>{md_escape(plan.plan_id)}</b>{state}: {md_escape(plan.title)} "
        f"({count} change{'' if count == 1 else 's'}{renamed})</summary>",
        "",
    ]
    if plan.changes:
        lines += ["| Task | Change |", "|---|---|"]
        lines += [f"| {md_escape(c.task_id)} | {md_escape(describe(c))} |" for c in plan.changes]
        lines.append("")
    lines.append("</details>")
    return lines


def render_markdown(diff: PlansDiff) -> str:
    lines = [f"**Plan changes:** {md_escape(summary(diff))}", ""]
    for plan in diff.plans:
        lines += _md_plan(plan)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _change_record(change: Change) -> dict[str, object]:
    record = asdict(change)
    record["where"] = list(change.where)
    record["summary"] = describe(change)
    return record


def render_json(diff: PlansDiff) -> str:
    plans = [{
        "plan_id": plan.plan_id, "title": plan.title, "state": plan.state,
        "base_path": plan.base_path, "head_path": plan.head_path, "renamed": plan.renamed,
        "changes": [_change_record(c) for c in plan.changes],
    } for plan in diff.plans]
    return json.dumps({"summary": summary(diff), "plans": plans}, indent=2,
                      ensure_ascii=False) + "\n"


def _state_text(snapshot: Snapshot) -> str:
    progress = "none" if snapshot.progress is None else f"{snapshot.progress}%"
    return (f"deadline {snapshot.deadline or 'none'}, status {snapshot.status}, "
            f"progress {progress}, owner {snapshot.owner}")


def _step_text(step: Step) -> str:
    if step.event == "created":
        assert step.snapshot is not None
        return f"created: {_state_text(step.snapshot)}"
    if step.event != "changed":
        return step.event
    return "; ".join(f"{name} {'none' if old is None else old} -> {'none' if new is None else new}"
                     for name, old, new in step.changes)


def render_history_text(ref: str, path: str, steps: list[Step]) -> str:
    lines = [f"{ref} in {path}"]
    for step in steps:
        commit = step.commit
        lines.append(f"{commit.date.date().isoformat()}  {commit.sha[:10]}  {commit.author}: "
                     f"{commit.subject}")
        lines.append(f"    {_step_text(step)}")
    return "\n".join(lines) + "\n"


def render_history_json(ref: str, path: str, steps: list[Step]) -> str:
    records = [{
        "commit": s.commit.sha, "date": s.commit.date.isoformat(), "author": s.commit.author,
        "message": s.commit.subject, "path": s.commit.path, "event": s.event,
        "changes": [{"field": f, "old": old, "new": new} for f, old, new in s.changes],
        "state": asdict(s.snapshot) if s.snapshot else None,
    } for s in steps]
    return json.dumps({"task": ref, "path": path, "history": records}, indent=2,
                      ensure_ascii=False) + "\n"
