"""The report-site examples in examples/ci/ (github-pages.yml, gitlab-pages.yml): they validate
against the CI systems' schemas, and their shell runs in real git repositories.

The shell that restores the `reports` branch, builds the site and commits it back is taken
from the workflow files and run against a bare "origin", on a first run (no `reports` branch
yet) and on later ones. Until `plantrack site` exists, its line is replaced by a stand-in
that adds a file to the archive; the moment `plantrack site --help` succeeds, the real line
runs instead and the archive it writes is checked (see `_site_line`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO, plan_text
from tests.gitrepo import GitRepo

EXAMPLES = REPO / "examples" / "ci"
GITHUB = "github-pages.yml"
GITLAB = "gitlab-pages.yml"
SITE_LINE = "plantrack site -o {dir} --period month --cutoff-day 14 --lang vi plans/"


def _load(name: str) -> Any:
    return YAML(typ="safe").load((EXAMPLES / name).read_text(encoding="utf-8"))


def _lines(script: Any) -> list[str]:
    items = script if isinstance(script, list) else [script]
    return [line.strip() for item in items for line in str(item).splitlines()]


# --- the schemas -----------------------------------------------------------------------------

def _check_jsonschema() -> str:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    return exe


@pytest.mark.parametrize(("name", "schema", "breakage"), [
    (GITHUB, "vendor.github-workflows", ("runs-on:", "run-on:")),
    (GITLAB, "vendor.gitlab-ci", ("  script:", "  scripts:")),
])
def test_examples_validate_against_the_ci_schemas(name: str, schema: str,
                                                  breakage: tuple[str, str],
                                                  tmp_path: Path) -> None:
    exe = _check_jsonschema()
    done = subprocess.run([exe, "--builtin-schema", schema, str(EXAMPLES / name)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # The schema is strict enough to notice a misspelt key: the check above can fail.
    broken = tmp_path / name
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert breakage[0] in text
    broken.write_text(text.replace(breakage[0], breakage[1], 1), encoding="utf-8")
    done = subprocess.run([exe, "--builtin-schema", schema, str(broken)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout + done.stderr


# --- the structure ---------------------------------------------------------------------------

def _github_build() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    workflow = _load(GITHUB)
    jobs = workflow["jobs"]
    build = next(job for job in jobs.values()
                 if any("plantrack site" in str(s.get("run", "")) for s in job["steps"]))
    return build, build["steps"]


def _index(steps: list[dict[str, Any]], test: Any) -> int:
    found = [i for i, step in enumerate(steps) if test(step)]
    assert len(found) == 1, found
    return found[0]


def test_github_workflow_restores_builds_commits_and_publishes_one_folder() -> None:
    workflow = _load(GITHUB)
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert workflow["on"]["schedule"][0]["cron"] == "30 0 * * 1"  # Monday 07:30 in Vietnam
    assert workflow["concurrency"]["group"] and workflow["concurrency"][
        "cancel-in-progress"] is False
    assert workflow["permissions"] == {}
    build, steps = _github_build()
    assert build["permissions"] == {"contents": "write"}
    checkout = _index(steps, lambda s: str(s.get("uses", "")).startswith("actions/checkout@"))
    assert steps[checkout]["with"]["fetch-depth"] == 0
    restore = _index(steps, lambda s: "worktree add" in str(s.get("run", "")))
    site = _index(steps, lambda s: str(s.get("run", "")).startswith("plantrack site"))
    commit = _index(steps, lambda s: "git push" in str(s.get("run", "")))
    upload = _index(steps, lambda s: str(s.get("uses", "")).startswith(
        "actions/upload-pages-artifact@"))
    assert checkout < restore < site < commit < upload
    folder = steps[upload]["with"]["path"]
    assert steps[site]["run"].strip() == SITE_LINE.format(dir=folder)
    assert f"git worktree add -B reports {folder} origin/reports" in steps[restore]["run"]
    assert steps[commit]["working-directory"] == folder
    deploy = next(job for job in workflow["jobs"].values()
                  if any(str(s.get("uses", "")).startswith("actions/deploy-pages@")
                         for s in job["steps"]))
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] in ("build", ["build"])
    for step in steps + deploy["steps"]:  # pinned by major version
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


def test_gitlab_job_restores_builds_commits_and_publishes_public() -> None:
    config = _load(GITLAB)
    job = config["pages"]  # GitLab Pages publishes the job of this name
    assert job["artifacts"]["paths"] == ["public"]
    assert job["artifacts"]["exclude"] == ["public/.git"]
    assert str(job["variables"]["GIT_DEPTH"]) == "0"
    assert job["image"] == "python:3.12"
    assert job["resource_group"]
    assert [rule["if"] for rule in job["rules"]] == [
        '$CI_PIPELINE_SOURCE == "schedule"', '$CI_PIPELINE_SOURCE == "web"']
    lines = _lines(job["script"])
    restore = lines.index("git worktree add -B reports public origin/reports")
    site = lines.index(SITE_LINE.format(dir="public"))
    commit = next(i for i, line in enumerate(lines) if line.startswith("git push"))
    assert restore < site < commit
    assert "plantrack site" not in " ".join(_lines(job["before_script"]))


@pytest.mark.parametrize("name", [GITHUB, GITLAB])
def test_install_line_is_the_one_of_the_other_examples(name: str) -> None:
    def pip_lines(node: Any) -> set[str]:
        found: set[str] = set()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script", "before_script"):
                    found |= {x for x in _lines(value) if x.startswith("pip ")}
                else:
                    found |= pip_lines(value)
        elif isinstance(node, list):
            for item in node:
                found |= pip_lines(item)
        return found

    other = "github-actions.yml" if name == GITHUB else "gitlab-ci.yml"
    assert pip_lines(_load(name)) == pip_lines(_load(other))
    top = "env" if name == GITHUB else "variables"
    for key in ("PLANTRACK_REPO", "PLANTRACK_REF"):
        assert _load(name)[top][key] == _load(other)[top][key]


# --- the shell, run for real -----------------------------------------------------------------

PLAN = """
- id: T-1
  title: Digitize land data
  owner: dost
  due: 2025-09
