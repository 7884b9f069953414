"""Plans as a view in one language shows them: every text in its entry for that language.

Views draw what they are given; choosing the language happens here once, before states are
derived, so every view, the report and its filters see the same text.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from plantrack.domain.model import Plan, SourcedPlan
from plantrack.i18n import Text, in_lang


def localized(plan: Plan, lang: str | None) -> Plan:
    """`plan` with every text in `lang` where it has an entry for it."""
    if lang is None:
        return plan
    result: Plan = _walk(plan, lang)
    return result


def localized_plans(plans: list[SourcedPlan], lang: str | None) -> list[SourcedPlan]:
    if lang is None:
        return plans
    return [dataclasses.replace(sp, plan=localized(sp.plan, lang)) for sp in plans]


def _walk(value: Any, lang: str) -> Any:
    if isinstance(value, Text):
        return in_lang(value, lang)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        items = tuple(_walk(v, lang) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, list):
        return [_walk(v, lang) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, lang) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _walk(old, lang)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value  # dates, deadlines: no text in them
