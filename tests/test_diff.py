"""`plantrack diff`: what a change does to plans, read from real git repositories.

Golden files live under tests/golden/diff/; regenerate them with
`PLANTRACK_UPDATE_GOLDEN=1 python -m pytest -p no:cacheprovider tests/test_diff.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.cli import app
from plantrack.git import repo as gitread
from plantrack.git.diff import compare
from plantrack.views.diffview import md_escape
from tests.conftest import plan_text
from tests.gitrepo import GitRepo

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden" / "diff"
# The feature branch's commit: the day its diff is judged on, after T-1's extension approval.
JUDGED = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)

TASKS = """
- id: T-1
  title: Digitize land data
  owner: dost
  due: 2025-03-31
  progress: 10
  targets:
    - {metric: parcels, target: 100%, actual: 10%}
- id: T-2
  title: Open the data portal
  owner: dost
  with: [ppc-office]
  due: 2025-Q2
  hard: true
- id: T-3
  title: Train staff
  owner: ppc-office
  due: 2025-06
- id: T-4
  title: Publish the report
  owner: dost
  due: 2025-02-28
  status: done
  completed: 2025-02-20
- id: T-5
  title: Survey
  owner: dost
  due: 2025-05
"""

CHANGED = """
# A comment that changes nothing
- id: T-1
  title: Digitize land data
  owner: ppc-office
  due: 2025-03-31
  progress: 40
  targets:
    - {metric: parcels, target: 100%, actual: 40%}
  extensions:
    - {due: 2025-09-30, approved: 2025-03-20, ref: 12/QD}
- id: T-2
  title: Open the data portal
  owner: dost
  with: [ppc-office, finance]
  due: 2025-Q3
  hard: true
- id: T-3
  title: Train staff
  owner: ppc-office
  due: 2025-12
  status: cancelled
- id: T-4
  title: Publish the report
  owner: dost
  due: 2025-02-28
  status: in_progress
- id: T-6
  title: A new task
  owner: dost
  due: 2025-11
