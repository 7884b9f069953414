"""A plans diff as text for the terminal, Markdown for a pull-request comment, or JSON."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict

from plantrack.domain.deadlines import DeadlineError, parse_deadline
from plantrack.git.diff import Change, ConfigChange, PlanDiff, PlansDiff
from plantrack.git.history import Snapshot, Step
from plantrack.lang import Words
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
    if view.lang != "en":
        return _render_text_in(view, Words(view.lang))
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
    if view.lang != "en":
        return _render_markdown_in(view, Words(view.lang))
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
    if view.lang != "en":
        return _history_text_in(view, Words(view.lang))
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


# --- Other languages than English (`--lang vi`) ---------------------------------------------
# The English forms above stay as they are: JSON's `summary` and every English golden use
# them. A line below is a list of pieces: plain text, or a `_Key` (a YAML key or field path),
# which Markdown shows as a code span and text as written.

Line = list[str]
_SLOT = re.compile(r"%\((\w+)\)s")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_WHOLE_END = re.compile(r"\]#\d+$")  # the second item of a day: `updates[2025-05-25]#2`
# `key value, key value`: how the diff shows an item added or removed whole
_PART = re.compile(r", (?=[a-z_]+(?:\.[a-z_]+)* )")
_PART_KEYS = frozenset({
    "due", "approved", "ref", "reason", "date", "progress", "status", "note", "metric",
    "target", "actual", "measured", "baseline.value", "baseline.date", "name", "aliases",
    "succeeded_by.owner", "succeeded_by.from", "succeeded_by.ref", "id", "title", "url"})


class _Key(str):
    """A YAML key or field path: a code span in Markdown, so that no reader takes it for an
    untranslated word; as written in text."""

    __slots__ = ()


def _tr(words: Words, message: str, context: str = "diff") -> str:
    return words.tr.pgettext(context, message)


def _fill(template: str, values: dict[str, str | Line]) -> Line:
    """The pieces of `template` with its `%(name)s` slots filled, a slot's pieces kept apart
    (a translation may put the slots in any order)."""
    out: Line = []
    for index, part in enumerate(_SLOT.split(template)):
        if index % 2 == 0:
            out += [part] if part else []
        else:
            value = values[part]
            out += [value] if isinstance(value, str) else value
    return out


def _say(words: Words, template: str, **values: str | Line) -> Line:
    return _fill(_tr(words, template), values)


def _plain(line: Line) -> str:
    return "".join(line)


def _md_code(key: str) -> str:
    """A key as a code span; escaped as text when a code span cannot hold it safely."""
    shown = escape.terminal(key)
    if not shown.strip() or shown != shown.strip() or any(c in shown for c in "`|\\"):
        return md_escape(key)
    return f"`{shown}`"


def _md_line(line: Line) -> str:
    """Plain runs escaped as one (a mention may span two pieces), keys as code spans."""
    out, run = [], ""
    for piece in line:
        if isinstance(piece, _Key):
            out += [md_escape(run), _md_code(piece)] if run else [_md_code(piece)]
            run = ""
        else:
            run += piece
    return "".join([*out, md_escape(run)] if run else out)


def _none(words: Words) -> str:
    return _tr(words, "none")


def _deadline_words(words: Words, text: object) -> str:
    """A deadline as written ("2025-Q3") in the language's words ("Quý III/2025")."""
    if text is None:
        return _none(words)
    try:
        return words.deadline(parse_deadline(str(text)))
    except DeadlineError:
        return str(text)


def _last_key(path: str) -> str:
    """The key a field path ends with: `actual` of `targets[x].actual`."""
    return _BRACKETS.sub("", path.partition("#")[0]).rsplit(".", 1)[-1]



def _leaf(words: Words, value: object, key: str) -> str:
    """One value as the language writes it: deadlines in words, dates day-first, statuses
    and progress in words; any other as written."""
    if value is None:
        return _none(words)
    if isinstance(value, int | float):
        return words.number(value) + ("%" if key == "progress" else "")
    text = str(value)
    if key == "due":
        return _deadline_words(words, text)
    if key == "status":
        return words.status(text)
    if key == "progress" and text.isdigit():
        return f"{text}%"
    if _ISO_DAY.fullmatch(text):
        return words.day(dt.date.fromisoformat(text))
    return text


