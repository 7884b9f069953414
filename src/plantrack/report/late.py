"""Late corrections: updates dated inside the previous period that its report could not
have shown, because they were committed after the period closed ("Cập nhật bổ sung kỳ
trước").

The previous period's report was made from the plans as they stood at its end: the last
commit on first-parent history committed by then (`git.timeline`). An update in the plans
now, dated within that period, that those plans did not hold is a late correction. `report`
and the site's archive both compute them this way, so they agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.domain.model import SourcedPlan, Update
from plantrack.i18n import Text
from plantrack.report.data import Period, UpdateRow, _owner_name, _update_row

ReadAt = Callable[[str], list[SourcedPlan]]  # the plans at a commit


@dataclass
class Late:
    previous: Period
    in_git: bool = False
    rev: str | None = None  # the commit the previous period's report was made from
    rows: list[UpdateRow] = field(default_factory=list)
    shallow: bool = False  # the history is cut before the previous period's end


def _key(plan_id: str, task_id: str, update: Update) -> tuple[object, ...]:
    # A note in several languages compares by all of them: the plans of now may be shown
    # in another language than those read from git.
    note = update.note
    said = tuple(sorted(note.langs.items())) if isinstance(note, Text) else note
    return (plan_id, task_id, update.date, update.progress, update.status, said)


def late_updates(now: list[SourcedPlan], then: list[SourcedPlan], previous: Period
                 ) -> list[UpdateRow]:
    """The updates of `now` dated within `previous` that `then` did not hold (counted: an
    update written twice where `then` had it once is one late correction)."""
    held = Counter(_key(sp.plan.id, t.id, u) for sp in then for t in sp.plan.tasks
                   for u in t.updates if previous.start <= u.date <= previous.end)
    rows = []
    for sp in now:
        plan = sp.plan
        for task in plan.tasks:
            for update in task.updates:
                if not previous.start <= update.date <= previous.end:
                    continue
                key = _key(plan.id, task.id, update)
                if held[key]:
                    held[key] -= 1
                    continue
                owner = _owner_name(plan, task.owner)
                rows.append(_update_row(f"{plan.id}/{task.id}", task.title, owner, update))
    rows.sort(key=lambda r: (r.date, r.ref))
    return rows


def late_corrections(plans: list[SourcedPlan], current: Period, head: str = "HEAD",
                     read_at: ReadAt | None = None) -> Late:
    """The late corrections to the period before `current`, for plans read from files in a
    git repository (none otherwise); `head` is the commit whose history counts."""
    from plantrack.git import repo as gitread
    from plantrack.git.timeline import end_instant, first_parent
    from plantrack.report.changes import _relative

    previous = current.preceding()
    late = Late(previous)
    repo = gitread.repo_root(Path(plans[0].path).resolve()) if plans else None
    if repo is None:
        return late
    late.in_git = True
    closed = end_instant(previous.end, plans[0].plan.timezone)
    if gitread.history_cut_after(repo, closed):
        late.shallow = True
        return late
    late.rev = first_parent(repo, head).at(closed)
    if late.rev is None:
        return late  # nothing was committed when the previous period closed
    paths = _relative(repo, plans)
    then = read_at(late.rev) if read_at else list(gitread.plans_at(repo, late.rev, paths))
    late.rows = late_updates(plans, then, previous)
    return late
