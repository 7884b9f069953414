"""`plantrack site` on a real git repository with a year of weekly history."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.cli import app
from tests.gitrepo import GitRepo
from tests.sitefixture import extend, make_repo

MONTHLY = ["--period", "month", "--cutoff-day", "14"]
AS_OF = "2025-12-20"


def _site(repo: GitRepo, out: Path, *extra: str, as_of: str = AS_OF
          ) -> subprocess.CompletedProcess[str]:
    """The installed command, run in the repository as CI runs it."""
    exe = Path(sys.executable).with_name("plantrack")
    return subprocess.run([str(exe), "site", "-o", str(out), *MONTHLY, "--as-of", as_of,
                           *extra, "plans"], cwd=repo.root, capture_output=True, text=True,
                          check=False, env={**os.environ, "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    return make_repo(tmp_path_factory.mktemp("site") / "repo")


@pytest.fixture(scope="module")
def built(history: GitRepo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "site"
    done = _site(history, out, "--lang", "vi")
    assert done.returncode == 0, done.stderr
    return out


def _manifest(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / "archive" / "manifest.json").read_text())
    return data


def _worktree(repo: GitRepo, rev: str, where: Path) -> Path:
    if not where.exists():
        repo.git("worktree", "add", "--detach", str(where), rev)
    return where


def test_every_closed_period_is_archived_from_its_snapshot(built: Path) -> None:
    periods = _manifest(built)["periods"]
    assert isinstance(periods, list)
    # The first commit is on 6 January 2025 (month 1: 15/12/2024-14/1/2025); as of
    # 20 December the last closed month is 12 (15/11-14/12).
    assert [p["key"] for p in periods] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert periods[5]["start"] == "2025-05-15" and periods[5]["end"] == "2025-06-14"
    for period in periods:
        folder = built / "archive" / period["key"]
        assert sorted(period["files"]) == ["report.html", "report.md"]
        for name, digest in period["files"].items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("key", ["2025-03", "2025-07", "2025-12"])
def test_an_archived_report_is_report_as_of_its_end_on_a_checkout_of_its_commit(
        history: GitRepo, built: Path, key: str, tmp_path: Path) -> None:
    entry = next(p for p in _manifest(built)["periods"] if p["key"] == key)  # type: ignore[union-attr]
    tree = _worktree(history, entry["rev"], tmp_path / key)
    for fmt, name in (("html", "report.html"), ("md", "report.md")):
        done = CliRunner().invoke(app, ["report", str(tree / "plans"), *MONTHLY, "--lang", "vi",
                                        "--format", fmt, "--as-of", entry["end"]])
        assert done.exit_code == 0, done.output
        assert done.stdout == (built / "archive" / key / name).read_text(encoding="utf-8")


def test_the_snapshot_is_the_last_commit_by_the_periods_end_in_vietnam_time(
        history: GitRepo, built: Path) -> None:
    """The commit at 23:30 on 14 April (Vietnam time, 16:30 UTC) closes April."""
    april = next(p for p in _manifest(built)["periods"] if p["key"] == "2025-04")  # type: ignore[union-attr]
    subject = history.git("log", "-1", "--format=%s", april["rev"]).strip()
    assert subject == "Cập nhật tuần 14"


def test_trend_figures_are_status_as_of_each_periods_end_on_its_snapshot(
        history: GitRepo, built: Path, tmp_path: Path) -> None:
    for entry in _manifest(built)["periods"][::3]:  # type: ignore[index]
        tree = _worktree(history, entry["rev"], tmp_path / entry["key"])
        done = CliRunner().invoke(app, ["status", str(tree / "plans"), "--format", "json",
                                        "--as-of", entry["end"]])
        total = json.loads(done.stdout)["total"]
        counted = {state: n for state, n in total.items()
                   if state not in ("total", "on_time_share", "most_days_overdue") and n}
        assert entry["states"] == counted


def test_a_late_update_is_a_correction_in_the_next_periods_report(built: Path) -> None:
    july = (built / "archive" / "2025-07" / "report.md").read_text(encoding="utf-8")
    section = july.split("Cập nhật bổ sung kỳ trước", 1)[1].split("\n## ", 1)[0]
    assert "Bổ sung số liệu tháng 6" in section
    june = (built / "archive" / "2025-06" / "report.md").read_text(encoding="utf-8")
    assert "Bổ sung số liệu tháng 6" not in june


def test_a_second_run_keeps_every_published_period_byte_for_byte(
        tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", weeks=30)
    out = tmp_path / "site"
    first = _site(repo, out, "--lang", "vi", "--docx", as_of="2025-07-20")
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(out): p.read_bytes() for p in (out / "archive").rglob("report.*")}
    stamps = {p: (out / p).stat().st_mtime_ns for p in before}
    for week in range(30, 36):
        extend(repo, week)
    second = _site(repo, out, "--lang", "vi", "--docx", as_of="2025-08-20")
    assert second.returncode == 0, second.stderr
    after = {p.relative_to(out): p.read_bytes() for p in (out / "archive").rglob("report.*")}
    assert {p: after[p] for p in before} == before
    assert {p: (out / p).stat().st_mtime_ns for p in before} == stamps  # not even rewritten
    assert sorted(set(after) - set(before)) == [
        Path("archive/2025-08/report.docx"), Path("archive/2025-08/report.html"),
        Path("archive/2025-08/report.md")]
    assert "1 period(s) published" in second.stderr


def test_an_archive_made_with_other_settings_is_refused(history: GitRepo, built: Path,
                                                        tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    (copy / "archive").mkdir(parents=True)
    (copy / "archive" / "manifest.json").write_bytes(
        (built / "archive" / "manifest.json").read_bytes())
    done = _site(history, copy, "--lang", "en")
    assert done.returncode == 2
    assert "--period month --cutoff-day 14 --lang vi" in done.stderr
    assert "Traceback" not in done.stderr
    (copy / "archive" / "manifest.json").write_text("{not json", encoding="utf-8")
    done = _site(history, copy, "--lang", "vi")
    assert done.returncode == 2 and "manifest.json: not valid JSON" in done.stderr


def test_plans_outside_git_or_in_a_shallow_clone_are_refused(history: GitRepo,
                                                            tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    (bare / "plans").mkdir(parents=True)
    for plan in (history.root / "plans").iterdir():
        (bare / "plans" / plan.name).write_bytes(plan.read_bytes())
    exe = Path(sys.executable).with_name("plantrack")
    done = subprocess.run([str(exe), "site", "-o", str(tmp_path / "o"), "plans"], cwd=bare,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "not in a git repository" in done.stderr
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history.root}",
                    str(shallow)], check=True, capture_output=True)
    done = subprocess.run([str(exe), "site", "-o", str(tmp_path / "o2"), "plans"],
                          cwd=shallow, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "shallow" in done.stderr and "fetch-depth: 0" in done.stderr


def test_owners_with_the_same_name_share_a_page_with_its_calendar(
        history: GitRepo, built: Path, tmp_path: Path) -> None:
    from icalendar import Calendar

    pages = sorted(p.name for p in (built / "owners").glob("*.html"))
    assert pages.count("so-khoa-hoc-va-cong-nghe.html") == 1
    page = (built / "owners" / "so-khoa-hoc-va-cong-nghe.html").read_text(encoding="utf-8")
    assert "HN-1" in page and "HD-1" in page  # tasks of both plans
    # In March the unit's tasks are open in both plans: its calendar has both.
    done = _site(history, tmp_path / "march", "--lang", "vi", as_of="2025-03-20")
    assert done.returncode == 0, done.stderr
    calendar = Calendar.from_ical(
        (tmp_path / "march" / "owners" / "so-khoa-hoc-va-cong-nghe.ics").read_bytes())
    uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
    assert any(u.startswith("hn-2025/") for u in uids), uids
    assert any(u.startswith("hd-2025/") for u in uids), uids


def test_a_task_page_shows_its_deadline_history_updates_and_commits(built: Path) -> None:
    page = (built / "tasks" / "hn-2025" / "hn-3.html").read_text(encoding="utf-8")
    assert "123/QĐ-UBND" in page  # the extension
    log = json.loads((built / "data" / "task-history.json").read_text(encoding="utf-8"))
    events = log["events"]["hn-2025/HN-3"]
    assert events[0][4] == "created" and events[0][3] == "Cập nhật tuần 0"
    assert all(e[0][:10] in page for e in events)
    removed = log["events"]["hd-2025/HD-4"]
    assert removed[-1][4] == "removed" and removed[-1][3] == "Cập nhật tuần 36"
    assert not (built / "tasks" / "hd-2025" / "hd-4.html").exists()


def test_links_are_relative_and_nothing_is_fetched(built: Path) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for marker in ('src="http', "src='http", 'href="http', "href='http", 'href="/',
                       'src="/', "url(http", "@import"):
            assert marker not in text, (page, marker)


def test_before_any_period_closed_the_site_has_pages_and_an_empty_archive(
        history: GitRepo, tmp_path: Path) -> None:
    done = _site(history, tmp_path / "early", as_of="2025-01-10")
    assert done.returncode == 0, done.stderr
    assert _manifest(tmp_path / "early")["periods"] == []
    assert (tmp_path / "early" / "index.html").is_file()


TAGGED = """\
plantrack: 1
id: p
title: Plan
issued: 2025-01-01
owners: {a: Unit A, b: Unit B, c: Unit C, d: Unit D}
tasks:
  - {id: T-1, title: Task, owner: a, with: [b, c, d], due: 2025-12-31,
     tags: [so-hoa, du-lieu, dao-tao, ha-tang, an-ninh]}
