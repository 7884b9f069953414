"""The total diff: every field of the format changed alone is reported, reformatting is not,
and the policy's rules fire when they should and only then. Real git repositories throughout."""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.cli import app
from plantrack.rules import catalogue
from tests.gitrepo import GitRepo

runner = CliRunner()
JUDGED = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)  # the head commit's date

FULL = """\
plantrack: 1
id: full
title: Full plan
issued_by: PPC
issued: 2025-02-19
timezone: Asia/Ho_Chi_Minh
lang: en
basis:
  - {id: nq57, title: Resolution 57, date: 2024-12-22, url: "https://example.org/57"}
sources: ["https://example.org/a"]
reporting: FREQ=MONTHLY;BYMONTHDAY=25
owners:
  dost: {name: Department of Science and Technology, aliases: [DOST]}
  ppc: PPC Office
  fin: Finance
tasks:
  - id: T-1
    title: Digitize land data
    owner: dost
    with: [ppc]
    due: 2025-03-31
    start: 2025-02-01
    status: in_progress
    progress: 40
    extensions:
      - {due: 2025-06-30, approved: 2025-03-20, ref: 12/QD, reason: survey late}
    depends_on: [T-2]
    targets:
      - metric: parcels
        target: 100%
        actual: 40%
        measured: 2025-05-25
        baseline: {value: 10%, date: 2025-01-01}
    updates:
      - {date: 2025-04-25, progress: 20, note: survey done}
      - {date: 2025-05-25, progress: 40, status: in_progress}
    tags: [land]
    basis: [nq57]
    source: Digitize all land data
    notes: key task
  - id: T-2
    title: Open portal
    owner: ppc
    due: 2025-Q2
    hard: true
    status: done
    completed: 2025-03-01
  - id: T-3
    title: Monthly report
    owner: dost
    recurs: FREQ=MONTHLY;BYMONTHDAY=25
    start: 2025-03-01
  - id: T-4
    title: Train staff
    owner: fin
    due: 2025-09
"""


def _diff(tmp_path: Path, head: str, base: str = FULL, *args: str
          ) -> tuple[int, dict[str, object], str]:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/full.yaml", base)
    repo.commit("base")
    repo.write("plans/full.yaml", head)
    repo.commit("head", when=JUDGED)
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        result = runner.invoke(app, ["diff", "HEAD~1", "HEAD", "--format", "json", *args])
    finally:
        os.chdir(cwd)
    return result.exit_code, json.loads(result.stdout), result.stderr


def _entries(report: dict[str, object]) -> list[tuple[str | None, str, str]]:
    """(task, field path, kind) of every entry, the fields a deadline entry covers included."""
    out = []
    for plan in report["plans"]:  # type: ignore[attr-defined]
        for c in plan["changes"]:
            fields = ([c["field"]] if c["field"] else []) + c["covers"]
            out.extend((c["task_id"], f, c["kind"]) for f in fields or ["(derived)"])
    return out


def _edit(old: str, new: str, count: int = 1) -> str:
    assert FULL.count(old) >= count, old
    return FULL.replace(old, new, count)


