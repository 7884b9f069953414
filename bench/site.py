"""The report site's budgets: 10,000 tasks with two years of monthly history.

    python bench/site.py                 # 100 plans x 100 tasks, 24 monthly commits
    python bench/site.py --plans 10 --tasks 100 --months 6   # a quick look

The history is the bench corpus (bench/generate.py) as it stood each month from December
2024 to November 2026: each month's commit holds the updates dated by then, the tasks done
by then, and a progress update on a quarter of the open tasks. Measured, each in a fresh
process with its own peak memory (os.wait4):

- the first run (`site -o DIR`, empty archive, empty parse cache): budget 5 minutes;
- a run after one more month's commit, with the parse cache the first run left and with
  an empty one (CI keeps no cache unless told to): budget 30 s;
- the size of the site on disk: budget 500 MB.
Results go to bench/out/site-results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

from generate import Raw, emit_task, make_plan, make_task, plan_id  # noqa: E402

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org",
       "-c", "commit.gpgsign=false"]
FIRST_MONTH = dt.date(2024, 12, 1)
BUDGETS = {"first": 300.0, "one more": 30.0, "size": 500.0}


def month_end(k: int) -> dt.date:
    """The cut-off day (14th) of month k of the history."""
    year, month = divmod(FIRST_MONTH.month - 1 + k, 12)
    return dt.date(FIRST_MONTH.year + year, month + 1, 14)


def _as_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def task_at(task: dict[str, Any], j: int, k: int, end: dt.date) -> dict[str, Any]:
    """The task as it stood on `end`: later updates and completion not yet written."""
    task = dict(task)
    updates = [u for u in task.get("updates", []) if (_as_date(u["date"]) or end) <= end]
    completed = _as_date(task.get("completed"))
    if completed is not None and completed > end:
        for key in ("status", "completed", "progress"):
            task.pop(key, None)
    if task.get("status") not in ("done", "cancelled") and "recurs" not in task \
            and j % 4 == k % 4:
        last = max((_as_date(u["date"]) for u in updates), default=None)
        day = end - dt.timedelta(days=3)
        if last is None or last < day:
            updates.append({"date": Raw(day.isoformat()), "progress": min(95, 10 + 3 * k),
                            "note": f"Báo cáo tiến độ tháng {end.month}/{end.year}"})
    if updates:
        task["updates"] = updates
    else:
        task.pop("updates", None)
    if "progress" in task and updates and "progress" in updates[-1]:
        task["progress"] = max(task["progress"], updates[-1]["progress"])
    return task


def plan_at(plan_no: int, n_plans: int, n_tasks: int, k: int) -> str:
    header = make_plan(plan_no, n_plans, 0, 2025, 1).rsplit("tasks:\n", 1)[0]
    lines = [header + "tasks:"]
    end = month_end(k)
    for j in range(n_tasks):
        task, comment = make_task(plan_no, n_plans, j, 2025)
        lines.extend(emit_task(task_at(task, j, k, end), comment))
    return "\n".join(lines) + "\n"


def commit_month(repo: Path, n_plans: int, n_tasks: int, k: int) -> None:
    for plan_no in range(n_plans):
        (repo / "plans" / f"{plan_id(plan_no)}.yaml").write_text(
            plan_at(plan_no, n_plans, n_tasks, k), encoding="utf-8")
    when = f"{month_end(k).isoformat()}T10:00:00+07:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", f"Tiến độ tháng {month_end(k):%m/%Y}"],
                   cwd=repo, env=env, check=True)


def make_history(repo: Path, n_plans: int, n_tasks: int, months: int) -> None:
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "plans").mkdir(parents=True)
    subprocess.run([*GIT, "init", "-q", "-b", "main"], cwd=repo, check=True)
    for k in range(months):
        commit_month(repo, n_plans, n_tasks, k)


def run(cmd: list[str], cwd: Path, cache: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process; exits on failure."""
    env = {**os.environ, "PLANTRACK_CACHE_DIR": str(cache)}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            err.seek(0)
            sys.exit(f"bench: {' '.join(cmd)} failed:\n{err.read()[-2000:].decode()}")
    return elapsed, usage.ru_maxrss / 1024


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--lang", default="vi")
    args = parser.parse_args(argv)
    exe = str(Path(sys.executable).with_name("plantrack"))
    repo = OUT / "site-history"
    print(f"bench: {args.months} monthly commits of {args.plans} x {args.tasks} tasks",
          file=sys.stderr)
    made = time.perf_counter()
    make_history(repo, args.plans, args.tasks, args.months)
    print(f"bench: history made in {time.perf_counter() - made:.0f} s", file=sys.stderr)
    site, caches = OUT / "site-out", OUT / "site-caches"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(caches, ignore_errors=True)
    warm, cold = caches / "warm", caches / "cold"
    warm.mkdir(parents=True, mode=0o700)

    def site_cmd(as_of: dt.date) -> list[str]:
        return [exe, "site", "-o", str(site), "--period", "month", "--cutoff-day", "14",
                "--lang", args.lang, "--as-of", as_of.isoformat(), "plans"]

    last = month_end(args.months - 1) + dt.timedelta(days=6)
    first_s, first_mb = run(site_cmd(last), repo, warm)
    size_first = size_mb(site)
    commit_month(repo, args.plans, args.tasks, args.months)
    nxt = month_end(args.months) + dt.timedelta(days=6)
    backup = OUT / "site-out.before"
    shutil.rmtree(backup, ignore_errors=True)
    shutil.copytree(site, backup)
    more_warm_s, more_warm_mb = run(site_cmd(nxt), repo, warm)
    shutil.rmtree(site)
    shutil.copytree(backup, site)
    cold.mkdir(mode=0o700)
    more_cold_s, more_cold_mb = run(site_cmd(nxt), repo, cold)
    size_after = size_mb(site)
    tasks = args.plans * args.tasks
    rows = [
        ("first run (empty archive, empty cache)", f"{first_s:.1f} s", f"{first_mb:.0f} MB",
         f"< {BUDGETS['first']:.0f} s"),
        ("one more period, parse cache of the first run", f"{more_warm_s:.1f} s",
         f"{more_warm_mb:.0f} MB", f"< {BUDGETS['one more']:.0f} s"),
        ("one more period, empty cache", f"{more_cold_s:.1f} s", f"{more_cold_mb:.0f} MB",
         f"< {BUDGETS['one more']:.0f} s"),
        ("site on disk after the first run", f"{size_first:.0f} MB", "",
         f"< {BUDGETS['size']:.0f} MB"),
        ("site on disk after one more period", f"{size_after:.0f} MB", "",
         f"< {BUDGETS['size']:.0f} MB"),
    ]
    text = [f"# plantrack site: {tasks:,} tasks, {args.months} monthly commits "
            f"(+1), --lang {args.lang}", "", "| run | time | peak memory | budget |",
            "|---|---:|---:|---|"]
    text += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    report = "\n".join(text) + "\n"
    OUT.mkdir(exist_ok=True)
    (OUT / "site-results.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
