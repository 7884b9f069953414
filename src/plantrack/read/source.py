"""Reading a plan's bytes from disk: regular files only, never more than the format allows.

A FIFO would block the reader forever and /dev/zero would grow its memory until it is killed,
so the file is opened without blocking, checked to be a regular file, and read only up to
one byte past the size limit (enough for the reader to say the file is too large).
"""

from __future__ import annotations

import os
import stat

from plantrack.read.limits import MAX_BYTES


class SourceError(OSError):
    """The path cannot be read as a plan file; the message says why, for a user."""


def read_source(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, at most `limit` + 1 of them; SourceError when it is no regular file
    or cannot be read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        kind = os.fstat(fd).st_mode
        if not stat.S_ISREG(kind):
            raise SourceError(f"not a regular file ({_kind_name(kind)}); a plan is a file")
        return _read_up_to(fd, limit + 1)
    except SourceError:
        raise
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _read_up_to(fd: int, size: int) -> bytes:
    chunks = []
    left = size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _kind_name(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a file"
