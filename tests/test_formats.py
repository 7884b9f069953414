"""One name per format in every command; a format a command does not print is exit 2."""

from __future__ import annotations

import pytest

from plantrack.views.formats import RENDERERS, formats_of, normalise
from tests.test_cli import run

# Each command that prints, the view it prints, and the arguments it needs besides --format.
COMMANDS = {
    "validate": ("problems", ["plans"]), "status": ("status", ["plans"]),
    "list": ("tasks", ["plans"]), "overdue": ("tasks", ["plans"]),
    "show": ("task", ["hanoi-2025/HN-01", "plans"]), "report": ("report", ["plans"]),
    "diff": ("diff", []), "history": ("history", ["hanoi-2025/HN-01"]),
    "rules": ("rules", []),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_rejects_a_format_it_does_not_print(command: str) -> None:
    view, args = COMMANDS[command]
    code, _, err = run(command, *args, "--format", "docx-or-pdf")
    assert code == 2
    assert "is not a format of this command" in err
    for fmt in formats_of(view):
        assert fmt in err


@pytest.mark.parametrize(("view", "given", "meant"), [
    ("report", "md", "markdown"), ("tasks", "md", "markdown"), ("diff", "MD", "markdown"),
    ("tasks", "text", "table"), ("diff", "table", "text"), ("rules", "text", "table"),
    ("problems", "github", "github"),
])
def test_one_name_per_format(view: str, given: str, meant: str) -> None:
    assert normalise(view, given) == meant


def test_md_and_markdown_give_the_same_report() -> None:
    args = ["report", "plans", "--as-of", "2025-06-30"]
    assert run(*args, "--format", "md")[1] == run(*args, "--format", "markdown")[1]


def test_every_format_listed_has_its_renderer() -> None:
    from plantrack.views.formats import renderer

    for view, fmt in RENDERERS:
        assert callable(renderer(view, fmt)), (view, fmt)
