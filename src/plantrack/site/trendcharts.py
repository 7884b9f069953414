"""SVG charts of the trends: inline, no script, every piece of text escaped. Each chart is
an image with a title and a description; the pages give the same figures in a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from plantrack.report.charts import STATE_COLOURS, escape, wrap_label
from plantrack.report.data import Period

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 190, 16, 34
PALETTE = ("#b2182b", "#2166ac", "#1b7837", "#762a83", "#e08214", "#35978f", "#8c510a",
           "#4d4d4d")
_ids = iter(range(1, 1 << 30))


def _frame(title: str, desc: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-labelledby="tc{n}t tc{n}d" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="11">'
        f'<title id="tc{n}t">{escape(title)}</title><desc id="tc{n}d">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")


def _x(i: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * i / (count - 1) if count > 1 else span / 2)


def _y(value: float, top: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (1 - (value / top if top else 0))


def _axes(labels: list[str], top: float, fmt: Callable[[float], str]) -> list[str]:
    out = [f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
           f'y2="{HEIGHT - BOTTOM}" stroke="#999"/>']
    for frac in (0, 0.5, 1):
        y = _y(top * frac, top)
        out.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#444">'
                   f"{escape(fmt(top * frac))}</text>")
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                   'stroke="#e5e5e5"/>')
    step = max(1, -(-len(labels) // 8))
    for i in range(0, len(labels), step):
        out.append(f'<text x="{_x(i, len(labels)):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                   f'text-anchor="middle" fill="#444">{escape(labels[i])}</text>')
    return out


def _line(values: Sequence[float | None], top: float, colour: str, name: str) -> list[str]:
    out = []
    run: list[str] = []
    for i, value in enumerate(values):
        if value is None:
            if run:
                out.append(run)
            run = []
            continue
        run.append(f"{_x(i, len(values)):.1f},{_y(value, top):.1f}")
    if run:
        out.append(run)
    svg = [f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
           f'points="{" ".join(r)}"><title>{escape(name)}</title></polyline>' for r in out]
    svg += [f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="2.5" fill="{colour}"/>'
            for r in out for p in r]
    return svg


def _legend(entries: list[tuple[str, str]]) -> list[str]:
    out = []
    y = TOP + 4
    for colour, name in entries:
        lines = wrap_label(name, RIGHT - 30, 2)
        out.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{y}" width="10" height="10" '
                   f'fill="{colour}"/>')
        for k, part in enumerate(lines):
            out.append(f'<text x="{WIDTH - RIGHT + 26}" y="{y + 9 + 13 * k}" fill="#222">'
                       f"{escape(part)}</text>")
        y += 13 * len(lines) + 6
    return out


def _top(values: Sequence[float]) -> float:
    return max([1.0, *values])


def states_chart(points: Sequence[Any], states: Sequence[str], label: Callable[[str], str],
                 period_label: Callable[[Period], str]) -> Markup:
    """The count of each state at each period's end, one line per state found."""
    if not points:
        return Markup("")
    shown = [s for s in states if any(p.tally.counts.get(s) for p in points)]
    top = _top([p.tally.counts.get(s, 0) for p in points for s in shown])
    body = _axes([period_label(p.period) for p in points], top, lambda v: f"{v:.0f}")
    for s in shown:
        body += _line([float(p.tally.counts.get(s, 0)) for p in points], top,
                      STATE_COLOURS.get(s, "#444"), label(s))
    body += _legend([(STATE_COLOURS.get(s, "#444"), label(s)) for s in shown])
    last = points[-1]
    desc = "; ".join(f"{label(s)}: {last.tally.counts.get(s, 0)}" for s in shown)
    return _frame(period_label(last.period), desc, body)


def on_time_chart(points: Sequence[Any], label: Callable[[str], str],
                  period_label: Callable[[Period], str],
                  share_text: Callable[[float | None], str]) -> Markup:
    """The share completed on time at each period's end, 0 to 100 %."""
    if not points:
        return Markup("")
    shares = [p.tally.on_time_share for p in points]
    values = [None if s is None else 100.0 * s for s in shares]
    body = _axes([period_label(p.period) for p in points], 100.0, lambda v: f"{v:.0f}%")
    body += _line(values, 100.0, "#1b7837", label("Share completed on time"))
    return _frame(label("Share completed on time"),
                  f"{period_label(points[-1].period)}: {share_text(shares[-1])}", body)


def owner_overdue_chart(points: Sequence[Any], label: Callable[[str], str],
                        period_label: Callable[[Period], str], top_n: int = 8) -> Markup:
    """Overdue tasks of the owners with most overdue at the latest period, one line each."""
    if not points:
        return Markup("")
    last = points[-1]
    keys = sorted(last.overdue_by_owner, key=lambda k: (-last.overdue_by_owner[k], k))[:top_n]
    names = {k: v for p in points for k, v in p.owner_names.items()}
    top = _top([p.overdue_by_owner.get(k, 0) for p in points for k in keys])
    body = _axes([period_label(p.period) for p in points], top, lambda v: f"{v:.0f}")
    for k, colour in zip(keys, PALETTE, strict=False):
        body += _line([float(p.overdue_by_owner.get(k, 0)) for p in points], top, colour,
                      names.get(k, k))
    body += _legend([(c, names.get(k, k)) for k, c in zip(keys, PALETTE, strict=False)])
    desc = "; ".join(f"{names.get(k, k)}: {last.overdue_by_owner[k]}" for k in keys)
    return _frame(label("Overdue, not completed"), desc or "0", body)


def pace_chart(pace: Any, history: Sequence[tuple[dt.date, float]],
               label: Callable[[str], str], day_text: Callable[[dt.date], str]) -> Markup:
    """The expected line from the target's start to its deadline, and the actual value."""
    if pace.deadline_day is None or pace.deadline_day <= pace.start_day:
        return Markup("")
    d0, d1 = pace.start_day, pace.deadline_day
    values = [pace.start_value, pace.target_value, *(v for _, v in history)]
    if pace.actual is not None:
        values.append(pace.actual)
    top = _top(values)
    span = WIDTH - LEFT - RIGHT

    def x(day: dt.date) -> float:
        return float(LEFT + span * min(1.0, max(0.0, (day - d0).days / (d1 - d0).days)))

    unit = pace.unit
    body = _axes([day_text(d0), day_text(d1)], top, lambda v: f"{v:.0f}{unit}")
    body.append(f'<line x1="{x(d0):.1f}" y1="{_y(pace.start_value, top):.1f}" '
                f'x2="{x(d1):.1f}" y2="{_y(pace.target_value, top):.1f}" stroke="#2166ac" '
                f'stroke-width="2" stroke-dasharray="6 4"><title>{escape(label("Target"))}'
                "</title></line>")
    points = list(history)
    if pace.actual is not None and pace.measured is not None:
        points.append((pace.measured, pace.actual))
    for day, value in points:
        body.append(f'<circle cx="{x(day):.1f}" cy="{_y(value, top):.1f}" r="4" '
                    f'fill="#b2182b"><title>{escape(day_text(day))}: {value:g}{escape(unit)}'
                    "</title></circle>")
    body += _legend([("#2166ac", label("Target")), ("#b2182b", label("Actual"))])
    desc = f"{pace.metric}: {pace.target_value:g}{unit}"
    if pace.actual is not None:
        desc += f"; {label('Actual')}: {pace.actual:g}{unit}"
    return _frame(pace.metric, desc, body)
