"""`plantrack history PLAN/ID`: a task's changes commit by commit, through renames."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.cli import app
from plantrack.git.history import Step, read_history
from tests.conftest import plan_text
from tests.gitrepo import GitRepo

runner = CliRunner()
EXTENDED = dt.datetime(2025, 6, 21, 9, 0, tzinfo=dt.UTC)  # the day after the approval

TASK = """
- id: T-1
  title: Digitize land data
  owner: {owner}
  due: {due}
  status: {status}
{extra}
- id: T-2
  title: Other
  owner: dost
  due: 2025-12
"""


def _task(owner: str = "dost", due: str = "2025-06", status: str = "planned",
          extra: str = "") -> str:
    return TASK.format(owner=owner, due=due, status=status, extra=extra)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/land.yaml", plan_text(_task(), "land"))
    repo.commit("add the land plan")
    repo.write("plans/land.yaml", "# only a comment\n" + plan_text(_task(), "land"))
    repo.commit("comment only")
    repo.write("plans/land.yaml", plan_text(_task(status="in_progress", extra="  progress: 30"),
                                            "land"))
    repo.commit("start work")
    repo.git("mv", "plans/land.yaml", "plans/land-2025.yaml")
    repo.commit("rename the file")
    repo.write("plans/land-2025.yaml", plan_text(_task(
        owner="ppc-office", status="in_progress",
        extra="  progress: 50\n  extensions:\n    - {due: 2025-09, approved: 2025-06-20}"),
        "land"))
    repo.commit("extend and reassign", when=EXTENDED)
    return repo


def test_history_lists_only_commits_that_changed_the_task(repo: GitRepo) -> None:
    path, steps = read_history(repo.root, "land", "T-1")
    assert path == "plans/land-2025.yaml"
    assert [(s.commit.subject, s.event) for s in steps] == [
        ("add the land plan", "created"), ("start work", "changed"),
        ("extend and reassign", "changed")]
    def seen(step: Step) -> list[tuple[str, object, object]]:
        return [(c.field or c.kind, c.old, c.new) for c in step.changes]

    assert seen(steps[1]) == [("status", "planned", "in_progress"), ("progress", None, 30)]
    # the deadline in force, and the extension that moved it, are one entry
    assert seen(steps[2]) == [("deadline", "2025-06", "2025-09"), ("owner", "dost", "ppc-office"),
                              ("progress", 30, 50)]
    assert steps[2].changes[0].covers == ("extensions[2025-06-20]",)
    assert steps[2].snapshot is not None and steps[2].snapshot.deadline == "2025-09"
    assert steps[0].commit.date.date().isoformat() == "2025-01-01"
    assert steps[0].commit.author == "t"


def test_history_cli_text_and_json(repo: GitRepo) -> None:
    cwd = os.getcwd()
    os.chdir(repo.root / "plans")  # from a subfolder of the repository too
    try:
        text = runner.invoke(app, ["history", "land/T-1"])
        as_json = runner.invoke(app, ["history", "land/T-1", "--format", "json"])
        missing = runner.invoke(app, ["history", "land/T-9"])
        no_plan = runner.invoke(app, ["history", "nope/T-1"])
        bad = runner.invoke(app, ["history", "land"])
    finally:
        os.chdir(cwd)
    assert text.exit_code == 0, text.output
    assert "2025-06-21  " in text.stdout and "t: extend and reassign" in text.stdout
    assert ("    deadline 2025-06 -> 2025-09 (+92 days, approved extension)\n"
            "    owner dost -> ppc-office\n    progress 30% -> 50%\n") in text.stdout
    records = json.loads(as_json.stdout)["history"]
    assert [r["event"] for r in records] == ["created", "changed", "changed"]
    assert records[-1]["path"] == "plans/land-2025.yaml"
    assert records[0]["path"] == "plans/land.yaml"
    assert (missing.exit_code, no_plan.exit_code, bad.exit_code) == (2, 2, 2)
    assert "never had a task 'T-9'" in missing.stderr
    assert "no plan with id 'nope'" in no_plan.stderr
    assert "PLAN-ID/TASK-ID" in bad.stderr


def test_task_removed_then_plan_deleted(repo: GitRepo) -> None:
    repo.write("plans/land-2025.yaml", plan_text(TASK.split("- id: T-2")[0].format(
        owner="dost", due="2025-06", status="planned", extra="").replace(
        "- id: T-1\n  title: Digitize land data", "- id: T-2\n  title: Other"), "land"))
    repo.commit("drop T-1")
    _, steps = read_history(repo.root, "land", "T-1")
    assert steps[-1].event == "removed"
    repo.remove("plans/land-2025.yaml")
    repo.commit("retire the plan")
    _, steps = read_history(repo.root, "land", "T-2", rev="HEAD~1")
    assert steps[0].event == "created"
