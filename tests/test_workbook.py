"""The Excel workbook of `export`: sheets, layout, print settings, text that stays text, the
hidden sheet of exported values, the same bytes for the same input, and LibreOffice opens it."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plantrack.checks.loader import load
from plantrack.domain.model import Plan
from plantrack.domain.query import derive_all
from plantrack.domain.state import TaskState
from plantrack.views.workbook import COLUMN_KEYS, HIDDEN_KEYS, render_xlsx, sheet_names

DAY = dt.date(2025, 6, 30)
# Two ids the same in their first 31 characters, and a third long one.
TWIN_A = "ke-hoach-chuyen-doi-so-tinh-hai-duong-a"
TWIN_B = "ke-hoach-chuyen-doi-so-tinh-hai-duong-b"
LONG = "ke-hoach-phat-trien-khoa-hoc-cong-nghe-va-doi-moi-sang-tao-2025"
VI_TITLE = "Xây dựng cơ sở dữ liệu đất đai của tỉnh"
HOSTILE = '=HYPERLINK("http://example.org/x","bấm vào đây")'

PLAN = """\
plantrack: 1
id: {id}
title: Kế hoạch chuyển đổi số năm 2025
issued: 2025-02-19
owners:
  dost: Sở Khoa học và Công nghệ
  finance: Sở Tài chính
tasks:
  - id: CDS-01
    title: {vi_title}
    owner: dost
    with: [finance]
    due: 2025-05-31
    status: in_progress
    progress: 40
    updates:
      - {{date: 2025-05-15, progress: 40, note: Đã khảo sát xong}}
      - {{date: 2025-06-10, progress: 40}}
  - id: CDS-02
    title: '{hostile}'
    owner: finance
    due: 2025-07-05
  - id: CDS-03
    title: "+1"
    owner: dost
    due: 2025-Q4
  - id: CDS-04
    title: Ban hành quy chế
    owner: dost
    due: 2025-04-30
    status: done
    completed: 2025-04-20
  - id: CDS-05
    title: "@SUM(A1:A2) và -2"
    owner: finance
    due: tbd
