"""Inline SVG charts for the HTML report: state by owner as stacked bars, deadlines on a
timeline per plan. Every piece of text is escaped here; no script, no external asset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from markupsafe import Markup
from markupsafe import escape as _markup_escape

from plantrack.report.data import OwnerRow, PlanInfo
from plantrack.views.columns import fit

# Colours picked to stay apart for the common colour-vision deficiencies and in greyscale print.
STATE_COLOURS = {
    "done_on_time": "#1b7837", "done_late": "#a6dba0", "on_track": "#2166ac",
    "due_soon": "#92c5de", "overdue": "#b2182b", "ongoing": "#878787",
    "unscheduled": "#b8a9c9", "cancelled": "#d9d9d9",
}
TIMELINE_LANES = ("overdue", "due_soon", "on_track", "done_late", "done_on_time", "cancelled")
BAR_LIMIT = 25
LABEL_WIDTH = 260
_LABEL_CHARS = 40  # what LABEL_WIDTH holds
CHART_WIDTH = 720

Label = Callable[[str], str]
DateText = Callable[[dt.date], str]


def escape(value: object) -> Markup:
    """Text for SVG: markup escaped, and no control or bidirectional character."""
    from plantrack.views.escape import inert

    return _markup_escape(inert(str(value)))


def owner_bars(rows: Sequence[OwnerRow], states: Sequence[str], label: Label,
               title: str) -> Markup:
    """One stacked bar per owner (the worst first), its length the owner's task count."""
    shown = list(rows[:BAR_LIMIT])
    if not shown:
        return Markup("")
    biggest = max(r.total for r in shown) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 40
    row_h, top = 22, 8
    height = top + row_h * len(shown) + 34
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}">',
             f"<title>{escape(title)}</title>"]
    for n, row in enumerate(shown):
        y = top + n * row_h
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end" '
                     f'class="lbl">{escape(fit(row.name, _LABEL_CHARS))}</text>')
        x = float(LABEL_WIDTH)
        for state in states:
            count = row.counts.get(state, 0)
            if not count:
                continue
            width = span * count / biggest
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}"'
                         f' fill="{STATE_COLOURS[state]}"><title>{escape(row.name)}: '
                         f"{escape(label(state))} {count}</title></rect>")
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="num">{row.total}</text>')
    parts.append(_legend(states, label, top + row_h * len(shown) + 14))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(states: Sequence[str], label: Label, y: int) -> str:
    out, x = [], 8.0
    for state in states:
        text = label(state)
        out.append(f'<rect x="{x:.0f}" y="{y - 9}" width="10" height="10" '
                   f'fill="{STATE_COLOURS[state]}"/><text x="{x + 14:.0f}" y="{y}" '
                   f'class="lbl">{escape(text)}</text>')
        x += 24 + 6.5 * len(text)
    return "".join(out)


def _month_ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    ticks, day = [], dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            ticks.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, len(ticks) // 8)  # at most about eight labelled ticks
    return ticks[::step]


def timeline(plan: PlanInfo, as_of: dt.date, label: Label, day_text: DateText,
             month_text: DateText, title: str, today_label: str) -> Markup:
    """Each task's deadline as a dot on a time axis, one lane per state, as-of marked."""
    days = [t.deadline_day for t in plan.tasks if t.deadline_day is not None]
    if not days:
        return Markup("")
    first, last = min([*days, as_of]), max([*days, as_of])
    first, last = first - dt.timedelta(days=3), last + dt.timedelta(days=3)
    span_days = (last - first).days or 1
    left, span = 130, CHART_WIDTH - 150
    lane_h, top = 20, 10
    height = top + lane_h * len(TIMELINE_LANES) + 30

    def x_of(day: dt.date) -> float:
        return left + span * (day - first).days / span_days

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}">',
             f"<title>{escape(title)}</title>"]
    axis_y = top + lane_h * len(TIMELINE_LANES)
    for n, state in enumerate(TIMELINE_LANES):
        y = top + n * lane_h + lane_h // 2
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" class="lbl">'
                     f"{escape(label(state))}</text>"
                     f'<line x1="{left}" x2="{left + span}" y1="{y}" y2="{y}" class="lane"/>')
    for tick in _month_ticks(first, last):
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{axis_y}" class="tick"/>'
                     f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle" class="num">'
                     f"{escape(month_text(tick))}</text>")
    for task in plan.tasks:
        if task.state not in TIMELINE_LANES or task.deadline_day is None:
            continue
        y = top + TIMELINE_LANES.index(task.state) * lane_h + lane_h // 2
        parts.append(f'<circle cx="{x_of(task.deadline_day):.1f}" cy="{y}" r="5" '
                     f'fill="{STATE_COLOURS[task.state]}" stroke="#333" stroke-width="0.5">'
                     f"<title>{escape(task.ref)} {escape(fit(task.title, 80))}: "
                     f"{escape(day_text(task.deadline_day))}</title></circle>")
    x = x_of(as_of)
    parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{axis_y}" class="asof"/>'
                 f'<text x="{x:.1f}" y="{axis_y + 26}" text-anchor="middle" class="asof-l">'
                 f"{escape(today_label)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
