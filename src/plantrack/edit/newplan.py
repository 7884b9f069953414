"""A new plan file in the house style: the format's key order, quoting only where YAML needs
it, a header comment saying where the plan came from, and no line longer than it must be."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from plantrack.edit.nodes import TASK_KEYS, unambiguous  # as `add` and every edit write

# The format's key order (PLAN-FORMAT.md): what a reader looks for first comes first.
PLAN_KEYS = ("plantrack", "id", "title", "issued_by", "issued", "timezone", "lang", "sources",
             "basis", "reporting", "owners", "tasks")


def plan_yaml(plan: dict[str, Any], header: list[str]) -> str:
    """`plan` as the text of a plan file, `header` as its opening comment lines."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def ordered(mapping: dict[str, Any], keys: tuple[str, ...]) -> CommentedMap:
        out = CommentedMap()
        for key in (*keys, *(k for k in mapping if k not in keys)):
            if key in mapping and mapping[key] is not None:
                value = mapping[key]
                out[_value(key)] = _deadline(value) if key == "due" else _value(value)
        return out

    def _value(value: Any) -> Any:
        if isinstance(value, list):
            seq = CommentedSeq(_value(v) for v in value)
            if all(isinstance(v, str) for v in value) and sum(len(v) for v in value) < 60:
                seq.fa.set_flow_style()  # short lists of keys and tags on one line
            return seq
        if isinstance(value, dict):
            return ordered(value, ())
        return unambiguous(value)

    document = ordered(plan, PLAN_KEYS)
    if "tasks" in plan:
        document["tasks"] = CommentedSeq(ordered(t, TASK_KEYS) for t in plan["tasks"])
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    # A value written twice (one start date for many duties) is written out each time:
    # plans have no anchors.
    yaml.representer.ignore_aliases = lambda *_: True
    out = io.StringIO()
    yaml.dump(document, out)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return comment + out.getvalue()


def _deadline(value: Any) -> Any:
    """A deadline written as `add` writes it: a day as a plain date, a year as a number."""
    from plantrack.domain.deadlines import DeadlineError, parse_deadline
    from plantrack.edit.operations import deadline_value

    if not isinstance(value, str):
        return value
    try:
        return unambiguous(deadline_value(parse_deadline(value)))
    except DeadlineError:
        return unambiguous(value)


def imported_header(source: str, day: dt.date) -> list[str]:
    return [f"Imported from {source} on {day.isoformat()}.",
            "Check each task's owner, deadline and source against the document."]
