"""One task in full, for `plantrack show`."""

from __future__ import annotations

from typing import Any

from plantrack.domain.model import Plan
from plantrack.domain.state import TaskState
from plantrack.views import columns as col
from plantrack.views import escape
from plantrack.views.formats import TaskDetail
from plantrack.views.records import TASK_FIELDS, flat, task_record
from plantrack.views.text import STATE_LABELS, csv_text, json_text, md_escape, md_table


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


def _fields(record: dict[str, Any], plan: Plan) -> list[tuple[str, str]]:
    owner = record["owner_name"] or record["owner"]
    coordinators = [plan.owners[k].name if k in plan.owners else k for k in record["with"]]
    rows = [
        ("Task", f"{record['plan']}/{record['id']}"), ("Title", record["title"]),
        ("Owner", f"{owner} ({record['owner']})"),
        ("With", "; ".join(coordinators)),
        ("Due", record["due"] or (f"recurs {record['recurs']}" if record["recurs"] else "")),
        ("Deadline", record["deadline"] or ""), ("Hard", "yes" if record["hard"] else ""),
        ("State", STATE_LABELS[record["state"]] + (
            f", {record['days_overdue']} days overdue" if record["days_overdue"] else "")),
        ("Status", record["status"]),
        ("Progress", "" if record["progress"] is None else f"{record['progress']}%"),
        ("Completed", record["completed"] or ""), ("Depends on", ", ".join(record["depends_on"])),
        ("Tags", ", ".join(record["tags"])), ("Basis", ", ".join(record["basis"])),
        ("Missed reports", ", ".join(record["missed_reports"])),
        ("Source", record["source"] or ""), ("Notes", record["notes"] or ""),
    ]
    return [(k, v) for k, v in rows if v]


def _sections(record: dict[str, Any]) -> list[tuple[str, list[str], list[list[object]]]]:
    return [
        ("Deadline history", ["Due", "Approved", "Ref", "Reason"],
         [[d["due"], d["approved"] or "", d["ref"] or "", d["reason"] or ""]
          for d in record["deadline_history"]]),
        ("Updates", ["Date", "Progress", "Status", "Note"],
         [[u["date"], "" if u["progress"] is None else f"{u['progress']}%", u["status"] or "",
           u["note"] or ""] for u in record["updates"]]),
        ("Targets", ["Metric", "Target", "Actual", "Measured"],
         [[t["metric"], t["target"], "" if t["actual"] is None else t["actual"],
           t["measured"] or ""] for t in record["targets"]]),
    ]


def render_json(view: TaskDetail) -> str:
    return json_text(detail_record(view.item, view.plan))


def render_csv(view: TaskDetail) -> str:
    return csv_text([flat(task_record(view.item, view.plan))], TASK_FIELDS)


def render_markdown(view: TaskDetail) -> str:
    record = detail_record(view.item, view.plan)
    parts = [f"## {md_escape(record['plan'])}/{md_escape(record['id'])}", "",
             md_table(["Field", "Value"], _fields(record, view.plan))]
    for title, head, rows in _sections(record):
        if rows:
            parts += ["", f"### {title}", "", md_table(head, rows)]
    return "\n".join(parts) + "\n"


def render_table(view: TaskDetail) -> str:
    """The fields as `key  value` lines, the value wrapped to the terminal, then a table for
    each of the deadline history, updates and targets: the column layout `list` uses."""
    record = detail_record(view.item, view.plan)
    fields = _fields(record, view.plan)
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
    for title, head, rows in _sections(record):
        if rows:
            cells = [[(str(c), "") for c in row] for row in rows]
            out += "\n" + col.render([col.Column(h) for h in head], cells, title, width, colour)
    return out
