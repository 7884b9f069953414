"""`plantrack diff` and `plantrack history` in `--lang vi`: labels, one-line descriptions,
day-first dates and deadlines in words; JSON and English as they are in every language."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.cli import app
from plantrack.git.diff import Change, PlanDiff, PlansDiff
from plantrack.lang import Words
from plantrack.views.diffview import describe_in, render_markdown
from plantrack.views.formats import DiffView
from tests.gitrepo import GitRepo
from tests.vi_words import english_in, visible_text_of_html

runner = CliRunner()
BASE_DAY = dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.UTC)
HEAD_DAY = dt.datetime(2025, 6, 10, 9, 0, tzinfo=dt.UTC)  # after the approval of 5/6/2025

PLAN = """\
plantrack: 1
id: chuyen-doi-so
title: Kế hoạch chuyển đổi số năm 2025
issued: 2025-02-19
timezone: Asia/Ho_Chi_Minh
lang: vi
owners:
  so-tttt: Sở Thông tin và Truyền thông
  so-tnmt: Sở Tài nguyên và Môi trường
  van-phong: Văn phòng Ủy ban nhân dân tỉnh
tasks:
  - id: NV-01
    title: Số hóa dữ liệu đất đai
    owner: so-tnmt
    due: 2025-06-30
{nv01}
  - id: NV-02
    title: Vận hành cổng dữ liệu mở
    owner: so-tttt
    with: [van-phong]
    due: {nv02}
    hard: true
  - id: NV-04
    title: Ban hành quy chế khai thác dữ liệu
    owner: van-phong
    due: 2025-05-31
{nv04}
  - id: NV-05
    title: Đào tạo cán bộ
    owner: so-tttt
    due: 2025-12
    status: in_progress
    progress: {nv05}
{updates}
  - id: NV-06
    title: Xây dựng kho dữ liệu dùng chung
    owner: {nv06}
    due: 2025-H2
{nv03}
"""
BEFORE = PLAN.format(nv01="", nv02="2025-Q2", nv04="    status: in_progress", nv05="20",
                     nv06="so-tnmt", nv03="", updates="")
AFTER = PLAN.format(
    nv01="    extensions:\n      - {due: 2025-09-30, approved: 2025-06-05, ref: 15/QĐ-UBND}",
    nv02="2025-Q3", nv04="    status: done\n    completed: 2025-06-03", nv05="60",
    nv06="so-tttt",
    updates="    updates:\n      - {date: 2025-06-01, progress: 60, note: Đã đào tạo 120 cán bộ}",
    nv03="  - id: NV-03\n    title: Lập bản đồ số\n    owner: so-tnmt\n    due: 2025-07")
# The identifiers a Vietnamese view shows as they are written: YAML keys, not words.
IDENTIFIERS = ["chuyen-doi-so", "plans/chuyen-doi-so.yaml", "NV-01", "NV-02", "NV-03",
               "NV-04", "NV-05", "NV-06", "so-tttt", "so-tnmt", "van-phong", "completed",
               "updates[2025-06-01]", "song-ngu", "plans/song-ngu.yaml", "SN-01"]
# A plan written in English and Vietnamese: `--lang vi` shows its Vietnamese entries.
BILINGUAL = """\
plantrack: 1
id: song-ngu
title: {en: Bilingual plan, vi: Kế hoạch song ngữ}
issued: 2025-02-19
lang: en
owners:
  so-tttt: {name: {en: Department of Information, vi: Sở Thông tin và Truyền thông}}
tasks:
  - id: SN-01
    title: {en: Open the portal, vi: Khai trương cổng thông tin}
    owner: so-tttt
    due: 2025-08-15
"""


def _repo(root: Path, config: str | None = None) -> GitRepo:
    """The plan before and after one commit; `config`, a `.plantrack.yaml` in both."""
    repo = GitRepo.init(root)
    if config is not None:
        repo.write(".plantrack.yaml", config)
    repo.write("plans/chuyen-doi-so.yaml", BEFORE)
    repo.commit("lập kế hoạch", when=BASE_DAY)
    repo.write("plans/chuyen-doi-so.yaml", AFTER)
    repo.write("plans/song-ngu.yaml", BILINGUAL)
    repo.commit("cập nhật kế hoạch", when=HEAD_DAY)
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return _repo(tmp_path / "repo")


@pytest.fixture
def vi_repo(tmp_path: Path) -> GitRepo:
    return _repo(tmp_path / "vi-repo", "lang: vi\n")


def _run(repo: GitRepo, *args: str) -> str:
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return result.stdout


def _diff(repo: GitRepo, *args: str) -> str:
    return _run(repo, "diff", "HEAD~1", "HEAD", *args)


def _history(repo: GitRepo, task: str, *args: str) -> str:
    return _run(repo, "history", f"chuyen-doi-so/{task}", *args)


def _shas(repo: GitRepo) -> list[str]:
    """The commits' short ids, which history prints as they are."""
    return [sha[:10] for sha in repo.git("log", "--format=%H").split()]


