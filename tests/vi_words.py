"""Finding English in Vietnamese output: the words a view in `--lang vi` must not show.

The English vocabulary is every word of the catalogue's English messages (what a label left
untranslated would show) and of a list of common English words, less any word the
Vietnamese catalogue itself uses (Vietnamese syllables without diacritics, such as "do",
"theo" or "tin", are words of both). What is not text is left out before looking: problem
codes in brackets, `code spans` (YAML keys, commands), the names of commands with their
options, and the identifiers the caller names (plan, task and owner ids).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "plantrack" / "locale" / "vi"
COMMON = tuple("""
the a an and or of to in on at for with by from as is are be was not no yes none all any
each every this that these those it its their there here which who what when where why
how more most less least than then so but if else task tasks owner owners deadline
deadlines overdue late soon on-time track ongoing cancelled done planned progress status
state report reports plan plans period week month quarter half year date day days update
updates note notes target targets metric actual measured changes changed added removed
moved commit revision git history shallow checkout fetch version compared completed open
unscheduled blocked reason extended approved ref since until before after today total
share owner title
""".split())  # noqa: SIM905 (a paragraph of words reads better than a list)

# Whole words, letters of any script: "toàn" is one Vietnamese word, not "to" and more.
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_HASH = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_BRACKETED_CODE = re.compile(r"\[[a-z0-9]+(?:-[a-z0-9]+)*\]")
_COMMAND = re.compile(r"\bplantrack(?: [a-z]+)?(?: --?[a-z][a-z-]*(?:[ =][A-Za-z0-9_./-]+)?)*")


def _catalogue_words() -> tuple[set[str], set[str]]:
    english: set[str] = set()
    vietnamese: set[str] = set()
    for po in sorted(LOCALE.glob("LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale="vi")
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in ids:
                english.update(w.lower() for w in _WORD.findall(re.sub(r"%\(\w+\)s", "", text)))
            for text in strings:
                vietnamese.update(w.lower() for w in _WORD.findall(re.sub(r"%\(\w+\)s", "", text)))
    return english, vietnamese


def english_vocabulary() -> set[str]:
    english, vietnamese = _catalogue_words()
    return {w for w in english | set(COMMON) if len(w) > 1} - vietnamese


def visible_text_of_html(html: str) -> str:
    """The text a reader sees: text nodes (with SVG text and titles), not style or code."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("style", "script", "code"):
                self.skip += 1

        def handle_endtag(self, tag: str) -> None:
            if tag in ("style", "script", "code") and self.skip:
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_in(text: str, identifiers: Iterable[str] = ()) -> list[str]:
    """The English words, ISO dates and revision hashes `text` shows, in order."""
    for ident in sorted(identifiers, key=len, reverse=True):
        text = text.replace(ident, " ")
    text = _CODE_SPAN.sub(" ", text)
    text = _BRACKETED_CODE.sub(" ", text)
    text = _COMMAND.sub(" ", text)
    found = _ISO_DATE.findall(text) + _HASH.findall(text)
    vocabulary = english_vocabulary()
    found += [w for w in _WORD.findall(text) if w.isascii() and w.lower() in vocabulary]
    return found
