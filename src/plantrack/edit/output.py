"""Writing a command's output file atomically: the new bytes, or the old file untouched.

The bytes go to a hidden temporary file `.NAME.XXXX.tmp` in the target's folder, are flushed
to disk, get the target's permissions (a new file those of the umask), and replace the target
in one rename. Any failure or interruption before the rename removes the temporary file.
A symlink is followed: the file it points to is written. A folder, a file with other hard
links (a rename would cut them off) and a read-only file are refused. A device or a pipe
(`-o /dev/stdout`) is written straight through: it cannot be replaced.

`update_output` is for files made afresh on every run, by the thousand (the site's pages): a
file that holds the bytes already is not touched, and the flush to disk is one `sync_all`
after the last file rather than an fsync of each file and its folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from pathlib import Path

from plantrack.problems import UsageError

# Test hook: when set to a path, the writer creates that file once the temporary file is
# on disk and then waits, so a test can signal the process just before the rename.
PAUSE_ENV = "PLANTRACK_OUTPUT_PAUSE_BEFORE_REPLACE"


def write_output(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically; a UsageError (exit 2) when it cannot be."""
    real, info = _target(path)
    _write(path, real, info, data, durable=True)


def update_output(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically unless the file holds these very bytes already:
    then it is left as it is, its mtime too (a deploy or a backup sees it unchanged).
    Nothing is flushed to disk: a command writing thousands of files calls `sync_all` once
    after the last, where an fsync per file costs more than writing it. True when written."""
    real, info = _target(path)
    if info is not None and stat.S_ISREG(info.st_mode) and _holds(real, info, data):
        return False
    _write(path, real, info, data, durable=False)
    return True


def sync_all() -> None:
    """Flush every write so far to disk, all at once (where the system has `sync`)."""
    if hasattr(os, "sync"):
        os.sync()


def _target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file `path` names, symlinks followed, and its status (None: not there yet)."""
    real = Path(os.path.realpath(path))
    try:
        return real, real.stat()
    except FileNotFoundError:
        return real, None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _holds(real: Path, info: os.stat_result, data: bytes) -> bool:
    """Whether the regular file `real` holds exactly `data` (an unreadable one does not)."""
    if info.st_size != len(data):
        return False
    try:
        with real.open("rb") as handle:
            return handle.read(len(data) + 1) == data
    except OSError:
        return False


def _write(path: Path, real: Path, info: os.stat_result | None, data: bytes,
           durable: bool) -> None:
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{path}: is a folder; give a file name to write to")
        _write_through(path, real, data)
        return
    if info is not None:
        refuse_to_replace(path, info)
    replace_file(path, real, data, info, PAUSE_ENV, durable=durable)


def replace_file(shown: Path | str, real: Path, data: bytes, info: os.stat_result | None,
                 pause_env: str | None = None, durable: bool = True) -> None:
    """Replace the regular file `real` (described by `info`, None when new) with `data`
    in one rename, keeping its mode and, where the system lets us, its owner. `durable`:
    the file and the rename are on disk when this returns (an fsync of each); without it
    readers still see the old file or the new one whole, never part of one."""
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    folder = real.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as exc:
        raise UsageError(f"{shown}: cannot write in {folder}: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                if durable:
                    os.fsync(out.fileno())
                os.fchmod(out.fileno(), mode)  # mkstemp creates 0600
                if info is not None and (info.st_uid, info.st_gid) != _ids(out.fileno()):
                    with contextlib.suppress(OSError):  # only root may give a file away
                        os.fchown(out.fileno(), info.st_uid, info.st_gid)
            if pause_env:
                _pause_for_tests(pause_env)
            os.replace(temp, real)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
    except OSError as exc:
        raise UsageError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    if durable:
        _sync_folder(folder)


def create_file(path: Path, data: bytes) -> None:
    """Write a new file at `path`, whole or not at all, and never over one that is there,
    even one another process makes meanwhile: the finished temporary file is linked to the
    name, which fails when the name is taken."""
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{path}: no folder {folder} to write it in")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write in {folder}: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            os.fchmod(out.fileno(), 0o666 & ~_umask())
        os.link(temp, path)
    except FileExistsError:
        raise UsageError(f"{path}: the file exists; plantrack never overwrites it (give "
                         "another -o, or remove it first)") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    _sync_folder(folder)


def refuse_to_replace(path: Path | str, info: os.stat_result) -> None:
    """A UsageError for a file an atomic replace must not touch."""
    if info.st_nlink > 1:
        raise UsageError(f"{path}: the file has {info.st_nlink} hard links, which replacing "
                         "it would cut off; not written (write to another file, or remove "
                         "the other links)")
    writable = info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if not writable or not os.access(path, os.W_OK):  # root passes access(): ask the bits
        raise UsageError(f"{path}: the file is read-only; not written")


def _write_through(path: Path, real: Path, data: bytes) -> None:
    """A character device, a pipe or a socket: written in place, as a shell's `>` would."""
    try:
        with real.open("wb") as out:
            out.write(data)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _ids(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return info.st_uid, info.st_gid


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; a file system that cannot sync a folder is let be."""
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


def _pause_for_tests(env: str) -> None:
    signal_file = os.environ.get(env)
    if signal_file:
        Path(signal_file).write_text("paused\n", encoding="utf-8")
        time.sleep(60)
