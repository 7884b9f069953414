"""`plantrack report`: the report model, Markdown/HTML rendering, languages, escaping, the CLI.

Golden files live in tests/golden/report/. After a deliberate change to the output, regenerate
them with:  PLANTRACK_UPDATE_GOLDEN=1 python -m pytest -q -p no:cacheprovider tests/test_report.py
and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantrack.checks.loader import load
from plantrack.cli import app
from plantrack.domain.query import derive_all
from plantrack.report.changes import changes_since
from plantrack.report.data import build_report, period_bounds
from plantrack.report.render import md_escape, render_report, translations

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "report"
GOLDEN = HERE / "golden" / "report"
AS_OF = dt.date(2025, 6, 30)
XSS = "<script>alert(1)</script>"
CONNECTED = "hospitals `*connected*` [list](http://example.org) & clinics"


@pytest.fixture
def plans_dir(tmp_path: Path) -> Path:
    """The fixture plans copied outside any git repository, so section 7 is deterministic."""
    target = tmp_path / "plans"
    shutil.copytree(FIXTURES, target)
    return target


def _report(folder: Path, period: str = "month", day: dt.date = AS_OF):  # type: ignore[no-untyped-def]
    loaded = load(sorted(folder.glob("*.yaml")), use_cache=False)
    assert not [p for p in loaded.problems if p.is_error], loaded.problems
    items = derive_all(loaded.plans, lambda _p: day)
    report = build_report(loaded.plans, items, day, period)  # type: ignore[arg-type]
    report.changes = changes_since(loaded.plans, items, report.period_start, report.as_of)
    return report


def test_headline_counts_the_four_categories(plans_dir: Path) -> None:
    h = _report(plans_dir).headline
    assert (h.done_on_time, h.done_late, h.in_progress, h.overdue, h.ongoing, h.cancelled) == (
        1, 1, 2, 3, 1, 1)
    assert h.total == 9
    assert h.on_time_share == pytest.approx(1 / 5)  # on time / (done 2 + overdue 3)


def test_owners_worst_first_and_overdue_most_days_first(plans_dir: Path) -> None:
    report = _report(plans_dir)
    assert [o.key for o in report.owners] == ["health", "finance", "dost", "tax"]
    assert [t.task_id for t in report.overdue] == ["R-06", "R-05", "R-09"]
    assert [t.days_overdue for t in report.overdue] == [30, 20, 5]
    assert report.overdue[1].last_update == dt.date(2025, 5, 25)


def test_coming_period_is_a_week_or_a_month(plans_dir: Path) -> None:
    assert [t.task_id for t in _report(plans_dir, "month").coming] == ["R-04"]
    assert [t.task_id for t in _report(plans_dir, "week", dt.date(2025, 6, 20)).coming] == []
    assert [t.task_id for t in _report(plans_dir, "week", dt.date(2025, 6, 28)).coming] == ["R-04"]
    assert period_bounds(dt.date(2025, 3, 31), "month") == (dt.date(2025, 3, 1),
                                                            dt.date(2025, 3, 31))


def test_targets_and_a_measurement_after_the_date_is_unknown(plans_dir: Path) -> None:
    report = _report(plans_dir)
    assert [(t.metric, t.actual) for t in report.targets] == [
        ("land parcels digitized", "40.5%"), (CONNECTED, None),
        ("records measured after the report date", None)]
    assert len(report.unmeasured) == 2
    later = _report(plans_dir, day=dt.date(2025, 7, 20))
    assert later.targets[2].actual == "4000"


def test_reporting_compliance_and_duty_misses(plans_dir: Path) -> None:
    report = _report(plans_dir)
    (rep,) = report.reporting
    assert rep.due_day == dt.date(2025, 6, 25)
    filed = {o.key: (o.filed, o.missed) for o in rep.owners}
    # tax has only done tasks: the reporting rule no longer binds it.
    assert filed == {"finance": (False, 2), "health": (False, 2), "dost": (True, 2)}
    (duty,) = report.duties
    assert duty.ref == "fixture-2025/R-09"
    assert duty.missed == [dt.date(2025, 5, 25), dt.date(2025, 6, 25)]


def test_newly_overdue_outside_git(plans_dir: Path) -> None:
    changes = _report(plans_dir).changes
    assert changes.in_git is False
    # R-09 was already late on 31/5, the eve of the calendar month; R-06 (due 31/5) fell
    # overdue on 1/6, its first day, and R-05 (due 10/6) within it.
    assert [t.task_id for t in changes.newly_overdue] == ["R-06", "R-05"]


def test_newly_overdue_on_the_first_day_of_the_period() -> None:
    from plantrack.domain.deadlines import parse_deadline
    from plantrack.domain.model import Plan, Task
    from plantrack.domain.state import derive
    from plantrack.report.changes import newly_overdue

    tasks = [Task(id=f"T-{n}", title="t", owner="o", due=parse_deadline(day))
             for n, day in enumerate(["2025-05-30", "2025-05-31", "2025-06-01"])]
    plan = Plan(plantrack=1, id="p", title="p", owners={}, tasks=tasks)
    items = [derive(plan, task, dt.date(2025, 6, 30)) for task in tasks]
    # The period begins on 1/6: T-1 (due 31/5) falls overdue on 1/6, T-0 on 31/5, before.
    assert [r.task_id for r in newly_overdue(items, {"p": plan}, dt.date(2025, 6, 1))] == [
        "T-1", "T-2"]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_golden(plans_dir: Path, fmt: str, lang: str) -> None:
    text = render_report(_report(plans_dir), fmt, lang)  # type: ignore[arg-type]
    golden = GOLDEN / f"fixture.{lang}.{fmt}"
    if os.environ.get("PLANTRACK_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_html_escapes_plan_text(plans_dir: Path) -> None:
    html = render_report(_report(plans_dir), "html")
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "[list](http://example.org) &amp; clinics" in html  # link syntax stays text


def test_html_is_self_contained(plans_dir: Path) -> None:
    html = render_report(_report(plans_dir), "html")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"@import|url\(|<link|<script|<iframe|<img", html, re.I)
    assert "@media print" in html and "size: A4" in html
    assert html.count("<caption>") >= 5 and 'scope="col"' in html and 'scope="row"' in html
    assert html.count("<svg") >= 2


def _md_tables(text: str) -> list[tuple[str, list[str]]]:
    """Each GFM table of `text`: its header line and its rows."""
    lines, tables = text.splitlines(), []
    for n, line in enumerate(lines[:-1]):
        if line.startswith("|") and lines[n + 1].startswith("|---"):
            rows = []
            for row in lines[n + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(row)
            tables.append((line, rows))
    return tables


def _cells(row: str) -> int:
    """Cells of a GFM table row: pipes not escaped (an escaped backslash does not escape)."""
    unescaped = re.sub(r"\\.", "", row)
    return unescaped.count("|") - 1


def test_markdown_escapes_pipes_html_and_markup(plans_dir: Path) -> None:
    text = render_report(_report(plans_dir), "md")
    tables = _md_tables(text)
    assert any("(fixture-2025/R-04)" in row for _, rows in tables for row in rows)
    for header, rows in tables:
        assert all(_cells(row) == _cells(header) for row in rows), header
    assert XSS not in text and "&lt;script&gt;" in text
    assert "Budget &#124; fees &#92;&#124; charges" in text  # the written `\|` keeps its backslash
    assert ("&#96;&#42;connected&#42;&#96; &#91;list&#93;(http://example.org) &amp; clinics"
            in text)


def test_md_escape_cases() -> None:
    assert md_escape("a|b") == "a&#124;b"
    assert md_escape("a\\|b") == "a&#92;&#124;b"
    assert md_escape("x\n| y") == "x &#124; y"
    assert md_escape("<b>&") == "&lt;b&gt;&amp;"
    assert md_escape("@all #12 *x* _y_ ~z~ ![i](u)") == (
        "&#64;\u200ball &#35;\u200b12 &#42;x&#42; &#95;y&#95; &#126;z&#126; "
        "&#33;&#91;i&#93;(u)")
    assert md_escape("\x1b]8;;http://evil\x07link") == "\ufffd&#93;8;;http://evil\ufffdlink"


def test_vietnamese_dates_numbers_and_labels(plans_dir: Path) -> None:
    text = render_report(_report(plans_dir), "md", "vi")
    assert "# Báo cáo tình hình thực hiện nhiệm vụ: Tháng 6/2025" in text
    assert "số liệu tính đến ngày 30/6/2025" in text
    assert "**20,0%**" in text and "| 1.200 |" in text and "40,5%" in text
    assert "quá hạn" in text and "Overdue" not in text


def test_catalog_has_every_template_message() -> None:
    from babel.messages.extract import extract_from_dir

    options = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true",
               "trim_blocks": "true", "lstrip_blocks": "true"}
    found = {msg for _f, _l, msg, _c, _x in extract_from_dir(
        str(HERE.parent / "templates"), method_map=[("**.j2", "jinja2")],
        options_map={"**.j2": options})}
    catalog = translations("vi")
    untranslated = sorted(m for m in found if catalog.gettext(m) == m)
    assert found and untranslated == []


def test_user_template_runs_in_a_sandbox(plans_dir: Path, tmp_path: Path) -> None:
    own = tmp_path / "mine.md.j2"
    own.write_text("{{ r.headline.overdue }} overdue; {{ r.as_of|date }}\n", encoding="utf-8")
    assert render_report(_report(plans_dir), "md", "vi", own) == "3 overdue; 30/06/2025\n"
    evil = tmp_path / "evil.md.j2"
    evil.write_text("{{ r.__class__.__init__.__globals__ }}", encoding="utf-8")
    from plantrack.problems import UsageError

    with pytest.raises(UsageError, match="template error"):
        render_report(_report(plans_dir), "md", "en", evil)


def test_user_template_misspelt_field_fails(plans_dir: Path, tmp_path: Path) -> None:
    own = tmp_path / "typo.html.j2"
    own.write_text("{{ r.headlin }}", encoding="utf-8")
    from plantrack.problems import UsageError

    with pytest.raises(UsageError, match="headlin"):
        render_report(_report(plans_dir), "html", "en", own)


def test_cli_writes_a_file(plans_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(plans_dir), "--format", "html", "--period",
                                      "month", "--as-of", "30/6/2025", "-o", str(out),
                                      "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (GOLDEN / "fixture.vi.html").read_text("utf-8")


def test_cli_bad_template_is_one_line(plans_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(plans_dir), "--as-of", "2025-06-30",
                                      "--template", str(tmp_path / "none.j2")])
    assert result.exit_code == 2
    assert "plantrack: error:" in result.output and "Traceback" not in result.output


def test_cli_subprocess_of_the_installed_entry_point(plans_dir: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("plantrack")
    env = {**os.environ, "PLANTRACK_NO_CACHE": "1"}
    done = subprocess.run([str(exe), "report", str(plans_dir), "--as-of", "2025-06-30",
                           "--period", "month"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (GOLDEN / "fixture.en.md").read_text(encoding="utf-8")
