"""The CI examples in examples/ci/ run: their plantrack commands, in a real git repository."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
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


def _commands(node: Any, prefix: str = "plantrack ") -> list[str]:
    """Every `run:` / `script:` / `before_script:` line of a workflow starting with `prefix`."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script", "before_script"):
                lines = value if isinstance(value, list) else str(value).splitlines()
                found += [str(line).strip() for line in lines
                          if str(line).strip().startswith(prefix)]
            else:
                found += _commands(value, prefix)
    elif isinstance(node, list):
        for item in node:
            found += _commands(item, prefix)
    return found


def _workflow(name: str) -> Any:
    return YAML(typ="safe").load((EXAMPLES / name).read_text())


def _pr_repo(tmp_path: Path) -> tuple[GitRepo, str]:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/land.yaml", plan_text(TASKS, "land"))
    base = repo.commit("plan")
    repo.git("checkout", "-q", "-b", "pr")
    repo.write("plans/land.yaml", plan_text(TASKS.replace("2025-06", "2025-09"), "land"))
    repo.commit("move the deadline")
    return repo, base


def _run(command: str, repo: GitRepo, base: str, now: str = "2025-06-30T12:00:00"
         ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANTRACK_NO_CACHE": "1", "PLANTRACK_NOW": now,
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


# A plan repository with a few weeks of history. With PLANTRACK_NOW at 2025-06-30 the weekly
# report's period begins on 2025-06-23: its base is the commit of 2025-06-16.
HISTORY = """
- id: T-1
  title: Digitize land data
  owner: dost
  due: 2025-09
- id: T-2
  title: Open the land portal
  owner: dost
  due: 2025-08
"""


def _history_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "origin")
    steps = [
        (dt.date(2025, 6, 2), HISTORY, "plan"),
        (dt.date(2025, 6, 16), HISTORY.replace("due: 2025-08", "due: 2025-07"), "earlier portal"),
        (dt.date(2025, 6, 25), HISTORY.replace("due: 2025-08", "due: 2025-07").replace(
            "due: 2025-09", "due: 2025-09\n  status: done\n  completed: 2025-06-25"), "land done"),
        (dt.date(2025, 6, 27), HISTORY.replace("due: 2025-08", "due: 2025-07").replace(
            "due: 2025-09", "due: 2025-09\n  status: done\n  completed: 2025-06-25")
         + "- {id: T-3, title: Train the land officers, owner: dost, due: 2025-12}\n", "add T-3"),
    ]
    for day, tasks, message in steps:
        repo.write("plans/land.yaml", plan_text(tasks, "land"))
        repo.commit(message, when=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC))
    return repo


# The examples schedule the weekly report for Friday afternoon, the end of the week it covers.
FRIDAY = "2025-06-27T16:00:00+07:00"


def _clone(origin: GitRepo, dest: Path, *options: str) -> GitRepo:
    origin.git("clone", "-q", *options, f"file://{origin.root}", str(dest))
    return GitRepo(dest)


@pytest.mark.parametrize("workflow", ["github-actions.yml", "gitlab-ci.yml"])
def test_report_on_full_and_shallow_clones(workflow: str, tmp_path: Path) -> None:
    if not _has_report():
        pytest.skip("the `report` command is not registered in plantrack.cli yet")
    commands = _commands(_workflow(workflow), "plantrack report")
    assert commands
    origin = _history_repo(tmp_path)
    full = _clone(origin, tmp_path / "full")
    shallow = _clone(origin, tmp_path / "shallow", "--depth", "1")
    assert full.git("rev-parse", "--is-shallow-repository").strip() == "false"
    assert shallow.git("rev-parse", "--is-shallow-repository").strip() == "true"
    for command in commands:
        output = command.split(" -o ")[1].split()[0]

        done = _run(command, full, "HEAD", FRIDAY)
        assert done.returncode == 0, done.stderr
        assert "warning" not in done.stderr
        section = (full.root / output).read_text().split('id="changes"')[1]
        assert "Compared with the plans as they stood on 16 June 2025." in section
        assert "Digitize land data (<span class=\"id\">land/T-1</span>)" in section  # completed
        assert "Train the land officers (<span class=\"id\">land/T-3</span>)" in section  # added
        assert "shallow" not in section and "Version compared with: <code>" in section

        done = _run(command, shallow, "HEAD", FRIDAY)
        assert done.returncode == 0, done.stderr
        warnings = [x for x in done.stderr.splitlines() if x.startswith("plantrack: warning:")]
        assert warnings == [
            "plantrack: warning: the git history is shallow (a CI checkout with depth 1, for "
            "example), so the changes since the period began and the late corrections to the "
            "previous period cannot be read; fetch the full "
            "history (fetch-depth: 0 in GitHub Actions, GIT_DEPTH: 0 in GitLab CI, or git "
            "fetch --unshallow)"], done.stderr
        section = (shallow.root / output).read_text().split('id="changes"')[1]
        assert ("The history of the plans is incomplete here, so the changes since the period "
                "began cannot be read.") in section
        assert ("The checkout is shallow; fetch the full history: <code>fetch-depth: 0</code>"
                in section)
        assert "Compared with the plans" not in section
        assert "no version from before the period began" not in section


