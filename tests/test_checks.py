"""Every check the format implies, each stated as input and expected problems side by side."""

from __future__ import annotations

import pytest

from plantrack.checks.loader import parse_and_check
from plantrack.problems import Problem
from tests.conftest import plan_text


def check(tasks: str, plan_id: str = "example-2025", name: str = "example-2025.yaml",
          head: str = "") -> list[Problem]:
    text = plan_text(tasks, plan_id)
    if head:
        text = text.replace("owners:", head + "owners:", 1)
    return parse_and_check(text.encode(), name)[1]


def found(problems: list[Problem]) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in problems]


GOOD = """
- id: T-1
  title: Good task
  owner: dost
  due: 2025-07
"""


def test_a_good_plan_has_no_problems() -> None:
    assert check(GOOD) == []


def test_empty_task_list_is_valid() -> None:
    assert check("") == []


def test_unknown_key_with_did_you_mean() -> None:
    [problem] = check(GOOD + "  dedline: 2025-07\n")
    assert (problem.code, problem.line, problem.col) == ("unknown-key", 13, 5)
    assert "did you mean 'due'" in problem.message


def test_unknown_plan_key_lists_known_keys_when_nothing_is_close() -> None:
    [problem] = check(GOOD, head="zzz: 1\n")
    assert problem.code == "unknown-key" and problem.hint and "owners" in problem.hint


@pytest.mark.parametrize("line, code", [
    ("  progress: 120", "out-of-range"),
    ("  progress: -1", "out-of-range"),
    ("  progress: half", "wrong-type"),
    ("  status: finished", "bad-value"),
    ("  hard: maybe", "wrong-type"),
    ("  completed: 2025-02-30", "bad-date"),
    ("  tags: urgent", "wrong-type"),
    ("  with: {a: b}", "wrong-type"),
])
def test_wrong_values_are_located(line: str, code: str) -> None:
    problems = check(GOOD + line + "\n")
    assert code in [p.code for p in problems]
    assert any(p.line == 13 for p in problems if p.code == code)


def test_number_as_id_suggests_quotes() -> None:
    [problem] = check(GOOD.replace("T-1", "0123"))
    assert problem.code == "wrong-type" and problem.line == 9
    assert problem.hint and "quotes" in problem.hint


def test_missing_required_keys_point_at_the_task() -> None:
    problems = check("- title: No id or owner\n  due: 2025\n")
    assert sorted(p.message for p in problems) == [
        "missing required key 'id' in tasks[1]", "missing required key 'owner' in tasks[1]"]
    assert {p.line for p in problems} == {9}


def test_missing_due_without_recurs() -> None:
    assert found(check("- id: T-1\n  title: x\n  owner: dost\n")) == [("missing-key", 9)]


def test_bad_deadlines() -> None:
    problems = check(GOOD.replace("2025-07", "2025-Q5") + GOOD.replace("T-1", "T-2")
                     .replace("2025-07", "2025-02-30"))
    assert [p.code for p in problems] == ["bad-date", "bad-date"]
    assert sorted(p.line for p in problems) == [12, 17]  # a blank line separates the tasks


def test_duplicate_task_ids_name_the_first() -> None:
    [problem] = check(GOOD + GOOD)
    assert (problem.code, problem.line) == ("duplicate-id", 14)
    assert "line 9" in problem.message


def test_unknown_owner_and_coordinator() -> None:
    problems = check(GOOD.replace("owner: dost", "owner: dots") + "  with: [ppc-ofice, x]\n")
    assert [(p.code, p.line) for p in problems] == [("unknown-owner", 11), ("unknown-owner", 13),
                                                     ("unknown-owner", 13)]
    assert "did you mean 'dost'" in problems[0].message


def test_dependencies_unknown_and_cyclic() -> None:
    tasks = GOOD + "  depends_on: [T-2]\n" + GOOD.replace("T-1", "T-2") + \
        "  depends_on: [T-1, T-9]\n"
    problems = check(tasks)
    assert ("unknown-dependency", 19) in found(problems)
    assert any(p.code == "dependency-cycle" and "T-1 -> T-2 -> T-1" in p.message
               for p in problems)


def test_dependency_on_itself() -> None:
    assert found(check(GOOD + "  depends_on: [example-2025/T-1]\n")) == [("dependency-cycle", 13)]


