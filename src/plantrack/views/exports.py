"""The files `export` writes for the office: an Excel workbook, a CSV Excel opens as it is,
an iCalendar file a calendar subscribes to. Each renderer takes an `ExportView`."""

from __future__ import annotations

import csv
import io

from plantrack.views import escape
from plantrack.views.formats import ExportView
from plantrack.views.records import TASK_FIELDS, flat, task_record

BOM = "\ufeff"  # without it Excel reads UTF-8 as the system's code page and garbles Vietnamese


def render_csv(view: ExportView) -> bytes:
    """UTF-8 with a byte-order mark, RFC 4180 line ends, no `sep=` line (Excel drops the BOM
    after one); every cell that would start a formula is neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=list(TASK_FIELDS), delimiter=view.delimiter,
                            lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for item in view.items:
        record = flat(task_record(item, view.plans[item.plan_id]))
        writer.writerow({k: escape.csv_cell(v) for k, v in record.items()})
    return out.getvalue().encode("utf-8")


def render_xlsx(view: ExportView) -> bytes:
    from plantrack.views.workbook import render_xlsx as workbook

    return workbook(view.items, view.plans, view.as_of, view.lang)


def render_ics(view: ExportView) -> bytes:
    from plantrack.views.calendar import render_ics as calendar

    return calendar(view.items, view.plans, view.as_of, view.lang, view.name)
