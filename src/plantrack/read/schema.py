"""Turn the reader's plain data into a `Plan`, reporting every schema problem with its position.

Unknown keys are found here (with "did you mean"), then pydantic validates types and
required keys; each pydantic error is mapped back to the line and column it came from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from plantrack.asof import DateRangeError, year_problem
from plantrack.domain import model
from plantrack.domain.deadlines import year_message
from plantrack.problems import Problem, message, message_of
from plantrack.read.yamlread import Document, Path
from plantrack.rules import declare

declare("unknown-key", "error", "plan", "a key the format does not define (with did-you-mean)")
declare("missing-key", "error", "plan", "a required key is missing")
declare("wrong-type", "error", "plan", "a value of the wrong type (text, number, date, list)")
declare("bad-value", "error", "plan", "a value the format does not allow")
declare("bad-date", "error", "plan", "a deadline or date that cannot be read")
declare("out-of-range", "error", "plan", "a progress outside 0-100")
declare("date-range", "error", "plan", "a date or deadline outside the years 1900-2200")

# Misspellings and synonyms that difflib does not find close enough.
_SYNONYMS = {
    "deadline": "due", "dedline": "due", "due_date": "due", "duedate": "due",
    "assignee": "owner", "lead": "owner", "presides": "owner", "responsible": "owner",
    "coordinators": "with", "coordinate": "with", "coordinating": "with",
    "depends": "depends_on", "dependencies": "depends_on", "after": "depends_on",
    "done": "completed", "completed_on": "completed", "finished": "completed",
    "tag": "tags", "target": "targets", "update": "updates", "extension": "extensions",
    "note": "notes", "name": "title", "version": "plantrack", "tz": "timezone",
    "recurrence": "recurs", "rrule": "recurs", "repeat": "recurs",
}


def keys_of(cls: type) -> tuple[str, ...]:
    return tuple(model.KEY_OF_FIELD.get(f.name, f.name) for f in dataclasses.fields(cls))


# Where each kind of mapping lives in a plan: the pattern of its path -> its class.
_ROOT_LISTS = {"basis": model.BasisDoc, "tasks": model.Task}
_TASK_LISTS = {"extensions": model.Extension, "targets": model.Target, "updates": model.Update}


_ALL_KEYS = frozenset(k for cls in (model.Plan, model.Task, model.Owner, model.Succession,
                                     model.BasisDoc, model.Extension, model.Target,
                                     model.Baseline, model.Update)
                      for k in keys_of(cls))


def suggest(key: str, known: tuple[str, ...]) -> str | None:
    lowered = key.lower().replace("-", "_").replace(" ", "_")
    if lowered in known and lowered != key:
        return lowered
    synonym = _SYNONYMS.get(lowered)
    if synonym in known:
        return synonym
    close = difflib.get_close_matches(lowered, known, n=1, cutoff=0.6)
    return close[0] if close else None


_WHERE = {"Plan": "the plan", "Task": "a task", "Owner": "an owner",
          "BasisDoc": "a basis document", "Extension": "an extension", "Target": "a target",
          "Update": "an update", "Succession": "a succession", "Baseline": "a baseline"}


def _where(kind: str) -> str:
    return message(_WHERE[kind])


def _unknown_keys(data: Any, cls: type, path: Path, doc: Document, out: list[Problem]) -> None:
    if not isinstance(data, dict):
        return
    known = keys_of(cls)
    for key in data:
        if key in known:
            continue
        line, col = doc.marks.key((*path, key))
        better = suggest(key, known)
        where = _where(cls.__name__)
        if better:
            said = message("unknown key %(key)s in %(where)s (did you mean %(better)s?)",
                           key=repr(key), where=where, better=repr(better))
        else:
            said = message("unknown key %(key)s in %(where)s", key=repr(key), where=where)
        out.append(Problem(
            doc.path_name, line, col, "error", "unknown-key", said,
            None if better else message("known keys: %(keys)s", keys=", ".join(known)),
        ))


def check_keys(doc: Document) -> list[Problem]:
    """Every key in the plan that the format does not define."""
    out: list[Problem] = []
    data = doc.data
    _unknown_keys(data, model.Plan, (), doc, out)
    owners = data.get("owners")
    if isinstance(owners, dict):
        for key, owner in owners.items():
            _unknown_keys(owner, model.Owner, ("owners", key), doc, out)
            if isinstance(owner, dict):
                _unknown_keys(owner.get("succeeded_by"), model.Succession,
                              ("owners", key, "succeeded_by"), doc, out)
    for list_key, cls in _ROOT_LISTS.items():
        items = data.get(list_key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            _unknown_keys(item, cls, (list_key, i), doc, out)
            if cls is model.Task and isinstance(item, dict):
                for sub_key, sub_cls in _TASK_LISTS.items():
                    sub_items = item.get(sub_key)
                    if isinstance(sub_items, list):
                        for j, sub in enumerate(sub_items):
                            _unknown_keys(sub, sub_cls, (list_key, i, sub_key, j), doc, out)
                            if sub_cls is model.Target and isinstance(sub, dict):
                                _unknown_keys(sub.get("baseline"), model.Baseline,
                                              (list_key, i, sub_key, j, "baseline"), doc, out)
    return out


def _rename(data: dict[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    """Field names for known keys; a misspelt key (already reported) is read as the key it
    resembles, so that one typo is one problem, not also a missing key."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            meant = suggest(key, known)
            if meant is None or meant in data or meant in out:
                continue
            key = meant
        out[model.FIELD_OF_KEY.get(key, key)] = value
    return out


def prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Drop unknown keys (already reported), rename to field names, expand shorthand."""
    plan = _rename(data, keys_of(model.Plan))
    owners = plan.get("owners")
    if isinstance(owners, dict):
        plan["owners"] = {k: _owner(v) for k, v in owners.items()}
    tasks = plan.get("tasks")
    if isinstance(tasks, list):
        task_keys = keys_of(model.Task)
        plan["tasks"] = [_rename(t, task_keys) if isinstance(t, dict) else t for t in tasks]
    return plan


def _owner(value: Any) -> Any:
    """`{name: X}` for the shorthand `X`; `from` read as `since` in a succession."""
    if isinstance(value, str):
        return {"name": value}
    if not isinstance(value, dict):
        return value
    owner = _rename(value, keys_of(model.Owner))
    succession = owner.get("succeeded_by")
    if isinstance(succession, dict):
        owner["succeeded_by"] = _rename(succession, keys_of(model.Succession))
    return owner


@cache
def plan_adapter() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(model.Plan)


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Path, str | None]:
    """The part of a pydantic `loc` that exists in the file, and the missing key, if any."""
    path: list[str | int] = []
    node = data
    for part in loc:
        key = model.KEY_OF_FIELD.get(part, part) if isinstance(part, str) else part
        if isinstance(node, dict) and isinstance(key, str) and key not in node:
            key = _misspelt(node, key)
        found = (key in node) if isinstance(node, dict) else (
            isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node))
        if found:
            node = node[key]
        else:
            return tuple(path), key if isinstance(key, str) else None
        path.append(key)
    return tuple(path), None


def _misspelt(node: dict[str, Any], key: str) -> str:
    """The key as written when `prepare` read a misspelt key as `key`."""
    for written in node:
        if written not in _ALL_KEYS and suggest(written, (key,)) == key:
            return str(written)
    return key


def _describe(path: Path) -> str:
    """`tasks[3].due` style, 1-based, as a person counts list items."""
    if not path:
        return message("the plan")
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_TYPE_WORDS = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false",
    "bool_parsing": "true or false", "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)", "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)", "list_type": "a list",
    "tuple_type": "a list", "dict_type": "a mapping", "dataclass_type": "a mapping",
    "float_type": "a number",
    "dataclass_exact_type": "a mapping", "model_type": "a mapping",
}


def _problem_of(err: dict[str, Any], doc: Document) -> tuple[Path, Problem] | None:
    path, missing = _data_path(err["loc"], doc.data)
    kind = err["type"]
    name = _describe(path) if path else "plan"
    value = err.get("input")
    hint = None
    if missing is not None and kind == "missing":
        line, col = doc.marks.value(path)
        return (*path, missing), Problem(doc.path_name, line, col, "error", "missing-key",
                                         message("missing required key %(key)s in %(where)s",
                                                 key=repr(missing), where=_describe(path)))
    line, col = doc.marks.value(path)
    if kind in _TYPE_WORDS:
        code = "wrong-type"
        shown = (type(value).__name__ if isinstance(value, (dict, list)) else
                 value.isoformat() if isinstance(value, dt.date) else repr(value))
        said: str = message("%(name)s should be %(kind)s, not %(value)s", name=repr(name),
                       kind=message(_TYPE_WORDS[kind]),
                       value=message(shown) if isinstance(value, (dict, list)) else shown)
        if kind == "string_type" and isinstance(value, (int, float, bool)):
            hint = message("put the value in quotes, as written, so that it stays text")
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        code = "out-of-range"
        said = message("%(name)s is %(value)s; it must be between 0 and 100", name=repr(name),
                       value=repr(value))
    elif kind == "literal_error":
        code = "bad-value"
        said = message("%(name)s is %(value)s; expected %(expected)s", name=repr(name),
                       value=repr(value), expected=_expected(str(err["ctx"]["expected"])))
    elif kind == "value_error":
        error = err["ctx"]["error"]
        code = "date-range" if isinstance(error, DateRangeError) else (
            "bad-date" if path and path[-1] == "due" else "bad-value")
        said = message_of(error)
    elif kind == _DATE_RANGE:
        code = "date-range"
        said = message("%(name)s is %(value)s: %(problem)s", name=repr(name), value=value,
                       problem=year_message(value.year) if isinstance(value, dt.date)
                       else err["msg"])
    else:
        code = "bad-value"
        said = message("%(name)s: %(problem)s", name=repr(name), problem=err["msg"])
    return path, Problem(doc.path_name, line, col, "error", code, said, hint)


def _expected(text: str) -> str:
    """pydantic's list of the values a literal allows ("'a', 'b' or 'c'"), its "or" said
    in the user's language."""
    head, sep, last = text.rpartition(" or ")
    return message("%(values)s or %(last)s", values=head, last=last) if sep else text


