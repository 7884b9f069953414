"""Which plan files a command reads: `plans/` by default, or the files and folders named."""

from __future__ import annotations

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
    found = [p for p in folder.rglob("*")
             if is_plan_path(p.relative_to(folder).as_posix()) and p.is_file()]
    return sorted(found)


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
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
