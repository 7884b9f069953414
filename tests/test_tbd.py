"""`due: tbd`: a deadline not yet set, and the derived state `unscheduled`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plantrack.domain.deadlines import parse_deadline
from plantrack.domain.model import Plan, Task
from plantrack.domain.state import derive, overdue_in_plan, tally
from tests.conftest import WritePlan, plan_text
from tests.gitrepo import GitRepo
from tests.test_cli import run

DAY = dt.date(2026, 12, 3)

TASKS = """
- id: A
  title: Open, no deadline yet
  owner: dost
  due: tbd
- id: B
  title: Done with no deadline
  owner: dost
  due: TBD
  status: done
  completed: 2026-05-01
- id: C
  title: Late
  owner: ppc-office
  due: 2026-06-30
- id: D
  title: Cancelled, no deadline
  owner: ppc-office
  due: tbd
  status: cancelled
"""


def _task(**kw: object) -> Task:
    return Task(id="T", title="t", owner="dost", **kw)  # type: ignore[arg-type]


def _plan(*tasks: Task) -> Plan:
    return Plan(plantrack=1, id="p", title="p", owners={}, tasks=list(tasks))


def test_parse_tbd_in_either_case() -> None:
    for text in ("tbd", "TBD", " tbd "):
        d = parse_deadline(text)
        assert (d.text, d.kind, d.last_day) == ("tbd", "tbd", None)
        assert d.is_tbd and d.open_ended and not d.is_ongoing
    assert not parse_deadline("ongoing").is_tbd


def test_states_open_done_cancelled_and_never_overdue() -> None:
    tbd = parse_deadline("tbd")
    open_ = _task(due=tbd)
    done = _task(due=tbd, status="done", completed=dt.date(2026, 1, 1))
    cancelled = _task(due=tbd, status="cancelled")
    plan = _plan(open_, done, cancelled)
    for day in (dt.date(1990, 1, 1), DAY, dt.date(2199, 12, 31)):
        state = derive(plan, open_, day)
        assert state.state == "unscheduled"
        assert state.days_overdue is None and state.days_left is None
        assert state.deadline_day is None and state.deadline_text == "tbd"
    assert derive(plan, done, DAY).state == "done_on_time"
    assert derive(plan, cancelled, DAY).state == "cancelled"
    assert overdue_in_plan(plan, DAY) == []


def test_unscheduled_counts_in_no_on_time_share() -> None:
    tbd = parse_deadline("tbd")
    late = _task(due=parse_deadline("2026-06-30"))
    plan = _plan(_task(due=tbd), _task(due=tbd), late)
    counts = tally(derive(plan, t, DAY) for t in plan.tasks)
    assert counts.counts["unscheduled"] == 2
    assert counts.came_due == 1 and counts.on_time_share == 0.0


def test_validate_warns_and_a_repository_can_turn_it_off(write_plan: WritePlan,
                                                          tmp_path: Path) -> None:
    path = write_plan(TASKS)
    code, out, err = run("validate", str(path))
    text = out + err
    assert code == 0
    line = plan_text(TASKS).splitlines().index("    due: tbd") + 1
    assert f":{line}:" in text and "[deadline-tbd] task A has no deadline yet (due: tbd)" in text
    assert "hint: set one" in text
    assert text.count("deadline-tbd") == 1  # not for the done or the cancelled task
    root = tmp_path / "repo"  # a fresh folder: where a configuration was looked for is kept
    (root / ".git").mkdir(parents=True)
    (root / ".plantrack.yaml").write_text("rules:\n  deadline-tbd: off\n")
    path = write_plan(TASKS, folder=root / "plans")
    code, out, err = run("validate", ".", "--format", "json", cwd=path.parent)
    records = json.loads(out)
    assert code == 0
    assert [(r["code"], r["waived"]) for r in records] == [("deadline-tbd", "off")]
    code, out, err = run("validate", ".", cwd=path.parent)
    assert code == 0 and "warning [deadline-tbd]" not in out + err
    code, out, _ = run("rules")
    assert "deadline-tbd" in out and "hard-tbd" in out and "extension-tbd" in out


def test_hard_tbd_and_extension_to_tbd_are_errors_where_written(write_plan: WritePlan) -> None:
    tasks = """
    - id: H
      title: Hard
      owner: dost
      due: tbd
      hard: true
    - id: X
      title: Extended
      owner: dost
      due: 2026-03-01
      extensions:
        - due: tbd
          approved: 2026-02-01
    """
    path = write_plan(tasks)
    lines = path.read_text().splitlines()
    code, out, err = run("validate", str(path))
    text = out + err
    assert code == 1
    hard = lines.index("    hard: true") + 1
    ext = lines.index("      - due: tbd") + 1
    assert f":{hard}:11: error [hard-tbd]" in text
    assert f":{ext}:" in text and "error [extension-tbd]" in text


def test_schema_accepts_tbd(write_plan: WritePlan, tmp_path: Path) -> None:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("check-jsonschema is not installed")
    schema = tmp_path / "plan.schema.json"
    schema.write_text(run("schema")[1])
    good = write_plan(TASKS)
    ok = subprocess.run([exe, "--schemafile", str(schema), str(good)], capture_output=True,
                        text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = write_plan(TASKS.replace("due: tbd", "due: tbc", 1), name="bad.yaml")
    failed = subprocess.run([exe, "--schemafile", str(schema), str(bad)],
                            capture_output=True, text=True)
    assert failed.returncode == 1


def test_views(write_plan: WritePlan) -> None:
    path = str(write_plan(TASKS))
    code, out, _ = run("status", path, "--as-of", DAY.isoformat())
    assert code == 0 and "TBD" in out and "No deadline yet (1)" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, _ = run("status", path, "--as-of", DAY.isoformat(), "--format", "json")
    record = json.loads(out)
    assert record["total"]["unscheduled"] == 1
    assert record["total"]["on_time_share"] == 0.5  # B on time, C overdue; A in neither
    assert [t["id"] for t in record["unscheduled"]] == ["A"]
    code, out, _ = run("status", path, "--as-of", DAY.isoformat(), "--format", "csv")
    head = out.splitlines()[0]
    assert "unscheduled" in head.split(",")
    code, out, _ = run("list", path, "--state", "unscheduled", "--as-of", DAY.isoformat(),
                       "--format", "json")
    tasks = json.loads(out)
    assert [(t["id"], t["state"], t["due"], t["deadline"]) for t in tasks] == [
        ("A", "unscheduled", "tbd", None)]
    code, out, _ = run("list", path, "--as-of", DAY.isoformat(), "--format", "csv")
    assert "A,Open, no deadline yet" in out or ",unscheduled," in out
    code, out, _ = run("list", path, "--as-of", DAY.isoformat())
    assert "no deadline yet" in out
    code, out, _ = run("overdue", path, "--as-of", DAY.isoformat(), "--format", "json")
    assert [t["id"] for t in json.loads(out)] == ["C"]


@pytest.mark.parametrize(("lang", "heading"), [("en", "Tasks with no deadline yet"),
                                               ("vi", "Nhiệm vụ chưa xác định thời hạn")])
def test_report_lists_them_apart(write_plan: WritePlan, lang: str, heading: str) -> None:
    path = str(write_plan(TASKS))
    for fmt in ("md", "html"):
        code, out, err = run("report", path, "--as-of", DAY.isoformat(), "--format", fmt,
                             "--lang", lang)
        assert code == 0, err
        assert f"{heading} (1)" in out
    code, out, _ = run("report", path, "--as-of", DAY.isoformat(), "--format", "md")
    section = out.split("Tasks with no deadline yet")[1].split("## 7.")[0]
    assert "example-2025/A" in section and "example-2025/D" not in section
    assert "50.0%" in out or "50%" in out


def test_add_due_tbd_and_extend_to_tbd_refused(write_plan: WritePlan) -> None:
    path = write_plan(TASKS.replace("id: A", "id: T-1").replace("id: B", "id: T-2"))
    code, _, err = run("add", str(path), "--title", "New one", "--owner", "dost", "--due", "tbd")
    assert code == 0, err
    assert "due: tbd" in path.read_text()
    code, _, err = run("extend", f"{path}/C", "--to", "tbd", "--approved", "2026-12-01")
    assert code in (1, 2) and "tbd" in err
    assert "extensions" not in path.read_text()


def test_diff_from_tbd_to_a_date(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/example-2025.yaml", plan_text(TASKS))
    repo.commit("tbd")
    repo.write("plans/example-2025.yaml",
               plan_text(TASKS.replace("due: tbd", "due: 2027-03-31", 1)))
    repo.commit("deadline set")
    code, out, err = run("diff", "HEAD~1", "HEAD", cwd=repo.root)
    assert code == 0, err
    assert "deadline set: tbd -> 2027-03-31" in out
    code, out, err = run("diff", "HEAD~1", "HEAD", "--check", cwd=repo.root)
    assert code == 0, out + err
    # Back from a date to tbd gives more time: it needs an approved extension.
    repo.write("plans/example-2025.yaml", plan_text(TASKS))
    repo.commit("unset")
    code, out, err = run("diff", "HEAD~1", "HEAD", "--check", cwd=repo.root)
    assert code == 1 and "deadline-moved-unapproved" in out + err
