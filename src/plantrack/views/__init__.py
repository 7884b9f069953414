"""Renderings of derived state: tables, JSON, CSV, Markdown, HTML. They take derived data only."""
