"""Random sequences of edits on oddly formatted plans: untouched lines stay, edits stick."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantrack.domain.deadlines import parse_deadline
from plantrack.edit import operations
from plantrack.edit.roundtrip import RoundTrip

ODD = (Path(__file__).parent / "fixtures" / "edit" / "odd.yaml").read_text(encoding="utf-8")

days = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
notes = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
edits = st.one_of(
    st.tuples(st.just("update"), st.sampled_from(["OD-01", "OD-02", "OD-09"]), days,
              st.one_of(st.none(), st.integers(0, 100)), st.one_of(st.none(), notes)).filter(
        lambda e: e[3] is not None or bool(e[4])),  # an update records something
    st.tuples(st.just("measure"), st.just("OD-02"), days, st.integers(0, 100), st.none()),
    st.tuples(st.just("add"), st.just(""), days, st.none(), st.text("abcĐệ ", min_size=1,
                                                                     max_size=10)),
)
layouts = st.tuples(st.booleans(), st.booleans(), st.booleans())  # CRLF, BOM, final newline


def variant(crlf: bool, bom: bool, final: bool) -> bytes:
    text = ODD if final else ODD.rstrip("\n")
    raw = text.replace("\n", "\r\n" if crlf else "\n").encode()
    return b"\xef\xbb\xbf" + raw if bom else raw


def apply(tree: Any, edit: tuple[Any, ...]) -> None:
    kind, task, day, number, text = edit
    if kind == "update":
        operations.record_update(tree, task, day, number, None, text or None)
    elif kind == "measure":
        operations.measure(tree, task, "records", f"{number}%", day)
    else:
        operations.add_task(tree, text.strip() or "x", "dost", parse_deadline(day.isoformat()),
                            [], [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edits, min_size=1, max_size=5), layouts)
def test_edits_keep_untouched_lines_and_reload_as_made(sequence: list[tuple[Any, ...]],
                                                       layout: tuple[bool, bool, bool]) -> None:
    raw = variant(*layout)
    roundtrip = RoundTrip(raw)
    for edit in sequence:
        apply(roundtrip.tree, edit)
    new = roundtrip.render()
    # Nothing of the original is removed or altered: the edits only add lines.
    old_lines = raw.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        assert tag in ("equal", "insert") or (
            # only the original's unended last line may gain its newline
            tag == "replace" and i1 == i2 - 1 == len(old_lines) - 1), tag
    assert new.startswith(b"\xef\xbb\xbf") == layout[1]
    assert new.endswith(b"\n") == layout[2]
    if layout[0]:
        assert new.count(b"\n") == new.count(b"\r\n")
    # Reloading gives what the edits said.
    reread = RoundTrip(new).tree
    # The updates are the fixture's and the edits', each list oldest first (a back-dated
    # update goes where its date puts it).
    def entries(tree: Any) -> Counter[tuple[str, Any, Any, Any]]:
        return Counter((str(t["id"]), u.get("date"), u.get("progress"), u.get("note"))
                       for t in tree["tasks"] for u in t.get("updates", []))

    made = Counter((task, day, number, text or None)
                   for kind, task, day, number, text in sequence if kind == "update")
    assert entries(reread) - entries(RoundTrip(raw).tree) == made
    for task in reread["tasks"]:
        dates = [u.get("date") for u in task.get("updates", [])]
        assert dates == sorted(dates)
    added = [(e[4].strip() or "x") for e in sequence if e[0] == "add"]
    titles = [str(task["title"]) for task in reread["tasks"]]
    assert len(titles) == 3 + len(added)
    assert titles[len(titles) - len(added):] == added  # appended in order, at the end
    measured = [e[3] for e in sequence if e[0] == "measure"]
    if measured:
        od02 = next(t for t in reread["tasks"] if t["id"] == "OD-02")
        target = next(t for t in od02["targets"] if str(t["metric"]).startswith("records"))
        assert target["actual"] == f"{measured[-1]}%"
    assert "# end of tasks" in new.decode("utf-8-sig").splitlines()[-1]