"""
TOKEN = "glpat-test-token"
PROJECT_URL = "https://gitlab.example.org/secretariat/plans"


def _has_site() -> bool:
    exe = shutil.which("plantrack")
    return exe is not None and subprocess.run(
        [exe, "site", "--help"], capture_output=True, check=False).returncode == 0


def _site_line(line: str, period: str) -> str:
    """The workflow's `plantrack site` line once the command exists; until then a stand-in
    that, like it, keeps what is in the folder and adds the period `period` to the archive.
    Nothing here needs changing when `plantrack site` lands: the real line runs from then on."""
    if _has_site():
        return line
    folder = line.split(" -o ")[1].split()[0]
    return (f"mkdir -p {folder}/archive/{period} && "
            f"echo 'report {period}' > {folder}/archive/{period}/report.md && "
            f"echo 'as of {period}' > {folder}/index.html")


def _env(tmp_path: Path, now: str, **extra: str) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "CI_"))}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", PLANTRACK_NO_CACHE="1",
               PLANTRACK_NOW=now, **extra)
    return env


class Origin:
    """A bare repository standing for the plan repository on GitHub or GitLab, with a clone
    to add plan commits to."""

    def __init__(self, tmp_path: Path) -> None:
        self.bare = tmp_path / "origin.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.bare)],
                       check=True)
        # GitLab takes push options (`-o ci.skip`); a bare repository does when told to.
        subprocess.run(["git", "-C", str(self.bare), "config", "receive.advertisePushOptions",
                        "true"], check=True)
        self.work = GitRepo.init(tmp_path / "author")
        self.work.git("remote", "add", "origin", str(self.bare))

    def plan(self, day: dt.date, tasks: str, message: str) -> None:
        self.work.write("plans/land.yaml", plan_text(tasks, "land"))
        self.work.commit(message, when=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC))
        self.work.git("push", "-q", "origin", "main")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.bare), *args], capture_output=True,
                              text=True, check=True).stdout

    def reports(self) -> dict[str, str]:
        """The files on the `reports` branch of origin: path -> blob id."""
        listing = self.git("ls-tree", "-r", "reports")
        return {line.split("\t")[1]: line.split()[2] for line in listing.splitlines()}

    def reports_commits(self) -> int:
        return int(self.git("rev-list", "--count", "reports").strip())

    def checkout(self, dest: Path) -> Path:
        """A full clone, as `actions/checkout` with fetch-depth 0 or GIT_DEPTH 0 makes one."""
        subprocess.run(["git", "clone", "-q", f"file://{self.bare}", str(dest)], check=True,
                       env={k: v for k, v in os.environ.items() if not k.startswith("GIT_")})
        return dest


def _run(script: str, cwd: Path, env: dict[str, str], shell: list[str]
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*shell, script], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)


def _github_run(origin: Origin, dest: Path, tmp_path: Path, now: str, period: str
                ) -> list[subprocess.CompletedProcess[str]]:
    """The build job's shell steps after the install, in a fresh checkout, each as GitHub runs
    a `run:` step on Linux (`bash -e`), in its working-directory."""
    checkout = origin.checkout(dest)
    _, steps = _github_build()
    done = []
    for step in steps:
        run = step.get("run")
        if run is None or str(run).startswith("pip "):
            continue
        script = "\n".join(_site_line(line, period) if line.strip().startswith(
            "plantrack site") else line for line in str(run).splitlines())
        result = _run(script, checkout / step.get("working-directory", "."),
                      _env(tmp_path, now), ["bash", "-e", "-c"])
        done.append(result)
        if result.returncode != 0:
            break
    return done


def _history(origin: Origin) -> None:
    origin.plan(dt.date(2025, 5, 2), PLAN, "plan")
    origin.plan(dt.date(2025, 6, 3), PLAN.replace("due: 2025-09", "due: 2025-09\n  progress: 40"),
                "progress")


def _archive(files: dict[str, str]) -> dict[str, str]:
    return {path: blob for path, blob in files.items()
            if path.startswith("archive/") and path != "archive/manifest.json"}


def _check_two_runs(first: dict[str, str], second: dict[str, str]) -> None:
    """The second run kept the first run's archive, byte for byte, and added to it."""
    assert "index.html" in first and "index.html" in second
    if _has_site():
        assert "archive/manifest.json" in first and "archive/manifest.json" in second
    else:
        assert second["archive/2025-05/report.md"] == first["archive/2025-05/report.md"]
        assert "archive/2025-06/report.md" in second
    old, new = _archive(first), _archive(second)
    assert old, first
    assert {path: new.get(path) for path in old} == old  # published periods never change
    assert set(new) > set(old)
    assert not any(path == ".git" or path.startswith(".git/") for path in second)