def test_diff_text_speaks_vietnamese(repo: GitRepo) -> None:
    out = _diff(repo, "--lang", "vi")
    assert "chuyen-doi-so: Kế hoạch chuyển đổi số năm 2025 [có thay đổi]" in out
    assert ("NV-01  thời hạn: 30/6/2025 → 30/9/2025 (+92 ngày, có điều chỉnh thời hạn được "
            "phê duyệt)") in out
    # moved without an approved extension, and hard: the markers the English has
    assert ("NV-02  thời hạn: Quý II/2025 → Quý III/2025 (+92 ngày, không có điều chỉnh thời "
            "hạn được phê duyệt, KHÔNG ĐƯỢC LÙI HẠN)") in out
    assert "NV-03  bổ sung mới: Lập bản đồ số" in out
    assert "NV-04  đã hoàn thành (trước đó: đang thực hiện)" in out
    assert "NV-04  completed: bổ sung 3/6/2025" in out
    assert "NV-05  tiến độ: 20% → 60%" in out
    assert ("NV-05  updates[2025-06-01]: bổ sung ngày 1/6/2025, tiến độ 60%, ghi chú Đã đào "
            "tạo 120 cán bộ") in out
    assert "NV-06  cơ quan chủ trì: so-tnmt → so-tttt" in out
    assert "song-ngu: Kế hoạch song ngữ [kế hoạch mới] plans/song-ngu.yaml\n  1 nhiệm vụ" in out
    assert "2 nhiệm vụ thay đổi thời hạn" in out and "1 kế hoạch mới" in out
    assert english_in(out, IDENTIFIERS) == []


def test_diff_markdown_speaks_vietnamese(repo: GitRepo) -> None:
    out = _diff(repo, "--lang", "vi", "--format", "markdown")
    assert out.startswith("**Thay đổi kế hoạch:** 1 kế hoạch có thay đổi, 1 kế hoạch mới,")
    assert "| Nhiệm vụ | Thay đổi |" in out
    assert "| NV-01 | thời hạn: 30/6/2025 → 30/9/2025 (+92 ngày, có điều chỉnh" in out
    assert ("| NV-02 | thời hạn: Quý II/2025 → Quý III/2025 (+92 ngày, không có điều chỉnh "
            "thời hạn được phê duyệt, KHÔNG ĐƯỢC LÙI HẠN) |") in out
    assert "| NV-03 | bổ sung mới: Lập bản đồ số |" in out
    # field paths are YAML keys: code spans, not words left untranslated
    assert "| NV-04 | `completed`: bổ sung 3/6/2025 |" in out
    assert "| NV-05 | `updates[2025-06-01]`: bổ sung ngày 1/6/2025, tiến độ 60%" in out
    assert "<summary><b>song-ngu</b> (kế hoạch mới): Kế hoạch song ngữ (1 thay đổi)" in out
    assert "| SN-01 | bổ sung mới: Khai trương cổng thông tin |" in out
    # <details> and <summary> are markup, not words a reader sees
    assert english_in(visible_text_of_html(out), IDENTIFIERS) == []


def test_english_is_as_it_was(repo: GitRepo) -> None:
    out = _diff(repo)
    assert "NV-01  deadline 2025-06-30 -> 2025-09-30 (+92 days, approved extension)" in out
    assert ("NV-02  deadline 2025-Q2 -> 2025-Q3 (+92 days, no approved extension, HARD "
            "deadline)") in out
    assert "song-ngu: Bilingual plan [added] plans/song-ngu.yaml" in out
    assert "NV-04  completed added: 2025-06-03" in out
    assert _diff(repo, "--lang", "en") == out
    markdown = _diff(repo, "--format", "markdown")
    assert markdown.startswith("**Plan changes:** 1 plan(s) changed, 1 plan(s) added,")
    assert _diff(repo, "--format", "markdown", "--lang", "en") == markdown


