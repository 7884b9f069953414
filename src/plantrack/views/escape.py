"""One escaper per target: every piece of plan text leaves through the one of its output.

Plan text comes from many hands: a title may hold terminal escape sequences, line breaks,
bidirectional overrides, Markdown or HTML markup, a spreadsheet formula, a mention or a CI
workflow command. Each escaper makes it inert in its target and changes nothing else.

What every text target shares (`terminal`, and through it `markdown` and `csv_cell`):

- line breaks and tabs (and U+2028, U+2029) become spaces: plan text is one line;
- the other control characters, C0, DEL and C1 (ESC of ANSI and OSC sequences, the 8-bit
  CSI U+009B among them), become U+FFFD, which shows that something was there;
- so do the bidirectional controls, the embeddings and overrides U+202A-U+202E, the
  isolates U+2066-U+2069 and the marks U+200E, U+200F and U+061C: none can reorder what a
  reader sees ("Trojan Source");
- a zero-width space (U+200B) goes inside every CI workflow marker, so that no line of plan
  text, however a table wraps it, starts (or, for Azure, holds) a command: GitHub's `::`
  (`::error`, `::add-mask`), the legacy `##[` (`##[group]`, `##[error]`), Azure Pipelines'
  `##vso[` and GitLab's `section_start:` and `section_end:` (after `section`).

Nothing is ever deleted, only replaced or split, so that no two harmless pieces join into a
hazard. JSON is data: `json_text` keeps every string exact and writes the same characters
as `\\u` escapes.
"""

from __future__ import annotations

import re
from typing import Any

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_SPACES = {"\n": " ", "\r": " ", "\t": " ", "\u2028": " ", "\u2029": " "}
ZWSP = "\u200b"
# Where a zero-width space goes: between the colons of `::`, between the hashes of `##[`
# and `##vso[`, and after `section` in `section_start:` and `section_end:`.
_MARKERS = re.compile(r"(?<=:)(?=:)|(?<=#)(?=#(?:vso)?\[)|(?<=section)(?=_(?:start|end):)",
                      re.IGNORECASE)
_MARKERS_BUT_COLONS = re.compile(r"(?<=#)(?=#(?:vso)?\[)|(?<=section)(?=_(?:start|end):)",
                                 re.IGNORECASE)


def _replacement(match: re.Match[str]) -> str:
    return _SPACES.get(match.group(0), "\ufffd")


def inert(text: str) -> str:
    """`text` with no control or bidirectional character: breaks and tabs as spaces, the
    others as U+FFFD. The workflow markers are left as they are (see `terminal`)."""
    return _UNSAFE.sub(_replacement, text)


def terminal(text: str) -> str:
    """One line for a terminal or a CI log: no control or bidirectional character, and no
    workflow marker (see the module's docstring)."""
    if text.isprintable() and ":" not in text and "#" not in text and "_" not in text:
        return text
    return _MARKERS.sub(ZWSP, _UNSAFE.sub(_replacement, text))


_MARKDOWN = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "`": "&#96;", "\\": "&#92;",
    "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;", "#": "&#35;", "@": "&#64;",
    "~": "&#126;", "!": "&#33;",
}
_MARKDOWN_SPECIAL = re.compile(r"[&<>|`\\*_\[\]#@~!]")
_WHITESPACE = re.compile(r"\s+")
# GitHub links mentions and references after decoding entities, so `&#64;name` is still a
# mention: a zero-width space after `@` and `#` (`@name`, `#123`, `owner/repo#1`) and inside
# `GH-123` keeps them text.
_REFERENCES = re.compile(r"(?<=[@#])(?=\w)|(?<=\bGH)(?=-\d)", re.IGNORECASE)


def markdown(value: object) -> str:
    """Plan text made inert in GitHub Markdown, in a table cell or inside HTML alike: on one
    line, no table break, tag, code span, emphasis, link, heading, mention (`@name`), issue
    reference (`#123`, `GH-123`, `owner/repo#1`) or escape. Entities, not backslashes: a
    backslash shows as itself inside `<summary>`."""
    text = _REFERENCES.sub(ZWSP, _WHITESPACE.sub(" ", terminal(str(value))))
    return _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN[m.group(0)], text)


# OWASP's list; checked after leading white space, which some spreadsheets skip.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A spreadsheet cell that is never a formula and prints safely: text on one line as for
    the terminal, and an apostrophe before it when it starts, after any leading white space,
    with = + - @ (or a tab), as OWASP advises; numbers and empty cells pass as they are."""
    if not isinstance(value, str):
        return value
    text = terminal(value)  # tabs and line breaks are spaces by now
    if text.lstrip().startswith(_FORMULA_START):
        return "'" + text
    return text


def github_data(text: str) -> str:
    """The message of a GitHub Actions workflow command: no line break can start another,
    no control or bidirectional character reaches the log, and no Azure or GitLab marker
    either. `::` may stay: inside a command's message it is text."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _MARKERS_BUT_COLONS.sub(ZWSP, _UNSAFE.sub(_replacement, encoded))


def github_property(text: str) -> str:
    """A property value (file=, title=) of a workflow command."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}]")


def json_text(value: Any) -> str:
    """`value` as indented JSON, its strings exact: json.dumps writes C0 controls as escapes,
    and the others (DEL, C1, U+2028, U+2029, the bidirectional controls) are written as
    `\\uXXXX` here, so that the text holds none raw; any JSON reader gets the same data."""
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def html(value: object) -> str:
    """Text for HTML, through markupsafe, as jinja2's autoescape does in the report, with
    no control or bidirectional character."""
    from markupsafe import escape

    return str(escape(inert(value) if isinstance(value, str) else value))
