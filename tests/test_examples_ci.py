"""The CI examples in examples/ci/ run: their plantrack commands, in a real git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from plantrack.cli import app
from tests.conftest import REPO, plan_text
from tests.gitrepo import GitRepo

EXAMPLES = REPO / "examples" / "ci"
TASKS = """
- id: T-1
  title: Digitize land data
  owner: dost
  due: 2025-06
"""


def _commands(node: Any) -> list[str]:
    """Every `run:` / `script:` line of a workflow that calls plantrack."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script"):
                lines = value if isinstance(value, list) else str(value).splitlines()
                found += [str(line).strip() for line in lines
                          if str(line).strip().startswith("plantrack ")]
            else:
                found += _commands(value)
    elif isinstance(node, list):
        for item in node:
            found += _commands(item)
    return found


def _pr_repo(tmp_path: Path) -> tuple[GitRepo, str]:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/land.yaml", plan_text(TASKS, "land"))
    base = repo.commit("plan")
    repo.git("checkout", "-q", "-b", "pr")
    repo.write("plans/land.yaml", plan_text(TASKS.replace("2025-06", "2025-09"), "land"))
    repo.commit("move the deadline")
    return repo, base


def _run(command: str, repo: GitRepo, base: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANTRACK_NO_CACHE": "1", "PLANTRACK_NOW": "2025-06-30T12:00:00",
           "BASE_SHA": base, "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(["bash", "-c", command], cwd=repo.root, env=env, capture_output=True,
                          text=True, check=False)


def _has_report() -> bool:
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in
             app.registered_commands}
    return "report" in names


@pytest.mark.parametrize("workflow", ["github-actions.yml", "gitlab-ci.yml"])
def test_workflow_commands_run(workflow: str, tmp_path: Path) -> None:
    assert shutil.which("plantrack")
    commands = _commands(YAML(typ="safe").load((EXAMPLES / workflow).read_text()))
    assert any(c.startswith("plantrack validate") for c in commands)
    assert any(c.startswith("plantrack diff") for c in commands)
    repo, base = _pr_repo(tmp_path)
    for command in commands:
        if command.startswith("plantrack report") and not _has_report():
            continue  # exercised by test_weekly_report when `report` exists
        done = _run(command, repo, base)
        if command.startswith("plantrack diff"):
            # The moved deadline has no extension: the check fails, the comment is written.
            assert done.returncode == 1, done.stderr
            assert "[deadline-moved-unapproved]" in done.stderr
            comment = (repo.root / "plan-diff.md").read_text()
            assert "2025-06 -&gt; 2025-09" in comment and "<details>" in comment
        else:
            assert done.returncode == 0, (command, done.stdout, done.stderr)


def test_weekly_report(tmp_path: Path) -> None:
    if not _has_report():
        pytest.skip("the `report` command is not registered in plantrack.cli yet")
    commands = [c for c in _commands(YAML(typ="safe").load(
        (EXAMPLES / "github-actions.yml").read_text())) if c.startswith("plantrack report")]
    assert commands == ["plantrack report --format html --period week -o weekly-report.html"]
    repo, base = _pr_repo(tmp_path)
    done = _run(commands[0], repo, base)
    assert done.returncode == 0, done.stderr
    assert "<html" in (repo.root / "weekly-report.html").read_text().lower()


def test_validate_github_annotations_point_at_the_line(tmp_path: Path) -> None:
    repo, base = _pr_repo(tmp_path)
    bad = plan_text(TASKS.replace("due: 2025-06", "due: 2025-02-30"), "land")
    repo.write("plans/land.yaml", bad)
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if "2025-02-30" in text)
    done = _run("plantrack validate --format github", repo, base)
    assert done.returncode == 1
    annotations = [x for x in (done.stdout + done.stderr).splitlines() if x.startswith("::error")]
    assert annotations, done.stdout + done.stderr
    assert annotations[0].startswith(f"::error file=plans/land.yaml,line={line},col=10,")
