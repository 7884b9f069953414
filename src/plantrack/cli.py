"""The `plantrack` command: parses arguments and hands each command to its module."""

from __future__ import annotations

import gc
import importlib
import sys
from typing import Annotated

import typer

from plantrack import __version__

# Each module under plantrack.commands registers its commands on the app.
COMMAND_MODULES = ("validate", "status", "listing", "show", "schema", "report", "edit", "diff")

app = typer.Typer(
    name="plantrack",
    help="Track the tasks, owners and deadlines of government plans kept as YAML in git.\n\n"
    "Exit codes: 0 ok, 1 problems found, 2 usage or unreadable input.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"plantrack {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Track the tasks, owners and deadlines of government plans kept as YAML in git."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"plantrack.commands.{_name}").register(app)


def main() -> None:
    # A run is short and what it loads stays alive to the end: collecting cycles would only
    # walk the growing heap again and again (a third of a 100,000-task load).
    gc.disable()
    try:
        app()
    except KeyboardInterrupt:
        print("plantrack: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
