"""Problems as text lines, JSON records, or GitHub Actions annotations."""

from __future__ import annotations

from plantrack.problems import Problem
from plantrack.views import escape
from plantrack.views.formats import ProblemList
from plantrack.views.text import json_text


def problem_lines(problems: list[Problem]) -> str:
    """`path:line:col: severity [code] message`, and the hint indented under it."""
    out = []
    for problem in problems:
        out.append(escape.terminal(problem.as_text()))
        if problem.hint:
            out.append(f"  hint: {escape.terminal(problem.hint)}")
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
