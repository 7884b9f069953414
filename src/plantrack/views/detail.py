"""One task in full, for `plantrack show`."""

from __future__ import annotations

from typing import Any

from plantrack.domain.model import Plan
from plantrack.domain.state import TaskState
from plantrack.lang import Words
from plantrack.views import columns as col
from plantrack.views import escape
from plantrack.views.formats import TaskDetail
from plantrack.views.records import TASK_FIELDS, flat, task_record
from plantrack.views.text import csv_text, json_text, md_escape, md_table


def detail_record(item: TaskState, plan: Plan) -> dict[str, Any]:
    task = item.task
    return {
        **task_record(item, plan),
        "start": task.start.isoformat() if task.start else None,
        "depends_on": list(task.depends_on),
        "basis": list(task.basis),
        "source": task.source,
        "notes": task.notes,
        "missed_reports": [d.isoformat() for d in item.missed_reports],
        "deadline_history": _deadline_history(item),
        "updates": [{"date": u.date.isoformat(), "progress": u.progress, "status": u.status,
                     "note": u.note} for u in task.updates],
        "targets": [{"metric": t.metric, "target": t.target, "actual": t.actual,
                     "measured": t.measured.isoformat() if t.measured else None}
                    for t in task.targets],
    }


def _deadline_history(item: TaskState) -> list[dict[str, Any]]:
    task = item.task
    out: list[dict[str, Any]] = []
    if task.due:
        out.append({"due": task.due.text, "approved": None, "ref": None, "reason": "original"})
    out += [{"due": e.due.text, "approved": e.approved.isoformat(), "ref": e.ref,
             "reason": e.reason} for e in task.extensions]
    return out


def _fields(record: dict[str, Any], item: TaskState, plan: Plan, words: Words
            ) -> list[tuple[str, str]]:
    owner = record["owner_name"] or record["owner"]
    coordinators = [plan.owners[k].name if k in plan.owners else k for k in record["with"]]
    vi = words.lang != "en"
    task = item.task
    due = record["due"] or (words.recurrence(record["recurs"]) if record["recurs"] else "")
    if vi and task.due is not None:
        due = words.deadline(task.due)
    deadline = words.date(item.deadline_day) if vi and item.deadline_day else (
        record["deadline"] or "")
    state = words.short_state(record["state"]) + (
        ", " + words("%(n)s days overdue") % {"n": record["days_overdue"]}
        if record["days_overdue"] else "")
    rows = [
        ("Task", f"{record['plan']}/{record['id']}"), ("Title", record["title"]),
        ("Owner", f"{owner} ({record['owner']})"),
        ("With", "; ".join(coordinators)),
        ("Due", due), ("Deadline", deadline), ("Hard", words("yes") if record["hard"] else ""),
        ("State", state), ("Status", words.status(record["status"])),
        ("Progress", "" if record["progress"] is None else f"{record['progress']}%"),
        ("Completed", _day(record["completed"], words)),
        ("Depends on", ", ".join(record["depends_on"])),
        ("Tags", ", ".join(record["tags"])), ("Basis", ", ".join(record["basis"])),
        ("Missed reports", ", ".join(_day(d, words) for d in record["missed_reports"])),
        ("Source", record["source"] or ""), ("Notes", record["notes"] or ""),
    ]
    return [(words.field(k), v) for k, v in rows if v]


def _day(iso: str | None, words: Words) -> str:
    """An ISO date of the record as the language writes dates."""
    if not iso:
        return ""
    import datetime as dt

    return words.date(dt.date.fromisoformat(iso[:10])) if words.lang != "en" else iso


def _sections(record: dict[str, Any], item: TaskState, words: Words
              ) -> list[tuple[str, list[str], list[list[object]]]]:
    task, vi = item.task, words.lang != "en"
    dues = ([task.due] if task.due else []) + [e.due for e in task.extensions]
    history = []
    for n, d in enumerate(record["deadline_history"]):
        due = words.deadline(dues[n]) if vi and n < len(dues) else d["due"]
        reason = words("original") if d["reason"] == "original" and d["approved"] is None \
            and n == 0 and task.due else (d["reason"] or "")
        history.append([due, _day(d["approved"], words), d["ref"] or "", reason])
    return [
        (words("Deadline history"), [words(h) for h in ("Due", "Approved", "Ref", "Reason")],
         history),
        (words("Updates"), [words(h) for h in ("Date", "Progress", "Status", "Note")],
         [[_day(u["date"], words), "" if u["progress"] is None else f"{u['progress']}%",
           words.status(u["status"]) if u["status"] else "", u["note"] or ""]
          for u in record["updates"]]),
        (words("Targets"), [words(h) for h in ("Metric", "Target", "Actual", "Measured")],
         [[t["metric"], t["target"], "" if t["actual"] is None else t["actual"],
           _day(t["measured"], words)] for t in record["targets"]]),
    ]


def render_json(view: TaskDetail) -> str:
    return json_text(detail_record(view.item, view.plan))


def render_csv(view: TaskDetail) -> str:
    return csv_text([flat(task_record(view.item, view.plan))], TASK_FIELDS)


def render_markdown(view: TaskDetail) -> str:
    record = detail_record(view.item, view.plan)
    words = Words(view.lang)
    parts = [f"## {md_escape(record['plan'])}/{md_escape(record['id'])}", "",
             md_table([words("Field"), words("Value")],
                      _fields(record, view.item, view.plan, words))]
    for title, head, rows in _sections(record, view.item, words):
        if rows:
            parts += ["", f"### {title}", "", md_table(head, rows)]
    return "\n".join(parts) + "\n"


def render_table(view: TaskDetail) -> str:
    """The fields as `key  value` lines, the value wrapped to the terminal, then a table for
    each of the deadline history, updates and targets: the column layout `list` uses."""
    record = detail_record(view.item, view.plan)
    words = Words(view.lang)
    fields = _fields(record, view.item, view.plan, words)
    colour, width = view.terminal.colour, view.terminal.width
    key_width = max((col.cell_len(k) for k, _ in fields), default=0)
    room = max(width - key_width - 2, 20) if width else None
    lines: list[str] = []
    for key, raw in fields:
        value = escape.terminal(raw)
        parts = col.wrap(value, room) if room else [value]
        label = col.paint(col.pad(key, key_width), "bold", colour)
        lines.append(f"{label}  {parts[0] if parts else ''}")
        lines.extend(" " * (key_width + 2) + part for part in parts[1:])
    out = "\n".join(line.rstrip() for line in lines) + "\n"
    for title, head, rows in _sections(record, view.item, words):
        if rows:
            cells = [[(str(c), "") for c in row] for row in rows]
            out += "\n" + col.render([col.Column(h) for h in head], cells, title, width, colour)
    return out
