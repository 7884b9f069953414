"""A plain, fast column layout for long task lists.

rich lays out about a thousand table rows a second; a national list has tens of thousands.
This prints the same look (a header, a rule, aligned columns, the last column wrapped to the
terminal) in a fraction of the time, with ANSI colour only on a terminal without NO_COLOR.
"""

from __future__ import annotations

import os
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TextIO

from plantrack.views import escape

_ANSI = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "cyan": "36", "dim": "2",
         "bold": "1"}


def cell_len(text: str) -> int:
    """Terminal cells: combining marks (Vietnamese tones in NFD) and the zero-width space of
    `escape` take none, wide forms two."""
    if text.isascii():
        return len(text)
    return _wide_cell_len(text)


@lru_cache(maxsize=4096)  # owner names and labels repeat down a long list
def _wide_cell_len(text: str) -> int:
    return sum(map(_char_cells, text))


def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or char == escape.ZWSP:
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, with "…" where it was cut."""
    if cell_len(text) <= width:
        return text
    room, end = max(width - 1, 1), 0
    while end < len(text) and room - _char_cells(text[end]) >= 0:
        room -= _char_cells(text[end])
        end += 1
    return text[:max(end, 1)] + "…"


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells. textwrap counts code points, so it wraps Vietnamese
    written with combining marks (NFD) too early: such text is wrapped here word by word."""
    if cell_len(text) == len(text):
        return textwrap.wrap(text, width)
    lines: list[str] = []
    line = ""
    for word in text.split():
        while cell_len(word) > width:  # a word longer than a line is cut, as textwrap does
            head = fit(word, width + 1)[:-1]  # the most of it that fits in `width` cells
            lines += [line] if line else []
            lines.append(head)
            line, word = "", word[len(head):]
        if line and cell_len(line) + 1 + cell_len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


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
    """Rows of (text, style) cells. The last column wraps to `width`; None means no wrapping.
    Every cell leaves through `escape.terminal`: plan text cannot move the cursor, colour the
    screen or start a line of its own."""
    rows = [[(escape.terminal(cell), style) for cell, style in row] for row in rows]
    title = escape.terminal(title) if title else title
    texts = [[row[i][0] for row in rows] for i in range(len(columns) - 1)]
    widths, plain = _measure(columns, texts)
    lead = sum(widths) + 3 * len(widths)
    last = cell_len(columns[-1].header)
    if width is not None:  # without wrapping the last column needs no measuring
        last = max(max((cell_len(row[-1][0]) for row in rows), default=0), last)
        last = min(last, max(width - lead, 16))
    out: list[str] = []
    if title:
        out.append(paint(title, "bold", colour))
    heads = [pad(c.header, w, c.right) for c, w in zip(columns, widths, strict=False)]
    out.append("   ".join([*heads, columns[-1].header]).rstrip())
    out.append("─" * (lead + (last if width is not None else max(last, 40))))
    if colour:
        cells = [[paint(pad(text, w, c.right), style, True)
                  for (text, style), c, w in zip(row, columns, widths, strict=False)]
                 for row in rows]
    else:
        # Padded by str.format in one call a row; a column with non-ASCII text is padded first.
        for i, (column, w) in enumerate(zip(columns, widths, strict=False)):
            if not plain[i]:
                texts[i] = [pad(text, w, column.right) for text in texts[i]]
        cells = [list(row) for row in zip(*texts, strict=True)] if texts else [[] for _ in rows]
    fmt = "   ".join([*(("{:>%d}" if c.right else "{:<%d}") % w if p and not colour else "{}"
                        for c, w, p in zip(columns, widths, plain, strict=False)), "{}"])
    indent = " " * lead
    for row_cells, (text, style) in zip(cells, [row[-1] for row in rows], strict=True):
        if width is None or cell_len(text) <= last:
            out.append(fmt.format(*row_cells, paint(text, style, colour)).rstrip())
            continue
        lines = wrap(text, last) or [""]
        out.append(fmt.format(*row_cells, paint(lines[0], style, colour)).rstrip())
        out.extend(indent + paint(line, style, colour) for line in lines[1:])
    return "\n".join(out) + "\n"


def _measure(columns: Sequence[Column], texts: list[list[str]]) -> tuple[list[int], list[bool]]:
    """The width of each column but the last, and whether all its text is ASCII."""
    widths: list[int] = []
    plain: list[bool] = []
    for column, column_texts in zip(columns, texts, strict=False):
        ascii_only = "".join(column_texts).isascii()
        widest = max(map(len if ascii_only else cell_len, column_texts), default=0)
        widths.append(max(cell_len(column.header), widest))
        plain.append(ascii_only)
    return widths, plain


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
