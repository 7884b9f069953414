"""The words of one language: the gettext catalogue, dates, numbers, shares, state names and
deadlines as people read them. Machine formats (JSON, CSV) never come here."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import gettext


class Deadline(Protocol):
    """What is read of a `domain.deadlines.Deadline` (the domain comes after this layer)."""

    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def last_day(self) -> dt.date | None: ...
    @property
    def at(self) -> dt.time | None: ...

LANGUAGES = ("en", "vi")
DOMAIN = "plantrack"
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
ROMAN = ("I", "II", "III", "IV")
# English state names; the catalogue translates them like every other label.
STATE_NAMES = {
    "done_on_time": "completed on time", "done_late": "completed late",
    "on_track": "on track", "due_soon": "due soon", "overdue": "overdue",
    "ongoing": "ongoing", "unscheduled": "no deadline yet", "cancelled": "cancelled",
}

# The states as task lists and `show` name them, shorter than a report's.
SHORT_STATE_NAMES = {
    "done_on_time": "done on time", "done_late": "done late", "on_track": "on track",
    "due_soon": "due soon", "overdue": "overdue", "ongoing": "ongoing", "cancelled": "cancelled",
    "unscheduled": "no deadline yet",
}


class _English:
    """English, the language the messages are written in: each is its own translation.
    (gettext and importlib.resources cost a run in English 15 ms it does not need.)"""

    def gettext(self, message: str) -> str:
        return message

    def pgettext(self, context: str, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


@lru_cache(maxsize=4096, typed=True)
def _decimal(value: int | float, lang: str) -> str:
    """A number in the language's digits and separators: the site's tables print the same
    few thousand numbers over and over, and babel takes 30 µs a number."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=lang))


@cache
def translations(lang: str) -> gettext.NullTranslations | _English:
    """The catalogue of `lang`, compiled from its .po sources in memory (no build step)."""
    if lang == "en":
        return _English()
    import gettext
    import io
    from importlib import resources

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    folder = resources.files("plantrack") / "locale" / lang / "LC_MESSAGES"
    # plantrack.po, then the catalogues of single parts (plantrack-diff.po, ...) on top.
    sources = sorted((f for f in folder.iterdir() if f.name.endswith(".po")),
                     key=lambda f: (f.name != f"{DOMAIN}.po", f.name))
    catalog = None
    for po in sources:
        with po.open("rb") as source:
            part = read_po(source, locale=lang, domain=DOMAIN)
        if catalog is None:
            catalog = part
            continue
        for message in part:
            if message.id:
                catalog[message.id] = message
    if catalog is None:
        return gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Words:
    """Dates, numbers, shares, state names and deadlines in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.tr = translations(lang)

    def __call__(self, message: str) -> str:
        return self.tr.gettext(message)

    def column(self, message: str) -> str:
        """A short column header ("Over-\\ndue"), the catalogue's context "column"."""
        return self.tr.pgettext("column", message)

    def title(self, message: str) -> str:
        """A list's title ("Overdue"), the context "title"."""
        return self.tr.pgettext("title", message)

    def short_state(self, state: str) -> str:
        """A state as a task list names it ("done on time"), the context "state"."""
        return self.tr.pgettext("state", SHORT_STATE_NAMES[state])

    def field(self, name: str) -> str:
        """A field's name in `show` ("Due", "Depends on"), the context "field"."""
        return self.tr.pgettext("field", name)

    def status(self, status: str) -> str:
        """A written status (planned, in_progress, blocked, done, cancelled): as written in
        English, in words in other languages (the context "status")."""
        return self.tr.pgettext("status", status)

    def recurrence(self, rule: str) -> str:
        """A recurring duty's RRULE in words where the language has them ("ngày 25 hằng
        tháng"); as written otherwise, after "recurs"."""
        said = _rule_in_words(rule, self) if self.lang != "en" else None
        return said or f"{self.tr.gettext('recurs')} {rule}"

    def deadline_cell(self, deadline: Deadline | None, day: dt.date | None) -> str:
        """A deadline in a task list: as written (en) or in words (vi); a recurring duty's
        occurrence as a date. A day is written as table columns write dates ("09/03/2025"),
        so that it lines up with an occurrence's."""
        if deadline is not None and deadline.kind == "date" and deadline.last_day is not None:
            return self.date(deadline.last_day)
        if deadline is not None:
            return self.deadline(deadline)
        return self.date(day) if day else "—"

    def date(self, day: dt.date | None) -> str:
        """A date in a table cell: "30/06/2025" (vi), "2025-06-30" (en)."""
        if day is None:
            return "—"
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()

    def day(self, day: dt.date, year: bool = True) -> str:
        """A date in running text: "15/5/2025" (vi), "15 May 2025" (en); `year=False`
        leaves the year out."""
        if self.lang == "vi":
            text = f"{day.day}/{day.month}"
        else:
            text = f"{day.day} {MONTH_NAMES[day.month - 1]}"
        if not year:
            return text
        return f"{text}/{day.year}" if self.lang == "vi" else f"{text} {day.year}"

    def month(self, day: dt.date) -> str:
        return day.strftime("%m/%Y") if self.lang == "vi" else day.strftime("%Y-%m")

    def number(self, value: int | float | None) -> str:
        return "—" if value is None else _decimal(value, self.lang)

    def share(self, value: float | None) -> str:
        from babel.numbers import format_decimal

        if value is None:
            return "—"
        return f"{format_decimal(value * 100, format='#,##0.0', locale=self.lang)}%"

    def state(self, state: str) -> str:
        return self.tr.gettext(STATE_NAMES[state])

    def deadline(self, deadline: Deadline | None) -> str:
        """A deadline as a report names it: "30/6/2025", "Tháng 7/2025", "Quý III/2025",
        "6 tháng đầu năm 2025", "Năm 2025", "Thường xuyên", "Chưa xác định" (vi); in English
        the form the plan writes ("2025-Q3")."""
        if deadline is None:
            return "—"
        if self.lang == "en":
            return deadline.text
        last = deadline.last_day
        tr = self.tr.gettext
        if deadline.kind == "ongoing":
            return tr("Ongoing")
        if deadline.kind == "tbd" or last is None:
            return tr("Not yet set")
        values = {"year": last.year}
        if deadline.kind == "datetime" and deadline.at is not None:
            return tr("%(time)s on %(date)s") % {"time": f"{deadline.at:%H:%M}",
                                                 "date": self.day(last)}
        if deadline.kind == "date":
            return self.day(last)
        if deadline.kind == "month":
            return tr("%(month_name)s %(year)s") % {
                **values, "month_name": MONTH_NAMES[last.month - 1], "index": last.month}
        if deadline.kind == "quarter":
            index = (last.month - 1) // 3 + 1
            return tr("Q%(index)s %(year)s") % {**values, "index": index,
                                                 "roman": ROMAN[index - 1]}
        if deadline.kind == "half":
            return (tr("H1 %(year)s") if last.month <= 6 else tr("H2 %(year)s")) % values
        return tr("%(year)s") % values


_WEEKDAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}


def _rule_in_words(rule: str, words: Words) -> str | None:
    """The common RRULEs of a plan (daily; weekly on some days; monthly on a day; yearly on
    a date; each every N periods) in words; None for any other."""
    parts = dict(p.partition("=")[::2] for p in rule.upper().split(";") if p)
    freq = parts.pop("FREQ", "")
    interval = parts.pop("INTERVAL", "1")
    parts.pop("WKST", None)
    if not interval.isdigit() or set(parts) - {"BYDAY", "BYMONTHDAY", "BYMONTH"}:
        return None
    tr, every = words.tr.gettext, int(interval)
    days = parts.get("BYMONTHDAY", "")
    if freq == "DAILY" and not parts:
        text = tr("every day") if every == 1 else tr("every %(n)s days") % {"n": every}
    elif freq == "WEEKLY" and set(parts) <= {"BYDAY"}:
        names = [tr(_WEEKDAYS[d]) for d in parts.get("BYDAY", "").split(",") if d in _WEEKDAYS]
        if "BYDAY" in parts and len(names) != len(parts["BYDAY"].split(",")):
            return None
        period = tr("every week") if every == 1 else tr("every %(n)s weeks") % {"n": every}
        text = f"{', '.join(names)} {period}" if names else period
    elif freq == "MONTHLY" and set(parts) == {"BYMONTHDAY"} and days.lstrip("-").isdigit():
        period = tr("every month") if every == 1 else tr("every %(n)s months") % {"n": every}
        text = tr("day %(day)s %(period)s") % {"day": days, "period": period}
    elif freq == "YEARLY" and set(parts) == {"BYMONTH", "BYMONTHDAY"} and (
            days.isdigit() and parts["BYMONTH"].isdigit()):
        period = tr("every year") if every == 1 else tr("every %(n)s years") % {"n": every}
        text = tr("day %(day)s %(period)s") % {"day": f"{days}/{parts['BYMONTH']}",
                                                "period": period}
    else:
        return None
    return text
