"""The pre-commit hook, run for real by `pre-commit try-repo` in a plan repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO, plan_text
from tests.gitrepo import GitRepo

GOOD = """
- id: T-1
  title: Digitize land data
  owner: dost
  due: 2025-06
"""


def test_hook_definition() -> None:
    [hook] = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "plantrack-validate"
    assert hook["files"] == r"^plans/.*\.ya?ml$"
    assert hook["language"] == "python"


def _package_copy(tmp_path: Path) -> GitRepo:
    """The package as committed sources in a repository of its own (the tree may be dirty)."""
    copy = GitRepo.init(tmp_path / "hook-repo")
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, copy.root / name)
    shutil.copytree(REPO / "src", copy.root / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    copy.write("README.md", "plantrack\n")
    copy.commit("package")
    return copy


def test_try_repo_validates_plans(tmp_path: Path) -> None:
    exe = shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    hook_repo = _package_copy(tmp_path)
    plans = GitRepo.init(tmp_path / "plans-repo")
    plans.write("plans/land.yaml", plan_text(GOOD, "land"))
    plans.write("notes/other.yaml", "not: [a plan")  # outside plans/: not checked
    plans.commit("plans")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pc-cache"), "PLANTRACK_NO_CACHE": "1"}
    env.pop("GITHUB_ACTIONS", None)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, "try-repo", str(hook_repo.root), "plantrack-validate",
                               "--all-files"], cwd=plans.root, env=env, capture_output=True,
                              text=True, check=False, timeout=300)

    done = run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "plantrack validate" in done.stdout and "Passed" in done.stdout
    plans.write("plans/land.yaml", plan_text(GOOD.replace("2025-06", "2025-02-30"), "land"))
    plans.commit("break the plan")
    done = run()
    assert done.returncode == 1
    assert "plans/land.yaml:" in done.stdout and "2025-02-30" in done.stdout
    # The repository's .plantrack.yaml and a disable comment are honoured by the hook too.
    broken = GOOD + "  completed: 2025-06-01\n"  # completed-not-done, an error by default
    plans.write("plans/land.yaml", plan_text(broken, "land"))
    plans.commit("a completed date on an open task")
    done = run()
    assert done.returncode == 1 and "[completed-not-done]" in done.stdout
    plans.write(".plantrack.yaml", "rules:\n  completed-not-done: warning\n")
    plans.commit("the repository takes it as a warning")
    done = run()
    assert done.returncode == 0, done.stdout
    plans.remove(".plantrack.yaml")
    plans.write("plans/land.yaml", plan_text(
        broken.replace("completed: 2025-06-01", "completed: 2025-06-01  "
                       "# plantrack: disable=completed-not-done"), "land"))
    plans.commit("silenced on its line")
    done = run()
    assert done.returncode == 0, done.stdout
