"""Files made to hang, crash or exhaust the reader: each is one located error, never worse."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantrack.checks.loader import parse_and_check
from plantrack.read import yamlread
from plantrack.read.source import SourceError, read_source
from plantrack.read.yamlread import read_yaml
from tests.conftest import plan_text

PLANTRACK = str(Path(sys.executable).parent / "plantrack")


def codes(raw: bytes) -> list[str]:
    return [p.code for p in read_yaml(raw, "f.yaml").problems]


def validate_in_subprocess(path: Path) -> subprocess.CompletedProcess[str]:
    """A crash of the parser would kill the process: only a separate one can tell."""
    env = {**os.environ, "PLANTRACK_NO_CACHE": "1"}
    return subprocess.run([PLANTRACK, "validate", str(path)], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("nesting", [
    b"a: " + b"[" * 30_000 + b"]" * 30_000 + b"\n",
    b"a: " + b"{k: " * 30_000 + b"v" + b"}" * 30_000 + b"\n",
    b"".join(b" " * i + b"k:\n" for i in range(3_000)) + b" " * 3_000 + b"k: v\n",
    b"a:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 3_000)),
])
def test_deep_nesting_is_one_located_error_not_a_crash(tmp_path: Path, nesting: bytes) -> None:
    path = tmp_path / "deep.yaml"
    path.write_bytes(nesting)
    result = validate_in_subprocess(path)
    assert result.returncode == 1, result.stderr
    assert "[too-deep] nesting deeper than 64 levels" in result.stdout
    assert "Traceback" not in result.stderr


def test_depth_limit_counts_the_top_mapping_as_one() -> None:
    def nested(depth: int) -> bytes:  # `depth` collections, the top mapping included
        return b"a: " + b"[" * (depth - 1) + b"]" * (depth - 1) + b"\n"

    assert codes(nested(64)) == []
    assert codes(nested(65)) == ["too-deep"]


def test_node_count_is_limited_while_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    from plantrack.read import limits

    monkeypatch.setattr(limits, "MAX_NODES", 1_000)
    problems = read_yaml(b"a: [" + b"1, " * 1_000 + b"1]\n", "f.yaml").problems
    assert [(p.code, p.line) for p in problems] == [("too-many-nodes", 1)]
    assert codes(b"a: [" + b"1, " * 997 + b"1]\n") == []


def test_the_real_node_limit_is_the_formats() -> None:
    from plantrack.read import limits

    assert (limits.MAX_NODES, limits.MAX_DEPTH, limits.MAX_BYTES) == (
        2_000_000, 64, 16 * 1024 * 1024)


def test_a_file_over_16_mib_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as out:
        out.write(b"a: x\n")
        out.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    assert len(read_source(path)) == yamlread.MAX_BYTES + 1
    result = validate_in_subprocess(path)
    assert result.returncode == 1 and "[too-large]" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="named pipe"):
        read_source(fifo)
    result = validate_in_subprocess(fifo)
    assert result.returncode == 2 and "not a regular file (a named pipe)" in result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_not_read_forever() -> None:
    result = validate_in_subprocess(Path("/dev/zero"))
    assert result.returncode == 2 and "character device" in result.stdout


def test_a_folder_opened_as_a_plan_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="folder"):
        read_source(tmp_path)


def test_nul_is_located_where_it_is() -> None:
    [problem] = read_yaml(b"id: a\ntitle: ab\x00c\n", "f.yaml").problems
    assert (problem.code, problem.line, problem.col) == ("yaml-syntax", 2, 10)
    assert "NUL" in problem.message


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_yaml_1_2_line_separators_are_text(char: str) -> None:
    doc = read_yaml(f"a: x{char}y\nb: 'q{char}r'\nc{char}d: 1\n".encode(), "f.yaml")
    assert doc.problems == []
    assert doc.data == {"a": f"x{char}y", "b": f"q{char}r", f"c{char}d": 1}
    assert doc.marks.value(("b",)) == (2, 4)


def test_placeholders_never_collide_with_text_the_file_holds() -> None:
    text = "a: \ue000\u2028\ue001\n"
    assert read_yaml(text.encode(), "f.yaml").data == {"a": "\ue000\u2028\ue001"}


@pytest.mark.parametrize("raw", [
    b"owners: !!omap {a: b}\n",
    b"owners: !custom {a: b}\n",
    b"tags: !!set [a]\n",
    b"tags: !python/list [a]\n",
])
def test_tags_on_collections_are_refused(raw: bytes) -> None:
    problems = read_yaml(raw, "f.yaml").problems
    assert [(p.code, p.line) for p in problems] == [("yaml-tag", 1)]


def test_standard_collection_tags_are_fine() -> None:
    assert codes(b"a: !!map {b: !!seq [c]}\n") == []


def test_anchor_on_a_collection_is_refused() -> None:
    assert "alias" in codes(b"a: &x {b: c}\nd: 1\n")


def test_flow_yaml_memory_stays_bounded() -> None:
    """Peak memory per input byte is measured in bench/run.py; here the structure: the reader
    keeps no node tree, so what stays alive is the data and one position per value."""
    raw = b"a: [" + b"x, " * 50_000 + b"x]\n"
    doc = read_yaml(raw, "f.yaml")
    assert len(doc.marks.values) == 50_003 and not hasattr(doc, "root")


# Generated YAML: any nesting of mappings, lists and scalars in block or flow style.
# (Without U+0085, U+2028, U+2029: libyaml reads them as YAML 1.1 line breaks, plans as 1.2 text.)
texts = st.text(st.characters(exclude_characters="\x85\u2028\u2029"), max_size=8)
scalars = st.one_of(texts, st.integers(), st.booleans(), st.none(),
                    st.floats(allow_nan=False), st.dates())
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=30)


def dumped(tree: object, flow: bool) -> bytes:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    out = io.StringIO()
    yaml.dump({"root": tree}, out)
    return out.getvalue().encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees, st.booleans())
def test_generated_yaml_reads_as_libyaml_reads_it(tree: object, flow: bool) -> None:
    from ruamel.yaml import YAML

    raw = dumped(tree, flow)
    doc = read_yaml(raw, "f.yaml")
    if not doc.problems:  # keys the dumper wrote as non-text are refused, as they should be
        assert doc.data == YAML(typ="safe").load(raw)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    plan, problems, _ = parse_and_check(raw, "f.yaml")
    assert all(p.line >= 0 and p.col >= 0 and p.code for p in problems)
    assert plan is not None or any(p.is_error for p in problems)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["[", "]", "{", "}", ": ", "- ", "\n", "  ", "a", "&x ", "*x",
                                 "!t ", "? ", ",", "'", '"', "#", "\u2028", "\x85", "\x00"]),
                max_size=300))
def test_generated_structure_soup_never_raises(pieces: list[str]) -> None:
    raw = (plan_text() + "".join(pieces)).encode()
    plan, problems, _ = parse_and_check(raw, "f.yaml")
    assert plan is not None or any(p.is_error for p in problems)
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


def test_a_blob_over_the_limit_is_not_read_from_git(tmp_path: Path) -> None:
    from plantrack.git.repo import plans_at, read_blobs
    from tests.gitrepo import GitRepo

    repo = GitRepo.init(tmp_path / "repo")
    repo.write("plans/ok.yaml", plan_text(plan_id="ok"))
    (repo.root / "plans" / "huge.yaml").write_bytes(b"a: x\n" + b"#" * (17 << 20))
    repo.commit("a huge plan")
    small, huge, missing = read_blobs(repo.root, ["HEAD:plans/ok.yaml", "HEAD:plans/huge.yaml",
                                                  "HEAD:plans/none.yaml"])
    assert small is not None and small.startswith(b"plantrack: 1") and missing is None
    assert huge is not None and len(huge) == yamlread.MAX_BYTES + 1 and not huge.strip(b"\0")
    found = plans_at(repo.root, "HEAD")
    assert [p.code for p in found.problems if p.path.endswith("huge.yaml")] == ["too-large"]
    assert [sp.plan.id for sp in found] == ["ok"]
