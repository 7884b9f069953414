"""The rich console for `show`: plain when piped, a broken pipe is not a failure."""

from __future__ import annotations

import sys

from rich.console import Console


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # A reader that stopped early (`| head`) is not a failure: same exit as without rich.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)


def console() -> Console:
    # Plan text is shown as written: "[draft]" or ":smile:" in a title is not rich markup.
    return _Console(highlight=False, soft_wrap=False, markup=False, emoji=False)
