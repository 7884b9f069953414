"""A plans diff as text for the terminal, Markdown for a pull-request comment, or JSON."""

from __future__ import annotations

from dataclasses import asdict

from plantrack.git.diff import Change, ConfigChange, PlanDiff, PlansDiff
from plantrack.git.history import Snapshot, Step
from plantrack.problems import Problem
from plantrack.views import escape
from plantrack.views.formats import DiffView, HistoryView

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


def _value(value: object) -> str:
    return "none" if value is None else str(value)


def _field_line(change: Change) -> str:
    """A field added, removed or changed, named by its path in the file."""
    name, old, new = change.field, change.old, change.new
    prefix = {"history": "REWRITTEN ", "owner_removed": "owner removed: "}.get(change.kind, "")
    if old is None:
        return f"{prefix}{name} added: {_value(new)}"
    if new is None:
        return f"{prefix}{name} removed (was {_value(old)})"
    return f"{prefix}{name} {_value(old)} -> {_value(new)}"


def describe(change: Change) -> str:
    """One line saying what the change does, without the task id."""
    kind, old, new = change.kind, change.old, change.new
    if kind in ("text", "update", "extension", "history", "plan", "owner_removed", "field"):
        return _field_line(change)
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
    if kind == "deadline" and old == "tbd" and new not in (None, "tbd"):
        return f"deadline set: tbd -> {new}{_moved(change)}"
    if kind == "deadline":
        return f"deadline {old or 'none'} -> {new or 'none'}{_moved(change)}"
    if kind == "recurrence":
        return f"recurrence {old or 'none'} -> {new or 'none'}"
    if kind == "owner":
        return f"owner {old} -> {new}"
    if kind == "coordinators":
        return f"coordinators {old or 'none'} -> {new or 'none'}"
    if kind == "target":
        return _field_line(change)
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
        (diff.count("coordinators"), "coordinator change(s)"),
        (diff.count("status"), "status change(s)"),
        (diff.count("progress"), "progress change(s)"),
        (diff.count("update"), "update(s) added"),
        (diff.count("extension"), "extension(s) added"),
        (diff.count("target"), "target change(s)"),
        (diff.count("title") + diff.count("text"), "text edit(s)"),
        (diff.count("history"), "record(s) rewritten"),
        (diff.count("plan") + diff.count("owner_removed"), "plan field(s) changed"),
        (diff.count("recurrence") + diff.count("field"), "other field(s) changed"),
        (1 if diff.config else 0, "configuration of the checks changed"),
    ]
    return ", ".join(f"{n} {label}" for n, label in counts if n) + "."


def _config_lines(change: ConfigChange) -> list[str]:
    """`.plantrack.yaml`, first: it decides what the checks say of everything else."""
    path = change.head_path or change.base_path
    lines = [f"{path} [{change.state}]: the configuration of the checks "
             "(diff --check applies the base revision's)"]
    lines += [f"  {name}  {'default' if old is None else old} -> "
              f"{'default' if new is None else new}" for name, old, new in change.settings]
    return lines


def _heading(plan: PlanDiff) -> str:
    path = plan.head_path or plan.base_path
    text = f"{plan.plan_id}: {plan.title} [{_STATE_WORD[plan.state]}] {path}"
    if plan.renamed:
        text += f" (renamed from {plan.base_path})"
    return text


def _subject(change: Change) -> str:
    """The task an entry is about, or `(plan)` for the plan's own fields."""
    return change.task_id if change.task_id is not None else "(plan)"


def _plan_lines(plan: PlanDiff) -> list[str]:
    if plan.state != "changed":
        return [f"  {len(plan.changes)} task(s)"]
    return [f"  {_subject(c)}  {describe(c)}" for c in plan.changes]


def render_text(view: DiffView) -> str:
    diff = view.changes
    lines: list[str] = _config_lines(diff.config) if diff.config else []
    for plan in diff.plans:
        lines.append(_heading(plan))
        lines.extend(_plan_lines(plan))
    lines.append(summary(diff))
    return "".join(escape.terminal(line) + "\n" for line in lines)


