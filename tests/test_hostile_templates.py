"""Hostile custom templates and output files: every failure is one line and exit 2, a template
runs in the sandbox within bounds, and `report -o` replaces its file atomically or not at all."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from plantrack.edit import output
from plantrack.problems import UsageError
from plantrack.report import render
from tests.test_cli import run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "report"
AS_OF = ("--as-of", "2025-06-30")


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """The report fixture plans, outside any git repository."""
    target = tmp_path / "plans"
    shutil.copytree(FIXTURES, target)
    return target


def _template(tmp_path: Path, text: str | bytes, name: str = "mine.md.j2") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _report(plans: Path, *args: str) -> tuple[int, str, str]:
    code, out, err = run("report", str(plans), *AS_OF, *args)
    assert "Traceback" not in out + err
    return code, out, err


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# (template source, the line the error names, a piece of the message)
ERRORS = {
    "zero division": ("ok\n{{ r.as_of }}\n{{ 1/0 }}\n", 3, "ZeroDivisionError: division by zero"),
    "syntax": ("ok\n{% if %}\n{% endif %}\n", 2, "Expected an expression"),
    "unclosed block": ("{% for x in r.plans %}\n{{ x.id }}\n", 2, "endfor"),
    "unknown filter": ("ok\n{{ r.as_of|nofilter }}\n", 2, "No filter named 'nofilter'"),
    "undefined": ("\n\n{{ r.headlin }}\n", 3, "headlin"),
    "dunder": ("{{ ''.__class__.__mro__ }}\n", 1, "unsafe"),
    "globals of a function": ("\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n", 2,
                              "unsafe"),
    "format escape": ("{{ '{0.__class__}'.format(r) }}\n", 1, "unsafe"),
    "missing include": ("a\nb\n{% include 'nothere.j2' %}\n", 3, "no template named 'nothere.j2'"),
    "recursion": ("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n", 1, "RecursionError"),
    "huge power": ("{{ 2 ** (10 ** 10) }}\n", 1, "too large"),
    "huge product": ("\n{{ 'ab' * 10 ** 10 }}\n", 2, "too large"),
    "squaring in a loop": ("{% set ns = namespace(x=3) %}\n{% for i in range(64) %}"
                           "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}\n", 2, "too large"),
    "doubling a string": ("{% set ns = namespace(s='ab') %}\n\n{% for i in range(64) %}"
                          "{% set ns.s = ns.s + ns.s %}{% endfor %}\n", 3,
                          "longer than the output"),
    "bad state name": ("{{ 'nonsense'|state }}\n", 1, "KeyError"),
}


@pytest.mark.parametrize("kind", list(ERRORS))
def test_each_template_error_is_path_line_and_exit_2(plans: Path, tmp_path: Path,
                                                     kind: str) -> None:
    source, line, fragment = ERRORS[kind]
    own = _template(tmp_path, source)
    code, out, err = _report(plans, "--template", str(own))
    assert code == 2, (out, err)
    assert out == ""
    assert err.startswith(f"plantrack: error: {own}:{line}: template error: "), err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1, err


def test_error_in_an_included_template_names_that_file(plans: Path, tmp_path: Path) -> None:
    _template(tmp_path, "fine\n\n{{ 1 // 0 }}\n", name="part.j2")
    own = _template(tmp_path, "{% include 'part.j2' %}\n")
    code, _, err = _report(plans, "--template", str(own))
    assert code == 2
    assert f"{tmp_path / 'part.j2'}:3: template error: ZeroDivisionError" in err
    _template(tmp_path, "\n{% endif %}\n", name="part.j2")
    code, _, err = _report(plans, "--template", str(own))
    assert code == 2 and f"{tmp_path / 'part.j2'}:2: template error:" in err


def test_relative_template_path_is_named_as_given(plans: Path, tmp_path: Path) -> None:
    _template(tmp_path, "\n{{ 1/0 }}\n")
    (tmp_path / "sub").mkdir()
    code, _, err = run("report", str(plans), *AS_OF, "--template", "sub/../mine.md.j2",
                       cwd=tmp_path)
    assert code == 2 and "error: sub/../mine.md.j2:2: template error:" in err


def test_html_template_errors_too(plans: Path, tmp_path: Path) -> None:
    own = _template(tmp_path, "<p>{{ charts.nope }}</p>\n", name="mine.html.j2")
    code, _, err = _report(plans, "--format", "html", "--template", str(own))
    assert code == 2 and f"{own}:1: template error:" in err


def test_a_good_template_still_renders(plans: Path, tmp_path: Path) -> None:
    own = _template(tmp_path, "{{ r.headline.overdue }} overdue\n{% for i in range(3) %}"
                              "{{ i }}{% endfor %}\n")
    code, out, err = _report(plans, "--template", str(own))
    assert (code, out) == (0, "3 overdue\n012\n"), err


def test_non_utf8_template_names_line_column_and_byte(plans: Path, tmp_path: Path) -> None:
    own = _template(tmp_path, "ok\ncafé \xe9t\xe9\n".encode("latin-1"))
    code, out, err = _report(plans, "--template", str(own))
    assert code == 2 and out == ""
    assert f"error: {own}:2:4: the template is not UTF-8: byte 0xe9" in err
    # A column counts characters, not bytes.
    own.write_bytes("dạ\nđã ".encode() + b"\xff\n")
    code, _, err = _report(plans, "--template", str(own))
    assert code == 2 and f"{own}:2:4: the template is not UTF-8: byte 0xff" in err


def test_non_utf8_included_template(plans: Path, tmp_path: Path) -> None:
    _template(tmp_path, b"\n\n\x80\n", name="part.j2")
    own = _template(tmp_path, "{% include 'part.j2' %}\n")
    code, _, err = _report(plans, "--template", str(own))
    assert code == 2 and f"{tmp_path / 'part.j2'}:3:1: the template is not UTF-8: byte 0x80" in err


def test_lone_surrogate_in_the_output(plans: Path, tmp_path: Path) -> None:
    own = _template(tmp_path, '{{ "\\udcff" }}\n')
    code, _, err = _report(plans, "--template", str(own))
    assert code == 2 and "U+DCFF" in err


def test_missing_folder_and_unreadable_template(plans: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = _report(plans, "--template", str(tmp_path / "none.j2"))
    assert code == 2 and f"{tmp_path / 'none.j2'}: no such template file" in err
    code, _, err = _report(plans, "--template", str(tmp_path))
    assert code == 2 and "directory" in err
    with pytest.raises(UsageError, match="is a folder"):
        render.render_report(None, "md", "en", tmp_path)  # type: ignore[arg-type]
    own = _template(tmp_path, "fine\n")
    real_read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == own.name:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    code, _, err = _report(plans, "--template", str(own))
    assert code == 2 and f"{own}: cannot read the template: Permission denied" in err


def test_output_limit(plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "OUTPUT_LIMIT", 10_000)
    own = _template(tmp_path, "start\n{% for i in range(100000) %}\n"
                              "{% for j in range(100000) %}0123456789{% endfor %}\n{% endfor %}\n")
    out_file = tmp_path / "r.md"
    code, out, err = _report(plans, "--template", str(own), "-o", str(out_file))
    assert code == 2 and out == ""
    assert f"{own}:3: template error: the output passed the limit of 10,000 characters" in err
    assert not out_file.exists() and _temp_files(tmp_path) == []


def test_the_default_limits() -> None:
    assert render.OUTPUT_LIMIT == 64 * 1024 * 1024 and render.TIME_LIMIT == 60


def test_time_limit_stops_a_loop_that_writes_nothing(plans: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "TIME_LIMIT", 0.3)
    own = _template(tmp_path, "{% for i in range(100000) %}\n{% for j in range(100000) %}"
                              "{% endfor %}{% endfor %}\n")
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    code, _, err = _report(plans, "--template", str(own))
    assert time.monotonic() - started < 20
    assert code == 2
    assert f"{own}:2: template error: the template ran for more than 0.3 seconds" in err
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_time_limit_between_pieces_of_output(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no timer signal can be had, the time is checked between pieces of output."""
    monkeypatch.setattr(render, "TIME_LIMIT", 0.3)
    monkeypatch.delattr(signal, "setitimer")

    def slowly() -> object:
        while True:
            time.sleep(0.05)
            yield "x"

    with pytest.raises(render.LimitExceeded, match=r"more than 0\.3 seconds"):
        render._bounded(slowly())  # type: ignore[arg-type]


