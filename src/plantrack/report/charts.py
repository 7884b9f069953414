"""Inline SVG charts for the HTML report: state by owner as stacked bars, deadlines on a
timeline per plan. Every piece of text is escaped here; no script, no external asset.

No text is measured by a browser here: widths are estimated per character for a
proportional sans-serif font at the charts' 11px (`text_width`), on the wide side (DejaVu
Sans, what `system-ui` is on a bare Linux, is wider than Arial), and labels are wrapped or
placed so that the estimate stays inside the chart."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup
from markupsafe import escape as _markup_escape

from plantrack.collate import clusters as _clusters
from plantrack.report.data import OwnerRow, PlanInfo, TaskRow
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
CHART_WIDTH = 720
FONT_SIZE = 11  # px, as the report's style sheet sets for svg.chart
LINE_HEIGHT = 13  # between the lines of a wrapped label
LABEL_LINES = 3  # a label wraps over at most this many lines, then ends with "…"
MARGIN = 4  # kept free at the chart's edges
ELLIPSIS = "…"
POINT_R = 5  # a task's point on the timeline

Label = Callable[[str], str]
DateText = Callable[[dt.date], str]

# Advance widths in em, at or above those of DejaVu Sans, Liberation Sans (Arial) and the
# like; a character in none of these sets counts as a wide lowercase letter.
_NARROW = frozenset(" ijlI|.,:;'!`\u00ad")
_SLIM = frozenset("frtJ()[]{}/\\-\"*")
_WIDE = frozenset("mwMW%@\u2026\u2014")
_SYMBOLS = frozenset("#^&+=<>~")


def _char_em(char: str) -> float:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.05
    if char in _NARROW:
        return 0.34
    if char in _SLIM:
        return 0.46
    if char in _WIDE:
        return 1.0
    if char in _SYMBOLS:
        return 0.86
    if unicodedata.category(char) == "Lu":
        return 0.8
    return 0.68


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The width `text` takes at `size` px, estimated on the wide side."""
    return size * sum(_char_em(c) for c in unicodedata.normalize("NFC", text))


def escape(value: object) -> Markup:
    """Text for SVG: markup escaped, and no control or bidirectional character."""
    from plantrack.views.escape import inert

    return _markup_escape(inert(str(value)))


def _cut(text: str, width: float) -> tuple[str, str]:
    """The longest start of `text` (at least one character) within `width`, and the rest."""
    head, used = "", 0.0
    pieces = _clusters(text)
    for n, piece in enumerate(pieces):
        used += text_width(piece)
        if used > width and n:
            return head, "".join(pieces[n:])
        head += piece
    return head, ""


def _ellipsized(text: str, width: float) -> str:
    """`text` cut to `width`, ending with "…" where it was cut."""
    if text_width(text) <= width:
        return text
    head, _rest = _cut(text, width - text_width(ELLIPSIS))
    return head.rstrip() + ELLIPSIS


def wrap_label(text: str, width: float, lines: int = LABEL_LINES) -> list[str]:
    """`text` as at most `lines` lines each within `width`, broken at spaces (inside a word
    only when the word alone is too wide); what the last line cannot hold ends it in "…".
    Broken at spaces only, the lines joined by one space are `text` again."""
    out: list[str] = []
    words = text.split(" ")
    line: str | None = None
    while words:
        word = words[0]
        candidate = word if line is None else f"{line} {word}"
        if text_width(candidate) <= width:
            line = candidate
            words.pop(0)
            continue
        if line is None:  # one word wider than a line: broken inside
            line, rest = _cut(word, width)
            words[0] = rest
            if not rest:
                words.pop(0)
        out.append(line)
        line = None
        if len(out) == lines:
            break
    if line is not None:
        out.append(line)
    if words and len(out) == lines:  # more than `lines` lines: the last one ends in "…"
        rest = " ".join([out[-1], *words]) if out[-1] else " ".join(words)
        out[-1] = _ellipsized(rest, width)
    return out or [""]


def _label(text: str, lines: list[str], x: float, y: float, anchor: str, cls: str) -> str:
    """A <text> of `lines` (the first line's baseline at y), its <title> the whole `text`."""
    head = (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" class="{cls}">'
            f"<title>{escape(text)}</title>")
    if len(lines) == 1:
        return f"{head}{escape(lines[0])}</text>"
    spans = "".join(f'<tspan x="{x:g}" y="{y + n * LINE_HEIGHT:g}">{escape(line)}</tspan>'
                    for n, line in enumerate(lines))
    return f"{head}{spans}</text>"