"""


def _invoke(repo: GitRepo, *args: str) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        result = runner.invoke(app, ["diff", *args])
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/land.yaml", plan_text(TASKS, "land"))
    repo.write("plans/old.yaml", plan_text(TASKS, "old"))
    repo.commit("initial plans")
    return repo


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PLANTRACK_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _branch_with_changes(repo: GitRepo) -> None:
    """A feature branch that edits `land`, renames `old` and adds `fresh`."""
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("plans/land.yaml", plan_text(CHANGED, "land"))
    repo.git("mv", "plans/old.yaml", "plans/renamed.yaml")
    repo.write("plans/fresh.yaml", plan_text(TASKS, "fresh"))
    repo.commit("change plans", when=JUDGED)


def test_compare_reports_each_kind_of_change(repo: GitRepo) -> None:
    _branch_with_changes(repo)
    base = gitread.plans_at(repo.root, "main")
    head = gitread.plans_at(repo.root, "feature")
    result = compare(base, head, lambda _: JUDGED.date())
    by_plan = {p.plan_id: p for p in result.plans}
    assert set(by_plan) == {"land", "fresh", "old"}
    # The renamed plan is listed for its rename alone, not as removed plus added.
    assert by_plan["old"].renamed and by_plan["old"].changes == []
    assert by_plan["old"].state == "changed"
    assert by_plan["fresh"].state == "added"
    kinds = {(c.task_id, c.kind) for c in by_plan["land"].changes}
    assert kinds == {
        ("T-1", "owner"), ("T-1", "progress"), ("T-1", "target"), ("T-1", "deadline"),
        ("T-2", "deadline"), ("T-2", "coordinators"), ("T-3", "cancelled"),
        ("T-3", "deadline"), ("T-4", "reopened"), ("T-4", "field"), ("T-5", "task_removed"),
        ("T-6", "task_added"),
    }
    t1 = next(c for c in by_plan["land"].changes if c.kind == "deadline" and c.task_id == "T-1")
    assert (t1.old, t1.new, t1.days, t1.extended, t1.later) == (
        "2025-03-31", "2025-09-30", 183, True, True)
    t2 = next(c for c in by_plan["land"].changes if c.kind == "deadline" and c.task_id == "T-2")
    assert (t2.days, t2.hard, t2.extended) == (92, True, False)


def test_rename_is_not_removed_and_added_and_shows_in_text(repo: GitRepo) -> None:
    repo.git("mv", "plans/old.yaml", "plans/renamed.yaml")
    repo.write("plans/renamed.yaml", plan_text(TASKS.replace("2025-06", "2025-05"), "old"))
    code, out, _ = _invoke(repo, "HEAD")
    assert code == 0
    assert "old: Example plan [changed] plans/renamed.yaml (renamed from plans/old.yaml)" in out
    assert "T-3  deadline 2025-06 -> 2025-05 (-30 days)" in out
    assert "removed" not in out.replace("renamed", "")


def test_reformatting_and_comments_make_no_entries(repo: GitRepo) -> None:
    text = (repo.root / "plans/land.yaml").read_text()
    reflowed = "# a new comment\n" + text.replace("due: 2025-Q2", "due: '2025-Q2'  # quoted")
    reflowed = reflowed.replace("  - id: T-3\n    title: Train staff",
                                "  - title: Train staff\n    id: T-3")
    repo.write("plans/land.yaml", reflowed)
    code, out, _ = _invoke(repo, "HEAD")
    assert (code, out) == (0, "No changes to plans.\n")


def test_defaults_compare_merge_base_with_the_working_tree(repo: GitRepo) -> None:
    _branch_with_changes(repo)
    repo.git("checkout", "-q", "main")
    repo.write("plans/other-on-main.yaml", plan_text(TASKS, "main-only"))
    repo.commit("main moves on")
    repo.git("checkout", "-q", "feature")
    repo.write("plans/fresh.yaml", plan_text(TASKS.replace("Survey", "Survey all"), "fresh"))
    code, out, _ = _invoke(repo)  # base: merge-base(main, HEAD); head: working tree
    assert code == 0
    assert "main-only" not in out  # the merge base predates main's later commit
    assert "fresh: Example plan [added]" in out
    assert "T-4  reopened: done -> in_progress, no note why" in out


def test_a_deleted_plan_is_reported_removed(repo: GitRepo) -> None:
    repo.remove("plans/old.yaml")
    repo.commit("retire old")
    code, out, err = _invoke(repo, "HEAD~1", "HEAD", "--check")
    assert "old: Example plan [removed] plans/old.yaml" in out
    assert code == 1 and "plans/old.yaml: error [plan-deleted]" in err  # its tasks were open


def test_check_exits_1_with_located_errors(repo: GitRepo) -> None:
    _branch_with_changes(repo)
    code, _, err = _invoke(repo, "main", "feature", "--check")
    assert code == 1
    codes = [line.split("[")[1].split("]")[0] for line in err.splitlines()
             if ": error [" in line]
    assert sorted(codes) == ["deadline-moved-unapproved", "hard-deadline-moved",
                             "reopened-without-note", "task-deleted"]


def test_markdown_golden_after_merge(repo: GitRepo) -> None:
    _branch_with_changes(repo)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    code, out, _ = _invoke(repo, "HEAD^1", "HEAD", "--format", "markdown")
    assert code == 0
    assert out.count("<details>") == out.count("</details>") == 3
    _golden("land.md", out)


def test_text_and_json_golden(repo: GitRepo) -> None:
    _branch_with_changes(repo)
    _, text, _ = _invoke(repo, "main", "feature")
    _golden("land.txt", text)
    _, raw, _ = _invoke(repo, "main", "feature", "--format", "json")
    data = json.loads(raw)
    land = next(p for p in data["plans"] if p["plan_id"] == "land")
    removed = next(c for c in land["changes"] if c["kind"] == "task_removed")
    assert removed["task_id"] == "T-5" and removed["title"] == "Survey"
    _golden("land.json", raw)


def test_markdown_escapes_plan_text(repo: GitRepo) -> None:
    hostile = TASKS.replace("title: Survey", "title: 'a | b <script>`x` \\| c'")
    repo.write("plans/land.yaml", plan_text(hostile, "land"))
    repo.commit("hostile title")
    repo.write("plans/land.yaml", plan_text(hostile.replace("due: 2025-05", "due: 2025-04"),
                                            "land"))
    _, out, _ = _invoke(repo, "HEAD", "--format", "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| T-5"))
    assert row.count("|") == 3  # the cell separators only
    assert "<script>" not in out and "`" not in row
    assert md_escape("a | b \\| <c> `d`") == "a &#124; b &#92;&#124; &lt;c&gt; &#96;d&#96;"


def test_paths_after_dashes_and_plans_option(repo: GitRepo) -> None:
    repo.write("plans/land.yaml", plan_text(TASKS.replace("2025-05", "2025-04"), "land"))
    repo.write("plans/old.yaml", plan_text(TASKS.replace("2025-05", "2025-04"), "old"))
    _, out, _ = _invoke(repo, "HEAD", "--", "plans/old.yaml")
    assert "old:" in out and "land:" not in out
    (repo.root / "elsewhere").mkdir()
    shutil.copy(repo.root / "plans/land.yaml", repo.root / "elsewhere/land.yaml")
    repo.commit("a second folder")
    repo.write("elsewhere/land.yaml", plan_text(TASKS, "land"))
    _, out, _ = _invoke(repo, "HEAD", "--plans", "elsewhere")
    assert "T-5  deadline 2025-04 -> 2025-05" in out and "old:" not in out


def test_a_head_that_does_not_parse_is_an_error_not_a_removal(repo: GitRepo) -> None:
    repo.write("plans/land.yaml", "plantrack: 1\nid: [broken\n")
    code, out, err = _invoke(repo, "HEAD")
    assert code == 1
    assert "removed" not in out
    assert "plans/land.yaml:" in err and "[yaml-syntax]" in err


def test_usage_errors_exit_2(repo: GitRepo, tmp_path: Path) -> None:
    code, _, err = _invoke(repo, "no-such-rev")
    assert code == 2 and "unknown revision 'no-such-rev'" in err
    code, _, err = _invoke(repo, "HEAD", "HEAD", "HEAD")
    assert code == 2 and "at most two revisions" in err
    outside = GitRepo(tmp_path / "not-a-repo")
    outside.root.mkdir()
    code, _, err = _invoke(outside)
    assert code == 2 and "not inside a git repository" in err
    empty = GitRepo.init(tmp_path / "empty")
    code, _, err = _invoke(empty)
    assert code == 2 and "unknown revision 'HEAD'" in err


def test_installed_entry_point(repo: GitRepo) -> None:
    _branch_with_changes(repo)
    exe = shutil.which("plantrack")
    assert exe is not None
    done = subprocess.run([exe, "diff", "main", "feature", "--check"], cwd=repo.root,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PLANTRACK_NO_CACHE": "1"})
    assert done.returncode == 1
    assert "plans/land.yaml:" in done.stderr and "[task-deleted]" in done.stderr
    assert "T-6  added: A new task" in done.stdout
