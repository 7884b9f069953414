"""Reports and views a Vietnamese secretariat sends up: Vietnamese throughout, and the reasons.

Golden files for the shipped plans, in both languages and both formats, are in
tests/golden/report-shipped; after a deliberate change of the report, rewrite them with:
    PLANTRACK_UPDATE_GOLDEN=1 python -m pytest -q -p no:cacheprovider tests/test_report_vi.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLANS
from tests.gitrepo import GitRepo
from tests.test_cli import run
from tests.vi_words import english_in, visible_text_of_html

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "report-shipped"
VI_PLAN = HERE / "fixtures" / "vi" / "ha-noi-2025.yaml"
VI_TEXT = VI_PLAN.read_text(encoding="utf-8")
OWNER_KEYS = ["so-khcn", "so-tc", "so-tttt", "so-yt", "ubnd-quan"]
IDENTIFIERS = ["ha-noi-2025", *OWNER_KEYS, *(f"CDS-{n:02d}" for n in range(1, 12))]
JUNE = ("--period", "month", "--cutoff-day", "14", "--as-of", "2025-06-20")
NOTES = """\
## Khó khăn, vướng mắc

Kinh phí số hóa chưa được bố trí kịp thời.

## Đề xuất, kiến nghị

- Bổ sung kinh phí số hóa hồ sơ đất đai.

## Nhiệm vụ trọng tâm kỳ tới

1. Hoàn thành đào tạo kỹ năng số.
"""


def _check_golden(text: str, name: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("PLANTRACK_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """The shipped plans outside any git repository: the report has no history to read."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for plan in SHIPPED_PLANS:
        shutil.copy(plan, folder)
    return folder


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(("lang", "when"), [
    ("vi", JUNE), ("en", ("--period", "month", "--as-of", "2025-06-30"))])
def test_shipped_plans_golden(shipped: Path, tmp_path: Path, fmt: str, lang: str,
                              when: tuple[str, ...]) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    code, out, err = run("report", str(shipped), "--format", fmt, "--lang", lang, *when,
                         "--notes", str(notes))
    assert code == 0, err
    _check_golden(out, f"shipped.{lang}.{fmt}")


def test_shipped_plans_speak_vietnamese_where_they_have_it(shipped: Path) -> None:
    code, out, _ = run("report", str(shipped), "--lang", "vi", *JUNE)
    assert code == 0
    assert ("Nhiệm vụ trọng tâm về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển "
            "đổi số năm 2025 của thành phố Hà Nội") in out
    assert "| Sở Khoa học và Công nghệ | hanoi-2025 |" in out
    assert "Department of" not in out.split("\n## 3. ")[0]  # every owner has its Vietnamese name


def _repo(tmp_path: Path) -> GitRepo:
    """The Vietnamese plan in git: as it stood on 1 May 2025 (CDS-03 not yet extended,
    CDS-09 not yet done, CDS-10 not yet added), then as it is on 10 June."""
    repo = GitRepo.init(tmp_path / "repo")
    before = VI_TEXT.split("  - id: CDS-10")[0]
    before = before.replace("    status: done\n    completed: 2025-06-02\n", "")
    before = re.sub(r"    extensions:\n      - \{due: 2025-Q3[^\n]*\n", "", before)
    repo.write("plans/ha-noi-2025.yaml", before)
    repo.commit("kế hoạch", when=dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC))
    repo.write("plans/ha-noi-2025.yaml", VI_TEXT)
    repo.commit("cập nhật", when=dt.datetime(2025, 6, 10, 9, tzinfo=dt.UTC))
    return repo


@pytest.fixture
def vi_repo(tmp_path: Path) -> GitRepo:
    repo = _repo(tmp_path)
    (repo.root / "notes.md").write_text(NOTES, encoding="utf-8")
    return repo


def _vi_report(repo: GitRepo, fmt: str) -> str:
    code, out, err = run("report", str(repo.root / "plans"), "--format", fmt, "--lang", "vi",
                         *JUNE, "--notes", str(repo.root / "notes.md"))
    assert code == 0, err
    return out