def test_every_job_reading_history_fetches_all_of_it() -> None:
    github = _workflow("github-actions.yml")
    for name, job in github["jobs"].items():
        if not any(c.startswith(("plantrack diff", "plantrack report"))
                   for c in _commands(job)):
            continue
        checkouts = [s for s in job["steps"] if str(s.get("uses", "")).startswith(
            "actions/checkout")]
        assert checkouts and all(s.get("with", {}).get("fetch-depth") == 0
                                 for s in checkouts), name
    gitlab = _workflow("gitlab-ci.yml")
    assert str(gitlab["variables"]["GIT_DEPTH"]) == "0"
    for name, job in gitlab.items():
        if isinstance(job, dict) and "GIT_DEPTH" in job.get("variables", {}):
            assert str(job["variables"]["GIT_DEPTH"]) == "0", name


def _install_line(workflow: str) -> str:
    """The one pip line of a workflow, after checking every job installs plantrack with it and
    the repository and ref are set once, at the top, to placeholders."""
    node = _workflow(workflow)
    top = node["env"] if workflow.startswith("github") else node["variables"]
    assert top["PLANTRACK_REPO"] == "https://git.example.org/plantrack.git"
    assert top["PLANTRACK_REF"]
    lines = set(_commands(node, "pip "))
    assert len(lines) == 1, lines
    line = lines.pop()
    assert '"git+${PLANTRACK_REPO}@${PLANTRACK_REF}"' in line, line
    if workflow.startswith("gitlab"):  # pip needs git to install from a repository
        script = node["before_script"]
        apt = next(i for i, x in enumerate(script) if "apt-get install" in x and " git" in x)
        assert apt < next(i for i, x in enumerate(script) if x.startswith("pip "))
    return line


def _project_repo(dest: Path) -> tuple[str, str]:
    """A git repository of this project's files as they stand (committed or not), tagged;
    (its file:// URL, the tag)."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=True).stdout
    for name in sorted({n for n in listed.decode().split("\0") if n}):
        source, target = REPO / name, dest / name
        if not source.is_symlink() and not source.is_file():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    repo = GitRepo.init(dest)
    repo.commit("plantrack")
    repo.git("tag", "v0.0-test")
    return f"file://{dest}", "v0.0-test"


@pytest.mark.parametrize("workflow", ["github-actions.yml", "gitlab-ci.yml"])
def test_install_line_installs_plantrack_from_its_git_repository(workflow: str,
                                                                 tmp_path: Path) -> None:
    line = _install_line(workflow)
    url, tag = _project_repo(tmp_path / "plantrack")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PATH=os.pathsep.join([str(venv / "bin"), env.get("PATH", "")]),
               VIRTUAL_ENV=str(venv), PLANTRACK_REPO=url, PLANTRACK_REF=tag)
    started = time.monotonic()
    done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True,
                          text=True, check=False)
    print(f"{workflow}: {line!r} took {time.monotonic() - started:.1f} s")
    assert done.returncode == 0, done.stdout + done.stderr
    version = subprocess.run([str(venv / "bin" / "plantrack"), "--version"], cwd=tmp_path,
                             env=env, capture_output=True, text=True, check=False)
    assert version.returncode == 0, version.stderr
    from plantrack import __version__

    assert version.stdout.strip() == f"plantrack {__version__}"
    helped = subprocess.run([str(venv / "bin" / "plantrack"), "--help"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False)
    assert helped.returncode == 0 and "report" in helped.stdout, helped.stderr
    origin = json.loads(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import importlib.metadata as m; "
         "print(m.distribution('plantrack').read_text('direct_url.json'))"],
        env=env, capture_output=True, text=True, check=True).stdout)
    assert origin["url"] == url and origin["vcs_info"]["vcs"] == "git"
    assert origin["vcs_info"]["requested_revision"] == tag


def test_diff_and_history_say_when_a_shallow_clone_hides_history(tmp_path: Path) -> None:
    origin = _history_repo(tmp_path)
    full = _clone(origin, tmp_path / "full")
    shallow = _clone(origin, tmp_path / "shallow", "--depth", "1")
    exe = shutil.which("plantrack")
    assert exe is not None
    for repo, code in ((full, 0), (shallow, 2)):
        done = subprocess.run([exe, "diff", "HEAD~1", "HEAD"], cwd=repo.root,
                              capture_output=True, text=True, check=False)
        assert done.returncode == code, done.stderr
        assert ("git history is shallow" in done.stderr) == (code == 2)
        assert ("fetch-depth: 0" in done.stderr) == (code == 2)
    done = subprocess.run([exe, "history", "land/T-1"], cwd=shallow.root, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0
    assert done.stderr.startswith("plantrack: warning: the git history is shallow")