ONE_FIELD = [
    # (what changes, new text, task, field path, kind)
    ("plan title", _edit("title: Full plan", "title: Whole plan"), None, "title", "plan"),
    ("issued_by", _edit("issued_by: PPC", "issued_by: PPC of Hanoi"), None, "issued_by", "plan"),
    ("issued", _edit("issued: 2025-02-19", "issued: 2025-02-20"), None, "issued", "plan"),
    ("timezone", _edit("Asia/Ho_Chi_Minh", "Asia/Bangkok"), None, "timezone", "plan"),
    ("basis title", _edit("title: Resolution 57,", "title: Resolution 57-NQ/TW,"), None,
     "basis[nq57].title", "plan"),
    ("basis url", _edit("example.org/57", "example.org/57b"), None, "basis[nq57].url", "plan"),
    ("sources", _edit("example.org/a", "example.org/b"),
     None, "sources", "plan"),
    ("reporting", _edit("reporting: FREQ=MONTHLY;BYMONTHDAY=25",
                        "reporting: FREQ=MONTHLY;BYMONTHDAY=20"), None, "reporting", "plan"),
    ("owner name", _edit("  ppc: PPC Office", "  ppc: Office of the PPC"), None,
     "owners[ppc].name", "plan"),
    ("owner aliases", _edit("aliases: [DOST]", "aliases: [DOST, Sở KH&CN]"), None,
     "owners[dost].aliases", "plan"),
    ("owner added", _edit("  fin: Finance\n", "  fin: Finance\n  home: Home Affairs\n"),
     None, "owners[home]", "plan"),
    ("succession", _edit("  fin: Finance\n", "  fin: {name: Finance, succeeded_by: "
                         "{owner: dost, from: 2025-08-01}}\n"), None,
     "owners[fin].succeeded_by", "plan"),
    ("task title", _edit("title: Digitize land data", "title: Digitise land data"), "T-1",
     "title", "title"),
    ("owner", _edit("    owner: dost\n    with", "    owner: fin\n    with"), "T-1", "owner",
     "owner"),
    ("with", _edit("with: [ppc]", "with: [ppc, fin]"), "T-1", "with", "coordinators"),
    ("due under extensions", _edit("due: 2025-03-31", "due: 2025-04-30"), "T-1", "due",
     "history"),
    ("start", _edit("start: 2025-02-01", "start: 2025-02-02"), "T-1", "start", "field"),
    ("status", _edit("status: in_progress\n    progress", "status: blocked\n    progress"),
     "T-1", "status", "status"),
    ("progress", _edit("progress: 40\n    ext", "progress: 45\n    ext"), "T-1", "progress",
     "progress"),
    ("extension reason", _edit("reason: survey late", "reason: survey was late"), "T-1",
     "extensions[2025-03-20].reason", "history"),
    ("extension ref", _edit("ref: 12/QD", "ref: 13/QD"), "T-1", "extensions[2025-03-20].ref",
     "history"),
    ("depends_on", _edit("depends_on: [T-2]", "depends_on: [T-2, T-4]"), "T-1", "depends_on",
     "field"),
    ("target actual", _edit("actual: 40%", "actual: 45%"), "T-1", "targets[parcels].actual",
     "target"),
    ("target measured", _edit("measured: 2025-05-25", "measured: 2025-05-26"), "T-1",
     "targets[parcels].measured", "target"),
    ("target baseline", _edit("value: 10%", "value: 12%"), "T-1",
     "targets[parcels].baseline.value", "target"),
    ("update note", _edit("note: survey done", "note: survey finished"), "T-1",
     "updates[2025-04-25].note", "history"),
    ("update removed", _edit("      - {date: 2025-04-25, progress: 20, note: survey done}\n", ""),
     "T-1", "updates[2025-04-25]", "history"),
    ("update back-dated", _edit("      - {date: 2025-04-25,", "      - {date: 2025-03-25, "
                                "progress: 5}\n      - {date: 2025-04-25,"), "T-1",
     "updates[2025-03-25]", "update"),
    ("tags", _edit("tags: [land]", "tags: [land, data]"), "T-1", "tags", "field"),
    ("task basis", _edit("    basis: [nq57]\n", ""), "T-1", "basis", "field"),
    ("source", _edit("source: Digitize all land data", "source: Digitize land data"), "T-1",
     "source", "text"),
    ("notes", _edit("notes: key task", "notes: the key task"), "T-1", "notes", "text"),
    ("hard", _edit("    hard: true\n", ""), "T-2", "hard", "field"),
    ("completed", _edit("completed: 2025-03-01", "completed: 2025-03-02"), "T-2", "completed",
     "history"),
    ("recurs", _edit("recurs: FREQ=MONTHLY;BYMONTHDAY=25\n    start",
                     "recurs: FREQ=MONTHLY;BYMONTHDAY=20\n    start"), "T-3", "recurs",
     "recurrence"),
    ("recurring start", _edit("start: 2025-03-01", "start: 2025-03-02"), "T-3", "start",
     "field"),
]


