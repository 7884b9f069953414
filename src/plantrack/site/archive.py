"""The archive: each past period's report as it stood, published once and never again.

`archive/manifest.json` lists the published periods; a run reads it, publishes the periods
that have closed since and leaves every published file as it is, byte for byte. The
manifest also records how the archive was made (period, cut-off day, language): a run with
other settings would mix two series of reports in one archive, so it is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from plantrack.problems import UsageError
from plantrack.report.data import Period, Report

MANIFEST = "archive/manifest.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
FORMAT = 1


def period_key(period: Period) -> str:
    """The folder a period's report lives in: 2025-06, 2025-Q2, 2025-H1, 2025, 2025-W23."""
    if period.kind == "month":
        return f"{period.year}-{period.index:02d}"
    if period.kind == "quarter":
        return f"{period.year}-Q{period.index}"
    if period.kind == "half":
        return f"{period.year}-H{period.index}"
    if period.kind == "week":
        return f"{period.year}-W{period.index:02d}"
    return str(period.year)


@dataclass
class Entry:
    key: str
    start: str  # ISO dates of the period's first and last day
    end: str
    rev: str | None  # the commit the report was made from
    files: dict[str, str]  # file name in the period's folder -> sha256 of its bytes
    # The trend figures at the period's end (`trends.TrendPoint`): states, overdue by owner.
    states: dict[str, int] = field(default_factory=dict)
    overdue_by_owner: dict[str, int] = field(default_factory=dict)
    owner_names: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    period: str
    cutoff_day: int | None
    lang: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {e.key for e in self.entries}

    def dump(self) -> bytes:
        data = {"format": FORMAT, "period": self.period, "cutoff_day": self.cutoff_day,
                "lang": self.lang,
                "periods": [asdict(e) for e in sorted(self.entries, key=lambda e: e.start)]}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _fail(path: Path, why: str) -> UsageError:
    return UsageError(f"{path}: {why}; the archive is left as it is")


def _entry(path: Path, raw: Any) -> Entry:
    if not isinstance(raw, dict):
        raise _fail(path, "a period is not an object")
    try:
        entry = Entry(str(raw["key"]), str(raw["start"]), str(raw["end"]),
                      None if raw.get("rev") is None else str(raw["rev"]),
                      {str(k): str(v) for k, v in dict(raw["files"]).items()},
                      {str(k): int(v) for k, v in dict(raw.get("states") or {}).items()},
                      {str(k): int(v) for k, v in
                       dict(raw.get("overdue_by_owner") or {}).items()},
                      {str(k): str(v) for k, v in dict(raw.get("owner_names") or {}).items()})
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(path, f"a period lacks or garbles {exc}") from None
    if not entry.key or "/" in entry.key or entry.key.startswith(".") or any(
            "/" in name or name.startswith(".") for name in entry.files):
        raise _fail(path, f"period {entry.key!r} names a file outside its folder")
    return entry


def read_manifest(root: Path) -> Manifest | None:
    """The manifest of the archive in `root`; None when there is none yet."""
    path = root / MANIFEST
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise _fail(path, f"larger than {MAX_MANIFEST_BYTES:,} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _fail(path, f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _fail(path, f"not a plantrack archive manifest of format {FORMAT}")
    cutoff = data.get("cutoff_day")
    if cutoff is not None and not isinstance(cutoff, int):
        raise _fail(path, "cutoff_day is not a number")
    periods = data.get("periods")
    if not isinstance(periods, list):
        raise _fail(path, "periods is not a list")
    return Manifest(str(data.get("period")), cutoff, str(data.get("lang")),
                    [_entry(path, p) for p in periods])


def check_settings(found: Manifest, wanted: Manifest, root: Path) -> None:
    """Refuse to add to an archive made with other settings."""
    mine = (found.period, found.cutoff_day, found.lang)
    if mine != (wanted.period, wanted.cutoff_day, wanted.lang):
        cutoff = f" --cutoff-day {found.cutoff_day}" if found.cutoff_day else ""
        raise UsageError(
            f"{root / MANIFEST}: the archive holds reports made with --period {found.period}"
            f"{cutoff} --lang {found.lang}; run with those options, or write the site to "
            "another folder")


def report_files(report: Report, lang: str, docx: Any = None) -> Iterator[tuple[str, bytes]]:
    """The files of one period's report: HTML, Markdown and, given the Word document's
    particulars, Word."""
    from plantrack.views import formats

    view = formats.ReportView(report, lang, None, docx)
    yield "report.html", formats.render("report", "html", view).encode("utf-8")
    yield "report.md", formats.render("report", "markdown", view).encode("utf-8")
    if docx is not None:
        yield "report.docx", formats.render_file("report", "docx", view)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
