"""The YAML reader: positions, and every hazard of YAML-HAZARDS.md that concerns reading."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from plantrack import yamlread
from plantrack.yamlread import read_yaml


def codes(raw: bytes) -> list[str]:
    return [p.code for p in read_yaml(raw, "f.yaml").problems]


def test_positions_are_one_based_for_keys_and_values() -> None:
    doc = read_yaml(b"a: 1\nlist:\n  - x\n  - {k: v}\n", "f.yaml")
    assert doc.marks.key(("a",)) == (1, 1)
    assert doc.marks.value(("a",)) == (1, 4)
    assert doc.marks.value(("list", 1, "k")) == (4, 9)
    # A path that does not exist falls back to its nearest located ancestor.
    assert doc.marks.value(("list", 1, "missing")) == (4, 5)


def test_c_parser_is_used() -> None:
    parser = yamlread._parser()
    assert "CParser" in type(parser).__name__ or "CParser" in repr(parser.Parser)


def test_impossible_date_is_located() -> None:
    doc = read_yaml(b"a: x\ndue: 2025-02-30\n", "f.yaml")
    [problem] = doc.problems
    assert (problem.line, problem.col, problem.code) == (2, 6, "bad-date")
    assert "2025-02-30" in problem.message
    assert ("due",) in doc.reported


def test_dates_and_times_load_normalised() -> None:
    doc = read_yaml(b"d: 2025-07-01\nm: 2025-07\nt: 2025-07-01 10:00\n"
                    b"z: 2025-07-01T03:00:00Z\n", "f.yaml")
    assert doc.data["d"] == dt.date(2025, 7, 1)
    assert doc.data["m"] == "2025-07"
    assert doc.data["t"] == "2025-07-01 10:00"
    # An aware time becomes naive wall time in the plan's timezone (UTC+7 by default).
    assert doc.data["z"] == dt.datetime(2025, 7, 1, 10, 0)


def test_yaml_12_words_stay_text() -> None:
    doc = read_yaml(b"a: no\nb: on\nc: yes\nd: true\n", "f.yaml")
    assert doc.data == {"a": "no", "b": "on", "c": "yes", "d": True}


def test_yaml_11_directive_is_refused() -> None:
    assert codes(b"%YAML 1.1\n---\na: yes\n") == ["yaml-version"]


def test_duplicate_key_names_both_lines() -> None:
    [problem] = read_yaml(b"id: a\ntitle: x\nid: b\n", "f.yaml").problems
    assert (problem.line, problem.code) == (3, "duplicate-key")
    assert "line 1" in problem.message


def test_aliases_are_refused_and_bombs_do_not_explode() -> None:
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        .encode() for i in range(8))
    started = time.perf_counter()
    doc = read_yaml(bomb, "bomb.yaml")
    assert time.perf_counter() - started < 5  # generous: an expanded bomb takes minutes
    assert "alias" in [p.code for p in doc.problems]


@pytest.mark.parametrize("raw, code", [
    (b"", "empty-file"),
    (b"# only a comment\n", "empty-file"),
    (b"a: 1\n---\nb: 2\n", "multiple-documents"),
    (b"- a\n- b\n", "not-a-mapping"),
    (b"just text\n", "not-a-mapping"),
    (b"a: [1, 2\n", "yaml-syntax"),
    (b"\xff\xfe\x00a", "encoding"),
    (b"[" * 5000, "yaml-syntax"),
    (b"1: one\n", "key-type"),
    (b"? [a, b]\n: c\n", "key-type"),
    (b"a: !python/object x\n", "yaml-tag"),
])
def test_bad_input_is_one_located_problem(raw: bytes, code: str) -> None:
    problems = read_yaml(raw, "f.yaml").problems
    assert code in [p.code for p in problems]
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


def test_deep_nesting_is_bounded() -> None:
    deep = b"".join(b" " * i + b"k:\n" for i in range(100)) + b" " * 100 + b"k: v\n"
    doc = read_yaml(deep, "f.yaml")
    assert [p.code for p in doc.problems] == ["too-deep"]


def test_bom_is_tolerated() -> None:
    doc = read_yaml("\ufeffid: sở\n".encode(), "f.yaml")
    assert doc.problems == [] and doc.data == {"id": "sở"}


def test_numbers_are_numbers_so_that_schema_can_refuse_them() -> None:
    doc = read_yaml(b"a: 0123\nb: 1.10\nc: 0o17\nd: '0123'\n", "f.yaml")
    assert doc.data == {"a": 123, "b": 1.1, "c": 15, "d": "0123"}
