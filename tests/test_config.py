"""`.plantrack.yaml` and disable comments: found from a subfolder, severities changed or off,
located errors in the file itself, and a gate the change under review cannot switch off."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import plan_text
from tests.gitrepo import GitRepo
from tests.test_cli import run

DONE_HALF = """\
- id: T-1
  title: t
  owner: dost
  due: 2025-06-30
  status: done
  completed: 2025-06-01
  progress: 50
"""


def _repo(tmp_path: Path, config: str | None, tasks: str = DONE_HALF) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)  # where the walk up stops
    (root / "plans" / "sub").mkdir(parents=True)
    (root / "plans" / "sub" / "example-2025.yaml").write_text(plan_text(tasks), "utf-8")
    if config is not None:
        (root / ".plantrack.yaml").write_text(config, "utf-8")
    return root


def _validate(root: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    cwd = os.getcwd()
    os.chdir(root / "plans" / "sub")  # found walking up from a subfolder
    try:
        code, out, err = run("validate", ".", "--format", "json", *args)
    finally:
        os.chdir(cwd)
    return code, json.loads(out), err


def test_without_configuration_the_defaults_stand(tmp_path: Path) -> None:
    code, records, _ = _validate(_repo(tmp_path, None))
    assert code == 0
    assert [(r["code"], r["severity"], r["waived"]) for r in records] == [
        ("done-progress", "warning", None)]


@pytest.mark.parametrize(("setting", "exit_code", "records"), [
    ("error", 1, [("done-progress", "error", "upgraded")]),
    ("off", 0, [("done-progress", "warning", "off")]),
    ("warning", 0, [("done-progress", "warning", None)]),
])
def test_rules_change_severity_or_turn_off(tmp_path: Path, setting: str, exit_code: int,
                                           records: list[tuple[str, str, str]]) -> None:
    code, found, err = _validate(_repo(tmp_path, f"rules:\n  done-progress: {setting}\n"))
    assert code == exit_code
    assert [(r["code"], r["severity"], r["waived"]) for r in found] == records
    assert ("turned off or silenced" in err) == (setting == "off")


def test_downgrading_an_error_lets_the_plan_through(tmp_path: Path) -> None:
    tasks = DONE_HALF.replace("  status: done\n", "  status: in_progress\n")
    root = _repo(tmp_path, "rules:\n  completed-not-done: warning\n", tasks)
    code, found, _ = _validate(root)
    assert code == 0
    assert ("completed-not-done", "warning", "downgraded") in [
        (r["code"], r["severity"], r["waived"]) for r in found]
    status, out, _ = run("list", str(root / "plans"), "--format", "json", "--as-of",
                         "2025-06-01")
    assert status == 0 and [t["id"] for t in json.loads(out)] == ["T-1"]


def test_a_disable_comment_silences_one_finding_on_its_line(tmp_path: Path) -> None:
    tasks = DONE_HALF.replace("progress: 50", "progress: 50  # plantrack: disable=done-progress")
    code, found, _ = _validate(_repo(tmp_path, None, tasks))
    assert code == 0
    assert [(r["code"], r["waived"]) for r in found] == [("done-progress", "silenced")]
    other = DONE_HALF.replace("progress: 50", "progress: 50  # plantrack: disable=bad-id")
    assert [r["waived"] for r in _validate(_repo(tmp_path / "b", None, other))[1]] == [None]


def test_errors_in_the_configuration_are_located(tmp_path: Path) -> None:
    config = ("rules:\n  done-progres: off\n  done-progress: sometimes\n  yaml-syntax: off\n"
              "lang: vn\ncutoff_day: 31\nreport: {issuer: UBND, signer: x}\ncolour: red\n")
    code, found, _ = _validate(_repo(tmp_path, config))
    assert code == 1
    located = [(r["line"], r["code"]) for r in found if str(r["path"]).endswith(".plantrack.yaml")]
    assert located == [(2, "config-invalid"), (3, "config-invalid"), (4, "config-invalid"),
                       (5, "config-invalid"), (6, "config-invalid"), (7, "config-invalid"),
                       (8, "config-invalid")]
    messages = " ".join(str(r["message"]) for r in found)
    assert "did you mean 'done-progress'" in messages and "'vn'" in messages


def test_configuration_schema_accepts_what_validate_accepts(tmp_path: Path) -> None:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    schema = tmp_path / "config.schema.json"
    schema.write_text(run("schema", "--config")[1])
    good = tmp_path / "good.yaml"
    good.write_text("rules: {done-progress: off, task-deleted: warning}\nlang: vi\n"
                    "cutoff_day: 14\nreport: {issuer: UBND, recipients: [A, B]}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: {done-progres: off}\n")
    for path, expected in ((good, 0), (bad, 1)):
        done = subprocess.run([exe, "--schemafile", str(schema), str(path)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == expected, done.stdout


FULL_TASK = """\
- id: T-1
  title: Digitize land data
  owner: dost
  due: 2025-06-30
