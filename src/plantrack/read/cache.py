"""A cache of parsed, checked plans keyed by each file's content and by plantrack's code.

Only read-only commands consult it, and plans come from untrusted pull requests, so the
cache trusts nothing it did not write itself:

- **Where.** `PLANTRACK_CACHE_DIR` when it is an absolute path, else `$XDG_CACHE_HOME/plantrack`
  when XDG_CACHE_HOME is absolute, else `~/.cache/plantrack`. A relative PLANTRACK_CACHE_DIR
  or XDG_CACHE_HOME is ignored, as the XDG spec asks of XDG_CACHE_HOME (resolved against the
  working directory, a checked-out pull request could bring its own cache). The folder is
  created with mode 0700 and used only when it is a folder owned by the current user that
  neither group nor others can write (the owner test is skipped on Windows); otherwise, or
  when it cannot be written, the run goes without a cache: a cache only costs speed.
- **Authenticated entries.** Every entry carries an HMAC-SHA256 of its name and payload under
  a random 32-byte key kept in `key` in the folder (created 0600 and linked into place, so it
  appears whole or not at all; used only when it is a regular file of the user's that no one
  else can read or write). The tag is checked with `hmac.compare_digest` before anything is
  unpickled, and the unpickler resolves only the builders of this module and
  `datetime.date`/`datetime.time`: an entry from anyone without the key, a tampered, truncated
  or foreign one, or one of an older format is a miss, and the caller rewrites it.
- **Plain data.** Plans are pickled as tuples of their fields, rebuilt by one generated
  function per model class (`object.__new__` and one unpacking assignment to the slots): that
  reads back about twice as fast as pickle's generic object path (NEWOBJ + BUILD of a state dict).
- **Size.** At most `MAX_BYTES` (256 MiB). Reads never look at the folder; a write adds its
  size to an estimate in the `usage` file and, when the estimate passes the cap, scans the
  folder once and removes the least recently used entries (oldest mtime first) down to 3/4 of
  the cap. A hit on an entry whose mtime is more than a day old touches it, so the mtime is
  the last use to within a day at the cost of one call a day per entry. Two writers at once
  may lose an update of the estimate (the next scan sets it right); the cap can then be passed
  by what they wrote meanwhile.

Entries are written atomically (temporary file, then rename): two processes at once at worst
both write the same entry, and a reader sees a whole entry or none.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import hmac
import io
import os
import pickle
import stat
import time
import types
from functools import cache
from typing import Any

import plantrack
from plantrack.domain import model
from plantrack.domain.deadlines import Deadline
from plantrack.i18n import Text
from plantrack.problems import Message, Problem

_FORMAT = 2
MAX_BYTES = 256 * 1024 * 1024  # the cap on the folder's entries, in bytes
TOUCH_AFTER = 24 * 3600  # a hit on an entry older than this (seconds) refreshes its mtime
MAGIC = b"plantrack-cache-2\n"
_TAG = 32  # bytes of HMAC-SHA256
_KEY_FILE = "key"
_USAGE_FILE = "usage"
_POSIX = os.name != "nt"


# --- where -------------------------------------------------------------------------------------

def cache_dir() -> str | None:
    """The folder the cache would live in (absolute), or None when it is off."""
    if os.environ.get("PLANTRACK_NO_CACHE"):
        return None
    explicit = os.environ.get("PLANTRACK_CACHE_DIR")
    if explicit and os.path.isabs(explicit):
        return os.path.normpath(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return os.path.join(os.path.normpath(xdg), "plantrack")
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        return None
    return os.path.join(home, ".cache", "plantrack")


def _safe(info: os.stat_result, kind: int) -> bool:
    """A file of `kind` (S_IFDIR, S_IFREG) that is the user's and that no one else can write."""
    if stat.S_IFMT(info.st_mode) != kind:
        return False
    if not _POSIX:
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class _Store:
    """A usable cache folder and its key (a plain class: a dataclass costs 0.5 ms at import)."""

    __slots__ = ("folder", "key")

    def __init__(self, folder: str, key: bytes) -> None:
        self.folder = folder
        self.key = key


_stores: dict[str, _Store | None] = {}


def _store() -> _Store | None:
    """The cache folder and its key, checked once per process and folder; None: no cache."""
    folder = cache_dir()
    if folder is None:
        return None
    if folder not in _stores:
        _stores[folder] = _open_store(folder)
    return _stores[folder]


def forget() -> None:
    """Check the folder and read its key again on next use (a folder removed meanwhile)."""
    _stores.clear()


