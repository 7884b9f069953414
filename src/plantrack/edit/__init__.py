"""Editing plan files in place: round-trip load, pure edits on the tree, safe writes.

Nothing here reads the clock or prints; the `commands.edit` module does both.
"""
