"""Read one YAML file into plain Python data plus the source position of every value.

libyaml (ruamel's C parser) turns the text into events; this module builds the data from
them itself, with an explicit stack instead of a node tree. It can then keep positions, report
duplicate keys with both lines, refuse aliases and tags, turn a malformed scalar into a
located problem rather than an exception, and enforce the format's limits while the parser
reads: the nesting depth and the node count are checked as the events arrive, so no input
can exhaust the stack (libyaml's composer recurses; its parser does not) or the memory.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from plantrack.problems import Problem, message
from plantrack.read import limits
from plantrack.read.limits import MAX_BYTES, MAX_DEPTH
from plantrack.rules import declare

for _code, _description in (
    ("encoding", "the file is not UTF-8"),
    ("too-large", "the file is larger than the format's limit (16 MiB)"),
    ("too-deep", "collections nested deeper than the format's limit (64)"),
    ("too-many-nodes", "more YAML nodes than the format's limit (2,000,000)"),
    ("yaml-syntax", "the file is not valid YAML"),
    ("yaml-version", "a %YAML 1.1 directive: plans are YAML 1.2"),
    ("multiple-documents", "more than one YAML document in the file"),
    ("empty-file", "the file holds nothing"),
    ("not-a-mapping", "the top of the file is not a mapping of keys"),
    ("alias", "YAML anchors, aliases or merge keys, which plans do not use"),
    ("key-type", "a mapping key that is not text"),
    ("duplicate-key", "the same key twice in one mapping"),
    ("yaml-tag", "an explicit YAML tag or a type plans do not use"),
):
    declare(_code, "error", "file", _description)

Path = tuple[str | int, ...]
Pos = tuple[int, int]


_TIMESTAMP = re.compile(
    r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2}):(?P<S>[0-9]{2})"
    r"(?:\.(?P<frac>[0-9]*))?"
    r"(?:[ \t]*(?P<tz>Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$"
)
_DIRECTIVE = re.compile(r"^%YAML[ \t]+([0-9.]+)", re.MULTILINE)


@dataclass
class Marks:
    """1-based (line, column) of every value, and of every mapping key, by its path."""

    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)

    def value(self, path: Path) -> Pos:
        """Where the value at `path` starts, or its nearest located ancestor."""
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def key(self, path: Path) -> Pos:
        """Where the key naming `path` stands; the value's position when it has no key."""
        return self.keys.get(path) or self.value(path)


@dataclass
class Document:
    data: Any
    marks: Marks
    problems: list[Problem]
    reported: set[Path]  # paths whose value already has a problem of its own
    path_name: str = ""


