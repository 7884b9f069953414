"""Problems in Vietnamese: `validate --lang vi` and the edit commands say what is wrong in
Vietnamese, while the location, the severity word and the `[code]` stay as editors and
problem matchers read them; English and JSON output are unchanged."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from plantrack.domain.deadlines import DATE_WORDS as DEADLINE_DATE_WORDS
from plantrack.problems import Message, Problem, message
from plantrack.read import cache
from plantrack.read.schema import _TYPE_WORDS, _WHERE
from plantrack.read.yamlread import DATE_WORDS, SYNTAX_WORDS
from tests.test_cli import run
from tests.vi_words import english_in

SRC = Path(__file__).resolve().parents[1] / "src" / "plantrack"
CATALOGUE = SRC / "locale" / "vi" / "LC_MESSAGES" / "plantrack-problems.po"

HOSTILE = """\
plantrack: 1
id: hostile-2025
title: Hostile plan
issued: 2025-02-19
timezone: Asia/Ho_Chi_Minh
owners:
  dost: Department of Science and Technology
  finance: Department of Finance
tasks:
  - id: HT-01
    title: A misspelt key
    owner: dost
    due: 2025-06-30
    asignee: dost
  - id: HT-02
    title: A date that is not one
    owner: dost
    due: 2025-06-30
    start: 2025-13-45
  - id: HT-03
    title: An owner misspelt and a quarter that is not one
    owner: dosst
    due: 2025-Q5
  - id: HT-04
    title: Too much progress
    owner: finance
    due: 2025-09-30
    progress: 150
  - id: HT-01
    title: The same id twice
    owner: finance
    due: 2025-10-31
  - id: HT-06
    title: No deadline yet
    owner: finance
    due: tbd
  - id: HT-07
    title: An owner nobody knows
    owner: nobody
    due: 2025-12-31
    depends_on: [HT-99]
  - id: HT-08
    title: Done without a date
    owner: dost
    due: 2025-05-31
    status: done
  - id: HT-09
    title: A rule too often
    owner: dost
    recurs: FREQ=HOURLY
  - id: HT-10
    title: A target
    owner: dost
    due: 2025-12-31
    targets:
      - metric: coverage
        target: lots
        actual: 40%
  - id: HT-11
    title: Extensions out of order
    owner: dost
    due: 2025-06-30
    status: in_progress
    extensions:
      - {due: 2025-09-30, approved: 2025-07-01}
      - {due: 2025-10-31, approved: 2025-06-01}
  - id: HT-12
    title: Wrong type
    owner: dost
    due: 2025-08-31
    tags: urgent
    hard: maybe
"""

SECOND = """\
plantrack: 1
id: hostile-2025
title: A second plan
owners: {dost: DOST}
tasks:
  - {id: B-01, title: x, owner: dost, due: 2025-06-30, depends_on: [other-2025/X-1]}
  - {id: B-02, title: y, owner: dost, due: 2025-06-30, status: planned,
     completed: 2025-05-01, colour: red}
  - {id: B-03, title: z, owner: dost, due: 2025-02-30}
"""

BROKEN = "plantrack: 1\nid: broken-2025\ntitle: key: value\n"

EDITABLE = """\
plantrack: 1
id: edit-2025
title: A plan to edit
owners:
  dost: Department of Science and Technology
tasks:
  - id: ED-01
    title: Something to do
    owner: dost
    due: 2025-09-30
