"""The `plantrack` command: parses arguments and hands each command to its module."""

from __future__ import annotations

import importlib
from typing import Annotated, Any, NoReturn

import typer

from plantrack import __version__

# The module under plantrack.commands that registers each command, in the order --help lists
# them. A run registers only the module of the command it runs: building the other commands'
# parameters would cost more than most commands take.
COMMANDS = {
    "validate": "validate", "status": "status", "list": "listing", "overdue": "listing",
    "show": "show", "schema": "schema", "rules": "schema", "report": "report",
    "update": "edit", "done": "edit",
    "cancel": "edit", "extend": "edit", "measure": "edit", "add": "edit", "diff": "diff",
    "history": "diff", "export": "export", "import": "importer", "site": "site",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


def _version(value: bool) -> None:
    if value:
        print(f"plantrack {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Track the tasks, owners and deadlines of government plans kept as YAML in git."""


def build_app(modules: tuple[str, ...] = COMMAND_MODULES) -> typer.Typer:
    built = typer.Typer(
        name="plantrack",
        help="Track the tasks, owners and deadlines of government plans kept as YAML in git."
        "\n\nExit codes: 0 ok, 1 problems found, 2 usage or unreadable input.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_root)
    for name in modules:
        importlib.import_module(f"plantrack.commands.{name}").register(built)
    return built


def modules_for(argv: list[str]) -> tuple[str, ...]:
    """The command modules a run needs: the named command's, or all of them for help."""
    words = [a for a in argv if not a.startswith("-")]
    if words and words[0] in COMMANDS and "--help" not in argv and "-h" not in argv:
        return (COMMANDS[words[0]],)
    return COMMAND_MODULES


def __getattr__(name: str) -> Any:
    # `app`, with every command, is built on first use (tests and embedding use it).
    if name == "app":
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(name)


def run(argv: list[str]) -> None:
    """Parse `argv` with typer and run the command (SystemExit carries the exit code)."""
    build_app(modules_for(argv))(args=argv, prog_name="plantrack")


def main() -> NoReturn:
    from plantrack._entry import main as entry

    entry()
