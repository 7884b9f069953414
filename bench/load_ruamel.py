"""The baseline: load every plan file of a folder with ruamel's C loader, and nothing else.

Run as its own process (`python bench/load_ruamel.py FOLDER`), so that its time includes the
interpreter's start and the import of ruamel.yaml, as a plantrack command's time does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML


def main(folder: str) -> int:
    yaml = YAML(typ="safe", pure=False)
    if "CParser" not in yaml.Parser.__name__:
        print("ruamel.yaml.clib is missing: this would time the pure-Python loader",
              file=sys.stderr)
        return 2
    count = 0
    for path in sorted(Path(folder).rglob("*.yaml")):
        with path.open("rb") as handle:
            yaml.load(handle)
        count += 1
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
