"""The rule catalogue: every code raised is declared with the severity it is raised with, each
code of a plan's own checks is triggered by a plan, and docs/rules.md is the catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plantrack.rules import catalogue, markdown
from tests.conftest import REPO, plan_text
from tests.test_cli import run

SRC = REPO / "src" / "plantrack"
_RAISED = [
    re.compile(r'"(error|warning)",\s*"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"'),
    re.compile(r'(?:self\.problem|_file_problem)\([^"]*"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"'),
]


def _raised_in_source() -> dict[str, set[str]]:
    """code -> the severities the source raises it with, read from the code itself."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for severity, code in _RAISED[0].findall(text):
            found.setdefault(code, set()).add(severity)
        for code in _RAISED[1].findall(text):
            found.setdefault(code, set()).add("error")
    return found


def test_every_code_raised_is_catalogued_with_its_severity() -> None:
    rules = catalogue()
    raised = _raised_in_source()
    assert len(raised) >= 40  # codes chosen at run time (schema, yamlread) are not seen
    for code, severities in raised.items():
        assert code in rules, f"{code} is raised but not declared"
        assert severities == {rules[code].severity}, code


def test_rules_md_is_the_catalogue() -> None:
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == markdown(), (
        "docs/rules.md is stale: plantrack rules --format markdown > docs/rules.md")


def test_rules_command_formats() -> None:
    code, out, _ = run("rules", "--format", "json")
    records = json.loads(out)
    assert code == 0
    assert {"code", "severity", "scope", "description"} <= set(records[0])
    assert [r["code"] for r in records] == sorted(catalogue())
    assert {r["scope"] for r in records} == {"file", "plan", "plans", "change"}
    code, out, _ = run("rules")
    assert code == 0 and "deadline-moved-unapproved" in out and "change" in out
    assert run("rules", "--format", "md")[1] == markdown()
    code, _, err = run("rules", "--format", "xml")
    assert code == 2 and "table, json, markdown" in err


TASK = """\
- id: T-1
  title: t
  owner: dost
  due: 2025-06-30
"""

# A plan's own checks, by family: each code with a task list that triggers it.
TRIGGERS = {
    "bad-id": TASK.replace("id: T-1", "id: 'T 1'"),
    "duplicate-id": TASK + TASK,
    "unknown-owner": TASK.replace("owner: dost", "owner: dots"),
    "unknown-dependency": TASK + "  depends_on: [T-9]\n",
    "dependency-cycle": TASK + "  depends_on: [T-1]\n",
    "completed-not-done": TASK + "  completed: 2025-06-01\n",
    "done-without-date": TASK + "  status: done\n",
    "done-progress": TASK + "  status: done\n  completed: 2025-06-01\n  progress: 50\n",
    "recurring-done": TASK.replace("due: 2025-06-30", "recurs: FREQ=MONTHLY;BYMONTHDAY=25")
    + "  status: done\n  completed: 2025-06-01\n",
    "due-and-recurs": TASK + "  recurs: FREQ=MONTHLY;BYMONTHDAY=25\n",
    "bad-rrule": TASK.replace("due: 2025-06-30", "recurs: FREQ=SOMETIMES"),
    "hard-extended": TASK + "  hard: true\n  extensions:\n"
    "    - {due: 2025-07-31, approved: 2025-06-01}\n",
    "extensions-order": TASK + "  extensions:\n    - {due: 2025-07-31, approved: 2025-06-01}\n"
    "    - {due: 2025-08-31, approved: 2025-05-01}\n",
    "updates-order": TASK + "  updates:\n    - {date: 2025-06-01}\n    - {date: 2025-05-01}\n",
    "bad-quantity": TASK + "  targets:\n    - {metric: m, target: lots}\n",
    "unmeasured": TASK + "  targets:\n    - {metric: m, target: 10, actual: 5}\n",
    "unknown-basis": TASK + "  basis: [nq-99]\n",
    "out-of-range": TASK + "  progress: 120\n",
    "unknown-key": TASK + "  dedline: 2025-07\n",
    "missing-key": "- id: T-1\n  title: t\n  due: 2025-06-30\n",
    "wrong-type": TASK + "  tags: 5\n",
    "bad-date": TASK.replace("due: 2025-06-30", "due: June"),
    "bad-value": TASK + "  status: finished\n",
    "duplicate-key": TASK + "  title: again\n",
    "id-mismatch": TASK,
}


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_plan_check_code_is_triggered_with_its_catalogue_severity(
        code: str, tmp_path: Path) -> None:
    name = "other.yaml" if code == "id-mismatch" else "example-2025.yaml"
    path = tmp_path / name
    path.write_text(plan_text(TRIGGERS[code]), encoding="utf-8")
    _, out, _ = run("validate", str(path), "--format", "json")
    found = {r["code"]: r["severity"] for r in json.loads(out)}
    assert found.get(code) == catalogue()[code].severity, found


# A file's own reading, by family: raw bytes that stop or trouble the YAML reader.
FILE_TRIGGERS = {
    "encoding": b"plantrack: 1\ntitle: \xff\n",
    "yaml-syntax": b"plantrack: 1\ntitle: [unclosed\n",
    "yaml-version": b"%YAML 1.1\n---\nplantrack: 1\n",
    "multiple-documents": b"plantrack: 1\n---\nplantrack: 1\n",
    "empty-file": b"",
    "not-a-mapping": b"- a\n- b\n",
    "alias": plan_text(TASK).replace("title: t", "title: &x t\n    notes: *x").encode(),
    "key-type": plan_text(TASK).replace("title: t", "title: t\n    1: x").encode(),
    "yaml-tag": plan_text(TASK).replace("title: t", "title: !!binary dA==").encode(),
}


@pytest.mark.parametrize("code", sorted(FILE_TRIGGERS))
def test_each_file_code_is_triggered_with_its_catalogue_severity(code: str,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "example-2025.yaml"
    path.write_bytes(FILE_TRIGGERS[code])
    _, out, _ = run("validate", str(path), "--format", "json")
    found = {r["code"]: r["severity"] for r in json.loads(out)}
    assert found.get(code) == catalogue()[code].severity, found
    assert catalogue()[code].scope == "file"
