"""Opening a built site in Debian's chromium through Playwright, with the network off.

`crawl` opens every page through file:// and records console errors, uncaught exceptions,
failed or blocked requests and internal links (with their #fragments) that lead nowhere;
`axe` runs axe-core (installed from npm by .ci/run) and returns its serious and critical
violations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / ".cache" / "npm" / "node_modules" / "axe-core" \
    / "axe.min.js"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL = ("file:", "data:", "blob:", "about:")


@dataclass
class Crawl:
    pages: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    external_links: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [*self.console_errors, *self.page_errors, *self.failed_requests,
                *self.broken_links, *(f"external: {x}" for x in self.external_links)]


@contextmanager
def open_browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def _page(browser: Any, crawl: Crawl | None = None, script: bool = True) -> Any:
    context = browser.new_context(java_script_enabled=script)
    page = context.new_page()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(LOCAL):
            request_route.continue_()
            return
        if crawl is not None:
            crawl.failed_requests.append(f"blocked: {url}")
        request_route.abort()

    page.route("**/*", route)
    return page


def crawl(browser: Any, root: Path, start: str = "index.html") -> Crawl:
    found = Crawl()
    page = _page(browser, found)
    here = {"url": ""}
    page.on("console", lambda m: found.console_errors.append(f"{here['url']}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: found.page_errors.append(f"{here['url']}: {e}"))
    page.on("requestfailed", lambda r: found.failed_requests.append(
        f"{here['url']}: {r.url} ({r.failure})") if r.url.startswith("file:") else None)
    ids: dict[Path, set[str]] = {}
    links: list[tuple[str, Path, str]] = []
    pages = sorted({root / start, *root.rglob("*.html")})
    for path in pages:
        here["url"] = str(path.relative_to(root))
        page.goto(path.as_uri())
        found.pages.append(here["url"])
        ids[path.resolve()] = set(page.eval_on_selector_all("[id]", "e => e.map(x => x.id)"))
        refs = page.eval_on_selector_all(
            "a[href], link[href], img[src], script[src]",
            "e => e.map(x => x.getAttribute('href') || x.getAttribute('src'))")
        for ref in refs:
            if ref.startswith(("http:", "https:", "//")):
                found.external_links.append(f"{here['url']}: {ref}")
                continue
            parts = urlsplit(ref)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            links.append((here["url"], target, parts.fragment))
    for source, target, fragment in links:
        if not target.is_file() or root.resolve() not in target.parents:
            found.broken_links.append(f"{source}: {target} does not exist")
        elif fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
            found.broken_links.append(f"{source}: no #{fragment} in {target.name}")
    page.context.close()
    return found


def axe(browser: Any, path: Path) -> list[str]:
    """The serious and critical violations axe-core finds on the page."""
    assert AXE.is_file(), f"{AXE} is missing: run bash .ci/run, which installs axe-core"
    page = _page(browser)
    page.goto(path.as_uri())
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run().then(r => JSON.stringify(r.violations))")
    page.context.close()
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in json.loads(result) if v["impact"] in ("serious", "critical")]


def page_text(browser: Any, path: Path) -> str:
    page = _page(browser)
    page.goto(path.as_uri())
    text: str = page.evaluate("() => document.body.innerText")
    page.context.close()
    return text
