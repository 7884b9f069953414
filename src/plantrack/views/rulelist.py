"""The rule catalogue as a table, JSON records, or the Markdown of docs/rules.md."""

from __future__ import annotations

from plantrack.views import columns as col
from plantrack.views.formats import RuleList
from plantrack.views.text import json_text


def render_table(view: RuleList) -> str:
    rows = [[(r.code, ""), (r.severity + ("" if r.configurable else " (fixed)"), ""),
             (r.scope, ""), (r.description, "")] for r in view.rules]
    columns = [col.Column("code"), col.Column("default"), col.Column("scope"),
               col.Column("description")]
    return col.render(columns, rows, None, view.terminal.width, view.terminal.colour)


def render_json(view: RuleList) -> str:
    return json_text([{"code": r.code, "severity": r.severity, "scope": r.scope,
                       "configurable": r.configurable, "description": r.description}
                      for r in view.rules])


def render_markdown(view: RuleList) -> str:
    from plantrack.rules import markdown

    return markdown()