"""


def _gate(tmp_path: Path, base_config: str | None, head_config: str | None,
          head_tasks: str) -> tuple[int, str, str]:
    repo = GitRepo.init(tmp_path / "gate")
    repo.write("plans/example-2025.yaml", plan_text(FULL_TASK))
    if base_config is not None:
        repo.write(".plantrack.yaml", base_config)
    repo.commit("base")
    repo.write("plans/example-2025.yaml", plan_text(head_tasks))
    if head_config is not None:
        repo.write(".plantrack.yaml", head_config)
    repo.commit("head", when=dt.datetime(2025, 7, 1, 9, tzinfo=dt.UTC))
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        return run("diff", "HEAD~1", "HEAD", "--check")
    finally:
        os.chdir(cwd)


EVERYTHING_OFF = "rules:\n" + "".join(
    f"  {code}: off\n" for code in ("deadline-moved-unapproved", "hard-deadline-moved",
                                    "history-rewritten", "task-deleted", "config-changed"))


def test_a_change_cannot_switch_off_the_rules_it_breaks(tmp_path: Path) -> None:
    moved = FULL_TASK.replace("due: 2025-06-30", "due: 2025-09-30")
    code, out, err = _gate(tmp_path, None, EVERYTHING_OFF, moved)
    assert code == 1
    assert "[deadline-moved-unapproved]" in err and "[config-changed]" in err
    assert ".plantrack.yaml [added]" in out
    assert "rules.deadline-moved-unapproved  default -> off" in out


def test_the_base_configuration_sets_the_gate(tmp_path: Path) -> None:
    moved = FULL_TASK.replace("due: 2025-06-30", "due: 2025-09-30")
    code, out, err = _gate(tmp_path, EVERYTHING_OFF, None, moved)
    assert (code, err) == (0, "")
    assert "configuration" not in out


def test_a_disable_comment_never_silences_a_change_rule(tmp_path: Path) -> None:
    moved = FULL_TASK.replace("due: 2025-06-30",
                              "due: 2025-09-30  # plantrack: disable=deadline-moved-unapproved")
    code, _, err = _gate(tmp_path, None, None, moved)
    assert code == 1 and "[deadline-moved-unapproved]" in err


def test_due_soon_days_default_comes_from_the_configuration(tmp_path: Path) -> None:
    tasks = "- id: T-1\n  title: t\n  owner: dost\n  due: 2025-06-30\n"
    root = _repo(tmp_path, None, tasks)
    args = ["list", str(root / "plans"), "--format", "json", "--as-of", "2025-06-10"]
    assert json.loads(run(*args)[1])[0]["state"] == "on_track"  # 20 days > 14
    (root / ".plantrack.yaml").write_text("due_soon_days: 30\n", encoding="utf-8")
    from plantrack.checks import config

    config._LOADED.clear()
    config._FOUND.clear()
    assert json.loads(run(*args)[1])[0]["state"] == "due_soon"
    assert json.loads(run(*args, "--due-soon-days", "5")[1])[0]["state"] == "on_track"
