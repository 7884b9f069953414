"""Files -> checked plans: read, parse with positions, validate, check, across files too."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from plantrack.domain.model import Plan, SourcedPlan
from plantrack.problems import Problem, sort_key
from plantrack.read import cache
from plantrack.rules import declare

declare("unreadable", "error", "file",
        "the file cannot be read (permissions, a folder, a file gone while reading)")

if TYPE_CHECKING:
    from plantrack.checks.config import Waived
    from plantrack.read.yamlread import Document

UNREADABLE = "unreadable"


@dataclass
class Loaded:
    plans: list[SourcedPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)  # files that hold a plan
    task_count: int = 0
    waived: list[Waived] = field(default_factory=list)  # findings `.plantrack.yaml` changed

    @property
    def unreadable(self) -> bool:
        return any(p.code == UNREADABLE for p in self.problems)

    def files_with_errors(self) -> set[str]:
        return {p.path for p in self.problems if p.is_error}


def parse_and_check(raw: bytes, path: str) -> tuple[Plan | None, list[Problem], Document]:
    """Everything one file's own content can say about it, with no cache involved."""
    from plantrack.read.yamlread import read_yaml

    doc = read_yaml(raw, path)
    plan, problems = check_document(doc)
    return plan, problems, doc


def check_document(doc: Document) -> tuple[Plan | None, list[Problem]]:
    """The plan a read document holds (None when it has errors) and all its problems."""
    from plantrack.checks.plan import Context, check_plan
    from plantrack.read.schema import check_keys, to_plan

    problems = list(doc.problems)
    if doc.data is None:
        return None, problems
    problems.extend(check_keys(doc))
    validated = to_plan(doc)
    problems.extend(validated.problems)
    if validated.plan is not None:
        problems.extend(check_plan(validated.plan, Context(doc.path_name, doc.marks,
                                                           validated.damaged)))
    # A plan with invalid keys was checked without them, but is not handed on as if whole.
    return (validated.plan if validated.complete else None), problems


def _relocate(problems: list[Problem], path: str) -> list[Problem]:
    return [p._replace(path=path) for p in problems]


def check_bytes(raw: bytes, name: str, use_cache: bool = True
                ) -> tuple[Plan | None, list[Problem], str]:
    """What `parse_and_check` says of one file's bytes, from the cache when it has them.

    Returns the plan (None when the file has errors), its problems and the bytes' digest."""
    digest = hashlib.sha256(raw).hexdigest()
    stem = os.path.splitext(os.path.basename(name))[0]
    key = cache.entry_key(digest, stem) if use_cache else ""
    if use_cache:
        hit = cache.read(key)
        if isinstance(hit, tuple) and len(hit) == 2:
            plan, problems = hit
            return plan, _relocate(problems, name), digest
    plan, problems, _ = parse_and_check(raw, name)
    if use_cache:
        cache.write(key, (plan, problems))
    return plan, problems, digest


def load_file(path: Path, use_cache: bool = True) -> tuple[Plan | None, list[Problem], str]:
    from plantrack.read.source import SourceError, read_source

    name = str(path)
    try:
        raw = read_source(path)
    except SourceError as exc:
        return None, [Problem(name, 0, 0, "error", UNREADABLE, str(exc))], ""
    return check_bytes(raw, name, use_cache)


def load(paths: list[Path], use_cache: bool = True, keep_plans: bool = True) -> Loaded:
    """Read and check every file, and check them across files. With keep_plans=False only
    the problems and counts are kept: a plan is let go as soon as it is checked."""
    from plantrack.checks.across import check_across, outline

    loaded = Loaded()
    outlines = []
    for path in paths:
        plan, problems, digest = load_file(path, use_cache)
        loaded.problems.extend(problems)
        if plan is not None:
            sourced = SourcedPlan(str(path), plan, digest)
            outlines.append(outline(sourced))
            loaded.files_read.append(sourced.path)
            loaded.task_count += len(plan.tasks)
            if keep_plans:
                loaded.plans.append(sourced)
    loaded.problems.extend(check_across(outlines))
    loaded.problems, loaded.waived = _configured(loaded.problems, [str(p) for p in paths])
    loaded.problems.sort(key=sort_key)
    return loaded


def _configured(problems: list[Problem], files: list[str]) -> tuple[list[Problem], list[Waived]]:
    """The findings as each file's `.plantrack.yaml` and disable comments set them."""
    from plantrack.checks.config import apply_to_files

    return apply_to_files(problems, files)
