"""The report as a Word document in the layout of Decree 30/2020, read back with python-docx
and opened by LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Length
from docx.table import Table

from plantrack.report.docx import place_and_date
from tests.conftest import SHIPPED_PLANS
from tests.test_cli import run

HERE = Path(__file__).resolve().parent
VI_PLAN = HERE / "fixtures" / "vi" / "ha-noi-2025.yaml"
JUNE = ("--period", "month", "--cutoff-day", "14", "--as-of", "2025-06-20")
CONFIG = """\
lang: vi
report:
  issuer: Ủy ban nhân dân thành phố Hà Nội
  place: Hà Nội
  number: UBND
  signer_title: KT. Chủ tịch
  signer_name: Nguyễn Văn A
  recipients: [Văn phòng Chính phủ, Thường trực Thành ủy]
"""
NOTES = "## Khó khăn, vướng mắc\n\nKinh phí số hóa chưa được bố trí kịp thời.\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    shutil.copy(VI_PLAN, tmp_path / "plans")
    (tmp_path / ".plantrack.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    return tmp_path


def _docx(repo: Path, *args: str, name: str = "r.docx") -> Path:
    out = repo / name
    code, _, err = run("report", str(repo / "plans"), "--format", "docx", *JUNE, "--notes",
                       str(repo / "notes.md"), "-o", str(out), *args)
    assert code == 0, err
    return out


def _mm(*lengths: Length | None) -> tuple[int, ...]:
    """Lengths in whole millimetres (Word stores them in twentieths of a point)."""
    return tuple(round(length.mm) for length in lengths if length is not None)


def _task_tables(doc: DocumentObject) -> list[Table]:
    return [t for t in doc.tables if t.rows[0].cells[0].text == "STT"]


def _texts(path: Path) -> list[str]:
    doc = Document(str(path))
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        out += [cell.text for row in table.rows for cell in row.cells]
    return out


@pytest.mark.parametrize(("day", "line"), [
    (dt.date(2025, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2025"),
    (dt.date(2025, 1, 15), "Hà Nội, ngày 15 tháng 01 năm 2025"),
    (dt.date(2025, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2025"),
    (dt.date(2025, 12, 25), "Hà Nội, ngày 25 tháng 12 năm 2025")])
def test_place_and_date_line(day: dt.date, line: str) -> None:
    assert place_and_date("Hà Nội", day, "vi") == line
    assert place_and_date(None, day, "vi").startswith("..., ngày ")


def test_pages_margins_fonts_and_page_numbers(repo: Path) -> None:
    doc = Document(str(_docx(repo)))
    body, appendix = doc.sections
    assert _mm(body.page_width, body.page_height) == (210, 297)
    top, bottom, left, right = _mm(body.top_margin, body.bottom_margin, body.left_margin,
                                   body.right_margin)
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    assert _mm(appendix.page_width, appendix.page_height) == (297, 210)
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    assert str(normal.color.rgb) == "000000"
    # Numbers from page 2: none on the first page, the PAGE field centred on the others.
    assert body.different_first_page_header_footer
    assert all(not p.text for p in body.first_page_header.paragraphs)
    header = body.header.paragraphs[0]
    assert "PAGE" in header._p.xml and header.alignment == 1  # centred
    assert not appendix.different_first_page_header_footer


def test_header_block_title_and_signature(repo: Path) -> None:
    texts = _texts(_docx(repo))
    cells = [c.text for c in Document(str(repo / "r.docx")).tables[0]._cells]
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" in cells[0]
    assert cells[1].split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                        "Độc lập - Tự do - Hạnh phúc"]
    assert cells[2] == "Số: .../BC-UBND" and cells[3] == "Hà Nội, ngày 20 tháng 6 năm 2025"
    assert "BÁO CÁO" in texts
    assert ("Tình hình thực hiện nhiệm vụ tháng 6/2025 (từ 15/5/2025 đến 14/6/2025)"
            in texts)
    assert "VI. KHÓ KHĂN, VƯỚNG MẮC" in texts
    assert "Kinh phí số hóa chưa được bố trí kịp thời." in texts
    closing = "\n".join(texts)
    assert "Nơi nhận:\n- Văn phòng Chính phủ;\n- Thường trực Thành ủy;\n- Lưu: VT." in closing
    assert "KT. CHỦ TỊCH" in closing and "Nguyễn Văn A" in closing


def test_appendix_tables_with_stt(repo: Path) -> None:
    doc = Document(str(_docx(repo)))
    overdue = _task_tables(doc)[0]
    heads = [c.text for c in overdue.rows[0].cells]
    assert heads == ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
                     "Tiến độ", "Tình trạng", "Lý do, ghi chú"]
    assert "w:tblHeader" in overdue.rows[0]._tr.xml  # repeated on each page
    rows = [[c.text for c in row.cells] for row in overdue.rows[1:]]
    assert [r[0] for r in rows] == ["1", "2"]
    assert rows[1][1] == "Số hóa hồ sơ đất đai (ha-noi-2025/CDS-02)"
    assert rows[1][2] == "Sở Khoa học và Công nghệ (tiếp nhận từ Sở Thông tin và Truyền thông)"
    assert rows[1][7] == "đang vướng mắc; Thiếu kinh phí thuê dịch vụ số hóa"
    for row in overdue.rows[1:]:
        assert all(cell.paragraphs[0].runs[0].font.size.pt == 10 for cell in row.cells)


def test_missing_particulars_are_blanks_never_invented(repo: Path) -> None:
    (repo / ".plantrack.yaml").write_text("lang: vi\n", encoding="utf-8")
    doc = Document(str(_docx(repo)))
    cells = [c.text for c in doc.tables[0]._cells]
    # The plans' shared issued_by is the issuer; the rest is left to fill in.
    assert cells[0].split("\n")[:2] == ["...", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"]
    assert cells[2] == "Số: .../BC-..." and cells[3].startswith("..., ngày 20 tháng 6")
    texts = "\n".join(_texts(repo / "r.docx"))
    assert "Nơi nhận:\n- ...;" in texts


def test_same_input_same_bytes(repo: Path) -> None:
    first = _docx(repo, name="a.docx").read_bytes()
    second = _docx(repo, name="b.docx").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 6, 20, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2025-06-20T00:00:00" in core
    code, _, err = run("report", str(repo / "plans"), "--format", "docx", "--period", "month",
                       "--as-of", "2025-06-21", "-o", str(repo / "c.docx"))
    assert code == 0, err
    assert (repo / "c.docx").read_bytes() != first


def test_english_has_no_vietnamese_header_block(repo: Path) -> None:
    doc = Document(str(_docx(repo, "--lang", "en")))
    texts = [p.text for p in doc.paragraphs]
    assert "REPORT" in texts and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in "\n".join(
        _texts(repo / "r.docx"))
    assert texts[0] == "Hà Nội, 20 June 2025"


def test_template_is_for_text_formats(repo: Path) -> None:
    template = repo / "mine.md.j2"
    template.write_text("x", encoding="utf-8")
    code, _, err = run("report", str(repo / "plans"), "--format", "docx", "--template",
                       str(template), "-o", str(repo / "x.docx"))
    assert code == 2 and "--template applies to the text formats" in err
    assert not (repo / "x.docx").exists()


def test_hostile_text_stays_text(repo: Path) -> None:
    plan = repo / "plans" / "ha-noi-2025.yaml"
    text = plan.read_text(encoding="utf-8").replace(
        "title: Số hóa hồ sơ đất đai",
        'title: "<w:t>x</w:t> & \\u0007bell \\u202eevil ]]>"')
    plan.write_text(text, encoding="utf-8")
    doc = Document(str(_docx(repo)))
    cells = [c.text for c in _task_tables(doc)[0].rows[2].cells]
    assert cells[1] == "<w:t>x</w:t> & \ufffdbell \ufffdevil ]]> (ha-noi-2025/CDS-02)"


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"),
                    reason="needs LibreOffice (apt-get install libreoffice-writer-nogui)")
def test_libreoffice_opens_it(tmp_path: Path) -> None:
    assert SOFFICE, "LibreOffice is installed by .ci/run"
    folder = tmp_path / "repo"
    (folder / "plans").mkdir(parents=True)
    for plan in SHIPPED_PLANS:
        shutil.copy(plan, folder / "plans")
    (folder / ".plantrack.yaml").write_text(CONFIG, encoding="utf-8")
    (folder / "notes.md").write_text(NOTES, encoding="utf-8")
    path = _docx(folder)
    done = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / "r.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for needed in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "BÁO CÁO", "PHỤ LỤC", "STT", "Cơ quan chủ trì",
                   "Kinh phí số hóa chưa được bố trí kịp thời."):
        assert needed in text, needed
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "A4" in info