def md_escape(text: object) -> str:
    return escape.markdown(text)


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
        lines += [f"| {md_escape(_subject(c))} | {md_escape(describe(c))} |"
                  for c in plan.changes]
        lines.append("")
    lines.append("</details>")
    return lines


def _md_problems(problems: list[Problem]) -> list[str]:
    """The policy's findings, first in the comment: a reviewer reads them before the rest."""
    if not problems:
        return []
    errors = sum(1 for p in problems if p.is_error)
    lines = [f"**Policy:** {errors} error(s), {len(problems) - errors} warning(s)", ""]
    for p in problems:
        where = f"{p.path}:{p.line}" if p.line else p.path
        lines.append(f"- **{p.severity}** `{md_escape(p.code)}` {md_escape(where)}: "
                     f"{md_escape(p.message)}" + (f" ({md_escape(p.hint)})" if p.hint else ""))
    return [*lines, ""]


def render_markdown(view: DiffView) -> str:
    diff = view.changes
    lines = [*_md_problems(view.problems), f"**Plan changes:** {md_escape(summary(diff))}", ""]
    if diff.config:
        config = _config_lines(diff.config)
        lines += [f"**{md_escape(config[0])}**", ""]
        lines += [f"- {md_escape(line.strip())}" for line in config[1:]]
        lines.append("")
    for plan in diff.plans:
        lines += _md_plan(plan)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _change_record(change: Change) -> dict[str, object]:
    record = asdict(change)
    record["where"] = list(change.where)
    record["covers"] = list(change.covers)
    record["group"] = change.group
    record["summary"] = describe(change)
    return record


def render_json(view: DiffView) -> str:
    diff = view.changes
    plans = [{
        "plan_id": plan.plan_id, "title": plan.title, "state": plan.state,
        "base_path": plan.base_path, "head_path": plan.head_path, "renamed": plan.renamed,
        "changes": [_change_record(c) for c in plan.changes],
    } for plan in diff.plans]
    config = diff.config and {
        "base_path": diff.config.base_path, "head_path": diff.config.head_path,
        "state": diff.config.state,
        "settings": [{"setting": n, "old": o, "new": v} for n, o, v in diff.config.settings]}
    return escape.json_text({"summary": summary(diff), "config": config, "plans": plans})


def _state_text(snapshot: Snapshot) -> str:
    progress = "none" if snapshot.progress is None else f"{snapshot.progress}%"
    return (f"deadline {snapshot.deadline or 'none'}, status {snapshot.status}, "
            f"progress {progress}, owner {snapshot.owner}")


def _step_lines(step: Step) -> list[str]:
    if step.event == "created":
        assert step.snapshot is not None
        return [f"created: {_state_text(step.snapshot)}"]
    if step.event != "changed":
        return [step.event]
    return [describe(c) for c in step.changes]


def render_history_text(view: HistoryView) -> str:
    """Every line through `escape.terminal`: the commit's author and subject are as hostile
    as the plan's text, and so is the file's name."""
    lines = [escape.terminal(f"{view.ref} in {view.path}")]
    for step in view.steps:
        commit = step.commit
        lines.append(escape.terminal(f"{commit.date.date().isoformat()}  {commit.sha[:10]}  "
                                     f"{commit.author}: {commit.subject}"))
        lines.extend(f"    {escape.terminal(line)}" for line in _step_lines(step))
    return "\n".join(lines) + "\n"


def render_history_json(view: HistoryView) -> str:
    ref, path, steps = view.ref, view.path, view.steps
    records = [{
        "commit": s.commit.sha, "date": s.commit.date.isoformat(), "author": s.commit.author,
        "message": s.commit.subject, "path": s.commit.path, "event": s.event,
        "changes": [_change_record(c) for c in s.changes],
        "state": asdict(s.snapshot) if s.snapshot else None,
    } for s in steps]
    return escape.json_text({"task": ref, "path": path, "history": records})
