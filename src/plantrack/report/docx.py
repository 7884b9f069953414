"""The report as a Word document laid out by Decree 30/2020/ND-CP, ready to sign.

Built through python-docx's styles, sections and tables. Two helpers reach below its API:
`_fast_rows` copies a row python-docx built (its cell-by-cell API takes seconds on long
tables) and `_page_field` writes the PAGE field, which python-docx has no API for. The same
report gives the same bytes: the document's dates and the archive's timestamps are the
report's date.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plantrack.report.data import NoteSection, Report, TaskRow
from plantrack.report.render import Formats
from plantrack.views.escape import inert
from plantrack.views.formats import ReportView

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.section import Section

BLANK = "..."  # what the document leaves for the secretariat to fill in, never invented
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
FONT = "Times New Roman"
BODY_PT, TABLE_PT, NOTE_PT = 13, 10, 12
# Decree 30/2020, appendix I: A4; top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
# An appendix of tables is printed landscape: the left margin stays the binding side.
APPENDIX_MARGINS_MM = {"top": 30, "bottom": 15, "left": 20, "right": 20}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")


@dataclass(frozen=True)
class Particulars:
    """Who issues the report and to whom (`report:` of `.plantrack.yaml`); None is a blank
    the document shows as "..."."""

    issuer: str | None = None
    superior: str | None = None
    place: str | None = None
    number: str | None = None  # the number symbol: "UBND" gives "Số: .../BC-UBND"
    signer_title: str | None = None
    signer_name: str | None = None
    recipients: tuple[str, ...] = ()


def particulars_from(config: dict[str, Any], issued_by: Sequence[str]) -> Particulars:
    """The particulars of the configuration; the issuer falls back to the plans' `issued_by`
    when they all share one."""
    def text(key: str) -> str | None:
        value = config.get(key)
        return str(value) if isinstance(value, str) and value.strip() else None

    shared = set(issued_by)
    issuer = text("issuer") or (next(iter(shared)) if len(shared) == 1 else None)
    recipients = config.get("recipients") or ()
    return Particulars(issuer, text("superior"), text("place"), text("number"),
                       text("signer_title"), text("signer_name"),
                       tuple(str(r) for r in recipients))


def place_and_date(place: str | None, day: dt.date, lang: str) -> str:
    """ "Hà Nội, ngày 05 tháng 02 năm 2025": a leading zero for days below 10 and for the
    months 1 and 2 (Decree 30/2020); "Hanoi, 5 February 2025" in English."""
    if lang == "vi":
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        return f"{place or BLANK}, ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place or BLANK}, {Formats('en').day(day)}"


def render_view(view: ReportView) -> bytes:
    """The renderer of `report --format docx`."""
    return render_docx(view.report, view.lang, view.particulars or Particulars())


def render_docx(report: Report, lang: str, who: Particulars) -> bytes:
    """The report as the bytes of a .docx file."""
    from docx import Document

    words = Formats(lang)
    doc = Document()
    _styles(doc)
    day = report.asked or report.as_of
    body = doc.sections[0]
    _page(body, landscape=False)
    body.different_first_page_header_footer = True  # page numbers from page 2
    _page_field(body.header.paragraphs[0])
    if lang == "vi":
        _header_block(doc, who, day)
    else:
        _para(doc, place_and_date(who.place, day, lang), italic=True, align="right")
    _title(doc, report, words, lang)
    sections = _body(doc, report, words)
    for n, note in enumerate(report.notes, sections + 1):
        _heading(doc, f"{ROMAN[n - 1] if n <= len(ROMAN) else n}. {inert(note.title).upper()}")
        _note(doc, note)
    _closing(doc, who, words)
    _appendix(doc, report, words, who, day)
    _properties(doc, report, words, day)
    return _stable_zip(doc, day)


def _styles(doc: DocumentObject) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for name, size in (("Normal", BODY_PT), ("Header", NOTE_PT)):
        style = doc.styles[name]
        font = style.font
        font.name, font.size, font.color.rgb = FONT, Pt(size), RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after, normal.space_before = Pt(6), Pt(0)
    normal.line_spacing = 1.15
    normal.first_line_indent = None
    normal.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _page(section: Section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height = Mm(210), Mm(297)
    margins = APPENDIX_MARGINS_MM if landscape else MARGINS_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance = Mm(10)


def _page_field(paragraph: Any) -> None:
    """The PAGE field, centred: python-docx has no API for fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"),
                       ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _para(doc: Any, text: str, bold: bool = False, italic: bool = False,
          align: str = "justify", size: int | None = None, upper: bool = False) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    run = paragraph.add_run(inert(text.upper() if upper else text))
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def _widths(table: Any, widths_mm: Sequence[float]) -> None:
    """Column widths, in the grid (what LibreOffice reads) and in each cell (what Word
    reads)."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_lines(cell: Any, lines: Sequence[tuple[str, bool, bool]], size: int) -> None:
    """Centred lines in a cell of the header block: (text, bold, italic)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.paragraphs[0].text = ""
    for n, (text, bold, italic) in enumerate(lines):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(inert(text))
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _header_block(doc: DocumentObject, who: Particulars, day: dt.date) -> None:
    """The issuing body beside the national motto; the number and the place-and-date line."""
    table = doc.add_table(rows=2, cols=2)
    _widths(table, (62, 103))  # the 165 mm between the margins
    _cell_lines(table.cell(0, 0), [((who.superior or BLANK).upper(), False, False),
                                   ((who.issuer or BLANK).upper(), True, False),
                                   ("———", False, False)], NOTE_PT)
    _cell_lines(table.cell(0, 1), [(MOTTO[0], True, False), (MOTTO[1], True, False),
                                   ("———————", False, False)], NOTE_PT)
    _cell_lines(table.cell(1, 0), [(f"Số: {BLANK}/BC-{who.number or BLANK}", False, False)],
                BODY_PT)
    _cell_lines(table.cell(1, 1), [(place_and_date(who.place, day, "vi"), False, True)],
                BODY_PT)


