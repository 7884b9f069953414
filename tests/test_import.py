"""`plantrack import`: a new plan out of an appendix table, from documents the tests make
with python-docx and openpyxl, and a CSV saved the way Excel saves it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from docx import Document

from plantrack.checks.loader import load
from plantrack.edit.newplan import plan_yaml
from plantrack.read.appendix import slug
from tests.test_cli import run

HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
          "Thời gian hoàn thành", "Sản phẩm"]
ROWS = [
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ["I", "HOÀN THIỆN THỂ CHẾ", "", "", "", ""],
    ["1", "Xây dựng kế hoạch\ntriển khai Nghị quyết 57", "Sở KH&CN",
     "Sở Tài chính; Sở Nội vụ", "Quý II/2025", "Kế hoạch"],
    ["2", "Ban hành quy chế", "Sở Khoa học và Công nghệ", "", "Trước ngày 10/3/2025", ""],
    ["a)", "Dự thảo quy chế", "Sở KHCN", "", "Tháng 4/2025", ""],
    ["", "", "", "", "", ""],
    ["II", "PHÁT TRIỂN HẠ TẦNG SỐ", "", "", "", ""],
    ["1", "Báo cáo kết quả", "UBND các huyện", "", "ngày 25 hằng tháng", "Báo cáo"],
    ["2", "Số hóa hồ sơ", "Sở Thông tin và Truyền thông", "",
     "Sau khi Trung ương ban hành hướng dẫn", ""],
    ["3", "Vận hành cổng thông tin", "Văn phòng UBND tỉnh", "", "Thường xuyên", ""],
    ["4", "Trước 10 giờ ngày 20/02/2025 gửi ý kiến", "Sở Y tế, Sở Tài chính", "",
     "Trước 10 giờ ngày 20/02/2025", ""],
]


def _docx(path: Path, rows: list[list[str]] = ROWS) -> Path:
    doc = Document()
    doc.add_paragraph("ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG")
    doc.add_paragraph("Hải Dương, ngày 19 tháng 02 năm 2025")
    doc.add_paragraph("Phụ lục: Danh mục nhiệm vụ triển khai Nghị quyết 57")
    table = doc.add_table(rows=len(rows) + 1, cols=len(HEADER))
    for r, row in enumerate([HEADER, *rows]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.save(str(path))
    return path


def _tasks(path: Path) -> dict[str, dict[str, object]]:
    loaded = load([path], use_cache=False)
    assert not [p for p in loaded.problems if p.is_error], loaded.problems
    plan = loaded.plans[0].plan
    return {t.id: {"title": t.title, "owner": t.owner, "with": list(t.coordinators),
                   "due": t.due.text if t.due else None, "recurs": t.recurs,
                   "tags": list(t.tags), "source": t.source} for t in plan.tasks}


def test_word_appendix(tmp_path: Path) -> None:
    source = _docx(tmp_path / "phu-luc.docx")
    out = tmp_path / "plans" / "hai-duong-2025.yaml"
    out.parent.mkdir()
    code, _, err = run("import", str(source), "--plan", "hai-duong-2025", "-o", str(out))
    assert code == 1, err  # one deadline could not be read: reported, the rest imported
    assert ("phu-luc.docx:table 1 row 10 col 5: error [import-deadline] 'Sau khi Trung ương "
            "ban hành hướng dẫn': cannot read it as a deadline") in err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported from phu-luc.docx on ")
    assert "title: 'Phụ lục: Danh mục nhiệm vụ triển khai Nghị quyết 57'" in text
    assert "issued: 2025-02-19" in text and "lang: vi" in text
    tasks = _tasks(out)
    assert list(tasks) == ["T-I.1", "T-I.2", "T-I.2.a", "T-II.1", "T-II.2", "T-II.3", "T-II.4"]
    first = tasks["T-I.1"]
    assert first["title"] == "Xây dựng kế hoạch triển khai Nghị quyết 57"
    assert first["owner"] == "so-khcn" and first["with"] == ["so-tc", "so-nv"]
    assert first["due"] == "2025-Q2" and first["tags"] == ["hoan-thien-the-che"]
    assert first["source"] == ("1 | Xây dựng kế hoạch triển khai Nghị quyết 57 | Sở KH&CN | "
                               "Sở Tài chính; Sở Nội vụ | Quý II/2025 | Kế hoạch")
    # "Sở KHCN", "Sở KH&CN" and the name in full are one owner, known by its full name.
    assert tasks["T-I.2"]["owner"] == tasks["T-I.2.a"]["owner"] == "so-khcn"
    assert "so-khcn: Sở Khoa học và Công nghệ" in text
    assert tasks["T-I.2"]["due"] == "2025-03-09"  # "before the 10th"
    assert tasks["T-II.1"]["recurs"] == "FREQ=MONTHLY;BYMONTHDAY=25"
    assert tasks["T-II.2"]["due"] == "tbd" and tasks["T-II.3"]["due"] == "ongoing"
    assert tasks["T-II.4"]["due"] == "2025-02-20T10:00"
    assert tasks["T-II.4"]["owner"] == "so-yt" and tasks["T-II.4"]["with"] == ["so-tc"]
    code, out_text, _ = run("status", str(out.parent), "--as-of", "2025-06-30")
    assert code == 0 and "hai-duong-2025" in out_text


def test_excel_appendix_with_merged_cells_and_date_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh muc"
    sheet.append(["DANH MỤC NHIỆM VỤ NĂM 2025"])
    sheet.merge_cells("A1:E1")
    sheet.append(["tt", "noi dung cong viec", "don vi chu tri", "don vi phoi hop",
                  "thoi han hoan thanh"])  # headers without diacritics
    sheet.append([1, "Số hóa hồ sơ", "Sở Tài chính", None, dt.datetime(2025, 3, 10)])
    sheet.append([2, "Đào tạo kỹ năng số", None, None, "6 tháng cuối năm 2025"])
    sheet.merge_cells("C3:C4")  # one unit presides over both rows
    path = tmp_path / "danh-muc.xlsx"
    book.save(path)
    out = tmp_path / "p.yaml"
    code, _, err = run("import", str(path), "--plan", "p-2025", "-o", str(out),
                       "--id-prefix", "NV-", "--issued", "1/1/2025")
    assert code == 0, err
    tasks = _tasks(out)
    assert tasks["NV-1"]["due"] == "2025-03-10" and tasks["NV-2"]["due"] == "2025-H2"
    assert tasks["NV-1"]["owner"] == tasks["NV-2"]["owner"] == "so-tc"
    assert "title: DANH MỤC NHIỆM VỤ NĂM 2025" in out.read_text(encoding="utf-8")


def test_a_sheet_with_a_note_above_and_lettered_parts(tmp_path: Path) -> None:
    """The title row, then "(Kèm theo Kế hoạch ... ngày 05/3/2025)" giving the date; parts
    lettered A, B above the tasks become tags, not tasks."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["KẾ HOẠCH THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW NĂM 2025"])
    sheet.append(["(Kèm theo Kế hoạch số 123/KH-UBND ngày 05/3/2025 của UBND thành phố)"])
    sheet.append(["TT", "NỘI DUNG CÔNG VIỆC", "ĐƠN VỊ CHỦ TRÌ", "THỜI HẠN HOÀN THÀNH"])
    sheet.append(["A", "NHIỆM VỤ CHUNG", None, None])
    sheet.append([1, "Báo cáo định kỳ", "Văn phòng UBND thành phố", "ngày 25 hằng tháng"])
    sheet.append(["B.", "NHIỆM VỤ CỤ THỂ", None, None])
    sheet.append([2, "Số hóa hồ sơ", "Sở Nội vụ", "Quý IV/2025"])
    path = tmp_path / "ke-hoach.xlsx"
    book.save(path)
    out = tmp_path / "p.yaml"
    code, _, err = run("import", str(path), "--plan", "p-2025", "-o", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "title: KẾ HOẠCH THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW NĂM 2025\n" in text
    assert "issued: 2025-03-05\n" in text
    tasks = _tasks(out)
    assert list(tasks) == ["T-1", "T-2"]
    assert tasks["T-1"]["recurs"] == "FREQ=MONTHLY;BYMONTHDAY=25"
    assert tasks["T-1"]["tags"] == ["nhiem-vu-chung"] and tasks["T-2"]["tags"] == [
        "nhiem-vu-cu-the"]


def test_a_recurring_duty_with_no_date_to_start_from_is_due_tbd(tmp_path: Path) -> None:
    path = tmp_path / "dd.csv"
    path.write_text("STT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời hạn\n"
                    "1,Báo cáo,Sở Nội vụ,Hằng tháng\n2,Số hóa,Sở Nội vụ,Quý IV/2025\n",
                    encoding="utf-8")
    out = tmp_path / "p.yaml"
    code, _, err = run("import", str(path), "--plan", "p-2025", "-o", str(out))
    assert code == 1 and "dd.csv:row 2 col 4: error [import-deadline]" in err, err
    assert "give --issued" in err
    tasks = _tasks(out)  # valid: the rest of the table is imported
    assert tasks["T-1"]["due"] == "tbd" and tasks["T-2"]["due"] == "2025-Q4"
    code, _, err = run("import", str(path), "--plan", "p-2025", "-o", str(tmp_path / "q.yaml"),
                       "--issued", "1/3/2025")
    assert code == 0 and _tasks(tmp_path / "q.yaml")["T-1"]["recurs"] == "FREQ=MONTHLY", err


def test_csv_as_excel_saves_it_and_a_column_map(tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    path.write_bytes("\ufeffSố;Việc;Ai làm;Hạn\r\n1;Số hóa;Sở Tài chính;Quý III/2025\r\n"
                     .encode())
    out = tmp_path / "c.yaml"
    code, _, err = run("import", str(path), "--plan", "c-2025", "-o", str(out), "--map",
                       "Việc=title", "--map", "A=stt", "--map", "3=owner", "--map", "D=due")
    assert code == 0, err
    assert _tasks(out)["T-1"]["due"] == "2025-Q3"


def test_legacy_encoding_is_reported_by_cell_never_imported(tmp_path: Path) -> None:
    rows = [["1", "Sè ho¸ hå s¬", "Së Tµi chÝnh", "", "Quý III/2025", ""],
            ["2", "Đào tạo", "Sở Tài chính", "", "Quý III/2025", ""]]
    source = _docx(tmp_path / "old.docx", rows)
    code, out, err = run("import", str(source), "--plan", "old-2025", "--dry-run")
    assert code == 1
    assert "old.docx:table 1 row 2 col 2: error [import-encoding]" in err and "TCVN3" in err
    assert "Sè ho" not in out and "Đào tạo" in out


def test_dry_run_writes_nothing_and_an_existing_file_is_kept(tmp_path: Path) -> None:
    source = _docx(tmp_path / "phu-luc.docx")
    out = tmp_path / "kept.yaml"
    out.write_text("mine\n", encoding="utf-8")
    code, text, _ = run("import", str(source), "--plan", "hd-2025", "--dry-run")
    assert code == 1 and text.startswith("# Imported from phu-luc.docx")
    code, _, err = run("import", str(source), "--plan", "hd-2025", "-o", str(out))
    assert code == 2 and "never overwrites" in err
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.yaml", "phu-luc.docx"]


def test_the_first_import_in_a_new_folder_makes_plans(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source = _docx(tmp_path / "phu-luc.docx")
    monkeypatch.chdir(tmp_path)
    code, _, err = run("import", str(source), "--plan", "hd-2025")
    assert code == 1 and "wrote plans/hd-2025.yaml" in err, err  # 1: a deadline it cannot read
    assert _tasks(tmp_path / "plans" / "hd-2025.yaml")["T-I.1"]["owner"] == "so-khcn"
    code, _, err = run("import", str(source), "--plan", "hd-2025", "-o", "elsewhere/x.yaml")
    assert code == 2 and "no folder elsewhere" in err  # a folder named by hand is not made


def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    empty = Document()
    empty.add_paragraph("no table here")
    empty.save(str(tmp_path / "none.docx"))
    book = openpyxl.Workbook()
    book.active.append(["Tên", "Ngày"])
    book.save(tmp_path / "no-task.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04broken")
    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    cases = {"none.docx": "has no table", "no-task.xlsx": "no table has a header",
             "broken.xlsx": "damaged", "empty.xlsx": "cannot be read"}
    for name, said in cases.items():
        out = tmp_path / f"{name}.yaml"
        code, _, err = run("import", str(tmp_path / name), "--plan", "x-2025", "-o", str(out))
        assert code == 2 and said in err and "Traceback" not in err, name
        assert not out.exists()
    code, _, err = run("import", str(tmp_path / "none.docx"), "--plan", "Bad Id")
    assert code == 2 and "a plan id is lowercase" in err


def test_text_files_that_hold_no_plan_are_refused_by_name(tmp_path: Path) -> None:
    files = {
        "empty.csv": (b"", 2, "the document has no table with any text"),
        "bom.csv": ("\ufeffSTT;Nội dung nhiệm vụ\n1;Xây dựng\n".encode() + b"\xc3;x\n", 2,
                    "line 3: not UTF-8 text"),
        "tcvn.csv": ("STT,Néi dung nhiÖm vô,C¬ quan chñ tr×\n1,X©y dùng,Së Tµi chÝnh\n"
                     .encode(), 2, "tcvn.csv:row 1 col 3: the text 'C¬ quan chñ tr×' looks "
                     "typed in TCVN3 (ABC)"),
        "header-only.csv": ("STT,Nội dung nhiệm vụ,Cơ quan chủ trì\n,,\n".encode(), 1,
                            "no task to import; nothing written"),
    }
    for name, (raw, wanted_code, said) in files.items():
        (tmp_path / name).write_bytes(raw)
        out = tmp_path / f"{name}.yaml"
        code, text, err = run("import", str(tmp_path / name), "--plan", "x-2025", "-o", str(out))
        assert code == wanted_code and said in err and "Traceback" not in err, (name, err)
        assert not out.exists() and text == ""


@pytest.mark.parametrize(("name", "key"), [
    ("Sở Khoa học và Công nghệ", "so-khcn"), ("Sở Tài chính", "so-tc"),
    ("Ủy ban nhân dân các quận, huyện", "ubnd-qh"), ("UBND tỉnh", "ubnd"),
    ("Văn phòng UBND tỉnh", "vp-ubnd"), ("Công an tỉnh", "ca"), ("Đài Phát thanh", "dpt"),
    ("Viettel", "viettel"), ("Bưu điện tỉnh", "bdt")])
def test_owner_keys(name: str, key: str) -> None:
    assert slug(name) == key


def test_the_writer_quotes_what_yaml_1_1_would_misread() -> None:
    text = plan_yaml({"plantrack": 1, "id": "x", "title": "yes",
                      "owners": {"no": "0x1F", "so-tc": "Sở Tài chính: 1"},
                      "tasks": [{"id": "1:20", "title": "off", "owner": "no", "due": "2025",
                                 "start": dt.date(2025, 1, 1), "recurs": "FREQ=DAILY"},
                                {"id": "T-2", "title": "x", "owner": "no", "due": "2025-Q3",
                                 "start": dt.date(2025, 1, 1), "recurs": "FREQ=DAILY"},
                                {"id": "T-3", "title": "y", "owner": "no", "due": "2025-03-09"}]},
                     ["a header"])
    assert "title: 'yes'" in text and "'no': '0x1F'" in text and "id: '1:20'" in text
    assert "so-tc: 'Sở Tài chính: 1'" in text
    # Deadlines as `add` and the format write them: a year a number, a day a plain date.
    assert "due: 2025\n" in text and "due: 2025-03-09\n" in text
    assert "&" not in text and "*" not in text  # no anchors, no aliases
    assert text.index("id: '1:20'") < text.index("title: 'off'") < text.index("owner: 'no'")


VI_PLAN = Path(__file__).resolve().parent / "fixtures" / "vi" / "ha-noi-2025.yaml"


def _sent_back(tmp_path: Path) -> tuple[Path, Path]:
    """The Vietnamese plan exported, then filled in by a unit: new progress for CDS-02, a
    note on CDS-04, a status on CDS-10, a changed title on CDS-03, a new row, a row for a
    task the plan has not."""
    plans = tmp_path / "plans"
    plans.mkdir()
    plan = plans / "ha-noi-2025.yaml"
    plan.write_bytes(VI_PLAN.read_bytes())
    exported = tmp_path / "export.xlsx"
    code, _, err = run("export", str(plans), "--format", "xlsx", "--lang", "vi", "--as-of",
                       "2025-06-20", "-o", str(exported))
    assert code == 0, err
    book = openpyxl.load_workbook(exported)
    sheet = book["ha-noi-2025"]
    rows = {sheet.cell(r, 2).value: r for r in range(3, sheet.max_row + 1)}
    sheet.cell(rows["CDS-02"], 14).value = 75
    sheet.cell(rows["CDS-04"], 15).value = "Đã đào tạo 300 cán bộ"
    sheet.cell(rows["CDS-10"], 11).value = "đang thực hiện"
    sheet.cell(rows["CDS-03"], 3).value = "Tiêu đề khác"
    new = sheet.max_row + 1
    sheet.cell(new, 3).value = "Nhiệm vụ mới do đơn vị đề xuất"
    sheet.cell(new, 4).value = "Sở Y tế"
    sheet.cell(new, 7).value = "Quý IV/2025"
    sheet.cell(new + 1, 2).value = "CDS-99"
    back = tmp_path / "back.xlsx"
    book.save(back)
    return plan, back


def test_progress_sent_back_in_excel_is_recorded(tmp_path: Path) -> None:
    plan, back = _sent_back(tmp_path)
    before = plan.read_text(encoding="utf-8")
    code, _, err = run("import", str(back), "--into", str(plan), "--date", "2025-06-25")
    assert code == 0, err
    assert "3 update(s) recorded, 1 task(s) added, 2 difference(s) listed" in err
    assert "title differs from the plan's" in err and "no task 'CDS-99'" in err
    after = plan.read_text(encoding="utf-8")
    # Every line the plan had is still there, in order: the edit only adds and sets.
    old_lines = [line for line in before.splitlines() if "progress: 60" not in line]
    rest = iter(after.splitlines())
    assert all(any(line == other for other in rest) for line in old_lines)
    tasks = _tasks(plan)
    loaded = load([plan], use_cache=False).plans[0].plan
    by_id = {t.id: t for t in loaded.tasks}
    assert by_id["CDS-02"].progress == 75 and by_id["CDS-02"].updates[-1].progress == 75
    assert by_id["CDS-04"].updates[-1].note == "Đã đào tạo 300 cán bộ"
    assert by_id["CDS-10"].status == "in_progress"
    assert by_id["CDS-03"].title == "Kết nối bệnh viện với cổng giám định bảo hiểm y tế"
    assert tasks["CDS-11"] == {"title": "Nhiệm vụ mới do đơn vị đề xuất", "owner": "so-yt",
                               "with": [], "due": "2025-Q4", "recurs": None, "tags": [],
                               "source": None}
    # The same workbook read again, that day or any later one, records nothing twice.
    for day in ("2025-06-25", "2025-07-02"):
        code, _, err = run("import", str(back), "--into", str(plan), "--date", day)
        assert code == 0 and "0 update(s) recorded, 0 task(s) added" in err
        assert plan.read_text(encoding="utf-8") == after


def test_a_workbook_saved_again_by_libreoffice_is_read_back(tmp_path: Path) -> None:
    """A unit that fills the workbook in LibreOffice Calc and saves it as .xlsx: the hidden
    sheet survives and the changes are read as from Excel; a value the plan holds already
    (someone recorded it meanwhile) is not recorded again."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("needs LibreOffice")
    plan, back = _sent_back(tmp_path)
    saved = tmp_path / "calc"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved),
                    str(back)], capture_output=True, check=True, timeout=180)
    code, _, err = run("update", f"{plan}/CDS-02", "--progress", "75", "--date", "2025-06-24")
    assert code == 0, err
    code, _, err = run("import", str(saved / "back.xlsx"), "--into", str(plan), "--date",
                       "2025-06-25")
    assert code == 0 and "2 update(s) recorded, 1 task(s) added" in err, err
    by_id = {t.id: t for t in load([plan], use_cache=False).plans[0].plan.tasks}
    assert [u.date for u in by_id["CDS-02"].updates][-1] == dt.date(2025, 6, 24)
    assert by_id["CDS-04"].updates[-1].note == "Đã đào tạo 300 cán bộ"
    assert by_id["CDS-10"].status == "in_progress"


def test_sent_back_dry_run_and_a_workbook_not_exported(tmp_path: Path) -> None:
    plan, back = _sent_back(tmp_path)
    before = plan.read_bytes()
    code, out, _ = run("import", str(back), "--into", str(plan), "--dry-run")
    assert code == 0 and "+      - {date:" in out and plan.read_bytes() == before
    other = openpyxl.Workbook()
    other.active.append(["STT", "Nội dung"])
    other.save(tmp_path / "other.xlsx")
    code, _, err = run("import", str(tmp_path / "other.xlsx"), "--into", str(plan))
    assert code == 2 and "not a workbook plantrack exported" in err
    assert plan.read_bytes() == before


def test_a_long_plan_sent_back_is_written_as_the_whole_file_edit_writes_it(
        tmp_path: Path) -> None:
    """Only the tasks a unit changed are round-tripped: the file must come out byte for byte
    as recording the same updates on the whole file does."""
    from plantrack.domain.deadlines import parse_deadline
    from plantrack.edit import operations
    from plantrack.edit.session import finish, open_plan
    from tests.test_edit_excerpt import big_plan

    plans = tmp_path / "plans"
    plans.mkdir()
    plan = plans / "odd-2025.yaml"
    plan.write_bytes(big_plan(False, True, True))
    reference = tmp_path / "reference.yaml"
    reference.write_bytes(plan.read_bytes())
    exported = tmp_path / "export.xlsx"
    assert run("export", str(plans), "--format", "xlsx", "--as-of", "2025-06-20", "-o",
               str(exported))[0] == 0
    book = openpyxl.load_workbook(exported)
    sheet = book["odd-2025"]
    rows = {sheet.cell(r, 2).value: r for r in range(3, sheet.max_row + 1)}
    changed = {"OD-102": 55, "OD-301": 70, "OD-509": 10}
    for task_id, progress in changed.items():
        sheet.cell(rows[task_id], 14).value = progress
    sheet.cell(rows["OD-202"], 15).value = "Đã gửi báo cáo"
    new = sheet.max_row + 1
    sheet.cell(new, 3).value = "Nhiệm vụ bổ sung"
    sheet.cell(new, 4).value = "Sở Khoa học và Công nghệ"
    back = tmp_path / "back.xlsx"
    book.save(back)
    code, _, err = run("import", str(back), "--into", str(plan), "--date", "2025-07-01")
    assert code == 0 and "4 update(s) recorded, 1 task(s) added" in err, err

    editing = open_plan(reference, whole=True)
    ids = editing.task_ids
    for task_id, progress in changed.items():
        operations.record_update(editing.tree, task_id, dt.date(2025, 7, 1), progress)
    operations.record_update(editing.tree, "OD-202", dt.date(2025, 7, 1), note="Đã gửi báo cáo")
    operations.add_task(editing.tree, "Nhiệm vụ bổ sung", "dost", parse_deadline("tbd"), [], [],
                        operations.next_task_id(ids))
    assert plan.read_bytes() == finish(editing).new


def test_add_writes_as_import_does(tmp_path: Path) -> None:
    """`add` and import share the key order and the quoting of what YAML 1.1 misreads."""
    plan = tmp_path / "plans" / "ha-noi-2025.yaml"
    plan.parent.mkdir()
    plan.write_bytes(VI_PLAN.read_bytes())
    code, _, err = run("add", str(plan), "--title", "yes", "--owner", "so-tc", "--due",
                       "2025", "--tag", "on")
    assert code == 0, err
    tail = plan.read_text(encoding="utf-8").split("- id: CDS-11", 1)[1]
    assert "title: 'yes'" in tail and "'on'" in tail
    assert load([plan], use_cache=False).plans[0].plan.tasks[-1].title == "yes"


def test_long_tables_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("STT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời hạn\n"
                    + "".join(f"{n},Việc {n},Sở Tài chính,Năm 2025\n" for n in range(998, 1003)),
                    encoding="utf-8")
    code, out, err = run("import", str(path), "--plan", "long-2025", "--dry-run")
    assert code == 0 and "import-numbering" not in err
    assert "id: T-1002" in out and "id: T-998" in out
