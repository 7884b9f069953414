"""The plans as an Excel workbook for the office: a summary, a sheet per plan for a unit to
fill in, and a hidden sheet of the values exported, so that an import can tell what a unit
changed.

A pure renderer: the same tasks, plans and date give the same bytes. Plan text is always
written as a string cell (never a formula, whatever it starts with), with no control
character. Styles are built once per workbook and shared by every cell, so that 10,000
tasks export in seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import Cell  # type: ignore[import-untyped]
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Border,
    Font,
    NamedStyle,
    PatternFill,
    Side,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from plantrack.domain.model import Plan
from plantrack.domain.state import STATES, TaskState, tally_by_plan
from plantrack.lang import Words
from plantrack.views.escape import inert

SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HIDDEN_SHEET = "_plantrack"
RESERVED_SHEETS = ("History",)  # Excel keeps this name for itself
WIDTH_CAP = 60  # characters: wider columns wrap
WIDTH_MIN = 6
# Narrower caps for the long texts, so that a plan's sheet printed on A4 landscape, fitted
# to the page's width, keeps a readable size; the text wraps within them.
WIDTH_CAPS = {"title": 48, "owner_name": 28, "with": 28, "note": 30, "new_note": 24}
# A line of 11 pt text, in points: rows of wrapped text are given their height, which
# LibreOffice does not work out on opening a workbook (the lines would overlap the next row).
LINE_HEIGHT = 15.0
# Times New Roman sets about this many characters in a column as wide as one of Excel's
# width units (the width of a digit of the default font).
CHARS_PER_UNIT = 1.15
DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0%"
SHARE_FORMAT = "0.0%"
_FORMULA_START = ("=", "+", "-", "@")

# The plan sheets' columns: the key (a field name of `records.task_record` where the value is
# the same), the header's message id, and how the cell is written.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("no", "No.", "int"),
    ("id", "ID", "text"),
    ("title", "Title", "wrap"),
    ("owner_name", "Presiding unit", "wrap"),
    ("with", "Coordinating units", "wrap"),
    ("deadline", "Deadline", "date"),  # the last day of the deadline in force
    ("due", "Deadline as written", "text"),  # the deadline in force, as the plan writes it
    ("state", "State", "text"),
    ("days_overdue", "Days overdue", "int"),
    ("progress", "Progress", "percent"),
    ("status", "Status", "text"),
    ("last_update", "Last update", "date"),
    ("note", "Note", "wrap"),  # the note of the latest update known as of the date
    ("new_progress", "New progress %", "input"),  # filled in by the unit
    ("new_note", "New note", "input_wrap"),
)
COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
# The hidden sheet: one row per task, the values as exported.
HIDDEN_KEYS = ("sheet", "row", "plan", "id", "progress", "status", "note", "due", "deadline")
TITLE_ROW, HEADER_ROW = 1, 2

# Headers the catalogue has no Vietnamese for.
_VI = {
    "Summary": "Tổng hợp",
    "Deadline as written": "Thời hạn ghi trong kế hoạch",
    "New progress %": "Tiến độ mới (%)",
    "New note": "Ghi chú mới",
    "Tasks by plan and state": "Số nhiệm vụ theo kế hoạch và tình trạng",
}

# Fill and font colour of a task's row, by state.
STATE_COLOURS: dict[str, tuple[str, str] | None] = {
    "overdue": ("FFC7CE", "9C0006"),  # red
    "due_soon": ("FFEB9C", "9C5700"),  # amber
    "done_on_time": ("C6EFCE", "006100"),  # green
    "done_late": ("E2EFDA", "375623"),  # pale green
    "on_track": ("DDEBF7", "1F3864"),  # pale blue
    "ongoing": None,
    "unscheduled": ("EDEDED", "404040"),  # grey
    "cancelled": ("D9D9D9", "7F7F7F"),  # darker grey, grey text
}


def render_xlsx(items: list[TaskState], plans: dict[str, Plan], as_of: dt.date,
                lang: str = "en") -> bytes:
    """The workbook of `items` as of `as_of`: a summary sheet, then a sheet per plan that has
    tasks among `items` (in the order of `plans`), then the hidden sheet of exported values."""
    words = Words(lang)
    say = _sayer(words)
    by_plan: dict[str, list[TaskState]] = {plan_id: [] for plan_id in plans}
    for item in items:
        by_plan.setdefault(item.plan_id, []).append(item)
    shown = [plan_id for plan_id, group in by_plan.items() if group]
    summary_name = say("Summary")
    names = sheet_names(shown, reserved=(summary_name, HIDDEN_SHEET, *RESERVED_SHEETS))

    wb = Workbook()
    styles = _Styles(wb)
    summary = wb.active
    summary.title = summary_name
    _summary_sheet(summary, shown, plans, items, as_of, words, styles)
    hidden_rows: list[list[Any]] = []
    for plan_id in shown:
        plan = plans.get(plan_id)
        ws = wb.create_sheet(names[plan_id])
        _plan_sheet(ws, plan_id, plan, by_plan[plan_id], as_of, words, styles, hidden_rows)
    hidden = wb.create_sheet(HIDDEN_SHEET)
    hidden.sheet_state = "veryHidden"
    _rows(hidden, [list(HIDDEN_KEYS), *hidden_rows])
    wb.active = 0

    stamp = dt.datetime.combine(as_of, dt.time())
    props = wb.properties
    props.created = props.modified = stamp
    props.creator = props.lastModifiedBy = "plantrack"
    props.title = f"{say('Tasks by plan and state')} ({_as_of(words, as_of)})"
    return _stable_zip(wb, as_of)


def sheet_names(plan_ids: Iterable[str], reserved: Sequence[str] = ()) -> dict[str, str]:
    """A sheet name per plan id: no []:*?/\\ (each becomes "_"), no apostrophe at either end,
    at most 31 characters, and unique ignoring case (a name taken gets "~2", "~3"... in place
    of its last characters)."""
    taken = {name.casefold() for name in reserved}
    out: dict[str, str] = {}
    for plan_id in plan_ids:
        base = _SHEET_FORBIDDEN.sub("_", inert(plan_id)).strip("'") or "plan"
        name, n = base[:SHEET_NAME_MAX], 1
        while name.casefold() in taken:
            n += 1
            suffix = f"~{n}"
            name = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.casefold())
        out[plan_id] = name
    return out


def _sayer(words: Words) -> Any:
    extra = _VI if words.lang == "vi" else {}

    def say(message: str) -> str:
        return extra.get(message) or words(message)

    return say


def _as_of(words: Words, day: dt.date) -> str:
    return words("as of %(date)s") % {"date": words.date(day)}


class _Styles:
    """The workbook's few named styles (hidden from Excel's gallery): one per kind of cell and
    state. A cell takes its style by name, or, in the rows of tasks, as a copy of the style's
    array of indexes (what openpyxl's `cell.style = name` copies, without looking the name up
    in a list for each of 150,000 cells), so no style object is made per cell."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        thin = Side(style="thin", color="BFBFBF")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.fills = {state: PatternFill("solid", fgColor=c[0]) if c else None
                      for state, c in STATE_COLOURS.items()}
        self.fonts = {state: Font(name="Times New Roman", size=11, color=c[1]) if c else
                      Font(name="Times New Roman", size=11) for state, c in STATE_COLOURS.items()}
        self.plain = Font(name="Times New Roman", size=11)
        self.bold = Font(name="Times New Roman", size=11, bold=True)
        self.made: dict[str, Any] = {}
        self.add("pt-title", font=Font(name="Times New Roman", size=14, bold=True),
                 alignment=Alignment(vertical="center"))
        self.add("pt-as-of", font=Font(name="Times New Roman", size=11, italic=True),
                 alignment=Alignment(horizontal="right", vertical="center"))
        self.add("pt-header", font=Font(name="Times New Roman", size=11, bold=True),
                 fill=PatternFill("solid", fgColor="D9E1F2"), border=self.border,
                 alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
        self.add("pt-input-header", font=Font(name="Times New Roman", size=11, bold=True),
                 fill=PatternFill("solid", fgColor="FFF2CC"), border=self.border,
                 alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))

    def add(self, name: str, **parts: Any) -> str:
        if name not in self.made:
            style = NamedStyle(name=name, hidden=True)
            for key, value in parts.items():
                if value is not None:
                    setattr(style, key, value)
            self.wb.add_named_style(style)
            self.made[name] = style
        return name

    def array(self, name: str) -> Any:
        """The style `name` as the array of indexes a cell holds."""
        return self.made[name].as_tuple()

    def cell(self, kind: str, state: str | None = None) -> str:
        """The style of a table cell of `kind` (see COLUMNS; "count", "share") in a row of
        `state` (None: no colour; "total": bold)."""
        name = f"pt-{kind}-{state or 'plain'}"
        if name in self.made:
            return name
        fill = self.fills.get(state) if state else None
        font = self.fonts.get(state, self.bold) if state else self.plain
        if kind.startswith("input"):
            fill, font = PatternFill("solid", fgColor="FFFBEA"), self.plain
        wrap = kind in ("wrap", "input_wrap")
        horizontal = {"int": "right", "count": "right", "percent": "right", "share": "right",
                      "date": "center", "input": "right"}.get(kind, "left")
        number_format = {"date": DATE_FORMAT, "percent": PERCENT_FORMAT,
                         "share": SHARE_FORMAT, "int": "0", "count": "0"}.get(kind, "General")
        return self.add(name, font=font, fill=fill, border=self.border,
                        number_format=number_format,
                        alignment=Alignment(horizontal=horizontal, vertical="top",
                                            wrap_text=wrap))