def test_json_is_the_same_in_every_language(repo: GitRepo, vi_repo: GitRepo) -> None:
    english = _diff(repo, "--format", "json")
    assert '"title": "Bilingual plan"' in english and '"2025-06-03"' in english
    assert _diff(repo, "--format", "json", "--lang", "vi") == english
    assert _diff(vi_repo, "--format", "json") == english
    history = _history(repo, "NV-01", "--format", "json")
    assert _history(repo, "NV-01", "--format", "json", "--lang", "vi") == history
    assert '"date": "2025-06-10T09:00:00+00:00"' in history


def test_lang_of_the_configuration_is_the_default(repo: GitRepo, vi_repo: GitRepo) -> None:
    assert _diff(vi_repo) == _diff(repo, "--lang", "vi")
    assert _diff(vi_repo, "--lang", "en") == _diff(repo)
    assert _diff(vi_repo, "--format", "markdown") == _diff(repo, "--format", "markdown",
                                                           "--lang", "vi")
    assert _history(vi_repo, "NV-02") .startswith("chuyen-doi-so/NV-02 trong ")
    assert _history(vi_repo, "NV-02", "--lang", "en").startswith("chuyen-doi-so/NV-02 in ")


def test_history_speaks_vietnamese(repo: GitRepo) -> None:
    out = _history(repo, "NV-01", "--lang", "vi")
    first, second = _shas(repo)[::-1]
    assert out == (
        "chuyen-doi-so/NV-01 trong plans/chuyen-doi-so.yaml\n"
        f"05/03/2025  {first}  t: lập kế hoạch\n"
        "    tạo mới: thời hạn 30/6/2025, trạng thái chưa bắt đầu, tiến độ không có, "
        "cơ quan chủ trì so-tnmt\n"
        f"10/06/2025  {second}  t: cập nhật kế hoạch\n"
        "    thời hạn: 30/6/2025 → 30/9/2025 (+92 ngày, có điều chỉnh thời hạn được phê duyệt)\n")
    english = _history(repo, "NV-01")
    assert "    deadline 2025-06-30 -> 2025-09-30 (+92 days, approved extension)\n" in english
    assert english.startswith("chuyen-doi-so/NV-01 in plans/chuyen-doi-so.yaml\n2025-03-05  ")
    for task in ("NV-01", "NV-02", "NV-04", "NV-05", "NV-06"):
        said = _history(repo, task, "--lang", "vi")
        assert english_in(said, [*IDENTIFIERS, *_shas(repo)]) == [], task
    assert "    đã hoàn thành (trước đó: đang thực hiện)\n    completed: bổ sung 3/6/2025\n" in (
        _history(repo, "NV-04", "--lang", "vi"))
    assert "tạo mới: thời hạn Quý II/2025, trạng thái chưa bắt đầu" in _history(
        repo, "NV-02", "--lang", "vi")


def test_items_added_whole_name_their_fields_in_vietnamese() -> None:
    words = Words("vi")
    extension = Change("extension", "NV-01", None,
                       "due 2025-09-30, approved 2025-06-05, ref 15/QĐ-UBND, reason Chậm vốn",
                       field="extensions[2025-06-05]")
    line = describe_in(extension, words)
    assert "".join(line) == ("extensions[2025-06-05]: bổ sung thời hạn 30/9/2025, ngày phê "
                             "duyệt 5/6/2025, văn bản 15/QĐ-UBND, lý do Chậm vốn")
    rewritten = Change("history", "NV-01", "2025-Q3", "2025-Q4", field="extensions[2025-04-01].due")
    assert "".join(describe_in(rewritten, words)) == (
        "SỬA DỮ LIỆU ĐÃ GHI: extensions[2025-04-01].due: Quý III/2025 → Quý IV/2025")


def test_a_key_a_code_span_cannot_hold_is_escaped_as_text() -> None:
    hostile = Change("target", "NV-01", "10%", "40%", field="targets[a`b|c].actual")
    view = DiffView(PlansDiff([PlanDiff("p", "T", "changed", "a.yaml", "a.yaml", [hostile])]),
                    lang="vi")
    out = render_markdown(view)
    row = next(line for line in out.splitlines() if line.startswith("| NV-01"))
    assert row.count("|") == 3 and "`" not in row
    assert "targets&#91;a&#96;b&#124;c&#93;.actual: 10% → 40%" in row
