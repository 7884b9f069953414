"""The words of one language: the gettext catalogue, dates, numbers, shares, state names and
deadlines as people read them. Machine formats (JSON, CSV) never come here."""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import cache
from importlib import resources
from typing import Protocol


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


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of `lang`, compiled from its .po source in memory (no build step)."""
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


class Words:
    """Dates, numbers, shares, state names and deadlines in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.tr = translations(lang)

    def __call__(self, message: str) -> str:
        return self.tr.gettext(message)

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
        from babel.numbers import format_decimal

        return "—" if value is None else str(format_decimal(value, locale=self.lang))

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
