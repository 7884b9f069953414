"""The calendar export (RFC 5545): what each task becomes, stable UIDs and bytes, escaping,
timed deadlines in the plan's timezone, recurring duties readers expand as plantrack does."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events  # type: ignore[import-untyped]
from icalendar import Calendar

from plantrack.checks.loader import load
from plantrack.domain.deadlines import parse_deadline
from plantrack.domain.model import Extension, Owner, Plan, Task
from plantrack.domain.query import derive_all
from plantrack.domain.recurrence import occurrences
from plantrack.domain.state import TaskState, derive_plan
from plantrack.views.calendar import render_ics, uid
from tests.conftest import WritePlan

D = dt.date
AS_OF = D(2025, 7, 10)

PLAN = """\
plantrack: 1
id: cal-2025
title: Digital transformation plan 2025
issued: 2025-02-19
timezone: Europe/Berlin
owners:
  dost: Department of Science and Technology
  ppc-office: Office of the Provincial People's Committee
  finance: Department of Finance
tasks:
  - id: T-1
    title: Draft the data strategy
    owner: dost
    with: [ppc-office, finance]
    due: 2025-09-30
    tags: [data, strategy]
  - id: T-2
    title: Launch the portal
    owner: dost
    due: 2025-06-30
  - id: T-3
    title: Finished early
    owner: dost
    due: 2025-05-31
    status: done
    completed: 2025-05-20
  - id: T-4
    title: Abandoned survey
    owner: finance
    due: 2025-08-15
    status: cancelled
  - id: T-5
    title: Standing duty
    owner: dost
    due: ongoing
  - id: T-6
    title: Not yet set
    owner: dost
    due: tbd
  - id: T-7
    title: Board meeting decision
    owner: ppc-office
    due: 2025-07-15T14:30
  - id: M-1
    title: Report monthly
    owner: dost
    recurs: FREQ=MONTHLY;BYMONTHDAY=25
    start: 2025-02-19
    tags: [reporting]
