"""Hostile plan text through every command and format: nothing it holds reaches the output raw.

Plans come from pull requests and CI prints what plantrack says of them, so a title, an
owner's name, a note, a tag, a commit message or a file name may try to colour the log,
link elsewhere (OSC 8), reorder what a reader sees (bidi overrides), start a workflow
command on a line of its own (GitHub, Azure Pipelines, GitLab), be a spreadsheet formula or
mention someone in a pull-request comment. JSON is data: it keeps every string exact.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from plantrack.git import repo as gitread
from plantrack.problems import UsageError
from tests.conftest import WritePlan, plan_text
from tests.gitrepo import GitRepo
from tests.test_cli import run

AS_OF = "2025-07-01"

HAZARDS = {
    "ansi": "\x1b[31mred\x1b[0m",
    "osc8": "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
    "csi8": "\x9b2J",
    "bidi": "\u202eevil\u202c",
    "isolate": "\u2066iso\u2069",
    "command": "x\n::error::x",
    "mask": "::add-mask::secret",
    "legacy": "##[error]boom",
    "azure": "##vso[task.setvariable variable=x]1",
    "gitlab": "section_start:1:x\r\x1b[0K",
    "gitlab_end": "section_end:1:x",
    "formula": '=HYPERLINK("http://x")',
    "mention": "@user",
    "issue": "#123",
    "gh": "GH-45",
    "cross": "octo/repo#7",
}
TAIL = " and a rather long tail of words for the narrow terminal to wrap ::warning::w"
TITLE = " ".join(HAZARDS.values()) + TAIL
OWNER_NAME = "Dept \x1b]8;;http://evil\x07 \x9b31m\n::error::owner ##vso[task.complete]"
NOTES = "note\n::error::n \u2066iso\u2069 section_end:1:x @team"
TAG = "\x1b[31mtag"
UPDATE_NOTE = "up\n##[group]g \x1b[31m"
FORMULA_TITLES = ('=HYPERLINK("http://x")', " =1+2", "+1", "-1", "@SUM(A1)", "\t=1")

# Characters no text output may hold raw (a line feed ends lines; nothing else of C0).
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                       "\u2066-\u2069\u2028\u2029]")
MARKERS = ("::", "##[", "##vso[", "section_start:", "section_end:")
# Plantrack's own workflow commands, in the github format.
OWN_COMMAND = re.compile(r"::(error|warning) file=[^:]*?(,line=\d+,col=\d+)?,"
                         r"title=plantrack [a-z-]+::")


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: the control characters written as escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7f <= ord(char) <= 0x9f:
            out.append(f"\\x{ord(char):02x}")
        elif not char.isprintable():
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def hostile_tasks(title: str = TITLE) -> str:
    tasks = [f"""\
- id: T-1
  title: {yaml_quoted(title)}
  owner: evil
  due: 2025-06-30
  tags: [{yaml_quoted(TAG)}, {yaml_quoted("##vso[task.complete]")}, "@team"]
  notes: {yaml_quoted(NOTES)}
  status: in_progress
  updates:
    - {{date: 2025-05-25, progress: 20, note: {yaml_quoted(UPDATE_NOTE)}}}
"""]
    tasks += [f"""\
- id: F-{n}
  title: {yaml_quoted(formula)}
  owner: dost
  due: 2025-06-30
