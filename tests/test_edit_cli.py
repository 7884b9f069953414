"""The edit commands as a clerk runs them, and the guarantees of the write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.cli import app
from plantrack.edit.atomic import PAUSE_ENV, StaleFileError, read_snapshot, write_atomic
from tests.conftest import WritePlan

NOW = "2025-06-25T09:00:00+07:00"
TASKS = """\
- id: T-01
  title: Lập kế hoạch
  owner: dost
  due: 2025-07
  hard: true
"""


@pytest.fixture
def plan(write_plan: WritePlan, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_plan(TASKS)
    monkeypatch.chdir(path.parent.parent)
    monkeypatch.setenv("PLANTRACK_NOW", NOW)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_update_by_plan_id_writes_the_file(plan: Path) -> None:
    code, out, err = run("update", "example-2025/T-01", "--progress", "30", "--note", "đã họp")
    assert (code, err) == (0, "")
    assert "T-01: update recorded" in out
    text = plan.read_text(encoding="utf-8")
    assert "    progress: 30\n    updates:\n      - {date: 2025-06-25, progress: 30, " \
           "note: đã họp}\n" in text


def test_day_first_dates_and_a_plan_path(plan: Path) -> None:
    code, _, err = run("done", f"{plan}/T-01", "--on", "30/6/2025")
    assert (code, err) == (0, "")
    assert "completed: 2025-06-30" in plan.read_text(encoding="utf-8")


def test_dry_run_prints_the_diff_and_writes_nothing(plan: Path) -> None:
    before = plan.read_bytes()
    code, out, _ = run("cancel", "example-2025/T-01", "--reason", "gộp", "--dry-run")
    assert code == 0
    assert out.startswith("--- a/")
    assert "+    status: cancelled\n" in out
    assert plan.read_bytes() == before


def test_hard_deadline_is_refused_without_force(plan: Path) -> None:
    before = plan.read_bytes()
    code, _, err = run("extend", "example-2025/T-01", "--to", "2025-09", "--approved", "today")
    assert code == 2
    assert "hard deadline" in err
    assert plan.read_bytes() == before
    code, _, _ = run("extend", "example-2025/T-01", "--to", "30/9/2025", "--approved", "today",
                     "--force", "--ref", "12/QĐ-UBND")
    assert code == 0
    assert "{due: 2025-09-30, approved: 2025-06-25, ref: 12/QĐ-UBND}" in plan.read_text(
        encoding="utf-8")


def test_an_edit_that_breaks_the_plan_is_refused(plan: Path) -> None:
    before = plan.read_bytes()
    code, _, err = run("add", "example-2025", "--title", "X", "--owner", "dost", "--due",
                       "2025", "--id", "T 9")
    assert code == 1
    assert "[bad-id]" in err and "left untouched" in err
    assert plan.read_bytes() == before
    code, _, err = run("add", "example-2025", "--title", "X", "--owner", "nobody", "--due",
                       "2025")
    assert code == 2 and "no owner 'nobody'" in err
    assert plan.read_bytes() == before


def test_add_and_measure(plan: Path) -> None:
    code, out, _ = run("add", "example-2025", "--title", "Số hóa", "--owner", "dost", "--due",
                       "2025-Q4", "--tag", "data")
    assert (code, out.strip()) == (0, f"plans{os.sep}example-2025.yaml: T-02: added")
    targets = "    targets:\n      - {metric: hồ sơ, target: 90%}\n"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "    tags: [data]\n", "    tags: [data]\n" + targets), encoding="utf-8")
    code, _, err = run("measure", "example-2025/T-02", "hồ sơ", "45%")
    assert (code, err) == (0, "")
    assert "{metric: hồ sơ, target: 90%, actual: 45%, measured: 2025-06-25}" in plan.read_text(
        encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["update", "example-2025/T-99", "--progress", "5"], "no task 'T-99'"),
    (["update", "nope/T-01"], "no plan 'nope'"),
    (["update", "T-01"], "records nothing"),  # a bare id names the task one plan has
    (["update", "T-99", "--note", "x"], "no task 'T-99' in any plan"),
    (["update", "example-2025/T-01", "--date", "31/2/2025"], "not a real date"),
    (["update", "example-2025/T-01", "--progress", "120"], "0 to 100"),
    (["update", "example-2025/T-01", "--status", "finished"], "not a status"),
])
def test_bad_input_is_one_line_and_exit_2(plan: Path, args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and err.startswith("plantrack: error: ")


def test_symlink_is_followed_and_mode_kept(plan: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_bytes(plan.read_bytes())
    os.chmod(real, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    code, _, _ = run("update", f"{link}/T-01", "--progress", "5")
    assert code == 0
    assert link.is_symlink()
    assert "progress: 5" in real.read_text(encoding="utf-8")
    assert (real.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_changed_since_it_was_read_is_not_overwritten(plan: Path) -> None:
    snapshot = read_snapshot(plan)
    plan.write_text(plan.read_text(encoding="utf-8") + "# edited meanwhile\n", encoding="utf-8")
    changed = plan.read_bytes()
    with pytest.raises(StaleFileError):
        write_atomic(snapshot, b"plantrack: 1\n")
    assert plan.read_bytes() == changed


def test_killed_mid_write_leaves_the_original_intact(plan: Path, tmp_path: Path) -> None:
    before = plan.read_bytes()
    signal_file = tmp_path / "paused"
    env = {**os.environ, PAUSE_ENV: str(signal_file), "PLANTRACK_NO_CACHE": "1"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "plantrack"), "update", "example-2025/T-01",
         "--progress", "50"], cwd=plan.parent.parent, env=env)
    try:
        deadline = time.monotonic() + 30
        while not signal_file.exists():
            assert process.poll() is None, "the command ended before pausing"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        temps = list(plan.parent.glob(f".{plan.name}.*.tmp"))
        assert len(temps) == 1 and b"progress: 50" in temps[0].read_bytes()
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(10)
    assert plan.read_bytes() == before


def test_installed_entry_point_runs_an_update(plan: Path) -> None:
    env = {**os.environ, "PLANTRACK_NO_CACHE": "1"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "plantrack"), "update", "example-2025/T-01",
         "--status", "in_progress"], cwd=plan.parent.parent, env=env, capture_output=True,
        text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "    status: in_progress\n" in plan.read_text(encoding="utf-8")