_DATE_RANGE = "date_range"  # the type of the errors `_date_range_errors` makes


def _add_problems(errors: list[dict[str, Any]], doc: Document,
                  problems: dict[Path, Problem]) -> None:
    """The problem of each error, one per place, none where the reader reported one."""
    for err in errors:
        found = _problem_of(err, doc)
        if found is None:
            continue
        path, problem = found
        if path in doc.reported or any(path[:i] in doc.reported for i in range(len(path))):
            continue
        problems.setdefault(path, problem)


def _validate(data: dict[str, Any], context: dict[str, Any]
              ) -> tuple[model.Plan | None, list[dict[str, Any]]]:
    """The plan (None when it cannot be built) and its errors: pydantic's, else its dates
    outside the format's years."""
    from pydantic import ValidationError

    try:
        plan: model.Plan = plan_adapter().validate_python(data, context=context)
    except ValidationError as exc:
        return None, [dict(e) for e in exc.errors(include_url=False)]
    return plan, _date_range_errors(plan)


def _date_range_errors(plan: model.Plan) -> list[dict[str, Any]]:
    """Errors, in pydantic's shape, for plain dates outside 1900-2200 (PLAN-FORMAT.md,
    "Limits"); deadlines are held to the years where they are read (`deadlines`)."""
    return [{"loc": loc, "type": _DATE_RANGE, "msg": problem, "input": day}
            for loc, day in _plain_dates(plan)
            if day is not None and (problem := year_problem(day.year))]


def _plain_dates(plan: model.Plan) -> Iterator[tuple[tuple[str | int, ...], dt.date | None]]:
    """Every plain date of the plan, with its place in field names."""
    yield ("issued",), plan.issued
    for k, doc in enumerate(plan.basis):
        yield ("basis", k, "date"), doc.date
    for key, owner in plan.owners.items():
        if owner.succeeded_by is not None:
            yield ("owners", key, "succeeded_by", "since"), owner.succeeded_by.since
    for i, task in enumerate(plan.tasks):
        yield ("tasks", i, "start"), task.start
        yield ("tasks", i, "completed"), task.completed
        for j, extension in enumerate(task.extensions):
            yield ("tasks", i, "extensions", j, "approved"), extension.approved
        for j, target in enumerate(task.targets):
            yield ("tasks", i, "targets", j, "measured"), target.measured
            if target.baseline is not None:
                yield ("tasks", i, "targets", j, "baseline", "date"), target.baseline.date
        for j, update in enumerate(task.updates):
            yield ("tasks", i, "updates", j, "date"), update.date