""" for n, formula in enumerate(FORMULA_TITLES)]
    return "".join(tasks)


def hostile_plan(tasks: str | None = None) -> str:
    text = plan_text(hostile_tasks() if tasks is None else tasks, "evil-2025")
    owner = f"  evil: {yaml_quoted(OWNER_NAME)}\n"
    return (text.replace("owners:\n", "owners:\n" + owner)
            .replace("title: Example plan", "title: " + yaml_quoted("Plan " + HAZARDS["bidi"])))


def assert_inert(out: str, github: bool = False) -> None:
    """No raw control or bidi character, and no line that starts a workflow command, nor
    (for Azure, which finds `##vso[` anywhere in a line) a marker anywhere in the text."""
    bad = FORBIDDEN.findall(out)
    assert not bad, f"raw {bad!r} in {out!r}"
    for line in out.split("\n"):
        stripped = line.lstrip()
        if github and line.startswith("::"):
            assert OWN_COMMAND.match(line), line
            stripped = OWN_COMMAND.sub("", line, count=1).lstrip()  # its message: `::` is text
            assert not stripped.startswith(MARKERS[1:]), line
            continue
        assert not stripped.startswith(MARKERS), line
    lowered = out.lower()
    for marker in MARKERS[1:]:
        assert marker not in lowered, marker


def assert_no_references(out: str) -> None:
    """Markdown: no mention or issue reference, even once GitHub decodes the entities."""
    decoded = html.unescape(out)
    for reference in ("@user", "@team", "#123", "GH-45", "repo#7"):
        assert reference not in decoded, reference


def assert_csv_safe(out: str) -> None:
    for row in csv.reader(io.StringIO(out)):
        for cell in row:
            if re.fullmatch(r"-?\d+(\.\d+)?", cell):
                continue  # a number, as the record holds it
            assert not cell.lstrip().startswith(("=", "+", "-", "@", "\t", "\r")), cell


def json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in [*value.keys(), *value.values()] for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


@pytest.fixture
def plan_file(write_plan: WritePlan) -> Path:
    return write_plan(raw=hostile_plan(), plan_id="evil-2025")


WIDTHS = [None, "40", "24", "200"]
READ_COMMANDS = [["list"], ["overdue"], ["status"], ["show", "T-1"]]


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_print_nothing_hostile(plan_file: Path, command: list[str], fmt: str,
                                             columns: str | None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)  # as in a pipe: no wrapping
    else:
        monkeypatch.setenv("COLUMNS", columns)
    code, out, err = run(*command, str(plan_file), "--as-of", AS_OF, "-f", fmt)
    assert code == 0, err
    assert "red" in out or "evil" in out  # the hostile text is there, made inert
    assert_inert(out)
    assert_inert(err)
    if fmt == "markdown":
        assert_no_references(out)
    if fmt == "csv":
        assert_csv_safe(out)


def test_narrow_tables_wrap_the_title_over_many_lines(plan_file: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    _, out, _ = run("list", str(plan_file), "--as-of", AS_OF)
    lines = out.split("\n")
    assert len(lines) > 12  # the title of T-1 wraps: each piece starts a line
    assert any(line.lstrip().startswith(":\u200b:") for line in lines)


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_json_keeps_every_string_exact(plan_file: Path, command: list[str]) -> None:
    code, out, err = run(*command, str(plan_file), "--as-of", AS_OF, "-f", "json")
    assert code == 0, err
    assert not FORBIDDEN.findall(out.replace("\n", "").replace(" ", ""))
    strings = set(json_strings(json.loads(out)))
    if command[0] == "status":
        assert OWNER_NAME in strings and TITLE in strings
        return
    assert TITLE in strings
    if command[0] == "show":
        assert {OWNER_NAME, NOTES, TAG, UPDATE_NOTE} <= strings
    elif command[0] == "list":
        assert {OWNER_NAME, TAG} <= strings


def test_csv_cells_are_never_formulas(plan_file: Path) -> None:
    _, out, _ = run("list", str(plan_file), "--as-of", AS_OF, "-f", "csv")
    titles = {row["id"]: row["title"] for row in csv.DictReader(io.StringIO(out))}
    assert titles["F-0"] == "'" + FORMULA_TITLES[0]
    assert titles["F-1"] == "' =1+2"
    assert titles["F-5"] == "' =1"
    assert all(titles[f"F-{n}"].startswith("'") for n in range(len(FORMULA_TITLES)))


BROKEN = f"""\
- id: T-1
  title: t
  owner: {yaml_quoted(HAZARDS["ansi"] + " " + HAZARDS["mask"] + " " + HAZARDS["bidi"])}
  due: 2025-06-30
  status: {yaml_quoted(HAZARDS["osc8"] + HAZARDS["command"] + " " + HAZARDS["azure"])}
  depends_on: [{yaml_quoted(HAZARDS["csi8"] + HAZARDS["gitlab"] + HAZARDS["legacy"])}]