def owner_bars(rows: Sequence[OwnerRow], states: Sequence[str], label: Label,
               title: str) -> Markup:
    """One stacked bar per owner (the worst first), its length the owner's task count.
    A long name wraps over up to LABEL_LINES lines, the row growing to fit."""
    shown = list(rows[:BAR_LIMIT])
    if not shown:
        return Markup("")
    biggest = max(r.total for r in shown) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 40
    row_h, top = 22, 8
    room = LABEL_WIDTH - 6 - MARGIN
    body: list[str] = []
    y = top
    for row in shown:
        lines = wrap_label(row.name, room)
        extra = LINE_HEIGHT * (len(lines) - 1)  # the row grows by a line for each line more
        mid = extra / 2  # the bar stays in the middle of the row
        body.append(_label(row.name, lines, LABEL_WIDTH - 6, y + 14, "end", "lbl"))
        x = float(LABEL_WIDTH)
        for state in states:
            count = row.counts.get(state, 0)
            if not count:
                continue
            width = span * count / biggest
            body.append(f'<rect x="{x:.1f}" y="{y + 3 + mid:g}" width="{width:.1f}" '
                        f'height="{row_h - 6}" fill="{STATE_COLOURS[state]}"><title>'
                        f"{escape(row.name)}: {escape(label(state))} {count}</title></rect>")
            x += width
        body.append(f'<text x="{x + 4:.1f}" y="{y + 14 + mid:g}" class="num">{row.total}</text>')
        y += row_h + extra
    legend, legend_h = _legend(states, label, y + 14)
    height = y + 34 + legend_h
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {CHART_WIDTH} {height:g}" width="{CHART_WIDTH}" '
             f'height="{height:g}">', f"<title>{escape(title)}</title>", *body, legend, "</svg>"]
    return Markup("".join(parts))


LEGEND_LINE = 16


def _legend(states: Sequence[str], label: Label, y: float) -> tuple[str, int]:
    """The legend, from its first line's baseline `y`, wrapped onto more lines where the
    chart's width ends, and how much taller than one line it is."""
    out: list[str] = []
    x, right, lines = 8.0, CHART_WIDTH - MARGIN, 1
    for state in states:
        text = label(state)
        shown = _ellipsized(text, right - 8 - 14)
        width = text_width(shown)
        if x > 8 and x + 14 + width > right:
            x, y, lines = 8.0, y + LEGEND_LINE, lines + 1
        entry = (f'<text x="{x + 14:.0f}" y="{y:g}" class="lbl">{escape(shown)}</text>'
                 if shown == text else _label(text, [shown], round(x + 14), y, "start", "lbl"))
        out.append(f'<rect x="{x:.0f}" y="{y - 9:g}" width="10" height="10" '
                   f'fill="{STATE_COLOURS[state]}"/>{entry}')
        x += 24 + math.ceil(width)
    return "".join(out), LEGEND_LINE * (lines - 1)


def _month_ticks(first: dt.date, last: dt.date, apart: int = 1) -> list[dt.date]:
    """The first days of months from `first` to `last`, at most about eight of them and at
    least `apart` months from one to the next."""
    ticks, day = [], dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            ticks.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, len(ticks) // 8, apart)  # at most about eight labelled ticks
    return ticks[::step]


def _anchor(x: float, text: str) -> str:
    """"middle" for a label centred on x, unless it would then pass an edge of the chart:
    "start" or "end", so that it runs inward from x."""
    half = text_width(text) / 2
    if x - half < MARGIN:
        return "start"
    if x + half > CHART_WIDTH - MARGIN:
        return "end"
    return "middle"


@dataclass
class _Pile:
    """Tasks of one lane drawn as one point: those whose points would overlap."""

    tasks: list[TaskRow]
    xs: list[float]
    first: int  # the place of its first task in the plan, to keep the plan's order

    @property
    def x(self) -> float:
        return sum(self.xs) / len(self.xs)

    @property
    def r(self) -> float:
        if len(self.tasks) == 1:
            return POINT_R
        return max(7.0, 1.5 + 3.5 * len(str(len(self.tasks))))


