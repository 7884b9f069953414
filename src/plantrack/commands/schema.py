"""`plantrack schema`: the JSON Schema of the plan format, for editors and check-jsonschema."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from plantrack.views import formats


def schema(
    config: Annotated[bool, typer.Option(
        "--config", help="The schema of .plantrack.yaml instead of a plan's.")] = False,
) -> None:
    """Print the JSON Schema of the plan file format (or of .plantrack.yaml).

    Editors that use yaml-language-server complete and check plans with it; save it and add
    `# yaml-language-server: $schema=plan.schema.json` at the top of a plan.

    Example: plantrack schema > plan.schema.json
    """
    from plantrack.views.text import json_text

    if config:
        from plantrack.checks.config import json_schema as config_schema

        sys.stdout.write(json_text(config_schema()))
        return
    from plantrack.read.schema import json_schema

    sys.stdout.write(json_text(json_schema()))


def rules(
    output: Annotated[str, formats.option(
        "rules", "table, json or markdown (docs/rules.md is this output).")] = "table",
) -> None:
    """List every problem code: its default severity, scope and meaning.

    Turn a rule into a warning, or off, in .plantrack.yaml: `rules: {done-progress: off}`.

    Example: plantrack rules --format json
    """
    from plantrack.commands.common import terminal
    from plantrack.rules import catalogue

    view = formats.RuleList(list(catalogue().values()), terminal())
    sys.stdout.write(formats.render("rules", output, view))


def register(app: typer.Typer) -> None:
    app.command()(schema)
    app.command()(rules)
