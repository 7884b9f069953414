"""Load a plan into ruamel's round-trip tree and write it back touching only edited lines.

ruamel reproduces most files exactly once its indentation settings match the file's. Where it
does not (extra spaces after a colon, mixed indentation, a `%YAML` directive), the edit is
spliced into the original text: the dump of the untouched tree and the dump of the edited
tree are compared, and only their differing lines replace the matching lines of the original.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from plantrack.edit.linediff import opcodes

BOM = b"\xef\xbb\xbf"
WIDTH = 1_000_000  # never re-wrap a long title or source sentence

_KEY_ONLY = re.compile(r"^( *)(?:- +)*[^\s#\-][^#]*:\s*(?:#.*)?$")
_ITEM = re.compile(r"^( *)- +(\S)")
_KEY = re.compile(r"^( *)[^\s#\-][^:#]*:(?:\s|$)")


class SpliceError(Exception):
    """The edit could not be placed into the original text without reformatting it."""


@dataclass(frozen=True)
class Indent:
    mapping: int = 2
    sequence: int = 4
    offset: int = 2


@dataclass
class Text:
    """A plan file's text as lines without their endings, and how to write it back."""

    lines: list[str]
    endings: list[str]  # each line's own ending: "\n", "\r\n", or "" for a last unended line
    newline: str  # the ending given to new lines
    bom: bool

    @classmethod
    def from_bytes(cls, raw: bytes) -> Text:
        bom = raw.startswith(BOM)
        text = raw[len(BOM):].decode("utf-8") if bom else raw.decode("utf-8")
        pieces = text.split("\n")
        lines: list[str] = []
        endings: list[str] = []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            if last and piece == "":
                break
            ending = "" if last else "\n"
            if not last and piece.endswith("\r"):
                piece, ending = piece[:-1], "\r\n"
            lines.append(piece)
            endings.append(ending)
        crlf = endings.count("\r\n")
        newline = "\r\n" if crlf and crlf >= endings.count("\n") else "\n"
        return cls(lines, endings, newline, bom)

    def plain(self) -> str:
        """The text as ruamel reads it: LF line ends, no BOM."""
        return "".join(line + "\n" for line in self.lines)

    def with_lines(self, lines: list[str], endings: list[str]) -> bytes:
        if lines and self.endings and self.endings[-1] == "":
            endings = [*endings[:-1], ""]  # keep a missing final newline missing
        out = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
        data = out.encode("utf-8")
        return BOM + data if self.bom else data


def detect_indent(lines: list[str]) -> Indent:
    """The file's own mapping indent, sequence indent and dash offset, by majority."""
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()
    for index, line in enumerate(lines):
        opener = _KEY_ONLY.match(line)
        if not opener:
            continue
        child = _next_content(lines, index + 1)
        if child is None:
            continue
        key_col = _key_column(line)
        item = _ITEM.match(child)
        if item:
            dash = len(item.group(1))
            sequences[(item.start(2) - key_col, dash - key_col)] += 1
            continue
        key = _KEY.match(child)
        if key and len(key.group(1)) > key_col:
            mappings[len(key.group(1)) - key_col] += 1
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    sequence, offset = sequences.most_common(1)[0][0] if sequences else (mapping + 2, mapping)
    if offset < 0 or sequence < offset + 2:
        sequence, offset = mapping + 2, mapping
    return Indent(mapping, sequence, offset)


def _key_column(line: str) -> int:
    """Column of the key on a line that may start with list dashes (`- key:`)."""
    col = len(line) - len(line.lstrip(" "))
    while line[col:col + 1] == "-":
        col += 1
        while line[col:col + 1] == " ":
            col += 1
    return col


def _next_content(lines: list[str], start: int) -> str | None:
    for line in lines[start:start + 50]:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return line
    return None


