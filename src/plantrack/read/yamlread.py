"""Read one YAML file into plain Python data plus the source position of every value.

The C parser composes the node tree (fast, and nodes carry marks); this module walks the
nodes itself instead of using a constructor, so that it can keep positions, report duplicate
keys with both lines, refuse aliases, and turn a malformed scalar into a located problem
rather than an exception.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from plantrack.problems import Problem
from plantrack.rules import declare

for _code, _description in (
    ("encoding", "the file is not UTF-8"),
    ("too-large", "the file is larger than the format's limit"),
    ("too-deep", "collections nested deeper than the format's limit"),
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

MAX_DEPTH = 64
MAX_BYTES = 64 * 1024 * 1024

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


class _Walker:
    def __init__(self, path: str, tz: ZoneInfo | None) -> None:
        self.path = path
        self.tz = tz
        self.marks = Marks()
        self.problems: list[Problem] = []
        self.reported: set[Path] = set()
        self.seen: set[int] = set()
        # One object per distinct text or date: owner keys, statuses, tags and dates repeat
        # throughout a plan, and the cache then stores each once (pickle shares equal objects).
        self.pool: dict[Any, Any] = {}

    def problem(self, pos: Pos, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], "error", code, message, hint))

    def walk(self, node: Any, where: Path, depth: int) -> Any:
        pos = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.marks.values[where] = pos
        if depth > MAX_DEPTH:
            self.problem(pos, "too-deep", f"nesting deeper than {MAX_DEPTH} levels")
            self.reported.add(where)
            return None
        if id(node) in self.seen or getattr(node, "anchor", None):
            # An alias shares its target's node and marks: point at the key that uses it.
            self.problem(self.marks.keys.get(where, pos), "alias",
                         "anchors and aliases are not allowed in plans",
                         "write the value out in full")
            self.reported.add(where)
            return None
        self.seen.add(id(node))
        kind = node.id
        if kind == "mapping":
            return self.mapping(node, where, depth)
        if kind == "sequence":
            return [self.walk(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, where, pos)

    def mapping(self, node: Any, where: Path, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            typed = tag_of(key_node) in _TYPED_KEYS
            if key_node.id != "scalar" or typed:
                text = key_node.value if key_node.id == "scalar" else "a " + key_node.id
                self.problem(key_pos, "key-type", f"a key must be text, not {text!r}",
                             "quote the key")
                continue
            key = key_node.value
            if key == "<<":
                self.problem(key_pos, "alias", "merge keys (<<) are not allowed in plans")
                continue
            child = (*where, key)
            if key in out:
                first = self.marks.keys[child]
                self.problem(key_pos, "duplicate-key",
                             f"duplicate key {key!r} (first defined at line {first[0]})",
                             "remove one of the two")
                continue
            self.marks.keys[child] = key_pos
            out[key] = self.walk(value_node, child, depth + 1)
        return out

    def scalar(self, node: Any, where: Path, pos: Pos) -> Any:
        tag = tag_of(node)
        text: str = node.value
        if not tag.startswith("tag:yaml.org,2002:"):
            self.problem(pos, "yaml-tag", f"unsupported YAML tag {tag!r}")
            self.reported.add(where)
            return text
        kind = tag[len("tag:yaml.org,2002:"):]
        try:
            if kind == "str":
                return self.pool.setdefault(text, text)
            if kind == "int":
                return _to_int(text)
            if kind == "float":
                return _to_float(text)
            if kind == "bool":
                return text.lower() == "true"
            if kind == "null":
                return None
            if kind == "timestamp":
                moment = self.timestamp(text)
                return self.pool.setdefault((type(moment), moment), moment)
        except ValueError as exc:
            what = "date" if kind == "timestamp" else kind
            self.problem(pos, "bad-date" if kind == "timestamp" else "bad-value",
                         f"{text!r} is not a valid {what}: {exc}")
            self.reported.add(where)
            return text
        self.problem(pos, "yaml-tag", f"unsupported YAML type {kind!r}")
        self.reported.add(where)
        return text

    def timestamp(self, text: str) -> dt.date | dt.datetime:
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
        moment = moment.replace(tzinfo=_offset(match["tz"]))
        # Naive wall time in the plan's timezone is the one form later stages compare.
        return moment.astimezone(self.tz).replace(tzinfo=None) if self.tz else moment


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


def _make_loader() -> Any:
    """ruamel's C parser with a resolver of our own: its Python resolver costs more than the
    parse itself (it re-checks the YAML version for every scalar)."""
    import ruamel.yaml.main
    from ruamel.yaml.nodes import ScalarNode, SequenceNode

    CParser = getattr(ruamel.yaml.main, "CParser", None)  # None without ruamel.yaml.clib
    if CParser is None:  # pragma: no cover - only without ruamel.yaml.clib
        return None

    tags = _shared_tags()
    str_tag, seq_tag, map_tag = tags[_STR], tags[_SEQ], tags[_MAP]

    class Loader(CParser):  # type: ignore[misc, valid-type]
        # Shared Tag objects: a node built with a Tag keeps it instead of making its own.
        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> Any:
            if kind is ScalarNode:
                return tags[resolve_plain(value)] if implicit[0] else str_tag
            return seq_tag if kind is SequenceNode else map_tag

        def descend_resolver(self, *_: Any) -> None:
            return None

        def ascend_resolver(self, *_: Any) -> None:
            return None

    return Loader


_loader: Any = False


@cache
def _shared_tags() -> dict[str, Any]:
    from ruamel.yaml.tag import Tag

    return {name: Tag(suffix=name) for name in (_STR, _INT, _FLOAT, _BOOL, _NULL, _TIME, _SEQ,
                                                 _MAP)}


def tag_of(node: Any) -> str:
    """The tag's text, without ruamel's per-node URI decoding of resolved tags."""
    ctag = node.ctag
    return ctag.suffix if ctag.handle is None else str(node.tag)


def compose(text: str) -> Any:
    """The node tree of a single-document YAML text."""
    global _loader
    if _loader is False:
        _loader = _make_loader()
    if _loader is None:  # pragma: no cover - pure Python fallback
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).compose(text)
    return _loader(text).get_single_node()


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Decode UTF-8, tolerating a BOM."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(path, line, col, "error", "encoding",
                             f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                             "save the file as UTF-8")


def _timezone_of(root: Any) -> ZoneInfo | None:
    from plantrack.asof import zone

    for key_node, value_node in root.value:
        if key_node.id == "scalar" and key_node.value == "timezone" and value_node.id == "scalar":
            return zone(value_node.value)
    return zone(None)


def _file_problem(path: str, code: str, message: str, hint: str | None = None,
                  line: int = 1, col: int = 1) -> Document:
    return Document(None, Marks(), [Problem(path, line, col, "error", code, message, hint)], set(),
                    path)


def read_yaml(raw: bytes, path: str) -> Document:
    """Parse `raw` as one YAML document; every failure becomes a located problem."""
    if len(raw) > MAX_BYTES:
        return _file_problem(path, "too-large", f"the file is larger than {MAX_BYTES >> 20} MiB")
    text, bad = decode(raw, path)
    if text is None:
        return Document(None, Marks(), [bad] if bad else [], set(), path)
    directive = _DIRECTIVE.search(text)
    if directive and directive.group(1) != "1.2":
        line = text.count("\n", 0, directive.start()) + 1
        return _file_problem(path, "yaml-version",
                             f"YAML {directive.group(1)} is not supported: plans are YAML 1.2",
                             "remove the %YAML directive", line)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        root = compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if "single document" in str(exc) or "expected a single" in message:
            return _file_problem(path, "multiple-documents", "the file holds more than one "
                                 "YAML document", "one plan per file", mark.line + 1 if mark else 1)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return _file_problem(path, "yaml-syntax", message, line=line, col=col)
    except RecursionError:
        return _file_problem(path, "too-deep", "the YAML is nested too deeply")
    except YAMLError as exc:
        return _file_problem(path, "yaml-syntax", " ".join(str(exc).split()))
    if root is None:
        return _file_problem(path, "empty-file", "the file is empty",
                             "a plan needs at least plantrack, id, title, owners and tasks")
    if root.id != "mapping":
        return _file_problem(path, "not-a-mapping", "a plan must be a YAML mapping of keys",
                             line=root.start_mark.line + 1, col=root.start_mark.column + 1)
    walker = _Walker(path, _timezone_of(root))
    try:
        data = walker.walk(root, (), 0)
    except RecursionError:
        return _file_problem(path, "too-deep", "the YAML is nested too deeply")
    return Document(data, walker.marks, walker.problems, walker.reported, path)
