"""Shared fixtures: small plan files written to temporary folders, and a private cache."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLANS = sorted((REPO / "plans").glob("*.yaml"))

MINIMAL = """\
plantrack: 1
id: {id}
title: Example plan
issued: 2025-02-19
owners:
  dost: Department of Science and Technology
  ppc-office: {{name: Office of the Provincial People's Committee, aliases: [PPC Office]}}
tasks:
{tasks}
"""

TASK = """\
  - id: {id}
    title: {title}
    owner: dost
    due: {due}
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                   ) -> None:
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # The installed entry points (plantrack, pre-commit) sit beside the interpreter running
    # the tests, whether or not its environment was activated.
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent),
                                                os.environ.get("PATH", "")]))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("PLANTRACK_NO_CACHE", raising=False)


def plan_text(tasks: str = "", plan_id: str = "example-2025") -> str:
    body = textwrap.dedent(tasks).strip("\n")
    body = textwrap.indent(body, "  ") if body else "  []"
    text = MINIMAL.format(id=plan_id, tasks=body)
    return text.replace("tasks:\n  []", "tasks: []")


WritePlan = Callable[..., Path]


@pytest.fixture
def write_plan(tmp_path: Path) -> WritePlan:
    """Write a plan file; `tasks` is YAML for the task list, dedented."""

    def write(tasks: str = "", plan_id: str = "example-2025", name: str | None = None,
              raw: str | bytes | None = None, folder: Path | None = None) -> Path:
        target = (folder or tmp_path / "plans")
        target.mkdir(parents=True, exist_ok=True)
        path = target / (name or f"{plan_id}.yaml")
        content = raw if raw is not None else plan_text(tasks, plan_id)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
