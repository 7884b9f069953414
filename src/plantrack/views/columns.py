"""A plain, fast column layout for long task lists.

rich lays out about a thousand table rows a second; a national list has tens of thousands.
This prints the same look (a header, a rule, aligned columns, the last column wrapped to the
terminal) in a fraction of the time, with ANSI colour only on a terminal without NO_COLOR.
"""

from __future__ import annotations

import os
import sys
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

_ANSI = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "cyan": "36", "dim": "2",
         "bold": "1"}


def cell_len(text: str) -> int:
    """Terminal cells: combining marks (Vietnamese tones in NFD) take none, wide forms two."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def pad(text: str, width: int, right: bool = False) -> str:
    if text.isascii():
        return text.rjust(width) if right else text.ljust(width)
    gap = " " * max(width - cell_len(text), 0)
    return gap + text if right else text + gap


def colour_enabled(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


def paint(text: str, style: str, enabled: bool) -> str:
    if not enabled or not style:
        return text
    codes = ";".join(_ANSI[s] for s in style.split() if s in _ANSI)
    return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


@dataclass
class Column:
    header: str
    right: bool = False


def render(columns: Sequence[Column], rows: Sequence[Sequence[tuple[str, str]]],
           title: str | None, width: int | None, colour: bool) -> str:
    """Rows of (text, style) cells. The last column wraps to `width`; None means no wrapping."""
    widths = [cell_len(c.header) for c in columns]
    for i in range(len(columns) - 1):
        texts = [row[i][0] for row in rows]
        if texts:
            widest = max(len(t) if t.isascii() else cell_len(t) for t in texts)
            widths[i] = max(widths[i], widest)
    lead = sum(widths[:-1]) + 3 * (len(columns) - 1)
    if width is None:  # no wrapping: the last column needs no measuring
        last = widths[-1]
    else:
        last = max(max((cell_len(row[-1][0]) for row in rows), default=0), widths[-1])
        last = min(last, max(width - lead, 16))
    widths[-1] = last
    out: list[str] = []
    if title:
        out.append(paint(title, "bold", colour))
    out.append("   ".join(pad(c.header, w, c.right) for c, w in zip(columns, widths, strict=True))
               .rstrip())
    out.append("─" * (lead + (last if width is not None else max(last, 40))))
    indent = " " * lead
    lefts = [(w, c.right) for c, w in zip(columns[:-1], widths, strict=False)]
    for row in rows:
        cells = [pad(text, w, right) for (text, _), (w, right) in zip(row, lefts, strict=False)]
        if colour:
            cells = [paint(cell, style, colour)
                     for cell, (_, style) in zip(cells, row, strict=False)]
        text, style = row[-1]
        lines = textwrap.wrap(text, last) if width is not None and cell_len(text) > last \
            else [text]
        out.append("   ".join([*cells, paint(lines[0] if lines else "", style, colour)]).rstrip())
        out.extend(indent + paint(line, style, colour) for line in lines[1:])
    return "\n".join(out) + "\n"


def terminal_width(stream: TextIO) -> int | None:
    """The width to wrap to: the terminal's (or COLUMNS), none when writing to a pipe or file."""
    if "COLUMNS" in os.environ:
        try:
            return int(os.environ["COLUMNS"])
        except ValueError:
            return 80
    if not stream.isatty():
        return None
    return os.get_terminal_size(stream.fileno()).columns


def write(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text)
