"""Owner succession: validation, the owner in charge as of a date, and filters that follow it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plantrack.checks.loader import load_file
from plantrack.domain.model import Owner, Plan, Succession, Task
from plantrack.domain.owners import chain, in_charge
from tests.test_cli import run

D = dt.date

MERGED = """\
plantrack: 1
id: merged
title: Merged departments
owners:
  so-a: {name: Old department A, succeeded_by: {owner: so-ab, from: 2025-07-01, ref: 1/NQ}}
  so-b:
    name: Old department B
    succeeded_by: {owner: so-ab, from: 2025-07-01}
  so-ab:
    name: Merged department AB
    succeeded_by: {owner: so-abc, from: 2026-01-01}
  so-abc: Department ABC
tasks:
  - id: T-1
    title: Written for A
    owner: so-a
    due: 2025-09-30
  - id: T-2
    title: Written for AB
    owner: so-ab
    due: 2025-12-31
  - id: T-3
    title: Written for ABC
    owner: so-abc
    due: 2026-06-30
"""


def owners(**succ: tuple[str, dt.date]) -> Plan:
    keys = {"a", "b", "c", *[s[0] for s in succ.values()]}
    return Plan(plantrack=1, id="p", title="P", tasks=[Task(id="T", title="t", owner="a")],
                owners={k: Owner(name=k.upper(), succeeded_by=Succession(
                    owner=succ[k][0], since=succ[k][1]) if k in succ else None) for k in keys})


def test_in_charge_follows_the_chain_as_of_the_date() -> None:
    plan = owners(a=("b", D(2025, 7, 1)), b=("c", D(2026, 1, 1)))
    assert in_charge(plan, "a", D(2025, 6, 30)) == "a"
    assert in_charge(plan, "a", D(2025, 7, 1)) == "b"
    assert in_charge(plan, "a", D(2026, 1, 1)) == "c"
    assert in_charge(plan, "b", D(2025, 12, 31)) == "b"
    assert chain(plan, "a") == ["a", "b", "c"]


def test_a_later_link_does_not_apply_before_an_earlier_one() -> None:
    # b hands over to c before a hands over to b: a's tasks stay with a until a's date
    plan = owners(a=("b", D(2026, 1, 1)), b=("c", D(2025, 7, 1)))
    assert in_charge(plan, "a", D(2025, 8, 1)) == "a"
    assert in_charge(plan, "a", D(2026, 1, 1)) == "c"


def test_a_cycle_ends_the_walk() -> None:
    plan = owners(a=("b", D(2025, 1, 1)), b=("a", D(2025, 1, 1)))
    assert in_charge(plan, "a", D(2025, 6, 1)) == "b"
    assert chain(plan, "a") == ["a", "b"]


def test_succession_is_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(MERGED, encoding="utf-8")
    plan, problems, _ = load_file(path, use_cache=False)
    assert plan is not None and not problems
    succession = plan.owners["so-a"].succeeded_by
    assert succession == Succession(owner="so-ab", since=D(2025, 7, 1), ref="1/NQ")
    assert in_charge(plan, "so-a", D(2026, 2, 1)) == "so-abc"


@pytest.mark.parametrize("edit, code, line", [
    (("owner: so-ab, from: 2025-07-01, ref", "owner: so-x, from: 2025-07-01, ref"),
     "unknown-owner", 5),
    (("  so-abc: Department ABC\n",
      "  so-abc: {name: ABC, succeeded_by: {owner: so-a, from: 2026-06-01}}\n"),
     "succession-cycle", 5),
    (("from: 2025-07-01, ref", "from: 2025-07, ref"), "wrong-type", 5),
    (("from: 2025-07-01, ref", "since: 2025-07-01, ref"), "unknown-key", 5),
])
def test_bad_successions_are_located(tmp_path: Path, edit: tuple[str, str], code: str,
                                     line: int) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(MERGED.replace(*edit), encoding="utf-8")
    status, out, err = run("validate", str(path))
    assert status == 1
    found = [row for row in out.splitlines() + err.splitlines() if f"[{code}]" in row]
    assert found and found[0].startswith(f"{path}:{line}:"), out + err


def test_a_cycle_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(MERGED.replace(
        "  so-abc: Department ABC\n",
        "  so-abc: {name: ABC, succeeded_by: {owner: so-a, from: 2026-06-01}}\n"),
        encoding="utf-8")
    _, out, err = run("validate", str(path))
    assert (out + err).count("[succession-cycle]") == 1


def test_removing_an_owner_still_used_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "merged.yaml"
    text = MERGED.replace("  so-a: {name: Old department A, succeeded_by: {owner: so-ab, "
                          "from: 2025-07-01, ref: 1/NQ}}\n", "")
    path.write_text(text, encoding="utf-8")
    status, out, err = run("validate", str(path))
    assert status == 1 and "[unknown-owner]" in out + err


def ids_for(path: Path, owner: str, as_of: str) -> list[str]:
    status, out, _ = run("list", str(path), "--owner", owner, "--as-of", as_of,
                         "--format", "json")
    assert status == 0, out
    return [row["id"] for row in json.loads(out)]


def test_owner_filter_follows_succession(tmp_path: Path) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(MERGED, encoding="utf-8")
    assert ids_for(path, "so-a", "2025-06-01") == ["T-1"]
    assert ids_for(path, "so-ab", "2025-06-01") == ["T-2"]
    # after the merger the old owner still finds what it handed over; the new one finds it too
    assert ids_for(path, "so-a", "2025-08-01") == ["T-1"]
    assert ids_for(path, "so-ab", "2025-08-01") == ["T-1", "T-2"]
    assert ids_for(path, "Merged department AB", "2025-08-01") == ["T-1", "T-2"]
    assert ids_for(path, "so-abc", "2025-08-01") == ["T-3"]
    assert ids_for(path, "so-abc", "2026-02-01") == ["T-1", "T-2", "T-3"]
    assert ids_for(path, "so-b", "2026-02-01") == []


def test_schema_publishes_succession_under_its_file_keys(tmp_path: Path) -> None:
    schema = json.loads(run("schema")[1])
    succession = schema["$defs"]["Succession"]
    assert set(succession["properties"]) == {"owner", "from", "ref"}
    assert succession["required"] == ["owner", "from"]
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    (tmp_path / "plan.schema.json").write_text(json.dumps(schema))
    good = tmp_path / "merged.yaml"
    good.write_text(MERGED, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(MERGED.replace("from: 2025-07-01, ref", "since: 2025-07-01, ref"))
    for path, expected in ((good, 0), (bad, 1)):
        done = subprocess.run([exe, "--schemafile", str(tmp_path / "plan.schema.json"),
                               str(path)], capture_output=True, text=True, check=False)
        assert done.returncode == expected, done.stdout + done.stderr