class _Abort(Exception):
    """A limit was passed: the file is reported by this one problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


_SKIP = object()  # a mapping's next value is consumed but not kept (its key was refused)


class _Frame:
    __slots__ = ("is_map", "key", "path", "skip", "value")

    def __init__(self, value: Any, path: Path, is_map: bool, skip: int = 0) -> None:
        self.value = value
        self.path = path
        self.is_map = is_map
        self.key: Any = None  # in a mapping: the key whose value comes next
        self.skip = skip  # > 0: a refused subtree being consumed, at this nesting


class _Builder:
    """Builds data and marks from parse events, one event at a time."""

    def __init__(self, path: str, unmap: dict[str, str] | None) -> None:
        self.path = path
        self.marks = Marks()
        self.problems: list[Problem] = []
        self.reported: set[Path] = set()
        self.nodes = 0
        self.unmap = unmap  # placeholders of U+0085, U+2028, U+2029 (see `_protect`)
        # Aware datetimes wait for the plan's timezone, which may be written after them.
        self.aware: list[tuple[Any, Any]] = []
        # One object per distinct text or date: owner keys, statuses, tags and dates repeat
        # throughout a plan, and the cache then stores each once (pickle shares equal objects).
        self.pool: dict[Any, Any] = {}

    def problem(self, pos: Pos, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], "error", code, message, hint))

    def build(self, get_event: Any, first: Any) -> dict[str, Any]:
        """The data of the root mapping whose start event is `first`."""
        from ruamel.yaml.events import (
            AliasEvent,
            MappingEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
        )

        root: dict[str, Any] = {}
        values = self.marks.values
        values[()] = (first.start_mark.line + 1, first.start_mark.column + 1)
        self.start_collection(first, (), True)
        stack = [_Frame(root, (), True)]
        pool = self.pool
        starts = (MappingStartEvent, SequenceStartEvent)
        ends = (MappingEndEvent, SequenceEndEvent)
        while stack:
            event = get_event()
            kind = type(event)
            top = stack[-1]
            if top.skip:
                if kind in starts:
                    top.skip += 1
                elif kind in ends:
                    top.skip -= 1
                    if top.skip == 1:
                        stack.pop()
                continue
            if kind in ends:
                stack.pop()
                continue
            self.nodes += 1
            if self.nodes > limits.MAX_NODES:
                raise _Abort(self.located(event, "too-many-nodes", message(
                    "more than %(count)s YAML nodes", count=f"{limits.MAX_NODES:,}")))
            if top.is_map and top.key is None:
                self.key(top, event, kind is ScalarEvent, kind is AliasEvent, stack)
                continue
            if top.is_map:
                key, top.key = top.key, None
                if key is _SKIP:
                    if kind in starts:
                        stack.append(_Frame(None, (), False, skip=2))
                    continue
                where: Path = (*top.path, key)
            else:
                where = (*top.path, len(top.value))
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            values[where] = pos
            if kind is ScalarEvent:
                text = event.value
                if event.tag is None and (not event.implicit[0] or (
                        text and text[0] not in _MAYBE_TYPED)) and self.unmap is None:
                    value = pool.setdefault(text, text)  # the common case: plain text
                else:
                    value = self.scalar(event, where, pos)
            elif kind is AliasEvent:
                self.problem(self.marks.keys.get(where, pos), "alias",
                             message("anchors and aliases are not allowed in plans"),
                             message("write the value out in full"))
                self.reported.add(where)
                value = None
            else:
                is_map = kind is MappingStartEvent
                if len(stack) >= MAX_DEPTH:
                    raise _Abort(Problem(self.path, pos[0], pos[1], "error", "too-deep",
                                         message("nesting deeper than %(depth)s levels",
                                                 depth=MAX_DEPTH)))
                self.start_collection(event, where, is_map)
                value = {} if is_map else []
                stack.append(_Frame(value, where, is_map))
            if type(value) is dt.datetime and value.tzinfo is not None:
                self.aware.append((top.value, key if top.is_map else len(top.value)))
            if top.is_map:
                top.value[key] = value
            else:
                top.value.append(value)
        return root

    def located(self, event: Any, code: str, message: str) -> Problem:
        mark = event.start_mark
        return Problem(self.path, mark.line + 1, mark.column + 1, "error", code, message)

    def start_collection(self, event: Any, where: Path, is_map: bool) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ):
            self.problem(self.marks.value(where), "yaml-tag",
                         message("unsupported YAML tag %(tag)s", tag=repr(tag)))
            self.reported.add(where)
        if event.anchor is not None:
            self.problem(self.marks.keys.get(where, self.marks.value(where)), "alias",
                         message("anchors and aliases are not allowed in plans"),
                         message("write the value out in full"))
            self.reported.add(where)

    def key(self, top: _Frame, event: Any, is_scalar: bool, is_alias: bool,
            stack: list[_Frame]) -> None:
        """Take `event` as the next key of the mapping `top`."""
        key_pos = (event.start_mark.line + 1, event.start_mark.column + 1)
        top.key = _SKIP
        if is_alias:
            self.problem(key_pos, "alias", message("anchors and aliases are not allowed in plans"))
            return
        if not is_scalar:
            if type(event).__name__ == "MappingStartEvent":
                said = message("a key must be text, not a mapping")
            else:
                said = message("a key must be text, not a sequence")
            self.problem(key_pos, "key-type", said, message("quote the key"))
            stack.append(_Frame(None, (), False, skip=2))
            return
        text = self.restore(event.value)
        tag = event.tag
        if tag is None or tag == "!":
            typed = (not text or text[0] in _MAYBE_TYPED) and _resolve_event(event) in \
                _TYPED_KEYS
        else:
            typed = tag in _TYPED_KEYS
        if typed:
            self.problem(key_pos, "key-type",
                         message("a key must be text, not %(key)s", key=repr(text)),
                         message("quote the key"))
            return
        if text == "<<" and tag is None:
            self.problem(key_pos, "alias", message("merge keys (<<) are not allowed in plans"))
            return
        child = (*top.path, text)
        if child in self.marks.keys:
            first = self.marks.keys[child]
            self.problem(key_pos, "duplicate-key",
                         message("duplicate key %(key)s (first defined at line %(line)s)",
                                 key=repr(text), line=first[0]),
                         message("remove one of the two"))
            return
        self.marks.keys[child] = key_pos
        top.key = text

    def restore(self, text: str) -> str:
        if self.unmap is None:
            return text
        for placeholder, original in self.unmap.items():
            text = text.replace(placeholder, original)
        return text

    def scalar(self, event: Any, where: Path, pos: Pos) -> Any:
        tag = event.tag
        text: str = self.restore(event.value) if self.unmap else event.value
        if tag is None or tag == "!":
            tag = _resolve_event(event)
        elif not tag.startswith(_TAG):
            self.problem(pos, "yaml-tag", message("unsupported YAML tag %(tag)s", tag=repr(tag)))
            self.reported.add(where)
            return text
        if tag is _STR or tag == _STR:
            return self.pool.setdefault(text, text)
        kind = tag[len(_TAG):]
        try:
            if kind == "int":
                return _to_int(text)
            if kind == "float":
                return _to_float(text)
            if kind == "bool":
                return text.lower() == "true"
            if kind == "null":
                return None
            if kind == "timestamp":
                moment = _timestamp(text)
                return self.pool.setdefault((type(moment), moment), moment)
        except ValueError as exc:
            if kind == "timestamp":
                said = message("%(text)s is not a valid date: %(reason)s", text=repr(text),
                               reason=_reason(exc))
            else:
                said = message("%(text)s is not a valid %(kind)s: %(reason)s", text=repr(text),
                               kind=kind, reason=str(exc))
            self.problem(pos, "bad-date" if kind == "timestamp" else "bad-value", said)
            self.reported.add(where)
            return text
        self.problem(pos, "yaml-tag", message("unsupported YAML type %(kind)s", kind=repr(kind)))
        self.reported.add(where)
        return text

    def localise(self, data: dict[str, Any]) -> None:
        """Naive wall time in the plan's timezone is the one form later stages compare."""
        if not self.aware:
            return
        from plantrack.asof import zone

        name = data.get("timezone")
        tz = zone(name if isinstance(name, str) else None)
        if tz is None:
            return
        for holder, slot in self.aware:
            holder[slot] = holder[slot].astimezone(tz).replace(tzinfo=None)


