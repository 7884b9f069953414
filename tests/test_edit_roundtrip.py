"""Round-trip fidelity: files read and written back are byte-identical where not edited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plantrack.domain.deadlines import parse_deadline
from plantrack.edit import operations
from plantrack.edit.roundtrip import Indent, RoundTrip, detect_indent
from tests.conftest import SHIPPED_PLANS, plan_text

FIXTURES = Path(__file__).parent / "fixtures" / "edit"
DAY = dt.date(2025, 6, 25)


@pytest.mark.parametrize("path", SHIPPED_PLANS, ids=lambda p: p.name)
def test_shipped_plans_round_trip_byte_for_byte(path: Path) -> None:
    raw = path.read_bytes()
    assert RoundTrip(raw).render() == raw


def test_odd_formatting_round_trips_unchanged() -> None:
    raw = (FIXTURES / "odd.yaml").read_bytes()
    roundtrip = RoundTrip(raw)
    assert roundtrip.baseline != roundtrip.text.lines  # ruamel alone would reformat it
    assert roundtrip.render() == raw


def changed_lines(old: bytes, new: bytes) -> tuple[list[str], list[str]]:
    import difflib

    a, b = old.decode("utf-8-sig").splitlines(), new.decode("utf-8-sig").splitlines()
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def test_edit_on_odd_file_touches_only_its_lines() -> None:
    raw = (FIXTURES / "odd.yaml").read_bytes()
    roundtrip = RoundTrip(raw)
    operations.record_update(roundtrip.tree, "OD-01", DAY, 50, None, "ghi chú: tiến độ")
    removed, added = changed_lines(raw, roundtrip.render())
    assert removed == []
    assert added == ["  progress: 50",
                     "  - {date: 2025-06-25, progress: 50, note: 'ghi chú: tiến độ'}"]


def test_bom_and_crlf_are_kept() -> None:
    text = plan_text("- id: T-1\n  title: Một\n  owner: dost\n  due: 2025-07\n")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    roundtrip = RoundTrip(raw)
    assert roundtrip.render() == raw
    operations.record_update(roundtrip.tree, "T-1", DAY, progress=10)
    new = roundtrip.render()
    assert new.startswith(b"\xef\xbb\xbf")
    assert new.count(b"\n") == new.count(b"\r\n") == raw.count(b"\n") + 3


def test_missing_final_newline_stays_missing() -> None:
    raw = plan_text("- id: T-1\n  title: One\n  owner: dost\n  due: 2025-07\n").rstrip("\n")
    roundtrip = RoundTrip(raw.encode())
    assert roundtrip.render() == raw.encode()
    operations.add_task(roundtrip.tree, "Two", "dost", parse_deadline("2025"), [], [])
    new = roundtrip.render().decode()
    assert not new.endswith("\n")
    assert new.endswith("  due: 2025")
    assert "  due: 2025-07\n  - id: T-2\n" in new


def test_explicit_document_start_is_kept() -> None:
    raw = ("---\n" + plan_text("- id: T-1\n  title: One\n  owner: dost\n  due: 2025-07\n"))
    roundtrip = RoundTrip(raw.encode())
    operations.mark_done(roundtrip.tree, "T-1", DAY)
    assert roundtrip.render().decode().startswith("---\nplantrack: 1\n")


@pytest.mark.parametrize(("text", "indent"), [
    ("a:\n  b: 1\nl:\n  - x\n", Indent(2, 4, 2)),
    ("a:\n    b: 1\nl:\n- x\n", Indent(4, 2, 0)),
    ("a:\n  b: 1\nl:\n- x\n- y\n", Indent(2, 2, 0)),
    ("a: 1\n", Indent(2, 4, 2)),
])
def test_indentation_is_detected_from_the_text(text: str, indent: Indent) -> None:
    assert detect_indent(text.splitlines()) == indent
