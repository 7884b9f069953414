"""Who is in charge of an owner's tasks as of a date: owner succession (PLAN-FORMAT.md,
"Owners that change"). Every view asks here; none follows `succeeded_by` itself."""

from __future__ import annotations

import datetime as dt

from plantrack.domain.model import Plan


def in_charge(plan: Plan, key: str, day: dt.date) -> str:
    """The owner key in charge on `day` of what `key` was written for: the end of the
    succession chain taken as of `day`. A cycle (an error of validate) stops where it closes."""
    owner = plan.owners.get(key)
    if owner is None or owner.succeeded_by is None:
        return key  # most owners: no succession to follow
    seen = {key}
    current = key
    while True:
        owner = plan.owners.get(current)
        succession = owner.succeeded_by if owner else None
        if succession is None or succession.since > day or succession.owner in seen:
            return current
        current = succession.owner
        seen.add(current)


def chain(plan: Plan, key: str) -> list[str]:
    """`key` and every owner that succeeds it, in order, whatever the date; cycle-safe."""
    keys = [key]
    owner = plan.owners.get(key)
    while owner is not None and owner.succeeded_by is not None:
        nxt = owner.succeeded_by.owner
        if nxt in keys:
            break
        keys.append(nxt)
        owner = plan.owners.get(nxt)
    return keys


def succession_cycle(plan: Plan, key: str) -> list[str] | None:
    """The cycle that `key`'s chain runs into when it starts at `key`, else None."""
    keys = chain(plan, key)
    last = plan.owners.get(keys[-1])
    if last is not None and last.succeeded_by is not None and last.succeeded_by.owner == key:
        return keys
    return None
