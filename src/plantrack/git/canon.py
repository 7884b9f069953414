"""A plan's meaning as a flat map of field paths, for the diff to compare.

Every field of the model, at any depth, becomes leaves; a field the format gains later is
walked like the others with no change here. Only what carries no meaning is folded away:
task and list order, a string written as `X` or `{<plan lang>: X}`, Unicode NFC against NFD,
a deadline's spelling (`2025-q3` is `2025-Q3`). Paths read as a reviewer would write them:
`title`, `with`, `updates[2025-05-25].note` (`#2` for a second entry that day),
`extensions[2025-04-01]`, `targets[parcels].actual`, `owners[dost].succeeded_by.owner`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple

from plantrack.domain.deadlines import Deadline
from plantrack.domain.model import KEY_OF_FIELD, Plan, Task
from plantrack.i18n import Text, translations

YamlPath = tuple[str | int, ...]


class Leaf(NamedTuple):
    """One field's value: `canon` compares, `shown` is what a reader sees, `where` is the
    YAML node holding it on this side. A named tuple: a 10,000-task diff makes a million."""

    canon: object
    shown: object
    where: YamlPath


Flat = dict[str, Leaf]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _text_leaf(value: str, lang: str | None, where: YamlPath) -> Leaf:
    langs = translations(value, lang)
    # "*" is the plan's language, so that `X` and `{<lang>: X}` compare equal
    canon = tuple(sorted(("*" if code == (lang or "") else code, nfc(entry))
                         for code, entry in langs.items()))
    if isinstance(value, Text) and len(langs) > 1:
        shown: object = "; ".join(f"{code}: {entry}" for code, entry in langs.items())
    else:
        shown = str(value)
    return Leaf(canon, shown, where)


def _deadline_leaf(value: Deadline, where: YamlPath) -> Leaf:
    return Leaf((value.kind, value.last_day, value.at), value.text, where)


def _quantity(value: object) -> object:
    if isinstance(value, str):
        return nfc(value).replace(" ", "")
    return value


def _key(text: str) -> str:
    """A key as a field path shows it: brackets inside it would end the path's own."""
    return text.replace("[", "(").replace("]", ")")


def _item_key(name: str) -> Callable[[Any], str] | None:
    """How the items of a list field are told apart: by content, not position."""
    return {
        "updates": lambda u: u.date.isoformat(),
        "extensions": lambda e: e.approved.isoformat(),
        "targets": lambda t: nfc(str(t.metric)),
        "basis": lambda b: b.id,
    }.get(name)


def flatten_value(value: object, path: str, where: YamlPath, lang: str | None,
                  out: Flat, text: bool = False) -> None:
    """Add the leaves of `value`, found at `path` (YAML node `where`), to `out`; `text`: the
    field is free text, which may be written in several languages."""
    if value is None:
        return
    if isinstance(value, Deadline):
        out[path] = _deadline_leaf(value, where)
    elif isinstance(value, str) and text:
        out[path] = _text_leaf(value, lang, where)
    elif isinstance(value, str):
        out[path] = Leaf(nfc(value), value, where)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _flatten_fields(value, path, where, lang, out)
    elif isinstance(value, dict):
        for key, item in value.items():
            flatten_value(item, f"{path}[{_key(str(key))}]", (*where, key), lang, out)
    elif isinstance(value, (tuple, list)):
        _flatten_list(value, path, where, lang, out)
    elif isinstance(value, (bool, int, float, dt.date)):
        out[path] = Leaf(value if isinstance(value, dt.date) else (type(value) is bool, value),
                         value, where)
    else:
        out[path] = Leaf(_quantity(value), value, where)


_QUANTITIES = frozenset({"target", "actual", "value"})


_SPECS: dict[type, tuple[tuple[str, str, bool, bool], ...]] = {}


def _field_specs(cls: type) -> tuple[tuple[str, str, bool, bool], ...]:
    """(field name, YAML key, free text?, quantity?) of each field of a model class."""
    specs = _SPECS.get(cls)
    if specs is None:
        specs = _SPECS[cls] = tuple(
            (f.name, KEY_OF_FIELD.get(f.name, f.name), "LangText" in str(f.type),
             f.name in _QUANTITIES) for f in dataclasses.fields(cls))
    return specs


def _flatten_fields(value: Any, path: str, where: YamlPath, lang: str | None,
                    out: Flat) -> None:
    for name, key, text, quantity in _field_specs(type(value)):
        item = getattr(value, name)
        if item is None or item == ():
            continue  # absent: what an unset optional field reads as
        sub = f"{path}.{key}" if path else key
        if quantity:
            out[sub] = Leaf(_quantity(item), item, (*where, key))
        else:
            flatten_value(item, sub, (*where, key), lang, out, text=text)


def _flatten_list(items: tuple[Any, ...] | list[Any], path: str, where: YamlPath,
                  lang: str | None, out: Flat) -> None:
    if not items:
        return
    if all(isinstance(item, str) for item in items):
        members = frozenset(nfc(item) for item in items)
        out[path] = Leaf(members, ", ".join(sorted(members)), where)
        return
    name = path.rsplit(".", 1)[-1]
    key_of = _item_key(name)
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if key_of is None:
            label = f"{path}[{index + 1}]"
        else:
            key = _key(key_of(item))
            seen[key] = seen.get(key, 0) + 1
            label = f"{path}[{key}]" + (f"#{seen[key]}" if seen[key] > 1 else "")
        flatten_value(item, label, (*where, index), lang, out)


def flatten_task(task: Task, lang: str | None, where: YamlPath) -> Flat:
    out: Flat = {}
    _flatten_fields(task, "", where, lang, out)
    del out["id"]
    return out


def flatten_plan_fields(plan: Plan) -> Flat:
    """The plan's own fields: everything but its tasks."""
    out: Flat = {}
    for f in dataclasses.fields(plan):
        if f.name != "tasks":
            key = KEY_OF_FIELD.get(f.name, f.name)
            flatten_value(getattr(plan, f.name), key, (key,), plan.lang, out,
                          text="LangText" in str(f.type))
    return out
