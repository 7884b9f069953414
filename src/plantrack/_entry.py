"""The `plantrack` command's entry point.

A run is short and what it loads stays alive to the end: collecting cycles would only walk
the growing heap again and again (a third of a 100,000-task load). The collector goes off
before anything is imported: importing typer alone runs a dozen collections."""

from __future__ import annotations

import gc
from typing import NoReturn


def main() -> NoReturn:
    gc.disable()
    from plantrack.cli import main as run

    run()
