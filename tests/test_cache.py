"""The cache of parsed plans: correct after any change, shared safely, never in the way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import plantrack
from plantrack.checks.loader import load
from plantrack.read import cache
from tests.conftest import plan_text

TASKS = "- id: T-1\n  title: Digitize\n  owner: dost\n  due: 2025-07\n"


def entries(folder: Path) -> dict[Path, float]:
    """The cache's entries (its key and size estimate left out) and their mtimes."""
    return {p: p.stat().st_mtime_ns for p in folder.glob("??/*") if p.is_file()}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(folder))
    return folder


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_second_read_comes_from_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    first = load([path])
    written = entries(cache_dir)
    assert len(written) == 1
    second = load([path])
    assert entries(cache_dir) == written  # read, not rewritten
    assert second.plans[0].plan == first.plans[0].plan


def test_one_byte_edit_is_seen(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    assert load([path]).plans[0].plan.tasks[0].due.text == "2025-07"  # type: ignore[union-attr]
    write(path, plan_text(TASKS.replace("2025-07", "2025-08")))
    assert load([path]).plans[0].plan.tasks[0].due.text == "2025-08"  # type: ignore[union-attr]
    assert len(entries(cache_dir)) == 2


def test_touch_without_change_is_a_hit(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    load([path])
    before = entries(cache_dir)
    os.utime(path, (1, 1))
    load([path])
    assert entries(cache_dir) == before


def test_problems_come_back_for_the_path_asked(tmp_path: Path, cache_dir: Path) -> None:
    text = plan_text(TASKS.replace("due:", "dedline:"))
    first = write(tmp_path / "a" / "example-2025.yaml", text)
    second = write(tmp_path / "b" / "example-2025.yaml", text)
    load([first])
    problems = load([second]).problems
    assert problems and all(p.path == str(second) for p in problems)


def test_file_name_is_part_of_the_key(tmp_path: Path, cache_dir: Path) -> None:
    text = plan_text(TASKS)
    good = write(tmp_path / "example-2025.yaml", text)
    other = write(tmp_path / "other.yaml", text)
    assert load([good]).problems == []
    assert [p.code for p in load([other]).problems] == ["id-mismatch"]


def test_corrupt_entries_are_ignored_and_rewritten(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    expected = load([path]).plans[0].plan
    for entry in entries(cache_dir):
        entry.write_bytes(b"\x80\x04garbage")
    assert load([path]).plans[0].plan == expected
    for entry in entries(cache_dir):
        entry.write_bytes(b"")
    assert load([path]).plans[0].plan == expected
    assert all(e.stat().st_size > 100 for e in entries(cache_dir))


def test_unwritable_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(blocker / "cache"))
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    assert load([path]).plans[0].plan.id == "example-2025"
    assert load([path]).problems == []


def test_disabled_cache_writes_nothing(tmp_path: Path, cache_dir: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_NO_CACHE", "1")
    load([write(tmp_path / "example-2025.yaml", plan_text(TASKS))])
    assert not cache_dir.exists()


def test_key_changes_with_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.entry_key("d" * 64, "plan")
    monkeypatch.setattr(plantrack, "__version__", "999")
    cache.code_fingerprint.cache_clear()
    try:
        assert cache.entry_key("d" * 64, "plan") != before
    finally:
        monkeypatch.undo()
        cache.code_fingerprint.cache_clear()
    assert cache.entry_key("d" * 64, "plan") == before


def test_two_processes_at_once(tmp_path: Path, cache_dir: Path) -> None:
    folder = tmp_path / "plans"
    for i in range(30):
        write(folder / f"plan-{i:02d}.yaml", plan_text(TASKS * 1, plan_id=f"plan-{i:02d}"))
    command = [sys.executable, "-m", "plantrack", "list", str(folder), "--as-of", "2025-06-30",
               "--format", "json"]
    env = {**os.environ, "PLANTRACK_CACHE_DIR": str(cache_dir)}
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert len({out for out, _ in outputs}) == 1
    assert len(json.loads(outputs[0][0])) == 30
    assert len(entries(cache_dir)) == 30
    assert not [p for p in cache_dir.rglob(".tmp-*")]
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.stdout == outputs[0][0]


def test_cached_plans_read_back_whole(cache_dir: Path) -> None:
    """Entries keep only fields that differ from their defaults; every field reads back."""
    import dataclasses

    from tests.conftest import SHIPPED_PLANS

    fresh = load(list(SHIPPED_PLANS), use_cache=False).plans
    load(list(SHIPPED_PLANS))
    cached = load(list(SHIPPED_PLANS)).plans
    assert entries(cache_dir)
    for before, after in zip(fresh, cached, strict=True):
        assert after.plan == before.plan
        for task_before, task_after in zip(before.plan.tasks, after.plan.tasks, strict=True):
            assert dataclasses.asdict(task_after) == dataclasses.asdict(task_before)


# --- hostile caches: where the cache lives, who wrote an entry, how large it grows ---------------

def _no_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PLANTRACK_CACHE_DIR", "XDG_CACHE_HOME", "PLANTRACK_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    cache.forget()


def test_relative_locations_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_cache_env(monkeypatch)
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-xdg")
    assert cache.cache_dir() == str(home / ".cache" / "plantrack")
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", "relative-cache")
    assert cache.cache_dir() == str(home / ".cache" / "plantrack")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == str(tmp_path / "xdg" / "plantrack")
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache.cache_dir() == str(tmp_path / "explicit")
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", "relative-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-xdg")
    path = write(work / "example-2025.yaml", plan_text(TASKS))
    load([path])
    assert sorted(p.name for p in work.iterdir()) == ["example-2025.yaml"]  # nothing relative
    assert entries(home / ".cache" / "plantrack")


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_folder_and_key_are_private(tmp_path: Path, cache_dir: Path) -> None:
    load([write(tmp_path / "example-2025.yaml", plan_text(TASKS))])
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert (cache_dir / "key").stat().st_mode & 0o777 == 0o600
    assert (cache_dir / "key").stat().st_size == 32
    for entry in entries(cache_dir):
        assert entry.parent.stat().st_mode & 0o777 == 0o700
        assert entry.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_writable_by_others_is_not_used(tmp_path: Path, cache_dir: Path, mode: int) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(mode)
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    assert load([path]).plans[0].plan.id == "example-2025"
    assert load([path]).problems == []
    assert list(cache_dir.iterdir()) == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() != 0, reason="needs root to chown")
def test_foreign_owned_folder_is_not_used(tmp_path: Path, cache_dir: Path) -> None:
    cache_dir.mkdir(mode=0o700)
    os.chown(cache_dir, 65534, 65534)
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    assert load([path]).plans[0].plan.id == "example-2025"
    assert list(cache_dir.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_key_others_can_read_or_replace_is_not_used(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    load([path])
    written = entries(cache_dir)
    (cache_dir / "key").chmod(0o644)
    cache.forget()
    assert load([path]).problems == []
    assert entries(cache_dir) == written  # neither read nor written: the cache is off
    (cache_dir / "key").unlink()
    (tmp_path / "elsewhere").write_bytes(b"k" * 32)
    (tmp_path / "elsewhere").chmod(0o600)
    (cache_dir / "key").symlink_to(tmp_path / "elsewhere")
    cache.forget()
    assert load([path]).problems == []
    assert entries(cache_dir) == written


class _Planted:
    """Unpickling this creates the file it names: what an attacker's entry would run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return open, (str(self.marker), "w")


def _only_entry(folder: Path) -> Path:
    (entry,) = entries(folder)
    return entry


def test_planted_pickle_is_never_run(tmp_path: Path, cache_dir: Path) -> None:
    import hashlib
    import hmac
    import pickle

    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    cold = load([path], use_cache=False)
    load([path])
    entry = _only_entry(cache_dir)
    marker = tmp_path / "pwned"
    planted = pickle.dumps((_Planted(marker), []))
    assert not marker.exists()
    magic = cache.MAGIC
    forged_key = b"x" * 32
    forged = hmac.new(forged_key, entry.name.encode() + b"\0" + planted, hashlib.sha256).digest()
    real_key = (cache_dir / "key").read_bytes()  # as if the key had leaked: still refused
    leaked = hmac.new(real_key, entry.name.encode() + b"\0" + planted, hashlib.sha256).digest()
    for content in (planted, magic + planted, magic + b"\0" * 32 + planted,
                    magic + forged + planted, magic + leaked + planted):
        entry.write_bytes(content)
        cache.forget()
        again = load([path])
        assert not marker.exists()
        assert again.plans[0].plan == cold.plans[0].plan
        assert again.problems == cold.problems
        assert entry.read_bytes() != content  # rewritten
        assert cache.read(entry.name) is not None  # and good again
    assert not marker.exists()
    pickle.loads(planted)  # what a loader that trusted the folder would have done
    assert marker.exists()


def test_tampered_or_truncated_entry_is_a_miss(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    cold = load([path], use_cache=False).plans[0].plan
    load([path])
    entry = _only_entry(cache_dir)
    good = entry.read_bytes()
    assert cache.read(entry.name) is not None
    for at in (len(good) - 1, len(good) // 2, len(cache.MAGIC) + 3, 0):
        flipped = bytearray(good)
        flipped[at] ^= 0x01
        entry.write_bytes(bytes(flipped))
        assert cache.read(entry.name) is None
        assert load([path]).plans[0].plan == cold
        assert entry.read_bytes() == good  # rewritten whole
    for size in (len(good) - 1, 50, 10):
        entry.write_bytes(good[:size])
        assert cache.read(entry.name) is None
        assert load([path]).plans[0].plan == cold
        assert entry.read_bytes() == good
    assert cache.read("ab" + entry.name[2:]) is None
    (cache_dir / "ab").mkdir(exist_ok=True)  # the same bytes under another entry's name
    (cache_dir / "ab" / ("ab" + entry.name[2:])).write_bytes(good)
    assert cache.read("ab" + entry.name[2:]) is None  # an entry is bound to its name


def test_size_cap_removes_least_recently_used(cache_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    value = ("x" * 10_000, [])
    keys = [f"{i:02x}" + "0" * 62 for i in range(12)]
    for age, key in enumerate(keys):
        cache.write(key, value)
        entry = cache_dir / key[:2] / key
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))  # the first written is the oldest
    size = (cache_dir / keys[0][:2] / keys[0]).stat().st_size
    assert len(entries(cache_dir)) == 12
    monkeypatch.setattr(cache, "MAX_BYTES", size * 10)  # a cap of 10 entries: the next prunes
    assert cache.read(keys[0]) == value  # the oldest is used again: a hit touches it
    cache.write("ff" + "0" * 62, value)
    left = {p.name for p in entries(cache_dir)}
    assert len(left) <= 7  # pruned to 3/4 of the cap
    assert keys[0] in left and "ff" + "0" * 62 in left
    assert not {keys[1], keys[2], keys[3], keys[4], keys[5]} & left  # oldest first
    assert sum(p.stat().st_size for p in entries(cache_dir)) <= size * 10
    assert int((cache_dir / "usage").read_bytes()) == sum(
        p.stat().st_size for p in entries(cache_dir))


def test_old_entries_are_touched_on_a_hit(cache_dir: Path) -> None:
    key = "ab" + "1" * 62
    cache.write(key, ("value", []))
    entry = cache_dir / "ab" / key
    os.utime(entry, (1_000_000, 1_000_000))
    assert cache.read(key) == ("value", [])
    assert entry.stat().st_mtime > 1_000_000 + cache.TOUCH_AFTER


def test_reads_do_not_scan_the_folder(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "example-2025.yaml", plan_text(TASKS))
    load([path])
    usage = (cache_dir / "usage").stat().st_mtime_ns
    (cache_dir / "zz").mkdir()
    (cache_dir / "zz" / "unrelated").write_bytes(b"x" * 100)
    load([path])
    assert (cache_dir / "usage").stat().st_mtime_ns == usage


_WRITER = """
import sys
from plantrack.read import cache

me = int(sys.argv[1])
values = [("plan %d" % i, ["x" * (1000 * (i + 1))] * 50) for i in range(4)]
bad = 0
for round in range(150):
    key = "%02x" % (round % 5) + "0" * 62
    cache.write(key, values[(me + round) % 4])
    got = cache.read(key)
    if got is not None and got not in values:
        bad += 1
print(bad)
"""


def test_concurrent_writers_never_give_a_corrupt_read(cache_dir: Path) -> None:
    env = {**os.environ, "PLANTRACK_CACHE_DIR": str(cache_dir)}
    runs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(i)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in range(4)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    assert [out.strip() for out, _ in outputs] == ["0"] * 4
    assert len(entries(cache_dir)) == 5
    assert len(list(cache_dir.glob("key"))) == 1
    assert not list(cache_dir.rglob(".tmp-*"))
