"""Edits under attack and under load: concurrent writers, odd files, signals, bad YAML."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plantrack.edit.atomic import PAUSE_ENV, lock_path
from plantrack.read.yamlread import read_yaml
from tests.conftest import TASK, WritePlan, plan_text
from tests.test_edit_cli import NOW, run

PLANTRACK = str(Path(sys.executable).parent / "plantrack")


def many_tasks(count: int) -> str:
    return "".join(TASK.format(id=f"T-{i:03d}", title=f"Nhiệm vụ {i}", due="2025-Q3")
                   for i in range(1, count + 1))


@pytest.fixture
def big(write_plan: WritePlan, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_plan(raw=plan_text(many_tasks(60)))
    monkeypatch.chdir(path.parent.parent)
    monkeypatch.setenv("PLANTRACK_NOW", NOW)
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "PLANTRACK_NO_CACHE": "1", "PLANTRACK_NOW": NOW}


def test_fifty_concurrent_updates_are_all_recorded(big: Path) -> None:
    processes = [subprocess.Popen(
        [PLANTRACK, "update", f"example-2025/T-{i:03d}", "--progress", str(i), "--note",
         f"báo cáo {i}"], cwd=big.parent.parent, env=_env(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE) for i in range(1, 51)]
    results = [(p.wait(300), p.stderr.read() if p.stderr else b"") for p in processes]
    for process in processes:
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    assert [code for code, _ in results] == [0] * 50, [err for _, err in results if err][:3]
    doc = read_yaml(big.read_bytes(), str(big))
    progress = {t["id"]: t.get("progress") for t in doc.data["tasks"]}
    assert all(progress[f"T-{i:03d}"] == i for i in range(1, 51))
    assert all(progress[f"T-{i:03d}"] is None for i in range(51, 61))
    assert run("validate", str(big))[0] == 0
    assert [p.name for p in big.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_an_edit_waits_for_the_lock(big: Path) -> None:
    from filelock import FileLock

    with FileLock(str(lock_path(big))):
        process = subprocess.Popen([PLANTRACK, "update", "example-2025/T-001", "--progress",
                                    "7"], cwd=big.parent.parent, env=_env())
        time.sleep(1.5)
        assert process.poll() is None, "the edit went ahead while the plan was locked"
        assert b"progress: 7" not in big.read_bytes()
    assert process.wait(60) == 0
    assert b"progress: 7" in big.read_bytes()


def test_a_symlinked_plan_is_edited_at_its_target(big: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "example-2025.yaml"
    real.parent.mkdir()
    big.rename(real)
    big.symlink_to(real)
    code, _, err = run("update", "example-2025/T-002", "--progress", "10")
    assert (code, err) == (0, "")
    assert big.is_symlink() and b"progress: 10" in real.read_bytes()


def test_a_hard_linked_plan_is_refused(big: Path, tmp_path: Path) -> None:
    other = tmp_path / "copy.yaml"
    os.link(big, other)
    before = big.read_bytes()
    code, _, err = run("update", "example-2025/T-002", "--progress", "10")
    assert code == 2 and "hard links" in err
    assert big.read_bytes() == before == other.read_bytes()


def test_a_read_only_plan_is_refused(big: Path) -> None:
    before = big.read_bytes()
    big.chmod(0o444)
    code, _, err = run("update", "example-2025/T-002", "--progress", "10")
    assert code == 2 and "read-only" in err
    assert big.read_bytes() == before


def test_mode_is_kept(big: Path) -> None:
    big.chmod(0o640)
    assert run("update", "example-2025/T-003", "--progress", "10")[0] == 0
    assert (big.stat().st_mode & 0o777) == 0o640


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_write_leaves_no_temporary_file(big: Path, tmp_path: Path,
                                                     sig: signal.Signals) -> None:
    before = big.read_bytes()
    paused = tmp_path / "paused"
    process = subprocess.Popen([PLANTRACK, "update", "example-2025/T-001", "--progress", "50"],
                               cwd=big.parent.parent, env={**_env(), PAUSE_ENV: str(paused)},
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not paused.exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(sig)
    code = process.wait(30)
    err = process.stderr.read() if process.stderr else b""
    if process.stderr:
        process.stderr.close()
    assert code in (128 + sig, 130) and b"Traceback" not in err
    assert big.read_bytes() == before
    assert [p.name for p in big.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_yaml_the_editor_cannot_read_is_exit_2(write_plan: WritePlan,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # A list at column 0 inside an indented task: the reader refuses it, located.
    raw = plan_text(many_tasks(2)) + "    updates:\n- {date: 2025-06-01, progress: 5}\n"
    path = write_plan(raw=raw)
    monkeypatch.chdir(path.parent.parent)
    before = path.read_bytes()
    for args in (["update", "example-2025/T-001", "--progress", "5"],
                 ["cancel", "example-2025/T-002", "--reason", "x"]):
        code, _, err = run(*args)
        assert code == 2 and "Traceback" not in err
        assert f"{path.name}:" in err.replace("plans/", "") and "validate" in err
    assert path.read_bytes() == before


def test_an_empty_title_is_refused(big: Path) -> None:
    before = big.read_bytes()
    for title in ("", "   "):
        code, _, err = run("add", "example-2025", "--title", title, "--owner", "dost",
                           "--due", "2025-Q4")
        assert code == 2 and "title" in err
    assert big.read_bytes() == before


def test_add_numbers_after_every_task_not_only_those_the_excerpt_holds(big: Path) -> None:
    code, out, _ = run("add", "example-2025", "--title", "Mới", "--owner", "dost", "--due",
                       "2025-Q4")
    assert code == 0 and "T-061: added" in out
    code, _, err = run("add", "example-2025", "--title", "Mới", "--owner", "dost", "--due",
                       "2025-Q4", "--id", "T-030")
    assert code == 2 and "already has a task T-030" in err


def test_an_unknown_task_names_the_close_one(big: Path) -> None:
    code, _, err = run("update", "example-2025/t-030", "--progress", "5")
    assert code == 2 and "did you mean T-030" in err


def test_dates_out_of_range_in_edits_are_exit_2(big: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    before = big.read_bytes()
    code, _, err = run("add", "example-2025", "--title", "x", "--owner", "dost", "--due",
                       "31/12/2201")
    assert code == 2 and "1900-2200" in err
    monkeypatch.setenv("PLANTRACK_NOW", "9999-12-31T23:00:00+00:00")
    code, _, err = run("update", "example-2025/T-002", "--progress", "3")
    assert code == 2 and "1900-2200" in err
    assert big.read_bytes() == before
