"""The line diff of the edit path: a valid edit script, whatever the lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plantrack.edit.linediff import opcodes

LINES = st.lists(st.sampled_from(["  - id: A", "  - id: B", "    progress: 40", "    due: x",
                                  "", "tasks:", "    title: t"]), max_size=200)


def _apply(a: list[str], b: list[str]) -> list[str]:
    out: list[str] = []
    position = 0
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        assert i1 == position  # the opcodes tile `a` in order
        out += a[i1:i2] if tag == "equal" else b[j1:j2]
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        position = i2
    assert position == len(a)
    return out


@settings(max_examples=300, deadline=None)
@given(LINES, LINES)
def test_opcodes_turn_one_list_into_the_other(a: list[str], b: list[str]) -> None:
    assert _apply(a, b) == b


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 999), min_size=100, max_size=400, unique=True), st.data())
def test_unique_lines_anchor_long_lists(ids: list[int], data: st.DataObject) -> None:
    a = [line for n in ids for line in (f"  - id: T-{n}", "    progress: 40")]
    b = list(a)
    for _ in range(data.draw(st.integers(1, 20))):
        at = data.draw(st.integers(0, len(b)))
        b.insert(at, "      - {date: 2025-07-01, progress: 55}")
    assert _apply(a, b) == b
    equal = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes(a, b) if tag == "equal")
    assert equal == len(a)  # only insertions: every old line kept as it was
