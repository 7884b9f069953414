"""Reading a file for editing and writing it back atomically, or not at all.

The new bytes go to a temporary file in the same folder, are flushed to disk, get the
original's permissions, and replace the original in one rename. A crash before the rename
leaves the original untouched (and a hidden `.NAME.*.tmp` file that the loader ignores).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from plantrack.problems import UsageError

# Test hook: when set to a path, the writer creates that file once the temporary file is
# on disk and then waits, so a test can kill the process just before the rename.
PAUSE_ENV = "PLANTRACK_EDIT_PAUSE_BEFORE_REPLACE"


class StaleFileError(UsageError):
    """The file changed on disk between reading it and writing the edit."""


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes as read for an edit, and what the write must preserve."""

    path: Path  # symlinks resolved: the file that is really written
    shown: str  # the name as the user gave it, for messages
    raw: bytes
    digest: str
    mode: int


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_snapshot(path: Path) -> Snapshot:
    real = Path(os.path.realpath(path))
    try:
        raw = real.read_bytes()
        mode = stat.S_IMODE(real.stat().st_mode)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    return Snapshot(real, str(path), raw, digest_of(raw), mode)


def write_atomic(snapshot: Snapshot, data: bytes) -> None:
    """Replace the snapshot's file with `data`, unless the file changed since it was read."""
    folder = snapshot.path.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{snapshot.path.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as exc:
        raise UsageError(f"{snapshot.shown}: cannot write in {folder}: "
                         f"{exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, snapshot.mode)  # mkstemp creates 0600
        _pause_for_tests()
        _refuse_if_changed(snapshot)
        os.replace(temp, snapshot.path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _refuse_if_changed(snapshot: Snapshot) -> None:
    try:
        now = snapshot.path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{snapshot.shown}: cannot read the file: {exc.strerror or exc}"
                         ) from None
    if digest_of(now) != snapshot.digest:
        raise StaleFileError(f"{snapshot.shown} changed on disk since it was read; "
                             "nothing written, run the command again")


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _pause_for_tests() -> None:
    signal_file = os.environ.get(PAUSE_ENV)
    if signal_file:
        Path(signal_file).write_text("paused\n", encoding="utf-8")
        time.sleep(60)
