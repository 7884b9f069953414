"""Late corrections: updates dated in the previous period, committed after it closed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from plantrack.checks.loader import check_bytes, load
from plantrack.cli import app
from plantrack.domain.model import SourcedPlan
from plantrack.report.data import period_named
from plantrack.report.late import late_corrections, late_updates
from tests.gitrepo import GitRepo

VN = dt.timezone(dt.timedelta(hours=7))
HEAD = """\
plantrack: 1
id: late-2025
title: Late plan
issued: 2025-01-02
owners:
  dost: Sở Khoa học và Công nghệ
tasks:
  - id: L-1
    title: Digitize records
    owner: dost
    due: 2025-12-31
    updates:
"""


def _plan(*updates: str) -> str:
    return HEAD + "".join(f"      - {u}\n" for u in updates) if updates else \
        HEAD.replace("    updates:\n", "")


MAY = "{date: 2025-05-10, progress: 20, note: Survey done}"
JUNE_LATE = "{date: 2025-06-12, progress: 40, note: Half the records scanned}"
JULY = "{date: 2025-07-03, progress: 60}"


def _history(tmp_path: Path) -> GitRepo:
    """June (cut-off 14: 15/5-14/6) closes with the May update; the June 12 update is
    committed on June 20 (Vietnam time), after the period closed."""
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/late.yaml", _plan(MAY))
    repo.commit("May update", when=dt.datetime(2025, 5, 11, 9, tzinfo=VN))
    # 23:30 on the 14th in Vietnam is 16:30 UTC: still inside the period.
    repo.write("plans/late.yaml", _plan(MAY, "{date: 2025-06-14, progress: 30}"))
    repo.commit("on the last evening", when=dt.datetime(2025, 6, 14, 23, 30, tzinfo=VN))
    repo.write("plans/late.yaml", _plan(MAY, JUNE_LATE, "{date: 2025-06-14, progress: 30}"))
    repo.commit("late June update", when=dt.datetime(2025, 6, 20, 9, tzinfo=VN))
    repo.write("plans/late.yaml", _plan(MAY, JUNE_LATE, "{date: 2025-06-14, progress: 30}",
                                        JULY))
    repo.commit("July update", when=dt.datetime(2025, 7, 4, 9, tzinfo=VN))
    return repo


def test_an_update_committed_after_its_period_closed_is_a_late_correction(
        tmp_path: Path) -> None:
    repo = _history(tmp_path)
    plans = load([repo.root / "plans" / "late.yaml"]).plans
    july = period_named(dt.date(2025, 7, 10), "month", 14)
    late = late_corrections(plans, july)
    assert late.in_git and not late.shallow
    assert (late.previous.start, late.previous.end) == (dt.date(2025, 5, 15),
                                                        dt.date(2025, 6, 14))
    assert late.rev == repo.git("rev-parse", "HEAD~2").strip()
    assert [(r.date, r.progress, r.note) for r in late.rows] == [
        (dt.date(2025, 6, 12), 40, "Half the records scanned")]


def test_the_previous_periods_end_is_read_in_the_plans_timezone(tmp_path: Path) -> None:
    """The commit at 23:30 on the 14th, Vietnam time, was in hand when June closed, though
    it is already the 14th's afternoon in UTC and a day later in no zone it was not."""
    repo = _history(tmp_path)
    plans = load([repo.root / "plans" / "late.yaml"]).plans
    late = late_corrections(plans, period_named(dt.date(2025, 7, 1), "month", 14))
    assert dt.date(2025, 6, 14) not in [r.date for r in late.rows]


def test_no_late_corrections_outside_git_or_before_the_first_commit(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "late.yaml").write_text(_plan(MAY, JUNE_LATE), encoding="utf-8")
    plans = load([tmp_path / "plans" / "late.yaml"]).plans
    late = late_corrections(plans, period_named(dt.date(2025, 7, 1), "month", 14))
    assert not late.in_git and late.rows == []
    repo = _history(tmp_path / "h")
    plans = load([repo.root / "plans" / "late.yaml"]).plans
    early = late_corrections(plans, period_named(dt.date(2025, 5, 1), "month", 14))
    assert early.in_git and early.rev is None and early.rows == []


def _sourced(text: str) -> SourcedPlan:
    plan, problems, digest = check_bytes(text.encode(), "late.yaml")
    assert plan is not None, problems
    return SourcedPlan("late.yaml", plan, digest)


def test_an_update_written_twice_counts_once_more() -> None:
    then = [_sourced(_plan(MAY, JUNE_LATE))]
    now = [_sourced(_plan(MAY, JUNE_LATE, JUNE_LATE))]
    june = period_named(dt.date(2025, 6, 1), "month", 14)
    assert len(late_updates(now, then, june)) == 1
    assert late_updates(then, then, june) == []


def test_the_report_lists_late_corrections_in_both_languages(tmp_path: Path) -> None:
    repo = _history(tmp_path)
    runner = CliRunner()
    args = ["report", str(repo.root / "plans"), "--period", "month", "--cutoff-day", "14",
            "--as-of", "2025-07-20"]
    en = runner.invoke(app, args)
    assert en.exit_code == 0, en.output
    section = en.stdout.split("Late corrections to the previous period", 1)[1]
    assert "Half the records scanned" in section.split("## 4.")[0]
    vi = runner.invoke(app, [*args, "--lang", "vi", "--format", "html"])
    assert vi.exit_code == 0, vi.output
    assert "Cập nhật bổ sung kỳ trước" in vi.stdout
    # A month later nothing is late any more: July closed with everything in hand.
    later = runner.invoke(app, [*args[:-1], "2025-08-20"])
    assert "Late corrections" not in later.stdout
