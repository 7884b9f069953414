"""Which plan files a command reads: `plans/` by default, or the files and folders named."""

from __future__ import annotations

import os
from pathlib import Path

from plantrack.problems import UsageError

DEFAULT_FOLDER = "plans"
SUFFIXES = (".yaml", ".yml")


def is_plan_path(relative: str) -> bool:
    """A plan file, by its path inside a plans folder: YAML, in no hidden folder."""
    return relative.endswith(SUFFIXES) and not is_hidden(relative)


def is_hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.split("/"))


def _in_folder(folder: Path) -> list[Path]:
    found: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # hidden folders are not entered
        found.extend(os.path.join(root, name) for name in names if is_plan_path(name))
    # In path order, folder by folder, as pathlib sorts paths.
    return [Path(f) for f in sorted(found, key=lambda f: f.split(os.sep)) if os.path.isfile(f)]


def _identity(path: Path) -> object:
    """The same file named twice (a folder and a file in it) is read once."""
    try:
        info = os.stat(path)
    except OSError:
        return path
    return info.st_dev, info.st_ino


def plan_files(args: list[str]) -> list[Path]:
    """The plan files to read, in a stable order; a UsageError when there are none."""
    if not args:
        folder = Path(DEFAULT_FOLDER)
        if not folder.is_dir():
            raise UsageError(f"no {DEFAULT_FOLDER}/ folder here ({Path.cwd()}); "
                             "name plan files or folders, e.g. plantrack status path/to/plans")
        args = [DEFAULT_FOLDER]
    files: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = _in_folder(path)
            if not found:
                raise UsageError(f"{arg}: no plan files (*.yaml) in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{arg}: no such file or folder")
    seen: set[object] = set()
    unique = []
    for f in files:
        key = _identity(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
