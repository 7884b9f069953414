"""Line diffs that stay fast when an edit touches thousands of places in a long plan.

difflib's SequenceMatcher takes quadratic time on lists of lines that repeat (a plan has
thousands of `progress: 40`). Patience diff anchors on the lines found exactly once on each
side (a task's `- id:` line is), in the order both keep; only the short runs between two
anchors go to SequenceMatcher. The result is a valid edit script in difflib's opcode form.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Hashable, Iterator, Sequence
from typing import TypeVar

Opcode = tuple[str, int, int, int, int]
Line = TypeVar("Line", bound=Hashable)  # a line, or a line with its ending
_SMALL = 64  # below this many lines a side, SequenceMatcher is quick and finds the least


def opcodes(a: Sequence[Line], b: Sequence[Line]) -> list[Opcode]:
    """difflib-style opcodes turning `a` into `b`, adjacent ones of a kind merged."""
    out: list[Opcode] = []
    _diff(a, b, 0, len(a), 0, len(b), out)
    return _merged(out)


def _diff(a: Sequence[Line], b: Sequence[Line], a1: int, a2: int, b1: int, b2: int,
          out: list[Opcode]) -> None:
    # Common ends first: most of a file is unchanged before the first edit and after the last.
    while a1 < a2 and b1 < b2 and a[a1] == b[b1]:
        out.append(("equal", a1, a1 + 1, b1, b1 + 1))
        a1, b1 = a1 + 1, b1 + 1
    tail: list[Opcode] = []
    while a1 < a2 and b1 < b2 and a[a2 - 1] == b[b2 - 1]:
        tail.append(("equal", a2 - 1, a2, b2 - 1, b2))
        a2, b2 = a2 - 1, b2 - 1
    anchors = _anchors(a, b, a1, a2, b1, b2) if min(a2 - a1, b2 - b1) > _SMALL else []
    if not anchors:
        _small(a, b, a1, a2, b1, b2, out)
    else:
        i, j = a1, b1
        for ai, bj in anchors:
            _diff(a, b, i, ai, j, bj, out)
            out.append(("equal", ai, ai + 1, bj, bj + 1))
            i, j = ai + 1, bj + 1
        _diff(a, b, i, a2, j, b2, out)
    out.extend(reversed(tail))


def _small(a: Sequence[Line], b: Sequence[Line], a1: int, a2: int, b1: int, b2: int,
           out: list[Opcode]) -> None:
    if a1 == a2 and b1 == b2:
        return
    if a1 == a2:
        out.append(("insert", a1, a1, b1, b2))
        return
    if b1 == b2:
        out.append(("delete", a1, a2, b1, b1))
        return
    matcher = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.append((tag, a1 + i1, a1 + i2, b1 + j1, b1 + j2))


def _anchors(a: Sequence[Line], b: Sequence[Line], a1: int, a2: int, b1: int, b2: int
             ) -> list[tuple[int, int]]:
    """The lines unique on both sides, in the longest order both sides share."""
    count_a: dict[Line, int] = {}
    where_a: dict[Line, int] = {}
    for i in range(a1, a2):
        count_a[a[i]] = count_a.get(a[i], 0) + 1
        where_a[a[i]] = i
    count_b: dict[Line, int] = {}
    where_b: dict[Line, int] = {}
    for j in range(b1, b2):
        count_b[b[j]] = count_b.get(b[j], 0) + 1
        where_b[b[j]] = j
    pairs = sorted((where_a[line], where_b[line]) for line, n in count_a.items()
                   if n == 1 and count_b.get(line) == 1)
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (sorted by their first) whose seconds increase too."""
    tails: list[int] = []  # the second of the last pair of the best run of each length
    ends: list[int] = []  # the index in `pairs` of that pair
    before = [-1] * len(pairs)
    for n, (_, second) in enumerate(pairs):
        k = bisect.bisect_left(tails, second)
        if k == len(tails):
            tails.append(second)
            ends.append(n)
        else:
            tails[k], ends[k] = second, n
        before[n] = ends[k - 1] if k else -1
    run = []
    n = ends[-1] if ends else -1
    while n >= 0:
        run.append(pairs[n])
        n = before[n]
    return run[::-1]


def _merged(codes: list[Opcode]) -> list[Opcode]:
    out: list[Opcode] = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if out and out[-1][0] == code[0] == "equal" and out[-1][2] == code[1] \
                and out[-1][4] == code[3]:
            last = out[-1]
            out[-1] = ("equal", last[1], code[2], last[3], code[4])
        else:
            out.append(code)
    return out


def unified(a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str, n: int = 3
            ) -> Iterator[str]:
    """difflib.unified_diff's lines, from these opcodes: difflib's own are quadratic on a
    plan edited in many places (a dry run of a workbook sent back)."""
    started = False
    for group in _grouped(opcodes(a, b), n):
        if not started:
            started = True
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in b[j1:j2])


def _grouped(codes: list[Opcode], n: int) -> Iterator[list[Opcode]]:
    """The opcodes in hunks with up to `n` lines of context (SequenceMatcher's grouping)."""
    codes = list(codes) or [("equal", 0, 1, 0, 1)]
    tag, i1, i2, j1, j2 = codes[0]
    if tag == "equal":
        codes[0] = tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2
    tag, i1, i2, j1, j2 = codes[-1]
    if tag == "equal":
        codes[-1] = tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _range(start: int, stop: int) -> str:
    """A hunk's range as unified diffs write it: `3`, `3,4`, or `2,0` for no line."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start if not length else start + 1},{length}"