def _whole(words: Words, value: object) -> str:
    """An item added or removed whole (`due 2025-09-30, approved 2025-03-20, ref 12/QD`)
    with its keys named in the language; a part that is not `key value` stays as written."""
    parts = []
    for part in _PART.split(str(value)):
        key, _, rest = part.partition(" ")
        if key in _PART_KEYS and rest:
            parts.append(f"{_tr(words, key, 'diff field')} {_leaf(words, rest, _last_key(key))}")
        else:
            parts.append(part)
    return ", ".join(parts)


def _value_in(words: Words, change: Change, value: object) -> str:
    if change.kind in ("title", "text"):
        return _none(words) if value is None else str(value)  # the plan's own words
    if change.field.endswith("]") or _WHOLE_END.search(change.field):
        return _whole(words, value)
    return _leaf(words, value, _last_key(change.field))



def _field_line_in(change: Change, words: Words) -> Line:
    prefix = {"history": "REWRITTEN ", "owner_removed": "owner removed: "}.get(change.kind)
    start = [_tr(words, prefix)] if prefix else []
    name = _Key(change.field)
    old, new = _value_in(words, change, change.old), _value_in(words, change, change.new)
    if change.old is None:
        return start + _say(words, "%(field)s added: %(new)s", field=name, new=new)
    if change.new is None:
        return start + _say(words, "%(field)s removed (was %(old)s)", field=name, old=old)
    return start + _say(words, "%(field)s %(old)s -> %(new)s", field=name, old=old, new=new)


def _moved_in(change: Change, words: Words) -> str:
    """How a deadline moved, with the markers a reviewer looks for, as in English."""
    parts = []
    if change.days is not None:
        parts.append(_tr(words, "%(days)s days") % {"days": f"{change.days:+d}"})
    if change.extended:
        parts.append(_tr(words, "approved extension"))
    elif change.later:
        parts.append(_tr(words, "no approved extension"))
    if change.hard:
        parts.append(_tr(words, "HARD deadline"))
    return f" ({', '.join(parts)})" if parts else ""


def _deadline_in(change: Change, words: Words) -> Line:
    old, new = _deadline_words(words, change.old), _deadline_words(words, change.new)
    template = ("deadline set: %(old)s -> %(new)s%(moved)s"
                if change.old == "tbd" and change.new not in (None, "tbd")
                else "deadline %(old)s -> %(new)s%(moved)s")
    return _say(words, template, old=old, new=new, moved=_moved_in(change, words))


def _pair(words: Words, template: str, change: Change, said: Callable[[object], str]
          ) -> Line:
    return _say(words, template, old=said(change.old), new=said(change.new))


def _status_word(words: Words) -> Callable[[object], str]:
    return lambda value: _none(words) if value is None else words.status(str(value))


def _keys(words: Words) -> Callable[[object], str]:
    return lambda value: _none(words) if value is None else str(value)


def _percent(words: Words) -> Callable[[object], str]:
    return lambda value: _none(words) if value is None else f"{value}%"


def _rule(words: Words) -> Callable[[object], str]:
    return lambda value: _none(words) if value is None else words.recurrence(str(value))


def _reopened_in(change: Change, words: Words) -> Line:
    line = _pair(words, "reopened: %(old)s -> %(new)s", change, _status_word(words))
    return line if change.noted else [*line, _tr(words, ", no note why")]


_SIMPLE_IN: dict[str, tuple[str, Callable[[Words], Callable[[object], str]]]] = {
    "status": ("status %(old)s -> %(new)s", _status_word),
    "progress": ("progress %(old)s -> %(new)s", _percent),
    "recurrence": ("recurrence %(old)s -> %(new)s", _rule),
    "owner": ("owner %(old)s -> %(new)s", _keys),
    "coordinators": ("coordinators %(old)s -> %(new)s", _keys),
    "title": ("title %(old)s -> %(new)s", _keys),
}


