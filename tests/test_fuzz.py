"""Random bytes and random mutations of the shipped plans: problems are reported, never raised."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from plantrack.checks.loader import parse_and_check
from plantrack.cli import app
from tests.conftest import SHIPPED_PLANS

SHIPPED = [p.read_bytes() for p in SHIPPED_PLANS]
# Fragments that tend to break YAML or the schema when dropped into a plan.
FRAGMENTS = [b": ", b"- ", b"&a ", b"*a", b"{", b"}", b"[", b"]", b"\t", b"#", b"'", b'"',
             b"\n", b"  ", b"2025-02-30", b"2025-Q5", b"0123", b"~", b"!!binary ", b"%YAML 1.1\n",
             b"---\n", b"...\n", b"? ", b"<<: ", b"\xff", b"\xef\xbb\xbf", b"ongoing", b"null"]


def assert_reports_without_raising(raw: bytes) -> None:
    plan, problems, _ = parse_and_check(raw, "fuzz.yaml")
    for problem in problems:
        assert problem.line >= 0 and problem.col >= 0
        assert problem.severity in ("error", "warning") and problem.code and problem.message
    if plan is None:
        assert any(p.is_error for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    assert_reports_without_raising(raw)


@st.composite
def mutated_plan(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(SHIPPED)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            raw[at:at] = draw(st.sampled_from(FRAGMENTS))
        elif action == "delete":
            del raw[at:at + draw(st.integers(1, 40))]
        else:
            line_start = raw.rfind(b"\n", 0, at) + 1
            line_end = raw.find(b"\n", at)
            line_end = len(raw) if line_end < 0 else line_end
            other = draw(st.sampled_from(SHIPPED)).splitlines()
            raw[line_start:line_end] = draw(st.sampled_from(other)) if other else b""
    return bytes(raw)


@settings(max_examples=300, deadline=None)
@given(mutated_plan())
def test_mutated_shipped_plans(raw: bytes) -> None:
    assert_reports_without_raising(raw)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_plan())
def test_validate_command_never_raises(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(raw)
    for fmt in ("text", "json", "github"):
        result = CliRunner().invoke(app, ["validate", str(path), "--format", fmt])
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