# --- report -o: atomic replacement -----------------------------------------------------

BROKEN = "\n{{ 1/0 }}\n"


def test_output_written_with_no_temp_file(plans: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "r.md"
    target.parent.mkdir()
    code, out, err = _report(plans, "-o", str(target))
    assert code == 0 and out == "", err
    assert target.read_text(encoding="utf-8").startswith("# Report on the implementation of tasks")
    assert _temp_files(target.parent) == []


def test_failed_render_keeps_the_old_file(plans: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old report\n", encoding="utf-8")
    own = _template(tmp_path, BROKEN)
    code, _, err = _report(plans, "--template", str(own), "-o", str(target))
    assert code == 2 and f"{own}:2:" in err
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert _temp_files(tmp_path) == []


def test_mode_is_kept_and_a_new_file_follows_the_umask(plans: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.md"
    kept.write_text("old\n", encoding="utf-8")
    kept.chmod(0o640)
    code, _, err = _report(plans, "-o", str(kept))
    assert code == 0, err
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text("utf-8") != "old\n"
    old_mask = os.umask(0o027)
    try:
        code, _, err = _report(plans, "-o", str(tmp_path / "new.md"))
    finally:
        os.umask(old_mask)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o640


def test_symlinked_target_is_written_at_its_target(plans: Path, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    real = tmp_path / "site" / "report.md"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    code, _, err = _report(plans, "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("# Report on the implementation of tasks")
    assert _temp_files(tmp_path) == [] and _temp_files(real.parent) == []


def test_hard_linked_target_is_refused(plans: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old\n", encoding="utf-8")
    os.link(target, tmp_path / "other.md")
    code, _, err = _report(plans, "-o", str(target))
    assert code == 2 and f"{target}: the file has 2 hard links" in err
    assert target.read_text(encoding="utf-8") == "old\n"
    assert (tmp_path / "other.md").stat().st_ino == target.stat().st_ino
    assert _temp_files(tmp_path) == []


def test_read_only_target_is_refused(plans: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o444)
    code, _, err = _report(plans, "-o", str(target))
    assert code == 2 and f"{target}: the file is read-only" in err
    assert target.read_text(encoding="utf-8") == "old\n"


def test_directory_and_missing_folder_targets(plans: Path, tmp_path: Path) -> None:
    code, _, err = _report(plans, "-o", str(tmp_path))
    assert code == 2 and "directory" in err
    with pytest.raises(UsageError, match="is a folder"):
        output.write_output(tmp_path, b"x")
    missing = tmp_path / "no" / "such" / "r.md"
    code, _, err = _report(plans, "-o", str(missing))
    assert code == 2
    assert f"{missing}: cannot write in {missing.parent}: No such file or directory" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_unwritable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(UsageError, match=r"cannot write in .*Permission denied"):
            output.write_output(folder / "r.md", b"x")
    finally:
        folder.chmod(0o755)


def test_a_device_is_written_through() -> None:
    output.write_output(Path("/dev/null"), b"discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("write", [output.write_output, output.update_output])
@pytest.mark.parametrize("failure", [KeyboardInterrupt(), SystemExit(143),
                                     OSError(28, "No space left on device")])
def test_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               failure: BaseException,
                                               write: Callable[[Path, bytes], object]) -> None:
    target = tmp_path / "r.md"
    target.write_text("old\n", encoding="utf-8")

    def fail(*_args: object) -> None:
        raise failure

    monkeypatch.setattr(os, "replace", fail)
    expected: type[BaseException] = UsageError if isinstance(failure, OSError) else type(failure)
    with pytest.raises(expected):
        write(target, b"new\n")
    assert target.read_text(encoding="utf-8") == "old\n" and _temp_files(tmp_path) == []


def test_update_output_leaves_a_file_with_the_same_bytes_alone(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    assert output.update_output(target, b"<p>1</p>\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    before = target.stat()
    assert not output.update_output(target, b"<p>1</p>\n")
    assert (target.stat().st_ino, target.stat().st_mtime_ns) == (before.st_ino,
                                                                 before.st_mtime_ns)
    assert output.update_output(target, b"<p>2</p>\n")  # same size, other bytes
    assert target.read_bytes() == b"<p>2</p>\n" and target.stat().st_ino != before.st_ino
    target.chmod(0o444)  # read-only: left when it holds the bytes, refused when it does not
    assert not output.update_output(target, b"<p>2</p>\n")
    with pytest.raises(UsageError, match="read-only"):
        output.update_output(target, b"<p>3</p>\n")
    assert target.read_bytes() == b"<p>2</p>\n" and _temp_files(tmp_path) == []


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_full_disk_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UsageError, match=r"r\.md: cannot write: No space left on device"):
        output.write_output(tmp_path / "r.md", b"new\n")
    assert list(tmp_path.iterdir()) == []


def _signalled(plans: Path, tmp_path: Path, signum: int) -> tuple[int, str, Path]:
    """Run the installed command with -o, stop it just before the rename with `signum`."""
    target = tmp_path / "out" / "r.md"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    paused = tmp_path / "paused"
    env = {**os.environ, "PLANTRACK_NO_CACHE": "1", output.PAUSE_ENV: str(paused)}
    exe = Path(sys.executable).with_name("plantrack")
    process = subprocess.Popen([str(exe), "report", str(plans), *AS_OF, "-o", str(target)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 30
        while not paused.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert paused.exists(), process.communicate(timeout=5)
        assert _temp_files(target.parent), "the temporary file is on disk before the rename"
        process.send_signal(signum)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, err, target


def test_sigint_mid_write_leaves_no_temp_file(plans: Path, tmp_path: Path) -> None:
    code, err, target = _signalled(plans, tmp_path, signal.SIGINT)
    assert code == 130 and "Traceback" not in err, err
    assert target.read_text(encoding="utf-8") == "old\n"
    assert _temp_files(target.parent) == []


def test_sigterm_mid_write_leaves_no_temp_file(plans: Path, tmp_path: Path) -> None:
    code, err, target = _signalled(plans, tmp_path, signal.SIGTERM)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert _temp_files(target.parent) == []
    assert code != 0 and "Traceback" not in err, err
