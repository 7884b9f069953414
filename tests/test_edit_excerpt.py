"""Edits through an excerpt write exactly what the whole-file round trip writes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantrack.domain.deadlines import parse_deadline
from plantrack.edit import operations
from plantrack.edit.excerpt import ExcerptError, choose_tasks, cut, task_spans
from plantrack.edit.roundtrip import Text
from plantrack.edit.session import finish, open_plan, open_tasks, read_plan, task_indexes
from plantrack.read.yamlread import read_yaml

ODD = (Path(__file__).parent / "fixtures" / "edit" / "odd.yaml").read_text(encoding="utf-8")
HEAD, _, REST = ODD.partition("tasks:\n")
BLOCK, _, TAIL = REST.partition("\n# end of tasks")
COPIES = 6  # 18 tasks: an excerpt leaves most of them out


def big_plan(crlf: bool, bom: bool, final: bool) -> bytes:
    """odd.yaml with its three tasks repeated under new ids, keeping every oddity."""
    copies = [re.sub(r"OD-(\d\d)", lambda m, n=n: f"OD-{n}{m[1]}", BLOCK) for n in range(COPIES)]
    text = HEAD + "tasks:\n" + "\n\n".join(copies) + "\n# end of tasks" + TAIL
    text = text if final else text.rstrip("\n")
    raw = text.replace("\n", "\r\n" if crlf else "\n").encode()
    return b"\xef\xbb\xbf" + raw if bom else raw


TASK_IDS = [f"OD-{n}{k}" for n in range(COPIES) for k in ("01", "02", "09")]
days = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
edits = st.one_of(
    st.tuples(st.just("update"), st.sampled_from(TASK_IDS), days, st.integers(0, 100)),
    st.tuples(st.just("done"), st.sampled_from(TASK_IDS), days, st.none()),
    st.tuples(st.just("cancel"), st.sampled_from(TASK_IDS), days, st.none()),
    st.tuples(st.just("measure"), st.sampled_from([i for i in TASK_IDS if i.endswith("02")]),
              days, st.integers(0, 100)),
    st.tuples(st.just("extend"), st.sampled_from([i for i in TASK_IDS if i.endswith("02")]),
              days, st.none()),
    st.tuples(st.just("add"), st.none(), days, st.none()),
)
layouts = st.tuples(st.booleans(), st.booleans(), st.booleans())  # CRLF, BOM, final newline


def apply(tree: Any, edit: tuple[Any, ...]) -> None:
    kind, task, day, number = edit
    if kind == "update":
        operations.record_update(tree, task, day, number, None, "ghi chú")
    elif kind == "done":
        operations.mark_done(tree, task, day)
    elif kind == "cancel":
        operations.cancel(tree, task, day, "gộp vào nhiệm vụ khác")
    elif kind == "measure":
        operations.measure(tree, task, "records", f"{number}%", day)
    elif kind == "extend":
        operations.extend(tree, task, parse_deadline("2026-Q2"), day, "123/QĐ-UBND")
    else:
        operations.add_task(tree, "Nhiệm vụ mới", "dost", parse_deadline(day.isoformat()), [],
                            ["data"], "OD-999")


def edited(path: Path, edit: tuple[Any, ...], whole: bool) -> bytes | str:
    try:
        editing = open_plan(path, edit[1], whole=whole)
        if not whole:
            assert editing.excerpt is not None, "a plan of 18 tasks is edited through an excerpt"
        apply(editing.tree, edit)
        return finish(editing).new
    except operations.EditError as exc:  # e.g. done on a recurring duty: the same refusal
        return str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits, layouts)
def test_excerpt_writes_what_the_whole_file_round_trip_writes(
        tmp_path: Path, edit: tuple[Any, ...], layout: tuple[bool, bool, bool]) -> None:
    path = tmp_path / "odd-2025.yaml"
    raw = big_plan(*layout)
    path.write_bytes(raw)
    through_excerpt = edited(path, edit, whole=False)
    assert through_excerpt == edited(path, edit, whole=True)
    if isinstance(through_excerpt, bytes):
        assert read_yaml(through_excerpt, "x").problems == []
        assert through_excerpt != raw


def edited_at_once(path: Path, batch: list[tuple[Any, ...]], whole: bool) -> bytes | str:
    """The edits of `batch` made in one edit of the plan, as `import --into` makes them."""
    snapshot, doc = read_plan(path)
    targets = task_indexes(doc, {edit[1] for edit in batch if edit[1]})
    editing = open_tasks(path, snapshot, doc, targets, whole)
    if not whole:
        assert editing.excerpt is not None and set(targets) <= set(editing.excerpt.tasks)
    try:
        for edit in batch:
            apply(editing.tree, edit)
        return finish(editing).new
    except operations.EditError as exc:
        return str(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(edits, min_size=2, max_size=8), layouts)
def test_many_tasks_edited_through_one_excerpt_as_through_the_whole_file(
        tmp_path: Path, batch: list[tuple[Any, ...]], layout: tuple[bool, bool, bool]) -> None:
    path = tmp_path / "odd-2025.yaml"
    path.write_bytes(big_plan(*layout))
    assert edited_at_once(path, batch, whole=False) == edited_at_once(path, batch, whole=True)


def test_task_indexes_name_the_first_task_of_each_id() -> None:
    doc = read_yaml(big_plan(False, False, True), "x")
    assert task_indexes(doc, {"OD-001", "OD-509", "NO-SUCH"}) == [0, 17]


def test_excerpt_keeps_header_chosen_tasks_and_trailer() -> None:
    raw = big_plan(False, False, True)
    doc = read_yaml(raw, "x")
    whole = Text.from_bytes(raw)
    spans = task_spans(doc.data, doc.marks, whole)
    assert len(spans) == 3 * COPIES
    chosen = choose_tasks(doc.data, [7])
    assert 7 in chosen and len(chosen) < len(spans)
    excerpt = cut(whole, spans, chosen)
    small = read_yaml(excerpt.raw, "x")
    assert small.problems == []
    assert [t["id"] for t in small.data["tasks"]] == [TASK_IDS[i] for i in chosen]
    assert small.data["owners"] == doc.data["owners"]
    assert excerpt.raw.decode().endswith("# end of tasks: keep this comment last\n")
    assert excerpt.merge(excerpt.raw) == raw  # no change in the excerpt, none in the file


@pytest.mark.parametrize("tasks", [
    "tasks: [{id: A, title: x}, {id: B, title: y}]\n",  # a flow list
    "tasks:\n- id: A\n  title: x\n- - nested\n",  # an item that is no mapping
    "tasks:\n-\n  id: A\n  title: x\n",  # the dash on its own line
])
def test_layouts_that_cannot_be_cut_by_lines_are_refused(tasks: str) -> None:
    raw = ("plantrack: 1\nid: p\n" + tasks).encode()
    doc = read_yaml(raw, "x")
    with pytest.raises(ExcerptError):
        task_spans(doc.data, doc.marks, Text.from_bytes(raw))


def _merged(edit: Any) -> Any:
    raw = big_plan(False, False, True)
    doc = read_yaml(raw, "x")
    whole = Text.from_bytes(raw)
    spans = task_spans(doc.data, doc.marks, whole)
    excerpt = cut(whole, spans, choose_tasks(doc.data, [7]), 0)
    excerpt.merge(edit(excerpt.raw.decode()).encode())
    return excerpt


@pytest.mark.parametrize("edit, confined", [
    (lambda t: t.replace("  hard: true\n", "  hard: false\n", 1), True),
    (lambda t: t.replace("  hard: true\n", "  hard: true\n  # a comment\n\n", 1), True),
    (lambda t: t.replace("  hard: true\n", "  hard: true\n- id: NEW\n  title: t\n", 1), True),
    # A key at the column of the dashes would end the task list: not confined.
    (lambda t: t.replace("  hard: true\n", "hard: true\n", 1), False),
    (lambda t: t.replace("timezone: Asia/Ho_Chi_Minh", "timezone: UTC"), False),
])
def test_a_merge_is_confined_only_to_lines_that_cannot_change_other_tasks(
        edit: Any, confined: bool) -> None:
    assert _merged(edit).confined() is confined
