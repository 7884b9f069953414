"""The YAML reader: positions, and every hazard of YAML-HAZARDS.md that concerns reading."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plantrack.read import yamlread
from plantrack.read.yamlread import read_yaml


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
    from ruamel.yaml.main import CParser

    assert CParser is not None, "ruamel.yaml.clib is a declared dependency"
    assert isinstance(yamlread._parser("a: 1\n"), CParser)


SCALARS = st.one_of(
    st.from_regex(r"\A[-+]?[0-9_]{1,6}(\.[0-9_]{0,4})?([eE][-+]?[0-9]{1,2})?\Z"),
    st.from_regex(r"\A0[xob][0-9a-fA-F_]{1,5}\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?\Z"),
    st.sampled_from(["~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "FALSE",
                     "no", "yes", "on", "off", ".inf", "-.Inf", ".nan", ".5", "1e3", "nul",
                     "2025-Q3", "2025", "ongoing", "tRUE", "+", "-", ".", "0o17", "0123"]),
    st.text(min_size=1, max_size=12).filter(lambda t: t.strip() == t and "\n" not in t),
)


@given(SCALARS)
def test_own_resolver_agrees_with_ruamel(value: str) -> None:
    """The fast resolver gives every plain scalar the tag ruamel's YAML 1.2 resolver gives."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    expected = str(VersionedResolver(version=(1, 2)).resolve(ScalarNode, value, (True, False)))
    # ruamel's 'value' (=), 'merge' (<<) and 'yaml' (a lone ! & *, which the parser never
    # hands over as a plain scalar) tags have no meaning in a plan: they stay text.
    if expected.endswith((":value", ":merge", ":yaml")):
        expected = "tag:yaml.org,2002:str"
    assert yamlread.resolve_plain(value) == expected


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


def test_equal_texts_and_dates_are_one_object() -> None:
    """The cache stores a shared object once: repeated owners, statuses and dates must be
    shared, and a date never stands in for a datetime of the same day."""
    doc = read_yaml(b"a:\n- dost\n- dost\n- 2025-03-10\n- 2025-03-10\n- 2025-03-10 00:00:00\n"
                    b"b: dost\n", "f.yaml")
    first, second, day, same_day, moment = doc.data["a"]
    assert first is second is doc.data["b"]
    assert day is same_day and type(day) is dt.date
    assert type(moment) is dt.datetime
