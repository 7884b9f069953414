"""Rendering the report through jinja2: the environments, the per-language filters, the
message catalogs. Templates get the report model and nothing else."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from importlib import resources
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Literal, cast

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_eval_context,
    select_autoescape,
)
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from plantrack.lang import LANGUAGES, MONTH_NAMES, ROMAN, Words, translations
from plantrack.problems import UsageError
from plantrack.report import charts
from plantrack.report.data import ExtensionRow, Period, Report, TaskRow, UpdateRow
from plantrack.views.escape import inert
from plantrack.views.formats import ReportView
from plantrack.views.text import md_escape

Format = Literal["md", "html"]
TEMPLATE_OF = {"md": "report.md.j2", "html": "report.html.j2"}
# The bounds of a custom template's run: the characters it may write (64 Mi, far more than
# any report) and the seconds it may take. Past either, the report stops with exit 2.
# The shipped templates are not bounded: their output grows with the plans alone.
OUTPUT_LIMIT = 64 * 1024 * 1024
TIME_LIMIT = 60.0
# An integer a custom template computes may have this many bits at most (2**100000 has
# 30,103 digits): past it one `**` or `*` would run for minutes in a single C call, which
# no time limit can interrupt.
INT_BITS_LIMIT = 100_000


def templates_dir() -> Path:
    """The shipped templates: `plantrack/templates` when installed, else the repo's templates/."""
    packaged = Path(str(resources.files("plantrack"))) / "templates"
    if (packaged / TEMPLATE_OF["md"]).is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def _md_finalize(value: object) -> object:
    """Every `{{ }}` in a Markdown template is escaped unless it is already Markup."""
    if value is None or isinstance(value, Markup):
        return value
    return md_escape(value)


def _html_finalize(value: object) -> object:
    """Plan text in HTML: no control or bidirectional character (autoescape then escapes
    the markup); what a template or filter made Markup is its own."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return inert(value)
    return value


class Formats(Words):
    """The words of one language (`lang.Words`), and the names of reporting periods."""

    def period_name(self, period: Period) -> str:
        """ "Tháng 6/2025", "Quý II/2025", "6 tháng đầu năm 2025", "Năm 2025", "Tuần 23/2025";
        "June 2025", "Q2 2025", "H1 2025", "2025", "Week 23/2025"."""
        tr = self.tr.gettext
        values = {"year": period.year, "index": period.index}
        if period.kind == "week":
            return tr("Week %(index)s/%(year)s") % values
        if period.kind == "month":
            return tr("%(month_name)s %(year)s") % {
                **values, "month_name": MONTH_NAMES[period.index - 1]}
        if period.kind == "quarter":
            return tr("Q%(index)s %(year)s") % {**values, "roman": ROMAN[period.index - 1]}
        if period.kind == "half":
            return (tr("H1 %(year)s") if period.index == 1 else tr("H2 %(year)s")) % values
        return tr("%(year)s") % values

    def period_dates(self, period: Period) -> str:
        """ "(từ 15/5/2025 đến 14/6/2025)", "(15 May – 14 June 2025)"; a week, or a period
        within one year in English, leaves the year of its first day out."""
        short = period.start.year == period.end.year and (
            period.kind == "week" or self.lang == "en")
        return self.tr.gettext("(%(start)s – %(end)s)") % {
            "start": self.day(period.start, year=not short), "end": self.day(period.end)}

    def period(self, period: Period) -> str:
        """The period's name and its first and last day: "Quý II/2025 (từ 15/3/2025 đến
        14/6/2025)", "Week 23/2025 (2 June – 8 June 2025)"."""
        return f"{self.period_name(period)} {self.period_dates(period)}"

    def in_force(self, row: TaskRow) -> str:
        """The deadline in force, and the original one when an extension moved it:
        "30/9/2025 (ban đầu: Quý II/2025)"; a recurring duty's occurrence in question."""
        if row.due is None:
            return self.day(row.deadline_day) if row.deadline_day else "—"
        text = self.deadline(row.due)
        if row.original is not None:
            text += " " + self.tr.gettext("(originally %(deadline)s)") % {
                "deadline": self.deadline(row.original)}
        return text

    def presiding(self, row: TaskRow) -> str:
        """The unit in charge, and the one the plan names when a successor took over."""
        if row.was is None:
            return row.owner
        return f"{row.owner} " + self.tr.gettext("(taken over from %(owner)s)") % {
            "owner": row.was}

    def units(self, names: Sequence[str]) -> str:
        return "; ".join(names) if names else "—"

    def progress(self, value: int | None) -> str:
        return "—" if value is None else f"{self.number(value)}%"

    def extension(self, ext: ExtensionRow) -> str:
        """ "extended to 30/9/2025 by Quyết định 12/QĐ-UBND, approved 10/6/2025: reason"."""
        tr = self.tr.gettext
        values = {"deadline": self.deadline(ext.new), "date": self.day(ext.approved),
                  "decision": ext.decision or ""}
        text = (tr("extended to %(deadline)s by %(decision)s, approved %(date)s") if
                ext.decision else tr("extended to %(deadline)s, approved %(date)s")) % values
        return f"{text}: {ext.reason}" if ext.reason else text

    def reason(self, row: TaskRow) -> str:
        """Why the task stands where it does: blocked, cancelled, the latest update's note,
        the extension in force with its reason and decision."""
        tr = self.tr.gettext
        parts = []
        if row.state == "cancelled":
            parts.append(tr("cancelled"))
        elif row.status == "blocked":
            parts.append(tr("blocked"))
        if row.note:
            parts.append(row.note)
        if row.extension is not None:
            parts.append(self.extension(row.extension))
        return "; ".join(parts) if parts else "—"

    def update_note(self, update: UpdateRow) -> str:
        """What an update says: the status it sets, if any, and its note."""
        parts = [self.status(update.status)] if update.status else []
        if update.note:
            parts.append(update.note)
        return "; ".join(parts) if parts else "—"

    def status(self, status: str) -> str:
        """A status an update sets, as a report says it."""
        return self.tr.pgettext("status", status)

    def quantity(self, value: str | None) -> str:
        """A target or actual as written: a number gets the language's decimal mark."""
        if value is None:
            return "—"
        match = re.fullmatch(r"(-?\d+(?:\.\d+)?)(%?)", value.strip())
        if not match:
            return value
        number = float(match[1]) if "." in match[1] else int(match[1])
        return self.number(number) + match[2]


