"""What is wrong with plans: each plan's checks, checks across plans, the repository's
`.plantrack.yaml`, and the loader every command reads plans through (read, then check)."""