def test_completed_without_done_and_done_without_completed() -> None:
    assert found(check(GOOD + "  completed: 2025-06-01\n")) == [("completed-not-done", 13)]
    assert found(check(GOOD + "  status: done\n")) == [("done-without-date", 13)]


def test_done_with_partial_progress_is_a_warning() -> None:
    [problem] = check(GOOD + "  status: done\n  completed: 2025-06-01\n  progress: 50\n")
    assert (problem.code, problem.severity) == ("done-progress", "warning")


def test_extensions_and_updates_out_of_order() -> None:
    tasks = GOOD + """\
  extensions:
    - {due: 2025-09, approved: 2025-07-20}
    - {due: 2025-10, approved: 2025-07-01}
  updates:
    - {date: 2025-06-25, progress: 20}
    - {date: 2025-05-25, progress: 10}
"""
    assert found(check(tasks)) == [("extensions-order", 15), ("updates-order", 18)]


def test_bad_rrule_and_recurring_rules() -> None:
    recurring = "- id: R\n  title: report\n  owner: dost\n  recurs: FREQ=MONTLY\n"
    assert found(check(recurring)) == [("bad-rrule", 12)]
    both = recurring.replace("MONTLY", "MONTHLY;BYMONTHDAY=25") + "  due: 2025\n"
    assert found(check(both)) == [("due-and-recurs", 13)]
    done = recurring.replace("MONTLY", "MONTHLY") + "  status: done\n  completed: 2025-03-01\n"
    assert "recurring-done" in [p.code for p in check(done)]


def test_recurring_needs_a_start_when_the_plan_has_no_issued_date() -> None:
    text = plan_text("- id: R\n  title: r\n  owner: dost\n  recurs: FREQ=MONTHLY\n")
    text = text.replace("issued: 2025-02-19\n", "")
    problems = parse_and_check(text.encode(), "example-2025.yaml")[1]
    assert [p.code for p in problems] == ["missing-start"]


def test_plan_level_checks() -> None:
    head = "reporting: FREQ=SOMETIMES\ntimezone: Mars/Olympus\n"
    codes = [p.code for p in check(GOOD, head=head)]
    assert codes == ["bad-timezone", "bad-rrule"] or sorted(codes) == ["bad-rrule", "bad-timezone"]


def test_plan_id_differs_from_file_name_is_a_warning() -> None:
    [problem] = check(GOOD, name="plans/other.yaml")
    assert (problem.code, problem.severity, problem.line) == ("id-mismatch", "warning", 2)


def test_bad_plan_id() -> None:
    assert "bad-id" in [p.code for p in check(GOOD, plan_id="Hanoi_2025", name="Hanoi_2025.yaml")]


def test_targets_need_numbers_or_percents() -> None:
    tasks = GOOD + "  targets:\n    - {metric: m, target: lots}\n    - {metric: n, target: 90%, " \
        "actual: 40%}\n"
    assert found(check(tasks)) == [("bad-quantity", 14), ("unmeasured", 15)]


def test_unknown_basis() -> None:
    assert found(check(GOOD + "  basis: [nq-57]\n")) == [("unknown-basis", 13)]


def test_wrong_format_version() -> None:
    text = plan_text(GOOD).replace("plantrack: 1", "plantrack: 2")
    [problem] = parse_and_check(text.encode(), "example-2025.yaml")[1]
    assert (problem.code, problem.line) == ("bad-value", 1)


def test_hard_deadline_with_extensions_is_a_warning() -> None:
    tasks = GOOD + "  hard: true\n  extensions:\n    - {due: 2025-09, approved: 2025-07-20}\n"
    assert found(check(tasks)) == [("hard-extended", 14)]


def test_one_run_reports_schema_and_check_problems_together() -> None:
    """An invalid optional key is left out so that the plan's other checks still run."""
    tasks = GOOD.replace("owner: dost", "owner: dots").replace("due: 2025-07", "due: 2025-02-30") \
        + "  progress: 120\n  status: finished\n"
    assert sorted(found(check(tasks))) == [("bad-date", 12), ("bad-value", 14),
                                           ("out-of-range", 13), ("unknown-owner", 11)]


def test_left_out_keys_are_not_judged_again() -> None:
    tasks = GOOD.replace("due: 2025-07", "due: 2025-Q9") + "  status: done\n" \
        "  completed: 2025-02-30\n"
    assert sorted(found(check(tasks))) == [("bad-date", 12), ("bad-date", 14)]
