"""The whole site from plans in git: the archive first (each period closed since the last
run, from its snapshot), then the pages as of the day asked for.

Everything is yielded as (path from the site's root, bytes) for the command to write; the
core writes nothing itself."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from plantrack.domain.localize import localized_plans
from plantrack.domain.model import SourcedPlan
from plantrack.domain.state import Tally, TaskState
from plantrack.report.data import PeriodKind, period_named
from plantrack.site.archive import Entry, Manifest, digest, period_key, report_files
from plantrack.site.snapshots import History, PeriodSnapshot, closed_periods

ASSETS = ("site.js", "site.css", "pages.css")


@dataclass(frozen=True)
class Settings:
    kind: PeriodKind
    cutoff_day: int | None
    lang: str | None  # the language chosen (labels and plan text); None: English labels
    soon: int  # days: due soon
    since: dt.date | None = None  # no archived period before the one this day falls in
    docx: Any = None  # the Word document's particulars; None: no Word report

    @property
    def labels(self) -> str:
        return self.lang or "en"


def publish(history: History, settings: Settings, manifest: Manifest, as_of: dt.date,
            timezone: str | None) -> Iterator[tuple[str, bytes]]:
    """The reports of the periods closed by `as_of` that `manifest` does not list yet, each
    from the plans as they stood at its end; `manifest` gains an entry for each."""
    from plantrack.report.compose import compose_report
    from plantrack.site.trends import trend_point

    first = settings.since or history.first_day
    if first is None:
        return
    for period in closed_periods(first, as_of, settings.kind, settings.cutoff_day):
        key = period_key(period)
        if key in manifest.keys:
            continue
        snapshot = history.snapshot(period, timezone)
        if snapshot.rev is None:
            continue  # nothing had been committed by its end
        plans = localized_plans(snapshot.plans, settings.lang)
        report = compose_report(plans, period.end, settings.kind, settings.cutoff_day,
                                settings.soon, snapshot.rev, history.plans_at)
        files = {}
        for name, data in report_files(report, settings.labels, settings.docx):
            files[name] = digest(data)
            yield f"archive/{key}/{name}", data
        point = trend_point(PeriodSnapshot(period, snapshot.day, snapshot.rev, plans),
                            settings.soon)
        manifest.entries.append(Entry(
            key, period.start.isoformat(), period.end.isoformat(), snapshot.rev, files,
            dict(sorted(point.tally.counts.items())), dict(point.overdue_by_owner),
            dict(point.owner_names)))
        history.prune({snapshot.rev})


def points_of(manifest: Manifest, settings: Settings) -> list[Any]:
    """The trend points the archive keeps, oldest first."""
    from plantrack.site.trends import TrendPoint

    points = []
    for entry in sorted(manifest.entries, key=lambda e: e.start):
        end = dt.date.fromisoformat(entry.end)
        period = period_named(end, settings.kind, settings.cutoff_day)
        points.append(TrendPoint(period=period, day=end, tally=Tally(Counter(entry.states)),
                                 overdue_by_owner=dict(entry.overdue_by_owner),
                                 owner_names=dict(entry.owner_names)))
    return points


def assets() -> Iterator[tuple[str, bytes]]:
    """The style sheets and the script every page links to."""
    from plantrack.report.render import templates_dir

    folder = templates_dir() / "site"
    for name in ASSETS:
        yield name, (folder / name).read_bytes()


def calendars(site: Any, plans: list[SourcedPlan], day: dt.date, lang: str
              ) -> Iterator[tuple[str, bytes]]:
    """Each owner page's calendar: what `export --format ics --owner` gives for it."""
    from plantrack.views.calendar import render_ics

    by_id = {sp.plan.id: sp.plan for sp in plans}
    for owner in site.owners:
        items: list[TaskState] = [line.item for line in owner.lines]
        yield owner.calendar, render_ics(items, by_id, day, lang, owner.name)


def archive_namer(settings: Settings, manifest: Manifest) -> Any:
    """A period's name ("Tháng 6/2025") from its key, for the index."""
    from plantrack.report.render import Formats

    words = Formats(settings.labels)
    ends = {e.key: dt.date.fromisoformat(e.end) for e in manifest.entries}

    def name(key: str) -> str:
        return words.period_name(period_named(ends[key], settings.kind, settings.cutoff_day))

    return name

