"""The output formats: which view renders in which format, under one name everywhere.

Every command that prints takes its `--format` from `option(view)`: the same names for the
same format in every command (`md` is `markdown`; `text` and `table` name a view's terminal
form, whichever it has), and a format a view does not render is a usage error (exit 2) that
lists the ones it does.
"""

from __future__ import annotations

from typing import Any

import typer

# view -> the formats it renders, its terminal form first
VIEWS: dict[str, tuple[str, ...]] = {
    "tasks": ("table", "json", "csv", "markdown"),  # list, overdue
    "status": ("table", "json", "csv", "markdown"),
    "task": ("table", "json", "csv", "markdown"),  # show
    "problems": ("auto", "text", "json", "github"),  # validate
    "diff": ("text", "markdown", "json"),
    "history": ("text", "json"),
    "report": ("markdown", "html"),
    "rules": ("table", "json", "markdown"),
}
ALIASES = {"md": "markdown", "txt": "text", "terminal": "text"}
_TERMINAL = ("table", "text")  # the terminal form goes by either name


def normalise(view: str, name: str) -> str:
    """The format `name` means for `view`; a UsageError-like BadParameter when it has none."""
    formats = VIEWS[view]
    wanted = ALIASES.get(name.strip().lower(), name.strip().lower())
    if wanted in _TERMINAL and wanted not in formats:
        wanted = next((f for f in _TERMINAL if f in formats), wanted)
    if wanted not in formats:
        raise typer.BadParameter(f"{name!r} is not a format of this command; use one of: "
                                 + ", ".join(_named(f) for f in formats),
                                 param_hint="'--format'")
    return wanted


def _named(fmt: str) -> str:
    other = [alias for alias, meant in ALIASES.items() if meant == fmt and len(alias) < 4]
    return f"{fmt} ({', '.join(other)})" if other else fmt


def option(view: str, help_text: str | None = None) -> Any:
    """The `--format/-f` option of a command printing `view`."""
    formats = VIEWS[view]

    def check(value: str) -> str:
        return normalise(view, value)

    return typer.Option("--format", "-f", callback=check, metavar="[" + "|".join(formats) + "]",
                        help=help_text or "Output format: " + ", ".join(formats) + ".")
