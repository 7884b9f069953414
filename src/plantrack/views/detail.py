"""One task in full, for `plantrack show`."""

from __future__ import annotations

from typing import Any

from plantrack.model import Plan
from plantrack.state import TaskState
from plantrack.views.records import TASK_FIELDS, flat, task_record
from plantrack.views.text import STATE_LABELS, csv_text, json_text, md_table


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


def render_detail(item: TaskState, plan: Plan, fmt: str) -> Any:
    record = detail_record(item, plan)
    if fmt == "json":
        return json_text(record)
    if fmt == "csv":
        return csv_text([flat(task_record(item, plan))], TASK_FIELDS)
    fields = _fields(record, plan)
    sections = [s for s in _sections(record) if s[2]]
    if fmt == "markdown":
        parts = [f"## {record['plan']}/{record['id']}", "",
                 md_table(["Field", "Value"], fields)]
        for title, head, rows in sections:
            parts += ["", f"### {title}", "", md_table(head, rows)]
        return "\n".join(parts) + "\n"
    return _rich_detail(fields, sections)


def _rich_detail(fields: list[tuple[str, str]],
                 sections: list[tuple[str, list[str], list[list[object]]]]) -> Any:
    from rich import box
    from rich.console import Group
    from rich.table import Table

    head = Table(box=None, show_header=False, padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    for key, value in fields:
        head.add_row(key, value)
    parts: list[Any] = [head]
    for title, columns, rows in sections:
        table = Table(title=title, title_justify="left", title_style="bold",
                      box=box.SIMPLE_HEAD, show_edge=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(str(c) for c in row))
        parts += ["", table]
    return Group(*parts)