def _title(doc: DocumentObject, report: Report, words: Formats, lang: str) -> None:
    current = report.current
    _para(doc, "BÁO CÁO" if lang == "vi" else "REPORT", bold=True, align="center", size=14)
    subject = words("Report on the implementation of tasks")
    period = words.period(current) if current else ""
    line = (f"{subject} {period}" if lang == "vi" else f"{subject}: {period}").strip()
    if lang == "vi":  # the subject line follows "Báo cáo": "Tình hình thực hiện nhiệm vụ ..."
        line = line.removeprefix("Báo cáo ").capitalize()
    _para(doc, line, bold=True, align="center", size=14)
    _para(doc, "———", align="center")


def _heading(doc: DocumentObject, text: str) -> None:
    _para(doc, text, bold=True, align="left")


def _body(doc: DocumentObject, report: Report, words: Formats) -> int:
    """The sections of figures in running text; the tables go to the appendix. The number
    of sections written."""
    h = report.headline
    tr = words.tr.gettext
    heads = [tr("Overall results"), tr("Results in the period"),
             tr("Overdue tasks not completed"),
             tr("Falling due by the end of the next period"), tr("Tasks with no deadline yet")]
    _heading(doc, f"I. {heads[0].upper()}")
    counts = "; ".join(f"{label} {words.number(value)}" for label, value in (
        (tr("Completed on time"), h.done_on_time), (tr("Completed late"), h.done_late),
        (tr("In progress within the deadline"), h.in_progress),
        (tr("Overdue, not completed"), h.overdue), (tr("Standing duties"), h.ongoing),
        (tr("Deadline not yet set"), h.unscheduled), (tr("Cancelled"), h.cancelled)))
    _para(doc, tr("As of %(date)s the plans hold %(n)s tasks: %(counts)s.") % {
        "date": words.day(report.as_of), "n": words.number(h.total),
        "counts": counts.lower() if words.lang == "vi" else counts})
    _para(doc, tr("Share completed on time: %(share)s (tasks completed on time out of those "
                  "completed or overdue).") % {"share": words.share(h.on_time_share)})
    _heading(doc, f"II. {heads[1].upper()}")
    _list(doc, [*(tr("Completed: %(task)s (%(unit)s).") % {
        "task": t.title, "unit": words.presiding(t)} for t in report.completed),
                *(tr("Deadline adjusted: %(task)s, %(what)s.") % {
                    "task": e.title, "what": words.extension(e)}
                  for e in report.extensions),
                *(tr("Stopped: %(task)s (%(reason)s).") % {
                    "task": t.title, "reason": t.note or "—"} for t in report.stopped)],
          tr("No task was completed, adjusted or stopped in the period."))
    if report.late and report.late.rows:
        _para(doc, f"{tr('Late corrections to the previous period')} "
                   f"({words.period(report.late.previous)}):")
        _list(doc, [tr("%(task)s (%(unit)s), %(date)s: %(note)s") % {
            "task": u.title, "unit": u.owner, "date": words.day(u.date),
            "note": words.update_note(u)} for u in report.late.rows], "")
    lists = (report.overdue, report.coming, report.unscheduled)
    for n, (head, rows) in enumerate(zip(heads[2:], lists, strict=True), 3):
        _heading(doc, f"{ROMAN[n - 1]}. {head.upper()}")
        _para(doc, tr("%(n)s tasks (details in the appendix, table %(table)s).") % {
            "n": words.number(len(rows)), "table": n - 2} if rows else tr("None."))
    return len(heads)


def _list(doc: DocumentObject, items: Sequence[str], empty: str) -> None:
    for item in items or [empty]:
        _para(doc, f"- {item}" if items else item)


def _note(doc: DocumentObject, note: NoteSection) -> None:
    for kind, parts in note.blocks:
        if kind == "p":
            _para(doc, parts[0])
        else:
            for n, item in enumerate(parts, 1):
                _para(doc, f"- {item}" if kind == "ul" else f"{n}. {item}")


