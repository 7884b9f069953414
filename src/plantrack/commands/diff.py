"""`plantrack diff` and `plantrack history`: plan changes between git revisions."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from plantrack.commands.common import EXIT_OK, EXIT_PROBLEMS, LangOpt, fail
from plantrack.problems import Problem, UsageError
from plantrack.views import formats

if TYPE_CHECKING:
    from plantrack.checks.config import Config
    from plantrack.domain.model import Plan
    from plantrack.git.diff import PlansDiff
    from plantrack.git.repo import PlansAt

_PATHS_KEY = "plantrack.paths"


class _SplitAtDashes(TyperCommand):
    """Keeps what follows `--` apart (plan paths), as git does, since Click drops the `--`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            ctx.meta[_PATHS_KEY] = args[cut + 1:]
            args = args[:cut]
        return super().parse_args(ctx, args)


PlansDirOpt = Annotated[list[str] | None, typer.Option(
    "--plans", help="Folder (or file) of plans in the repository (default: plans/; "
    "repeatable). Plan paths may also follow `--`.", show_default=False)]


def _repo() -> Path:
    from plantrack.git.repo import repo_root

    root = repo_root(Path.cwd())
    if root is None:
        fail(f"not inside a git repository ({Path.cwd()}); diff and history read plans "
             "from git")
    return root


def _repo_paths(repo: Path, given: list[str]) -> list[str] | None:
    """Paths named on the command line (relative to here) as repository-relative paths."""
    if not given:
        return None
    here = Path.cwd()
    out = []
    for name in given:
        full = (here / name).resolve()
        try:
            out.append(full.relative_to(repo.resolve()).as_posix() or ".")
        except ValueError:
            fail(f"{name}: outside the repository {repo}")
    return out


def _read(repo: Path, rev: str | None, paths: list[str] | None) -> PlansAt:
    from plantrack.git import repo as gitread
    if rev is None:
        return gitread.plans_in_worktree(repo, paths)
    return gitread.plans_at(repo, rev, paths)


def _base_revision(repo: Path) -> str:
    from plantrack.git import repo as gitread
    gitread.resolve(repo, "HEAD")  # a repository with no commits has nothing to compare
    branch = gitread.default_branch(repo)
    return gitread.merge_base(repo, branch, "HEAD")


def _set_aside_broken(base: PlansAt, head: PlansAt) -> list[Problem]:
    """Leave out plans whose file does not parse on the other side, so that a syntax error
    is reported as one and not as a removed (or added) plan; the head's errors, to print."""
    base[:] = [sp for sp in base if sp.path not in head.broken]
    head[:] = [sp for sp in head if sp.path not in base.broken]
    return [p for p in head.problems if p.path in head.broken and p.is_error]


def _print_check(problems: list[Problem]) -> None:
    chosen = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    sys.stderr.write(formats.render("problems", chosen, formats.ProblemList(problems)))


def diff(
    ctx: typer.Context,
    revisions: Annotated[list[str] | None, typer.Argument(
        help="BASE [HEAD]: git revisions (default: the merge base with the default branch, "
        "and the working tree).", show_default=False, metavar="[BASE [HEAD]]")] = None,
    plans: PlansDirOpt = None,
    output: Annotated[str, formats.option(
        "diff", "text, markdown (for a pull-request comment) or json.")] = "text",
    check: Annotated[bool, typer.Option(
        "--check", help="Apply the change policy: exit 1 when a hard deadline moved, the "
        "deadline in force moved later without a newly approved extension, the past was "
        "rewritten (an update, an approved extension, a completion date, the original due), a "
        "task or plan was deleted, a done task reopened without a note, or an owner was "
        "replaced instead of succeeded.")] = False,
    lang: LangOpt = None,
) -> None:
    """Show what a change does to plans: every field of every plan and task, and the deadline
    in force as of the head commit's date (today for the working tree).

    Plans are matched by id and tasks by task id, so reformatting, comments and renamed files
    make no entries. Problems (with --check) print as `path:line:col: error [code] message`
    with paths relative to the repository.

    Examples: plantrack diff; plantrack diff origin/main HEAD --format markdown --check;
    plantrack diff v1 v2 -- plans/hanoi-2025.yaml
    """
    from plantrack.git import diff as plans_diff
    from plantrack.git import policy
    revs = revisions or []
    if len(revs) > 2:
        fail(f"at most two revisions, BASE and HEAD, not {len(revs)}; put plan paths after --")
    repo = _repo()
    paths = _repo_paths(repo, [*(plans or []), *ctx.meta.get(_PATHS_KEY, [])])
    try:
        base_rev = revs[0] if revs else _base_revision(repo)
        head_rev = revs[1] if len(revs) > 1 else None
        base, head = _read(repo, base_rev, paths), _read(repo, head_rev, paths)
    except UsageError as exc:
        fail(_with_shallow_note(repo, str(exc)))
    if not (base or head or base.broken or head.broken):
        where = ", ".join(paths or ["plans/"])
        fail(f"no plan files under {where} at {base_rev} or {head_rev or 'the working tree'}")
    unreadable = _set_aside_broken(base, head)
    changes = plans_diff.compare(base, head, _judged_on(repo, head_rev))
    base_config, head_config = _configs(repo, base_rev, head_rev, paths)
    changes.config = plans_diff.compare_config(base_config, head_config)
    found = policy.check(changes, head.marks, _gate(base_config)) if check else []
    chosen = _chosen_lang(lang.value if lang else None, head_config)
    shown = _localized(changes, chosen) if output != "json" else changes
    view = formats.DiffView(shown, unreadable + found, chosen or "en")
    sys.stdout.write(formats.render("diff", output, view))
    _print_check(unreadable + found)
    failed = unreadable or any(p.is_error for p in found)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _configs(repo: Path, base_rev: str, head_rev: str | None, paths: list[str] | None
             ) -> tuple[tuple[str, bytes] | None, tuple[str, bytes] | None]:
    """`.plantrack.yaml` at both sides, for the folder of the first plan path named."""
    from plantrack.git import repo as gitread
    first = (paths or ["plans"])[0]
    folder = first if (repo / first).is_dir() or not first.endswith((".yaml", ".yml")) \
        else posixpath.dirname(first)
    try:
        return gitread.config_at(repo, base_rev, folder), gitread.config_at(repo, head_rev, folder)
    except OSError as exc:
        fail(f"cannot read .plantrack.yaml: {exc.strerror or exc}")


