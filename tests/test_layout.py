"""The tree reads as the data flows, and no module imports one that sits later in the flow."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "src" / "plantrack"
# In the order the data flows; a module may import from its own layer and the ones before.
LAYERS = [
    ("base", ("plantrack.problems", "plantrack.rules", "plantrack.asof", "plantrack.i18n",
              "plantrack.textmatch", "plantrack.collate", "plantrack.lang",
              "plantrack.phrases")),
    ("domain", ("plantrack.domain",)),
    ("read", ("plantrack.read",)),
    ("checks", ("plantrack.checks",)),
    ("git", ("plantrack.git",)),
    ("views", ("plantrack.views",)),
    ("report", ("plantrack.report",)),
    ("site", ("plantrack.site",)),
    ("edit", ("plantrack.edit",)),
    ("commands", ("plantrack.commands", "plantrack.cli", "plantrack._entry",
                  "plantrack.__main__")),
]


def _layer(module: str) -> int | None:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return None


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                "plantrack"):
            found += [f"{node.module}.{a.name}" if node.module == "plantrack" else node.module
                      for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("plantrack")]
    return found


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_has_its_place_in_the_flow() -> None:
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        if module != "plantrack":
            assert _layer(module) is not None, f"{module} belongs to no layer"


def test_no_module_imports_one_later_in_the_flow() -> None:
    upward = []
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        own = _layer(module)
        for imported in _imports(path):
            theirs = _layer(imported)
            if own is not None and theirs is not None and theirs > own:
                upward.append(f"{module} ({LAYERS[own][0]}) imports {imported} "
                              f"({LAYERS[theirs][0]})")
    assert upward == []
