"""The change policy of `diff --check`: each rule, and the head line it points at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plantrack.git import policy
from plantrack.git import repo as gitread
from plantrack.git.diff import compare
from plantrack.problems import Problem
from tests.conftest import plan_text
from tests.gitrepo import GitRepo

BASE = """
- id: A
  title: Hard one
  owner: dost
  due: 2025-06-30
  hard: true
- id: B
  title: Soft one
  owner: dost
  due: 2025-06-30
- id: C
  title: Done one
  owner: dost
  due: 2025-03
  status: done
  completed: 2025-03-10
- id: D
  title: Doomed
  owner: dost
  due: 2025-07
"""


JUDGED = dt.date(2025, 7, 1)  # the head commit's day: every approval in these tests is past


def _check(tmp_path: Path, head: str, base: str = BASE, day: dt.date = JUDGED
           ) -> list[Problem]:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/p.yaml", plan_text(base, "p"))
    repo.commit("base")
    repo.write("plans/p.yaml", plan_text(head, "p"))
    repo.commit("head")
    before = gitread.plans_at(repo.root, "HEAD~1")
    after = gitread.plans_at(repo.root, "HEAD")
    return policy.check(compare(before, after, lambda _: day), after.marks)


def _line_of(text: str, needle: str) -> int:
    """1-based line of `needle` in the plan file built from `text`."""
    lines = plan_text(text, "p").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_unchanged_plan_passes(tmp_path: Path) -> None:
    assert _check(tmp_path, BASE) == []


def test_hard_deadline_moved_even_with_an_extension(tmp_path: Path) -> None:
    head = BASE.replace("  hard: true", "  hard: true\n  extensions:\n"
                        "    - {due: 2025-08-31, approved: 2025-06-01}")
    [problem] = _check(tmp_path, head)
    assert problem.code == "hard-deadline-moved"
    assert (problem.path, problem.line) == ("plans/p.yaml", _line_of(head, "2025-08-31"))
    assert "2025-06-30 to 2025-08-31" in problem.message


def test_moving_hard_earlier_is_still_moving_it(tmp_path: Path) -> None:
    head = BASE.replace("due: 2025-06-30\n  hard", "due: 2025-06-01\n  hard")
    assert [p.code for p in _check(tmp_path, head)] == ["hard-deadline-moved"]


def test_later_without_extension_is_an_error_earlier_is_not(tmp_path: Path) -> None:
    later = BASE.replace("due: 2025-06-30\n- id: C", "due: 2025-07-15\n- id: C")
    [problem] = _check(tmp_path / "later", later)
    assert problem.code == "deadline-moved-unapproved"
    assert (problem.line, problem.col) == (_line_of(later, "2025-07-15"), 10)
    earlier = BASE.replace("due: 2025-06-30\n- id: C", "due: 2025-06-15\n- id: C")
    assert [(p.code, p.severity) for p in _check(tmp_path / "earlier", earlier)] == [
        ("deadline-moved-earlier", "warning")]
    extended = BASE.replace("due: 2025-06-30\n- id: C", "due: 2025-06-30\n  extensions:\n"
                            "    - {due: 2025-07-15, approved: 2025-06-20}\n- id: C")
    assert _check(tmp_path / "extended", extended) == []
    ongoing = BASE.replace("due: 2025-06-30\n- id: C", "due: ongoing\n- id: C")
    assert [p.code for p in _check(tmp_path / "ongoing", ongoing)] == [
        "deadline-moved-unapproved"]


def test_deleted_task_points_at_its_neighbour_or_the_tasks_key(tmp_path: Path) -> None:
    head = BASE.split("- id: D")[0]
    [problem] = _check(tmp_path / "last", head)
    assert problem.code == "task-deleted" and "task D" in problem.message
    assert problem.line == _line_of(head, "- id: C")  # the task before it
    middle = BASE.replace("- id: B\n  title: Soft one\n  owner: dost\n  due: 2025-06-30\n", "")
    [problem] = _check(tmp_path / "middle", middle)
    assert problem.line == _line_of(middle, "- id: C")  # the task after it
    [only] = _check(tmp_path / "only", "", "- id: X\n  title: x\n  owner: dost\n  due: 2025\n")
    assert (only.line, only.col) == (_line_of("", "tasks:"), 1)
    cancelled = BASE.replace("due: 2025-07", "due: 2025-07\n  status: cancelled")
    assert _check(tmp_path / "cancelled", cancelled) == []


@pytest.mark.parametrize(("update", "codes"), [
    ("", ["reopened-without-note"]),
    ("  updates:\n    - {date: 2025-04-02, progress: 80}\n", ["reopened-without-note"]),
    ("  updates:\n    - {date: 2025-04-02, note: acceptance failed}\n", []),
    ("  notes: reopened after the audit\n", []),
])
def test_reopened_needs_a_note(tmp_path: Path, update: str, codes: list[str]) -> None:
    head = BASE.replace("  status: done\n  completed: 2025-03-10\n",
                        "  status: in_progress\n" + update)
    problems = _check(tmp_path, head)
    assert [p.code for p in problems] == codes
    if problems:
        assert problems[0].line == _line_of(head, "status: in_progress")


def test_deleting_a_plan_file_is_deleting_its_tasks(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/p.yaml", plan_text(BASE, "p"))
    repo.write("plans/q.yaml", plan_text("", "q"))
    repo.commit("base")
    (repo.root / "plans" / "p.yaml").unlink()
    (repo.root / "plans" / "q.yaml").unlink()
    repo.write("plans/r.yaml", plan_text("", "r"))
    repo.commit("head")
    before = gitread.plans_at(repo.root, "HEAD~1")
    after = gitread.plans_at(repo.root, "HEAD")
    [problem] = policy.check(compare(before, after, lambda _: JUDGED), after.marks)
    assert (problem.path, problem.line, problem.code) == ("plans/p.yaml", 0, "plan-deleted")
    assert "3 open task(s)" in problem.message  # C was done


def test_retiring_a_finished_plan_is_allowed(tmp_path: Path) -> None:
    finished = "- id: Z\n  title: z\n  owner: dost\n  due: 2025\n  status: cancelled\n"
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/p.yaml", plan_text(finished, "p"))
    repo.write("plans/keep.yaml", plan_text("", "keep"))
    repo.commit("base")
    (repo.root / "plans" / "p.yaml").unlink()
    repo.commit("head")
    before = gitread.plans_at(repo.root, "HEAD~1")
    after = gitread.plans_at(repo.root, "HEAD")
    assert policy.check(compare(before, after, lambda _: JUDGED), after.marks) == []
