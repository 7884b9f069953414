"""The HTML report on paper, in a real Chromium: A4 landscape, ids and dates on one line,
tables within the page, headings kept with what follows them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLANS
from tests.test_cli import run
from tests.test_report_html import CHROMIUM, _chromium

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium")

# 297 mm less the 14 mm margins either side, at 96 px to the inch: the width printed on.
A4_LANDSCAPE_TEXT_PX = round((297 - 28) / 25.4 * 96)
# Measures what the report laid out at that width, from a page around it (the report itself
# holds no script); the result lands in an attribute of the page, read from --dump-dom.
PROBE = """<!DOCTYPE html><html><body>
<iframe id="f" src="report.html" style="width:%dpx;height:900px;border:0"></iframe>
<script>
document.getElementById("f").addEventListener("load", () => {
  const doc = document.getElementById("f").contentDocument;
  const wrapped = [];
  for (const el of doc.querySelectorAll(".id, .d")) {
    const range = doc.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (tops.size > 1) wrapped.push(el.textContent);
  }
  const width = doc.documentElement.clientWidth;
  const wide = [...doc.querySelectorAll("table")]
    .filter(t => t.getBoundingClientRect().right > width + 1).map(t => t.id || t.rows.length);
  document.body.setAttribute("data-result", JSON.stringify(
    {checked: doc.querySelectorAll(".id, .d").length, wrapped, wide}));
});
</script></body></html>
"""


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("print")
    plans = folder / "plans"
    plans.mkdir()
    for plan in SHIPPED_PLANS:
        shutil.copy(plan, plans)
    out = folder / "report.html"
    code, _, err = run("report", str(plans), "--format", "html", "--lang", "vi", "--period",
                       "month", "--cutoff-day", "14", "--as-of", "2025-06-20", "-o", str(out))
    assert code == 0, err
    return out


def test_ids_and_dates_never_wrap_and_tables_fit_the_page(report_page: Path) -> None:
    probe = report_page.parent / "probe.html"
    probe.write_text(PROBE % A4_LANDSCAPE_TEXT_PX, encoding="utf-8")
    done = _chromium(["--allow-file-access-from-files", "--virtual-time-budget=5000",
                      "--dump-dom", probe.as_uri()])
    found = re.search(r'data-result="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    result = json.loads(found[1].replace("&quot;", '"'))
    assert result["checked"] > 50  # the ids of the overdue, coming and other tables
    assert result["wrapped"] == [] and result["wide"] == []


def test_prints_on_a4_landscape(report_page: Path) -> None:
    pdf = report_page.parent / "report.pdf"
    done = _chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", report_page.as_uri()])
    assert pdf.exists(), done.stderr[-2000:]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # landscape, every page
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(842, 595)}  # A4


def test_print_rules_keep_headings_with_what_follows() -> None:
    css = (Path(__file__).resolve().parents[1] / "templates" / "_report.css").read_text("utf-8")
    media = css.split("@media print", 1)[1]
    assert re.search(r"h2, h3, caption \{ break-after: avoid", media)
    assert "thead { display: table-header-group; }" in media  # headers repeat on each page
    assert re.search(r"\.id, \.d \{ white-space: nowrap; \}", css)
