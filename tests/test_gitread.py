"""Reading plans from real git repositories: revisions, blobs, the working tree, renames."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plantrack.git import repo as gitread
from plantrack.problems import UsageError
from tests.conftest import plan_text
from tests.gitrepo import FIRST_DAY, GitRepo

ONE_TASK = """
- id: T-1
  title: First
  owner: dost
  due: 2025-03
"""


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/a.yaml", plan_text(ONE_TASK, "a"))
    repo.write("plans/b.yaml", plan_text(ONE_TASK, "b"))
    repo.commit("two plans")
    return repo


def test_repo_root_inside_and_outside(repo: GitRepo, tmp_path: Path) -> None:
    assert gitread.repo_root(repo.root / "plans") == repo.root.resolve()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert gitread.repo_root(outside) is None


def test_plans_at_reads_every_plan_file_of_the_revision(repo: GitRepo) -> None:
    repo.write("plans/.hidden/c.yaml", plan_text(ONE_TASK, "c"))
    repo.write("plans/notes.txt", "not a plan")
    repo.write("other/d.yaml", plan_text(ONE_TASK, "d"))
    repo.commit("more files")
    plans = gitread.plans_at(repo.root, "HEAD")
    assert [(sp.path, sp.plan.id) for sp in plans] == [("plans/a.yaml", "a"),
                                                       ("plans/b.yaml", "b")]
    assert set(plans.marks) == {"plans/a.yaml", "plans/b.yaml"}
    assert plans.marks["plans/a.yaml"].value(("tasks", 0, "due"))[0] > 1
    only_d = gitread.plans_at(repo.root, "HEAD", ["other"])
    assert [sp.plan.id for sp in only_d] == ["d"]


def test_a_plan_that_does_not_parse_is_skipped_with_its_problems(repo: GitRepo) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    repo.write("plans/b.yaml", "plantrack: 1\nid: [unclosed\n")
    repo.commit("break b")
    plans = gitread.plans_at(repo.root, "HEAD")
    assert [sp.plan.id for sp in plans] == ["a"]
    assert plans.broken == {"plans/b.yaml"}
    assert any(p.path == "plans/b.yaml" and p.code == "yaml-syntax" for p in plans.problems)
    # The earlier revision still reads both, from the object database, not the disk.
    assert len(gitread.plans_at(repo.root, first)) == 2


def test_worktree_sees_uncommitted_edits(repo: GitRepo) -> None:
    repo.write("plans/a.yaml", plan_text(ONE_TASK.replace("2025-03", "2025-09"), "a"))
    repo.write("plans/new.yml", plan_text(ONE_TASK, "new"))
    plans = gitread.plans_in_worktree(repo.root)
    assert [sp.plan.id for sp in plans] == ["a", "b", "new"]
    assert plans[0].plan.tasks[0].due is not None
    assert plans[0].plan.tasks[0].due.text == "2025-09"
    committed = gitread.plans_at(repo.root, "HEAD")
    assert committed[0].plan.tasks[0].due is not None
    assert committed[0].plan.tasks[0].due.text == "2025-03"


def test_unknown_revision_is_a_usage_error(repo: GitRepo) -> None:
    with pytest.raises(UsageError, match="unknown revision 'no-such-branch'"):
        gitread.plans_at(repo.root, "no-such-branch")


def test_revision_at_picks_the_last_commit_not_after(repo: GitRepo) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    repo.write("plans/a.yaml", plan_text(ONE_TASK, "a") + "# edited\n")
    second = repo.commit("edit")  # dated a day after the first
    assert gitread.revision_at(repo.root, FIRST_DAY) == first
    assert gitread.revision_at(repo.root, FIRST_DAY + dt.timedelta(hours=23)) == first
    assert gitread.revision_at(repo.root, FIRST_DAY + dt.timedelta(days=1)) == second
    assert gitread.revision_at(repo.root, FIRST_DAY - dt.timedelta(days=1)) is None


def test_revision_at_in_a_repository_without_commits(tmp_path: Path) -> None:
    empty = GitRepo.init(tmp_path / "empty")
    assert gitread.revision_at(empty.root, FIRST_DAY) is None


def test_default_branch_prefers_origin_head_then_main_then_master(tmp_path: Path) -> None:
    upstream = GitRepo.init(tmp_path / "up", branch="trunk")
    upstream.write("plans/a.yaml", plan_text(ONE_TASK, "a"))
    upstream.commit("a")
    assert gitread.default_branch(upstream.root) == "HEAD"
    upstream.git("branch", "master")
    assert gitread.default_branch(upstream.root) == "master"
    upstream.git("branch", "main")
    assert gitread.default_branch(upstream.root) == "main"
    clone = tmp_path / "clone"
    upstream.git("clone", "-q", str(upstream.root), str(clone))
    assert gitread.default_branch(clone) == "refs/remotes/origin/trunk"


def test_read_blobs_uses_one_batch_and_reports_missing(repo: GitRepo) -> None:
    blobs = gitread.read_blobs(repo.root, ["HEAD:plans/a.yaml", "HEAD:plans/zz.yaml",
                                           "HEAD:plans", "HEAD:plans/b.yaml"])
    assert blobs[0] == (repo.root / "plans/a.yaml").read_bytes()
    assert blobs[1] is None and blobs[2] is None
    assert blobs[3] == (repo.root / "plans/b.yaml").read_bytes()


def test_file_log_follows_a_rename(repo: GitRepo) -> None:
    repo.git("mv", "plans/a.yaml", "plans/a-renamed.yaml")
    repo.commit("rename a")
    repo.write("plans/a-renamed.yaml", plan_text(ONE_TASK, "a") + "# after rename\n")
    repo.commit("edit a")
    log = gitread.file_log(repo.root, "plans/a-renamed.yaml")
    assert [c.subject for c in log] == ["two plans", "rename a", "edit a"]
    assert [c.path for c in log] == ["plans/a.yaml", "plans/a-renamed.yaml",
                                     "plans/a-renamed.yaml"]
    assert log[0].author == "t"
