"""Reporting periods of `plantrack report`: ISO weeks, calendar months, quarters, halves and
years, and the statutory ones closing on a cut-off day (Decree 09/2019: the 14th)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.cli import app
from plantrack.report.data import (
    Period,
    judged_day,
    period_bounds,
    period_named,
    reported_period,
)
from plantrack.report.render import Formats

D = dt.date


def _span(p: Period) -> tuple[int, int, dt.date, dt.date]:
    return p.year, p.index, p.start, p.end


# --- the period a day falls in ---------------------------------------------------------------

@pytest.mark.parametrize(("day", "kind", "expected"), [
    (D(2025, 6, 2), "week", (2025, 23, D(2025, 6, 2), D(2025, 6, 8))),  # a Monday
    (D(2025, 6, 8), "week", (2025, 23, D(2025, 6, 2), D(2025, 6, 8))),  # its Sunday
    (D(2024, 12, 30), "week", (2025, 1, D(2024, 12, 30), D(2025, 1, 5))),  # ISO year 2025
    (D(2021, 1, 3), "week", (2020, 53, D(2020, 12, 28), D(2021, 1, 3))),
    (D(2025, 6, 20), "month", (2025, 6, D(2025, 6, 1), D(2025, 6, 30))),
    (D(2024, 2, 29), "month", (2024, 2, D(2024, 2, 1), D(2024, 2, 29))),
    (D(2025, 2, 1), "month", (2025, 2, D(2025, 2, 1), D(2025, 2, 28))),
    (D(2025, 12, 31), "month", (2025, 12, D(2025, 12, 1), D(2025, 12, 31))),
    (D(2025, 1, 1), "month", (2025, 1, D(2025, 1, 1), D(2025, 1, 31))),
    (D(2025, 3, 31), "quarter", (2025, 1, D(2025, 1, 1), D(2025, 3, 31))),
    (D(2025, 4, 1), "quarter", (2025, 2, D(2025, 4, 1), D(2025, 6, 30))),
    (D(2025, 12, 31), "quarter", (2025, 4, D(2025, 10, 1), D(2025, 12, 31))),
    (D(2025, 6, 30), "half", (2025, 1, D(2025, 1, 1), D(2025, 6, 30))),
    (D(2025, 7, 1), "half", (2025, 2, D(2025, 7, 1), D(2025, 12, 31))),
    (D(2025, 12, 31), "year", (2025, 1, D(2025, 1, 1), D(2025, 12, 31))),
    (D(2026, 1, 1), "year", (2026, 1, D(2026, 1, 1), D(2026, 12, 31))),
])
def test_calendar_periods(day: dt.date, kind: str, expected: tuple[object, ...]) -> None:
    assert _span(period_named(day, kind)) == expected  # type: ignore[arg-type]
    # without a cut-off day the report covers the period as_of falls in, judged as of as_of
    assert reported_period(day, kind) == period_named(day, kind)  # type: ignore[arg-type]
    assert judged_day(day, reported_period(day, kind)) == day  # type: ignore[arg-type]


@pytest.mark.parametrize(("day", "kind", "cutoff", "expected"), [
    # month M runs from C+1 of M-1 to C of M: on, before and after the cut-off day
    (D(2025, 6, 14), "month", 14, (2025, 6, D(2025, 5, 15), D(2025, 6, 14))),
    (D(2025, 6, 13), "month", 14, (2025, 6, D(2025, 5, 15), D(2025, 6, 14))),
    (D(2025, 6, 15), "month", 14, (2025, 7, D(2025, 6, 15), D(2025, 7, 14))),
    (D(2025, 6, 20), "month", 14, (2025, 7, D(2025, 6, 15), D(2025, 7, 14))),
    # the year turns on 15 December
    (D(2025, 12, 31), "month", 14, (2026, 1, D(2025, 12, 15), D(2026, 1, 14))),
    (D(2026, 1, 1), "month", 14, (2026, 1, D(2025, 12, 15), D(2026, 1, 14))),
    (D(2025, 12, 14), "month", 14, (2025, 12, D(2025, 11, 15), D(2025, 12, 14))),
    (D(2025, 3, 14), "quarter", 14, (2025, 1, D(2024, 12, 15), D(2025, 3, 14))),
    (D(2025, 3, 15), "quarter", 14, (2025, 2, D(2025, 3, 15), D(2025, 6, 14))),
    (D(2025, 12, 31), "quarter", 14, (2026, 1, D(2025, 12, 15), D(2026, 3, 14))),
    (D(2025, 6, 14), "half", 14, (2025, 1, D(2024, 12, 15), D(2025, 6, 14))),
    (D(2025, 6, 15), "half", 14, (2025, 2, D(2025, 6, 15), D(2025, 12, 14))),
    (D(2025, 12, 14), "year", 14, (2025, 1, D(2024, 12, 15), D(2025, 12, 14))),
    (D(2025, 12, 15), "year", 14, (2026, 1, D(2025, 12, 15), D(2026, 12, 14))),
    (D(2026, 1, 1), "year", 14, (2026, 1, D(2025, 12, 15), D(2026, 12, 14))),
    # C=28 in February, leap year or not; C=1
    (D(2024, 2, 29), "month", 28, (2024, 3, D(2024, 2, 29), D(2024, 3, 28))),
    (D(2024, 2, 28), "month", 28, (2024, 2, D(2024, 1, 29), D(2024, 2, 28))),
    (D(2025, 3, 1), "month", 28, (2025, 3, D(2025, 3, 1), D(2025, 3, 28))),
    (D(2025, 3, 1), "month", 1, (2025, 3, D(2025, 2, 2), D(2025, 3, 1))),
    (D(2025, 3, 2), "month", 1, (2025, 4, D(2025, 3, 2), D(2025, 4, 1))),
])
def test_periods_closing_on_a_cutoff_day(day: dt.date, kind: str, cutoff: int,
                                         expected: tuple[object, ...]) -> None:
    period = period_named(day, kind, cutoff)  # type: ignore[arg-type]
    assert _span(period) == expected
    assert period.start <= day <= period.end
    assert period.following().start == period.end + dt.timedelta(days=1)
    assert period.preceding().end == period.start - dt.timedelta(days=1)


@pytest.mark.parametrize(("as_of", "kind", "expected"), [
    # the latest period closed on or before as_of: the one a Decree 09 report is filed for
    (D(2025, 6, 20), "month", (2025, 6, D(2025, 5, 15), D(2025, 6, 14))),
    (D(2025, 6, 14), "month", (2025, 6, D(2025, 5, 15), D(2025, 6, 14))),
    (D(2025, 6, 13), "month", (2025, 5, D(2025, 4, 15), D(2025, 5, 14))),
    (D(2025, 6, 15), "month", (2025, 6, D(2025, 5, 15), D(2025, 6, 14))),
    (D(2026, 1, 1), "month", (2025, 12, D(2025, 11, 15), D(2025, 12, 14))),
    (D(2025, 3, 14), "quarter", (2025, 1, D(2024, 12, 15), D(2025, 3, 14))),
    (D(2025, 3, 15), "quarter", (2025, 1, D(2024, 12, 15), D(2025, 3, 14))),
    (D(2025, 6, 20), "quarter", (2025, 2, D(2025, 3, 15), D(2025, 6, 14))),
    (D(2025, 12, 31), "half", (2025, 2, D(2025, 6, 15), D(2025, 12, 14))),
    (D(2025, 12, 31), "year", (2025, 1, D(2024, 12, 15), D(2025, 12, 14))),
    (D(2025, 12, 13), "year", (2024, 1, D(2023, 12, 15), D(2024, 12, 14))),
])
def test_reported_period_with_a_cutoff_day(as_of: dt.date, kind: str,
                                           expected: tuple[object, ...]) -> None:
    period = reported_period(as_of, kind, 14)  # type: ignore[arg-type]
    assert _span(period) == expected
    assert judged_day(as_of, period) == period.end == min(as_of, period.end)
    assert period_bounds(as_of, kind, 14) == (period.start, period.end)  # type: ignore[arg-type]


def test_a_week_takes_no_cutoff_day_and_the_day_is_1_to_28() -> None:
    with pytest.raises(ValueError):
        period_named(D(2025, 6, 2), "week", 14)
    with pytest.raises(ValueError):
        period_named(D(2025, 6, 2), "month", 29)


# --- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "kind", "cutoff", "en", "vi"), [
    (D(2025, 6, 14), "month", 14, "June 2025 (15 May – 14 June 2025)",
     "Tháng 6/2025 (từ 15/5/2025 đến 14/6/2025)"),
    (D(2025, 6, 14), "quarter", 14, "Q2 2025 (15 March – 14 June 2025)",
     "Quý II/2025 (từ 15/3/2025 đến 14/6/2025)"),
    (D(2025, 6, 30), "half", None, "H1 2025 (1 January – 30 June 2025)",
     "6 tháng đầu năm 2025 (từ 1/1/2025 đến 30/6/2025)"),
    (D(2025, 12, 14), "half", 14, "H2 2025 (15 June – 14 December 2025)",
     "6 tháng cuối năm 2025 (từ 15/6/2025 đến 14/12/2025)"),
    (D(2025, 12, 14), "year", 14, "2025 (15 December 2024 – 14 December 2025)",
     "Năm 2025 (từ 15/12/2024 đến 14/12/2025)"),
    (D(2025, 6, 2), "week", None, "Week 23/2025 (2 June – 8 June 2025)",
     "Tuần 23/2025 (từ 2/6 đến 8/6/2025)"),
    (D(2024, 12, 31), "week", None, "Week 1/2025 (30 December 2024 – 5 January 2025)",
     "Tuần 1/2025 (từ 30/12/2024 đến 5/1/2025)"),
])
def test_period_names(day: dt.date, kind: str, cutoff: int | None, en: str, vi: str) -> None:
    period = period_named(day, kind, cutoff)  # type: ignore[arg-type]
    assert Formats("en").period(period) == en
    assert Formats("vi").period(period) == vi


# --- the command ---------------------------------------------------------------------------

PLAN = """\
plantrack: 1
id: p-2025
title: Period plan
issued: 2025-01-01
owners:
  dost: Department of Science and Technology
