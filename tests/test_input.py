"""One reading of what a user types: owners by key, name or alias in filters and edits alike,
unknown owners and plans as errors with suggestions, updates in date order."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_cli import run


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    return tmp_path


def _in(folder: Path, *args: str) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return run(*args)
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize(("args", "hint"), [
    (["list", "--owner", "dots"], "did you mean 'DOST'?"),
    (["status", "--owner", "dots"], "did you mean 'DOST'?"),
    (["overdue", "--plan", "hanoi"], "did you mean 'hanoi-2025'?"),
    (["list", "--plan", "ha-noi-2025"], "did you mean 'hanoi-2025', 'hai-duong-2025'?"),
])
def test_unknown_owner_or_plan_is_a_usage_error(plans: Path, args: list[str], hint: str
                                                ) -> None:
    code, out, err = _in(plans, *args)
    assert code == 2 and out == "" and hint in err


def test_add_reads_owners_as_filters_do(plans: Path) -> None:
    code, out, _ = _in(plans, "list", "--owner", "Sở Khoa học và Công nghệ", "--format",
                       "json", "--plan", "hanoi-2025")
    assert code == 0 and out.count('"owner": "dost"') > 0
    code, out, err = _in(plans, "add", "hanoi-2025", "--title", "Pilot", "--owner",
                         "Sở Khoa học và Công nghệ", "--with", "Department of Finance",
                         "--due", "2025-Q4", "--dry-run")
    assert code == 0, err
    assert "+    owner: dost" in out and "+    with: [finance]" in out
    code, _, err = _in(plans, "add", "hanoi-2025", "--title", "x", "--owner", "dots", "--due",
                       "2025")
    assert code == 2 and "did you mean 'DOST'?" in err


def test_a_back_dated_update_goes_in_date_order_and_leaves_the_task_as_it_is(plans: Path
                                                                             ) -> None:
    assert _in(plans, "update", "hanoi-2025/HN-11", "--progress", "40", "--date",
               "2025-06-25")[0] == 0
    code, _, err = _in(plans, "update", "hanoi-2025/HN-11", "--progress", "10", "--note",
                       "first", "--date", "25/4/2025")
    assert code == 0, err
    text = (plans / "plans" / "hanoi-2025.yaml").read_text(encoding="utf-8")
    block = text[text.index("  - id: HN-11"):text.index("  - id: HN-12")]
    assert "    progress: 40\n" in block
    assert block.index("2025-04-25") < block.index("2025-06-25")
    assert _in(plans, "validate")[0] == 0


def test_an_update_that_records_nothing_is_refused_except_on_a_duty(plans: Path) -> None:
    code, _, err = _in(plans, "update", "hanoi-2025/HN-11", "--date", "2025-06-25")
    assert code == 2 and "records nothing" in err
    text = (plans / "plans" / "hai-duong-2025.yaml").read_text(encoding="utf-8")
    before = text[:text.index("recurs: FREQ=MONTHLY;BYMONTHDAY=25")]
    duty = before[before.rindex("  - id: ") + len("  - id: "):].split("\n")[0].strip()
    code, _, err = _in(plans, "update", f"hai-duong-2025/{duty}", "--date", "2025-06-25")
    assert code == 0, err


def test_a_task_is_named_the_same_way_everywhere(plans: Path) -> None:
    for ref in ("hanoi-2025/HN-11", "HN-11", "plans/hanoi-2025.yaml/HN-11"):
        code, out, err = _in(plans, "show", ref, "--format", "json")
        assert code == 0 and '"id": "HN-11"' in out, err
    for day, ref in (("2025-06-25", "HN-11"), ("2025-06-26", "plans/hanoi-2025.yaml/HN-11")):
        code, out, err = _in(plans, "update", ref, "--note", "sent", "--date", day)
        assert code == 0 and "HN-11: update recorded" in out, err
    code, _, err = _in(plans, "update", "HX-99", "--note", "x")
    assert code == 2 and "no task 'HX-99'" in err