@dataclass(frozen=True)
class Validated:
    plan: model.Plan | None  # None when required keys are missing or malformed
    problems: list[Problem]
    damaged: frozenset[Path] = frozenset()  # keys left out of `plan` because they were invalid

    @property
    def complete(self) -> bool:
        return self.plan is not None and not self.problems and not self.damaged


def to_plan(doc: Document) -> Validated:
    """Validate the document against the model.

    When only optional keys are invalid, they are left out and the rest is validated again,
    so that the plan's other checks still run and one run reports everything."""
    data = prepare(doc.data)
    lang = data.get("lang")
    context = {"lang": lang if isinstance(lang, str) else None}
    plan, errors = _validate(data, context)
    if not errors:
        return Validated(plan, [])
    problems: dict[Path, Problem] = {}
    _add_problems(errors, doc, problems)
    damaged = {_salvage_key(err["loc"]) for err in errors}
    if any(err["type"] == "missing" for err in errors) or None in damaged:
        return Validated(None, list(problems.values()))
    cleaned = _without(data, damaged)  # type: ignore[arg-type]
    plan, later = _validate(cleaned, context)
    if plan is not None and later and all(e["type"] == _DATE_RANGE for e in later):
        # Dates out of range in what the first round could not build: left out in turn.
        _add_problems(later, doc, problems)
        damaged |= {_salvage_key(err["loc"]) for err in later}
        plan, later = _validate(_without(data, damaged), context)  # type: ignore[arg-type]
    if plan is None or later or None in damaged:
        return Validated(None, list(problems.values()))
    keys = frozenset(tuple(model.KEY_OF_FIELD.get(p, p) if isinstance(p, str) else p
                           for p in path) for path in damaged if path)
    return Validated(plan, list(problems.values()), keys)


def _salvage_key(loc: tuple[Any, ...]) -> Path | None:
    """The key to leave out for an error at `loc`: a task's key, or a plan's; None for none."""
    if len(loc) >= 3 and loc[0] == "tasks" and isinstance(loc[1], int) and isinstance(loc[2], str):
        return ("tasks", loc[1], loc[2])
    if loc and isinstance(loc[0], str) and loc[0] != "tasks":
        return (loc[0],)
    return None


def _without(data: dict[str, Any], keys: set[Path]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if (k,) not in keys}
    drop = {(p[1], p[2]) for p in keys if len(p) == 3}
    if drop and isinstance(out.get("tasks"), list):
        out["tasks"] = [
            {k: v for k, v in t.items() if (i, k) not in drop} if isinstance(t, dict) else t
            for i, t in enumerate(out["tasks"])
        ]
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the plan format, as editors and check-jsonschema use it."""
    schema: dict[str, Any] = plan_adapter().json_schema(mode="validation")
    defs = schema.get("$defs", {})
    for definition in [schema, *defs.values()]:
        if definition.get("type") == "object":
            definition["additionalProperties"] = False
            props = definition.get("properties", {})
            for field_name, key in model.KEY_OF_FIELD.items():
                if field_name in props:
                    props[key] = props.pop(field_name)
            if "required" in definition:
                definition["required"] = [model.KEY_OF_FIELD.get(k, k)
                                          for k in definition["required"]]
    task = defs["Task"]
    percent = {"type": "integer", "minimum": 0, "maximum": 100}
    for holder in (task, defs["Update"]):
        holder["properties"]["progress"]["anyOf"] = [percent, {"type": "null"}]
    task["anyOf"] = [{"required": ["due"]}, {"required": ["recurs"]}]
    schema["properties"]["owners"]["additionalProperties"] = {
        "anyOf": [{"type": "string"}, {"$ref": "#/$defs/Owner"}]
    }
    schema["properties"]["id"]["pattern"] = r"^[a-z0-9][a-z0-9-]*$"
    task["properties"]["id"]["pattern"] = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://plantrack.example/schema/plan-v1.json",
        **schema,
        "title": "plantrack plan, format version 1",
    }