@pytest.mark.parametrize(("head", "task", "path", "kind"), [c[1:] for c in ONE_FIELD],
                         ids=[c[0] for c in ONE_FIELD])
def test_each_field_changed_alone_is_reported(tmp_path: Path, head: str, task: str | None,
                                              path: str, kind: str) -> None:
    code, report, _ = _diff(tmp_path, head)
    assert code == 0
    assert _entries(report) == [(task, path, kind)]


def test_the_issue_case_due_changed_under_an_approved_extension(tmp_path: Path) -> None:
    """A commit that changes `due` while the task has an approved extension: never "no
    changes", and the gate fails."""
    code, report, err = _diff(tmp_path, _edit("due: 2025-03-31", "due: 2025-05-31"),
                              FULL, "--check")
    assert code == 1 and report["summary"] != "No changes to plans."
    line = FULL.splitlines().index("    due: 2025-03-31") + 1
    assert "[history-rewritten]" in err and f"plans/full.yaml:{line}:10:" in err


def test_lang_rewrite_and_reformatting_make_no_entries(tmp_path: Path) -> None:
    head = FULL.replace("title: Digitize land data", "title: {en: Digitize land data}")
    head = head.replace("  ppc: PPC Office", "  ppc: {name: \"PPC Office\"}")
    head = head.replace("with: [ppc]", "with:\n      - ppc")
    head = head.replace("tags: [land]", "tags: ['land']  # a comment")
    head = head.replace("due: 2025-Q2", "due: 2025-q2")
    head = head.replace("notes: key task", "\n    notes: >-\n      key task\n")
    # NFD against NFC, and the order of tasks, of aliases and of keys in a task
    nfd = unicodedata.normalize("NFD", "Sở KH&CN")
    base = FULL.replace("aliases: [DOST]", "aliases: [DOST, Sở KH&CN]")
    head = head.replace("aliases: [DOST]", f"aliases: [{nfd}, DOST]")
    t3 = head[head.index("  - id: T-3"):head.index("  - id: T-4")]
    head = head.replace(t3, "") + t3.replace("    title: Monthly report\n    owner: dost\n",
                                             "    owner: dost\n    title: Monthly report\n")
    code, report, _ = _diff(tmp_path, head, base)
    assert (code, report["summary"], _entries(report)) == (0, "No changes to plans.", [])


def test_changing_the_plan_lang_is_one_entry(tmp_path: Path) -> None:
    code, report, _ = _diff(tmp_path, _edit("lang: en", "lang: vi"))
    assert (code, _entries(report)) == (0, [(None, "lang", "plan")])


def test_one_translation_changed(tmp_path: Path) -> None:
    base = _edit("title: Digitize land data", "title: {en: Digitize land data, vi: Số hóa}")
    head = base.replace("vi: Số hóa}", "vi: Số hóa dữ liệu đất đai}")
    _, report, _ = _diff(tmp_path, head, base)
    [change] = report["plans"][0]["changes"]  # type: ignore[index]
    assert change["field"] == "title" and "vi: Số hóa dữ liệu đất đai" in change["new"]


def test_a_new_extension_is_one_deadline_entry(tmp_path: Path) -> None:
    head = _edit("reason: survey late}\n", "reason: survey late}\n"
                 "      - {due: 2025-09-30, approved: 2025-06-20, ref: 40/QD}\n")
    code, report, err = _diff(tmp_path, head, FULL, "--check")
    assert (code, err) == (0, "")
    [change] = report["plans"][0]["changes"]  # type: ignore[index]
    assert (change["kind"], change["old"], change["new"], change["extended"]) == (
        "deadline", "2025-06-30", "2025-09-30", True)
    assert change["covers"] == ["extensions[2025-06-20]"]