"""
PRINT = ("import sys; from plantrack.checks.loader import check_bytes; "
         "from plantrack.site.tasklog import fingerprint; "
         "plan = check_bytes(sys.stdin.buffer.read(), 'p.yaml', False)[0]; "
         "print(fingerprint(plan, plan.tasks[0]))")


def test_a_tasks_fingerprint_is_the_same_in_every_process() -> None:
    """Sets of tags and units print in an order each process's string hashing picks; the
    log compares prints across runs, so an unchanged task must print the same."""
    prints = {subprocess.run([sys.executable, "-c", PRINT], input=TAGGED.encode(),
                             capture_output=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout
              for seed in ("1", "2", "3", "4")}
    assert len(prints) == 1 and prints != {b""}, prints


def test_a_rerun_rewrites_only_the_pages_whose_bytes_changed(
        history: GitRepo, built: Path, tmp_path: Path) -> None:
    """A page already on disk as it would be written keeps its file (inode, mtime); one that
    differs, here cut short as by a crash, is replaced whole."""
    import shutil

    out = tmp_path / "site"
    shutil.copytree(built, out)
    cut = out / "tasks" / "hn-2025" / "hn-3.html"
    whole = cut.read_bytes()
    cut.write_bytes(whole[:100])
    pages = [p for p in out.rglob("*") if p.suffix in (".html", ".ics", ".css", ".js")
             and p != cut and "archive" not in p.parts]
    stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pages}
    done = _site(history, out, "--lang", "vi")
    assert done.returncode == 0, done.stderr
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pages} == stamps
    assert cut.read_bytes() == whole
    assert "1 written" in done.stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