def _resolve_event(event: Any) -> str:
    """The tag of an untagged scalar: plain ones by the core schema, quoted ones are text."""
    return resolve_plain(event.value) if event.implicit[0] else _STR


def _timestamp(text: str) -> dt.date | dt.datetime:
    match = _TIMESTAMP.match(text)
    if not match:
        raise ValueError("not a date")
    day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    if match["H"] is None:
        return day
    frac = (match["frac"] or "0")[:6].ljust(6, "0")
    moment = dt.datetime(day.year, day.month, day.day, int(match["H"]), int(match["M"]),
                         int(match["S"]), int(frac))
    if match["tz"] is None:
        return moment
    return moment.replace(tzinfo=_offset(match["tz"]))


def _offset(text: str) -> dt.tzinfo:
    if text == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2] if len(digits) > 2 else digits), int(digits[2:] or 0)
    if len(digits) <= 2:
        minutes = 0
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _to_int(text: str) -> int:
    clean = text.replace("_", "")
    sign = -1 if clean.startswith("-") else 1
    body = clean.lstrip("+-")
    for prefix, base in (("0o", 8), ("0x", 16), ("0b", 2)):
        if body.lower().startswith(prefix):
            return sign * int(body[2:], base)
    return sign * int(body, 10)


def _to_float(text: str) -> float:
    lowered = text.lower().replace("_", "")
    if lowered.lstrip("+-") in (".inf",):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(lowered)


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIME = (_TAG + k for k in (
    "str", "int", "float", "bool", "null", "timestamp"))