def _chosen_lang(given: str | None, config: tuple[str, bytes] | None) -> str | None:
    """`--lang`, else `lang` of the `.plantrack.yaml` of the side shown (the head's) when the
    tool speaks it, else None: English labels, the plans' text as shown by default."""
    from plantrack.checks.config import parse
    from plantrack.lang import LANGUAGES

    if given is not None:
        return given
    configured = parse(config[1], config[0]).lang if config else None
    return configured if configured in LANGUAGES else None


def _localized(changes: PlansDiff, lang: str | None) -> PlansDiff:
    """The plans' and tasks' titles in `lang`, as `base.in_lang` puts plans for the other
    views; after the policy, whose findings keep their own words, and never for JSON, which
    is the same in every language."""
    import dataclasses

    from plantrack.i18n import in_lang

    if lang is None:
        return changes
    plans = [dataclasses.replace(
        plan, title=in_lang(plan.title, lang),
        changes=[dataclasses.replace(c, title=in_lang(c.title, lang)) for c in plan.changes])
        for plan in changes.plans]
    return dataclasses.replace(changes, plans=plans)


def _gate(base: tuple[str, bytes] | None) -> Config:
    """The rules `--check` judges by: the base revision's, so that the change under review
    cannot switch off the rules it breaks. A base configuration with errors counts for what
    it says correctly (its errors are validate's to report)."""
    from plantrack.checks.config import Config, parse

    return parse(base[1], base[0]) if base else Config()


def _judged_on(repo: Path, head_rev: str | None) -> Callable[[Plan], dt.date]:
    """The day both sides are judged on: the head commit's committer date, or today for the
    working tree, in each plan's timezone."""
    from plantrack.asof import today_in
    from plantrack.git import repo as gitread

    moment = (gitread.commit_time(repo, head_rev) if head_rev is not None
              else dt.datetime.now(dt.UTC))
    return lambda plan: today_in(plan.timezone, moment)


def _with_shallow_note(repo: Path, message: str) -> str:
    """A revision that cannot be read in a shallow clone: say why, and how to fix it."""
    from plantrack.git import repo as gitread
    note = gitread.shallow_note(repo)
    return f"{message}; {note}" if note else message


def _note_shallow(repo: Path) -> None:
    from plantrack.git import repo as gitread
    note = gitread.shallow_note(repo)
    if note:
        print(f"plantrack: warning: {note}", file=sys.stderr)


def history(
    task: Annotated[str, typer.Argument(help="The task, as PLAN-ID/TASK-ID.",
                                        metavar="PLAN/ID")],
    rev: Annotated[str, typer.Option("--rev", help="Follow history up to this revision.")
                   ] = "HEAD",
    plans: PlansDirOpt = None,
    output: Annotated[str, formats.option("history", "text or json.")] = "text",
    lang: LangOpt = None,
) -> None:
    """Every change to one task, commit by commit, with its deadline in force, status,
    progress and owner as of each commit's date.

    Follows the plan's file through renames. Example: plantrack history hanoi-2025/HN-03
    """
    from plantrack.git.history import read_history

    plan_id, slash, task_id = task.partition("/")
    if not slash or not plan_id or not task_id:
        fail(f"{task!r}: name the task as PLAN-ID/TASK-ID, e.g. hanoi-2025/HN-03")
    repo = _repo()
    paths = _repo_paths(repo, plans or [])
    try:
        path, steps = read_history(repo, plan_id, task_id, rev, paths)
    except UsageError as exc:
        fail(_with_shallow_note(repo, str(exc)))
    chosen = _chosen_lang(lang.value if lang else None, _config_of(repo, rev, path))
    view = formats.HistoryView(task, path, steps, chosen or "en")
    sys.stdout.write(formats.render("history", output, view))
    _note_shallow(repo)


def _config_of(repo: Path, rev: str, path: str) -> tuple[str, bytes] | None:
    """`.plantrack.yaml` governing the plan's file at `rev`, for its `lang`."""
    from plantrack.git import repo as gitread
    try:
        return gitread.config_at(repo, rev, posixpath.dirname(path))
    except OSError as exc:
        fail(f"cannot read .plantrack.yaml: {exc.strerror or exc}")


def register(app: typer.Typer) -> None:
    app.command("diff", cls=_SplitAtDashes)(diff)
    app.command("history")(history)
