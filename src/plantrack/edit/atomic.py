"""Reading a plan for editing and writing it back atomically, under the plan's lock.

Every edit holds a lock on a file beside the plan (`.NAME.lock`) from the moment it reads the
plan until its rename is done, so concurrent edits of one plan (two clerks, a clerk and CI)
take turns instead of overwriting each other. The new bytes go to a temporary file in the
same folder, are flushed to disk, get the original's mode and owner, and replace the original
in one rename; a crash or a signal before the rename leaves the original untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from plantrack.edit.output import refuse_to_replace, replace_file
from plantrack.problems import UsageError

# Test hook: when set to a path, the writer creates that file once the temporary file is
# on disk and then waits, so a test can kill the process just before the rename.
PAUSE_ENV = "PLANTRACK_EDIT_PAUSE_BEFORE_REPLACE"
# Long enough for dozens of queued edits of a large plan; a stuck holder is then reported.
LOCK_TIMEOUT = 300.0


class StaleFileError(UsageError):
    """The file changed on disk between reading it and writing the edit."""


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes as read for an edit, and what the write must preserve."""

    path: Path  # symlinks resolved: the file that is really written
    shown: str  # the name as the user gave it, for messages
    raw: bytes
    digest: str
    info: os.stat_result

    @property
    def mode(self) -> int:
        return stat.S_IMODE(self.info.st_mode)


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def lock_path(real: Path) -> Path:
    return real.with_name(f".{real.name}.lock")


@contextlib.contextmanager
def plan_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock of the plan `path` (its real file: a symlink shares its target's)."""
    from filelock import FileLock, Timeout

    real = Path(os.path.realpath(path))
    lock = FileLock(str(lock_path(real)), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise UsageError(f"{path}: another edit has held the plan's lock for {timeout:.0f} s "
                         f"({lock_path(real)}); nothing written, try again") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot lock the plan for editing in {real.parent}: "
                         f"{exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def read_snapshot(path: Path) -> Snapshot:
    """The plan's bytes, refusing what an atomic write would damage or cannot write."""
    from plantrack.read.limits import MAX_BYTES
    from plantrack.read.source import SourceError, read_source

    real = Path(os.path.realpath(path))
    try:
        raw = read_source(real)
        info = real.stat()
    except (SourceError, OSError) as exc:
        message = str(exc) if isinstance(exc, SourceError) else (exc.strerror or str(exc))
        raise UsageError(f"{path}: {message}") from None
    if len(raw) > MAX_BYTES:
        raise UsageError(f"{path}: the file is larger than {MAX_BYTES >> 20} MiB; "
                         "run plantrack validate")
    refuse_to_replace(path, info)
    return Snapshot(real, str(path), raw, digest_of(raw), info)


def write_atomic(snapshot: Snapshot, data: bytes) -> None:
    """Replace the snapshot's file with `data`, unless the file changed since it was read
    (by a program that does not take the plan's lock, such as an editor)."""
    _refuse_if_changed(snapshot)
    replace_file(snapshot.shown, snapshot.path, data, snapshot.info, PAUSE_ENV)


def _refuse_if_changed(snapshot: Snapshot) -> None:
    try:
        now = snapshot.path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{snapshot.shown}: cannot read the file: {exc.strerror or exc}"
                         ) from None
    if digest_of(now) != snapshot.digest:
        raise StaleFileError(f"{snapshot.shown} changed on disk since it was read; "
                             "nothing written, run the command again")