def test_an_extension_approved_after_the_head_does_not_move_the_deadline_yet(
        tmp_path: Path) -> None:
    head = _edit("reason: survey late}\n", "reason: survey late}\n"
                 "      - {due: 2025-09-30, approved: 2025-08-01}\n")
    code, report, _ = _diff(tmp_path, head, FULL, "--check")
    assert code == 0
    assert _entries(report) == [("T-1", "extensions[2025-08-01]", "extension")]


def test_removing_an_approved_extension_is_history_rewritten(tmp_path: Path) -> None:
    head = _edit("    extensions:\n      - {due: 2025-06-30, approved: 2025-03-20, ref: 12/QD, "
                 "reason: survey late}\n", "")
    code, report, err = _diff(tmp_path, head, FULL, "--check")
    assert code == 1
    assert sorted(_entries(report)) == [("T-1", "(derived)", "deadline"),
                                        ("T-1", "extensions[2025-03-20]", "history")]
    assert "[history-rewritten]" in err


def test_a_second_update_on_one_day_is_numbered(tmp_path: Path) -> None:
    head = _edit("      - {date: 2025-05-25, progress: 40, status: in_progress}\n",
                 "      - {date: 2025-05-25, progress: 40, status: in_progress}\n"
                 "      - {date: 2025-05-25, note: second report}\n")
    _, report, _ = _diff(tmp_path, head)
    assert _entries(report) == [("T-1", "updates[2025-05-25]#2", "update")]


@pytest.mark.parametrize(("head", "codes"), [
    (_edit("due: 2025-09", "due: 2025-10"), ["deadline-moved-unapproved"]),
    (_edit("due: 2025-09", "due: ongoing"), ["deadline-moved-unapproved"]),
    (_edit("due: 2025-09", "due: 2025-08"), ["deadline-moved-earlier"]),
    (_edit("due: 2025-Q2", "due: 2025-Q1"), ["hard-deadline-moved"]),
    (_edit("due: 2025-Q2", "due: 2025-Q3"), ["hard-deadline-moved"]),
    (_edit("due: 2025-03-31", "due: 2025-04-30"), ["history-rewritten"]),
    (_edit("note: survey done", "note: fixed"), ["history-rewritten"]),
    (_edit("ref: 12/QD", "ref: 13/QD"), ["history-rewritten"]),
    (_edit("completed: 2025-03-01", "completed: 2025-02-01"), ["history-rewritten"]),
    (_edit("  - id: T-4\n    title: Train staff\n    owner: fin\n    due: 2025-09\n", ""),
     ["task-deleted"]),
    (_edit("    status: done\n    completed: 2025-03-01\n", "    status: in_progress\n"),
     ["reopened-without-note"]),
    (_edit("    status: done\n    completed: 2025-03-01\n", "    status: in_progress\n"
           "    updates:\n      - {date: 2025-06-30, note: the audit found gaps}\n"), []),
    (_edit("  fin: Finance\n", "").replace("    owner: fin\n", "    owner: dost\n"),
     ["owner-replaced"]),
    (_edit("  fin: Finance\n", "  fin: {name: Finance, succeeded_by: {owner: dost, "
           "from: 2025-07-01}}\n"), []),
    (_edit("      - {date: 2025-05-25, progress: 40, status: in_progress}\n",
           "      - {date: 2025-05-25, progress: 40, status: in_progress}\n"
           "      - {date: 2025-06-25, progress: 60}\n"), []),
    (_edit("due: 2025-09", "due: 2025-09-30"), []),
])
def test_policy_rules(tmp_path: Path, head: str, codes: list[str]) -> None:
    code, _, err = _diff(tmp_path, head, FULL, "--check")
    found = [line.split("[")[1].split("]")[0] for line in err.splitlines() if " [" in line]
    assert found == codes, err
    for line in err.splitlines():  # each raised with its catalogue entry's severity and scope
        if " [" in line:
            rule = catalogue()[line.split("[")[1].split("]")[0]]
            assert f": {rule.severity} [" in line and rule.scope == "change"
    errors = [c for c in codes if c != "deadline-moved-earlier"]
    assert code == (1 if errors else 0)


