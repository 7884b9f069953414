"""Plan text leaves through the escaper of its target: terminal, Markdown, CSV, GitHub."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from plantrack.views import escape
from tests.conftest import WritePlan
from tests.test_cli import run

HOSTILE = "\x1b[31mRed\x1b[0m \x1b]8;;http://evil\x07link\nnext ::error::x"


def test_terminal_keeps_printable_text_and_neutralises_controls() -> None:
    assert escape.terminal("Sở KH&CN đã ký") == "Sở KH&CN đã ký"
    shown = escape.terminal(HOSTILE)
    assert "\x1b" not in shown and "\x07" not in shown and "\n" not in shown
    assert shown.endswith("link next :\u200b:error:\u200b:x")


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+1", "'+1"),
    ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("Số hoá", "Số hoá"), (5, 5), (None, None),
])
def test_csv_cells_are_never_formulas(value: object, cell: object) -> None:
    assert escape.csv_cell(value) == cell


def _hostile_plan(write_plan: WritePlan) -> Path:
    # in YAML's double quotes: \e is ESC, \a is BEL, \n a line break
    title = HOSTILE.replace("\x1b", "\\e").replace("\x07", "\\a").replace("\n", "\\n")
    return write_plan(f'- id: T-1\n  title: "{title}"\n  owner: dost\n  due: 2025-06-30\n'
                      '- id: T-2\n  title: "=HYPERLINK(1)"\n  owner: dost\n  due: 2025-06-30\n')


@pytest.mark.parametrize("args", [
    ["list"], ["overdue"], ["status"], ["show", "T-1"], ["list", "-f", "markdown"],
])
def test_no_command_prints_plan_control_characters(write_plan: WritePlan,
                                                   args: list[str]) -> None:
    path = _hostile_plan(write_plan)
    code, out, err = run(*args, str(path), "--as-of", "2025-07-01")
    assert code == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())


def test_show_table_is_the_column_layout(write_plan: WritePlan) -> None:
    path = _hostile_plan(write_plan)
    _, out, _ = run("show", "T-1", str(path), "--as-of", "2025-07-01")
    lines = out.splitlines()
    assert lines[0].split() == ["Task", "example-2025/T-1"]
    assert any(line.startswith("State ") and "overdue" in line for line in lines)


def test_csv_output_holds_no_formula(write_plan: WritePlan) -> None:
    path = _hostile_plan(write_plan)
    _, out, _ = run("list", str(path), "-f", "csv", "--as-of", "2025-07-01")
    titles = [row["title"] for row in csv.DictReader(io.StringIO(out))]
    assert "'=HYPERLINK(1)" in titles
