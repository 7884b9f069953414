"""What had been committed by an instant: HEAD's first-parent history by committer date.

The plans as they stood at the end of a day are those of the last commit on first-parent
history committed on or before that day's last instant, in the plans' timezone: what a
secretariat had in hand when a period closed. Later commits, even ones that back-date an
update into the period, are not in it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FirstParent:
    """First-parent history of a commit, oldest first: commit ids and committer instants."""

    shas: list[str]
    times: list[dt.datetime]

    def at(self, instant: dt.datetime) -> str | None:
        """The last commit committed at or before `instant` (timezone-aware)."""
        index = bisect.bisect_right(self.times, instant)
        return self.shas[index - 1] if index else None


def first_parent(repo: Path, head: str = "HEAD") -> FirstParent:
    """`head`'s first-parent history; empty for a repository with no commits."""
    from plantrack.git.repo import first_parent_log

    log = first_parent_log(repo, head)
    shas = [sha for sha, _ in log]
    times = [when for _, when in log]
    # Committer dates along first-parent history can go backwards (a clock set wrong, a
    # rebase): the history as it stood at an instant is what had been committed by then,
    # so each commit counts from the latest date of it and everything before it.
    for index in range(1, len(times)):
        times[index] = max(times[index], times[index - 1])
    return FirstParent(shas, times)


def end_instant(day: dt.date, timezone: str | None) -> dt.datetime:
    """The last instant of `day` in `timezone` (the format's default when None)."""
    from plantrack.asof import zone

    tz = zone(timezone) or zone(None)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz) \
        - dt.timedelta(microseconds=1)
