"""The edits on the round-trip tree: what they write, and where comments end up."""

from __future__ import annotations

import datetime as dt

import pytest

from plantrack.checks.loader import parse_and_check
from plantrack.domain.deadlines import parse_deadline
from plantrack.edit import operations
from plantrack.edit.operations import EditError, next_task_id, quantity
from plantrack.edit.roundtrip import RoundTrip
from tests.conftest import plan_text

DAY = dt.date(2025, 6, 25)

TASKS = """\
- id: T-01
  title: First
  owner: dost
  due: 2025-07  # eol on due
  # introduces the tags
  tags: [a]

- id: T-02
  title: Second
  owner: dost
  due: 2025-09
  hard: true
  progress: 10
  targets:
    - {metric: parcels digitized, target: 100%}
    - {metric: parcels checked, target: 50%}
  updates:
    - {date: 2025-05-25, progress: 10}
# closing comment
"""


def nested(text: str) -> str:
    """`text` as it stands under `tasks:` in plan_text, two spaces in."""
    return "".join("  " + line if line.strip() else line for line in text.splitlines(True))


def edited(edit: object, tasks: str = TASKS) -> str:
    roundtrip = RoundTrip(plan_text(tasks).encode())
    edit(roundtrip.tree)  # type: ignore[operator]
    new = roundtrip.render()
    problems = [p for p in parse_and_check(new, "example-2025.yaml")[1] if p.is_error]
    assert problems == []
    return new.decode()


def test_update_sets_fields_and_follows_flow_style() -> None:
    text = edited(lambda t: operations.record_update(t, "T-02", DAY, 40, "in_progress", "ok"))
    assert nested("  status: in_progress\n  progress: 40\n") in text
    assert nested("    - {date: 2025-05-25, progress: 10}\n"
                  "    - {date: 2025-06-25, progress: 40, status: in_progress, note: ok}\n"
                  "# closing comment\n") in text


def test_new_key_keeps_comments_with_what_follows() -> None:
    text = edited(lambda t: operations.record_update(t, "T-01", DAY, 5))
    assert nested("  due: 2025-07  # eol on due\n  progress: 5\n"
                  "  updates:\n    - {date: 2025-06-25, progress: 5}\n"
                  "  # introduces the tags\n  tags: [a]\n\n- id: T-02\n") in text


def test_done_sets_completed_progress_and_an_update() -> None:
    text = edited(lambda t: operations.mark_done(t, "T-02", DAY))
    assert nested("  status: done\n  completed: 2025-06-25\n  progress: 100\n") in text
    assert nested("    - {date: 2025-06-25, progress: 100, status: done}\n") in text
    assert "&" not in text  # the shared date is written twice, not anchored


def test_done_twice_is_refused() -> None:
    roundtrip = RoundTrip(plan_text(TASKS).encode())
    operations.mark_done(roundtrip.tree, "T-01", DAY)
    with pytest.raises(EditError, match="already done"):
        operations.mark_done(roundtrip.tree, "T-01", DAY)


def test_status_away_from_done_drops_completed() -> None:
    roundtrip = RoundTrip(plan_text(TASKS).encode())
    operations.mark_done(roundtrip.tree, "T-01", DAY)
    operations.record_update(roundtrip.tree, "T-01", DAY, status="in_progress")
    assert "completed" not in roundtrip.tree["tasks"][0]


def test_cancel_records_the_reason() -> None:
    text = edited(lambda t: operations.cancel(t, "T-01", DAY, "merged into T-02"))
    assert nested("  status: cancelled\n") in text
    assert "{date: 2025-06-25, status: cancelled, note: merged into T-02}" in text


def test_extend_refuses_a_hard_deadline_unless_forced() -> None:
    roundtrip = RoundTrip(plan_text(TASKS).encode())
    with pytest.raises(EditError, match="hard deadline"):
        operations.extend(roundtrip.tree, "T-02", parse_deadline("2025-12"), DAY)
    text = edited(lambda t: operations.extend(t, "T-02", parse_deadline("2025-12"), DAY,
                                              "12/QĐ", force=True))
    assert nested("  extensions:\n    - {due: 2025-12, approved: 2025-06-25, ref: 12/QĐ}\n"
                  ) in text


def test_extend_writes_a_day_and_a_year_as_yaml_values() -> None:
    roundtrip = RoundTrip(plan_text(TASKS).encode())
    operations.extend(roundtrip.tree, "T-01", parse_deadline("2025-10-15"), DAY)
    operations.extend(roundtrip.tree, "T-01", parse_deadline("2026"), DAY)
    text = roundtrip.render().decode()
    assert "{due: 2025-10-15, approved: 2025-06-25}" in text
    assert "{due: 2026, approved: 2025-06-25}" in text


def test_measure_finds_the_target_by_part_of_its_metric() -> None:
    text = edited(lambda t: operations.measure(t, "T-02", "checked", quantity("35%"), DAY))
    assert "{metric: parcels checked, target: 50%, actual: 35%, measured: 2025-06-25}" in text
    roundtrip = RoundTrip(plan_text(TASKS).encode())
    with pytest.raises(EditError, match="several targets"):
        operations.measure(roundtrip.tree, "T-02", "parcels", 1, DAY)
    with pytest.raises(EditError, match="no target"):
        operations.measure(roundtrip.tree, "T-02", "budget", 1, DAY)


def test_add_lands_before_the_closing_comment_with_the_blank_line_style() -> None:
    text = edited(lambda t: operations.add_task(t, "Third", "dost", parse_deadline("2025-Q4"),
                                                ["ppc-office"], ["data"]))
    assert text.endswith(nested(
        "    - {date: 2025-05-25, progress: 10}\n\n- id: T-03\n  title: Third\n  owner: dost\n"
        "  with: [ppc-office]\n  due: 2025-Q4\n  tags: [data]\n# closing comment\n"))


def test_add_to_an_empty_task_list() -> None:
    text = edited(lambda t: operations.add_task(t, "One", "dost", parse_deadline("ongoing"),
                                                [], [], "X-1"), tasks="")
    assert text.endswith("tasks:\n  - id: X-1\n    title: One\n    owner: dost\n"
                         "    due: ongoing\n")


@pytest.mark.parametrize(("ids", "expected"), [
    (["HN-30", "HN-02"], "HN-31"),
    (["A-009", "A-010"], "A-011"),
    (["T1", "T9"], "T10"),
    (["X-99", "X-100", "X-101"], "X-102"),
])
def test_next_task_id_follows_the_pattern(ids: list[str], expected: str) -> None:
    assert next_task_id(ids) == expected


def test_next_task_id_needs_a_numbered_id() -> None:
    with pytest.raises(EditError, match="--id"):
        next_task_id(["alpha"])


@pytest.mark.parametrize(("text", "value"), [("40%", "40%"), ("12", 12), ("3.5", 3.5),
                                             ("3,5", 3.5)])
def test_quantity(text: str, value: object) -> None:
    assert quantity(text) == value


def test_unknown_task_suggests_a_close_id() -> None:
    roundtrip = RoundTrip(plan_text(TASKS).encode())
    with pytest.raises(EditError, match="did you mean T-01"):
        operations.record_update(roundtrip.tree, "t-01", DAY, 1)