def describe_in(change: Change, words: Words) -> Line:
    """`describe` in the language of `words`, as pieces."""
    kind = change.kind
    if kind == "task_added":
        return _say(words, "added: %(title)s", title=change.title)
    if kind == "task_removed":
        return _say(words, "removed: %(title)s", title=change.title)
    if kind in ("cancelled", "completed"):
        was = _status_word(words)(change.old)
        return _say(words, f"{kind} (was %(old)s)", old=was)
    if kind == "reopened":
        return _reopened_in(change, words)
    if kind == "deadline":
        return _deadline_in(change, words)
    if kind in _SIMPLE_IN:
        template, said = _SIMPLE_IN[kind]
        return _pair(words, template, change, said(words))
    return _field_line_in(change, words)


_SUMMARY_IN = (
    "%(n)s plan(s) changed", "%(n)s plan(s) added", "%(n)s plan(s) removed",
    "%(n)s task(s) added", "%(n)s task(s) removed", "%(n)s deadline(s) moved",
    "%(n)s completed", "%(n)s cancelled", "%(n)s reopened", "%(n)s owner(s) reassigned",
    "%(n)s coordinator change(s)", "%(n)s status change(s)", "%(n)s progress change(s)",
    "%(n)s update(s) added", "%(n)s extension(s) added", "%(n)s target change(s)",
    "%(n)s text edit(s)", "%(n)s record(s) rewritten", "%(n)s plan field(s) changed",
    "%(n)s other field(s) changed", "configuration of the checks changed",
)


def _counts(diff: PlansDiff) -> list[int]:
    """The counts `summary` gives, in its order (that of `_SUMMARY_IN`)."""
    n = diff.count
    return [len(diff.plans_in("changed")), len(diff.plans_in("added")),
            len(diff.plans_in("removed")), n("task_added"), n("task_removed"), n("deadline"),
            n("completed"), n("cancelled"), n("reopened"), n("owner"), n("coordinators"),
            n("status"), n("progress"), n("update"), n("extension"), n("target"),
            n("title") + n("text"), n("history"), n("plan") + n("owner_removed"),
            n("recurrence") + n("field"), 1 if diff.config else 0]


def summary_in(diff: PlansDiff, words: Words) -> str:
    if diff.is_empty:
        return _tr(words, "No changes to plans.")
    said = [_tr(words, label) % {"n": words.number(count)}
            for label, count in zip(_SUMMARY_IN, _counts(diff), strict=True) if count]
    return ", ".join(said) + "."


def _state_in(words: Words, state: str) -> str:
    return _tr(words, state, "diff plan")


def _config_lines_in(change: ConfigChange, words: Words) -> list[Line]:
    path = _Key(change.head_path or change.base_path or "")
    lines = [_say(words, "%(path)s [%(state)s]: the configuration of the checks "
                  "(plantrack diff --check applies the base revision's)",
                  path=path, state=_state_in(words, change.state))]
    default = _tr(words, "default")
    lines += [_say(words, "%(setting)s  %(old)s -> %(new)s", setting=_Key(name),
                   old=default if old is None else str(old),
                   new=default if new is None else str(new))
              for name, old, new in change.settings]
    return lines


def _heading_in(plan: PlanDiff, words: Words) -> str:
    path = plan.head_path or plan.base_path
    text = f"{plan.plan_id}: {plan.title} [{_state_in(words, plan.state)}] {path}"
    if plan.renamed:
        text += _tr(words, " (renamed from %(path)s)") % {"path": plan.base_path}
    return text


def _subject_in(change: Change, words: Words) -> str:
    return change.task_id if change.task_id is not None else _tr(words, "(plan)")


def _render_text_in(view: DiffView, words: Words) -> str:
    diff = view.changes
    config = _config_lines_in(diff.config, words) if diff.config else []
    lines = [("  " if index else "") + _plain(line) for index, line in enumerate(config)]
    for plan in diff.plans:
        lines.append(_heading_in(plan, words))
        if plan.state != "changed":
            lines.append("  " + _tr(words, "%(n)s task(s)") % {"n": len(plan.changes)})
            continue
        lines += [f"  {_subject_in(c, words)}  {_plain(describe_in(c, words))}"
                  for c in plan.changes]
    lines.append(summary_in(diff, words))
    return "".join(escape.terminal(line) + "\n" for line in lines)


