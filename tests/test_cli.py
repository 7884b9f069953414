"""The command line as people use it: through Typer's runner and the installed entry point."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.cli import app
from tests.conftest import REPO, SHIPPED_PLANS, WritePlan, plan_text

runner = CliRunner()
COMMANDS = ["validate", "status", "list", "overdue", "show", "schema"]

GOOD_TASKS = """
- id: T-1
  title: Số hoá hồ sơ đất đai
  owner: dost
  due: 2025-03
  tags: [data]
- id: T-2
  title: Done early
  owner: ppc-office
  due: 2025-Q2
  status: done
  completed: 2025-04-01
- id: T-3
  title: Late but done
  owner: dost
  due: 2025-03-09
  status: done
  completed: 2025-03-20
- id: T-4
  title: Standing duty
  owner: dost
  due: ongoing
- id: T-5
  title: Far away
  owner: ppc-office
  due: 2026
"""


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(old)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("plantrack ")
    for command in COMMANDS:
        code, out, _ = run(command, "--help")
        assert code == 0 and "Example: plantrack" in out, command


def test_shipped_plans_validate_clean() -> None:
    """No errors; a warning for each task whose source gives no deadline yet, and no other."""
    code, out, err = run("validate", *map(str, SHIPPED_PLANS))
    assert code == 0, out
    warned = re.findall(r"^\S+:\d+:\d+: warning \[deadline-tbd\] task (\S+) ", out, re.M)
    assert len(warned) == 11 and len(out.splitlines()) == 2 * len(warned)
    assert "0 error(s), 11 warning(s)" in err


def test_plans_folder_is_the_default(tmp_path: Path, write_plan: WritePlan) -> None:
    write_plan(GOOD_TASKS)
    code, out, _ = run("list", "--as-of", "2025-04-15", "--format", "json", cwd=tmp_path)
    assert code == 0
    states = {r["id"]: r["state"] for r in json.loads(out)}
    assert states == {"T-1": "overdue", "T-2": "done_on_time", "T-3": "done_late",
                      "T-4": "ongoing", "T-5": "on_track"}


def test_list_json_fields(write_plan: WritePlan) -> None:
    path = write_plan(GOOD_TASKS)
    code, out, _ = run("list", str(path), "--as-of", "30/4/2025", "-f", "json")
    first = json.loads(out)[0]
    assert code == 0
    assert first["plan"] == "example-2025" and first["due"] == "2025-03"
    assert first["deadline"] == "2025-03-31" and first["days_overdue"] == 30
    for key in ("plan", "id", "title", "owner", "due", "deadline", "state", "days_overdue",
                "status", "progress"):
        assert key in first


def test_no_plans_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("status", cwd=tmp_path)
    assert code == 2 and "no plans/ folder" in err


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.yaml"))
    assert code == 2 and "no such file" in err


def test_bad_as_of_is_a_usage_error(write_plan: WritePlan) -> None:
    path = write_plan(GOOD_TASKS)
    code, _, err = run("status", str(path), "--as-of", "31/2/2025")
    assert code == 2 and "not a real date" in err


def test_empty_plan_file(write_plan: WritePlan) -> None:
    path = write_plan(raw="")
    code, out, _ = run("validate", str(path))
    assert code == 1 and f"{path}:1:1: error [empty-file]" in out


def test_not_yaml(write_plan: WritePlan) -> None:
    path = write_plan(raw="tasks: [unclosed\n  - {\n", name="broken.yaml")
    code, out, _ = run("validate", str(path))
    assert code == 1 and "error [yaml-syntax]" in out
    code, _, err = run("status", str(path))
    assert code == 1 and "left out" in err


def test_folder_with_one_good_and_one_broken_plan(tmp_path: Path, write_plan: WritePlan) -> None:
    write_plan(GOOD_TASKS)
    write_plan(GOOD_TASKS.replace("due: 2025-03\n", "dedline: 2025-03\n"), plan_id="broken-2025")
    code, out, err = run("validate", cwd=tmp_path)
    assert code == 1
    assert "broken-2025.yaml:12:5: error [unknown-key]" in out
    assert "missing-key" not in out
    assert "did you mean 'due'" in out and "1 error(s)" in err
    code, out, err = run("overdue", "--as-of", "2025-04-15", "-f", "json", cwd=tmp_path)
    assert code == 1 and "broken-2025.yaml" in err
    assert [r["plan"] for r in json.loads(out)] == ["example-2025"]


def test_validate_formats_and_strict(write_plan: WritePlan) -> None:
    path = write_plan(GOOD_TASKS, name="renamed.yaml")
    code, out, _ = run("validate", str(path))
    assert code == 0 and "warning [id-mismatch]" in out
    assert run("validate", str(path), "--strict")[0] == 1
    code, out, _ = run("validate", str(path), "--format", "github")
    assert out.startswith(f"::warning file={path},line=2,col=5,title=plantrack id-mismatch::")
    code, out, _ = run("validate", str(path), "--format", "json")
    assert json.loads(out)[0]["code"] == "id-mismatch"


def test_github_format_is_chosen_under_actions(write_plan: WritePlan,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_plan(GOOD_TASKS, name="renamed.yaml")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run("validate", str(path))[1].startswith("::warning ")


def test_status_counts_and_share(write_plan: WritePlan) -> None:
    path = write_plan(GOOD_TASKS)
    code, out, _ = run("status", str(path), "--as-of", "2025-04-15", "-f", "json")
    record = json.loads(out)
    assert code == 0
    assert record["total"]["overdue"] == 1 and record["total"]["done_late"] == 1
    assert record["total"]["on_time_share"] == pytest.approx(1 / 3, abs=1e-3)
    assert record["most_overdue"][0]["id"] == "T-1"
    owners = {o["owner"]: o for o in record["owners"]}
    assert owners["dost"]["total"] == 3 and owners["ppc-office"]["total"] == 2


def test_status_table_fits_80_columns(write_plan: WritePlan) -> None:
    path = write_plan(GOOD_TASKS)
    code, out, _ = run("status", str(path), "--as-of", "2025-04-15")
    assert code == 0 and "Status as of 2025-04-15" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "\x1b[" not in out  # no colour when not a terminal


def test_filters(write_plan: WritePlan) -> None:
    path = write_plan(GOOD_TASKS)

    def ids(*args: str) -> list[str]:
        code, out, _ = run("list", str(path), "--as-of", "2025-04-15", "-f", "json", *args)
        assert code == 0
        return [r["id"] for r in json.loads(out)]

    assert ids("--owner", "PPC Office") == ["T-2", "T-5"]
    assert ids("--state", "done_late", "--state", "ongoing") == ["T-3", "T-4"]
    assert ids("--tag", "data") == ["T-1"]
    assert ids("--due-before", "2025-04-01") == ["T-1", "T-3"]
    assert ids("--due-after", "2025-12-31") == ["T-5"]
    assert ids("--search", "so hoa ho so dat dai") == ["T-1"]
    assert ids("--search", "SỐ HOÁ") == ["T-1"]
    assert run("list", str(path), "--state", "late")[0] == 2


def test_csv_and_markdown(write_plan: WritePlan) -> None:
    path = write_plan(GOOD_TASKS.replace("Far away", "Pipe | and <b>tag</b>"))
    code, out, _ = run("list", str(path), "--as-of", "2025-04-15", "-f", "csv")
    assert code == 0 and out.splitlines()[0].startswith("plan,id,title,owner")
    code, out, _ = run("list", str(path), "--as-of", "2025-04-15", "-f", "markdown")
    assert "Pipe &#124; and &lt;b&gt;tag&lt;/b&gt;" in out
    code, out, _ = run("status", str(path), "--as-of", "2025-04-15", "-f", "markdown")
    assert code == 0 and out.startswith("## Status as of 2025-04-15")


def test_show(write_plan: WritePlan) -> None:
    path = write_plan(GOOD_TASKS)
    code, out, _ = run("show", "example-2025/T-3", str(path), "--as-of", "2025-04-15")
    assert code == 0 and "Late but done" in out and "done late" in out
    code, out, _ = run("show", "t-1", str(path), "-f", "json", "--as-of", "2025-04-15")
    assert json.loads(out)["deadline_history"][0]["due"] == "2025-03"
    code, _, err = run("show", "example-2025/T-9", str(path))
    assert code == 2 and "no task 'T-9'" in err


def test_schema_is_json(tmp_path: Path) -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0 and "with" in schema["$defs"]["Task"]["properties"]


def test_shipped_plans_pass_check_jsonschema(tmp_path: Path) -> None:
    """A real client of the schema, as an editor or CI would use it."""
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    schema = tmp_path / "plan.schema.json"
    schema.write_text(run("schema")[1])
    ok = subprocess.run([exe, "--schemafile", str(schema), *map(str, SHIPPED_PLANS)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHIPPED_PLANS[0].read_text().replace("    owner:", "    ownr:", 1))
    failed = subprocess.run([exe, "--schemafile", str(schema), str(bad)], capture_output=True,
                            text=True)
    assert failed.returncode == 1


def test_installed_entry_point(tmp_path: Path) -> None:
    exe = shutil.which("plantrack", path=str(Path(sys.executable).parent))
    assert exe, "the plantrack entry point is installed with the package"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    done = subprocess.run([exe, "status", "--as-of", "2025-06-30"], cwd=REPO, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "hanoi-2025" in done.stdout and "hai-duong-2025" in done.stdout
    module = subprocess.run([sys.executable, "-m", "plantrack", "--version"], capture_output=True,
                            text=True)
    assert module.returncode == 0 and module.stdout.startswith("plantrack ")
    missing = subprocess.run([exe, "status"], cwd=tmp_path, capture_output=True, text=True)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_unreadable_file_exits_2(write_plan: WritePlan) -> None:
    written = write_plan(GOOD_TASKS)
    written.chmod(0)
    target = written
    if os.access(written, os.R_OK):
        # Permissions do not stop root; a file every read of which fails does.
        target = Path("/proc/self/mem")
        if not target.exists():
            pytest.skip("no file here that refuses to be read")
    code, out, _ = run("validate", str(target))
    written.chmod(0o644)
    assert code == 2 and "cannot read" in out


@pytest.mark.parametrize("command", ["status", "list", "overdue"])
def test_reader_that_stops_early_is_not_an_error(command: str, write_plan: WritePlan) -> None:
    """`plantrack list | head -c 10`: quiet, and the same exit code as a full read. The plan
    is large enough that the output cannot fit in the pipe's buffer."""
    count = 2000
    tasks = "".join(f"- id: T-{i}\n  title: Task number {i} of a long plan\n  owner: o{i}\n"
                    f"  due: 2025-0{1 + i % 9}\n" for i in range(count))
    owners = "".join(f"  o{i}: Owner number {i}\n" for i in range(count))
    path = write_plan(raw=plan_text(tasks).replace("owners:\n", "owners:\n" + owners))
    done = subprocess.run(f"'{sys.executable}' -m plantrack {command} '{path}' --as-of "
                          "2025-12-31 | head -c 10 >/dev/null; echo ${PIPESTATUS[0]} >&2",
                          shell=True, executable="/bin/bash", capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"})
    assert done.stderr.strip() == "0"


def test_long_output_is_written_whole(write_plan: WritePlan) -> None:
    """The process ends without tearing the interpreter down: what it printed still arrives."""
    count = 3000
    tasks = "".join(f"- id: T-{i}\n  title: Task {i}\n  owner: o\n  due: 2025-01\n"
                    for i in range(count))
    path = write_plan(raw=plan_text(tasks).replace("owners:\n", "owners:\n  o: Owner\n"))
    done = subprocess.run([sys.executable, "-m", "plantrack", "overdue", str(path), "--as-of",
                           "2025-12-31"], capture_output=True, text=True)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert lines[0] == f"Overdue ({count})" and len(lines) == count + 3
    assert {line.split()[0] for line in lines[3:]} == {f"T-{i}" for i in range(count)}


@pytest.mark.parametrize("command", ["status", "overdue", "--help"])
def test_output_that_cannot_be_written_is_an_io_error(command: str) -> None:
    """A full disk: one line and exit 2, not a traceback."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "plantrack", command], cwd=REPO,
                              stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == "plantrack: error: No space left on device"


def test_status_lists_an_empty_plan_and_only_the_plans_asked(write_plan: WritePlan) -> None:
    empty = write_plan("", plan_id="empty-2025")
    full = write_plan(GOOD_TASKS)
    code, out, _ = run("status", str(empty), str(full), "--as-of", "2025-04-15", "-f", "json")
    assert code == 0
    assert {p["plan"]: p["total"] for p in json.loads(out)["plans"]} == {
        "empty-2025": 0, "example-2025": 5}
    code, out, _ = run("status", str(empty), str(full), "--plan", "example-2025", "-f", "json")
    assert [p["plan"] for p in json.loads(out)["plans"]] == ["example-2025"]


@pytest.mark.parametrize("command", [["show", "T-1"], ["overdue"], ["list"], ["status"]])
def test_plan_text_is_shown_as_written_not_as_markup(command: list[str],
                                                     write_plan: WritePlan) -> None:
    title = "[/draft] [red]Decision[/red] :smile: [2025]"
    text = plan_text(GOOD_TASKS.replace("Số hoá hồ sơ đất đai", f'"{title}"', 1))
    path = write_plan(raw=text.replace("dost: Department of Science and Technology",
                                       "dost: '[b]Department of Science and Technology'"))
    code, out, err = run(*command, str(path), "--as-of", "2025-12-31")
    assert code == 0, err
    assert title in " ".join(out.split())
    if command[0] == "show":
        assert "[b]Department" in " ".join(out.split())
    assert "😄" not in out


def test_a_profiled_run_ends_normally(tmp_path: Path) -> None:
    """The run skips interpreter teardown, but not under a profiler: its data is written."""
    out = tmp_path / "status.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "plantrack",
                           "status", "--as-of", "2025-06-30"], cwd=REPO, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0


def test_list_wraps_vietnamese_with_combining_marks_like_composed_text(
        write_plan: WritePlan, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain layout of `list` counts terminal cells, whatever the normal form."""
    import unicodedata

    monkeypatch.setenv("COLUMNS", "64")
    outs = []
    for form in ("NFC", "NFD"):
        path = write_plan(raw=unicodedata.normalize(form, plan_text(GOOD_TASKS)))
        code, out, _ = run("list", str(path), "--as-of", "2025-04-15")
        assert code == 0
        outs.append(unicodedata.normalize("NFC", out))
    assert outs[0] == outs[1]
    assert "Số hoá hồ sơ đất\n" in outs[0]  # wrapped to the narrowest title column
