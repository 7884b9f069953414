"""The sections a secretariat writes for a report (`--notes FILE`): "Khó khăn, vướng mắc",
"Đề xuất, kiến nghị", "Nhiệm vụ trọng tâm kỳ tới".

Each second-level heading (`## `) of the Markdown file starts a section of that name; what
comes before the first is not part of any. A section holds paragraphs and lists, kept as
plain text that every format escapes like plan text: raw HTML is shown as written, never
passed through, and HTML comments are dropped. Pure: the command reads the file.
"""

from __future__ import annotations

import re

from plantrack.report.data import NoteSection

MAX_NOTES_BYTES = 1024 * 1024  # far more than any report's sections
_HEADING = re.compile(r"^ {0,3}##(?!#)[ \t]*(.*?)[ \t#]*$")
_BULLET = re.compile(r"^ {0,3}[-*+][ \t]+(.*)$")
_NUMBERED = re.compile(r"^ {0,3}\d{1,9}[.)][ \t]+(.*)$")
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)

Block = tuple[str, tuple[str, ...]]


class NotesError(ValueError):
    """A notes file that is not text or holds no section: `line` says where, 0 for all."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def parse_notes(text: str) -> list[NoteSection]:
    """The `## ` sections of `text`, in order."""
    text = _COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    sections: list[NoteSection] = []
    title: str | None = None
    lines: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        heading = _HEADING.match(line)
        if heading:
            if title is not None:
                sections.append(NoteSection(title, _blocks(lines)))
            title, lines = heading[1].strip(), []
            if not title:
                raise NotesError("a section heading (##) has no name", number)
        elif title is not None:
            lines.append(line)
    if title is not None:
        sections.append(NoteSection(title, _blocks(lines)))
    if not sections:
        raise NotesError("no section: start each one with a second-level heading, such as "
                         "'## Khó khăn, vướng mắc'")
    return sections


def _blocks(lines: list[str]) -> tuple[Block, ...]:
    """Paragraphs (lines joined up to a blank line) and lists (a list goes on while its
    items come one after another; an indented line continues the item before it)."""
    blocks: list[Block] = []
    kind = ""  # the block being built: "p", "ul", "ol", or none
    parts: list[str] = []
    for line in lines:
        item = _BULLET.match(line) or _NUMBERED.match(line)
        item_kind = "ul" if _BULLET.match(line) else "ol"
        if not line.strip():
            if kind == "p":
                blocks.append((kind, (" ".join(parts),)))
                kind, parts = "", []
            continue
        if item:
            if kind != item_kind:
                _close(blocks, kind, parts)
                kind, parts = item_kind, []
            parts.append(item[1].strip())
        elif kind in ("ul", "ol") and line[:1] in (" ", "\t") and parts:
            parts[-1] = f"{parts[-1]} {line.strip()}"
        else:
            if kind != "p":
                _close(blocks, kind, parts)
                kind, parts = "p", []
            parts.append(_plain_line(line))
    _close(blocks, kind, parts)
    return tuple(blocks)


def _plain_line(line: str) -> str:
    """A paragraph line without the Markdown that would make it a heading or a quote."""
    return re.sub(r"^ {0,3}(#{1,6}|>)[ \t]*", "", line).strip()


def _close(blocks: list[Block], kind: str, parts: list[str]) -> None:
    if not kind or not parts:
        return
    blocks.append((kind, (" ".join(parts),) if kind == "p" else tuple(parts)))