class TemplateSourceError(TemplateError):
    """A template file that cannot be read or is not UTF-8, located as `path[:line:col]`."""

    def __init__(self, filename: str, detail: str, line: int | None = None,
                 col: int | None = None) -> None:
        super().__init__(detail)
        self.filename, self.detail, self.line, self.col = filename, detail, line, col


class LimitExceeded(Exception):
    """A custom template wrote or ran past its bounds (OUTPUT_LIMIT, TIME_LIMIT)."""


def decode_template(raw: bytes, filename: str) -> str:
    """A template's bytes as text: UTF-8, else an error naming the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1
        raise TemplateSourceError(
            filename, f"the template is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be "
            "decoded; save the template as UTF-8", line, col) from None


class _Loader(BaseLoader):
    """Templates from a list of folders, read as strict UTF-8; a file that cannot be read is
    a TemplateSourceError naming it (FileSystemLoader lets OSError and UnicodeDecodeError
    through)."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [str(f) for f in folders]

    def get_source(self, environment: Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.folders:
            filename = os.path.normpath(os.path.join(folder, *pieces))
            if os.path.isfile(filename):
                break
        else:
            raise TemplateNotFound(template)
        try:
            raw = Path(filename).read_bytes()
        except OSError as exc:
            raise TemplateSourceError(
                filename, f"cannot read the template: {exc.strerror or exc}") from None
        return decode_template(raw, filename), filename, lambda: True


class _Sandbox(SandboxedEnvironment):
    """jinja2's sandbox, whose `**`, `*` and `+` refuse results that one C call would spend
    minutes or gigabytes on (`2 ** 10**10`, `'x' * 10**10`); the time limit cannot stop a
    single call."""

    intercepted_binops = frozenset({"**", "*", "+"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and (
                abs(left) > 1 and right * abs(left).bit_length() > INT_BITS_LIMIT):
            raise SecurityError("the power is too large to compute")
        if operator == "*" and _product_too_big(left, right):
            raise SecurityError("the product is too large to compute")
        if operator == "+" and isinstance(left, str | bytes | list | tuple) and isinstance(
                right, str | bytes | list | tuple) and len(left) + len(right) > OUTPUT_LIMIT:
            raise SecurityError(f"the sum is longer than the output limit of "
                                f"{OUTPUT_LIMIT:,} characters")
        return super().call_binop(context, operator, left, right)


def _product_too_big(left: object, right: object) -> bool:
    if isinstance(left, int) and isinstance(right, int):
        return left.bit_length() + right.bit_length() > INT_BITS_LIMIT
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | bytes | list | tuple) and isinstance(times, int):
            return len(seq) * times > OUTPUT_LIMIT
    return False


def _environment(folders: list[Path], fmt: Format, lang: str, sandboxed: bool) -> Environment:
    cls = _Sandbox if sandboxed else Environment
    options: dict[str, Any] = {}
    if fmt == "md":
        options["finalize"] = _md_finalize
    elif fmt == "html":
        options["finalize"] = _html_finalize
    env = cls(loader=_Loader(folders),
              autoescape=select_autoescape(enabled_extensions=("html", "html.j2"),
                                           default_for_string=fmt == "html", default=False),
              undefined=StrictUndefined, extensions=["jinja2.ext.i18n"], trim_blocks=True,
              lstrip_blocks=True, keep_trailing_newline=True, **options)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    formats = Formats(lang)
    env.filters.update(date=formats.date, num=formats.number, share=formats.share,
                       state=formats.state, qty=formats.quantity, md=md_escape,
                       period=formats.period, period_name=formats.period_name,
                       day=formats.day, deadline=formats.deadline, in_force=formats.in_force,
                       presiding=formats.presiding, units=formats.units,
                       progress=formats.progress, reason=formats.reason,
                       extension=formats.extension, update_note=formats.update_note)
    return env


def _charts(report: Report, formats: Formats) -> dict[str, Any]:
    tr = formats.tr.gettext
    # The bars count every task, those with no deadline yet too (the table has them apart).
    shown = (*report.states, "unscheduled") if report.headline.unscheduled else report.states
    bars = charts.owner_bars(report.owners, shown, formats.state,
                             tr("Tasks by state, per owner"))
    timelines = {p.id: charts.timeline(p, report.as_of, formats.state, formats.date, formats.month,
                                       tr("Deadlines of %(plan)s") % {"plan": p.title},
                                       tr("as of %(date)s") % {"date": formats.date(report.as_of)})
                 for p in report.plans}
    return {"owner_bars": bars, "timelines": timelines, "colours": charts.STATE_COLOURS,
            "bar_limit": charts.BAR_LIMIT}


def render_report(report: Report, fmt: Format, lang: str = "en",
                  template: Path | None = None) -> str:
    """The report as text; `template` is a user's own, run in a sandbox and within
    OUTPUT_LIMIT and TIME_LIMIT. Any failure of a template is a UsageError saying
    `TEMPLATE:LINE: template error: ...`."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    builtin = templates_dir()
    shown: dict[str, str] = {}  # a template's file name as the loader has it -> as given
    if template is None:
        env = _environment([builtin], fmt, lang, sandboxed=False)
        name = TEMPLATE_OF[fmt]
    else:
        _check_template_file(template)
        env = _environment([template.parent, builtin], fmt, lang, sandboxed=True)
        name = template.name
        shown[os.path.normpath(template)] = str(template)
    drawn = _charts(report, Formats(lang)) if fmt == "html" else {}
    try:
        compiled = env.get_template(name)
        chunks = compiled.generate(r=report, lang=lang, charts=drawn)
        if template is None:
            text = "".join(chunks)
        else:
            with _deadline(TIME_LIMIT):
                text = _bounded(cast(Generator[str, None, None], chunks))
    except Exception as exc:
        raise UsageError(_template_message(exc, shown.get, str(template or name))) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate, as "\\udcff" in a template writes
        raise UsageError(f"{template or name}: template error: the output holds "
                         f"U+{ord(exc.object[exc.start]):04X}, which UTF-8 cannot write"
                         ) from None
    return text.rstrip("\n") + "\n"


def _check_template_file(template: Path) -> None:
    if template.is_dir():
        raise UsageError(f"{template}: is a folder, not a template file")
    if not template.exists():
        raise UsageError(f"{template}: no such template file")
    if not template.is_file():
        raise UsageError(f"{template}: not a regular file")


def _bounded(chunks: Generator[str, None, None]) -> str:
    """The output of a custom template, stopped inside the template (so its error names the
    line) once it passes OUTPUT_LIMIT characters or TIME_LIMIT seconds."""
    parts: list[str] = []
    size = 0
    started = time.monotonic()
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size > OUTPUT_LIMIT:
            chunks.throw(LimitExceeded(f"the output passed the limit of {OUTPUT_LIMIT:,} "
                                       "characters; stopped"))
        if time.monotonic() - started > TIME_LIMIT:
            chunks.throw(_timeout())
    return "".join(parts)


def _timeout() -> LimitExceeded:
    return LimitExceeded(f"the template ran for more than {TIME_LIMIT:g} seconds; stopped")


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise LimitExceeded wherever the template is once `seconds` have passed, and every
    second after: a loop that writes nothing never hands control back to `_bounded`.
    Only where a timer signal can be had (POSIX, the main thread); elsewhere `_bounded`
    checks the time between pieces of output."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not (
            threading.main_thread()):
        yield
        return
    armed = True

    def ring(_signum: int, _frame: FrameType | None) -> None:
        if armed:
            raise _timeout()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_message(exc: Exception, shown: Callable[[str], str | None], default: str) -> str:
    """`FILE:LINE: template error: what` for an exception out of a template."""
    if isinstance(exc, TemplateSourceError):
        where = shown(exc.filename) or exc.filename
        for part in (exc.line, exc.col):
            where += f":{part}" if part else ""
        return f"{where}: {exc.detail}"
    filename, line = _template_frame(exc)
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        filename, line = exc.filename or filename, exc.lineno
    where = (shown(filename) or filename) if filename else default
    where += f":{line}" if line else ""
    if isinstance(exc, TemplateNotFound):
        what = f"no template named {exc.name!r}"
    elif isinstance(exc, TemplateError | LimitExceeded):
        what = str(exc.message if isinstance(exc, TemplateError) else exc)
    else:
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return f"{where}: template error: {' '.join(what.split())}"


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The file and line of the innermost template frame in the exception's traceback;
    jinja2 rewrites the frames of compiled templates into such frames."""
    found: tuple[str | None, int | None] = (None, None)
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_markdown(view: ReportView) -> str:
    return render_report(view.report, "md", view.lang, view.template)


def render_html(view: ReportView) -> str:
    return render_report(view.report, "html", view.lang, view.template)


def site_environment(folders: list[Path], lang: str) -> Environment:
    """The environment of the site's pages: the report's HTML filters and catalogue, the
    shipped templates only (no sandbox)."""
    env = _environment(folders, "html", lang, sandboxed=False)
    env.globals["_"] = _site_gettext(translations(lang))
    return env


def _site_gettext(catalogue: Any) -> Callable[..., str]:
    """jinja2's `_()` as `install_gettext_translations(newstyle=True)` makes it (the
    translation, Markup where autoescaping, then `%` with the values, even none), made far
    cheaper for 10,000 task pages of forty messages each: jinja2 hands a function that takes
    the context a fresh copy of it on every call inside a block or a loop, and this one
    takes only the evaluation context; a message with no values is translated once."""
    made: dict[tuple[str, bool], str] = {}

    def fill(message: str, autoescape: bool, values: dict[str, Any]) -> str:
        text: str = catalogue.gettext(message)
        return (Markup(text) if autoescape else text) % values

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, message: str, **values: Any) -> str:
        if values:
            return fill(message, eval_ctx.autoescape, values)
        key = (message, eval_ctx.autoescape)
        if key not in made:
            made[key] = fill(message, eval_ctx.autoescape, {})
        return made[key]

    return gettext
