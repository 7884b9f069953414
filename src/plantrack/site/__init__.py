"""The report site: every period's report as it stood, trends from git history, and a page
per plan, owner and task."""
