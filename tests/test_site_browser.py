"""The report site in a real browser (Debian's chromium, network off): every page opens
without error, every internal link resolves, axe-core finds nothing serious, a Vietnamese
site shows no English label, and the filter script finds "Sở KH&CN" from "so khcn"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import Crawl, axe, crawl, open_browser, page_text
from tests.sitefixture import make_repo
from tests.vi_words import english_in


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with open_browser() as opened:
        yield opened


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("browser") / "repo")
    out = tmp_path_factory.mktemp("site") / "site"
    exe = Path(sys.executable).with_name("plantrack")
    done = subprocess.run([str(exe), "site", "-o", str(out), "--period", "month",
                           "--cutoff-day", "14", "--lang", "vi", "--as-of", "2025-10-20",
                           "plans"], cwd=repo.root, capture_output=True, text=True,
                          check=False, env={**os.environ})
    assert done.returncode == 0, done.stderr
    return out


def test_every_page_opens_cleanly_and_every_link_resolves(browser: Any, site: Path) -> None:
    found: Crawl = crawl(browser, site)
    assert len(found.pages) > 20
    assert found.problems() == []


def test_the_harness_catches_what_it_looks_for(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>t</title><a href="gone.html">x</a>'
        '<a href="#nowhere">y</a><img src="https://example.com/x.png">'
        "<script>console.error('bad'); throw new Error('boom')</script>", encoding="utf-8")
    found = crawl(browser, tmp_path)
    assert any("gone.html" in x for x in found.broken_links)
    assert any("#nowhere" in x for x in found.broken_links)
    assert any("example.com" in x for x in found.failed_requests)
    assert found.external_links and found.console_errors and found.page_errors
    assert any(v.startswith("image-alt") for v in axe(browser, tmp_path / "index.html"))


@pytest.mark.parametrize("page", ["index.html", "plans/hn-2025.html",
                                  "owners/so-khoa-hoc-va-cong-nghe.html",
                                  "tasks/hn-2025/hn-1.html"])
def test_no_serious_accessibility_violation(browser: Any, site: Path, page: str) -> None:
    assert axe(browser, site / page) == []


def test_a_vietnamese_site_shows_no_english_label(browser: Any, site: Path) -> None:
    log = json.loads((site / "data" / "task-history.json").read_text(encoding="utf-8"))
    shas = {e[0][:10] for found in log["events"].values() for e in found}
    idents = ["hn-2025", "hd-2025", "HN", "HD", "plantrack", *shas]
    for page in ["index.html", "plans/hn-2025.html", "owners/so-khoa-hoc-va-cong-nghe.html",
                 "tasks/hn-2025/hn-1.html", "tasks/hn-2025/hn-3.html"]:
        text = page_text(browser, site / page)
        assert english_in(text, idents) == [], page


def test_the_search_ignores_diacritics_and_punctuation(browser: Any, site: Path) -> None:
    page = browser.new_page()
    page.goto((site / "plans" / "hn-2025.html").as_uri())
    rows = page.locator("#tasks tbody tr")
    total = rows.count()
    page.fill('input[data-filter="tasks"]', "so khcn")  # the unit's alias is "Sở KH&CN"
    shown = page.locator("#tasks tbody tr:not([hidden])")
    assert 0 < shown.count() < total
    assert page.locator('output[data-count="tasks"]').inner_text() == str(shown.count())
    page.fill('input[data-filter="tasks"]', "du lieu dat dai")
    assert page.locator("#tasks tbody tr:not([hidden])").count() == 1
    page.fill('input[data-filter="tasks"]', "")
    assert page.locator("#tasks tbody tr:not([hidden])").count() == total
    assert page.evaluate("() => window.plantrackFold('Sở KH&CN')") == "so khcn"
    page.close()
    hidden = browser.new_context(java_script_enabled=False).new_page()
    hidden.goto((site / "plans" / "hn-2025.html").as_uri())
    assert hidden.locator(".filters").is_hidden()
    assert hidden.locator("#tasks tbody tr").count() == total
