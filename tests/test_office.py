"""Reading tables out of office files: Word, Excel, CSV as Excel saves it; hostile archives."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from docx import Document

from plantrack.read.office import MAX_RATIO, OfficeError, read_tables

HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
          "Thời gian hoàn thành"]


def _docx(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("Phụ lục: Danh mục nhiệm vụ")
    doc.add_paragraph("Hà Nội, ngày 05 tháng 02 năm 2025")
    table = doc.add_table(rows=4, cols=5)
    for col, text in enumerate(HEADER):
        table.cell(0, col).text = text
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "Số hóa hồ sơ\nđất đai"
    table.cell(2, 0).text, table.cell(2, 1).text = "2", "Đào tạo kỹ năng số"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "Sở KH&CN"  # presides over both rows
    table.cell(1, 4).text, table.cell(2, 4).text = "Quý III/2025", "Tháng 4/2025"
    doc.add_paragraph("between")
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "second"
    doc.save(str(path))
    return path


def test_word_tables_with_merged_cells_and_the_text_above(tmp_path: Path) -> None:
    first, second = read_tables(_docx(tmp_path / "plan.docx"))
    assert first.name == "table 1" and first.above == [
        "Phụ lục: Danh mục nhiệm vụ", "Hà Nội, ngày 05 tháng 02 năm 2025"]
    assert [c.text for c in first.rows[0]] == HEADER
    assert first.rows[1][1].text == "Số hóa hồ sơ\nđất đai"
    assert first.rows[1][2].text == first.rows[2][2].text == "Sở KH&CN"
    assert first.rows[2][4].where == "plan.docx:table 1 row 3 col 5"
    assert second.above == ["between"] and second.rows[0][0].text == "second"


def test_excel_sheets_merged_cells_dates_and_hidden_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet.append(HEADER)
    sheet.append([1, "Số hóa hồ sơ đất đai", "Sở Tài chính", None, dt.datetime(2025, 3, 10)])
    sheet.append([2.0, "Đào tạo", None, None, "Quý III/2025"])
    sheet.merge_cells("C2:C3")
    hidden = book.create_sheet("_plantrack")
    hidden.append(["x"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "plan.xlsx"
    book.save(path)
    (table,) = read_tables(path)
    assert table.name == "Phụ lục"
    assert [c.text for c in table.rows[1]] == [
        "1", "Số hóa hồ sơ đất đai", "Sở Tài chính", "", "10/03/2025"]
    assert table.rows[1][4].day == dt.date(2025, 3, 10)
    assert table.rows[2][0].text == "2" and table.rows[2][2].text == "Sở Tài chính"
    assert table.rows[2][4].where == "plan.xlsx:Phụ lục!E3"


@pytest.mark.parametrize(("raw", "delimiter"), [
    ("\ufeffSTT;Nội dung nhiệm vụ\r\n1;Số hóa\r\n".encode(), ";"),
    ("STT,Nội dung nhiệm vụ\n1,\"Số hóa, lưu trữ\"\n".encode(), ","),
    ("STT;Nội dung nhiệm vụ\r\n1;Số hóa\r\n", ";")])
def test_csv_as_excel_saves_it(tmp_path: Path, raw: bytes | str, delimiter: str) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(raw if isinstance(raw, bytes) else _cp1258(raw))
    (table,) = read_tables(path)
    assert [c.text for c in table.rows[0]] == ["STT", "Nội dung nhiệm vụ"]
    assert table.rows[1][1].text.startswith("Số hóa")
    assert all(unicodedata.is_normalized("NFC", c.text) for row in table.rows for c in row)


def _cp1258(text: str) -> bytes:
    """`text` as Windows' Vietnamese code page writes it: base letters with ^, ˘ and the horn
    precomposed where it has them, tone marks as combining characters after them."""
    out = []
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), re.S):
        base, rest = cluster[0], []
        for mark in cluster[1:]:
            joined = unicodedata.normalize("NFC", base + mark)
            if mark in "\u0302\u0306\u031b" and len(joined) == 1:
                base = joined
            else:
                rest.append(mark)
        out.append(base + "".join(rest))
    return "".join(out).encode("cp1258")


def test_text_is_nfc(tmp_path: Path) -> None:
    path = tmp_path / "nfd.csv"
    path.write_text(unicodedata.normalize("NFD", "STT,Sở Tài chính\n"), encoding="utf-8")
    (table,) = read_tables(path)
    assert table.rows[0][1].text == "Sở Tài chính"


def test_control_characters_are_dropped_line_breaks_kept(tmp_path: Path) -> None:
    """An escape sequence or a NUL in a cell reaches neither the plan nor a terminal (a CSV
    may hold any; XML, and so .docx and .xlsx, holds none of them)."""
    path = tmp_path / "ctl.csv"
    path.write_text('STT,Nội dung\n1,"Tiêu đề \x1b[2J\x1b]0;x\x07 xấu\x00\x85\ndòng\thai"\n',
                    encoding="utf-8")
    (table,) = read_tables(path)
    assert table.rows[1][1].text == "Tiêu đề [2J]0;x xấu\ndòng\thai"


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_hostile_and_broken_files_are_clear_errors(tmp_path: Path) -> None:
    cases = {
        "bomb.xlsx": _zip(tmp_path / "bomb.xlsx", {"xl/big.xml": b"<a>" + b" " * (
            MAX_RATIO * 4096) + b"</a>"}),
        "entities.docx": _zip(tmp_path / "entities.docx", {
            "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                                 b"<x>&a;</x>"}),
        "locked.xlsx": tmp_path / "locked.xlsx",
        "broken.docx": tmp_path / "broken.docx",
        "notes.txt": tmp_path / "notes.txt",
        "empty.docx": _zip(tmp_path / "empty.docx", {"word/document.xml": b"<x/>"}),
    }
    (tmp_path / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    expected = {"bomb.xlsx": "zip bomb", "entities.docx": "document type or entities",
                "locked.xlsx": "password-protected", "broken.docx": "damaged",
                "notes.txt": "not a table", "empty.docx": "cannot be read"}
    for name, path in cases.items():
        with pytest.raises(OfficeError) as caught:
            read_tables(path)
        assert str(caught.value).startswith(str(path)) and expected[name] in str(
            caught.value), name


def test_a_fifo_and_a_folder_are_refused(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "folder.docx").mkdir()
    for path in (tmp_path / "pipe.xlsx", tmp_path / "folder.docx"):
        with pytest.raises(OfficeError, match="not a regular file"):
            read_tables(path)


def test_a_legacy_doc_goes_through_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("needs LibreOffice")
    source = _docx(tmp_path / "plan.docx")
    folder = tmp_path / "legacy"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "doc", "--outdir", str(folder), str(source)],
                   capture_output=True, check=True, timeout=180)
    first = read_tables(folder / "plan.doc")[0]
    assert [c.text for c in first.rows[0]] == HEADER
    assert first.rows[2][2].text == "Sở KH&CN"