class RoundTrip:
    """One plan file's text, its round-trip tree, and the settings that write it back."""

    def __init__(self, raw: bytes) -> None:
        self.text = Text.from_bytes(raw)
        self.indent = detect_indent(self.text.lines)
        self.explicit_start = any(line.rstrip() == "---" for line in self.text.lines[:50]
                                  if not line.startswith("#"))
        self._yaml = self._make_yaml()
        self.tree: Any = self._yaml.load(self.text.plain())
        # The dump of the file as read, before any edit: what ruamel alone would write.
        self.baseline = self.dump_lines(self.tree)

    def _make_yaml(self) -> Any:
        from ruamel.yaml import YAML

        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        yaml.width = WIDTH
        yaml.allow_unicode = True
        yaml.indent(mapping=self.indent.mapping, sequence=self.indent.sequence,
                    offset=self.indent.offset)
        yaml.explicit_start = self.explicit_start
        # The same date written twice (completed, and the update's date) must not become an
        # anchor and an alias: plans refuse those.
        representer = yaml.representer
        keeps_aliases = representer.ignore_aliases
        representer.ignore_aliases = lambda data: (isinstance(data, dt.date)
                                                   or keeps_aliases(data))
        return yaml

    def dump_lines(self, tree: Any) -> list[str]:
        stream = io.StringIO()
        self._yaml.dump(tree, stream)
        return stream.getvalue().split("\n")[:-1]

    def load_text(self, text: str) -> Any:
        return self._yaml.load(text)

    def render(self) -> bytes:
        """The file's bytes with the tree's edits applied; unchanged lines stay byte-identical."""
        before = self.baseline
        after = self.dump_lines(self.tree)
        lines, endings = splice(self.text, before, after)
        return self.text.with_lines(lines, endings)


def splice(text: Text, before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """Apply the change `before` -> `after` (two dumps) to the original lines of `text`."""
    original = text.lines
    position = ({i: i for i in range(len(original))} if before == original
                else _alignment(original, before))
    hunks = []
    for tag, j1, j2, k1, k2 in opcodes(before, after):
        if tag == "equal":
            continue
        hunks.append(_widen(position, before, len(original), j1, j2, k1, k2))
    return _apply(original, text.endings, text.newline, _merge(hunks), after)


def _alignment(original: list[str], dumped: list[str]) -> dict[int, int]:
    """For each dumped line, the original line it stands for, where that is one line to one.

    A line ruamel respaced (`key:   value` -> `key: value`) still stands for one original
    line; only runs whose line counts differ are left out.
    """
    position: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in opcodes(original, dumped):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(j2 - j1):
                position[j1 + offset] = i1 + offset
    return position


def _after_line(position: dict[int, int], b: int) -> int | None:
    """The original gap after dumped line `b - 1`, when it stands for one original line."""
    if b == 0:
        return 0
    return position[b - 1] + 1 if (b - 1) in position else None


def _before_line(position: dict[int, int], size: int, total: int, b: int) -> int | None:
    """The original gap just before dumped line `b`, when that line stands for one original line."""
    if b == size:
        return total
    return position.get(b)


def _widen(position: dict[int, int], before: list[str], total: int,
           j1: int, j2: int, k1: int, k2: int) -> tuple[int, int, int, int]:
    """Grow a hunk over reformatted lines until both its ends sit on lines kept verbatim."""
    size = len(before)
    if j1 == j2:  # a pure insertion: right after the line it follows, else before the next
        gap = _after_line(position, j1)
        if gap is None:
            gap = _before_line(position, size, total, j1)
        if gap is not None:
            return gap, gap, k1, k2
    while True:
        start = position.get(j1) if j1 < size else None
        if start is None:
            start = _after_line(position, j1)
        if start is not None:
            break
        j1, k1 = j1 - 1, k1 - 1
    while True:
        end = _after_line(position, j2) if j2 > j1 else None
        if end is None:
            end = _before_line(position, size, total, j2)
        if end is not None:
            break
        j2, k2 = j2 + 1, k2 + 1
    if end < start:
        raise SpliceError("the file's layout could not be matched")
    return start, end, k1, k2


def _merge(hunks: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Join hunks that widening made overlap; their dumped ranges overlap the same way."""
    merged: list[tuple[int, int, int, int]] = []
    for hunk in hunks:
        if merged and hunk[0] < merged[-1][1]:
            last = merged.pop()
            hunk = (last[0], max(last[1], hunk[1]), last[2], max(last[3], hunk[3]))
        merged.append(hunk)
    return merged


def _apply(original: list[str], endings: list[str], newline: str,
           hunks: list[tuple[int, int, int, int]], after: list[str]
           ) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    out_endings: list[str] = []
    cursor = 0
    for start, end, k1, k2 in hunks:
        lines.extend(original[cursor:start])
        out_endings.extend(_ended(endings[cursor:start], newline))
        lines.extend(after[k1:k2])
        out_endings.extend([newline] * (k2 - k1))
        cursor = end
    lines.extend(original[cursor:])
    out_endings.extend(endings[cursor:])
    return lines, _ended(out_endings[:-1], newline) + out_endings[-1:]


def _ended(endings: list[str], newline: str) -> list[str]:
    """Endings of lines that are no longer last: a missing one becomes the file's newline."""
    return [ending or newline for ending in endings]