"""


@pytest.mark.parametrize("columns", [None, "40"])
@pytest.mark.parametrize("fmt", ["text", "github", "auto"])
def test_validate_messages_quoting_plan_text_are_inert(write_plan: WritePlan, fmt: str,
                                                       columns: str | None,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    path = write_plan(raw=plan_text(BROKEN, "bad-2025"), plan_id="bad-2025")
    code, out, err = run("validate", str(path), "-f", fmt)
    assert code == 1
    assert out.count("\n") >= 3  # the owner, the status and the dependency
    assert_inert(out, github=fmt == "github")
    assert_inert(err)
    if fmt == "github":
        assert all(OWN_COMMAND.match(line) for line in out.splitlines())


def test_validate_json_keeps_the_messages_exact(write_plan: WritePlan) -> None:
    path = write_plan(raw=plan_text(BROKEN, "bad-2025"), plan_id="bad-2025")
    _, out, _ = run("validate", str(path), "-f", "json")
    assert not FORBIDDEN.findall(out.replace("\n", ""))
    messages = " ".join(p["message"] for p in json.loads(out))
    assert "::add-mask::secret" in messages  # quoted as the check quotes it


def test_reading_commands_print_problems_inert(write_plan: WritePlan) -> None:
    path = write_plan(raw=plan_text(BROKEN, "bad-2025"), plan_id="bad-2025")
    for command in (["list"], ["status"], ["show", "T-1"]):
        _, out, err = run(*command, str(path), "--as-of", AS_OF)
        assert "error" in err
        assert_inert(out)
        assert_inert(err)


# Git: diff and history over a pull request's commits, hostile file name and commit too.

HOSTILE_FILE = "plans/\x1b[31m::error::f *.yaml"
COMMIT_MESSAGE = "evil \x1b[31msubject\n::error::c ##vso[task.complete] \u202eback"
AUTHOR = "\x1b]8;;http://evil\x07Mallory ::add-mask::x"


@pytest.fixture
def pr_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    plain = hostile_plan(hostile_tasks("plain title"))
    plain = plain.replace(yaml_quoted(NOTES), "plain").replace(yaml_quoted(UPDATE_NOTE), "u")
    repo.write(HOSTILE_FILE, plain)
    repo.write("plans/other-2025.yaml", plan_text(
        "- id: O-1\n  title: other\n  owner: dost\n  due: 2025-06-30\n", "other-2025"))
    repo.commit("base")
    repo.write(HOSTILE_FILE, hostile_plan())
    repo.git("add", "-A")
    repo.git("-c", f"user.name={AUTHOR}", "commit", "-q", "-m", COMMIT_MESSAGE)
    return repo


@pytest.mark.parametrize("columns", [None, "40"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_diff_prints_nothing_hostile(pr_repo: GitRepo, fmt: str, columns: str | None,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    code, out, err = run("diff", "HEAD~1", "HEAD", "-f", fmt, "--check", cwd=pr_repo.root)
    assert code in (0, 1), err
    assert "T-1" in out
    assert_inert(out)
    assert_inert(err)
    if fmt == "markdown":
        assert_no_references(out)


def test_diff_check_annotations_under_github_actions(pr_repo: GitRepo,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pr_repo.write(HOSTILE_FILE, "tasks: [\n")  # unreadable: the head's errors are annotated
    pr_repo.commit("break it")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = run("diff", "HEAD~1", "HEAD", "--check", cwd=pr_repo.root)
    assert code == 1
    assert err.startswith("::error file=plans/\ufffd[31m%3A%3Aerror%3A%3Af *.yaml")
    assert_inert(out)
    assert_inert(err, github=True)


def test_diff_json_keeps_the_text_exact(pr_repo: GitRepo) -> None:
    code, out, err = run("diff", "HEAD~1", "HEAD", "-f", "json", cwd=pr_repo.root)
    assert code == 0, err
    assert not FORBIDDEN.findall(out.replace("\n", ""))
    data = json.loads(out)
    strings = set(json_strings(data))
    assert {TITLE, NOTES, HOSTILE_FILE} <= strings
    assert data["plans"][0]["head_path"] == HOSTILE_FILE


@pytest.mark.parametrize("columns", [None, "40"])
def test_history_prints_nothing_hostile(pr_repo: GitRepo, columns: str | None,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    code, out, err = run("history", "evil-2025/T-1", cwd=pr_repo.root)
    assert code == 0, err
    assert "Mallory" in out and "subject" in out
    assert_inert(out)
    assert_inert(err)


def test_history_json_keeps_the_text_exact(pr_repo: GitRepo) -> None:
    code, out, err = run("history", "evil-2025/T-1", "-f", "json", cwd=pr_repo.root)
    assert code == 0, err
    assert not FORBIDDEN.findall(out.replace("\n", ""))
    data = json.loads(out)
    assert data["path"] == HOSTILE_FILE
    last = data["history"][-1]
    assert last["author"].endswith("Mallory ::add-mask::x")  # git drops some controls itself
    assert last["message"] == COMMIT_MESSAGE.replace("\n", " ")  # %s: the subject, one line
    assert TITLE in json_strings(last["changes"])


# Git arguments: a revision never passes for an option, a path is only ever a path.

@pytest.mark.parametrize("rev", ["--output={out}", "-p", "--all", "--output", "-",
                                 "--exec=touch {out}"])
def test_history_refuses_a_revision_like_an_option(pr_repo: GitRepo, tmp_path: Path,
                                                   rev: str) -> None:
    target = tmp_path / "written"
    code, out, err = run("history", "evil-2025/T-1", "--rev", rev.format(out=target),
                         cwd=pr_repo.root)
    assert code == 2
    assert out == ""
    assert "revision" in err
    assert not target.exists()


@pytest.mark.parametrize("rev", ["--output={out}", "-p", "--all"])
def test_diff_refuses_a_revision_like_an_option(pr_repo: GitRepo, tmp_path: Path,
                                                rev: str) -> None:
    target = tmp_path / "written"
    # After `--` Click takes it for an argument; plantrack takes what follows for paths,
    # so the revision is given the one way a user could: as BASE with `=` style values.
    code, _, _ = run("diff", rev.format(out=target), "HEAD", cwd=pr_repo.root)
    assert code == 2
    assert not target.exists()


@pytest.mark.parametrize("rev", ["--output={out}", "-p", "--all", "--stdin"])
def test_git_reads_refuse_a_revision_like_an_option(pr_repo: GitRepo, tmp_path: Path,
                                                    rev: str) -> None:
    target = tmp_path / "written"
    rev = rev.format(out=target)
    root = pr_repo.root
    calls = [
        lambda: gitread.resolve(root, rev),
        lambda: gitread.plans_at(root, rev),
        lambda: gitread.plan_blobs(root, rev),
        lambda: gitread.file_log(root, HOSTILE_FILE, rev),
        lambda: gitread.commit_time(root, rev),
        lambda: gitread.merge_base(root, rev, "HEAD"),
        lambda: gitread.merge_base(root, "HEAD", rev),
        lambda: gitread.config_at(root, rev, "plans"),
    ]
    for call in calls:
        with pytest.raises(UsageError, match="revision"):
            call()
    assert not target.exists()


def test_paths_named_like_options_are_paths(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    for folder in ("-p", "--all"):
        repo.write(f"{folder}/dash-2025.yaml", plan_text(
            "- id: D-1\n  title: one\n  owner: dost\n  due: 2025-06-30\n", "dash-2025"))
    repo.write("--output=x.yaml", plan_text(
        "- id: D-1\n  title: one\n  owner: dost\n  due: 2025-06-30\n", "out-2025"))
    repo.commit("base")
    for folder in ("-p", "--all"):
        repo.write(f"{folder}/dash-2025.yaml", plan_text(
            "- id: D-1\n  title: two\n  owner: dost\n  due: 2025-06-30\n", "dash-2025"))
    repo.commit("change")
    for name in ("-p", "--all", "--output=x.yaml"):
        code, out, err = run("diff", "HEAD~1", "HEAD", "--", name, cwd=repo.root)
        assert code == 0, err
        assert ("title 'one' -> 'two'" in out) == (name != "--output=x.yaml"), out
        code, out, err = run("history", "dash-2025/D-1" if name != "--output=x.yaml"
                             else "out-2025/D-1", f"--plans={name}", cwd=repo.root)
        assert code == 0, err
        assert f"in {name}" in out.splitlines()[0]
    assert not (repo.root / "x.yaml").exists()


def test_a_glob_in_a_file_name_matches_that_file_only(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "repo")
    text = plan_text("- id: G-1\n  title: one\n  owner: dost\n  due: 2025-06-30\n", "g-2025")
    repo.write("plans/g-2025.yaml", text)
    repo.commit("the plan")
    repo.write("plans/*.yaml", text.replace("g-2025", "star-2025"))
    repo.commit("a file named with a glob")
    repo.write("plans/g-2025.yaml", text.replace("title: one", "title: two"))
    repo.commit("another file changed")
    commits = gitread.file_log(repo.root, "plans/*.yaml")
    assert "another file changed" not in [c.subject for c in commits]
    assert commits[-1].subject == "a file named with a glob"


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_reports_carry_no_control_or_bidi_character(plan_file: Path, fmt: str) -> None:
    code, out, err = run("report", str(plan_file), "--as-of", AS_OF, "--format", fmt)
    assert code == 0, err
    assert "evil" in out or "red" in out
    assert not FORBIDDEN.findall(out), FORBIDDEN.findall(out)[:3]