_SEQ, _MAP = _TAG + "seq", _TAG + "map"
# The YAML 1.2 core schema as ruamel.yaml resolves it (plus its timestamps).
_IMPLICIT = [
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    (_INT, re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$")),
    (_FLOAT, re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)"
        r"(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN))$")),
    (_TIME, re.compile(
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)"
        r"[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$")),
]
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TYPED_KEYS = frozenset((_INT, _FLOAT, _BOOL, _NULL))
_MAYBE_TYPED = frozenset("0123456789+-.~ntfNTF")


def resolve_plain(value: str) -> str:
    """The tag of a plain scalar. Most plan text starts with a letter that no typed value can."""
    if value in _NULLS:
        return _NULL
    if value[0] not in _MAYBE_TYPED:
        return _STR
    for tag, pattern in _IMPLICIT:
        if pattern.match(value):
            return tag
    return _STR


def _parser(text: str) -> Any:
    """libyaml's event parser; ruamel's pure-Python one only where the C one is missing."""
    import ruamel.yaml.main

    c_parser = getattr(ruamel.yaml.main, "CParser", None)  # None without ruamel.yaml.clib
    if c_parser is not None:
        return c_parser(text)
    from ruamel.yaml import YAML  # pragma: no cover - only without ruamel.yaml.clib

    return YAML(typ="safe", pure=True).get_constructor_parser(text)[1]  # pragma: no cover


# Characters YAML 1.2 reads as content but libyaml (following YAML 1.1) as line breaks.
_LEGACY_BREAKS = ("\x85", "\u2028", "\u2029")


def _protect(text: str) -> tuple[str, dict[str, str] | None]:
    """`text` with each legacy break replaced by a private-use character the text does not
    hold (one code point for one, so positions stay), and the map back."""
    if not any(c in text for c in _LEGACY_BREAKS):
        return text, None
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    unmap = {}
    for original in _LEGACY_BREAKS:
        if original in text:
            placeholder = next(free)
            text = text.replace(original, placeholder)
            unmap[placeholder] = original
    return text, unmap


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Decode UTF-8, tolerating a BOM."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(path, line, col, "error", "encoding",
                             message("the file is not UTF-8 text (byte %(byte)s)",
                                     byte=f"0x{raw[exc.start]:02x}"),
                             message("save the file as UTF-8"))


def _file_problem(path: str, code: str, text: str, hint: str | None = None,
                  line: int = 1, col: int = 1) -> Document:
    return Document(None, Marks(), [Problem(path, line, col, "error", code, text, hint)], set(),
                    path)


_NEEDS = message("a plan needs at least plantrack, id, title, owners and tasks")
# libyaml's words for the syntax errors plans commonly meet, and the reasons a date is not
# one: said in the user's language (the catalogue has them), any other as it is.
SYNTAX_WORDS = frozenset((
    "mapping values are not allowed here", "mapping values are not allowed in this context",
    "could not find expected ':'",
    "did not find expected key", "found character that cannot start any token",
    "did not find expected node content", "did not find expected '-' indicator",
    "found unexpected end of stream", "found a tab character that violates indentation",
    "found unknown escape character", "found undefined tag handle",
    "block sequence entries are not allowed in this context",
    "did not find expected ',' or ']'", "did not find expected ',' or '}'",
    "found unexpected ':'", "did not find expected comment or line break",
))
DATE_WORDS = frozenset((
    "not a date", "month must be in 1..12", "day is out of range for month",
    "year 0 is out of range", "hour must be in 0..23", "minute must be in 0..59",
    "second must be in 0..59",
))


