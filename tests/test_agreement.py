"""Every command gives one answer for the deadline in force: list, show, diff and history agree
with `state.deadline_as_of` on the shipped plans and on a generated corpus, at several dates."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.checks.loader import load_file
from plantrack.cli import app
from plantrack.domain.model import Plan
from plantrack.domain.state import deadline_as_of
from tests.conftest import REPO, SHIPPED_PLANS
from tests.gitrepo import GitRepo

sys.path.insert(0, str(REPO / "bench"))
import generate

runner = CliRunner()
DAYS = [dt.date(2025, 3, 1), dt.date(2025, 7, 1), dt.date(2025, 9, 27), dt.date(2026, 1, 2)]


def _plans(folder: Path) -> dict[str, Plan]:
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        plan, problems, _ = load_file(path, use_cache=False)
        assert plan is not None, problems
        out[plan.id] = plan
    return out


def _expected(plans: dict[str, Plan], day: dt.date) -> dict[str, str | None]:
    """(plan/task) -> last day of the deadline in force, for every task with a deadline."""
    out = {}
    for plan in plans.values():
        for task in plan.tasks:
            if task.recurs is None:
                deadline = deadline_as_of(task, day)
                last = deadline.last_day if deadline else None
                out[f"{plan.id}/{task.id}"] = last.isoformat() if last else None
    return out


def _run(cwd: Path, *args: str) -> str:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plans beside a generated corpus (revision 2: extensions, moved owners)."""
    folder = tmp_path_factory.mktemp("corpus") / "plans"
    generate.generate(folder, 4, 60, revision=2)
    for path in SHIPPED_PLANS:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_list_and_show_agree_with_the_rule(corpus: Path, day: dt.date) -> None:
    expected = _expected(_plans(corpus), day)
    rows = json.loads(_run(corpus.parent, "list", "plans", "--format", "json", "--as-of",
                           day.isoformat()))
    listed = {f"{r['plan']}/{r['id']}": r["deadline"] for r in rows if r["recurs"] is None}
    assert listed == expected
    for ref in sorted(expected)[::25]:
        shown = json.loads(_run(corpus.parent, "show", ref, "plans", "--format", "json",
                                "--as-of", day.isoformat()))
        assert shown["deadline"] == expected[ref], ref


@pytest.mark.parametrize("day", DAYS[1:], ids=str)
def test_diff_and_history_agree_with_the_rule(tmp_path: Path, day: dt.date) -> None:
    """Revision 1 then revision 2 of the corpus, the second committed on `day`: every task
    whose deadline in force differs on that day has one deadline entry, old and new as the
    rule says, and history's snapshot says the same."""
    repo = GitRepo.init(tmp_path / "repo")
    generate.generate(repo.root / "plans", 4, 60, revision=1)
    repo.commit("revision 1", when=dt.datetime(2025, 2, 1, 9, tzinfo=dt.UTC))
    base = _plans(repo.root / "plans")
    generate.generate(repo.root / "plans", 4, 60, revision=2)
    repo.commit("revision 2", when=dt.datetime.combine(day, dt.time(9), dt.UTC))
    head = _plans(repo.root / "plans")
    before, after = _expected(base, day), _expected(head, day)
    moved = {ref for ref in before.keys() & after.keys() if before[ref] != after[ref]}
    report = json.loads(_run(repo.root, "diff", "HEAD~1", "HEAD", "--format", "json"))
    entries = {f"{p['plan_id']}/{c['task_id']}": c for p in report["plans"]
               for c in p["changes"] if c["kind"] == "deadline"}
    assert set(entries) == moved
    assert moved or day < dt.date(2025, 9, 26)  # the extensions of revision 2 are approved then
    for ref, change in entries.items():
        plan_id, task_id = ref.split("/")
        task = next(t for t in head[plan_id].tasks if t.id == task_id)
        in_force = deadline_as_of(task, day)
        assert change["new"] == (in_force.text if in_force else None)
    for ref in sorted(moved)[:3]:
        history = json.loads(_run(repo.root, "history", ref, "--format", "json"))["history"]
        assert history[-1]["state"]["deadline"] == entries[ref]["new"]
