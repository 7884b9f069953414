"""The periodic report: a plain model of derived state (`data`), what changed in git
(`changes`), and its rendering through jinja2 templates (`render`)."""