def _closing(doc: DocumentObject, who: Particulars, words: Formats) -> None:
    """"Nơi nhận" on the left, the signature block on the right."""
    from docx.oxml import OxmlElement

    table = doc.add_table(rows=1, cols=2)
    _widths(table, (80, 85))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one page
    recipients = [f"- {r};" for r in who.recipients] or [f"- {BLANK};"]
    left = table.cell(0, 0)
    _cell_lines(left, [(words("Recipients:"), True, True), *((r, False, False)
                                                            for r in recipients),
                       (f"- {words('Archived')}.", False, False)], NOTE_PT)
    for paragraph in left.paragraphs:
        paragraph.alignment = 0  # left
    _cell_lines(table.cell(0, 1), [((who.signer_title or BLANK).upper(), True, False),
                                   ("", False, False), ("", False, False), ("", False, False),
                                   (who.signer_name or BLANK, True, False)], BODY_PT)


# The appendix tables' columns, in the catalogue's words, and their widths within the
# 257 mm of landscape A4 between the margins.
_TASK_COLUMNS = ("No.", "Task", "Presiding unit", "Coordinating units", "Deadline",
                 "Progress", "State", "Reason, notes")
_TASK_WIDTHS_MM = (11, 72, 36, 36, 24, 16, 24, 38)


def _appendix(doc: DocumentObject, report: Report, words: Formats, who: Particulars,
              day: dt.date) -> None:
    """The task tables in a section of their own, A4 landscape, in smaller type."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False
    tr = words.tr.gettext
    _para(doc, tr("APPENDIX"), bold=True, align="center")
    _para(doc, tr("Attached to report no. %(number)s of %(date)s") % {
        "number": f"{BLANK}/BC-{who.number or BLANK}", "date": words.day(day)},
          italic=True, align="center")
    tables: list[tuple[str, Sequence[TaskRow], Callable[[TaskRow], str]]] = [
        (tr("Overdue tasks not completed"), report.overdue,
         lambda t: f"{words.state(t.state)}, {tr('%(n)s days') % {'n': t.days_overdue}}"),
        (tr("Falling due by the end of the next period"), report.coming,
         lambda t: words.state(t.state)),
        (tr("Tasks with no deadline yet"), report.unscheduled, lambda t: words.state(t.state)),
    ]
    for n, (title, rows, state) in enumerate(tables, 1):
        _para(doc, f"{tr('Table %(n)s') % {'n': n}}. {title}", bold=True, align="left")
        if not rows:
            _para(doc, tr("None."), align="left")
            continue
        _task_table(doc, rows, words, state)


def _task_table(doc: DocumentObject, rows: Sequence[TaskRow], words: Formats,
                state: Callable[[TaskRow], str]) -> None:
    tr = words.tr.gettext
    cells = [[str(n), f"{t.title} ({t.ref})", words.presiding(t), words.units(t.coordinators),
              words.in_force(t), words.progress(t.progress), state(t), words.reason(t)]
             for n, t in enumerate(rows, 1)]
    _fast_table(doc, [tr(c) for c in _TASK_COLUMNS], cells, _TASK_WIDTHS_MM)


def _fast_table(doc: DocumentObject, heads: Sequence[str], rows: Sequence[Sequence[str]],
                widths_mm: Sequence[float]) -> None:
    """A grid table: a header row repeated on each page, then `rows`. The first body row is
    built through python-docx; the others are copies of it with their text set."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = doc.add_table(rows=2, cols=len(heads))
    table.style = doc.styles["Table Grid"]
    _widths(table, widths_mm)
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, heads, strict=True):
        run = cell.paragraphs[0].add_run(inert(text))
        run.bold, run.font.size = True, Pt(TABLE_PT)
    model = table.rows[1]
    for cell in model.cells:
        run = cell.paragraphs[0].add_run("-")  # holds the w:t each copy sets
        run.font.size = Pt(TABLE_PT)
    template = copy.deepcopy(model._tr)
    model._tr.getparent().remove(model._tr)
    body = table._tbl
    text_tag = qn("w:t")
    for values in rows:
        tr = copy.deepcopy(template)
        for t, value in zip(tr.iter(text_tag), values, strict=True):
            t.text = inert(value)
            t.set(qn("xml:space"), "preserve")
        body.append(tr)


def _properties(doc: DocumentObject, report: Report, words: Formats, day: dt.date) -> None:
    moment = dt.datetime(day.year, day.month, day.day)
    props = doc.core_properties
    props.created = props.modified = props.last_printed = moment
    props.revision = 1
    props.author = props.last_modified_by = "plantrack"
    props.title = words("Report on the implementation of tasks")
    props.subject = words.period(report.current) if report.current else ""
    props.comments = ""


def _stable_zip(doc: DocumentObject, day: dt.date) -> bytes:
    """The document's bytes, every member of its archive dated `day`."""
    from plantrack.views.archive import dated

    raw = io.BytesIO()
    doc.save(raw)
    return dated(raw.getvalue(), day)
