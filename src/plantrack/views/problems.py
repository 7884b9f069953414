"""Problems as text lines, JSON records, or GitHub Actions annotations."""

from __future__ import annotations

import datetime as dt

from plantrack.problems import Problem, said
from plantrack.views import escape
from plantrack.views.formats import ProblemList
from plantrack.views.text import json_text


def problem_lines(problems: list[Problem], lang: str = "en") -> str:
    """`path:line:col: severity [code] message`, and the hint indented under it. In another
    language than English the message and the hint are translated; the location, the
    severity and the code stay as they are, for editors and problem matchers."""
    if lang != "en":
        return _lines_in(problems, lang)
    out = []
    for problem in problems:
        out.append(escape.terminal(problem.as_text()))
        if problem.hint:
            out.append(f"  hint: {escape.terminal(problem.hint)}")
    return "".join(line + "\n" for line in out)


def _lines_in(problems: list[Problem], lang: str) -> str:
    from plantrack.lang import Words

    words = Words(lang)

    def shown(value: object) -> object:
        return words.day(value) if type(value) is dt.date else value

    label = words("hint: %(hint)s")
    out = []
    for problem in problems:
        text = said(problem.message, words, shown) or ""
        out.append(escape.terminal(problem._replace(message=text).as_text()))
        if problem.hint:
            hint = escape.terminal(said(problem.hint, words, shown) or "")
            out.append("  " + label % {"hint": hint})
    return "".join(line + "\n" for line in out)


def render_text(view: ProblemList) -> str:
    return problem_lines(view.problems)


def github_line(problem: Problem) -> str:
    """A GitHub Actions workflow command that annotates the file and line."""
    level = "error" if problem.is_error else "warning"
    props = [f"file={escape.github_property(problem.path)}"]
    if problem.line > 0:
        props += [f"line={problem.line}", f"col={problem.col}"]
    props.append(f"title={escape.github_property('plantrack ' + problem.code)}")
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    return f"::{level} {','.join(props)}::{escape.github_data(message)}"


def render_github(view: ProblemList) -> str:
    return "".join(github_line(p) + "\n" for p in view.problems)


def problem_record(problem: Problem, waived: str | None = None) -> dict[str, object]:
    """A finding as JSON; `waived` says what `.plantrack.yaml` or a disable comment did to it:
    null, "downgraded" or "upgraded" (its severity is the one in force), or "off" or
    "silenced" (listed after the findings, with the severity its rule has by default)."""
    return {**problem._asdict(), "waived": waived}


def render_json(view: ProblemList) -> str:
    changed = {w.problem._replace(severity="warning" if w.how == "downgraded" else "error"):
               w.how for w in view.waived if w.how in ("downgraded", "upgraded")}
    records = [problem_record(p, changed.get(p)) for p in view.problems]
    records += [problem_record(w.problem, w.how) for w in view.waived
                if w.how in ("off", "silenced")]
    return json_text(records)
