"""The cache of parsed plans: correct after any change, shared safely, never in the way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import plantrack
from plantrack.checks.loader import load
from plantrack.read import cache
from tests.conftest import plan_text

TASKS = "- id: T-1\n  title: Digitize\n  owner: dost\n  due: 2025-07\n"


def entries(folder: Path) -> dict[Path, float]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(folder))
    return folder


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_second_read_comes_from_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    first = load([path])
    written = entries(cache_dir)
    assert len(written) == 1
    second = load([path])
    assert entries(cache_dir) == written  # read, not rewritten
    assert second.plans[0].plan == first.plans[0].plan


def test_one_byte_edit_is_seen(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    assert load([path]).plans[0].plan.tasks[0].due.text == "2025-07"  # type: ignore[union-attr]
    write(path, plan_text(TASKS.replace("2025-07", "2025-08")))
    assert load([path]).plans[0].plan.tasks[0].due.text == "2025-08"  # type: ignore[union-attr]
    assert len(entries(cache_dir)) == 2


def test_touch_without_change_is_a_hit(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    load([path])
    before = entries(cache_dir)
    os.utime(path, (1, 1))
    load([path])
    assert entries(cache_dir) == before


def test_problems_come_back_for_the_path_asked(tmp_path: Path, cache_dir: Path) -> None:
    text = plan_text(TASKS.replace("due:", "dedline:"))
    first = write(tmp_path / "a" / "example-2025.yaml", text)
    second = write(tmp_path / "b" / "example-2025.yaml", text)
    load([first])
    problems = load([second]).problems
    assert problems and all(p.path == str(second) for p in problems)


def test_file_name_is_part_of_the_key(tmp_path: Path, cache_dir: Path) -> None:
    text = plan_text(TASKS)
    good = write(tmp_path / "example-2025.yaml", text)
    other = write(tmp_path / "other.yaml", text)
    assert load([good]).problems == []
    assert [p.code for p in load([other]).problems] == ["id-mismatch"]


def test_corrupt_entries_are_ignored_and_rewritten(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    expected = load([path]).plans[0].plan
    for entry in entries(cache_dir):
        entry.write_bytes(b"\x80\x04garbage")
    assert load([path]).plans[0].plan == expected
    for entry in entries(cache_dir):
        entry.write_bytes(b"")
    assert load([path]).plans[0].plan == expected
    assert all(e.stat().st_size > 100 for e in entries(cache_dir))


def test_unwritable_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(blocker / "cache"))
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    assert load([path]).plans[0].plan.id == "example-2025"
    assert load([path]).problems == []


def test_disabled_cache_writes_nothing(tmp_path: Path, cache_dir: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_NO_CACHE", "1")
    load([write(tmp_path / "example-2025.yaml", plan_text(TASKS))])
    assert not cache_dir.exists()


def test_key_changes_with_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.entry_key("d" * 64, "plan")
    monkeypatch.setattr(plantrack, "__version__", "999")
    cache.code_fingerprint.cache_clear()
    try:
        assert cache.entry_key("d" * 64, "plan") != before
    finally:
        monkeypatch.undo()
        cache.code_fingerprint.cache_clear()
    assert cache.entry_key("d" * 64, "plan") == before


def test_two_processes_at_once(tmp_path: Path, cache_dir: Path) -> None:
    folder = tmp_path / "plans"
    for i in range(30):
        write(folder / f"plan-{i:02d}.yaml", plan_text(TASKS * 1, plan_id=f"plan-{i:02d}"))
    command = [sys.executable, "-m", "plantrack", "list", str(folder), "--as-of", "2025-06-30",
               "--format", "json"]
    env = {**os.environ, "PLANTRACK_CACHE_DIR": str(cache_dir)}
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert len({out for out, _ in outputs}) == 1
    assert len(json.loads(outputs[0][0])) == 30
    assert len(entries(cache_dir)) == 30
    assert not [p for p in cache_dir.rglob(".tmp-*")]
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.stdout == outputs[0][0]


def test_cached_plans_read_back_whole(cache_dir: Path) -> None:
    """Entries keep only fields that differ from their defaults; every field reads back."""
    import dataclasses

    from tests.conftest import SHIPPED_PLANS

    fresh = load(list(SHIPPED_PLANS), use_cache=False).plans
    load(list(SHIPPED_PLANS))
    cached = load(list(SHIPPED_PLANS)).plans
    assert entries(cache_dir)
    for before, after in zip(fresh, cached, strict=True):
        assert after.plan == before.plan
        for task_before, task_after in zip(before.plan.tasks, after.plan.tasks, strict=True):
            assert dataclasses.asdict(task_after) == dataclasses.asdict(task_before)
