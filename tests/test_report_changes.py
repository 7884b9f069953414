"""Section 7 of the report: changes since the period began, read from a real git history."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from plantrack.checks.loader import load
from plantrack.cli import app
from plantrack.domain.query import derive_all
from plantrack.report.changes import changes_since

BEFORE = """\
plantrack: 1
id: git-2025
title: Git plan
owners:
  dost: Department of Science and Technology
tasks:
  - {id: G-1, title: Finish the portal, owner: dost, due: 2025-08-31}
  - {id: G-2, title: Move without approval, owner: dost, due: 2025-06-30}
  - {id: G-3, title: Move with approval, owner: dost, due: 2025-06-30}
  - {id: G-4, title: Dropped task, owner: dost, due: 2025-09-30}
"""

AFTER = """\
plantrack: 1
id: git-2025
title: Git plan
owners:
  dost: Department of Science and Technology
tasks:
  - {id: G-1, title: Finish the portal, owner: dost, due: 2025-08-31, status: done,
     completed: 2025-06-20}
  - {id: G-2, title: Move without approval, owner: dost, due: 2025-07-31}
  - id: G-3
    title: Move with approval
    owner: dost
    due: 2025-06-30
    extensions: [{due: 2025-07-15, approved: 2025-06-10, ref: QD-7}]
  - {id: G-5, title: New task, owner: dost, due: 2025-12}
"""


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True, env=env)


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    _git(repo, "init", "-q")
    plan = repo / "plans" / "git-2025.yaml"
    plan.write_text(BEFORE, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "plan", when="2025-05-01T10:00:00")
    plan.write_text(AFTER, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "june", when="2025-06-20T10:00:00")
    return repo


def test_changes_since_the_period_began(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    loaded = load([repo / "plans" / "git-2025.yaml"], use_cache=False)
    day = dt.date(2025, 6, 30)
    items = derive_all(loaded.plans, lambda _p: day)
    changes = changes_since(loaded.plans, items, dt.date(2025, 5, 30), dt.date(2025, 6, 30))
    assert changes.in_git and changes.base_date == dt.date(2025, 5, 1)
    assert [c.ref for c in changes.completed] == ["git-2025/G-1"]
    assert [c.ref for c in changes.added] == ["git-2025/G-5"]
    assert [c.ref for c in changes.removed] == ["git-2025/G-4"]
    moved = {m.ref: (m.old, m.new, m.days, m.extension) for m in changes.moved}
    assert moved == {"git-2025/G-2": ("2025-06-30", "2025-07-31", 31, None),
                     "git-2025/G-3": ("2025-06-30", "2025-07-15", 15, "2025-06-10, QD-7")}


def test_no_commit_before_the_period(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    loaded = load([repo / "plans" / "git-2025.yaml"], use_cache=False)
    changes = changes_since(loaded.plans, [], dt.date(2025, 4, 1), dt.date(2025, 5, 1))
    assert changes.in_git and changes.base_rev is None


def test_cli_report_section_7(tmp_path: Path, monkeypatch: object) -> None:
    repo = _repo(tmp_path)
    result = CliRunner().invoke(app, ["report", str(repo / "plans"), "--as-of", "2025-06-30",
                                      "--period", "month"])
    assert result.exit_code == 0, result.output
    section = result.output.split("## 9.")[1]
    assert "Completed (1):\n- Finish the portal (git-2025/G-1)" in section
    assert ("| 1 | Move without approval (git-2025/G-2) | 2025-06-30 | 2025-07-31 | 31 | NONE"
            in section)
    assert "| 15 | extended to 2025-07-15 by QD-7, approved 10 June 2025 |" in section
    assert "Removed (1):\n- Dropped task (git-2025/G-4)" in section
    rev = subprocess.run(["git", "-C", str(repo), "rev-list", "-1", "--before=2025-06-01",
                          "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    body, footnote = section.split("\n---\n")
    assert "Compared with the plans as they stood on 1 May 2025.[^1]" in body
    assert rev[:10] not in body and f"[^1]: Version compared with: `{rev[:10]}`." in footnote


def _shallow_clone(tmp_path: Path, repo: Path) -> Path:
    """A clone holding only the newest commit, as a CI checkout of depth 1 does."""
    clone = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    return clone


def test_shallow_clone_cut_after_the_period_began(tmp_path: Path) -> None:
    from plantrack.git import repo as gitread
    repo = _repo(tmp_path)
    clone = _shallow_clone(tmp_path, repo)
    assert not gitread.is_shallow(repo) and gitread.shallow_note(repo) is None
    assert gitread.is_shallow(clone)
    note = gitread.shallow_note(clone)
    assert note is not None and note.startswith("the git history is shallow")
    assert "git fetch --unshallow" in note
    loaded = load([clone / "plans" / "git-2025.yaml"], use_cache=False)
    day = dt.date(2025, 8, 5)
    items = derive_all(loaded.plans, lambda _p: day)
    changes = changes_since(loaded.plans, items, dt.date(2025, 5, 30), dt.date(2025, 6, 30))
    assert changes.shallow and changes.in_git and changes.base_rev is None and changes.empty
    overdue = {t.ref for t in changes.newly_overdue}  # needs no history: still there
    assert overdue == {"git-2025/G-2", "git-2025/G-3"}
    full = load([repo / "plans" / "git-2025.yaml"], use_cache=False)
    assert not changes_since(full.plans, items, dt.date(2025, 5, 30),
                             dt.date(2025, 6, 30)).shallow


def test_shallow_clone_cut_before_the_period_began_hides_nothing(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    clone = _shallow_clone(tmp_path, repo)
    loaded = load([clone / "plans" / "git-2025.yaml"], use_cache=False)
    changes = changes_since(loaded.plans, [], dt.date(2025, 6, 25), dt.date(2025, 7, 25))
    head = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert not changes.shallow and changes.base_rev == head and changes.empty


def test_cli_report_says_the_history_is_shallow(tmp_path: Path) -> None:
    clone = _shallow_clone(tmp_path, _repo(tmp_path))
    args = ["report", str(clone / "plans"), "--as-of", "2025-06-30", "--period", "month"]
    result = CliRunner().invoke(app, [*args, "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("plantrack: warning: the git history is shallow")
    section = result.stdout.split("## 9.")[1]
    body, footnote = section.split("\n---\n")
    assert ("Lịch sử thay đổi của kế hoạch tại đây không đầy đủ nên chưa xác định được các "
            "thay đổi từ đầu kỳ.[^1]") in body
    assert "git" not in body and "`git fetch --unshallow`" in footnote
    assert "So sánh với kế hoạch" not in section
