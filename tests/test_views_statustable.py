"""The status tables in the plain layout."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest

from plantrack.checks.loader import load
from plantrack.domain.model import Plan
from plantrack.domain.query import derive_all
from plantrack.domain.summary import Summary, summarize
from plantrack.views import columns as col
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
    for word in ("All", "time", "track", "due", "ing", "TBD"):
        end = second.index(word) + len(word)
        assert hai_duong[end - 1] != " " and (end == len(hai_duong) or hai_duong[end] == " ")
    assert first.split() == ["On", "On", "Over-", "Ongo-", "On-"]
    assert re.fullmatch(r"hai-duong-2025 +24 +· +· +1 +· +12 +4 +7 +· +0%", hai_duong)


def test_labels_fit_the_width_and_colour_only_when_asked() -> None:
    narrow = shipped_status(80, False)
    wide = shipped_status(140, False)
    assert "dic Department of I…" in narrow
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


def plan_summary(text: str, day: dt.date, tmp_path: Path) -> tuple[Summary, dict[str, Plan]]:
    path = tmp_path / "vn-2025.yaml"
    path.write_text(text, encoding="utf-8")
    plans = load([path], use_cache=False).plans
    assert plans, "the plan is valid"
    by_id = {sp.plan.id: sp.plan for sp in plans}
    return summarize(derive_all(plans, lambda _: day), by_id), by_id


VIETNAMESE = """\
plantrack: 1
id: vn-2025
title: Kế hoạch thử nghiệm
owners:
  sở-tt: Sở Thông tin và Truyền thông tỉnh Hải Dương
tasks:
  - id: T-01
    title: Số hoá 100% hồ sơ thủ tục hành chính và kết nối cơ sở dữ liệu quốc gia về dân cư
    owner: sở-tt
    due: 2025-03
"""


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_vietnamese_in_either_normal_form_fills_the_same_cells(form: str, tmp_path: Path
                                                              ) -> None:
    """Text written with combining marks (NFD) takes as many terminal cells as the composed
    form: labels are cut and titles wrapped by cells, not by code points."""
    text = unicodedata.normalize(form, VIETNAMESE)
    summary, _ = plan_summary(text, DAY, tmp_path)
    lines = status_text(summary, DAY, False, 80, False).splitlines()
    shown = [unicodedata.normalize("NFC", line) for line in lines]
    owner = next(line for line in shown if line.startswith("sở-tt"))
    assert owner.startswith("sở-tt Sở Thông t…      1 ")  # 17 cells of label, then counts
    table = shown[shown.index("Most overdue") + 1:]
    start = table[0].index("Title")
    title_lines = [line[start:] for line in table[2:]]
    title = "Số hoá 100% hồ sơ thủ tục hành chính và kết nối cơ sở dữ liệu quốc gia về dân cư"
    # As textwrap wraps the composed form, whose code points are its cells.
    assert title_lines == textwrap.wrap(title, 80 - start) and len(title_lines) > 1
    assert all(col.cell_len(line) <= 80 for line in lines)


def test_a_plan_without_tasks_has_a_row_and_no_owner_table(tmp_path: Path) -> None:
    text = "plantrack: 1\nid: vn-2025\ntitle: Trống\nowners: {}\ntasks: []\n"
    summary, _ = plan_summary(text, DAY, tmp_path)
    out = status_text(summary, DAY, False, 80, False)
    assert re.search(r"^vn-2025 +0 ", out, re.MULTILINE)
    assert "By owner" not in out and "Most overdue" not in out


def test_vietnamese_tables_write_a_day_deadline_as_dates_line_up(tmp_path: Path) -> None:
    """A day deadline and a duty's next occurrence in one column: both "dd/mm/yyyy"."""
    plan = tmp_path / "plans" / "x-2025.yaml"
    plan.parent.mkdir()
    plan.write_text(textwrap.dedent("""\
        plantrack: 1
        id: x-2025
        title: X
        issued: 2025-02-19
        owners: {so-tc: Sở Tài chính}
        tasks:
          - {id: T-1, title: Một, owner: so-tc, due: 2025-03-09}
          - {id: T-2, title: Hai, owner: so-tc, recurs: FREQ=MONTHLY, start: 2025-02-19}
        """), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "plantrack", "overdue", str(plan), "--lang",
                           "vi", "--as-of", "2025-10-01"], capture_output=True, text=True,
                          env={**os.environ, "PLANTRACK_NO_CACHE": "1"})
    rows = {line.split()[0]: line for line in done.stdout.splitlines() if line.startswith("T-")}
    assert " 09/03/2025 " in rows["T-1"] and " 19/09/2025 " in rows["T-2"], done.stdout
