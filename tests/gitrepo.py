"""Real git repositories in temporary folders, for tests that read plans from git.

    repo = GitRepo.init(tmp_path / "repo")        # empty repository on branch `main`
    repo.write("plans/a.yaml", text)              # write a file in the working tree
    sha = repo.commit("add plan a")               # stage everything, commit, return the id
    repo.git("checkout", "-b", "feature")         # any other git command

Commits carry a fixed author and, unless `when` is given, dates one day apart from
2025-01-01, so histories are reproducible. Never mocks git: every call runs the real thing.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

AUTHOR = ("t", "t@example.org")
FIRST_DAY = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)


def _env(when: dt.datetime) -> dict[str, str]:
    stamp = when.isoformat()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**clean, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_NOSYSTEM": "1", "HOME": clean.get("HOME", "/tmp")}


@dataclass
class GitRepo:
    root: Path
    commits: int = 0

    @classmethod
    def init(cls, root: Path, branch: str = "main") -> GitRepo:
        root.mkdir(parents=True, exist_ok=True)
        repo = cls(root)
        repo.git("init", "-q", "-b", branch)
        return repo

    def git(self, *args: str, when: dt.datetime | None = None) -> str:
        """Run git in the repository with a fixed identity; its stdout."""
        moment = when or FIRST_DAY + dt.timedelta(days=self.commits)
        done = subprocess.run(
            ["git", "-c", f"user.name={AUTHOR[0]}", "-c", f"user.email={AUTHOR[1]}",
             "-c", "commit.gpgsign=false", "-C", str(self.root), *args],
            capture_output=True, text=True, env=_env(moment), check=False)
        if done.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def write(self, path: str, text: str) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def remove(self, path: str) -> None:
        (self.root / path).unlink()

    def commit(self, message: str, when: dt.datetime | None = None) -> str:
        """Stage every change (including deletions) and commit it; the new commit's id."""
        self.git("add", "-A", when=when)
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        self.commits += 1
        return self.git("rev-parse", "HEAD").strip()
