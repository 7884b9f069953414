"""Office files as the same bytes for the same input: their zip archive rewritten with every
member dated one day, so that archives, CI and tests can compare files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def dated(raw: bytes, day: dt.date) -> bytes:
    """The zip archive `raw` with every member dated `day` at midnight (zip dates start in
    1980) and the same permissions, in the same order."""
    out = io.BytesIO()
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
