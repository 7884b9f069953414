"""Vietnamese alphabetical order: the built-in collator agrees with ICU's `vi` collation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plantrack.collate import sort_key, vietnamese_key

NAMES = ["Zeta", "Ủy ban nhân dân", "Đoàn Thanh niên", "Anh", "Ăn", "Ân", "Dung", "Uyên",
         "Sở Tài chính", "Sở Tư pháp", "Bình", "ba", "Ba", "bà", "bá", "bả", "bã", "bạ"]
EXPECTED = ["Anh", "Ăn", "Ân", "ba", "Ba", "bà", "bả", "bã", "bá", "bạ", "Bình", "Dung",
            "Đoàn Thanh niên", "Sở Tài chính", "Sở Tư pháp", "Ủy ban nhân dân", "Uyên", "Zeta"]


def test_vietnamese_order_not_code_point_order() -> None:
    assert sorted(NAMES, key=vietnamese_key) == EXPECTED
    assert sorted(NAMES, key=sort_key) == EXPECTED
    assert sorted(NAMES) != EXPECTED  # str order puts Đ and Ủ after Z


def test_precomposed_and_decomposed_text_sort_alike() -> None:
    import unicodedata

    for name in NAMES:
        assert vietnamese_key(unicodedata.normalize("NFD", name)) == vietnamese_key(name)


letters = st.sampled_from([*"aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ", " "])
tones = st.sampled_from(["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"])
words = st.lists(st.tuples(letters, tones).map("".join), min_size=1, max_size=6).map("".join)


@settings(max_examples=300)
@given(st.lists(words, min_size=2, max_size=6))
@example([" \u0300", " "])  # a tone mark on a space weighs as on a letter
def test_built_in_collator_agrees_with_icu(names: list[str]) -> None:
    icu = pytest.importorskip("icu")
    import unicodedata

    collator = icu.Collator.createInstance(icu.Locale("vi"))
    names = [unicodedata.normalize("NFC", n) for n in names]
    by_icu = [collator.getSortKey(n) for n in sorted(names, key=collator.getSortKey)]
    ours = [collator.getSortKey(n) for n in sorted(names, key=vietnamese_key)]
    assert ours == by_icu


def test_status_lists_owners_with_equal_figures_in_vietnamese_order(tmp_path: Path) -> None:
    import json

    from tests.test_cli import run

    owners = {"z": "Zeta Office", "u": "Ủy ban nhân dân", "d": "Đoàn Thanh niên",
              "a": "Ăn uống", "b": "Ban Dân vận"}
    lines = ["plantrack: 1", "id: vn-2025", "title: Kế hoạch", "owners:"]
    lines += [f"  {key}: {name}" for key, name in owners.items()]
    lines.append("tasks:")
    for n, key in enumerate(owners, 1):
        lines += [f"  - id: T-{n}", f"    title: Việc {n}", f"    owner: {key}",
                  "    due: 2025-12"]
    plan = tmp_path / "vn-2025.yaml"
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run("status", str(plan), "--as-of", "2025-06-30", "--format", "json")
    assert code == 0
    names = [row["owner_name"] for row in json.loads(out)["owners"]]
    assert names == ["Ăn uống", "Ban Dân vận", "Đoàn Thanh niên", "Ủy ban nhân dân",
                     "Zeta Office"]
