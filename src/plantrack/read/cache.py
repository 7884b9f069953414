"""A cache of parsed, checked plans keyed by each file's content and by plantrack's code.

Only read-only commands consult it. Entries are written atomically (temporary file, then
rename), so two processes at once at worst both write the same entry; an entry that cannot
be read is ignored and rewritten, and a cache folder that cannot be written is not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

import plantrack

_FORMAT = 1


def cache_dir() -> Path | None:
    if os.environ.get("PLANTRACK_NO_CACHE"):
        return None
    explicit = os.environ.get("PLANTRACK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "plantrack"


@cache
def code_fingerprint() -> str:
    """Changes with plantrack's version and with any of its modules."""
    package = os.path.dirname(plantrack.__file__)
    parts = [plantrack.__version__, str(_FORMAT)]
    for root, dirs, names in os.walk(package):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(root, name))
                relative = os.path.relpath(os.path.join(root, name), package)
                parts.append(f"{relative}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def entry_key(digest: str, name: str) -> str:
    """The file's checks depend on its content and its name (the plan id must match it)."""
    return hashlib.sha256(f"{code_fingerprint()}\0{name}\0{digest}".encode()).hexdigest()


def read(key: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, key[:2], key), "rb") as handle:
            return pickle.loads(handle.read())
    except Exception:  # a missing, partial or foreign entry is a miss, never a failure
        return None


def write(key: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    target = folder / key[:2]
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, target / key)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        return  # an unwritable cache only costs speed
