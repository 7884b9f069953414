"""`plantrack schema`: the JSON Schema of the plan format, for editors and check-jsonschema."""

from __future__ import annotations

import sys

import typer


def schema() -> None:
    """Print the JSON Schema of the plan file format.

    Editors that use yaml-language-server complete and check plans with it; save it and add
    `# yaml-language-server: $schema=plan.schema.json` at the top of a plan.

    Example: plantrack schema > plan.schema.json
    """
    from plantrack.schema import json_schema
    from plantrack.views.text import json_text

    sys.stdout.write(json_text(json_schema()))


def register(app: typer.Typer) -> None:
    app.command()(schema)
