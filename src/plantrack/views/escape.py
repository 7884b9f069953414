"""One escaper per target: every piece of plan text leaves through the one of its output.

Plan text comes from many hands: a title may hold terminal escape sequences, line breaks,
Markdown or HTML markup, a spreadsheet formula or a GitHub workflow command. Each escaper
makes it inert in its target and changes nothing else.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = {"\n": " ", "\r": " ", "\t": " "}


def terminal(text: str) -> str:
    """One line for a terminal or a log: line breaks and tabs become spaces, other control
    characters (ESC of ANSI and OSC sequences among them) become U+FFFD, and `::` gets a
    zero-width space inside, so that no line of plan text, however a table wraps it, can
    start a GitHub Actions workflow command (`::error`, `::add-mask`)."""
    if text.isprintable() and "::" not in text:
        return text
    return _CONTROL.sub(lambda m: _SPACES.get(m.group(0), "\ufffd"), text).replace(
        "::", ":\u200b:")


_MARKDOWN = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "`": "&#96;", "\\": "&#92;",
    "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;", "#": "&#35;", "@": "&#64;",
    "~": "&#126;", "!": "&#33;",
}
_MARKDOWN_SPECIAL = re.compile(r"[&<>|`\\*_\[\]#@~!]")
_WHITESPACE = re.compile(r"\s+")


def markdown(value: object) -> str:
    """Plan text made inert in GitHub Markdown, in a table cell or inside HTML alike: on one
    line, no table break, tag, code span, emphasis, link, heading, mention (`@name`) or
    escape. Entities, not backslashes: a backslash shows as itself inside `<summary>`."""
    text = _WHITESPACE.sub(" ", terminal(str(value)))
    return _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN[m.group(0)], text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A spreadsheet cell that is never a formula: text starting with = + - @ (or a tab)
    gets a leading apostrophe, as OWASP advises; numbers and empty cells pass as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def github_data(text: str) -> str:
    """The message of a GitHub Actions workflow command: no line break can start another."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value (file=, title=) of a workflow command."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def html(value: object) -> str:
    """Text for HTML, through markupsafe, as jinja2's autoescape does in the report."""
    from markupsafe import escape

    return str(escape(value))