"""


def _loaded(write_plan: WritePlan, raw: str = PLAN) -> tuple[list[TaskState], dict[str, Plan]]:
    path = write_plan(raw=raw, plan_id="cal-2025")
    loaded = load([path])
    assert not [p for p in loaded.problems if p.is_error], loaded.problems
    plans = {sp.plan.id: sp.plan for sp in loaded.plans}
    return derive_all(loaded.plans, lambda _: AS_OF), plans


def _export(write_plan: WritePlan, as_of: dt.date = AS_OF, **kw: Any) -> bytes:
    path = write_plan(raw=PLAN, plan_id="cal-2025")
    loaded = load([path])
    plans = {sp.plan.id: sp.plan for sp in loaded.plans}
    return render_ics(derive_all(loaded.plans, lambda _: as_of), plans, as_of, **kw)


def _events(data: bytes) -> dict[str, Any]:
    cal = Calendar.from_ical(data)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_one_event_per_dated_task_done_and_undated_left_out(write_plan: WritePlan) -> None:
    data = _export(write_plan)
    events = _events(data)
    assert sorted(events) == sorted(f"cal-2025/{t}@plantrack"
                                    for t in ("T-1", "T-2", "T-4", "T-7", "M-1"))
    t1 = events["cal-2025/T-1@plantrack"]
    assert t1.decoded("dtstart") == D(2025, 9, 30)
    assert t1.decoded("dtend") == D(2025, 10, 1)
    assert b"DTSTART;VALUE=DATE:20250930\r\nDTEND;VALUE=DATE:20251001\r\n" in data
    assert str(t1["summary"]) == "Draft the data strategy"
    assert [str(c) for c in t1["categories"].cats] == ["data", "strategy"]


def test_every_event_has_what_readers_require(write_plan: WritePlan) -> None:
    data = _export(write_plan)
    cal = Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0" and str(cal["prodid"])
    for event in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event, (event.get("uid"), required)
        assert event.decoded("dtstamp") == dt.datetime(2025, 7, 10, tzinfo=dt.UTC)
    lines = data.split(b"\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in lines)  # folded, never inside a UTF-8 sequence
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_cancelled_kept_and_marked(write_plan: WritePlan) -> None:
    events = _events(_export(write_plan))
    assert str(events["cal-2025/T-4@plantrack"]["status"]) == "CANCELLED"
    assert "status" not in events["cal-2025/T-1@plantrack"]


def test_overdue_summary_prefixed_en_and_vi(write_plan: WritePlan) -> None:
    en = _events(_export(write_plan))["cal-2025/T-2@plantrack"]
    vi = _events(_export(write_plan, lang="vi"))["cal-2025/T-2@plantrack"]
    assert str(en["summary"]) == "[overdue] Launch the portal"
    assert str(vi["summary"]) == "[quá hạn] Launch the portal"
    assert "overdue" in str(en["description"])


def test_description_names_units_deadline_state_and_plan(write_plan: WritePlan) -> None:
    text = str(_events(_export(write_plan))["cal-2025/T-1@plantrack"]["description"])
    assert text.splitlines() == [
        "Presiding unit: Department of Science and Technology",
        "Coordinating units: Office of the Provincial People's Committee, "
        "Department of Finance",
        "Deadline: 2025-09-30",
        "State: on track (as of 10 July 2025)",
        "Plan: Digital transformation plan 2025",
    ]
    vi = str(_events(_export(write_plan, lang="vi"))["cal-2025/T-1@plantrack"]["description"])
    assert "Cơ quan chủ trì: Department of Science and Technology" in vi
    assert "Thời hạn: 30/9/2025" in vi
    assert "tính đến ngày 10/7/2025" in vi


def test_datetime_deadline_is_timed_in_the_plans_timezone(write_plan: WritePlan) -> None:
    data = _export(write_plan)
    cal = Calendar.from_ical(data)
    event = _events(data)["cal-2025/T-7@plantrack"]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert isinstance(start, dt.datetime)
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert start == dt.datetime(2025, 7, 15, 14, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert start.utcoffset() == dt.timedelta(hours=2)  # summer time
    assert end - start == dt.timedelta(minutes=30)
    zones = [str(z["tzid"]) for z in cal.walk("VTIMEZONE")]
    assert zones == ["Europe/Berlin"]


def test_no_vtimezone_without_timed_events(write_plan: WritePlan) -> None:
    items, plans = _loaded(write_plan)
    data = render_ics([i for i in items if i.task.id != "T-7"], plans, AS_OF)
    assert b"VTIMEZONE" not in data and b"TZID" not in data


def test_monthly_duty_on_the_25th_expands_to_the_25ths(write_plan: WritePlan) -> None:
    cal = Calendar.from_ical(_export(write_plan))
    event = _events(cal.to_ical())["cal-2025/M-1@plantrack"]
    assert event.decoded("dtstart") == D(2025, 2, 25)  # the first occurrence, not the start
    assert event["rrule"].to_ical() == b"FREQ=MONTHLY;BYMONTHDAY=25"
    found = [e for e in recurring_ical_events.of(cal).between(D(2025, 1, 1), D(2026, 1, 1))
             if str(e["uid"]) == "cal-2025/M-1@plantrack"]
    assert [e.decoded("dtstart") for e in found] == [D(2025, m, 25) for m in range(2, 13)]


@pytest.mark.parametrize("rule, start", [
    ("FREQ=MONTHLY;BYMONTHDAY=25", D(2025, 2, 26)),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", D(2025, 1, 15)),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", D(2025, 3, 5)),
    ("FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1", D(2025, 2, 19)),
    ("FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=30", D(2025, 7, 1)),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10;COUNT=3", D(2025, 2, 19)),
    ("freq=monthly;bymonthday=5;until=20251105T000000Z", D(2025, 2, 19)),
    ("RRULE:FREQ=DAILY;INTERVAL=10", D(2025, 2, 19)),
])
def test_readers_expand_a_duty_as_plantrack_does(rule: str, start: dt.date) -> None:
    task = Task(id="R-1", title="Duty", owner="o", recurs=rule, start=start)
    plan = Plan(plantrack=1, id="p", title="P", owners={"o": Owner(name="O")}, tasks=[task],
                issued=D(2025, 1, 1))
    day = D(2025, 1, 2)  # before the start: nothing overdue, the duty is upcoming
    cal = Calendar.from_ical(render_ics(derive_plan(plan, day), {"p": plan}, day))
    end = D(2026, 12, 31)
    expected = [d for d in occurrences(rule, start, end) if d < end]
    found = sorted(e.decoded("dtstart") for e in recurring_ical_events.of(cal).between(
        D(2025, 1, 1), end))
    assert found == expected and found


def test_uids_stable_across_as_of(write_plan: WritePlan) -> None:
    early = _events(_export(write_plan, as_of=D(2025, 3, 1)))
    late = _events(_export(write_plan, as_of=D(2025, 7, 10)))
    assert set(early) >= set(late) - {"cal-2025/T-2@plantrack"}
    assert "cal-2025/T-1@plantrack" in early and "cal-2025/T-1@plantrack" in late
    assert early["cal-2025/T-2@plantrack"]["summary"] != late["cal-2025/T-2@plantrack"][
        "summary"]  # overdue by July, the same event


def test_same_input_same_bytes(write_plan: WritePlan) -> None:
    first = _export(write_plan, name="Kế hoạch")
    assert first == _export(write_plan, name="Kế hoạch")
    assert b"DTSTAMP:20250710T000000Z" in first


def test_calendar_name(write_plan: WritePlan) -> None:
    assert str(Calendar.from_ical(_export(write_plan))["x-wr-calname"]) == (
        "Digital transformation plan 2025")
    named = _export(write_plan, name="Ours, mine;\nall")
    assert b"X-WR-CALNAME:Ours\\, mine\\; all\r\n" in named


def test_extension_moves_the_event_and_bumps_sequence() -> None:
    task = Task(id="E-1", title="Extended", owner="o", due=parse_deadline("2025-06-30"),
                extensions=(Extension(due=parse_deadline("2025-09-30"),
                                      approved=D(2025, 6, 20)),))
    plan = Plan(plantrack=1, id="p", title="P", owners={"o": Owner(name="O")}, tasks=[task])
    before = _events(render_ics(derive_plan(plan, D(2025, 6, 1)), {"p": plan}, D(2025, 6, 1)))
    after = _events(render_ics(derive_plan(plan, D(2025, 7, 1)), {"p": plan}, D(2025, 7, 1)))
    assert before["p/E-1@plantrack"].decoded("dtstart") == D(2025, 6, 30)
    assert after["p/E-1@plantrack"].decoded("dtstart") == D(2025, 9, 30)
    assert "sequence" not in before["p/E-1@plantrack"]
    assert int(after["p/E-1@plantrack"]["sequence"]) == 1


HOSTILE = "Line one\nline two\r\n, comma; semi\\colon \u202eevil\u202c \x00nul \x1b[31m red"


def test_hostile_title_round_trips_escaped() -> None:
    task = Task(id="H-1", title=HOSTILE, owner="o", due=parse_deadline("2025-12-31"),
                tags=("a,b", "c;d"), coordinators=("x",))
    plan = Plan(plantrack=1, id="p", title="Plan\nwith; breaks",
                owners={"o": Owner(name="Unit, one;\x07"), "x": Owner(name="X")}, tasks=[task])
    data = render_ics(derive_plan(plan, AS_OF), {"p": plan}, AS_OF)
    for raw in ("\x00", "\x1b", "\x07", "\u202e", "\u202c"):
        assert raw.encode() not in data
    assert b"\r\n, comma" not in data and b"\nline two" not in data
    event = _events(data)["p/H-1@plantrack"]
    summary = str(event["summary"])
    assert summary == ("Line one line two  , comma; semi\\colon \ufffdevil\ufffd \ufffdnul "
                       "\ufffd[31m red")
    assert b"\\, comma\\; semi\\\\colon" in data.replace(b"\r\n ", b"")
    assert [str(c) for c in event["categories"].cats] == ["a,b", "c;d"]
    description = str(event["description"]).splitlines()
    assert description[0] == "Presiding unit: Unit, one;\ufffd"
    assert description[-1] == "Plan: Plan with; breaks"


def test_uid_keeps_only_safe_characters() -> None:
    assert uid("plan-1", "T.1") == "plan-1/T.1@plantrack"
    assert uid("p\nx", "a b;c@d") == "px/abcd@plantrack"


def test_vietnamese_text_survives_utf8_nfc(tmp_path: Path) -> None:
    title = "Xây dựng cơ sở dữ liệu về đất đai, quy hoạch và chuyển đổi số tỉnh Hải Dương"
    decomposed = unicodedata.normalize("NFD", "Triển khai hạ tầng số")
    tasks = [Task(id="V-1", title=title, owner="o", due=parse_deadline("2025-Q3")),
             Task(id="V-2", title=decomposed, owner="o", due=parse_deadline("2025-08-01"))]
    plan = Plan(plantrack=1, id="p", title="Kế hoạch chuyển đổi số năm 2025",
                owners={"o": Owner(name="Sở Khoa học và Công nghệ")}, tasks=tasks, lang="vi")
    data = render_ics(derive_plan(plan, AS_OF), {"p": plan}, AS_OF, lang="vi")
    data.decode("utf-8")  # valid UTF-8, folded between characters
    events = _events(data)
    assert str(events["p/V-1@plantrack"]["summary"]) == title
    assert str(events["p/V-2@plantrack"]["summary"]) == "Triển khai hạ tầng số"  # NFC
    assert unicodedata.is_normalized("NFC", data.decode("utf-8"))
    description = str(events["p/V-1@plantrack"]["description"])
    assert "Cơ quan chủ trì: Sở Khoa học và Công nghệ" in description
    assert "Thời hạn: Quý III/2025" in description
    assert "Kế hoạch: Kế hoạch chuyển đổi số năm 2025" in description
    assert str(Calendar.from_ical(data)["x-wr-calname"]) == "Kế hoạch chuyển đổi số năm 2025"


def test_empty_input_is_still_a_calendar() -> None:
    cal = Calendar.from_ical(render_ics([], {}, AS_OF))
    assert cal.walk("VEVENT") == [] and str(cal["x-wr-calname"]) == "plantrack"
