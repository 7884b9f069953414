"""`status` and `overdue` run without typer read the same options and print the same as
through typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from plantrack.cli import build_app
from plantrack.commands import fast
from tests.conftest import SHIPPED_PLANS

PLANTRACK = str(Path(sys.executable).parent / "plantrack")


@pytest.mark.parametrize("name, module", [("overdue", "listing"), ("status", "status")])
def test_the_fast_parser_knows_exactly_the_options_typer_declares(name: str, module: str
                                                                  ) -> None:
    command = typer.main.get_command(build_app((module,))).commands[name]  # type: ignore[attr-defined]
    declared = {}
    for param in command.params:
        if param.param_type_name == "option":
            long = next(o for o in param.opts if o.startswith("--"))
            declared[long] = bool(param.multiple)
    declared.pop("--help", None)
    assert declared == fast.OPTIONS[name]
    shorts = {o: next(x for x in p.opts if x.startswith("--")) for p in command.params
              if p.param_type_name == "option" for o in p.opts if not o.startswith("--")}
    assert shorts == fast._SHORT


@pytest.mark.parametrize("argv", [
    ["--help"], ["-h"], ["--bogus"], ["--owner"], ["--as-of", "2025-13-01"],
    ["--format", "yaml"], ["--as-of", "2025-06-30", "--as-of", "2025-07-01"], ["--", "x"],
])
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert fast.run(["overdue", *argv]) is None
    assert fast.run(["status", *argv]) is None


def test_other_commands_are_left_to_typer() -> None:
    assert fast.run(["list"]) is None and fast.run([]) is None
    assert fast.run(["status", "--due-soon-days", "-3"]) is None


@pytest.mark.parametrize("argv", [
    [],
    ["--as-of", "2025-09-30"],
    ["--as-of=2025-09-30", "-f", "json"],
    ["--as-of", "2025-12-31", "--format", "csv", "--owner", "dost", "--owner", "finance"],
    ["--as-of", "2025-12-31", "--plan", "hanoi-2025", "--format=md"],
    ["--as-of", "2025-12-31", "--owner", "nobody"],
])
@pytest.mark.parametrize("name, module", [("overdue", "listing"), ("status", "status")])
def test_installed_command_prints_what_typer_prints(argv: list[str], name: str, module: str
                                                    ) -> None:
    env = {**os.environ, "PLANTRACK_NOW": "2025-11-01T09:00:00+07:00", "COLUMNS": "120"}
    paths = [str(p) for p in SHIPPED_PLANS]
    if name == "status":
        argv = [a.replace("csv", "json").replace("md", "json") for a in argv]
        argv += ["--due-soon-days", "30"]
    installed = subprocess.run([PLANTRACK, name, *argv, *paths], capture_output=True,
                               text=True, env=env, timeout=60)
    assert fast.parse(name, [*argv, *paths]) is not None  # the fast path ran it
    through_typer = CliRunner().invoke(build_app((module,)), [name, *argv, *paths], env=env)
    assert (installed.returncode, installed.stdout) == (through_typer.exit_code,
                                                         through_typer.stdout)
    assert installed.stderr == through_typer.stderr
