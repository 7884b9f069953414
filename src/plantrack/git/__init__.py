"""Plans across revisions: reading them from git, the total diff, the change policy and one
task's history."""
