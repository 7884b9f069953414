"""Plans as they stood at a git revision, read straight from the object database.

Every read goes through a handful of git processes whatever the number of files: one
`git ls-tree` to list a revision's plan files and one `git cat-file --batch` for all their
blobs. Nothing here changes the repository or its working tree.

Revisions and paths come from the command line and from the repository (file names of a
pull request), so none can pass for an option: a revision is verified as a commit
(`resolve`) and only its commit id reaches other git commands, after `--end-of-options`
(git 2.24 and later); paths go after `--` and are read literally (`--literal-pathspecs`),
so that `*` or `:(glob)` in a file's name matches that file only.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from plantrack.domain.model import SourcedPlan
from plantrack.problems import Problem, UsageError
from plantrack.read.discover import DEFAULT_FOLDER, is_plan_file
from plantrack.read.limits import MAX_BYTES
from plantrack.read.yamlread import Marks


class PlansAt(list[SourcedPlan]):
    """The plans read at one revision, with what callers may need beside them.

    `problems` holds every problem of every file (a file whose plan did not parse is not in
    the list; its problems say why); `marks` gives the source positions of each file read,
    by its repository-relative path; `broken` names the files whose plan did not parse.
    """

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []
        self.marks = _LazyMarks()
        self.broken: set[str] = set()


class _LazyMarks(Mapping[str, Marks]):
    """Source positions by path, read from a file's bytes only when asked for: plans come
    from the cache, and positions are needed only for the problems a check finds."""

    def __init__(self) -> None:
        self.raw: dict[str, bytes] = {}
        self.read: dict[str, Marks] = {}

    def __getitem__(self, path: str) -> Marks:
        if path not in self.read:
            from plantrack.read.yamlread import read_yaml

            self.read[path] = read_yaml(self.raw[path], path).marks
        return self.read[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


def _run(repo: Path, args: list[str], stdin: bytes | None = None) -> bytes:
    """Run one git command in `repo`; its complaint becomes a UsageError (exit 2)."""
    try:
        done = subprocess.run(["git", "--literal-pathspecs", "-C", str(repo), *args],
                              input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise UsageError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def repo_root(path: Path) -> Path | None:
    """The top folder of the work tree holding `path`, or None outside a git repository."""
    folder = path if path.is_dir() else path.parent
    try:
        out = _run(folder, ["rev-parse", "--show-toplevel"])
    except UsageError:
        return None
    text = out.decode("utf-8", "replace").strip()
    return Path(text) if text else None


_COMMIT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def resolve(repo: Path, rev: str) -> str:
    """The commit id `rev` names; a UsageError naming it when there is none. A revision
    starting with `-` is refused: it would read as an option to whatever git command saw it."""
    if rev.startswith("-") or not rev:
        raise UsageError(f"unknown revision {rev!r}: a revision cannot start with '-'"
                         if rev else "an empty revision")
    try:
        out = _run(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options",
                          f"{rev}^{{commit}}"])
    except UsageError:
        raise UsageError(f"unknown revision {rev!r}") from None
    return out.decode().strip()


def revision_at(repo: Path, when: dt.datetime, head: str = "HEAD") -> str | None:
    """The last commit in `head`'s history committed at or before `when` (naive: local
    time)."""
    try:
        _run(repo, ["rev-parse", "--verify", "--quiet", f"{head}^{{commit}}"])
    except UsageError:
        return None  # a repository with no commits yet
    out = _run(repo, ["rev-list", "-1", f"--before={when.isoformat()}", "--end-of-options",
                      head, "--"])
    return out.decode().strip() or None


def commit_time(repo: Path, rev: str) -> dt.datetime:
    """The committer date of `rev`, timezone-aware: the moment the diff judges a head on."""
    out = _run(repo, ["show", "-s", "--format=%cI", "--end-of-options", resolve(repo, rev),
                      "--"])
    return dt.datetime.fromisoformat(out.decode().strip())


def default_branch(repo: Path) -> str:
    """origin/HEAD when set, else main, else master; HEAD when there is none of them."""
    try:
        ref = _run(repo, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])
        return ref.decode().strip()
    except UsageError:
        pass
    for name in ("main", "master"):
        try:
            _run(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options",
                        f"refs/heads/{name}"])
            return name
        except UsageError:
            continue
    return "HEAD"


def merge_base(repo: Path, one: str, other: str) -> str:
    ids = resolve(repo, one), resolve(repo, other)
    try:
        return _run(repo, ["merge-base", "--end-of-options", *ids]).decode().strip()
    except UsageError:
        raise UsageError(f"{one} and {other} have no common ancestor") from None


def read_blobs(repo: Path, names: list[str]) -> list[bytes | None]:
    """The content of each object name (a blob id or `rev:path`), through one git process.

    None stands for a name that names no object.
    """
    if not names:
        return []
    if any("\n" in name for name in names):
        raise UsageError("an object name holds a line break")
    sizes = _blob_sizes(repo, names)
    wanted = [n for n, size in zip(names, sizes, strict=True) if size is not None
              and size <= MAX_BYTES]
    read = dict(zip(wanted, _read_batch(repo, wanted), strict=True)) if wanted else {}
    # A blob past the format's size limit is not read: what stands for it is just long enough
    # for the reader to report the file as too large.
    return [None if size is None else read.get(name) if size <= MAX_BYTES
            else bytes(MAX_BYTES + 1) for name, size in zip(names, sizes, strict=True)]


def _blob_sizes(repo: Path, names: list[str]) -> list[int | None]:
    """The size of each name's blob; None for a name that names no blob."""
    out = _run(repo, ["cat-file", "--batch-check=%(objecttype) %(objectsize)"],
               "".join(f"{n}\n" for n in names).encode())
    sizes: list[int | None] = []
    for line in out.decode("utf-8", "replace").splitlines()[:len(names)]:
        kind, _, size = line.rpartition(" ")
        sizes.append(int(size) if kind == "blob" and size.isdigit() else None)
    return sizes