def _text(value: object) -> str:
    """Plan text for a cell: a str with no control character."""
    return inert(str(value))


def _put(ws: Any, row: int, column: int, value: Any, style: str) -> Any:
    """Write one cell: a str is always a string cell, never a formula; one that looks like
    a formula also gets Excel's quote prefix, so that editing it keeps it text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    elif value is not None:
        cell.value = value
    cell.style = style
    if isinstance(value, str) and value.lstrip().startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell


def _append(ws: Any, values: list[Any], arrays: list[Any]) -> None:
    """Append a row of cells, each styled by its array (see `_Styles`); a str is always a
    string cell, as in `_put`."""
    cells = []
    for value, array in zip(values, arrays, strict=True):
        cell = Cell(ws, value=value, style_array=copy(array))
        if isinstance(value, str):
            cell.data_type = "s"
            if value.lstrip().startswith(_FORMULA_START):
                cell.quotePrefix = True
        cells.append(cell)
    ws.append(cells)


def _width(value: Any) -> int:
    """How many characters a value shows: Vietnamese counted by character, not by byte or
    combining mark."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return 5
    text = str(value)
    return len(unicodedata.normalize("NFC", text)) if not text.isascii() else len(text)


def _fit(ws: Any, widths: list[int], headers: list[str], caps: list[int] | None = None
         ) -> list[int]:
    """Set each column's width to fit its longest value, within its cap; the characters a
    line of each column holds."""
    fitted = []
    for index, (width, header) in enumerate(zip(widths, headers, strict=True), start=1):
        longest_word = max((len(w) for w in header.split()), default=0)
        cap = caps[index - 1] if caps else WIDTH_CAP
        chars = min(cap, max(width, longest_word, WIDTH_MIN))
        ws.column_dimensions[get_column_letter(index)].width = chars + 2
        fitted.append(chars)
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * max(
        _lines(header, chars) for header, chars in zip(headers, fitted, strict=True))
    return fitted


