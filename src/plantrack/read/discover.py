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


def is_plan_file(path: str, named: str) -> bool:
    """Whether `path` ('/'-separated, as git and the command line name it) is a plan file
    under the file or folder `named`: a file named itself always is; inside a folder, the
    rule of `is_plan_path` applies to the part below the folder. Every command asks here,
    reading the working tree or a git revision."""
    if path == named:
        return True
    folder = named.rstrip("/")
    if folder in ("", "."):
        return is_plan_path(path)
    if not path.startswith(folder + "/"):
        return False
    return is_plan_path(path[len(folder) + 1:])


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


def plan_files(args: list[str], strict: bool = True) -> list[Path]:
    """The plan files to read, in a stable order; a file reached twice (a symlink and its
    target) counts once, under the first name in path order. `strict`: a UsageError when a
    name holds no plan file (otherwise it is skipped, as diff does for a side that has none)."""
    if not args:
        folder = Path(DEFAULT_FOLDER)
        if not folder.is_dir() and strict:
            raise UsageError(f"no {DEFAULT_FOLDER}/ folder here ({Path.cwd()}); "
                             "name plan files or folders, e.g. plantrack status path/to/plans")
        args = [DEFAULT_FOLDER]
    files: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = _in_folder(path)
            if not found and strict:
                raise UsageError(f"{arg}: no plan files (*.yaml) in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        elif strict:
            raise UsageError(f"{arg}: no such file or folder")
    seen: set[object] = set()
    unique = []
    for f in files:
        key = _identity(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