def _read_batch(repo: Path, names: list[str]) -> list[bytes | None]:
    out = _run(repo, ["cat-file", "--batch"], "".join(f"{n}\n" for n in names).encode())
    blobs: list[bytes | None] = []
    pos = 0
    for _ in names:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[-1] == b"missing" or header[1] != b"blob":
            blobs.append(None)
            if len(header) >= 3 and header[1] != b"blob":
                pos += int(header[2]) + 1  # a tree or commit: skip its body
            continue
        size = int(header[2])
        blobs.append(out[pos:pos + size])
        pos += size + 1
    return blobs


def plan_blobs(repo: Path, rev: str, paths: list[str] | None = None) -> list[tuple[str, str]]:
    """(path, object name) of the plan files at `rev` under `paths` (default: plans/), by the
    rule of `discover.is_plan_file`. A symlink counts as the file it points to inside the
    tree (read with `git cat-file --follow-symlinks`), as the working tree reads it; a file
    reached twice, through a link and by its own name, counts once, under the first name in
    path order, as `discover.plan_files` does."""
    specs = paths or [DEFAULT_FOLDER]
    commit = _commit_id(repo, rev)
    out = _run(repo, ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit, "--",
                      *specs])
    entries: dict[str, tuple[bytes, str]] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, blob_id = meta.split()
        path = name.decode("utf-8", "surrogateescape")
        if kind == b"blob" and any(is_plan_file(path, spec) for spec in specs):
            entries[path] = (mode, blob_id.decode())
    links = [p for p, (mode, _) in entries.items() if mode == b"120000"]
    resolved = dict(zip(links, _link_targets(repo, commit, links), strict=True))
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    through_links: set[str] = set()
    for path in sorted(entries):
        blob = resolved[path] if path in resolved else entries[path][1]
        if blob is None or blob in through_links or (path in resolved and blob in seen):
            continue  # dangling, a folder, outside the tree, or read under another name
        seen.add(blob)
        if path in resolved:
            through_links.add(blob)
        found.append((path, blob))
    return found


def _commit_id(repo: Path, rev: str) -> str:
    """`rev` when it is a commit id already (as `resolve` gives), else `resolve(repo, rev)`."""
    return rev if _COMMIT_ID.fullmatch(rev) else resolve(repo, rev)


def _link_targets(repo: Path, rev: str, links: list[str]) -> list[str | None]:
    """The blob each symlink at `rev` resolves to inside the tree, or None when it is
    dangling, a loop, a folder or outside the repository."""
    if not links:
        return []
    if any("\n" in link for link in links):
        raise UsageError("a file name holds a line break")
    names = "".join(f"{rev}:{link}\n" for link in links)
    out = _run(repo, ["cat-file", "--batch-check=%(objectname) %(objecttype)",
                      "--follow-symlinks"], names.encode("utf-8", "surrogateescape"))
    lines = iter(out.split(b"\n"))
    targets: list[str | None] = []
    for _ in links:
        header = next(lines, b"").split()
        if len(header) == 2 and header[1] == b"blob":
            targets.append(header[0].decode())
            continue
        targets.append(None)
        if header and header[0] in (b"dangling", b"loop", b"notdir", b"symlink"):
            next(lines, None)  # these answers carry a name on a second line
    return targets


def config_at(repo: Path, rev: str | None, folder: str) -> tuple[str, bytes] | None:
    """(path, bytes) of the `.plantrack.yaml` governing `folder` (repository-relative) at
    `rev`, or in the working tree when `rev` is None: the nearest one walking up to the
    repository's top, as `config.find` does on disk."""
    from plantrack.checks.config import CONFIG_NAME

    parts = [p for p in folder.strip("/").split("/") if p and p != "."]
    candidates = [posixpath.join(*parts[:n], CONFIG_NAME) if n else CONFIG_NAME
                  for n in range(len(parts), -1, -1)]
    if rev is None:
        for name in candidates:
            if (repo / name).is_file():
                return name, (repo / name).read_bytes()
        return None
    found = read_blobs(repo, [f"{resolve(repo, rev)}:{name}" for name in candidates])
    return next(((name, raw) for name, raw in zip(candidates, found, strict=True)
                 if raw is not None), None)


def _parse_into(result: PlansAt, path: str, raw: bytes) -> None:
    from plantrack.checks.loader import check_bytes

    plan, problems, digest = check_bytes(raw, path)
    result.problems.extend(problems)
    result.marks.raw[path] = raw
    if plan is None:
        result.broken.add(path)
    else:
        result.append(SourcedPlan(path, plan, digest))



def plans_at(repo: Path, rev: str, paths: list[str] | None = None) -> PlansAt:
    """The plans at revision `rev`, parsed; `paths` are repository-relative files or folders."""
    commit = resolve(repo, rev)
    listed = plan_blobs(repo, commit, paths)
    result = PlansAt()
    for (path, _), raw in zip(listed, read_blobs(repo, [b for _, b in listed]), strict=True):
        if raw is not None:
            _parse_into(result, path, raw)
    return result


def plans_in_worktree(repo: Path, paths: list[str] | None = None) -> PlansAt:
    """The plans as the working tree holds them now, committed or not, same shape as plans_at."""
    result = PlansAt()
    for path in worktree_files(repo, paths):
        try:
            raw = (repo / path).read_bytes()
        except OSError as exc:
            raise UsageError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
        _parse_into(result, path, raw)
    return result


def worktree_files(repo: Path, paths: list[str] | None = None) -> list[str]:
    """Repository-relative plan files under `paths` (default: plans/) in the working tree,
    as `discover.plan_files` finds them for status (symlinks followed)."""
    from plantrack.read.discover import plan_files

    names = [str(repo / spec) for spec in paths or [DEFAULT_FOLDER]]
    return sorted(Path(os.path.relpath(f, repo)).as_posix() for f in plan_files(names, False))


@dataclass
class Commit:
    sha: str
    date: dt.datetime
    author: str
    subject: str
    path: str  # the file's path in this commit (it follows renames)
    deleted: bool = False


def file_log(repo: Path, path: str, rev: str = "HEAD") -> list[Commit]:
    """The commits that touched `path` up to `rev`, oldest first, following renames."""
    fmt = "%x1e%H%x1f%aI%x1f%an%x1f%s"
    out = _run(repo, ["log", "--follow", "--name-status", "-z", f"--format={fmt}",
                      "--end-of-options", resolve(repo, rev), "--", path]
               ).decode("utf-8", "surrogateescape")
    commits = []
    for record in out.split("\x1e"):
        if not record.strip("\0\n"):
            continue
        head, _, changes = record.partition("\n")
        sha, date, author, subject = head.rstrip("\0").split("\x1f", 3)
        fields = [f for f in changes.strip("\n").split("\0") if f]
        status = fields[0] if fields else "M"
        name = fields[-1] if fields else path
        commits.append(Commit(sha, dt.datetime.fromisoformat(date), author, subject, name,
                              deleted=status.startswith("D")))
    commits.reverse()
    return commits


# Shallow clones (a CI checkout of depth 1, for instance) hold only the newest commits: what
# reads older history says so plainly instead of comparing with nothing.

SHALLOW_FIX = ("fetch the full history (fetch-depth: 0 in GitHub Actions, GIT_DEPTH: 0 in "
               "GitLab CI, or git fetch --unshallow)")


def shallow_message(unreadable: str) -> str:
    """The plain sentence for a shallow history: `unreadable` names what cannot be read."""
    return (f"the git history is shallow (a CI checkout with depth 1, for example), so "
            f"{unreadable} cannot be read; {SHALLOW_FIX}")


def is_shallow(repo: Path) -> bool:
    """Whether the repository is a shallow clone, its older commits left out."""
    try:
        out = _run(repo, ["rev-parse", "--is-shallow-repository"])
    except UsageError:
        return False
    return out.decode().strip() == "true"


def history_cut_after(repo: Path, when: dt.datetime) -> bool:
    """Whether a shallow history is cut at a commit made after `when` (naive: local time).

    The commits the cut leaves out may then include the last one at or before `when`, so
    what changed since `when` cannot be read. A cut at or before `when` hides nothing newer.
    """
    if not is_shallow(repo):
        return False
    where = _run(repo, ["rev-parse", "--git-path", "shallow"]).decode().strip()
    try:
        cuts = (repo / where).read_text(encoding="ascii").split()
    except OSError:
        return True  # shallow, but the cut cannot be told: assume the worst
    if not cuts:
        return False
    cuts = [cut for cut in cuts if _COMMIT_ID.fullmatch(cut)]
    if not cuts:
        return True
    out = _run(repo, ["log", "--no-walk=unsorted", "--format=%ct", "--end-of-options", *cuts,
                      "--"])
    limit = when.timestamp()
    return any(int(stamp) > limit for stamp in out.decode().split())


def shallow_note(repo: Path) -> str | None:
    """The warning for commands that read older commits (diff, history) in a shallow clone,
    without the `plantrack: warning: ` prefix; None when the history is complete."""
    if not is_shallow(repo):
        return None
    return shallow_message("commits older than the clone's depth")


def first_parent_log(repo: Path, head: str = "HEAD") -> list[tuple[str, dt.datetime]]:
    """`head`'s first-parent history, oldest first: each commit id with its committer date;
    empty for a repository with no commits."""
    try:
        _run(repo, ["rev-parse", "--verify", "--quiet", f"{head}^{{commit}}"])
    except UsageError:
        return []
    out = _run(repo, ["log", "--first-parent", "--reverse", "--format=%H %cI",
                      "--end-of-options", head, "--"])
    found = []
    for line in out.decode().splitlines():
        sha, _, when = line.partition(" ")
        if sha and when:
            found.append((sha, dt.datetime.fromisoformat(when)))
    return found


def first_parent_commits(repo: Path, after: str | None = None, head: str = "HEAD"
                         ) -> list[Commit]:
    """`head`'s first-parent commits after `after` (all when None), oldest first, with
    author and subject; `path` is empty."""
    try:
        _run(repo, ["rev-parse", "--verify", "--quiet", f"{head}^{{commit}}"])
    except UsageError:
        return []
    span = f"{resolve(repo, after)}..{head}" if after else head
    # NUL ends each field and, with -z, each commit: no subject can hold one.
    out = _run(repo, ["log", "-z", "--first-parent", "--reverse", "--format=%H%x00%cI%x00%an%x00%s",
                      "--end-of-options", span, "--"])
    fields = out.decode("utf-8", "replace").split("\0")
    commits = []
    for at in range(0, len(fields) - 3, 4):
        sha, when, author, subject = fields[at:at + 4]
        commits.append(Commit(sha.strip("\n"), dt.datetime.fromisoformat(when), author,
                              subject, ""))
    return commits


def is_ancestor(repo: Path, older: str, newer: str = "HEAD") -> bool:
    """Whether commit `older` is in `newer`'s history (False when it is unknown)."""
    if not _COMMIT_ID.fullmatch(older):
        return False
    try:
        _run(repo, ["merge-base", "--is-ancestor", older, newer])
    except UsageError:
        return False
    return True