def test_setting_a_date_on_an_ongoing_task_is_fine(tmp_path: Path) -> None:
    base = _edit("due: 2025-09", "due: ongoing")
    code, report, err = _diff(tmp_path, FULL, base, "--check")
    assert (code, err) == (0, "")
    [change] = report["plans"][0]["changes"]  # type: ignore[index]
    assert (change["kind"], change["old"], change["new"], change["later"]) == (
        "deadline", "ongoing", "2025-09", False)


def test_markdown_check_puts_violations_first(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/full.yaml", FULL)
    repo.commit("base")
    repo.write("plans/full.yaml", _edit("due: 2025-09", "due: 2025-12"))
    repo.commit("head", when=JUDGED)
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        result = runner.invoke(app, ["diff", "HEAD~1", "HEAD", "--format", "markdown",
                                     "--check"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("**Policy:** 1 error(s)")
    line = FULL.splitlines().index("    due: 2025-09") + 1
    assert f"plans/full.yaml:{line}" in result.stdout.split("**Plan changes:**")[0]
    assert "`deadline-moved-unapproved`" in result.stdout


def _in_repo(repo: GitRepo, *args: str) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


def test_a_plan_reached_through_a_symlink_is_diffed_as_status_reads_it(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("data/full.yaml", FULL)
    (repo.root / "plans").mkdir()
    (repo.root / "plans" / "full.yaml").symlink_to("../data/full.yaml")
    (repo.root / "plans" / "dangling.yaml").symlink_to("../data/none.yaml")
    repo.commit("base")
    repo.write("data/full.yaml", _edit("due: 2025-09", "due: 2025-12"))
    code, out, _ = _in_repo(repo, "diff", "HEAD")
    assert code == 0 and "T-4  deadline 2025-09 -> 2025-12" in out
    repo.commit("head", when=JUDGED)
    code, out, _ = _in_repo(repo, "diff", "HEAD~1", "HEAD")
    assert code == 0 and "T-4  deadline 2025-09 -> 2025-12" in out
    status = _in_repo(repo, "list", "--format", "json", "--as-of", "2025-07-01")
    assert [t["id"] for t in json.loads(status[1])] == ["T-1", "T-2", "T-3", "T-4"]


def test_a_link_and_its_target_both_under_plans_count_once(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/full.yaml", FULL)
    (repo.root / "plans" / "alias.yaml").symlink_to("full.yaml")
    repo.commit("base")
    code, out, _ = _in_repo(repo, "diff", "HEAD")
    assert (code, out) == (0, "No changes to plans.\n")
    repo.write("plans/full.yaml", _edit("due: 2025-09", "due: 2025-12"))
    repo.commit("head", when=JUDGED)
    code, out, _ = _in_repo(repo, "diff", "HEAD~1", "HEAD")
    assert out.count("deadline 2025-09 -> 2025-12") == 1
    assert "alias" in out.splitlines()[0]  # the first name in path order, as status reads it


def test_a_renamed_plan_file_keeps_its_changes(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/full.yaml", FULL)
    repo.commit("base")
    repo.git("mv", "plans/full.yaml", "plans/full-2025.yaml")
    repo.write("plans/full-2025.yaml", _edit("title: Train staff", "title: Train all staff"))
    repo.commit("head", when=JUDGED)
    code, out, _ = _in_repo(repo, "diff", "HEAD~1", "HEAD")
    assert code == 0
    assert "(renamed from plans/full.yaml)" in out and "T-4  title" in out


def test_history_shows_every_field_change(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/full.yaml", FULL)
    repo.commit("base")
    repo.write("plans/full.yaml", _edit("note: survey done", "note: survey finished"))
    repo.commit("edit a note")
    repo.write("plans/full.yaml", _edit("note: survey done", "note: survey finished").replace(
        "tags: [land]", "tags: [land, data]"))
    repo.commit("tag it")
    code, out, _ = _in_repo(repo, "history", "full/T-1")
    assert code == 0
    assert "REWRITTEN updates[2025-04-25].note survey done -> survey finished" in out
    assert "tags land -> data, land" in out
