"""The secretariat's own sections of a report (`report --notes FILE`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plantrack.report.data import NoteSection
from plantrack.report.notes import MAX_NOTES_BYTES, NotesError, parse_notes
from tests.test_cli import run

HERE = Path(__file__).resolve().parent
VI_PLAN = HERE / "fixtures" / "vi" / "ha-noi-2025.yaml"
NOTES = """\
# Ghi chú kỳ báo cáo (not a section: before the first ## heading)

## Khó khăn, vướng mắc

Kinh phí số hóa chưa được bố trí
kịp thời.

<b>Chưa</b> có hướng dẫn. @admin #12 <!-- nội bộ -->

## Đề xuất, kiến nghị ##

- Bổ sung kinh phí.
- Đề nghị Bộ Y tế ban hành hướng dẫn
  kết nối cổng giám định.
* Một ý khác.

## Nhiệm vụ trọng tâm kỳ tới

1. Hoàn thành đào tạo.
2) Rà soát thủ tục.
### Ghi chú thêm
> Trích dẫn
"""


def test_sections_paragraphs_and_lists() -> None:
    sections = parse_notes(NOTES)
    assert [s.title for s in sections] == [
        "Khó khăn, vướng mắc", "Đề xuất, kiến nghị", "Nhiệm vụ trọng tâm kỳ tới"]
    assert sections[0].blocks == (
        ("p", ("Kinh phí số hóa chưa được bố trí kịp thời.",)),
        ("p", ("<b>Chưa</b> có hướng dẫn. @admin #12",)))  # the comment is dropped
    assert sections[1].blocks == (("ul", ("Bổ sung kinh phí.", "Đề nghị Bộ Y tế ban hành "
                                          "hướng dẫn kết nối cổng giám định.", "Một ý khác.")),)
    assert sections[2].blocks == (("ol", ("Hoàn thành đào tạo.", "Rà soát thủ tục.")),
                                  ("p", ("Ghi chú thêm Trích dẫn",)))


def test_windows_line_ends_and_an_empty_section() -> None:
    sections = parse_notes("## A\r\n\r\ntext\r\n## B\r\n")
    assert sections == [NoteSection("A", (("p", ("text",)),)), NoteSection("B", ())]


@pytest.mark.parametrize(("text", "line"), [("no heading at all\n", 0), ("## \ntext\n", 1),
                                            ("## A\n\n##\n", 3)])
def test_what_is_no_notes_file(text: str, line: int) -> None:
    with pytest.raises(NotesError) as caught:
        parse_notes(text)
    assert caught.value.line == line


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(VI_PLAN, folder)
    return folder


def _report(plans: Path, notes: Path, *more: str) -> tuple[int, str, str]:
    return run("report", str(plans), "--lang", "vi", "--period", "month", "--cutoff-day", "14",
               "--as-of", "2025-06-20", "--notes", str(notes), *more)


def test_sections_follow_the_figures_in_markdown(plans: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    code, out, err = _report(plans, notes)
    assert code == 0, err
    headings = ["## 9. Thay đổi trong kỳ", "## 10. Khó khăn, vướng mắc",
                "## 11. Đề xuất, kiến nghị", "## 12. Nhiệm vụ trọng tâm kỳ tới"]
    places = [out.index(h) for h in headings]
    assert places == sorted(places)
    assert "Ghi chú kỳ báo cáo" not in out and "nội bộ" not in out
    # Raw HTML is shown as text, mentions and issue links are broken, lists stay lists.
    assert "&lt;b&gt;Chưa&lt;/b&gt; có hướng dẫn. &#64;\u200badmin &#35;\u200b12" in out
    assert "<b>" not in out
    assert "- Bổ sung kinh phí.\n- Đề nghị Bộ Y tế" in out
    assert "1. Hoàn thành đào tạo.\n2. Rà soát thủ tục." in out


def test_sections_in_html_are_text(plans: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES + "\n## <script>alert(1)</script>\n\n[x](javascript:alert(1))\n",
                     encoding="utf-8")
    code, out, err = _report(plans, notes, "--format", "html")
    assert code == 0, err
    assert '<h2 id="n1">10. Khó khăn, vướng mắc</h2>' in out
    assert "<p>&lt;b&gt;Chưa&lt;/b&gt; có hướng dẫn. @admin #12</p>" in out
    assert "<ul>\n<li>Bổ sung kinh phí.</li>" in out and "<ol>\n<li>Hoàn thành đào tạo.</li>" in out
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'href="javascript' not in out


def test_bad_notes_files_are_exit_2_and_say_where(plans: Path, tmp_path: Path) -> None:
    latin = tmp_path / "latin.md"
    latin.write_bytes("## Khó khăn\n\nok\n".encode() + b"\xff\n")
    code, _, err = _report(plans, latin)
    assert code == 2 and f"{latin}:4: the notes file is not UTF-8 (byte 0xff)" in err
    empty = tmp_path / "empty.md"
    empty.write_text("just text\n", encoding="utf-8")
    code, _, err = _report(plans, empty)
    assert code == 2 and "no section" in err and "Traceback" not in err
    code, _, err = _report(plans, tmp_path / "missing.md")
    assert code == 2 and "cannot read the file" in err
    big = tmp_path / "big.md"
    big.write_bytes(b"## A\n" + b"x" * MAX_NOTES_BYTES)
    code, _, err = _report(plans, big)
    assert code == 2 and "larger than" in err


def test_a_fifo_is_not_waited_on(plans: Path, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "notes.fifo"
    os.mkfifo(fifo)
    code, _, err = _report(plans, fifo)
    assert code == 2 and "not a regular file" in err