"""

IDENTIFIERS = [
    "plans/hostile-2025.yaml", "plans/hostile-2025-b.yaml", "plans/broken-2025.yaml",
    "hostile-2025.yaml", "hostile-2025-b", "hostile-2025", "other-2025/X-1", "other-2025",
    *(f"HT-{n:02d}" for n in range(1, 13)), "HT-99", "B-01", "B-02", "B-03",
    "dost", "dosst", "finance", "nobody", "'asignee'", "'colour'", "'coverage'", "'lots'",
    "'planned'", "'urgent'", "'maybe'", "'2025-13-45'", "'2025-Q5'", "'2025-02-30'",
    "'FREQ=HOURLY'", "'tasks[12].tags'", "'tasks[12].hard'", "plantrack",
]
LINE = re.compile(r"^(\S+?:\d+:\d+): (error|warning) \[([a-z0-9-]+)\] (.*)$")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "hostile-2025.yaml").write_text(HOSTILE, encoding="utf-8")
    (plans / "hostile-2025-b.yaml").write_text(SECOND, encoding="utf-8")
    (plans / "broken-2025.yaml").write_text(BROKEN, encoding="utf-8")
    return tmp_path


def _heads(out: str) -> list[tuple[str, str, str]]:
    return [m.groups()[:3] for m in map(LINE.match, out.splitlines()) if m]


def test_validate_in_vietnamese_keeps_locations_severities_and_codes(hostile: Path) -> None:
    code_en, en, err_en = run("validate", "plans", "--no-cache", cwd=hostile)
    code_vi, vi, err_vi = run("validate", "plans", "--no-cache", "--lang", "vi", cwd=hostile)
    assert code_en == code_vi == 1
    heads = _heads(en)
    assert heads == _heads(vi) and len(heads) >= 20
    codes = {code for _, _, code in heads}
    assert {"unknown-key", "bad-date", "unknown-owner", "out-of-range", "duplicate-id",
            "deadline-tbd", "yaml-syntax", "unknown-dependency", "bad-rrule", "wrong-type",
            "completed-not-done", "extensions-order"} <= codes
    assert len(en.splitlines()) == len(vi.splitlines())
    for en_line, vi_line in zip(en.splitlines(), vi.splitlines(), strict=True):
        if en_line.startswith("  hint: "):
            assert vi_line.startswith("  gợi ý: ")
        else:
            head = LINE.match(en_line)
            assert head and vi_line.startswith(en_line[:head.start(4)])
        assert en_line != vi_line
    assert english_in(vi, IDENTIFIERS) == []
    assert err_en.startswith("plantrack: checked 3 file(s), ")
    assert re.fullmatch(r"plantrack: đã kiểm tra 3 tệp, \d+ nhiệm vụ: \d+ lỗi, \d+ cảnh báo\n",
                        err_vi)
    assert english_in(err_vi, IDENTIFIERS) == []


def test_english_and_json_unchanged_by_the_language(hostile: Path) -> None:
    plain = run("validate", "plans", "--no-cache", cwd=hostile)
    assert run("validate", "plans", "--no-cache", "--lang", "en", cwd=hostile) == plain
    _, en_json, _ = run("validate", "plans", "--no-cache", "--format", "json", cwd=hostile)
    _, vi_json, _ = run("validate", "plans", "--no-cache", "--format", "json", "--lang", "vi",
                        cwd=hostile)
    assert vi_json == en_json
    records = json.loads(vi_json)
    assert any(r["message"] == "task id 'HT-01' is used twice (first at line 10)"
               for r in records)
    _, gh_en, _ = run("validate", "plans", "--no-cache", "--format", "github", cwd=hostile)
    _, gh_vi, _ = run("validate", "plans", "--no-cache", "--format", "github", "--lang", "vi",
                      cwd=hostile)
    assert gh_vi == gh_en


def test_messages_from_the_cache_are_still_translated(hostile: Path) -> None:
    cold = run("validate", "plans", "--lang", "vi", cwd=hostile)
    warm = run("validate", "plans", "--lang", "vi", cwd=hostile)
    assert warm == cold and "mã nhiệm vụ 'HT-01' bị dùng hai lần" in warm[1]
    assert run("validate", "plans", cwd=hostile) == run("validate", "plans", "--no-cache",
                                                         cwd=hostile)


def test_a_message_reads_back_from_the_cache_whole() -> None:
    said = message("task %(id)s is in %(where)s", id="'A'", where=message("the plan"))
    problem = Problem("p.yaml", 1, 2, "error", "x", said, message("keep one"))
    back = cache.loads(cache.dumps([problem]))[0]
    assert back == problem and isinstance(back.message, Message)
    assert back.message.template == said.template and back.message.args == said.args
    assert isinstance(back.message.args["where"], Message) and isinstance(back.hint, Message)


def test_lang_of_the_configuration_is_the_default(hostile: Path, tmp_path_factory:
                                                  pytest.TempPathFactory) -> None:
    """(A run reads each folder's configuration once: the configured copy is another folder.)"""
    configured = tmp_path_factory.mktemp("configured")
    (configured / ".git").mkdir()  # the configuration is looked for up to the repository's root
    (configured / ".plantrack.yaml").write_text("lang: vi\n", encoding="utf-8")
    (configured / "plans").mkdir()
    for plan in (hostile / "plans").iterdir():
        (configured / "plans" / plan.name).write_bytes(plan.read_bytes())
    _, vi, _ = run("validate", "plans", "--no-cache", "--lang", "vi", cwd=hostile)
    _, en, _ = run("validate", "plans", "--no-cache", cwd=hostile)
    code, out, err = run("validate", "plans", "--no-cache", cwd=configured)
    assert code == 1 and out == vi and err.startswith("plantrack: đã kiểm tra 3 tệp")
    assert run("validate", "plans", "--no-cache", "--lang", "en", cwd=configured)[1] == en


@pytest.fixture
def editable(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "edit-2025.yaml").write_text(EDITABLE, encoding="utf-8")
    return tmp_path


def test_edit_refusals_in_vietnamese(editable: Path) -> None:
    before = (editable / "plans" / "edit-2025.yaml").read_bytes()
    for args in (["update", "edit-2025/ED-01", "--progress", "150"],
                 ["update", "edit-2025/ED-99", "--progress", "10"],
                 ["done", "edit-2025/ed-01"]):
        code_en, _, err_en = run(*args, cwd=editable)
        code_vi, _, err_vi = run(*args, "--lang", "vi", cwd=editable)
        assert code_en == code_vi == 2, (args, err_en, err_vi)
        assert err_en.startswith("plantrack: error: ") and err_vi.startswith("plantrack: error: ")
        assert err_en != err_vi
        assert english_in(err_vi.removeprefix("plantrack: error: "),
                          ["'edit-2025'", "'ED-99'", "'ed-01'", "ED-01", "edit-2025"]) == []
    assert "tiến độ 150" in run("update", "edit-2025/ED-01", "--progress", "150", "--lang", "vi",
                                cwd=editable)[2]
    assert (editable / "plans" / "edit-2025.yaml").read_bytes() == before


def test_edit_speaks_the_configured_language(editable: Path) -> None:
    (editable / ".plantrack.yaml").write_text("lang: vi\n", encoding="utf-8")
    code, _, err = run("update", "edit-2025/ED-99", "--progress", "10", cwd=editable)
    assert code == 2 and "kế hoạch 'edit-2025' không có nhiệm vụ 'ED-99'" in err
    code, _, err = run("update", "edit-2025/ED-99", "--progress", "10", "--lang", "en",
                       cwd=editable)
    assert code == 2 and err == "plantrack: error: no task 'ED-99' in plan 'edit-2025'\n"


def test_edit_success_and_english_unchanged(editable: Path) -> None:
    code, out, _ = run("update", "edit-2025/ED-01", "--progress", "40", "--date", "2025-06-01",
                       cwd=editable)
    assert code == 0 and out.endswith("edit-2025.yaml: ED-01: update recorded\n")
    code, out, _ = run("done", "edit-2025/ED-01", "--on", "2025-06-20", "--lang", "vi",
                       cwd=editable)
    assert code == 0 and out.endswith("edit-2025.yaml: ED-01: hoàn thành ngày 20/6/2025\n")


def _templates_in_source() -> set[str]:
    """Every constant template of a `message(...)` call in src/, and the words some
    messages are made of (passed to `message` as variables)."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "message" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    found |= set(_WHERE.values()) | set(_TYPE_WORDS.values()) | {"dict", "list"}
    found |= SYNTAX_WORDS | DATE_WORDS | DEADLINE_DATE_WORDS
    found |= {"hint: %(hint)s", "no problems", "%(errors)s error(s), %(warnings)s warning(s)",
              " (%(gone)s turned off or silenced by .plantrack.yaml or comments)",
              "plantrack: checked %(files)s file(s), %(tasks)s task(s): %(verdict)s"}
    return found


def test_every_template_has_a_vietnamese_translation() -> None:
    with CATALOGUE.open("rb") as source:
        catalog = read_po(source, locale="vi")
    translated = {m.id: m.string for m in catalog if m.id and m.string}
    templates = _templates_in_source()
    assert len(templates) > 150
    assert sorted(templates - set(translated)) == []
    for template in templates:
        names = set(re.findall(r"%\((\w+)\)s", template))
        assert set(re.findall(r"%\((\w+)\)s", translated[template])) == names, template


def test_a_message_is_its_english_text() -> None:
    said = message("progress is %(value)s; it must be between 0 and 100", value=150)
    assert said == "progress is 150; it must be between 0 and 100"
    assert str(said) == said and json.dumps(said) == json.dumps(str(said))
    assert message("task %(id)s is done but its progress is %(progress)s%%", id="'A'",
                   progress=50) == "task 'A' is done but its progress is 50%"
    assert message("remove the %YAML directive") == "remove the %YAML directive"