def _piles(tasks: list[tuple[int, TaskRow, float]]) -> list[_Pile]:
    """The points of one lane, those that would overlap (the same day, or centres closer
    than their radii together, a point's diameter for two single ones) merged, until no two
    overlap."""
    piles = [_Pile([task], [x], n) for n, task, x in sorted(tasks, key=lambda t: (t[2], t[0]))]
    merged = True
    while merged:
        merged = False
        for n in range(len(piles) - 1):
            a, b = piles[n], piles[n + 1]
            if b.x - a.x < a.r + b.r:
                piles[n:n + 2] = [_Pile(a.tasks + b.tasks, a.xs + b.xs, min(a.first, b.first))]
                merged = True
                break
    return piles


def _ink_on(colour: str) -> str:
    """Dark or white text, whichever reads on `colour` ("#rrggbb")."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#222" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#fff"


def _task_text(task: TaskRow, day_text: DateText) -> str:
    assert task.deadline_day is not None
    return (f"{escape(task.ref)} {escape(fit(task.title, 80))}: "
            f"{escape(day_text(task.deadline_day))}")


def _point(pile: _Pile, y: int, state: str, day_text: DateText) -> str:
    colour, x = STATE_COLOURS[state], pile.x
    if len(pile.tasks) == 1:
        return (f'<circle cx="{x:.1f}" cy="{y}" r="{POINT_R}" fill="{colour}" stroke="#333" '
                f'stroke-width="0.5"><title>{_task_text(pile.tasks[0], day_text)}</title>'
                "</circle>")
    listed = "\n".join(_task_text(task, day_text) for task in pile.tasks)
    return (f'<g class="pile"><title>{listed}</title>'
            f'<circle cx="{x:.1f}" cy="{y}" r="{pile.r:g}" fill="{colour}" stroke="#333" '
            f'stroke-width="0.5"/><text x="{x:.1f}" y="{y + 3}" text-anchor="middle" '
            f'font-size="9" font-weight="700" fill="{_ink_on(colour)}" pointer-events="none">'
            f"{len(pile.tasks)}</text></g>")


def timeline(plan: PlanInfo, as_of: dt.date, label: Label, day_text: DateText,
             month_text: DateText, title: str, today_label: str) -> Markup:
    """Each task's deadline as a dot on a time axis, one lane per state, as-of marked.
    Tasks of a lane whose dots would overlap are one dot, the number of them written on it."""
    days = [t.deadline_day for t in plan.tasks if t.deadline_day is not None]
    if not days:
        return Markup("")
    first, last = min([*days, as_of]), max([*days, as_of])
    first, last = first - dt.timedelta(days=3), last + dt.timedelta(days=3)
    span_days = (last - first).days or 1
    names = {state: label(state) for state in TIMELINE_LANES}
    # The lanes' names stand left of the axis: it starts further right when they need it.
    widest = max(text_width(name) for name in names.values())
    left = max(130, min(LABEL_WIDTH, math.ceil(widest) + 8 + MARGIN))
    span = CHART_WIDTH - 20 - left
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
        name = names[state]
        shown = _ellipsized(name, left - 8 - MARGIN)
        parts.append((f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" class="lbl">'
                      f"{escape(name)}</text>" if shown == name else
                      _label(name, [shown], left - 8, y + 4, "end", "lbl")) +
                     f'<line x1="{left}" x2="{left + span}" y1="{y}" y2="{y}" class="lane"/>')
    # Labelled ticks far enough apart that their labels do not run into each other.
    widest_tick = max(text_width(month_text(tick)) for tick in _month_ticks(first, last))
    apart = math.ceil((widest_tick + 8) / (span * 28 / span_days))
    for tick in _month_ticks(first, last, apart):
        x, text = x_of(tick), month_text(tick)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{axis_y}" class="tick"/>'
                     f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="{_anchor(x, text)}" '
                     f'class="num">{escape(text)}</text>')
    lanes: dict[str, list[tuple[int, TaskRow, float]]] = {}
    for n, task in enumerate(plan.tasks):
        if task.state in TIMELINE_LANES and task.deadline_day is not None:
            lanes.setdefault(task.state, []).append((n, task, x_of(task.deadline_day)))
    drawn = sorted(((pile, state) for state, tasks in lanes.items() for pile in _piles(tasks)),
                   key=lambda item: item[0].first)
    for pile, state in drawn:
        y = top + TIMELINE_LANES.index(state) * lane_h + lane_h // 2
        parts.append(_point(pile, y, state, day_text))
    x = x_of(as_of)
    parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{axis_y}" class="asof"/>'
                 f'<text x="{x:.1f}" y="{axis_y + 26}" text-anchor="{_anchor(x, today_label)}" '
                 f'class="asof-l">{escape(today_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
