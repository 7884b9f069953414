"""The `plantrack` command's entry point: it turns the cyclic garbage collector off before
anything is imported (see `cli.main`; importing typer alone runs a dozen collections)."""

from __future__ import annotations

import gc
from typing import NoReturn


def main() -> NoReturn:
    gc.disable()
    from plantrack.cli import main as run

    run()
