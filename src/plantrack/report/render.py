"""Rendering the report through jinja2: the environments, the per-language filters, the
message catalogs. Templates get the report model and nothing else."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from plantrack.problems import UsageError
from plantrack.report import charts
from plantrack.report.data import Report
from plantrack.views.formats import ReportView
from plantrack.views.text import md_escape

Format = Literal["md", "html"]
LANGUAGES = ("en", "vi")
DOMAIN = "plantrack"
TEMPLATE_OF = {"md": "report.md.j2", "html": "report.html.j2"}
# English state names; the catalog translates them like every other label.
STATE_NAMES = {
    "done_on_time": "completed on time", "done_late": "completed late",
    "on_track": "on track", "due_soon": "due soon", "overdue": "overdue",
    "ongoing": "ongoing", "cancelled": "cancelled",
}


def templates_dir() -> Path:
    """The shipped templates: `plantrack/templates` when installed, else the repo's templates/."""
    packaged = Path(str(resources.files("plantrack"))) / "templates"
    if (packaged / TEMPLATE_OF["md"]).is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of `lang`, compiled from its .po source in memory (no build step needed)."""
    if lang == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = resources.files("plantrack") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _md_finalize(value: object) -> object:
    """Every `{{ }}` in a Markdown template is escaped unless it is already Markup."""
    if value is None or isinstance(value, Markup):
        return value
    return md_escape(value)


class Formats:
    """Dates, numbers, shares and state names in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.tr = translations(lang)

    def date(self, day: dt.date | None) -> str:
        if day is None:
            return "—"
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()

    def month(self, day: dt.date) -> str:
        return day.strftime("%m/%Y") if self.lang == "vi" else day.strftime("%Y-%m")

    def number(self, value: int | float | None) -> str:
        from babel.numbers import format_decimal

        return "—" if value is None else str(format_decimal(value, locale=self.lang))

    def share(self, value: float | None) -> str:
        from babel.numbers import format_decimal

        if value is None:
            return "—"
        return f"{format_decimal(value * 100, format='#,##0.0', locale=self.lang)}%"

    def state(self, state: str) -> str:
        return self.tr.gettext(STATE_NAMES[state])

    def quantity(self, value: str | None) -> str:
        """A target or actual as written: a number gets the language's decimal mark."""
        if value is None:
            return "—"
        match = re.fullmatch(r"(-?\d+(?:\.\d+)?)(%?)", value.strip())
        if not match:
            return value
        number = float(match[1]) if "." in match[1] else int(match[1])
        return self.number(number) + match[2]


def _environment(folders: list[Path], fmt: Format, lang: str, sandboxed: bool) -> Environment:
    cls = SandboxedEnvironment if sandboxed else Environment
    options: dict[str, Any] = {}
    if fmt == "md":
        options["finalize"] = _md_finalize
    env = cls(loader=FileSystemLoader([str(f) for f in folders]),
              autoescape=select_autoescape(enabled_extensions=("html", "html.j2"),
                                           default_for_string=fmt == "html", default=False),
              undefined=StrictUndefined, extensions=["jinja2.ext.i18n"], trim_blocks=True,
              lstrip_blocks=True, keep_trailing_newline=True, **options)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    formats = Formats(lang)
    env.filters.update(date=formats.date, num=formats.number, share=formats.share,
                       state=formats.state, qty=formats.quantity, md=md_escape)
    return env


def _charts(report: Report, formats: Formats) -> dict[str, Any]:
    tr = formats.tr.gettext
    bars = charts.owner_bars(report.owners, report.states, formats.state,
                             tr("Tasks by state, per owner"))
    timelines = {p.id: charts.timeline(p, report.as_of, formats.state, formats.date, formats.month,
                                       tr("Deadlines of %(plan)s") % {"plan": p.title},
                                       tr("as of %(date)s") % {"date": formats.date(report.as_of)})
                 for p in report.plans}
    return {"owner_bars": bars, "timelines": timelines, "colours": charts.STATE_COLOURS,
            "bar_limit": charts.BAR_LIMIT}


def render_report(report: Report, fmt: Format, lang: str = "en",
                  template: Path | None = None) -> str:
    """The report as text; `template` is a user's own, run in a sandbox."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    builtin = templates_dir()
    if template is None:
        env = _environment([builtin], fmt, lang, sandboxed=False)
        name = TEMPLATE_OF[fmt]
    else:
        if not template.is_file():
            raise UsageError(f"{template}: no such template file")
        env = _environment([template.parent, builtin], fmt, lang, sandboxed=True)
        name = template.name
    drawn = _charts(report, Formats(lang)) if fmt == "html" else {}
    try:
        text = env.get_template(name).render(r=report, lang=lang, charts=drawn)
    except TemplateError as exc:
        where = f"{template or name}"
        line = getattr(exc, "lineno", None)
        raise UsageError(f"{where}{f':{line}' if line else ''}: template error: {exc}") from None
    return text.rstrip("\n") + "\n"


def render_markdown(view: ReportView) -> str:
    return render_report(view.report, "md", view.lang, view.template)


def render_html(view: ReportView) -> str:
    return render_report(view.report, "html", view.lang, view.template)
