"""`status` as JSON, CSV and Markdown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plantrack.domain.model import Plan
from plantrack.domain.state import STATES
from plantrack.domain.summary import Summary
from plantrack.lang import Words
from plantrack.views.formats import StatusView
from plantrack.views.records import flat, tally_record, task_record
from plantrack.views.text import (
    STATE_SHORT,
    csv_text,
    json_text,
    md_table,
    share_text,
    shown_states,
)

GROUP_FIELDS = ("group", "plan", "owner", "owner_name", "total", *STATES, "on_time_share",
                "most_days_overdue")


def status_record(summary: Summary, as_of: dt.date, plans: dict[str, Plan]) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "total": tally_record(summary.total),
        "plans": [{"plan": r.plan_id, "title": r.title, **tally_record(r.tally)}
                  for r in summary.plans],
        "owners": [{"plan": r.plan_id, "owner": r.key, "owner_name": r.name,
                    **tally_record(r.tally)} for r in summary.owners],
        "most_overdue": [task_record(i, plans[i.plan_id]) for i in summary.most_overdue],
        "unscheduled": [task_record(i, plans[i.plan_id]) for i in summary.unscheduled],
    }


def _rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [{"group": "plan", **p} for p in record["plans"]]
    rows += [{"group": "owner", **o} for o in record["owners"]]
    rows.append({"group": "all", **record["total"]})
    return [flat(r) for r in rows]


def _markdown(summary: Summary, as_of: dt.date, words: Words) -> str:
    states = shown_states(summary.total.counts)
    head = [words("Tasks"), *(words.tr.pgettext("short", STATE_SHORT[s]) for s in states),
            words("On-time")]
    right = range(1, len(head) + 1)

    def cells(t: Any) -> list[object]:
        return [t.total, *(t.counts[s] for s in states), share_text(t.on_time_share)]

    def day(item: Any) -> str:
        if not item.deadline_day:
            return ""
        return item.deadline_day.isoformat() if words.lang == "en" else words.date(
            item.deadline_day)

    parts = [f"## {words('Status as of %(date)s') % {'date': words.date(as_of)}}", "",
             md_table([words("Plan"), *head],
                      [[r.plan_id, *cells(r.tally)] for r in summary.plans], right), "",
             f"### {words('By owner')}", "",
             md_table([words("Owner"), words("Plan"), *head],
                      [[r.name, r.plan_id, *cells(r.tally)] for r in summary.owners],
                      [i + 1 for i in right])]
    if summary.most_overdue:
        parts += ["", f"### {words('Most overdue')}", "",
                  md_table([words(h) for h in ("Task", "Title", "Owner", "Deadline",
                                               "Days overdue")],
                           [[i.task.id, i.task.title, i.task.owner, day(i), i.days_overdue]
                            for i in summary.most_overdue], [4])]
    if summary.unscheduled:
        parts += ["", "### " + words("No deadline yet (%(n)s)") % {"n": len(summary.unscheduled)},
                  "", md_table([words(h) for h in ("Task", "Title", "Owner")],
                               [[i.task.id, i.task.title, i.task.owner]
                                for i in summary.unscheduled])]
    return "\n".join(parts) + "\n"


def render_status(summary: Summary, as_of: dt.date, plans: dict[str, Plan], fmt: str,
                  lang: str = "en") -> str:
    if fmt == "markdown":
        return _markdown(summary, as_of, Words(lang))
    record = status_record(summary, as_of, plans)
    if fmt == "json":
        return json_text(record)
    return csv_text(_rows(record), GROUP_FIELDS)


def render_json(view: StatusView) -> str:
    return render_status(view.summary, view.as_of, view.plans, "json")


def render_csv(view: StatusView) -> str:
    return render_status(view.summary, view.as_of, view.plans, "csv")


def render_markdown(view: StatusView) -> str:
    return render_status(view.summary, view.as_of, view.plans, "markdown", view.lang)