"""


def _write(folder: Path, plan_id: str) -> Path:
    text = PLAN.format(id=plan_id, vi_title=VI_TITLE, hostile=HOSTILE.replace("'", "''"))
    path = folder / f"{plan_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[list[TaskState], dict[str, Plan]]:
    folder = tmp_path_factory.mktemp("plans")
    paths = [_write(folder, plan_id) for plan_id in (TWIN_A, TWIN_B, LONG)]
    loaded = load(paths, use_cache=False)
    assert not [p for p in loaded.problems if p.is_error], loaded.problems
    items = derive_all(loaded.plans, lambda _p: DAY)
    return items, {sp.plan.id: sp.plan for sp in loaded.plans}


@pytest.fixture(scope="module")
def data(derived: tuple[list[TaskState], dict[str, Plan]]) -> bytes:
    items, plans = derived
    return render_xlsx(items, plans, DAY, "vi")


@pytest.fixture(scope="module")
def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws: object) -> dict[str, dict[str, object]]:
    """The task rows of a plan sheet, by task id, as {column key: value}."""
    out = {}
    for row in ws.iter_rows(min_row=3, values_only=True):  # type: ignore[attr-defined]
        record = dict(zip(COLUMN_KEYS, row, strict=True))
        out[str(record["id"])] = record
    return out


def test_sheet_names_are_unique_short_and_legal(book: openpyxl.Workbook) -> None:
    names = book.sheetnames
    assert names[0] == "Tổng hợp" and names[-1] == "_plantrack"
    assert names[1:-1] == [TWIN_A[:31], TWIN_A[:29] + "~2", LONG[:31]]
    assert all(len(n) <= 31 for n in names)


def test_sheet_names_drop_forbidden_characters_and_dodge_reserved_ones() -> None:
    names = sheet_names(["a[b]:c*d?e/f\\g", "'quoted'", "summary", "x" * 40, "x" * 31 + "y",
                         "x" * 35], reserved=("Summary", "_plantrack"))
    assert list(names.values()) == ["a_b__c_d_e_f_g", "quoted", "summary~2", "x" * 31,
                                    "x" * 29 + "~2", "x" * 29 + "~3"]


def test_summary_counts_per_plan_and_state(book: openpyxl.Workbook) -> None:
    ws = book["Tổng hợp"]
    header = [c.value for c in ws[2]]
    assert header[:4] == ["STT", "Kế hoạch", "Nội dung", "Tổng số"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == [TWIN_A, TWIN_B, LONG, "Tổng số"]
    counts = dict(zip(header, rows[0], strict=True))
    assert counts["Tổng số"] == 5
    assert counts["quá hạn"] == 1 and counts["đúng hạn"] == 1 and counts["sắp đến hạn"] == 1
    assert counts["Tỷ lệ hoàn thành đúng hạn"] == pytest.approx(0.5)
    assert rows[-1][3] == 15
    assert ws.cell(row=3, column=len(header)).number_format == "0.0%"


def test_plan_sheet_layout(book: openpyxl.Workbook) -> None:
    ws = book[TWIN_A[:31]]
    assert ws["A1"].value == "Kế hoạch chuyển đổi số năm 2025"
    assert "30/06/2025" in str(ws.cell(row=1, column=ws.max_column).value)
    assert [c.value for c in ws[2]][:3] == ["STT", "ID", "Nội dung"]
    assert ws.max_column == len(COLUMN_KEYS)
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:O{2 + 5}"
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert all(w <= 62 for w in widths.values())
    assert widths["C"] >= len(HOSTILE) and widths["A"] < widths["C"]
    assert ws["C3"].alignment.wrap_text and not ws["B3"].alignment.wrap_text


def test_cells_are_typed(book: openpyxl.Workbook) -> None:
    ws = book[TWIN_A[:31]]
    rows = _rows(ws)
    first = rows["CDS-01"]
    assert first["title"] == VI_TITLE
    assert first["owner_name"] == "Sở Khoa học và Công nghệ"
    assert first["with"] == "Sở Tài chính"
    assert first["deadline"] == dt.datetime(2025, 5, 31)
    assert first["due"] == "2025-05-31"
    assert first["state"] == "quá hạn chưa hoàn thành"
    assert first["days_overdue"] == 30
    assert first["progress"] == pytest.approx(0.4)
    assert first["last_update"] == dt.datetime(2025, 6, 10)
    assert first["note"] == "Đã khảo sát xong"  # the latest update that has a note
    assert first["new_progress"] is None and first["new_note"] is None
    deadline, progress = ws["F3"], ws["J3"]
    assert deadline.is_date and deadline.number_format == "dd/mm/yyyy"
    assert ws["L3"].is_date and ws["L3"].number_format == "dd/mm/yyyy"
    assert progress.number_format == "0%"
    assert rows["CDS-05"]["deadline"] is None and rows["CDS-05"]["due"] == "tbd"


def test_rows_are_coloured_by_state(book: openpyxl.Workbook) -> None:
    ws = book[TWIN_A[:31]]
    by_id = {ws.cell(row=r, column=2).value: r for r in range(3, ws.max_row + 1)}

    def fill(task_id: str, column: int = 3) -> str:
        return str(ws.cell(row=by_id[task_id], column=column).fill.fgColor.rgb)[-6:]

    assert fill("CDS-01") == "FFC7CE" and fill("CDS-01", 1) == "FFC7CE"  # overdue: red
    assert fill("CDS-02") == "FFEB9C"  # due soon: amber
    assert fill("CDS-04") == "C6EFCE"  # done on time: green
    assert ws.cell(row=by_id["CDS-01"], column=3).font.color.rgb[-6:] == "9C0006"


def test_print_settings(book: openpyxl.Workbook) -> None:
    for ws in book.worksheets[:-1]:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.print_title_rows == "$2:$2"


def test_formula_looking_text_stays_text(book: openpyxl.Workbook, data: bytes) -> None:
    rows = _rows(book[TWIN_A[:31]])
    assert rows["CDS-02"]["title"] == HOSTILE
    assert rows["CDS-03"]["title"] == "+1"
    assert rows["CDS-05"]["title"] == "@SUM(A1:A2) và -2"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert len(sheets) == 5
        for name in sheets:
            xml = archive.read(name)
            assert b"<f>" not in xml and b"<f " not in xml
    ws = book[TWIN_A[:31]]
    hostile = next(c for c in ws["C"] if c.value == HOSTILE)
    assert hostile.data_type == "s" and hostile.quotePrefix


def test_hidden_sheet_keeps_the_exported_values(book: openpyxl.Workbook) -> None:
    ws = book["_plantrack"]
    assert ws.sheet_state in ("hidden", "veryHidden")
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == HIDDEN_KEYS
    records = [dict(zip(HIDDEN_KEYS, r, strict=True)) for r in rows[1:]]
    assert len(records) == 15
    first = records[0]
    assert first == {"sheet": TWIN_A[:31], "row": 3, "plan": TWIN_A, "id": "CDS-01",
                     "progress": 40, "status": "in_progress", "note": "Đã khảo sát xong",
                     "due": "2025-05-31", "deadline": "2025-05-31"}
    twin_b = [r for r in records if r["plan"] == TWIN_B]
    assert {r["sheet"] for r in twin_b} == {TWIN_A[:29] + "~2"}
    hostile = next(r for r in records if r["id"] == "CDS-02")
    assert hostile["progress"] is None and hostile["status"] == "planned"
    plan_sheet = book[str(hostile["sheet"])]
    assert plan_sheet.cell(row=int(str(hostile["row"])), column=2).value == "CDS-02"


def test_english_headers(derived: tuple[list[TaskState], dict[str, Plan]]) -> None:
    items, plans = derived
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(items, plans, DAY)))
    assert book.sheetnames[0] == "Summary"
    header = [c.value for c in book[LONG[:31]][2]]
    assert header[:3] == ["No.", "ID", "Title"] and header[-2:] == ["New progress %",
                                                                     "New note"]


def test_the_same_input_gives_the_same_bytes(
        derived: tuple[list[TaskState], dict[str, Plan]], data: bytes) -> None:
    items, plans = derived
    assert render_xlsx(items, plans, DAY, "vi") == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 6, 30, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2025-06-30T00:00:00Z" in core
    assert render_xlsx(items, plans, DAY + dt.timedelta(days=1), "vi") != data


def test_no_tasks_gives_a_workbook_with_a_summary() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx([], {}, DAY)))
    assert book.sheetnames == ["Summary", "_plantrack"]


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                    reason="needs LibreOffice (soffice) with Calc")
def test_libreoffice_opens_it(data: bytes, tmp_path: Path) -> None:
    source = tmp_path / "plans.xlsx"
    source.write_bytes(data)
    # Every sheet to a CSV of its own (the last field, -1), UTF-8 (76), cells as shown.
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", csv_filter, "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    outputs = sorted((tmp_path / "out").glob("*.csv"))
    assert outputs, f"no CSV written: {done.stdout} {done.stderr}"
    text = "".join(p.read_text(encoding="utf-8") for p in outputs)
    assert VI_TITLE in text
    assert "31/05/2025" in text  # the deadline, a date shown as dd/mm/yyyy
    assert HOSTILE.replace('"', '""') in text  # text, not a formula's result


def test_rows_of_wrapped_text_are_as_high_as_their_lines(tmp_path: Path) -> None:
    """LibreOffice does not work out row heights when it opens a workbook: a row whose
    title wraps is given the height of its lines, long texts wrap within a narrower
    column, and the header row is as high as its longest header."""
    from plantrack.views.workbook import LINE_HEIGHT, WIDTH_CAPS

    long_title = " ".join(["Xây dựng cơ sở dữ liệu đất đai"] * 12)  # ~370 characters
    path = tmp_path / "p.yaml"
    path.write_text(PLAN.format(id="p-2025", vi_title=long_title,
                                hostile=HOSTILE.replace("'", "''")), encoding="utf-8")
    loaded = load([path], use_cache=False)
    items = derive_all(loaded.plans, lambda _p: DAY)
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(
        items, {sp.plan.id: sp.plan for sp in loaded.plans}, DAY, "vi")))["p-2025"]
    rows = {ws.cell(r, 2).value: r for r in range(3, ws.max_row + 1)}
    assert ws.column_dimensions["C"].width == WIDTH_CAPS["title"] + 2
    tall = ws.row_dimensions[rows["CDS-01"]].height
    assert tall is not None and tall >= LINE_HEIGHT * 6  # 370 characters at ~55 a line
    assert ws.row_dimensions[rows["CDS-04"]].height is None  # one line: Excel's own height
    assert ws.row_dimensions[2].height >= LINE_HEIGHT * 2  # "Thời hạn ghi trong kế hoạch"


@settings(max_examples=200)
@given(st.lists(st.text("abcđêơ", min_size=1, max_size=9), min_size=1, max_size=40),
       st.integers(9, 60))
def test_lines_counts_as_a_greedy_wrap_by_words_does(words: list[str], chars: int) -> None:
    import textwrap

    from plantrack.views.workbook import _lines

    text = " ".join(words)
    assert _lines(text, chars) == len(textwrap.wrap(text, chars))
    assert _lines(text + "\n" + text, chars) == 2 * len(textwrap.wrap(text, chars))
