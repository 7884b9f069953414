"""plantrack: track the tasks, owners and deadlines of government plans kept as YAML."""

__version__ = "0.1.0"
