"""The plans as they stood at the end of each past period, read from git.

A period's snapshot is the plans at the last commit on first-parent history committed on or
before the period's last day, in the plans' timezone (`git.timeline`): what a secretariat
had in hand when the period closed. Later commits (even ones that back-date an update into
the period) are not in it; the next period's report lists those as late corrections.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.domain.model import SourcedPlan
from plantrack.git.timeline import FirstParent, end_instant, first_parent
from plantrack.problems import Problem
from plantrack.report.data import Period, PeriodKind, period_named


@dataclass(frozen=True)
class PeriodSnapshot:
    period: Period
    day: dt.date  # the period's last day: the plans are judged as of it
    rev: str | None  # the commit the plans are read at; None: nothing committed by then
    plans: list[SourcedPlan]


def closed_periods(first: dt.date, as_of: dt.date, kind: PeriodKind,
                   cutoff_day: int | None) -> list[Period]:
    """The periods of `kind` from the one `first` falls in to the last one closed on or
    before `as_of`, oldest first."""
    periods = []
    period = period_named(first, kind, cutoff_day)
    while period.end <= as_of:
        periods.append(period)
        period = period.following()
    return periods


@dataclass
class History:
    """One repository's plans commit by commit: each commit's plans read once, each file
    version parsed once (most commits change one file of many)."""

    repo: Path
    specs: list[str]  # repository-relative plan files or folders (default: plans/)
    line: FirstParent = field(init=False)
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # by commit
    _at: dict[str, list[SourcedPlan]] = field(default_factory=dict)
    _blobs: dict[str, SourcedPlan | None] = field(default_factory=dict)
    _listed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.line = first_parent(self.repo)

    @property
    def first_day(self) -> dt.date | None:
        """The day of the first commit, in UTC (periods are counted from its period)."""
        return self.line.times[0].astimezone(dt.UTC).date() if self.line.times else None

    def plans_at(self, rev: str) -> list[SourcedPlan]:
        """The plans at commit `rev`, with absolute paths (so their repository is found)."""
        if rev not in self._at:
            self._at[rev] = self._read(rev)
        return self._at[rev]

    def _read(self, rev: str) -> list[SourcedPlan]:
        from plantrack.checks.loader import check_bytes
        from plantrack.git.repo import plan_blobs, read_blobs

        listed = self._listed[rev] = plan_blobs(self.repo, rev, self.specs)
        unseen = [blob for _, blob in listed if blob not in self._blobs]
        problems: list[Problem] = []
        for (path, blob), raw in zip([e for e in listed if e[1] in unseen],
                                     read_blobs(self.repo, unseen), strict=True):
            plan = None
            if raw is not None:
                plan, found, digest = check_bytes(raw, path)
                problems.extend(found)
            self._blobs[blob] = (SourcedPlan(str(self.repo / path), plan, digest)
                                 if plan is not None else None)
        self.problems[rev] = problems
        out = []
        for path, blob in listed:
            sourced = self._blobs[blob]
            if sourced is not None:  # the same content under another name reads as that name
                out.append(SourcedPlan(str(self.repo / path), sourced.plan, sourced.digest))
        return out

    def blobs_at(self, rev: str) -> dict[str, str]:
        """The absolute path of each plan file at `rev` -> its blob id."""
        self.plans_at(rev)
        return {str(self.repo / path): blob for path, blob in self._listed[rev]}

    def prune(self, keep: set[str]) -> None:
        """Forget every commit's plans but those of `keep`: a long history holds many
        versions of every plan, and a run walks it once."""
        for rev in [r for r in self._at if r not in keep]:
            del self._at[rev], self._listed[rev]
        held = {blob for rev in self._listed for _, blob in self._listed[rev]}
        for blob in [b for b in self._blobs if b not in held]:
            del self._blobs[blob]

    def snapshot(self, period: Period, timezone: str | None) -> PeriodSnapshot:
        """The plans as they stood at the end of `period`."""
        rev = self.line.at(end_instant(period.end, timezone))
        return PeriodSnapshot(period, period.end, rev, self.plans_at(rev) if rev else [])
