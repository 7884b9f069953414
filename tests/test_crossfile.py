"""Checks across plan files: duplicate plan ids, dependencies on other plans' tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack.checks.loader import load
from tests.conftest import plan_text

TASKS = "- id: T-1\n  title: First\n  owner: dost\n  due: 2025-07\n"
DEPENDENT = TASKS + ("- id: T-2\n  title: Second\n  owner: dost\n  due: 2025-08\n"
                     "  depends_on:\n"
                     "    - other-2025/T-1\n"  # line 18: exists
                     "    - other-2025/T-9\n"  # line 19: no such task
                     "    - missing-2025/T-1\n"  # line 20: a plan not read
                     "    - other-2025/\n"  # line 21: no task named: not a reference
                     "    - T-1\n")  # line 22: within the plan


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("keep_plans", [True, False])
def test_dependencies_on_other_plans(tmp_path: Path, keep_plans: bool) -> None:
    main = write(tmp_path, "main-2025.yaml", plan_text(DEPENDENT, "main-2025"))
    other = write(tmp_path, "other-2025.yaml", plan_text(TASKS, "other-2025"))
    loaded = load([main, other], keep_plans=keep_plans)
    found = [(p.path, p.line, p.severity, p.code) for p in loaded.problems]
    assert found == [(str(main), 19, "error", "unknown-dependency"),
                     (str(main), 20, "warning", "unknown-plan")]
    assert loaded.task_count == 3 and loaded.files_read == [str(main), str(other)]
    assert len(loaded.plans) == (2 if keep_plans else 0)


def test_duplicate_plan_id_points_at_the_second_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", plan_text(TASKS, "same-2025"))
    second = write(tmp_path, "b.yaml", plan_text(TASKS, "same-2025"))
    duplicate = [p for p in load([first, second]).problems if p.code == "duplicate-plan"]
    assert [(p.path, p.line) for p in duplicate] == [(str(second), 2)]
    assert str(first) in duplicate[0].message