def _md_plan_in(plan: PlanDiff, words: Words) -> list[str]:
    state = "" if plan.state == "changed" else f" ({_state_in(words, plan.state)})"
    count = _tr(words, "%(n)s change(s)") % {"n": len(plan.changes)}
    renamed = (_md_line(_say(words, ", renamed from %(path)s", path=_Key(plan.base_path or "")))
               if plan.renamed else "")
    lines = ["<details>",
             f"<summary><b>{md_escape(plan.plan_id)}</b>{md_escape(state)}: "
             f"{md_escape(plan.title)} ({md_escape(count)}{renamed})</summary>", ""]
    if plan.changes:
        lines += [f"| {md_escape(_tr(words, 'Task'))} | {md_escape(_tr(words, 'Change'))} |",
                  "|---|---|"]
        lines += [f"| {md_escape(_subject_in(c, words))} | {_md_line(describe_in(c, words))} |"
                  for c in plan.changes]
        lines.append("")
    return [*lines, "</details>"]


def _md_problems_in(problems: list[Problem], words: Words) -> list[str]:
    """The policy's findings, first; their messages are the policy's own, as it words them."""
    if not problems:
        return []
    errors = sum(1 for p in problems if p.is_error)
    counts = _tr(words, "%(errors)s error(s), %(warnings)s warning(s)") % {
        "errors": errors, "warnings": len(problems) - errors}
    lines = [f"**{md_escape(_tr(words, 'Policy:'))}** {md_escape(counts)}", ""]
    for p in problems:
        where = f"{p.path}:{p.line}" if p.line else p.path
        lines.append(f"- **{md_escape(_tr(words, p.severity, 'diff severity'))}** "
                     f"`{md_escape(p.code)}` {md_escape(where)}: {md_escape(p.message)}"
                     + (f" ({md_escape(p.hint)})" if p.hint else ""))
    return [*lines, ""]


def _render_markdown_in(view: DiffView, words: Words) -> str:
    diff = view.changes
    lines = [*_md_problems_in(view.problems, words),
             f"**{md_escape(_tr(words, 'Plan changes:'))}** {md_escape(summary_in(diff, words))}",
             ""]
    if diff.config:
        config = _config_lines_in(diff.config, words)
        lines += [f"**{_md_line(config[0])}**", ""]
        lines += [f"- {_md_line(line)}" for line in config[1:]]
        lines.append("")
    for plan in diff.plans:
        lines += [*_md_plan_in(plan, words), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _snapshot_in(snapshot: Snapshot, words: Words) -> str:
    deadline = snapshot.deadline
    if deadline is not None and deadline.startswith("recurs "):
        shown = words.recurrence(deadline.removeprefix("recurs "))  # see `Snapshot.of`
    else:
        shown = _deadline_words(words, deadline)
    return _tr(words, "deadline %(deadline)s, status %(status)s, progress %(progress)s, "
               "owner %(owner)s") % {
        "deadline": shown, "status": words.status(snapshot.status),
        "progress": _percent(words)(snapshot.progress), "owner": snapshot.owner}


def _step_lines_in(step: Step, words: Words) -> list[str]:
    if step.event == "created":
        assert step.snapshot is not None
        return [_tr(words, "created: %(state)s") % {"state": _snapshot_in(step.snapshot, words)}]
    if step.event != "changed":
        return [_tr(words, step.event, "diff event")]
    return [_plain(describe_in(c, words)) for c in step.changes]


def _history_text_in(view: HistoryView, words: Words) -> str:
    lines = [escape.terminal(_tr(words, "%(ref)s in %(path)s") % {"ref": view.ref,
                                                                  "path": view.path})]
    for step in view.steps:
        commit = step.commit
        lines.append(escape.terminal(f"{words.date(commit.date.date())}  {commit.sha[:10]}  "
                                     f"{commit.author}: {commit.subject}"))
        lines.extend(f"    {escape.terminal(line)}" for line in _step_lines_in(step, words))
    return "\n".join(lines) + "\n"