def _body_and_footnotes(text: str, fmt: str) -> tuple[str, str]:
    if fmt == "md":
        body, _, notes = text.partition("\n---\n")
        return body, notes
    body, _, notes = text.partition('<footer class="footnotes">')
    return visible_text_of_html(body), notes


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_english_word_iso_date_or_hash_in_a_vietnamese_report(vi_repo: GitRepo,
                                                                  fmt: str) -> None:
    body, footnotes = _body_and_footnotes(_vi_report(vi_repo, fmt), fmt)
    assert english_in(body, IDENTIFIERS) == []
    head = vi_repo.git("rev-parse", "HEAD~1").strip()
    assert head[:10] not in body and head[:10] in footnotes  # the revision, in a footnote


def test_the_scan_finds_english(vi_repo: GitRepo) -> None:
    """The check above can fail: an English report of the same plan is full of findings."""
    code, out, _ = run("report", str(vi_repo.root / "plans"), *JUNE)
    assert code == 0
    found = english_in(out.partition("\n---\n")[0], IDENTIFIERS)
    assert {"Report", "the", "Overdue", "2025-05-31"} <= set(found)


def test_changes_in_the_period_in_words(vi_repo: GitRepo) -> None:
    section = _vi_report(vi_repo, "md").split("## 9. Thay đổi trong kỳ")[1].split("## 10.")[0]
    assert "So sánh với kế hoạch tại thời điểm ngày 1/5/2025.[^1]" in section
    assert "Đã hoàn thành (1):\n- Hoàn thành bệnh án điện tử (ha-noi-2025/CDS-09)" in section
    assert "Bổ sung mới (1):\n- Rà soát thủ tục hành chính trực tuyến (ha-noi-2025/CDS-10)" in (
        section)
    assert ("| 1 | Kết nối bệnh viện với cổng giám định bảo hiểm y tế (ha-noi-2025/CDS-03) | "
            "Quý II/2025 | Quý III/2025 | 92 | điều chỉnh thời hạn đến Quý III/2025 theo Văn bản "
            "215/UBND-KGVX, phê duyệt ngày 5/6/2025: Chờ hướng dẫn của Bộ Y tế |") in section


def test_what_a_report_says_of_each_task(vi_repo: GitRepo) -> None:
    out = _vi_report(vi_repo, "md")
    overdue = out.split("\n## 4. ")[1].split("\n## 5. ")[0]
    # Presiding unit in charge (and whose it was), coordinating units, progress, the reason.
    assert ("| Số hóa hồ sơ đất đai (ha-noi-2025/CDS-02) | Sở Khoa học và Công nghệ (tiếp nhận "
            "từ Sở Thông tin và Truyền thông) | Sở Tài chính; Ủy ban nhân dân các quận, huyện | "
            "31/5/2025 | 14 | 60% | đang vướng mắc; Thiếu kinh phí thuê dịch vụ số hóa |"
            ) in overdue
    results = out.split("\n## 3. ")[1].split("\n## 4. ")[0]
    assert "| Hoàn thành bệnh án điện tử (ha-noi-2025/CDS-09) | Sở Y tế | 15/5/2025 | " \
           "đã hoàn thành nhưng quá hạn |" in results
    assert ("| Quý II/2025 | Quý III/2025 | 05/06/2025 | Văn bản 215/UBND-KGVX | Chờ hướng dẫn "
            "của Bộ Y tế |") in results
    assert ("| Thí điểm ví điện tử cho học phí (ha-noi-2025/CDS-07) | Sở Tài chính | 20/05/2025 |"
            " Chuyển sang chương trình thanh toán không dùng tiền mặt của tỉnh |") in results
    assert "đã hủy; Chuyển sang chương trình" in results  # the update that stopped it
    unscheduled = out.split("\n## 6. ")[1].split("\n## 7. ")[0]
    assert "Xây dựng kho dữ liệu dùng chung (ha-noi-2025/CDS-05)" in unscheduled
    # The successor files the reports of what it took over.
    reporting = out.split("\n## 8. ")[1].split("\n## 9. ")[0]
    assert "Sở Thông tin và Truyền thông" not in reporting


