"""The site's pages as of a day: an index, one page per plan, per owner and per task.

Pages are rendered from the shipped templates (templates/site/) with the report's filters
and catalogue; every link is relative to the page, so the site works from `file://` and
under any sub-path of a Pages host. Owners of different plans whose names are equal after
Unicode NFC and case folding share a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from plantrack.domain.model import Plan, SourcedPlan
from plantrack.domain.state import STATES, Tally, TaskState, tally
from plantrack.site.archive import Manifest
from plantrack.site.names import Names
from plantrack.site.tasklog import Event, TaskLog


@dataclass
class Line:
    """One task in a table of tasks."""

    item: TaskState
    plan: Plan
    href: str  # the task's page, from the site's root
    owner: str  # the unit in charge as of the day, by name
    owner_href: str

    @property
    def search(self) -> str:
        """What the page's search box looks in: id, title, the unit by name and alias
        ("Sở KH&CN"), plan, tags."""
        task = self.item.task
        owner = self.plan.owners.get(self.item.in_charge or task.owner)
        aliases = [str(a) for a in owner.aliases] if owner is not None else []
        return " ".join([self.item.ref, str(task.title), self.owner, *aliases,
                         str(self.plan.title), *(str(t) for t in task.tags)])


@dataclass
class OwnerPage:
    key: str
    name: str
    href: str
    calendar: str
    lines: list[Line] = field(default_factory=list)

    @property
    def tally(self) -> Tally:
        return tally(line.item for line in self.lines)

    @property
    def plans(self) -> list[Plan]:
        seen: dict[str, Plan] = {}
        for line in self.lines:
            seen.setdefault(line.plan.id, line.plan)
        return list(seen.values())


@dataclass
class PlanPage:
    sourced: SourcedPlan
    href: str
    lines: list[Line] = field(default_factory=list)

    paces: list[Any] = field(default_factory=list)  # trends.TargetPace of its tasks

    @property
    def plan(self) -> Plan:
        return self.sourced.plan

    @property
    def tally(self) -> Tally:
        return tally(line.item for line in self.lines)


@dataclass
class Site:
    """Everything the pages show, as of `day`."""

    day: dt.date
    lang: str
    plans: list[PlanPage]
    owners: list[OwnerPage]
    lines: list[Line]
    manifest: Manifest
    log: TaskLog
    points: list[Any]  # trends.TrendPoint, oldest first
    paces: list[Any]  # trends.TargetPace as of `day`
    states: tuple[str, ...] = STATES

    @property
    def tally(self) -> Tally:
        return tally(line.item for line in self.lines)

    def events(self, ref: str) -> list[Event]:
        return self.log.events.get(ref, [])


def gather(plans: list[SourcedPlan], items: list[TaskState], day: dt.date, lang: str,
           manifest: Manifest, log: TaskLog, points: list[Any], paces: list[Any]) -> Site:
    """The pages' model: every task in one line, grouped by plan and by owner name."""
    from plantrack.site.trends import owner_key, owner_name

    plan_names, owner_names = Names(), Names()
    task_names: dict[str, Names] = {}
    pages = {sp.plan.id: PlanPage(sp, f"plans/{plan_names.take(sp.plan.id)}.html")
             for sp in plans}
    owners: dict[str, OwnerPage] = {}
    lines = []
    for item in items:
        page = pages[item.plan_id]
        name = owner_name(page.plan, item.in_charge or item.task.owner)
        key = owner_key(name)
        if key not in owners:
            slug = owner_names.take(name)
            owners[key] = OwnerPage(key, name, f"owners/{slug}.html", f"owners/{slug}.ics")
        folder = page.href.removeprefix("plans/").removesuffix(".html")
        slug = task_names.setdefault(item.plan_id, Names()).take(item.task.id)
        href = f"tasks/{folder}/{slug}.html"
        line = Line(item, page.plan, href, owners[key].name, owners[key].href)
        lines.append(line)
        page.lines.append(line)
        owners[key].lines.append(line)
    for pace in paces:
        pages[pace.plan_id].paces.append(pace)
    from plantrack.collate import sort_key

    ordered = sorted(owners.values(), key=lambda o: (sort_key(o.name), o.key))
    return Site(day, lang, list(pages.values()), ordered, lines, manifest, log, points, paces)


def _depth(href: str) -> str:
    return "../" * href.count("/")


def render_pages(site: Site, archive_names: Callable[[str], str]) -> Iterator[tuple[str, bytes]]:
    """Every page of `site`: (path from the site's root, bytes)."""
    import plantrack.site.trendcharts as trendcharts
    from plantrack.report.render import Formats, site_environment, templates_dir

    env = site_environment([templates_dir() / "site", templates_dir()], site.lang)
    words = Formats(site.lang)
    env.filters["fromiso"] = _day_of
    charts = _charts(site, words, trendcharts)

    def pace_chart(pace: Any) -> Any:
        return trendcharts.pace_chart(pace, [], words.tr.gettext, words.date)

    base = {"site": site, "lang": site.lang, "w": words, "charts": charts,
            "archive_name": archive_names, "pace_of": _paces_by_ref(site.paces),
            "owner_names": _owner_names, "pace_chart": pace_chart}

    def page(template: str, href: str, **extra: Any) -> tuple[str, bytes]:
        text = env.get_template(template).render(**base, root=_depth(href), here=href,
                                                 **extra)
        return href, text.encode("utf-8")

    yield page("index.html.j2", "index.html")
    for plan in site.plans:
        yield page("plan.html.j2", plan.href, page=plan)
    for owner in site.owners:
        yield page("owner.html.j2", owner.href, page=owner)
    for line in site.lines:
        yield page("task.html.j2", line.href, line=line, events=site.events(line.item.ref))


def _day_of(text: str) -> dt.date:
    """A date, or the date of an ISO timestamp, as the archive and the log keep them."""
    return dt.date.fromisoformat(text[:10])


def _owner_names(plan: Plan, keys: Any) -> list[str]:
    from plantrack.site.trends import owner_name

    return [owner_name(plan, key) for key in keys]


def _paces_by_ref(paces: list[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for pace in paces:
        found.setdefault(f"{pace.plan_id}/{pace.task_id}", []).append(pace)
    return found


def _charts(site: Site, words: Any, trendcharts: Any) -> dict[str, Any]:
    tr = words.tr.gettext
    points = site.points
    return {
        "states": trendcharts.states_chart(points, site.states, words.state,
                                           words.period_name),
        "on_time": trendcharts.on_time_chart(points, tr, words.period_name, words.share),
        "owners": trendcharts.owner_overdue_chart(points, tr, words.period_name),
    }
