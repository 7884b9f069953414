"""`.plantrack.yaml`: a plan repository's own settings, and the findings they change.

Found by walking up from a plan's folder, stopping at the git root (the folder holding
`.git`). It holds `rules: {CODE: error|warning|off}` and the repository's defaults for
options (`lang`, `cutoff_day`, `due_soon_days`, `report:` particulars); the format's limits
are not settings. A finding is silenced on its own line by a trailing comment
`# plantrack: disable=CODE[,CODE]`. Change rules (diff --check) take the configuration of
the base revision and are never silenced by a comment: see `commands.diff`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from plantrack.problems import Problem, Severity, message
from plantrack.rules import catalogue, declare

CONFIG_NAME = ".plantrack.yaml"
Setting = Literal["error", "warning", "off"]
SETTINGS: tuple[Setting, ...] = ("error", "warning", "off")
REPORT_KEYS = ("issuer", "superior", "place", "number", "signer_title", "signer_name",
               "recipients")
_DISABLE = re.compile(r"#\s*plantrack:\s*disable=([a-z0-9,\s-]+)\s*$")

declare("config-invalid", "error", "file",
        "`.plantrack.yaml` has an unknown key, rule code or severity, or a bad value")
declare("config-changed", "warning", "change",
        "the change edits `.plantrack.yaml`, which sets the checks: reviewers must see it")


@dataclass(frozen=True)
class Config:
    path: str | None = None  # None: no file, every default stands
    rules: dict[str, Setting] = field(default_factory=dict)
    lang: str | None = None
    cutoff_day: int | None = None
    due_soon_days: int | None = None
    report: dict[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # what is wrong in the file itself

    def setting(self, code: str) -> Setting | None:
        return self.rules.get(code)


@dataclass(frozen=True)
class Waived:
    """A finding the configuration changed: downgraded to a warning, upgraded to an error,
    turned off, or silenced by a comment on its line."""

    problem: Problem  # as the check raised it
    how: Literal["downgraded", "upgraded", "off", "silenced"]


def json_schema() -> dict[str, Any]:
    """The schema of `.plantrack.yaml`, as `plantrack schema --config` prints it."""
    codes = [r.code for r in catalogue().values() if r.configurable]
    text = {"type": "string"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://plantrack.example/schema/config-v1.json",
        "title": "plantrack repository configuration (.plantrack.yaml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "rules": {"type": "object", "additionalProperties": False,
                      "properties": {c: {"enum": list(SETTINGS)} for c in codes}},
            "lang": {"type": "string", "pattern": r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$"},
            "cutoff_day": {"type": "integer", "minimum": 1, "maximum": 28},
            "due_soon_days": {"type": "integer", "minimum": 0, "maximum": 366},
            "report": {"type": "object", "additionalProperties": False,
                       "properties": {**{k: text for k in REPORT_KEYS[:-1]},
                                      "recipients": {"type": "array", "items": text}}},
        },
    }


class _Reader:
    """Checks the parsed file key by key; each problem is located."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def bad(self, path: tuple[str | int, ...], message: str, hint: str | None = None,
            key: bool = False) -> None:
        marks = self.doc.marks
        line, col = marks.key(path) if key else marks.value(path)
        self.problems.append(Problem(self.doc.path_name, line, col, "error", "config-invalid",
                                     message, hint))

    def rules(self, value: Any) -> dict[str, Setting]:
        if not isinstance(value, dict):
            self.bad(("rules",), message("%(key)s must map problem codes to error, warning or "
                                         "off", key="`rules`"))
            return {}
        known = catalogue()
        out: dict[str, Setting] = {}
        for code, setting in value.items():
            rule = known.get(code)
            if rule is None:
                import difflib

                close = difflib.get_close_matches(str(code), list(known), n=1)
                said = message("unknown problem code %(code)s (did you mean %(close)s?)",
                               code=repr(code), close=repr(close[0])) if close else message(
                    "unknown problem code %(code)s", code=repr(code))
                self.bad(("rules", code), said,
                         message("%(command)s lists every code", command="plantrack rules"),
                         key=True)
            elif not rule.configurable:
                self.bad(("rules", code), message("%(code)s stops a file from being read and "
                                                  "cannot be changed", code=repr(code)),
                         key=True)
            elif setting not in SETTINGS:
                self.bad(("rules", code), message("%(code)s: %(setting)s is not error, warning "
                                                  "or off", code=code, setting=repr(setting)))
            else:
                out[code] = setting
        return out

    def number(self, key: str, value: Any, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.bad((key,), message("%(key)s must be a whole number from %(low)s to %(high)s",
                                     key=f"`{key}`", low=low, high=high))
            return None
        return value

    def report(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.bad(("report",), message("%(key)s must be a mapping of particulars",
                                          key="`report`"))
            return {}
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key not in REPORT_KEYS:
                self.bad(("report", key), message("unknown key %(key)s in %(where)s",
                                                  key=repr(key), where="report"),
                         message("known keys: %(keys)s", keys=", ".join(REPORT_KEYS)), key=True)
            elif key == "recipients" and not (
                    isinstance(item, list) and all(isinstance(x, str) for x in item)):
                self.bad(("report", key), message("%(key)s must be a list of text",
                                                  key="`recipients`"))
            elif key != "recipients" and not isinstance(item, str):
                self.bad(("report", key), message("%(key)s must be text", key=f"`{key}`"))
            else:
                out[key] = item
        return out


_TOP_KEYS = ("rules", "lang", "cutoff_day", "due_soon_days", "report")


def parse(raw: bytes, path: str) -> Config:
    """The configuration in `raw`; every problem is located in the file."""
    from plantrack.i18n import lang_problem
    from plantrack.read.yamlread import read_yaml

    doc = read_yaml(raw, path)
    if doc.data is None:
        empty = any(p.code == "empty-file" for p in doc.problems)
        problems = () if empty else tuple(p._replace(code="config-invalid")
                                          for p in doc.problems)
        return Config(path, problems=problems)
    reader = _Reader(doc)
    values: dict[str, Any] = {}
    for key, value in doc.data.items():
        if key not in _TOP_KEYS:
            reader.bad((key,), message("unknown key %(key)s in %(where)s", key=repr(key),
                                       where=CONFIG_NAME),
                       message("known keys: %(keys)s", keys=", ".join(_TOP_KEYS)), key=True)
        elif key == "rules":
            values["rules"] = reader.rules(value)
        elif key == "lang":
            problem = lang_problem(value)
            if problem:
                reader.bad(("lang",), problem)
            else:
                values["lang"] = value
        elif key == "report":
            values["report"] = reader.report(value)
        else:
            high = 28 if key == "cutoff_day" else 366
            values[key] = reader.number(key, value, 0 if key == "due_soon_days" else 1, high)
    return Config(path, **values, problems=tuple(reader.problems))


_FOUND: dict[Path, Path | None] = {}


def find(folder: Path) -> Path | None:
    """The `.plantrack.yaml` governing plans in `folder`: the nearest one walking up,
    stopping at the git root (or the filesystem's)."""
    start = folder.resolve()
    if start not in _FOUND:
        _FOUND[start] = _walk_up(start)
    return _FOUND[start]


def _walk_up(current: Path) -> Path | None:
    while True:
        candidate = current / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (current / ".git").exists() or current.parent == current:
            return None
        current = current.parent


_LOADED: dict[Path, Config] = {}


def for_file(path: Path) -> Config:
    """The configuration of a plan file, read once per run for each configuration file."""
    found = find(path.parent)
    if found is None:
        return Config()
    if found not in _LOADED:
        from plantrack.read.source import SourceError, read_source

        try:
            raw = read_source(found)
        except SourceError as exc:
            problem = Problem(str(found), 0, 0, "error", "config-invalid", str(exc))
            _LOADED[found] = Config(str(found), problems=(problem,))
        else:
            _LOADED[found] = parse(raw, _shown_path(found))
    return _LOADED[found]


def _shown_path(found: Path) -> str:
    try:
        return str(found.relative_to(Path.cwd()))
    except ValueError:
        return str(found)


def disabled_on(line: str) -> frozenset[str]:
    """The codes a trailing `# plantrack: disable=CODE[,CODE]` comment names."""
    match = _DISABLE.search(line)
    if not match:
        return frozenset()
    return frozenset(c.strip() for c in match.group(1).split(",") if c.strip())


def apply(problems: list[Problem], config: Config, lines: list[str] | None
          ) -> tuple[list[Problem], list[Waived]]:
    """The findings as the repository wants them: severities set by `rules`, findings off or
    silenced by a comment on their line (`lines`: the file's text, when it has any) left out.
    Change rules are never silenced by a comment."""
    kept: list[Problem] = []
    waived: list[Waived] = []
    rules = catalogue()
    for problem in problems:
        rule = rules.get(problem.code)
        if rule is not None and not rule.configurable:
            kept.append(problem)
            continue
        if (lines and rule is not None and rule.scope != "change"
                and 0 < problem.line <= len(lines)
                and problem.code in disabled_on(lines[problem.line - 1])):
            waived.append(Waived(problem, "silenced"))
            continue
        setting = config.setting(problem.code)
        if setting == "off":
            waived.append(Waived(problem, "off"))
        elif setting is not None and setting != problem.severity:
            severity: Severity = setting
            waived.append(Waived(problem, "downgraded" if setting == "warning" else "upgraded"))
            kept.append(problem._replace(severity=severity))
        else:
            kept.append(problem)
    return kept, waived


def apply_to_files(problems: list[Problem], files: list[str]
                   ) -> tuple[list[Problem], list[Waived]]:
    """`apply` file by file, each with its own configuration; the configuration files'
    own problems are added once each."""
    configs = {name: for_file(Path(name)) for name in files}
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, []).append(problem)
    kept: list[Problem] = []
    waived: list[Waived] = []
    for name, found in by_file.items():
        config = configs.get(name) or for_file(Path(name))
        if config.path is None and not any("disable=" in line for line in _lines(name)):
            kept.extend(found)
            continue
        some, gone = apply(found, config, _lines(name))
        kept.extend(some)
        waived.extend(gone)
    seen: set[str] = set()
    for config in configs.values():
        if config.path and config.path not in seen:
            seen.add(config.path)
            kept.extend(config.problems)
    return kept, waived


def _lines(name: str) -> list[str]:
    from plantrack.read.source import read_source

    try:
        return read_source(name).decode("utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []
