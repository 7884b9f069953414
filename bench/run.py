"""The benchmark: plantrack on 10,000 and 100,000 tasks, against Taskwarrior and ruamel's loader.

    python bench/run.py            # full run: 5 repetitions, 10k and 100k tasks, profiles
    python bench/run.py --quick    # 3 repetitions, 10k and 20k tasks, no profiles
    python bench/run.py --runs 9   # more repetitions
    python bench/run.py --warm-only   # only warm `overdue` 10k against Taskwarrior, 21 runs

Every figure is the median of N runs of a fresh process (interpreter start included), with
output sent to /dev/null; the two sides of a ratio are run alternately in the same loop, so
that both see the same machine. Peak memory is the child's own max RSS (os.wait4). Corpora,
caches, the Taskwarrior database and the results go to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
AS_OF = "2025-09-30"


# --- the environment --------------------------------------------------------------------------

def ensure_venv(argv: list[str]) -> None:
    """Re-run under the project's venv (creating it when missing) unless plantrack imports."""
    try:
        import ruamel.yaml  # noqa: F401

        import plantrack  # noqa: F401
        return
    except ImportError:
        pass
    venv = ROOT / ".venv"
    python = venv / "bin" / "python"
    # A venv's python links to the base interpreter: compare prefixes, not executables.
    if Path(sys.prefix).resolve() == venv.resolve():
        sys.exit("bench: plantrack is not installed in .venv; run: pip install -e .")
    if not python.exists():
        print(f"bench: creating {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
    os.execv(str(python), [str(python), str(Path(__file__).resolve()), *argv])


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for module in ("plantrack", "ruamel.yaml", "pydantic", "typer", "rich"):
        try:
            from importlib.metadata import version
            versions[module] = version(module)
        except Exception:
            versions[module] = "?"
    task = shutil.which("task")
    tw = subprocess.run([task, "--version"], capture_output=True, text=True).stdout.strip() \
        if task else "not installed"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
            "os": platform.platform(), "taskwarrior": tw,
            **{f"{k}": v for k, v in versions.items()},
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}


# --- timing -----------------------------------------------------------------------------------

@dataclass
class Case:
    label: str
    cmd: list[str]
    cwd: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)
    fresh_cache: bool = False  # an empty PLANTRACK_CACHE_DIR for every run: a first run
    warm: bool = False  # one untimed run first, that fills the case's own cache
    expect: tuple[int, ...] = (0,)


@dataclass
class Result:
    label: str
    seconds: list[float]
    rss_mb: list[float]
    errors: list[str]
    cache_grew: bool = False  # a warm run missed the cache: plantrack's source changed meanwhile

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def peak_mb(self) -> float:
        return max(self.rss_mb) if self.rss_mb else float("nan")


def _spawn_and_wait(cmd: list[str], cwd: str, env: dict[str, str]
                    ) -> tuple[float, float, int, str]:
    """Wall time, the child's max RSS in MB, its exit code and the tail of its stderr."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        err.seek(0)
        tail = err.read()[-600:].decode("utf-8", "replace")
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), tail


class Spawner:
    """Starts the timed commands from a small process forked before the bench grows.

    Linux counts in a child's peak RSS the memory of the process that spawned it (the memory
    map it leaves at exec): spawned from the bench itself, after it has read the corpus for
    Taskwarrior, every figure below ~60 MB read as 60 MB."""

    def __init__(self) -> None:
        to_child, self._requests = os.pipe()
        self._replies, from_child = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the spawner: a request and a reply per line, JSON
            os.close(self._requests)
            os.close(self._replies)
            with os.fdopen(to_child) as requests, os.fdopen(from_child, "w") as replies:
                for line in requests:
                    replies.write(json.dumps(_spawn_and_wait(*json.loads(line))) + "\n")
                    replies.flush()
            os._exit(0)
        os.close(to_child)
        os.close(from_child)
        self._send = os.fdopen(self._requests, "w")
        self._receive = os.fdopen(self._replies)

    def run(self, cmd: list[str], cwd: Path, env: dict[str, str]
            ) -> tuple[float, float, int, str]:
        self._send.write(json.dumps([cmd, str(cwd), env]) + "\n")
        self._send.flush()
        elapsed, rss, code, tail = json.loads(self._receive.readline())
        return elapsed, rss, code, tail


_spawner: Spawner | None = None


def run_once(case: Case, env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall time, the child's max RSS in MB, its exit code and the tail of its stderr."""
    if _spawner is None:
        return _spawn_and_wait(case.cmd, str(case.cwd), env)
    return _spawner.run(case.cmd, case.cwd, env)


def entries(cache: Path) -> int:
    """The cache's entries: files in its two-letter folders (not its key or size estimate)."""
    return sum(1 for p in cache.glob("??/*") if p.is_file()) if cache.is_dir() else 0


def measure(cases: list[Case], runs: int) -> dict[str, Result]:
    """Run the cases alternately, `runs` times each; a result per label."""
    results = {c.label: Result(c.label, [], [], []) for c in cases}
    envs: dict[str, dict[str, str]] = {}
    caches: dict[str, tuple[Path, int]] = {}
    for case in cases:
        env = {**os.environ, **case.env}
        if case.warm:
            cache = OUT / "cache" / re.sub(r"[^a-z0-9]+", "-", case.label.lower())
            shutil.rmtree(cache, ignore_errors=True)
            env["PLANTRACK_CACHE_DIR"] = str(cache)
            run_once(case, env)  # fills the cache; also warms the OS page cache
            caches[case.label] = (cache, entries(cache))
        envs[case.label] = env
    for _ in range(runs):
        for case in cases:
            env = dict(envs[case.label])
            fresh = None
            if case.fresh_cache:
                (OUT / "cache").mkdir(parents=True, exist_ok=True)
                fresh = tempfile.mkdtemp(prefix="first-", dir=OUT / "cache")
                env["PLANTRACK_CACHE_DIR"] = fresh
            seconds, rss, code, tail = run_once(case, env)
            if fresh:
                shutil.rmtree(fresh, ignore_errors=True)
            result = results[case.label]
            if code not in case.expect:
                result.errors.append(f"exit {code}: {tail.strip()}")
                continue
            result.seconds.append(seconds)
            result.rss_mb.append(rss)
        print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    for label, (cache, count) in caches.items():
        results[label].cache_grew = entries(cache) > count
    for result in results.values():
        if result.errors:
            print(f"bench: {result.label}: {result.errors[0]}", file=sys.stderr)
    return results


# --- corpora ----------------------------------------------------------------------------------

def corpus(name: str, plans: int, tasks: int, revision: int = 1) -> Path:
    """Generate the corpus unless an identical one (same parameters and generator) is there."""
    from generate import generate

    folder = OUT / name
    stamp = f"{plans}x{tasks} rev{revision} " + str(
        hash_file(BENCH / "generate.py"))
    stamp_file = OUT / f".{name}.stamp"
    if folder.is_dir() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return folder
    print(f"bench: generating {folder.relative_to(ROOT)} ({plans} x {tasks} tasks)",
          file=sys.stderr)
    generate(folder, plans, tasks, revision=revision)
    stamp_file.write_text(stamp)
    return folder


def hash_file(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def check_valid(folder: Path) -> None:
    env = {**os.environ, "PLANTRACK_NO_CACHE": "1"}
    done = subprocess.run([tool("plantrack"), "validate", str(folder)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: {folder} is not valid:\n{done.stdout}{done.stderr}")


def git_repo(rev1: Path, rev2: Path) -> Path:
    """A repository whose plans/ holds rev1 (committed 2025-09-01), then rev2 (2025-09-26)."""
    repo = OUT / "git-10k"
    stamp = f"{hash_file(BENCH / 'generate.py')} {rev1.name} {rev2.name}"
    stamp_file = OUT / ".git-10k.stamp"
    if repo.is_dir() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "plans").mkdir(parents=True)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org",
           "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=repo, check=True)
    for source, when, message in ((rev1, "2025-09-01T09:00:00+07:00", "Plans as issued"),
                                  (rev2, "2025-09-26T09:00:00+07:00", "September updates")):
        shutil.rmtree(repo / "plans")
        shutil.copytree(source, repo / "plans")
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-q", "-m", message], cwd=repo, env=env, check=True)
    stamp_file.write_text(stamp)
    return repo


# --- Taskwarrior ------------------------------------------------------------------------------

def appendix_workbook(path: Path, rows: int) -> Path:
    """An appendix table as offices send it, `rows` tasks long (made once)."""
    if path.exists():
        return path
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                  "Thời gian hoàn thành"])
    phrases = ["Quý III/2025", "Tháng 4/2025", "Trước ngày 10/3/2025", "Thường xuyên",
               "6 tháng đầu năm 2025"]
    for n in range(1, rows + 1):
        sheet.append([n, f"Nhiệm vụ số {n} về chuyển đổi số", "Sở Khoa học và Công nghệ"
                      if n % 2 else "Sở Tài chính", "Sở Nội vụ", phrases[n % len(phrases)]])
    book.save(path)
    return path


def ensure_taskwarrior() -> str | None:
    found = shutil.which("task")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("bench: Taskwarrior is missing (apt-get install taskwarrior)", file=sys.stderr)
        return None
    print("bench: installing taskwarrior", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(["apt-get", "install", "-y", "-q", "taskwarrior"], env=env,
                          capture_output=True)
    if done.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "taskwarrior"], env=env,
                       capture_output=True)
    return shutil.which("task")


def taskwarrior_tasks(folder: Path) -> list[dict[str, str]]:
    """The corpus as Taskwarrior tasks, from plantrack's own derived view as of AS_OF.

    Taskwarrior judges by the real clock, so every deadline is moved by (today - AS_OF):
    its `overdue` then lists the same tasks as `plantrack overdue --as-of AS_OF`.
    """
    done = subprocess.run([tool("plantrack"), "list", str(folder), "--as-of", AS_OF,
                           "--format", "json"], capture_output=True, text=True,
                          env={**os.environ, "PLANTRACK_NO_CACHE": "1"}, check=True)
    rows = json.loads(done.stdout)
    rows = rows["tasks"] if isinstance(rows, dict) else rows
    shift = dt.date.today() - dt.date.fromisoformat(AS_OF)
    stamp = "20250101T000000Z"
    out = []
    for row in rows:
        task = {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{row['plan']}/{row['id']}")),
                "description": row["title"], "project": row["plan"], "entry": stamp}
        state = row["state"]
        if state in ("done_on_time", "done_late"):  # a duty whose RRULE ended has no date
            task["status"] = "completed"
            ended = row.get("completed") or row.get("deadline") or AS_OF
            task["end"] = ended.replace("-", "") + "T120000Z"
        elif state == "cancelled":
            task["status"] = "deleted"
            task["end"] = stamp
        else:
            task["status"] = "pending"
        if row.get("deadline"):
            due = dt.date.fromisoformat(row["deadline"]) + shift
            task["due"] = due.strftime("%Y%m%dT235959Z")
        out.append(task)
    return out


def taskwarrior_setup(task: str, folder: Path) -> tuple[dict[str, str], float, int]:
    """A throwaway TASKRC/TASKDATA under bench/out holding the corpus; (env, import s, count)."""
    home = OUT / "taskwarrior"
    shutil.rmtree(home, ignore_errors=True)
    (home / "data").mkdir(parents=True)
    rc = home / "taskrc"
    rc.write_text(f"data.location={home / 'data'}\nconfirmation=off\nnews.version=2.6.0\n")
    env = {"TASKRC": str(rc), "TASKDATA": str(home / "data")}
    tasks = taskwarrior_tasks(folder)
    (home / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False))
    start = time.perf_counter()
    subprocess.run([task, "rc.verbose=nothing", "import", str(home / "tasks.json")],
                   env={**os.environ, **env}, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    return env, seconds, len(tasks)


# --- the report -------------------------------------------------------------------------------

@dataclass
class Row:
    what: str
    result: Result | None
    base_label: str = ""
    base: Result | None = None
    target: float | None = None  # the ratio must be below this
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.result is None or self.base is None or not self.result.seconds \
                or not self.base.seconds:
            return None
        return self.result.median / self.base.median


def fmt_s(result: Result | None) -> str:
    if result is None:
        return "not available"
    if not result.seconds:
        return "failed"
    return f"{result.median:.3f}"


def table(rows: list[Row]) -> str:
    head = ["measure", "median s", "peak MB", "against", "its median s", "ratio", "target",
            "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        ratio = row.ratio
        met = "" if row.target is None or ratio is None else (
            "yes" if ratio < row.target else "**no**")
        lines.append("| " + " | ".join([
            row.what + (" †" if row.result and row.result.cache_grew else ""),
            fmt_s(row.result),
            f"{row.result.peak_mb:.0f}" if row.result and row.result.rss_mb else "",
            row.base_label, fmt_s(row.base) if row.base_label else "",
            f"{ratio:.2f}" if ratio is not None else "",
            f"< {row.target:g}" if row.target is not None else "", met,
        ]) + " |")
    return "\n".join(lines)


def commands_listed() -> set[str]:
    done = subprocess.run([tool("plantrack"), "--help"], capture_output=True, text=True)
    names = set()
    in_commands = False
    for line in done.stdout.splitlines():
        if line.strip() == "Commands:":
            in_commands = True
        elif in_commands and line.startswith("  ") and line.strip():
            names.add(line.split()[0])
    return names


# --- profiles ---------------------------------------------------------------------------------

def profile(corpus_10k: Path) -> str:
    """Import costs of a first `status`, and the hotspots of `validate --no-cache` on 10k."""
    python = sys.executable
    cache = tempfile.mkdtemp(prefix="profile-", dir=OUT)
    env = {**os.environ, "PLANTRACK_CACHE_DIR": cache}
    done = subprocess.run([python, "-X", "importtime", "-m", "plantrack", "status", "--as-of",
                           AS_OF], cwd=ROOT, env=env, capture_output=True, text=True)
    shutil.rmtree(cache, ignore_errors=True)
    imports = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            imports.append((int(match[2]), int(match[1]), len(match[3]) // 2, match[4]))
    top_level = sorted((i for i in imports if i[2] == 0), reverse=True)[:12]
    total = sum(i[0] for i in imports if i[2] == 0)
    text = ["### `python -X importtime -m plantrack status` (first run, plans/)", "",
            f"All imports together: {total / 1000:.0f} ms. Top-level imports by cumulative "
            "time:", "", "| module | cumulative ms | self ms |", "|---|---|---|"]
    text += [f"| {name} | {cum / 1000:.1f} | {own / 1000:.1f} |"
             for cum, own, _, name in top_level]
    prof = OUT / "validate-10k.prof"
    subprocess.run([python, "-m", "cProfile", "-o", str(prof), "-m", "plantrack", "validate",
                    str(corpus_10k), "--no-cache"], cwd=ROOT, capture_output=True)
    import io
    import pstats
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        stats = pstats.Stats(str(prof), stream=stream)
        stats.sort_stats(order).print_stats(10 if order == "tottime" else 25)
        body = stream.getvalue()
        body = body[body.find("   ncalls"):].rstrip()
        body = body.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
        text += ["", f"### cProfile of `plantrack validate corpus-10k --no-cache`, by {order}",
                 "", "```", body, "```"]
    return "\n".join(text)


# --- main -------------------------------------------------------------------------------------

def precompile() -> None:
    """Write plantrack's bytecode, as `pip install` does for an installed package: an editable
    install under PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run,
    which the other tools measured here (installed, compiled) never pay."""
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "plantrack"), quiet=1)


def hostile_flow(folder: Path) -> Path:
    """Flow-style YAML at the node limit: the costliest input per byte for the reader."""
    path = folder / "flow-2m.yaml"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"a: [" + b"x, " * 1_990_000 + b"x]\n")
    return path


def edits_and_memory(runs: int) -> tuple[list[Row], dict[str, Result], list[str]]:
    """An update against a first validate of the same plan, at 500, 5,000 and 20,000 tasks;
    the reader's peak memory per input byte on flow-style YAML and on a large block plan."""
    pt = tool("plantrack")
    rows: list[Row] = []
    got: dict[str, Result] = {}
    notes: list[str] = []
    for tasks in (500, 5_000, 20_000):
        folder = corpus(f"plan-{tasks}", 1, tasks)
        plan = next(folder.glob("*.yaml"))
        task_id = f"T-{tasks // 2:03d}"
        update = [pt, "update", f"{plan}/{task_id}", "--progress", "55", "--note", "bench",
                  "--date", "2025-09-29", "--dry-run"]
        cases = [Case(f"validate first {tasks}", [pt, "validate", str(plan)], fresh_cache=True),
                 Case(f"update {tasks}", update, env={"PLANTRACK_NO_CACHE": "1"})]
        result = measure(cases, runs)
        got.update(result)
        rows.append(Row(f"update --dry-run, one plan of {tasks:,} tasks",
                        result[f"update {tasks}"], "validate of that plan, first run",
                        result[f"validate first {tasks}"], 1.5))
    flow = hostile_flow(OUT / "hostile")
    big_plan = next(corpus("plan-20000", 1, 20_000).glob("*.yaml"))
    memory = measure([Case("validate flow", [pt, "validate", str(flow)], fresh_cache=True,
                           expect=(0, 1)),
                      Case("validate plan 20000 memory", [pt, "validate", str(big_plan)],
                           fresh_cache=True)], max(1, runs // 3))
    got.update(memory)
    for label, path in (("validate flow", flow), ("validate plan 20000 memory", big_plan)):
        result = memory[label]
        size = path.stat().st_size
        notes.append(f"Peak RSS of `validate {path.name}` ({size / 1e6:.1f} MB): "
                     f"{result.peak_mb:.0f} MB, {result.peak_mb * 1024 * 1024 / size:.0f}x the "
                     "input (including the interpreter and imports).")
    return rows, got, notes


def returned_workbook(plan: Path, changed: int) -> Path:
    """The workbook `export --format xlsx` makes of `plan`, as a unit sends it back: a new
    progress for `changed` tasks spread over the plan, and one new row (made once)."""
    back = OUT / f"returned-{plan.stem}-{changed}.xlsx"
    if back.exists():
        return back
    import openpyxl

    exported = OUT / f"exported-{plan.stem}.xlsx"
    subprocess.run([tool("plantrack"), "export", str(plan), "--format", "xlsx", "--as-of",
                    AS_OF, "-o", str(exported)], check=True, capture_output=True)
    book = openpyxl.load_workbook(exported)
    sheet = book[book.sheetnames[1]]
    header = [c.value for c in sheet[2]]
    filled, title = header.index("New progress %") + 1, header.index("Title") + 1
    progress = header.index("Progress") + 1
    rows = list(range(3, sheet.max_row + 1))
    step = max(1, len(rows) // changed)
    for row in rows[::step][:changed]:
        was = round(100 * float(sheet.cell(row, progress).value or 0))
        sheet.cell(row, filled).value = min(100, was + 7)
    sheet.cell(sheet.max_row + 1, title).value = "Nhiệm vụ bổ sung do đơn vị đề xuất"
    book.save(back)
    return back


def office_round_trip(runs: int) -> list[Row]:
    """`import --into` of a workbook sent back, against a first validate of the same plan:
    a 10,000-task plan with 100 and with 5,000 rows changed."""
    pt = tool("plantrack")
    plan = next(corpus("plan-10000", 1, 10_000).glob("*.yaml"))
    cases = [Case("validate first 10000", [pt, "validate", str(plan)], fresh_cache=True)]
    for changed in (100, 5_000):
        back = returned_workbook(plan, changed)
        cases.append(Case(f"into {changed}", [pt, "import", str(back), "--into", str(plan),
                                              "--date", "2025-09-29", "--dry-run"],
                          env={"PLANTRACK_NO_CACHE": "1"}))
    got = measure(cases, runs)
    return [Row(f"import --into --dry-run, {changed:,} of 10,000 rows changed",
                got[f"into {changed}"], "validate of that plan, first run",
                got["validate first 10000"]) for changed in (100, 5_000)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="repetitions of each measure (default 5, "
                        "3 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="3 runs; the large corpus is 20,000 tasks, not 100,000; no profile")
    parser.add_argument("--large-plans", type=int, help="plan files in the large corpus "
                        "(100 tasks each; default 1000, 200 with --quick)")
    parser.add_argument("--no-taskwarrior", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--warm-only", action="store_true",
                        help="only the warm `overdue` on 10k against Taskwarrior (default 21 runs)")
    parser.add_argument("--edits-only", action="store_true",
                        help="only the edit against validate measures and the memory per byte")
    parser.add_argument("--office-only", action="store_true",
                        help="only `import --into` of a workbook sent back (10,000 tasks)")
    parser.add_argument("--diff-args", default="HEAD~1 HEAD",
                        help="arguments of `plantrack diff` in the corpus repository")
    args = parser.parse_args(argv)
    global _spawner
    _spawner = Spawner()
    runs = args.runs or (21 if args.warm_only else 3 if args.quick else 5)
    large_plans = args.large_plans or (200 if args.quick else 1000)
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(BENCH))
    info = machine()
    print(f"bench: {info['cpu']}, {info['cores']} cores, Python {info['python']}; "
          f"{runs} runs each", file=sys.stderr)

    precompile()
    if args.edits_only:
        edit_rows, _, edit_notes = edits_and_memory(runs)
        print(table(edit_rows))
        print("\n".join(edit_notes))
        return 0
    if args.office_only:
        print(table(office_round_trip(runs)))
        return 0
    small = corpus("corpus-10k", 100, 100)
    if args.warm_only:
        check_valid(small)
        large = rev2 = repo = small  # not used
    else:
        large = corpus(f"corpus-{large_plans // 10}k", large_plans, 100)
        rev2 = corpus("corpus-10k-rev2", 100, 100, revision=2)
        for folder in (small, large, rev2):
            check_valid(folder)
        repo = git_repo(small, rev2)
    pt = tool("plantrack")
    python = sys.executable
    load = [python, str(BENCH / "load_ruamel.py")]
    overdue = [pt, "overdue", "--as-of", AS_OF]
    validate = [pt, "validate"]
    large_n = f"{large_plans * 100:,}"
    rows: list[Row] = []
    extra: dict[str, object] = {}

    # 1. overdue, warm cache, against Taskwarrior
    task = None if args.no_taskwarrior else ensure_taskwarrior()
    cases = [Case("overdue warm 10k", [*overdue, str(small)], warm=True)]
    if task:
        tw_env, import_s, count = taskwarrior_setup(task, small)
        extra["taskwarrior_import_s"] = round(import_s, 2)
        extra["taskwarrior_tasks"] = count
        cases.append(Case("task overdue 10k", [task, "rc.verbose=nothing", "overdue"],
                          env=tw_env, warm=True, expect=(0, 1)))
    print("bench: overdue, warm cache, against Taskwarrior", file=sys.stderr)
    got = measure(cases, runs)
    rows.append(Row("overdue 10k, warm cache", got["overdue warm 10k"],
                    "task overdue (Taskwarrior)" if task else "Taskwarrior: not installed",
                    got.get("task overdue 10k"), 1.0))
    if args.warm_only:
        print(table(rows))
        for result in got.values():
            print(f"{result.label}: median {result.median:.3f} s, min {min(result.seconds):.3f} s,"
                  f" peak {result.peak_mb:.0f} MB, runs {len(result.seconds)}"
                  + (" (some warm runs missed the cache)" if result.cache_grew else ""))
        return 0

    # 2. first runs against ruamel's C loader (interpreter start + import + load)
    print("bench: first runs against ruamel's C loader", file=sys.stderr)
    got2 = measure([Case("load 10k", [*load, str(small)]),
                    Case("overdue first 10k", [*overdue, str(small)], fresh_cache=True),
                    Case("validate first 10k", [*validate, str(small)], fresh_cache=True)],
                   runs)
    rows.append(Row("overdue 10k, first run", got2["overdue first 10k"],
                    "ruamel C load (subprocess)", got2["load 10k"], 1.5))
    rows.append(Row("validate 10k, first run", got2["validate first 10k"],
                    "ruamel C load (subprocess)", got2["load 10k"], 2.0))

    # 3. status on the shipped plans against importing the stack
    print("bench: status on plans/ against importing the stack", file=sys.stderr)
    status = [pt, "status", "--as-of", AS_OF, "plans"]
    got3 = measure([
        Case("import stack", [python, "-c", "import typer, rich.table, pydantic, ruamel.yaml, "
                              "jinja2"]),
        Case("status warm", status, warm=True),
        Case("status first", status, fresh_cache=True),
    ], runs)
    rows.append(Row("status plans/, warm cache", got3["status warm"],
                    "python -c 'import typer, rich.table, ...'", got3["import stack"], 1.0))
    rows.append(Row("status plans/, first run", got3["status first"],
                    "python -c 'import typer, rich.table, ...'", got3["import stack"], None))

    # 4. the large corpus: linear time, bounded memory. The 10k runs are repeated in the same
    # alternating loop, so that each ratio is taken in one run of the machine.
    print(f"bench: {large_n} tasks", file=sys.stderr)
    factor = large_plans / 100 * 1.1
    pairs = (("overdue warm", overdue, True, False), ("overdue first", overdue, False, True),
             ("validate first", validate, False, True), ("ruamel C load", load, False, False))
    got4 = measure([Case(f"{what} {size}", [*cmd, str(folder)], warm=warm, fresh_cache=fresh)
                    for what, cmd, warm, fresh in pairs
                    for size, folder in (("10k", small), ("large", large))], runs)
    for what, *_ in pairs:
        rows.append(Row(f"{what} {large_n}", got4[f"{what} large"],
                        "the same at 10,000, same loop", got4[f"{what} 10k"], round(factor, 2)))

    # 5. commands being built: report and diff
    listed = commands_listed()
    print("bench: report and diff", file=sys.stderr)
    later: list[Case] = []
    if "report" in listed:
        report = [pt, "report", "plans", "--format", "html", "--period", "week", "--as-of",
                  AS_OF]
        later += [Case("report warm", report, cwd=repo, warm=True),
                  Case("report first", report, cwd=repo, fresh_cache=True)]
        # The Word document lists every overdue task (the corpus is dated so most are).
        docx = [pt, "report", "plans", "--format", "docx", "--period", "week", "--as-of",
                "2030-01-01", "-o", str(repo / "report.docx")]
        later.append(Case("report docx", docx, cwd=repo, warm=True))
    if "import" in listed:
        appendix = appendix_workbook(OUT / "appendix-10k.xlsx", 10_000)
        later.append(Case("import appendix", [pt, "import", str(appendix), "--plan",
                                              "big-2025", "--dry-run"], cwd=repo))
    if "export" in listed:
        later.append(Case("export xlsx", [pt, "export", "plans", "--format", "xlsx",
                                          "--as-of", AS_OF, "-o", str(repo / "plans.xlsx")],
                          cwd=repo, warm=True))
    if "diff" in listed:
        later.append(Case("diff", [pt, "diff", *args.diff_args.split()], cwd=repo,
                          expect=(0, 1)))
    got5 = measure(later, runs) if later else {}
    rows.append(Row("report --format html --period week 10k, warm cache",
                    got5.get("report warm")))
    rows.append(Row("report --format html --period week 10k, first run",
                    got5.get("report first")))
    rows.append(Row("report --format docx, 10k tasks listed, warm cache",
                    got5.get("report docx")))
    rows.append(Row("export --format xlsx 10k, warm cache", got5.get("export xlsx")))
    rows.append(Row("import of a 10,000-row appendix (.xlsx) as a new plan, --dry-run",
                    got5.get("import appendix")))
    rows.append(Row(f"diff {args.diff_args} (10k, git)", got5.get("diff")))

    # 6. edits proportional to the change; the reader's memory per input byte
    print("bench: edits and the reader's memory", file=sys.stderr)
    edit_rows, got6, edit_notes = edits_and_memory(runs)
    rows += edit_rows
    print("bench: a workbook sent back (import --into)", file=sys.stderr)
    rows += office_round_trip(runs)

    # memory bounds
    peak_10k = max((r.result.peak_mb for r in rows if r.result and r.result.rss_mb
                    and "10k" in r.what and not r.what.startswith(("report", "diff"))),
                   default=float("nan"))
    peak_large = max((got4[k].peak_mb for k in got4 if got4[k].rss_mb and k.endswith(" large")
                      and not k.startswith("ruamel")), default=float("nan"))
    memory = (f"Peak RSS of overdue, validate and status: {peak_10k:.0f} MB at 10,000 tasks "
              f"(target < 150: {'met' if peak_10k < 150 else 'NOT met'}), "
              f"{peak_large:.0f} MB at {large_n} tasks "
              f"(target < 1024: {'met' if peak_large < 1024 else 'NOT met'}).")

    text = table(rows)
    if any(r.result and r.result.cache_grew for r in rows):
        text += ("\n\n† some warm runs missed the cache: plantrack's source changed during the "
                 "run (the cache key includes every module's mtime), so that median mixes in "
                 "first runs. Run again on a quiet tree.")
    memory += "\n\n" + "\n".join(edit_notes)
    print(text)
    print(memory)
    if "taskwarrior_import_s" in extra:
        print(f"(task import of {extra['taskwarrior_tasks']} tasks took "
              f"{extra['taskwarrior_import_s']} s, once)")
    prof = ""
    if not (args.quick or args.no_profile):
        print("bench: profiling", file=sys.stderr)
        prof = profile(small)
    lines = ["# Results", "", *(f"- {k}: {v}" for k, v in info.items()),
             f"- runs per measure: {runs}", "", text, "", memory, ""]
    if extra:
        lines += [f"- {k}: {v}" for k, v in extra.items()] + [""]
    if prof:
        lines += ["## Profiles", "", prof, ""]
    (OUT / "results.md").write_text("\n".join(lines), encoding="utf-8")
    everything = {"machine": info, "runs": runs, "extra": extra, "results": {
        label: {"median_s": r.median, "seconds": r.seconds, "peak_mb": r.peak_mb,
                "errors": r.errors}
        for group in (got, got2, got3, got4, got5, got6) for label, r in group.items()}}
    (OUT / "results.json").write_text(json.dumps(everything, indent=2))
    print(f"bench: written {(OUT / 'results.md').relative_to(ROOT)} and results.json",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    ensure_venv(sys.argv[1:])
    sys.exit(main(sys.argv[1:]))
