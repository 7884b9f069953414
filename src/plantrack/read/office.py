"""Tables out of the files an office sends: Word (.docx), Excel (.xlsx) and CSV; legacy .doc
and .xls through LibreOffice when it is installed.

Office files are untrusted input: bounded in size, in the number of parts of their archive
and in how far those parts uncompress (no zip bomb), their XML read with no document type
or entity (defusedxml's rule), and every cell's text NFC. A cell keeps where it was
(`file.xlsx:Sheet1!F12`, `file.docx:table 2 row 14 col 3`), for messages that point at it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.problems import UsageError
from plantrack.read.source import SourceError, read_source

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_PARTS = 5_000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # how many times a part may outgrow its compressed size
MAX_CELLS = 2_000_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, and encrypted OOXML
CONVERT_SECONDS = 120


class OfficeError(UsageError):
    """A file that cannot be read as a table: exit 2, the message names the file."""


@dataclass(frozen=True)
class Cell:
    text: str
    where: str  # "file.xlsx:Sheet1!F12"
    day: dt.date | None = None  # a spreadsheet date cell


@dataclass
class Table:
    name: str  # "Sheet1", "table 2", the CSV file's name
    rows: list[list[Cell]] = field(default_factory=list)
    above: list[str] = field(default_factory=list)  # paragraphs before it (title, date line)


def read_tables(path: Path) -> list[Table]:
    """Every table of the file at `path`, by its kind (from its name's ending)."""
    kind = path.suffix.lower()
    if kind in (".doc", ".xls"):
        with tempfile.TemporaryDirectory(prefix="plantrack-convert-") as folder:
            modern = ".docx" if kind == ".doc" else ".xlsx"
            return read_tables(_converted(path, modern, Path(folder)))
    if kind not in (".csv", ".docx", ".xlsx", ".xlsm"):
        raise OfficeError(f"{path}: not a table plantrack reads; give a .docx, .xlsx or .csv "
                          "file (.doc and .xls with LibreOffice installed)")
    raw = bounded_bytes(path)
    if kind == ".csv":
        return [_csv_table(path, raw)]
    if raw.startswith(_OLE):
        raise OfficeError(f"{path}: the file is password-protected or a legacy Office file "
                          "saved under a new name; save it again as .docx or .xlsx without a "
                          "password")
    check_archive(path, raw)
    if kind == ".docx":
        return _docx_tables(path, raw)
    return _xlsx_tables(path, raw)


# Control characters no one types into a cell (an escape sequence, NUL): a document from
# elsewhere may carry them, and a plan has no use for them. Tabs and line breaks stay.
_CONTROLS = dict.fromkeys(c for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in (9, 10, 13))


def nfc(text: str) -> str:
    """A cell's text in Unicode NFC, without control characters."""
    return unicodedata.normalize("NFC", text.translate(_CONTROLS))


def bounded_bytes(path: Path) -> bytes:
    try:
        raw = read_source(path, MAX_FILE_BYTES)
    except SourceError as exc:
        raise OfficeError(f"{path}: {exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise OfficeError(f"{path}: the file is larger than {MAX_FILE_BYTES:,} bytes")
    return raw


def check_archive(path: Path, raw: bytes) -> None:
    """A sound, bounded Office archive: a zip of at most MAX_PARTS parts that together
    uncompress to at most MAX_UNPACKED_BYTES, none more than MAX_RATIO times its packed
    size, and XML with no DOCTYPE (so no entity to expand)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise OfficeError(f"{path}: the file is damaged or not an Office document "
                          "(it is not a zip archive)") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise OfficeError(f"{path}: the archive has {len(parts):,} parts, more than "
                              f"{MAX_PARTS:,}")
        total = sum(p.file_size for p in parts)
        if total > MAX_UNPACKED_BYTES:
            raise OfficeError(f"{path}: the archive would unpack to {total:,} bytes, more "
                              f"than {MAX_UNPACKED_BYTES:,}")
        for part in parts:
            if part.file_size > MAX_RATIO * max(part.compress_size, 1024):
                raise OfficeError(f"{path}: part {part.filename} unpacks {MAX_RATIO} times "
                                  "past its size (a zip bomb?)")
            if part.filename.endswith((".xml", ".rels")):
                _check_xml(path, part.filename, _read_part(path, archive, part))


def _read_part(path: Path, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(part) as member:
            data = member.read(part.file_size + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise OfficeError(f"{path}: part {part.filename} cannot be read ({exc})") from None
    if len(data) > part.file_size:
        raise OfficeError(f"{path}: part {part.filename} is longer than its archive says")
    return data


def _check_xml(path: Path, name: str, data: bytes) -> None:
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise OfficeError(f"{path}: part {name} declares a document type or entities, which "
                          "Office documents never do; refused")


def _docx_tables(path: Path, raw: bytes) -> list[Table]:
    from docx import Document
    from docx.table import Table as DocxTable

    try:
        doc = Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise OfficeError(f"{path}: the Word document cannot be read ({exc})") from None
    tables: list[Table] = []
    above: list[str] = []
    count = 0
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = nfc("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
            if text.strip():
                above.append(text.strip())
        elif tag == "tbl":
            name = f"table {len(tables) + 1}"
            table = Table(name, above=above[-6:])
            for r, row in enumerate(DocxTable(block, doc).rows, 1):
                cells = [Cell(nfc(cell.text), f"{path.name}:{name} row {r} col {c}")
                         for c, cell in enumerate(row.cells, 1)]
                count += len(cells)
                if count > MAX_CELLS:
                    raise OfficeError(f"{path}: more than {MAX_CELLS:,} table cells")
                table.rows.append(cells)
            tables.append(table)
            above = []
    return tables


def _xlsx_tables(path: Path, raw: bytes) -> list[Table]:
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise OfficeError(f"{path}: the workbook cannot be read ({exc})") from None
    tables = []
    count = 0
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue  # plantrack's own record of an export, and sheets a unit hid
        merged = {}
        for span in sheet.merged_cells.ranges:
            top = sheet.cell(span.min_row, span.min_col).value
            for row in range(span.min_row, span.max_row + 1):
                for col in range(span.min_col, span.max_col + 1):
                    merged[(row, col)] = top
        table = Table(sheet.title)
        count += sheet.max_row * sheet.max_column  # before reading: the sheet's extent
        if count > MAX_CELLS:
            raise OfficeError(f"{path}: more than {MAX_CELLS:,} cells")
        for r, values in enumerate(sheet.iter_rows(values_only=True), 1):
            cells = []
            for c, value in enumerate(values, 1):
                value = merged.get((r, c), value)
                where = f"{path.name}:{sheet.title}!{get_column_letter(c)}{r}"
                cells.append(_xlsx_cell(value, where))
            table.rows.append(cells)
        tables.append(table)
    return tables


def _xlsx_cell(value: object, where: str) -> Cell:
    if isinstance(value, dt.datetime):
        return Cell(value.strftime("%d/%m/%Y"), where, value.date())
    if isinstance(value, dt.date):
        return Cell(value.strftime("%d/%m/%Y"), where, value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return Cell(nfc("" if value is None else str(value)), where)


def _csv_table(path: Path, raw: bytes) -> Table:
    """A CSV as Excel saves it: UTF-8 (with or without a byte-order mark), comma or
    semicolon; Windows' Vietnamese code page (1258) when it is not UTF-8."""
    marked = raw.startswith(codecs.BOM_UTF8)
    try:
        text = raw[len(codecs.BOM_UTF8) if marked else 0:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if marked:  # it says UTF-8, so no other code page is guessed
            line = raw[:len(codecs.BOM_UTF8) + exc.start].count(b"\n") + 1
            raise OfficeError(f"{path}: line {line}: not UTF-8 text, though the file starts "
                              "with UTF-8's byte-order mark; save it again as CSV UTF-8"
                              ) from None
        text = raw.decode("cp1258", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    table = Table(path.name)
    for r, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        table.rows.append([Cell(nfc(value), f"{path.name}:row {r} col {c}")
                           for c, value in enumerate(row, 1)])
    return table


def _converted(path: Path, to: str, folder: Path) -> Path:
    """A legacy .doc or .xls as .docx or .xlsx in `folder`, converted by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise OfficeError(f"{path}: a legacy {path.suffix} file; install LibreOffice to "
                          f"convert it, or save it as {to} in Word or Excel")
    bounded_bytes(path)
    try:
        done = subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
             "--convert-to", to.lstrip("."), "--outdir", str(folder), str(path)],
            capture_output=True, text=True, timeout=CONVERT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise OfficeError(f"{path}: LibreOffice took more than {CONVERT_SECONDS} s to "
                          "convert it; stopped") from None
    out = folder / (path.stem + to)
    if done.returncode != 0 or not out.exists():
        raise OfficeError(f"{path}: LibreOffice could not convert it "
                          f"({(done.stderr or done.stdout).strip()[:200]})")
    return out
