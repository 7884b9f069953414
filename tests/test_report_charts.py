"""The report's SVG charts, drawn from hand-built rows: labels whole and inside the chart,
overlapping timeline points as one point with a count, every piece of text escaped."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

from markupsafe import Markup

from plantrack.report.charts import (
    CHART_WIDTH,
    LABEL_WIDTH,
    TIMELINE_LANES,
    owner_bars,
    text_width,
    timeline,
    wrap_label,
)
from plantrack.report.data import OwnerRow, PlanInfo, TaskRow

NS = "{http://www.w3.org/2000/svg}"
LONG = ("Tổ công tác của Ban Chỉ đạo tỉnh về chuyển đổi số, cải cách hành chính và Đề án 06")
EVIL = '<script>x</script> "]]>& </text><text>'
AS_OF = dt.date(2025, 6, 30)
STATES = ("done_on_time", "done_late", "on_track", "due_soon", "overdue", "ongoing",
          "cancelled")
VI_STATES = {  # long names, longer than the report's own Vietnamese ones
    "done_on_time": "đã hoàn thành đúng hạn theo kế hoạch được giao",
    "done_late": "đã hoàn thành nhưng quá hạn so với thời hạn được giao",
    "on_track": "đang thực hiện, còn trong hạn theo kế hoạch",
    "due_soon": "sắp đến hạn, cần đôn đốc",
    "overdue": "quá hạn chưa hoàn thành, cần báo cáo giải trình",
    "ongoing": "nhiệm vụ thường xuyên hằng năm",
    "cancelled": "đã hủy hoặc điều chỉnh, không thực hiện",
}


def _owner(name: str, **counts: int) -> OwnerRow:
    return OwnerRow(plan_id="p", key=name[:8], name=name, total=sum(counts.values()),
                    counts=counts, on_time_share=None, most_overdue=0)


def _task(task_id: str, day: dt.date, state: str = "overdue", title: str = "") -> TaskRow:
    return TaskRow(plan_id="p", task_id=task_id, ref=f"p/{task_id}",
                   title=title or f"Task {task_id}", owner="o", state=state,
                   deadline=day.isoformat(), deadline_day=day, days_overdue=None,
                   days_left=None, last_update=None, recurring=False)


def _svg(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    root = ET.fromstring(str(markup))
    assert root.tag == f"{NS}svg"
    return root


def _view_width(root: ET.Element) -> float:
    return float(root.get("viewBox", "").split()[2])


def _view_height(root: ET.Element) -> float:
    return float(root.get("viewBox", "").split()[3])


def _lines(text: ET.Element) -> list[str]:
    """The lines a <text> shows: its <tspan>s, else its own text (after its <title>)."""
    spans = text.findall(f"{NS}tspan")
    if spans:
        return [span.text or "" for span in spans]
    title = text.find(f"{NS}title")
    return [(title.tail if title is not None else text.text) or ""]


def _title(element: ET.Element) -> str:
    title = element.find(f"{NS}title")
    assert title is not None
    return title.text or ""


def _name_labels(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]


def _bounds(text: ET.Element, line: str) -> tuple[float, float]:
    """The estimated left and right ends of `line` in `text` as its anchor places it."""
    x, width = float(text.get("x", "0")), text_width(line)
    anchor = text.get("text-anchor", "start")
    if anchor == "end":
        return x - width, x
    if anchor == "middle":
        return x - width / 2, x + width / 2
    return x, x + width


# The owner chart's labels


def test_a_long_name_wraps_whole_over_lines_left_of_the_bars() -> None:
    root = _svg(owner_bars([_owner(LONG, overdue=2, on_track=1), _owner("Sở Y tế", done_late=1)],
                           STATES, str, "Tasks"))
    long_label, short_label = _name_labels(root)
    lines = _lines(long_label)
    assert 1 < len(lines) <= 3
    assert " ".join(lines) == LONG  # nothing cut, no ellipsis
    assert "…" not in "".join(lines)
    assert _lines(short_label) == ["Sở Y tế"]
    for label in (long_label, short_label):
        for line in _lines(label):
            left, right = _bounds(label, line)
            assert left >= 0 and right <= LABEL_WIDTH  # not past the edge, not into the bars


def test_the_titles_of_a_label_and_of_its_bars_hold_the_full_name() -> None:
    name = LONG + " " + LONG  # over three lines
    root = _svg(owner_bars([_owner(name, overdue=2, on_track=1)], STATES, str, "Tasks"))
    (label,) = _name_labels(root)
    lines = _lines(label)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert " ".join(lines).rstrip("…") in name
    assert _title(label) == name
    bars = root.findall(f"{NS}rect[@height='16']")
    assert len(bars) == 2
    assert all(_title(bar).startswith(name + ": ") for bar in bars)


def test_rows_grow_to_fit_their_lines_and_do_not_overlap() -> None:
    rows = [_owner(LONG, overdue=1), _owner("A", overdue=1), _owner(LONG + " " + LONG, ongoing=1)]
    root = _svg(owner_bars(rows, STATES, str, "Tasks"))
    labels = _name_labels(root)
    bars = root.findall(f"{NS}rect[@height='16']")
    last_line = 0.0
    for label, bar in zip(labels, bars, strict=True):
        ys = [float(s.get("y", "0")) for s in label.findall(f"{NS}tspan")] or [
            float(label.get("y", "0"))]
        assert ys[0] - 11 > last_line  # below the row above (11px text)
        last_line = ys[-1]
        bar_top = float(bar.get("y", "0"))
        assert ys[0] - 11 <= bar_top and bar_top + 16 <= ys[-1] + 5  # the bar beside its lines
    assert last_line < _view_height(root)


def test_a_name_without_spaces_is_broken_inside_and_stays_in_its_column() -> None:
    name = "Sở_Tài_chính/Phòng_Quản_lý_ngân_sách/Tổ_tổng_hợp_số_liệu_báo_cáo_định_kỳ_hằng_quý"
    root = _svg(owner_bars([_owner(name, overdue=1)], STATES, str, "Tasks"))
    (label,) = _name_labels(root)
    assert "".join(_lines(label)) == name
    for line in _lines(label):
        left, right = _bounds(label, line)
        assert left >= 0 and right <= LABEL_WIDTH
    assert _title(label) == name


def test_evil_names_stay_text() -> None:
    root = _svg(owner_bars([_owner(EVIL, overdue=1), _owner('"]]>&', on_track=1)],
                           STATES, str, EVIL))
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    labels = _name_labels(root)
    assert [_title(label) for label in labels] == [EVIL, '"]]>&']
    assert " ".join(_lines(labels[0])) == EVIL
    assert _title(root) == EVIL
    assert _title(root.findall(f"{NS}rect[@height='16']")[0]) == f"{EVIL}: overdue 1"


def test_the_legend_wraps_within_the_width() -> None:
    root = _svg(owner_bars([_owner("Sở Y tế", overdue=1)], STATES, VI_STATES.__getitem__,
                           "Nhiệm vụ"))
    legend = [t for t in root.iter(f"{NS}text") if t.get("class") == "lbl"
              and t.get("text-anchor") is None]
    assert [" ".join(_lines(t)) for t in legend] == [VI_STATES[s] for s in STATES]
    width = _view_width(root)
    for text in legend:
        _left, right = _bounds(text, _lines(text)[0])
        assert right <= width
    ys = sorted({float(t.get("y", "0")) for t in legend})
    assert len(ys) > 1  # wrapped onto more lines
    assert ys[-1] + 4 <= _view_height(root)


def test_the_short_english_legend_stays_on_one_line() -> None:
    root = _svg(owner_bars([_owner("Health", overdue=1)], STATES, str, "Tasks"))
    legend = [t for t in root.iter(f"{NS}text") if t.get("class") == "lbl"
              and t.get("text-anchor") is None]
    assert len({t.get("y") for t in legend}) == 1


def test_wrap_label_keeps_every_word() -> None:
    assert wrap_label("short", 250) == ["short"]
    lines = wrap_label(LONG, 250)
    assert " ".join(lines) == LONG and all(text_width(line) <= 250 for line in lines)
    cut = wrap_label(" ".join([LONG] * 3), 250)
    assert len(cut) == 3 and cut[-1].endswith("…") and text_width(cut[-1]) <= 250


# The timeline


def _plan(*tasks: TaskRow) -> PlanInfo:
    return PlanInfo(id="p", title="Plan", tasks=list(tasks))


def _timeline(plan: PlanInfo, label: object = str, as_of: dt.date = AS_OF) -> ET.Element:
    return _svg(timeline(plan, as_of, label, dt.date.isoformat,  # type: ignore[arg-type]
                         lambda d: d.strftime("%m/%Y"), "Deadlines", "as of 30/6/2025"))


def _points(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{NS}circle"))


def test_three_tasks_due_the_same_day_are_one_point_with_a_count() -> None:
    day = dt.date(2025, 6, 10)
    root = _timeline(_plan(_task("R-1", day), _task("R-2", day, title="<b>bold</b> & co"),
                           _task("R-3", day), _task("R-9", dt.date(2025, 3, 1))))
    points = _points(root)
    assert len(points) == 2
    (pile,) = [g for g in root.iter(f"{NS}g")]
    assert pile.find(f"{NS}circle") is not None
    count = pile.find(f"{NS}text")
    assert count is not None and count.text == "3"
    title = _title(pile)
    for ref, name in (("p/R-1", "Task R-1"), ("p/R-2", "<b>bold</b> & co"),
                      ("p/R-3", "Task R-3")):
        assert f"{ref} {name}: 2025-06-10" in title
    assert "R-9" not in title
    assert not [e for e in root.iter() if e.tag == f"{NS}b"]


def test_points_closer_than_a_diameter_are_one_point() -> None:
    # A few years' span: one day is less than a pixel.
    root = _timeline(_plan(_task("A", dt.date(2023, 1, 1)), _task("B", dt.date(2025, 6, 1)),
                           _task("C", dt.date(2025, 6, 3))))
    assert len(_points(root)) == 2
    (pile,) = root.iter(f"{NS}g")
    count = pile.find(f"{NS}text")
    assert count is not None and count.text == "2"


def test_two_tasks_far_apart_are_two_points_as_before() -> None:
    root = _timeline(_plan(_task("A", dt.date(2025, 1, 10)), _task("B", dt.date(2025, 6, 20))))
    points = _points(root)
    assert len(points) == 2
    assert not list(root.iter(f"{NS}g"))
    assert [p.get("r") for p in points] == ["5", "5"]
    assert _title(points[0]) == "p/A Task A: 2025-01-10"
    assert _title(points[1]) == "p/B Task B: 2025-06-20"


def test_the_same_day_in_different_lanes_stays_apart() -> None:
    day = dt.date(2025, 6, 10)
    root = _timeline(_plan(_task("A", day, "overdue"), _task("B", day, "done_late")))
    assert len(_points(root)) == 2 and not list(root.iter(f"{NS}g"))


def test_points_never_overlap_after_merging() -> None:
    tasks = [_task(f"T{n}", dt.date(2025, 1, 1) + dt.timedelta(days=n * 3)) for n in range(60)]
    root = _timeline(_plan(*tasks))
    circles = sorted(_points(root), key=lambda c: float(c.get("cx", "0")))
    for a, b in itertools.pairwise(circles):
        gap = float(b.get("cx", "0")) - float(a.get("cx", "0"))
        assert gap >= float(a.get("r", "0")) + float(b.get("r", "0"))
    counts = [int(g.find(f"{NS}text").text or "0")  # type: ignore[union-attr]
              for g in root.iter(f"{NS}g")]
    assert sum(counts) + (len(circles) - len(counts)) == 60


def test_axis_and_lane_labels_stay_inside_the_view() -> None:
    # The last month tick close to the right edge, the as-of day the last day.
    tasks = [_task("A", dt.date(2025, 1, 2)), _task("B", dt.date(2025, 11, 28))]
    long_states = {**VI_STATES, "on_track": "đang thực hiện, trong hạn"}
    for as_of in (dt.date(2025, 11, 28), dt.date(2024, 12, 30)):
        root = _timeline(_plan(*tasks), long_states.__getitem__, as_of)
        width = _view_width(root)
        texts = [t for t in root.iter(f"{NS}text") if t.get("class") in ("num", "asof-l", "lbl")]
        assert len(texts) >= len(TIMELINE_LANES) + 3
        for text in texts:
            left, right = _bounds(text, _lines(text)[0])
            assert left >= 0 and right <= width, (text.get("class"), _lines(text))
        lane_labels = [t for t in texts if t.get("class") == "lbl"]
        assert len(lane_labels) == len(TIMELINE_LANES)
        for state, text in zip(TIMELINE_LANES, lane_labels, strict=True):
            shown = _lines(text)[0]  # whole, or cut with "…" and whole in its title
            assert shown == long_states[state] or (
                shown.endswith("…") and _title(text) == long_states[state])
        assert any(_lines(t)[0].endswith("…") for t in lane_labels)


def test_timeline_text_is_escaped() -> None:
    day = dt.date(2025, 6, 10)
    root = _timeline(_plan(_task("A", day, title=EVIL), _task("B", day, title='"]]>&')))
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    (pile,) = root.iter(f"{NS}g")
    assert f"p/A {EVIL}: 2025-06-10" in _title(pile)
    assert 'p/B "]]>&: 2025-06-10' in _title(pile)


def test_unchanged_when_english_labels_fit() -> None:
    root = _timeline(_plan(_task("A", dt.date(2025, 3, 1))), lambda s: s.replace("_", " "))
    lane = root.find(f"{NS}line[@class='lane']")
    assert lane is not None and lane.get("x1") == "130" and lane.get("x2") == str(CHART_WIDTH - 20)


def test_month_labels_do_not_run_into_each_other() -> None:
    tasks = [_task("A", dt.date(2025, 1, 2)), _task("B", dt.date(2025, 11, 28))]
    for label in (str, VI_STATES.__getitem__):
        root = _timeline(_plan(*tasks), label)
        ticks = [t for t in root.iter(f"{NS}text") if t.get("class") == "num"]
        assert len(ticks) >= 4
        spans = [_bounds(t, _lines(t)[0]) for t in ticks]
        for (_l1, right), (left, _r2) in itertools.pairwise(spans):
            assert right < left
