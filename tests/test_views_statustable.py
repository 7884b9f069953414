"""The status tables in the plain layout."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

from plantrack.loader import load
from plantrack.query import derive_all
from plantrack.summary import summarize
from plantrack.views.statustable import status_text
from tests.conftest import REPO, SHIPPED_PLANS

DAY = dt.date(2025, 6, 30)


def shipped_status(width: int, colour: bool) -> str:
    plans = load(list(SHIPPED_PLANS), use_cache=False).plans
    items = derive_all(plans, lambda _: DAY)
    return status_text(summarize(items, {sp.plan.id: sp.plan for sp in plans}), DAY, False,
                       width, colour)


def test_columns_line_up_under_stacked_headers() -> None:
    lines = shipped_status(80, False).splitlines()
    assert lines[0] == "Status as of 2025-06-30"
    first, second, rule, hai_duong = lines[1:5]
    assert max(len(line) for line in lines) <= 80 and len(rule) == 80
    # Each count ends in the column of its header's last letter.
    for word in ("All", "time", "track", "due", "ing"):
        end = second.index(word) + len(word)
        assert hai_duong[end - 1] != " " and (end == len(hai_duong) or hai_duong[end] == " ")
    assert first.split() == ["On", "On", "Over-", "Ongo-", "On-"]
    assert re.fullmatch(r"hai-duong-2025 +24 +· +· +1 +· +12 +11 +· +0%", hai_duong)


def test_labels_fit_the_width_and_colour_only_when_asked() -> None:
    narrow = shipped_status(80, False)
    wide = shipped_status(140, False)
    assert "dic Department o…" in narrow
    assert "dic Department of Information and Communications" in wide
    coloured = shipped_status(80, True)
    assert "\x1b[1;31m" in coloured and "\x1b[" not in narrow
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured).splitlines() == narrow.splitlines()


def test_readme_shows_the_current_output() -> None:
    """Every line of the README's status sample is a line of the real output, in order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sample = readme.split("`plantrack status --as-of 2025-06-30`", 1)[1].split("```")[1]
    done = subprocess.run([sys.executable, "-m", "plantrack", "status", "--as-of", "2025-06-30"],
                          cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"})
    lines = done.stdout.splitlines()
    position = 0
    for line in sample.strip("\n").splitlines():
        if line == "...":
            continue
        position = lines.index(line, position) + 1
