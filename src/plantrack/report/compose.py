"""One report from plans and a day: the period it covers, the states as of its judged day,
what changed in git and the late corrections. `report` and the site's archive both make
their reports here, so a period's report is the same whichever made it."""

from __future__ import annotations

import datetime as dt

from plantrack.domain.model import SourcedPlan
from plantrack.report.data import PeriodKind, Report
from plantrack.report.late import ReadAt


def compose_report(plans: list[SourcedPlan], day: dt.date, kind: PeriodKind,
                   cutoff_day: int | None, soon: int, head: str = "HEAD",
                   read_at: ReadAt | None = None) -> Report:
    """The report as of `day` on `plans`; git history is read along `head`'s."""
    from plantrack.domain.query import derive_all
    from plantrack.report.changes import changes_since
    from plantrack.report.data import build_report, judged_day, reported_period
    from plantrack.report.late import late_corrections

    current = reported_period(day, kind, cutoff_day)
    judged = judged_day(day, current)
    items = derive_all(plans, lambda _plan: judged, soon)
    model = build_report(plans, items, day, current)
    model.changes = changes_since(plans, items, model.period_start, model.as_of, head,
                                  read_at)
    model.late = late_corrections(plans, current, head, read_at)
    return model


def shallow_warnings(model: Report) -> list[str]:
    """What a shallow clone kept the report from reading, for standard error."""
    from plantrack.git.repo import shallow_message
    from plantrack.report.changes import shallow_warning

    changes = bool(model.changes and model.changes.shallow)
    late = bool(model.late and model.late.shallow)
    if changes and late:
        return [shallow_message("the changes since the period began and the late corrections "
                                "to the previous period")]
    if changes:
        return [shallow_warning()]
    return [shallow_message("the late corrections to the previous period")] if late else []
