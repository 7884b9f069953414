"""The HTML report in a real headless Chromium: it renders, shows the headline, needs no network."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

from plantrack.checks.loader import load
from plantrack.domain.query import derive_all
from plantrack.report.changes import changes_since
from plantrack.report.data import build_report
from plantrack.report.render import render_report

CHROMIUM = Path("/usr/bin/chromium")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "report"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")

# No network: every request goes to a closed local port, besides the usual quiet flags.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--host-resolver-rules=MAP * ~NOTFOUND"]


def _no_network_prefix() -> list[str]:
    """Run the browser in a network namespace of its own, with no interface up, where the
    system allows it (root, or user namespaces): the network is then off, not just unused."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    probe = subprocess.run([unshare, "--net", "true"], capture_output=True, check=False)
    return [unshare, "--net"] if probe.returncode == 0 else []


NO_NETWORK = _no_network_prefix()


def _chromium(args: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([*NO_NETWORK, str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}",
                               *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    shutil.copytree(FIXTURES, folder / "plans")
    loaded = load(sorted((folder / "plans").glob("*.yaml")), use_cache=False)
    day = dt.date(2025, 6, 30)
    items = derive_all(loaded.plans, lambda _p: day)
    report = build_report(loaded.plans, items, day, "month")
    report.changes = changes_since(loaded.plans, items, report.period_start, report.as_of)
    out = folder / "report.html"
    out.write_text(render_report(report, "html", "vi"), encoding="utf-8")
    return out


def _png_pixels(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows) of an 8-bit RGB/RGBA PNG, unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = colour = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        at = y * (stride + 1)
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def test_screenshot_shows_the_report(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    done = _chromium(["--window-size=1000,1400", f"--screenshot={shot}", page.as_uri()])
    assert shot.exists(), done.stderr
    width, height, bpp, rows = _png_pixels(shot.read_bytes())
    ink = sum(1 for row in rows for x in range(0, width * bpp, bpp)
              if min(row[x:x + 3]) < 200)
    assert ink > width * height * 0.02  # text, tables and bars, not a blank page
    coloured = sum(1 for row in rows for x in range(0, width * bpp, bpp)
                   if row[x] > 150 and row[x + 1] < 60 and row[x + 2] < 70)
    assert coloured > 50  # the red of the overdue bars and figures


def test_dom_holds_the_headline_numbers_and_escaped_text(page: Path) -> None:
    done = _chromium(["--dump-dom", page.as_uri()])
    dom = done.stdout
    assert "Báo cáo tình hình thực hiện nhiệm vụ: Tháng 6/2025" in dom
    for key, value in [("done_on_time", "1"), ("done_late", "1"), ("on_track", "2"),
                       ("overdue", "3"), ("share", "20,0%")]:
        assert f'data-headline="{key}">{value}<' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown as text, never run