def test_github_restore_and_commit_create_then_extend_the_reports_branch(
        tmp_path: Path) -> None:
    origin = Origin(tmp_path)
    _history(origin)

    # First run: no `reports` branch on origin; the run creates it.
    done = _github_run(origin, tmp_path / "run1", tmp_path, "2025-06-20T08:00:00+07:00",
                       "2025-05")
    assert all(x.returncode == 0 for x in done), [(x.stdout, x.stderr) for x in done]
    first = origin.reports()
    assert origin.reports_commits() == 1
    assert "plans/land.yaml" not in first  # an orphan branch: the site alone
    message = origin.git("log", "-1", "--format=%an <%ae>%n%s", "reports")
    assert message.startswith("github-actions[bot] <41898282+github-actions[bot]@users.")

    # The plans move on; the next run restores the archive and adds a period to it.
    origin.plan(dt.date(2025, 7, 2), PLAN.replace("due: 2025-09", "due: 2025-09\n  progress: 70"),
                "more progress")
    done = _github_run(origin, tmp_path / "run2", tmp_path, "2025-07-21T08:00:00+07:00",
                       "2025-06")
    assert all(x.returncode == 0 for x in done), [(x.stdout, x.stderr) for x in done]
    second = origin.reports()
    assert origin.reports_commits() == 2
    _check_two_runs(first, second)

    # Nothing new: no commit, and the run still succeeds.
    done = _github_run(origin, tmp_path / "run3", tmp_path, "2025-07-21T08:00:00+07:00",
                       "2025-06")
    assert all(x.returncode == 0 for x in done), [(x.stdout, x.stderr) for x in done]
    assert "The site has not changed." in done[-1].stdout
    assert origin.reports_commits() == 2 and origin.reports() == second
    # The plans' branch holds the author's commits alone.
    assert origin.git("rev-parse", "main") == origin.work.git("rev-parse", "HEAD")


