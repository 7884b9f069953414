"""The `plantrack` command's entry point.

A run is short and what it loads stays alive to the end: collecting cycles would only walk
the growing heap again and again (a third of a 100,000-task load). The collector goes off
before anything is imported: importing typer alone runs a dozen collections."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import NoReturn


def main() -> NoReturn:
    gc.disable()
    _run()


def _terminated(signum: int, _frame: object) -> None:
    # SIGTERM (CI cancelling a job, `kill`) unwinds like Ctrl-C, so that every `finally` and
    # `except BaseException` runs: a half-written temporary file is removed, a lock released.
    raise SystemExit(128 + signum)


def _run() -> NoReturn:
    import signal

    with contextlib.suppress(ValueError, OSError):  # not the main thread, or no SIGTERM
        signal.signal(signal.SIGTERM, _terminated)
    try:
        from plantrack.commands.fast import run

        fast = run(sys.argv[1:])
        if fast is None:
            from plantrack.cli import run as run_typer

            run_typer(sys.argv[1:])
        code = fast or 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except KeyboardInterrupt:
        print("plantrack: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        code = 0
    except OSError as exc:  # the output cannot be written (a full disk, a closed terminal)
        print(f"plantrack: error: {exc.strerror or exc}", file=sys.stderr)
        code = 2
    _leave(code)


def _exit_code(value: object) -> int:
    if value is None or isinstance(value, int):
        return value or 0
    print(value, file=sys.stderr)
    return 1


def _leave(code: int) -> NoReturn:
    """End the process without tearing the interpreter down: freeing a large load object by
    object takes longer than many commands. Every file the run wrote is closed by now; only
    the standard streams may hold output."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # a reader that stopped early (`| head`) is not a failure
    except (OSError, ValueError) as exc:
        print(f"plantrack: error: cannot write the output: {exc}", file=sys.stderr)
        code = 2
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or a coverage tool writes its data at a normal exit
    os._exit(code)
