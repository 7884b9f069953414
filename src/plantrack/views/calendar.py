"""Tasks as an iCalendar file (RFC 5545): a pure function of the derived states.

One all-day event per task with a deadline in force, on its last day; a `datetime`
deadline is a 30-minute event at that minute in the plan's timezone, which the file
describes in a VTIMEZONE. One recurring event per recurring duty, from its first
occurrence, its RRULE kept. Done tasks are left out, and so are those with no date
(`ongoing`, `tbd`); a cancelled task stays, marked STATUS:CANCELLED.

The same input gives the same bytes: DTSTAMP is `as_of` at midnight UTC, UIDs are the
tasks' references (`{plan}/{task}@plantrack`), and nothing reads the clock. Plan text goes
through `escape.inert`, then NFC, then icalendar's own TEXT escaping.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from plantrack.asof import zone
from plantrack.domain.model import Plan, Task
from plantrack.domain.owners import in_charge
from plantrack.domain.recurrence import RuleError, occurrences
from plantrack.domain.state import TaskState
from plantrack.lang import Words
from plantrack.views.escape import inert

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//plantrack//plantrack calendar//EN"
TIMED_MINUTES = 30
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9._/-]")
_DONE = ("done_on_time", "done_late")


def text(value: object) -> str:
    """Plan text for a TEXT property: no control or bidirectional character (U+FFFD, or a
    space for a break), composed (NFC). icalendar escapes `\\`, `;`, `,` and breaks."""
    return unicodedata.normalize("NFC", inert(str(value)))


def uid(plan_id: str, task_id: str) -> str:
    """A task's UID, the same in every export: its reference, nothing outside
    [A-Za-z0-9._/-]."""
    return f"{_UID_UNSAFE.sub('', plan_id)}/{_UID_UNSAFE.sub('', task_id)}@plantrack"


def first_occurrence(task: Task, plan: Plan | None) -> dt.date | None:
    """A recurring duty's first occurrence, from its `start` (else the plan's `issued`);
    None when it has no start, no usable rule or no occurrence."""
    start = task.start or (plan.issued if plan else None)
    if task.recurs is None or start is None:
        return None
    try:
        found = occurrences(task.recurs, start, start)  # stops at the first
    except RuleError:
        return None
    return found[0] if found else None


def _owner_name(plan: Plan | None, key: str) -> str:
    owner = plan.owners.get(key) if plan else None
    return str(owner.name) if owner is not None else key


def _charge(plan: Plan | None, key: str, day: dt.date) -> str:
    return in_charge(plan, key, day) if plan else key


def description(item: TaskState, plan: Plan | None, as_of: dt.date, words: Words) -> str:
    """Presiding unit, coordinating units, deadline in words, state as of `as_of`, plan."""
    task = item.task
    lines = [f"{words('Presiding unit')}: "
             f"{text(_owner_name(plan, item.in_charge or task.owner))}"]
    coordinators = list(dict.fromkeys(_charge(plan, k, as_of) for k in task.coordinators))
    if coordinators:
        names = ", ".join(text(_owner_name(plan, k)) for k in coordinators)
        lines.append(f"{words('Coordinating units')}: {names}")
    due = words.recurrence(text(task.recurs)) if task.recurs else words.deadline(
        item.deadline)
    lines.append(f"{words('Deadline')}: {text(due)}")
    when = words("as of %(date)s") % {"date": words.day(as_of)}
    lines.append(f"{words('State')}: {words.state(item.state)} ({when})")
    lines.append(f"{words('Plan')}: {text(plan.title) if plan else text(item.plan_id)}")
    return "\n".join(lines)


def summary(item: TaskState, words: Words) -> str:
    title = text(item.task.title)
    return f"[{words.short_state('overdue')}] {title}" if item.state == "overdue" else title


def _dated(event: Event, item: TaskState, plan: Plan | None) -> dt.date | None:
    """DTSTART and DTEND of a task with a deadline in force; the day, or None (no date)."""
    deadline = item.deadline
    if deadline is None or deadline.last_day is None:
        return None
    day = deadline.last_day
    if deadline.kind == "datetime" and deadline.at is not None:
        tz = zone(plan.timezone if plan else None) or zone(None)
        start = dt.datetime.combine(day, deadline.at, tzinfo=tz)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=TIMED_MINUTES))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    return day


def _rule_text(rule: str) -> str:
    """The RRULE as RFC 5545 writes it: what `recurrence.parse_rule` reads, without an
    `RRULE:` prefix, stray `;` or blanks around `=`."""
    body = rule.strip().upper()
    body = body[len("RRULE:"):] if body.startswith("RRULE:") else body
    parts = (part.partition("=") for part in body.split(";"))
    return ";".join(f"{k.strip()}={v.strip()}" for k, _, v in parts if k.strip())


def _recurring(event: Event, item: TaskState, plan: Plan | None) -> dt.date | None:
    """DTSTART, DTEND and RRULE of a recurring duty; its first day, or None."""
    from icalendar import vRecur

    first = first_occurrence(item.task, plan)
    if first is None or item.task.recurs is None:
        return None
    recur = vRecur.from_ical(_rule_text(item.task.recurs))
    until = recur.get("UNTIL")
    if until:  # a date, as DTSTART is one (RFC 5545 3.3.10); the format reads only the day
        recur["UNTIL"] = [u.date() if isinstance(u, dt.datetime) else u for u in until]
    event.add("dtstart", first)
    event.add("dtend", first + dt.timedelta(days=1))
    event.add("rrule", recur)
    return first


def _extensions_by(task: Task, day: dt.date) -> int:
    return sum(1 for e in task.extensions if e.approved <= day)


def _unique(key: str, used: set[str]) -> str:
    """`key`, or `key` numbered when stripping made two references one."""
    stem, n, found = key.removesuffix("@plantrack"), 1, key
    while found in used:
        n += 1
        found = f"{stem}-{n}@plantrack"
    return found


def calendar_name(plans: dict[str, Plan], name: str | None) -> str:
    if name is not None:
        return text(name)
    titles = list(dict.fromkeys(text(p.title) for p in plans.values()))
    return " / ".join(titles) or "plantrack"


def _shown(items: Iterable[TaskState]) -> Iterable[TaskState]:
    for item in items:
        if item.state in _DONE or item.status == "done":
            continue
        if item.state in ("ongoing", "unscheduled"):
            continue  # no date: an open-ended duty, a deadline not yet set
        yield item


def render_ics(items: list[TaskState], plans: dict[str, Plan], as_of: dt.date,
               lang: str = "en", name: str | None = None) -> bytes:
    """The tasks of `items` (states as of `as_of`) as an iCalendar file, UTF-8, CRLF."""
    from icalendar import Calendar, Event, vText

    words = Words(lang)
    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(calendar_name(plans, name)))
    used: set[str] = set()
    timed: list[dt.date] = []
    for item in _shown(items):
        plan = plans.get(item.plan_id)
        event = Event()
        event.add("uid", _unique(uid(item.plan_id, item.task.id), used))
        event.add("dtstamp", stamp)
        recurs = item.task.recurs is not None
        day = _recurring(event, item, plan) if recurs else _dated(event, item, plan)
        if day is None:
            continue  # no date to put it on
        used.add(str(event["uid"]))
        if not recurs and item.deadline is not None and item.deadline.kind == "datetime":
            timed.append(day)
        event.add("summary", summary(item, words))
        event.add("description", description(item, plan, as_of, words))
        if item.task.tags:
            event.add("categories", [text(t) for t in item.task.tags])
        if item.status == "cancelled":
            event.add("status", "CANCELLED")
        sequence = _extensions_by(item.task, as_of) + (item.status == "cancelled")
        if sequence:
            event.add("sequence", sequence)
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        cal.add_component(event)
    if timed:
        cal.add_missing_timezones(dt.date(min(timed).year, 1, 1),
                                  dt.date(max(timed).year + 1, 1, 1))
    ical: bytes = cal.to_ical()
    return ical