def test_github_restore_refuses_to_start_afresh_when_origin_cannot_be_read(
        tmp_path: Path) -> None:
    origin = Origin(tmp_path)
    _history(origin)
    checkout = origin.checkout(tmp_path / "run")
    subprocess.run(["git", "-C", str(checkout), "remote", "set-url", "origin",
                    str(tmp_path / "missing.git")], check=True)
    _, steps = _github_build()
    restore = next(s["run"] for s in steps if "worktree add" in str(s.get("run", "")))
    done = _run(restore, checkout, _env(tmp_path, "2025-06-20T08:00:00+07:00"),
                ["bash", "-e", "-c"])
    assert done.returncode != 0
    assert not (checkout / "site").exists()


def _gitlab_run(origin: Origin, dest: Path, tmp_path: Path, now: str, period: str,
                token: bool) -> subprocess.CompletedProcess[str]:
    """The pages job's script in a fresh detached clone, as the runner runs it: the items one
    after another in one POSIX shell that stops at the first failure. With `token`, the push
    must go to the REPORTS_PUSH_TOKEN URL (origin refuses pushes, as GitLab refuses the job
    token's by default); without it, to origin."""
    checkout = origin.checkout(dest)
    subprocess.run(["git", "-C", str(checkout), "checkout", "-q", "--detach"], check=True)
    extra = {"CI_PROJECT_URL": PROJECT_URL, "CI_SERVER_HOST": "gitlab.example.org"}
    if token:
        subprocess.run(["git", "-C", str(checkout), "remote", "set-url", "--push", "origin",
                        str(tmp_path / "job-token-cannot-push.git")], check=True)
        pushed = PROJECT_URL.replace("://", f"://reports-bot:{TOKEN}@") + ".git"
        extra.update(REPORTS_PUSH_TOKEN=TOKEN, GIT_CONFIG_COUNT="1",
                     GIT_CONFIG_KEY_0=f"url.file://{origin.bare}.insteadOf",
                     GIT_CONFIG_VALUE_0=pushed)
    job = _load(GITLAB)["pages"]
    items = [_site_line(str(item), period) if str(item).startswith("plantrack site")
             else str(item) for item in job["script"]]
    return _run("\n".join(items), checkout, _env(tmp_path, now, **extra), ["sh", "-e", "-c"])


def test_gitlab_script_creates_then_extends_the_reports_branch(tmp_path: Path) -> None:
    origin = Origin(tmp_path)
    _history(origin)
    done = _gitlab_run(origin, tmp_path / "run1", tmp_path, "2025-06-20T08:00:00+07:00",
                       "2025-05", token=True)
    assert done.returncode == 0, done.stdout + done.stderr
    first = origin.reports()
    assert origin.reports_commits() == 1 and "plans/land.yaml" not in first
    assert (tmp_path / "run1" / "public" / "index.html").is_file()  # what Pages publishes

    origin.plan(dt.date(2025, 7, 2), PLAN.replace("due: 2025-09", "due: 2025-09\n  progress: 70"),
                "more progress")
    done = _gitlab_run(origin, tmp_path / "run2", tmp_path, "2025-07-21T08:00:00+07:00",
                       "2025-06", token=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert origin.reports_commits() == 2
    _check_two_runs(first, origin.reports())
    author = origin.git("log", "-1", "--format=%an <%ae>", "reports").strip()
    assert author == "report-site bot <noreply@gitlab.example.org>"