def test_deadline_in_force_beside_the_original(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(HERE / "fixtures" / "report" / "fixture-2025.yaml", folder)
    for lang, expected in [
            ("en", "| 2025-05-31 (originally 2025-03-31) | 30 | — | extended to 2025-05-31 by QĐ "
                   "12/QĐ-UBND, approved 20 March 2025 |"),
            ("vi", "| 31/5/2025 (ban đầu: 31/3/2025) | 30 | — | điều chỉnh thời hạn đến "
                   "31/5/2025 theo QĐ 12/QĐ-UBND, phê duyệt ngày 20/3/2025 |")]:
        code, out, err = run("report", str(folder), "--period", "month", "--as-of",
                             "2025-06-30", "--lang", lang)
        assert code == 0, err
        assert expected in out.split("\n## 4. ")[1], lang


@pytest.fixture
def vi_plans(tmp_path: Path) -> Path:
    folder = tmp_path / "vi"
    folder.mkdir()
    shutil.copy(VI_PLAN, folder)
    return folder


VIEWS = [("status",), ("list",), ("overdue",), *((("show", f"CDS-{n:02d}")) for n in range(1, 11))]


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: "-".join(v))
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_no_english_in_a_vietnamese_view(vi_plans: Path, view: tuple[str, ...], fmt: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run(*view, str(vi_plans), "--as-of", "2025-06-20", "--lang", "vi",
                         "--format", fmt)
    assert code == 0, err
    assert out.strip() and english_in(out, IDENTIFIERS) == []
    code, english, _ = run(*view, str(vi_plans), "--as-of", "2025-06-20", "--format", fmt)
    assert english_in(english, IDENTIFIERS)  # the same view in English does show English


def test_machine_formats_keep_their_keys_and_iso_dates(vi_plans: Path) -> None:
    for view in [("status",), ("list",), ("overdue",), ("show", "CDS-03")]:
        for fmt in ("json", "csv"):
            _, plain, _ = run(*view, str(vi_plans), "--as-of", "2025-06-20", "--format", fmt)
            _, vi, _ = run(*view, str(vi_plans), "--as-of", "2025-06-20", "--format", fmt,
                           "--lang", "vi")
            assert vi == plain, (view, fmt)
    _, out, _ = run("show", "CDS-03", str(vi_plans), "--format", "json", "--lang", "vi",
                    "--as-of", "2025-06-20")
    record = json.loads(out)
    assert record["deadline"] == "2025-09-30" and record["state"] == "on_track"


def test_lang_in_the_configuration_is_the_default(vi_plans: Path) -> None:
    (vi_plans / ".plantrack.yaml").write_text("lang: vi\n", encoding="utf-8")
    code, out, _ = run("status", str(vi_plans), "--as-of", "2025-06-20")
    assert code == 0 and out.startswith("Tình hình tính đến ngày 20/06/2025")
    code, out, _ = run("overdue", str(vi_plans), "--as-of", "2025-06-20", "--lang", "en")
    assert code == 0 and out.startswith("Overdue (2)")
    code, out, _ = run("report", str(vi_plans), *JUNE)
    assert out.startswith("# Báo cáo tình hình thực hiện nhiệm vụ: Tháng 6/2025")


def test_english_text_of_a_plan_in_english(shipped: Path) -> None:
    """`--lang en` shows the English entry of a language map; `--lang vi` the Vietnamese."""
    _, en, _ = run("show", "HD-04", str(shipped), "--lang", "en", "--as-of", "2025-06-20")
    _, vi, _ = run("show", "HD-04", str(shipped), "--lang", "vi", "--as-of", "2025-06-20")
    assert "Departments, branches, sectors and localities (departments)" in en
    assert "Các sở, ban, ngành và địa phương (departments)" in vi
    assert "Hạn cuối" in vi and "26/02/2025" in vi


def test_owner_named_in_any_language(shipped: Path) -> None:
    for name in ("Sở Tài chính", "so tai chinh", "Department of Finance", "finance"):
        code, out, err = run("list", str(shipped), "--owner", name, "--plan", "hanoi-2025",
                             "--format", "json")
        assert code == 0, err
        assert {t["owner"] for t in json.loads(out)} == {"finance"}, name


def test_the_vietnamese_status_table_fits_80_columns(vi_plans: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run("status", str(vi_plans), "--as-of", "2025-06-20", "--lang", "vi")
    lines = out.splitlines()
    assert code == 0 and max(len(line) for line in lines) <= 80
    head, rule, row = lines[2], lines[3], lines[4]
    assert head.split()[:3] == ["Kế", "hoạch", "Tổng"] and set(rule) == {"─"}
    assert re.fullmatch(r"ha-noi-2025 +10 +1 +1 +2 +1 +2 +1 +1 +1 +25%", row)
