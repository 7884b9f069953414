"""Trend figures and their charts: pace arithmetic, owner grouping, escaped SVG."""

from __future__ import annotations

import datetime as dt
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from plantrack.checks.loader import check_bytes
from plantrack.domain.model import SourcedPlan
from plantrack.domain.query import derive_all
from plantrack.domain.state import Tally, tally
from plantrack.report.data import period_named
from plantrack.site import trendcharts
from plantrack.site.snapshots import PeriodSnapshot
from plantrack.site.trends import TrendPoint, expected_at, owner_key, target_paces, trend_point

PLAN = """\
plantrack: 1
id: {pid}
title: Plan
issued: 2025-01-01
owners:
  a: "{name}"
tasks:
  - id: T-1
    title: Digitize records
    owner: a
    due: 2025-12-31
    targets:
      - {{metric: Records digitized, target: 100%, actual: 60%, measured: 2025-07-01,
         baseline: {{value: 20%, date: 2025-01-01}}}}
      - {{metric: Days to process, target: 3, actual: 8, measured: 2025-07-01,
         baseline: {{value: 10, date: 2025-01-01}}}}
      - {{metric: Communes connected, target: 120, actual: 90, measured: 2025-11-01}}
  - {{id: T-2, title: Overdue task, owner: a, due: 2025-03-31}}
"""


def _plan(pid: str, name: str) -> SourcedPlan:
    text = PLAN.format(pid=pid, name=name)
    plan, problems, digest = check_bytes(text.encode(), f"{pid}.yaml")
    assert plan is not None, problems
    return SourcedPlan(f"{pid}.yaml", plan, digest)


def test_pace_on_a_straight_line_from_the_baseline_to_the_deadline() -> None:
    paces = target_paces([_plan("p", "Sở Y tế")], dt.date(2025, 7, 2))
    rising, falling, plain = paces
    # 20% on 1 January to 100% on 31 December: about 59.8% on 2 July.
    assert rising.expected is not None and abs(rising.expected - (20 + 80 * 182 / 364)) < 1e-9
    assert rising.unit == "%" and rising.actual == 60 and rising.status == "on_pace"
    # A falling target: 10 days down to 3; 8 days on 2 July is above the line (6.5): behind.
    assert falling.status == "behind"
    # No baseline: zero on the plan's issue date; measured after the day: not yet known.
    assert plain.start_value == 0 and plain.start_day == dt.date(2025, 1, 1)
    assert plain.actual is None and plain.status == "unmeasured"
    later = target_paces([_plan("p", "Sở Y tế")], dt.date(2026, 1, 5))
    assert later[0].expected == 100 and later[2].status == "behind"


@given(st.integers(0, 400), st.floats(0, 1000), st.floats(0, 1000))
def test_the_expected_value_stays_on_the_segment(offset: int, v0: float, v1: float) -> None:
    d0, d1 = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    value = expected_at((d0, v0), (d1, v1), d0 + dt.timedelta(days=offset))
    assert min(v0, v1) - 1e-6 <= value <= max(v0, v1) + 1e-6


def test_a_trend_point_is_status_and_owners_share_a_key_across_plans() -> None:
    nfd = unicodedata.normalize("NFD", "SỞ Y TẾ")
    plans = [_plan("p", "Sở Y tế"), _plan("q", nfd)]
    june = period_named(dt.date(2025, 6, 1), "month")
    point = trend_point(PeriodSnapshot(june, june.end, "x", plans), 14)
    assert point.tally.counts == tally(derive_all(plans, lambda _p: june.end)).counts
    assert point.overdue_by_owner == {owner_key("Sở Y tế"): 2}


def test_charts_are_well_formed_and_escape_names() -> None:
    months = [period_named(dt.date(2025, m, 1), "month") for m in range(1, 5)]
    hostile = '<script>alert(1)</script> & "Sở"'
    points = [TrendPoint(p, p.end, Tally(Counter({"overdue": i, "on_track": 4 - i,
                                                 "done_on_time": 1})),
                         {"k": i}, {"k": hostile}) for i, p in enumerate(months)]
    for svg in (trendcharts.states_chart(points, ("overdue", "on_track", "done_on_time"),
                                         str, lambda p: f"{p.index}/{p.year}"),
                trendcharts.on_time_chart(points, str, lambda p: str(p.index), str),
                trendcharts.owner_overdue_chart(points, str, lambda p: str(p.index))):
        root = ET.fromstring(str(svg))
        assert root.get("role") == "img"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        assert "<script" not in str(svg)
    lines = ET.fromstring(str(trendcharts.states_chart(
        points, ("overdue", "on_track", "done_on_time"), str, str)))
    assert len(lines.findall("{http://www.w3.org/2000/svg}polyline")) == 3
    assert trendcharts.states_chart([], ("overdue",), str, str) == ""
    one = trendcharts.on_time_chart(points[:1], str, str, str)
    ET.fromstring(str(one))
    pace = target_paces([_plan("p", "<b>&amp;</b>")], dt.date(2025, 7, 2))[0]
    ET.fromstring(str(trendcharts.pace_chart(pace, [], str, str)))


def test_the_sites_gettext_gives_what_jinja2s_own_gives() -> None:
    """The site's `_()` is its own (cheaper) one; it translates, escapes values and reads
    `%%` as jinja2's newstyle gettext does, in a block and a loop too."""
    from jinja2 import DictLoader, Environment

    from plantrack.lang import translations
    from plantrack.report.render import site_environment

    source = ('{% extends "base" %}{% block b %}{% set x = 1 %}{% for v in values %}'
              '{{ _("Task") }}|{{ _("Figures as of %(date)s", date=v) }}|{{ _("100%%") }}|'
              '{% endfor %}{% endblock %}')
    templates = {"page.html.j2": source, "base": "{% block b %}{% endblock %}"}
    for lang in ("vi", "en"):
        ours = site_environment([], lang)
        ours.loader = DictLoader(templates)
        theirs = Environment(loader=DictLoader(templates), autoescape=True,
                             extensions=["jinja2.ext.i18n"])
        theirs.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
        values = ["1/2/2025", "<b>&amp;"]
        page = ours.get_template("page.html.j2").render(values=values)
        assert page == theirs.get_template("page.html.j2").render(values=values)
        assert "&lt;b&gt;&amp;amp;" in page and "100%|" in page


def test_a_languages_catalogue_is_compiled_once_a_process() -> None:
    """Every page and message asks for the catalogue: it is built from the .po files once."""
    from plantrack.lang import translations

    assert translations("vi") is translations("vi")
