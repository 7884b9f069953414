"""`plantrack site`: the static report site, with the archive of every past period."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plantrack.commands.common import (
    AsOfOpt,
    DueSoonOpt,
    LangOpt,
    PathsArg,
    chosen_lang,
    fail,
    load_for_reading,
    resolve_as_of,
)
from plantrack.commands.common import due_soon_days as due_soon
from plantrack.commands.report import ReportPeriod, _cutoff_day, _particulars
from plantrack.problems import UsageError

if TYPE_CHECKING:
    from plantrack.checks.loader import Loaded
    from plantrack.commands.base import AsOf
    from plantrack.site.build import Settings

# The folders of pages made afresh on every run: a page of a task since removed goes.
PAGE_FOLDERS = ("plans", "owners", "tasks")


def site(
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The site's folder. Its archive (archive/) is read first: "
        "published periods are kept byte for byte, the periods closed since are added.",
        file_okay=False)],
    paths: PathsArg = None,
    period: Annotated[ReportPeriod, typer.Option(
        "--period", help="The period of each archived report.")] = ReportPeriod.month,
    cutoff_day: Annotated[int | None, typer.Option(
        "--cutoff-day", help="Periods close on this day (1 to 28) of their last month "
        "(Decree 09/2019: 14), as for report. Default: cutoff_day of .plantrack.yaml, else "
        "calendar periods.", show_default=False)] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Archive no period before the one this date falls in (keeps a "
        "site within a host's size limit).", show_default=False)] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    docx: Annotated[bool, typer.Option(
        "--docx", help="Archive each period's report as a Word document too.")] = False,
    due_soon_days: DueSoonOpt = None,
) -> None:
    """A static report site: an index with trends, a page per plan, per unit (with its
    calendar) and per task, and every past period's report as it stood at the period's end.
    Self-contained: relative links only, nothing fetched from another host.

    Example: plantrack site -o site --period month --cutoff-day 14 --lang vi plans/
    """
    from plantrack.asof import parse_day

    if cutoff_day is not None and period is ReportPeriod.week:
        fail("--cutoff-day applies to --period month, quarter, half or year; "
             "weeks are ISO weeks (Monday to Sunday)")
    if cutoff_day is not None and not 1 <= cutoff_day <= 28:
        fail(f"--cutoff-day must be from 1 to 28, not {cutoff_day}")
    try:
        first = parse_day(since) if since else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--since'") from None
    when = resolve_as_of(as_of)
    loaded, code = load_for_reading(paths or [])
    if not loaded.plans:
        fail("no plan to make a site of")
    from plantrack.site.build import Settings

    language = chosen_lang(lang.value if lang is not None else None, loaded)
    settings = Settings(period.value, None if period is ReportPeriod.week
                        else _cutoff_day(cutoff_day, loaded), language,
                        due_soon(due_soon_days, loaded), first,
                        _particulars(loaded) if docx else None)
    try:
        published, pages, unchanged = _build(output, paths or ["plans"], loaded, when,
                                             settings)
    except UsageError as exc:
        fail(str(exc))
    print(f"plantrack: {output}: {published} period(s) published, {pages} page(s): "
          f"{pages - unchanged} written, {unchanged} unchanged", file=sys.stderr)
    raise typer.Exit(code)


def _build(output: Path, paths: list[str], loaded: Loaded, when: AsOf,
           settings: Settings) -> tuple[int, int, int]:
    """Write the site; how many periods were published, how many pages it has and how many
    of them were on disk as they are already."""
    from itertools import chain

    from plantrack.domain.localize import localized_plans
    from plantrack.domain.query import derive_all
    from plantrack.edit.output import sync_all
    from plantrack.git.repo import is_shallow, repo_root
    from plantrack.site import archive, build, pages, tasklog, trends
    from plantrack.site.snapshots import History

    plans = loaded.plans
    repo = repo_root(Path(plans[0].path).resolve())
    if repo is None:
        raise UsageError(f"{plans[0].path}: not in a git repository; the site reads each "
                         "period's plans from git history")
    if is_shallow(repo):
        raise UsageError("the git history is shallow, so past periods cannot be read as they "
                         "stood; fetch the full history (fetch-depth: 0 in GitHub Actions, "
                         "GIT_DEPTH: 0 in GitLab CI, or git fetch --unshallow)")
    specs = _specs(repo, paths)
    wanted = archive.Manifest(settings.kind, settings.cutoff_day, settings.labels)
    manifest = archive.read_manifest(output) or wanted
    archive.check_settings(manifest, wanted, output)
    day = when.label(plans)
    history = History(repo, specs)
    published = 0
    for path, data in build.publish(history, settings, manifest, day, plans[0].plan.timezone):
        _write(output, path, data)
        published += path.endswith("/report.html")
    _write(output, archive.MANIFEST, manifest.dump())
    log = tasklog.extend(tasklog.read_log(output, specs), history)
    _write(output, tasklog.LOG, log.dump())
    history.prune(set())
    shown = localized_plans(plans, settings.lang)
    items = derive_all(shown, when.for_plan, settings.soon)
    model = pages.gather(shown, items, day, settings.labels, manifest, log,
                         build.points_of(manifest, settings), trends.target_paces(shown, day))
    written: set[str] = set()
    unchanged = 0
    for path, data in chain(pages.render_pages(model, build.archive_namer(settings, manifest)),
                            build.calendars(model, shown, day, settings.labels),
                            build.assets()):
        if not _update(output, path, data) and path.endswith(".html"):
            unchanged += 1
        written.add(path)
    _remove_stale(output, written)
    sync_all()
    return published, sum(p.endswith(".html") for p in written), unchanged


def _specs(repo: Path, paths: list[str]) -> list[str]:
    """The plan paths given, relative to the repository (the snapshots read them there)."""
    out = []
    for given in paths:
        try:
            out.append(Path(given).resolve().relative_to(repo.resolve()).as_posix())
        except ValueError:
            raise UsageError(f"{given}: outside the git repository {repo}") from None
    return out


def _write(root: Path, path: str, data: bytes) -> None:
    """A file of the archive or its records: on disk, file and rename, when this returns."""
    from plantrack.edit.output import write_output

    write_output(_folder_made(root / path), data)


def _update(root: Path, path: str, data: bytes) -> bool:
    """A page, a calendar or an asset, made afresh on every run: written only when its bytes
    changed, and flushed to disk with the others at the end. True when written."""
    from plantrack.edit.output import update_output

    return update_output(_folder_made(root / path), data)


def _folder_made(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target.parent}: cannot make the folder: {exc.strerror or exc}"
                         ) from None
    return target


def _remove_stale(root: Path, written: set[str]) -> None:
    """Pages and calendars of earlier runs whose task, owner or plan is gone."""
    for folder in PAGE_FOLDERS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            name = path.relative_to(root).as_posix()
            if path.is_file() and path.suffix in (".html", ".ics") and name not in written:
                path.unlink()


def register(app: typer.Typer) -> None:
    app.command()(site)