def _heights(ws: Any, wrapped: list[tuple[int, list[str]]], columns: list[int],
             chars: list[int]) -> None:
    """Give each row of wrapped text the height of its most lines: `wrapped` holds (row,
    the texts of `columns`)."""
    for row, texts in wrapped:
        lines = max(_lines(text, int(chars[c] * CHARS_PER_UNIT))
                    for text, c in zip(texts, columns, strict=True))
        if lines > 1:
            ws.row_dimensions[row].height = LINE_HEIGHT * lines


def _lines(text: str, chars: int) -> int:
    """How many lines `text` takes wrapped by words at `chars` characters a line."""
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size <= chars:
                used += 1 + size
                continue
            if used:
                count += 1
            count += (size - 1) // max(chars, 1)  # a word longer than a line breaks
            used = (size - 1) % max(chars, 1) + 1
    return count


def _print_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&P/&N"


def _title_row(ws: Any, title: str, as_of: str, last_column: int) -> None:
    _put(ws, TITLE_ROW, 1, title, "pt-title")
    _put(ws, TITLE_ROW, last_column, as_of, "pt-as-of")
    ws.row_dimensions[TITLE_ROW].height = 24


def _header(ws: Any, headers: list[str], inputs: int = 0) -> None:
    first_input = len(headers) - inputs + 1
    for column, header in enumerate(headers, start=1):
        _put(ws, HEADER_ROW, column, header,
             "pt-input-header" if column >= first_input else "pt-header")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"  # a str: asking for the cell would make a row


def _latest_note(item: TaskState) -> str:
    """The note of the latest update known as of the date that has one."""
    last = item.last_update
    if last is None:
        return ""
    known = item.task.updates
    for index, update in enumerate(known):
        if update is last:
            known = known[:index + 1]
            break
    for update in reversed(known):
        if update.note:
            return _text(update.note)
    return ""


def _owner_name(plan: Plan | None, key: str) -> str:
    owner = plan.owners.get(key) if plan else None
    return _text(owner.name if owner else key)