def _open_store(folder: str) -> _Store | None:
    try:
        try:
            info = os.stat(folder)
        except FileNotFoundError:
            parent = os.path.dirname(folder)
            os.makedirs(parent, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                os.mkdir(folder, 0o700)
            info = os.stat(folder)
        if not _safe(info, stat.S_IFDIR):
            return None
        key = _key(folder)
    except OSError:
        return None
    return _Store(folder, key) if key is not None else None


def _key(folder: str) -> bytes | None:
    path = os.path.join(folder, _KEY_FILE)
    key = _read_key(path)
    if key is not None:
        return key
    if os.path.lexists(path):
        return None  # there, but not a key this cache can trust: the cache is off
    import secrets
    import tempfile

    fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-key-")  # O_EXCL, mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        try:
            os.link(temp, path)  # whole or not at all; another process's key may win
        except FileExistsError:
            pass
        except OSError:  # no hard links here: create it in place, exclusively
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         0o600)
            with os.fdopen(fd, "wb") as handle, open(temp, "rb") as source:
                handle.write(source.read())
    finally:
        os.unlink(temp)
    return _read_key(path)


def _read_key(path: str) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not _safe(info, stat.S_IFREG) or (_POSIX and info.st_mode & 0o077):
            return None
        key = handle.read(33)
    return key if len(key) == 32 else None


# --- keys --------------------------------------------------------------------------------------

@cache
def code_fingerprint() -> str:
    """Changes with plantrack's version and with any of its modules."""
    package = os.path.dirname(plantrack.__file__)
    parts = [plantrack.__version__, str(_FORMAT)]
    for root, dirs, names in os.walk(package):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                info = os.stat(os.path.join(root, name))
                relative = os.path.relpath(os.path.join(root, name), package)
                parts.append(f"{relative}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def entry_key(digest: str, name: str) -> str:
    """The file's checks depend on its content and its name (the plan id must match it)."""
    return hashlib.sha256(f"{code_fingerprint()}\0{name}\0{digest}".encode()).hexdigest()


def _tag(key: bytes, name: str, payload: bytes | memoryview) -> bytes:
    mac = hmac.new(key, name.encode("ascii", "replace") + b"\0", "sha256")
    mac.update(payload)
    return mac.digest()


# --- the format: model objects as tuples of their fields ---------------------------------------

_ALLOWED: dict[tuple[str, str], Any] = {}  # what an entry may name: (module, name) -> object


def _allow(obj: Any) -> None:
    _ALLOWED[(obj.__module__, obj.__qualname__)] = obj


def _builders() -> dict[type, Any]:
    """One function per model class (and for the named tuples, `Text` and `Message`),
    generated from the classes' own slots and compiled in one go; each is a global of this
    module, so that an entry names it as `plantrack.read.cache._build_<Class>`."""
    slotted: list[Any] = [
        c for c in vars(model).values() if isinstance(c, type) and c.__module__ == model.__name__
        and dataclasses.is_dataclass(c) and "__slots__" in vars(c)]
    namespace: dict[str, Any] = {"Text": Text, "Message": Message, "_new": object.__new__,
                                 "_tuple": tuple.__new__}
    source = []
    for cls in slotted:
        namespace[f"_{cls.__name__}"] = cls
        targets = "".join(f"o.{slot}, " for slot in cls.__slots__)
        source.append(f"def _build_{cls.__name__}(t, new=_new, cls=_{cls.__name__}):\n"
                      f"    o = new(cls)\n    {targets}= t\n    return o\n")
    for tup in (Deadline, Problem):
        namespace[f"_{tup.__name__}"] = tup
        source.append(f"def _build_{tup.__name__}(t, new=_tuple, cls=_{tup.__name__}):\n"
                      f"    return new(cls, t)\n")
    source.append("def _build_Text(shown, langs):\n    return Text(shown, langs)\n")
    source.append("def _build_Message(template, args):\n    return Message(template, args)\n")
    exec("".join(source), namespace)  # the source is generated above, from the classes only
    built = {}
    for cls in (*slotted, Deadline, Problem, Text, Message):
        function = namespace[f"_build_{cls.__name__}"]
        function.__module__ = __name__
        globals()[function.__name__] = function
        _allow(function)
        built[cls] = function
    return built


_BUILDERS = _builders()
_TEXT = _BUILDERS.pop(Text)
_MESSAGE = _BUILDERS.pop(Message)
_allow(dt.date)
_allow(dt.time)
_GLOBALS = (type, types.FunctionType, types.BuiltinFunctionType)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if isinstance(obj, _GLOBALS):
            if (getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)) \
                    not in _ALLOWED:  # an entry naming it would never read back
                raise pickle.PicklingError(f"{obj!r} cannot be part of a cache entry")
            return NotImplemented
        if kind is Text:
            return _TEXT, (str(obj), obj.langs)
        if kind is Message:
            return _MESSAGE, (obj.template, obj.args)
        builder = _BUILDERS.get(kind)
        if builder is None:
            return NotImplemented
        if isinstance(obj, tuple):
            return builder, (tuple(obj),)
        return builder, (tuple([getattr(obj, slot) for slot in kind.__slots__]),)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a cache entry")
        return found


