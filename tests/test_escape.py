"""Plan text leaves through the escaper of its target: terminal, Markdown, CSV, GitHub."""

from __future__ import annotations

import csv
import html
import io
import json
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


@pytest.mark.parametrize("char", [
    "\x1b", "\x07", "\x00", "\x7f", "\x85", "\x9b", "\u202a", "\u202b", "\u202c", "\u202d",
    "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
])
def test_terminal_shows_controls_and_bidi_as_replacement(char: str) -> None:
    assert escape.terminal(f"a{char}b") == "a\ufffdb"
    assert escape.inert(f"a{char}b") == "a\ufffdb"


def test_terminal_makes_one_line() -> None:
    assert escape.terminal("a\nb\rc\td\u2028e\u2029f") == "a b c d e f"


@pytest.mark.parametrize("text", [
    "::error::x", ":::warning:::", "##[error]x", "###[group]", "##vso[task.setvariable]",
    "##VSO[task.complete]", "section_start:1:x", "SECTION_END:1:x", "a ::add-mask::b",
])
def test_terminal_breaks_every_workflow_marker(text: str) -> None:
    shown = escape.terminal(text)
    assert shown.replace(escape.ZWSP, "") == text
    for marker in ("::", "##[", "##vso[", "section_start:", "section_end:"):
        assert marker not in shown.lower()
    assert escape.terminal(shown) == shown  # escaping twice changes nothing more


def test_terminal_passes_plain_text_unchanged() -> None:
    for text in ("Sở KH&CN đã ký", "a: b", "# 1", "snake_case", "12:30", "C# code"):
        assert escape.terminal(text) == text


def test_markdown_neutralises_mentions_and_references() -> None:
    shown = escape.markdown("@user #123 GH-45 octo/repo#7 a@b.c")
    decoded = html.unescape(shown).replace(escape.ZWSP, "")
    assert decoded == "@user #123 GH-45 octo/repo#7 a@b.c"
    for reference in ("@user", "#123", "GH-45", "repo#7"):
        assert reference not in html.unescape(shown)


def test_github_data_makes_controls_inert_and_keeps_its_encoding() -> None:
    assert escape.github_data("50%\nnext\r") == "50%25%0Anext%0D"
    assert escape.github_data("\x1b[31m\u202ex ##vso[y]") == "\ufffd[31m\ufffdx #\u200b#vso[y]"
    assert escape.github_property("a:b,c\x1b") == "a%3Ab%2Cc\ufffd"


def test_json_text_keeps_strings_exact_and_writes_no_raw_control() -> None:
    value = {"t": "\x1b[31m \x7f \x9b \u202e \u2066 \u2028 \u200f \n ::error::x"}
    text = escape.json_text(value)
    assert json.loads(text) == value
    assert not any(c in text for c in "\x1b\x7f\x9b\u202e\u2066\u2028\u200f")
    assert "::error::x" in text  # JSON is data: nothing else changes


def test_html_makes_controls_inert() -> None:
    assert escape.html("<b>\x1b\u202e</b>") == "&lt;b&gt;\ufffd\ufffd&lt;/b&gt;"


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+1", "'+1"),
    ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("Số hoá", "Số hoá"), (5, 5), (None, None),
    ("\t=1", "' =1"), ("\r=1", "' =1"), (" =1", "' =1"), ("\u3000+1", "'\u3000+1"),
    ("\n@x", "' @x"), ("a\x1bb", "a\ufffdb"), ("::error::x", ":\u200b:error:\u200b:x"),
    (-3, -3), ("a=b", "a=b"),
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