def _plan_sheet(ws: Any, plan_id: str, plan: Plan | None, items: list[TaskState],
                as_of: dt.date, words: Words, styles: _Styles,
                hidden_rows: list[list[Any]]) -> None:
    say = _sayer(words)
    headers = [say(message) for _, message, _ in COLUMNS]
    last_column = len(COLUMNS)
    _title_row(ws, _text(plan.title if plan else plan_id), _as_of(words, as_of), last_column)
    _header(ws, headers, inputs=2)
    widths = [0] * last_column
    kinds = [kind for _, _, kind in COLUMNS]
    wrapping = [n for n, kind in enumerate(kinds) if kind in ("wrap", "input_wrap")]
    wrapped: list[tuple[int, list[str]]] = []
    style_cache: dict[str | None, list[Any]] = {}
    row = HEADER_ROW
    for number, item in enumerate(items, start=1):
        row += 1
        task = item.task
        due = _text(item.deadline_text)
        note = _latest_note(item)
        values: list[Any] = [
            number,
            _text(task.id),
            _text(task.title),
            _owner_name(plan, item.in_charge or task.owner),
            "; ".join(_owner_name(plan, key) for key in task.coordinators),
            item.deadline_day,
            due,
            words.state(item.state),
            item.days_overdue,
            item.progress / 100 if item.progress is not None else None,
            words.status(item.status),
            item.last_update.date if item.last_update else None,
            note,
            None,
            None,
        ]
        row_styles = style_cache.get(item.state)
        if row_styles is None:
            row_styles = style_cache[item.state] = [styles.array(styles.cell(k, item.state))
                                                    for k in kinds]
        _append(ws, values, row_styles)
        for column, value in enumerate(values):
            width = _width(value)
            if width > widths[column]:
                widths[column] = width
        wrapped.append((row, [values[n] or "" for n in wrapping]))
        hidden_rows.append([ws.title, row, item.plan_id, task.id, item.progress, item.status,
                            note, due, item.deadline_day.isoformat() if item.deadline_day
                            else ""])
    chars = _fit(ws, widths, headers, [WIDTH_CAPS.get(key, WIDTH_CAP) for key in COLUMN_KEYS])
    _heights(ws, wrapped, wrapping, chars)
    last = get_column_letter(last_column)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(row, HEADER_ROW + 1)}"
    if row > HEADER_ROW:
        progress_column = get_column_letter(COLUMN_KEYS.index("new_progress") + 1)
        check = DataValidation(type="whole", operator="between", formula1="0", formula2="100",
                               allow_blank=True, showErrorMessage=True)
        check.add(f"{progress_column}{HEADER_ROW + 1}:{progress_column}{row}")
        ws.add_data_validation(check)
    _print_setup(ws)


def _summary_sheet(ws: Any, shown: list[str], plans: dict[str, Plan],
                   items: list[TaskState], as_of: dt.date, words: Words,
                   styles: _Styles) -> None:
    say = _sayer(words)
    headers = [words("No."), words("Plan"), words("Title"), words("Total"),
               *(words.short_state(s) for s in STATES), words("Share completed on time")]
    last_column = len(headers)
    _title_row(ws, say("Tasks by plan and state"), _as_of(words, as_of), last_column)
    _header(ws, headers)
    tallies = tally_by_plan(items)
    widths = [0] * last_column
    rows: list[list[Any]] = []
    for number, plan_id in enumerate(shown, start=1):
        tally = tallies[plan_id]
        plan = plans.get(plan_id)
        rows.append([number, _text(plan_id), _text(plan.title if plan else plan_id),
                     tally.total, *(tally.counts[s] for s in STATES), tally.on_time_share])
    rows.append([None, words("Total"), None, *_merged(tallies[p] for p in shown)])
    kinds = ["int", "text", "wrap", "count", *("count" for _ in STATES), "share"]
    row = HEADER_ROW
    wrapped: list[tuple[int, list[str]]] = []
    for values in rows:
        row += 1
        state = "total" if row == HEADER_ROW + len(rows) else None
        for column, value in enumerate(values):
            _put(ws, row, column + 1, value, styles.cell(kinds[column], state))
            widths[column] = max(widths[column], _width(value))
        wrapped.append((row, [values[2] or ""]))
    chars = _fit(ws, widths, headers, [WIDTH_CAPS["title"] if kind == "wrap" else WIDTH_CAP
                                       for kind in kinds])
    _heights(ws, wrapped, [2], chars)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(last_column)}{row - 1}"
    _print_setup(ws)


def _merged(tallies: Iterable[Any]) -> list[Any]:
    """[total, a count per state..., on-time share] of several tallies together."""
    counts = dict.fromkeys(STATES, 0)
    for one in tallies:
        for state in STATES:
            counts[state] += one.counts[state]
    came_due = counts["done_on_time"] + counts["done_late"] + counts["overdue"]
    share = counts["done_on_time"] / came_due if came_due else None
    return [sum(counts.values()), *counts.values(), share]


def _rows(ws: Any, rows: list[list[Any]]) -> None:
    """Plain rows, every str a string cell."""
    for values in rows:
        cells = []
        for value in values:
            cell = Cell(ws, value=_text(value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)


def _stable_zip(wb: Any, day: dt.date) -> bytes:
    """The workbook's bytes, every member dated `day` (openpyxl's `save` would date the
    properties now)."""
    from plantrack.views.archive import dated

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return dated(raw.getvalue(), day)
