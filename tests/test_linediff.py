"""The line diff of the edit path: a valid edit script, whatever the lines."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from plantrack.edit.linediff import opcodes, unified

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


def _patched(a: list[str], diff: list[str]) -> list[str]:
    """`a` with the unified diff applied, hunk by hunk, checking every context line."""
    out: list[str] = []
    position = 0
    for line in diff[2:]:
        if line.startswith("@@"):
            start = int(line.split()[1].lstrip("-").split(",")[0])
            length = line.split()[1].split(",")
            begin = start - 1 if len(length) == 1 or length[1] != "0" else start
            out += a[position:begin]
            position = begin
        elif line[0] in " -":
            assert a[position] == line[1:]
            position += 1
            if line[0] == " ":
                out.append(line[1:])
        else:
            out.append(line[1:])
    return out + a[position:]


LINE_ENDED = st.lists(st.sampled_from(["  - id: A\n", "  - id: B\n", "    progress: 40\n",
                                       "\n", "tasks:\n", "    title: t\n"]), max_size=150)


@settings(max_examples=300, deadline=None)
@given(LINE_ENDED, LINE_ENDED)
def test_unified_diff_patches_one_list_into_the_other(a: list[str], b: list[str]) -> None:
    diff = list(unified(a, b, "a/x", "b/x"))
    assert (diff == []) == (a == b)
    assert _patched(a, diff) == b


@settings(max_examples=300, deadline=None)
@given(LINE_ENDED, LINE_ENDED, st.integers(0, 4))
def test_unified_diff_is_difflibs_on_the_same_opcodes(a: list[str], b: list[str],
                                                      context: int) -> None:
    import difflib

    assume(opcodes(a, b) == difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    assert list(unified(a, b, "a/x", "b/x", context)) == \
        list(difflib.unified_diff(a, b, "a/x", "b/x", n=context))
