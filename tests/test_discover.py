"""Which files a command reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack.problems import UsageError
from plantrack.read.discover import plan_files


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x: 1\n")
    return path


def test_folder_lists_plans_in_path_order_and_skips_hidden_and_other_files(tmp_path: Path
                                                                           ) -> None:
    for name in ["b.yaml", "a/z.yml", "a-b.yaml", "a/b/c.yaml", ".hidden.yaml",
                 ".git/x.yaml", "a/.cache/y.yaml", "notes.txt", "README.md"]:
        touch(tmp_path / name)
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    found = [p.relative_to(tmp_path).as_posix() for p in plan_files([str(tmp_path)])]
    assert found == ["a/b/c.yaml", "a/z.yml", "a-b.yaml", "b.yaml"]


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    plan = touch(tmp_path / "plans" / "a.yaml")
    (tmp_path / "link.yaml").symlink_to(plan)
    found = plan_files([str(tmp_path / "plans"), str(plan), str(tmp_path / "link.yaml")])
    assert found == [tmp_path / "plans" / "a.yaml"]


@pytest.mark.parametrize("name", ["missing", "empty"])
def test_nothing_to_read_is_a_usage_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError):
        plan_files([str(tmp_path / name)])