tasks:
  - id: T-01
    title: Due between the period's end and as-of
    owner: dost
    due: 2025-06-17
  - id: T-02
    title: Due at the end of next month
    owner: dost
    due: 2025-07-31
  - id: T-03
    title: Due at the end of next quarter
    owner: dost
    due: 2025-09-14
"""


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "repo" / "plans"
    folder.mkdir(parents=True)
    (folder / "p-2025.yaml").write_text(PLAN, encoding="utf-8")
    return folder


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["report", *args], env={"PLANTRACK_NO_CACHE": "1"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("lang", "heading", "coming"), [
    ("en", "Reporting period: Q2 2025 (15 March – 14 June 2025); figures as of 14 June 2025.",
     "## 5. Falling due by the end of the next period: Q3 2025 (15 June – 14 September 2025)"),
    ("vi", "Kỳ báo cáo: Quý II/2025 (từ 15/3/2025 đến 14/6/2025); số liệu tính đến ngày "
     "14/6/2025.",
     "## 5. Nhiệm vụ đến hạn đến hết kỳ tới: Quý III/2025 (từ 15/6/2025 đến 14/9/2025)"),
])
def test_quarter_with_a_cutoff_day(plans: Path, lang: str, heading: str, coming: str) -> None:
    code, out, err = _run(str(plans), "--period", "quarter", "--cutoff-day", "14",
                          "--as-of", "2025-06-20", "--lang", lang)
    assert code == 0, err
    assert heading in out.splitlines()
    assert coming in out.splitlines()
    assert "p-2025/T-03" in out.split("## 5.")[1].split("## 6.")[0]


def test_month_from_the_issue(plans: Path) -> None:
    code, out, err = _run(str(plans), "--period", "month", "--cutoff-day", "14",
                          "--as-of", "2025-06-20", "--lang", "vi", "--format", "html")
    assert code == 0, err
    assert "Tháng 6/2025 (từ 15/5/2025 đến 14/6/2025)" in out
    assert "<h1>Báo cáo tình hình thực hiện nhiệm vụ: Tháng 6/2025</h1>" in out


def test_judged_as_of_the_period_end(plans: Path) -> None:
    """T-01 falls due on 17/6, after month 6 closed (14/6) and before as-of (20/6): the
    report judges as of 14/6, so it is not overdue but coming up in month 7."""
    code, out, err = _run(str(plans), "--period", "month", "--cutoff-day", "14",
                          "--as-of", "2025-06-20")
    assert code == 0, err
    overdue = out.split("## 4.")[1].split("## 5.")[0]
    coming = out.split("## 5.")[1].split("## 6.")[0]
    assert "T-01" not in overdue and "No task is overdue." in overdue
    assert "p-2025/T-01" in coming and "T-02" not in coming  # month 7 ends on 14/7
    # without the cut-off day the calendar month June is judged as of 20/6: T-01 is overdue
    code, out, err = _run(str(plans), "--period", "month", "--as-of", "2025-06-20")
    assert code == 0, err
    assert "p-2025/T-01" in out.split("## 4.")[1].split("## 5.")[0]


def test_coming_up_covers_the_whole_next_month(plans: Path) -> None:
    code, out, err = _run(str(plans), "--period", "month", "--as-of", "2025-06-10")
    assert code == 0, err
    assert "Reporting period: June 2025 (1 June – 30 June 2025); figures as of 10 June 2025." in out
    coming = out.split("## 5.")[1].split("## 6.")[0]
    assert "July 2025 (1 July – 31 July 2025)" in coming
    assert "p-2025/T-01" in coming and "p-2025/T-02" in coming and "T-03" not in coming


def test_week_heading(plans: Path) -> None:
    code, out, err = _run(str(plans), "--as-of", "2025-06-04", "--lang", "vi")
    assert code == 0, err
    assert "Kỳ báo cáo: Tuần 23/2025 (từ 2/6 đến 8/6/2025); số liệu tính đến ngày 4/6/2025." \
        in out


@pytest.mark.parametrize("args", [
    ["--period", "week", "--cutoff-day", "14"],
    ["--cutoff-day", "14"],  # the period is a week by default
    ["--period", "month", "--cutoff-day", "0"],
    ["--period", "month", "--cutoff-day", "29"],
    ["--period", "year", "--cutoff-day", "-3"],
])
def test_cutoff_day_usage_errors(plans: Path, args: list[str]) -> None:
    code, out, err = _run(str(plans), "--as-of", "2025-06-20", *args)
    assert code == 2
    assert "--cutoff-day" in err and "Traceback" not in err
    assert out == ""


def test_cutoff_day_from_the_configuration(plans: Path) -> None:
    (plans.parent / ".plantrack.yaml").write_text("cutoff_day: 14\n", encoding="utf-8")
    code, out, err = _run(str(plans), "--period", "month", "--as-of", "2025-06-20")
    assert code == 0, err
    assert "Reporting period: June 2025 (15 May – 14 June 2025); figures as of 14 June 2025." in out
    # the option overrides it, and a week ignores it
    code, out, err = _run(str(plans), "--period", "month", "--cutoff-day", "28",
                          "--as-of", "2025-06-20")
    assert code == 0, err
    assert "Reporting period: May 2025 (29 April – 28 May 2025); figures as of 28 May 2025." in out
    code, out, err = _run(str(plans), "--period", "week", "--as-of", "2025-06-20")
    assert code == 0, err
    assert "Reporting period: Week 25/2025 (16 June – 22 June 2025)" in out