def read_yaml(raw: bytes, path: str) -> Document:
    """Parse `raw` as one YAML document; every failure becomes a located problem."""
    if len(raw) > MAX_BYTES:
        return _file_problem(path, "too-large", message("the file is larger than %(size)s MiB",
                                                        size=MAX_BYTES >> 20))
    text, bad = decode(raw, path)
    if text is None:
        return Document(None, Marks(), [bad] if bad else [], set(), path)
    directive = _DIRECTIVE.search(text)
    if directive and directive.group(1) != "1.2":
        line = text.count("\n", 0, directive.start()) + 1
        return _file_problem(path, "yaml-version",
                             message("YAML %(version)s is not supported: plans are YAML 1.2",
                                     version=directive.group(1)),
                             message("remove the %YAML directive"), line)
    protected, unmap = _protect(text)
    builder = _Builder(path, unmap)
    try:
        data = _parse(protected, builder, path)
    except _Abort as abort:
        return Document(None, Marks(), [abort.problem], set(), path)
    if isinstance(data, Document):
        return data
    builder.localise(data)
    return Document(data, builder.marks, builder.problems, builder.reported, path)


def _parse(text: str, builder: _Builder, path: str) -> dict[str, Any] | Document:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        get_event = _parser(text).get_event
        get_event()  # the stream's start
        first = get_event()
        if type(first).__name__ == "StreamEndEvent":
            return _file_problem(path, "empty-file", message("the file is empty"), _NEEDS)
        root = get_event()
        kind = type(root).__name__
        if kind != "MappingStartEvent":
            if kind == "ScalarEvent" and root.implicit[0] and root.value in _NULLS:
                return _file_problem(path, "empty-file", message("the file holds no plan"),
                                     _NEEDS)
            while type(get_event()).__name__ != "StreamEndEvent":
                pass  # a syntax error further on says more than the root's type
            return _file_problem(path, "not-a-mapping",
                                 message("a plan must be a YAML mapping of keys"),
                                 line=root.start_mark.line + 1, col=root.start_mark.column + 1)
        data = builder.build(get_event, root)
        get_event()  # the document's end
        after = get_event()
        if type(after).__name__ != "StreamEndEvent":
            return _file_problem(path, "multiple-documents",
                                 message("the file holds more than one YAML document"),
                                 message("one plan per file"), after.start_mark.line + 1)
    except ReaderError as exc:
        line, col = _line_col(text, exc.position)
        return _file_problem(path, "yaml-syntax", _reader_message(exc), line=line, col=col)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        said = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return _file_problem(path, "yaml-syntax", _syntax(said), line=line, col=col)
    except YAMLError as exc:
        return _file_problem(path, "yaml-syntax", _syntax(" ".join(str(exc).split())))
    return data


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _reader_message(exc: Any) -> str:
    character = exc.character
    code = ord(character) if isinstance(character, str) else int(character)
    if code == 0:
        return message("a NUL character (U+0000): YAML files cannot hold one")
    return message("the character %(char)s is not allowed in YAML (%(reason)s)",
                   char=f"U+{code:04X}", reason=exc.reason)


def _syntax(said: str) -> str:
    """libyaml's words for a syntax error: as a Message of its own when it is one of those
    plans commonly meet (translated then), as they are otherwise."""
    return message(said) if said in SYNTAX_WORDS else said


def _reason(exc: ValueError) -> str:
    """Why a date is not valid: the reader's and Python's words, as Messages when known."""
    text = str(exc)
    return message(text) if text in DATE_WORDS else text