def dumps(value: Any) -> bytes:
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def loads(payload: bytes | memoryview) -> Any:
    return _Unpickler(io.BytesIO(payload)).load()


# --- reading and writing -----------------------------------------------------------------------

def _entry_path(folder: str, key: str) -> str:
    return os.path.join(folder, key[:2], key)


def read(key: str) -> Any | None:
    store = _store()
    if store is None:
        return None
    try:
        with open(_entry_path(store.folder, key), "rb") as handle:
            data = handle.read()
            age = time.time() - os.fstat(handle.fileno()).st_mtime
    except OSError:
        return None  # a missing entry is a miss, never a failure
    head = len(MAGIC) + _TAG
    if len(data) < head or not data.startswith(MAGIC):
        return None
    view = memoryview(data)
    if not hmac.compare_digest(view[len(MAGIC):head], _tag(store.key, key, view[head:])):
        return None  # not written with this cache's key: never unpickled
    try:
        value = loads(view[head:])
    except Exception:  # an entry that verifies but does not read back: a miss, rewritten
        return None
    if age > TOUCH_AFTER:
        with contextlib.suppress(OSError):
            os.utime(_entry_path(store.folder, key))
    return value


def write(key: str, value: Any) -> None:
    store = _store()
    if store is None:
        return
    import tempfile

    try:
        payload = dumps(value)
    except Exception:
        return  # a value this format cannot hold is simply not cached
    data = b"".join((MAGIC, _tag(store.key, key, payload), payload))
    target = os.path.join(store.folder, key[:2])
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(target, 0o700)
        fd, temp = tempfile.mkstemp(dir=target, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, os.path.join(target, key))
        except BaseException:
            os.unlink(temp)
            raise
    except FileNotFoundError:
        forget()  # the folder went away: look at it afresh next time
        return
    except OSError:
        return  # an unwritable cache only costs speed
    _account(store, len(data))


def _account(store: _Store, size: int) -> None:
    """Add a written entry to the size estimate; prune when it passes the cap."""
    path = os.path.join(store.folder, _USAGE_FILE)
    try:
        with open(path, "rb") as handle:
            estimate = int(handle.read(32) or b"0") + size
    except (OSError, ValueError):
        estimate = MAX_BYTES + 1  # no estimate yet (or a damaged one): count the folder
    total = prune(store.folder) if estimate > MAX_BYTES else estimate
    _write_usage(store.folder, total)


def _write_usage(folder: str, total: int) -> None:
    import tempfile

    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-usage-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(str(total).encode())
            os.replace(temp, os.path.join(folder, _USAGE_FILE))
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass


def prune(folder: str, limit: int | None = None) -> int:
    """Scan the folder's entries; when they pass `limit` bytes (`MAX_BYTES`), remove the least
    recently used down to 3/4 of it. Returns the bytes that remain. Temporary files of writes
    under way are left alone unless an hour old."""
    limit = MAX_BYTES if limit is None else limit
    keep = limit * 3 // 4
    found: list[tuple[float, int, str]] = []
    now = time.time()
    try:
        subfolders = [e for e in os.scandir(folder) if len(e.name) == 2 and e.is_dir(
            follow_symlinks=False)]
    except OSError:
        return 0
    for sub in subfolders:
        try:
            files = list(os.scandir(sub.path))
        except OSError:
            continue
        for entry in files:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            if entry.name.startswith(".tmp-"):
                if now - info.st_mtime > 3600:
                    _remove(entry.path)
                continue
            found.append((info.st_mtime, info.st_size, entry.path))
    total = sum(size for _, size, _ in found)
    if total <= limit:
        return total
    found.sort()
    for _, size, path in found:
        if total <= keep:
            break
        if _remove(path):
            total -= size
    return total


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
    except FileNotFoundError:
        return True  # another process pruned it
    except OSError:
        return False
    return True
