"""The part of a plan an edit needs, cut out of the file and put back after the edit.

ruamel's round-trip reading and writing costs about fifty times the fast reader's per line,
so an edit does not give it the whole plan: only the lines outside the task list, the task
being edited, and a few tasks whose layout shows how lists are written (the first and last
tasks, the last one with each kind of list). The excerpt is itself a valid plan-shaped
document; the lines the edit changes in it are then replaced in the whole file, whose other
lines stay byte for byte as they were.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from plantrack.edit.linediff import opcodes
from plantrack.edit.roundtrip import Text

# Lists whose existing layout (flow or block) an edit imitates when it writes a new one.
STYLE_KEYS = ("updates", "extensions", "with", "tags", "targets", "depends_on", "owners")
_ITEM_START = re.compile(r"^ *- +$")  # what precedes a task's first key on its line


class ExcerptError(Exception):
    """The file's task list is not laid out so that tasks can be cut out line by line."""


@dataclass
class Excerpt:
    whole: Text
    kept: list[int]  # 0-based lines of the whole file, in order, that the excerpt holds
    tasks: list[int]  # indexes (in the whole plan) of the tasks the excerpt holds, in order
    raw: bytes  # the excerpt as a file
    region: tuple[int, int] = (0, 0)  # the lines [start, stop) of the task list
    dash: int = 0  # the column of the tasks' `- `
    hunks: list[tuple[int, int, list[str]]] = field(default_factory=list)  # of the last merge

    def position(self, task_index: int) -> int:
        """Where the whole plan's task `task_index` stands in the excerpt's task list."""
        return self.tasks.index(task_index)

    def merge(self, edited: bytes) -> bytes:
        """The whole file with the excerpt's changes (`edited` is the excerpt after the edit)."""
        before = _pairs(Text.from_bytes(self.raw))
        after_text = Text.from_bytes(edited)
        after = _pairs(after_text)
        lines, endings = list(self.whole.lines), list(self.whole.endings)
        self.hunks = []
        for tag, i1, i2, j1, j2 in reversed(opcodes(before, after)):
            if tag == "equal":
                continue
            start, stop = self._span(i1, i2)
            lines[start:stop] = after_text.lines[j1:j2]
            endings[start:stop] = after_text.endings[j1:j2]
            self.hunks.append((start, stop, after_text.lines[j1:j2]))
        out = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
        data = out.encode("utf-8")
        return b"\xef\xbb\xbf" + data if self.whole.bom else data

    def compose(self, old: dict[str, Any], edited: Any) -> dict[str, Any] | None:
        """The whole plan's data once the excerpt's edit is in: `old` with the excerpt's
        tasks as `edited` (the edited excerpt's data) holds them, tasks it added appended.
        None when `edited` is not such an excerpt of `old` (other keys differ, tasks gone)."""
        tasks = edited.get("tasks") if isinstance(edited, dict) else None
        if (not isinstance(tasks, list) or len(tasks) < len(self.tasks)
                or {k: v for k, v in edited.items() if k != "tasks"}
                != {k: v for k, v in old.items() if k != "tasks"}):
            return None
        composed = list(old["tasks"])
        for position, index in enumerate(self.tasks):
            composed[index] = tasks[position]
        composed.extend(tasks[len(self.tasks):])
        return {**old, "tasks": composed}

    def confined(self) -> bool:
        """Whether the last merge changed only lines inside the task list, and wrote there
        only lines that cannot change how the tasks around them read: blank lines, comments,
        lines indented deeper than the tasks' `- `, and `- ` starting a task. The whole new
        file then reads as the old one with the excerpt's tasks as the edited excerpt reads."""
        first, stop = self.region
        for start, end, lines in self.hunks:
            if start < first or end > stop:
                return False
            for line in lines:
                content = line.lstrip(" ")
                indent = len(line) - len(content)
                if not content or content.startswith("#") or indent > self.dash:
                    continue
                if indent == self.dash and _ITEM_START.match(line[: self.dash + 2]):
                    continue
                return False
        return True

    def _span(self, i1: int, i2: int) -> tuple[int, int]:
        """The whole file's lines [start, stop) that excerpt lines [i1, i2) stand for."""
        if i1 == i2:  # an insertion goes after the excerpt line before it
            at = self.kept[i1 - 1] + 1 if i1 > 0 else 0
            return at, at
        start, last = self.kept[i1], self.kept[i2 - 1]
        if last - start != i2 - 1 - i1:
            raise ExcerptError("the change spans lines the excerpt left out")
        return start, last + 1


def _pairs(text: Text) -> list[tuple[str, str]]:
    return list(zip(text.lines, text.endings, strict=True))


def dash_column(whole: Text, spans: list[tuple[int, int]]) -> int:
    """The column of the tasks' `- ` (task_spans made sure each task line starts with one)."""
    line = whole.lines[spans[0][0]]
    return len(line) - len(line.lstrip(" "))


def task_spans(data: dict[str, Any], marks: Any, whole: Text) -> list[tuple[int, int]]:
    """The 0-based [start, stop) lines of each task, from the fast reader's positions.

    ExcerptError when the list is not a block list of mappings, each starting on its own
    line with `- ` (a flow list, or two tasks on one line, cannot be cut by lines)."""
    tasks = data.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ExcerptError("no block list of tasks")
    starts = []
    for index, task in enumerate(tasks):
        if not isinstance(task, dict) or not task:
            raise ExcerptError("a task that is not a mapping")
        line, col = marks.values[("tasks", index)]
        text = whole.lines[line - 1]
        if not _ITEM_START.match(text[: col - 1]):
            raise ExcerptError("a task that does not start its own line with '- '")
        starts.append(line - 1)
    if starts != sorted(set(starts)):
        raise ExcerptError("tasks out of order or sharing a line")
    tasks_line = marks.keys[("tasks",)][0] - 1
    later_keys = [pos[0] - 1 for path, pos in marks.keys.items()
                  if len(path) == 1 and pos[0] - 1 > tasks_line]
    # Keys after the list end it; so does a line at column 0 that is not a comment or blank
    # (a `...` or `---` marker), which the reader would have refused inside the list anyway.
    stop = min([k for k in later_keys if k > starts[-1]] or [len(whole.lines)])
    if starts[0] <= tasks_line:
        raise ExcerptError("the first task shares the line of `tasks:`")
    return [(start, end) for start, end in zip(starts, [*starts[1:], stop], strict=True)]


def choose_tasks(data: dict[str, Any], targets: Collection[int]) -> list[int]:
    """The tasks an excerpt keeps: the targets, the first and last three, and for each list
    key the last task that has such a list (the edit writes a new list like it)."""
    tasks = data["tasks"]
    count = len(tasks)
    chosen = {0, 1, 2, count - 3, count - 2, count - 1, *targets}
    for key in STYLE_KEYS:
        for index in range(count - 1, -1, -1):
            value = tasks[index].get(key)
            if isinstance(value, list) and value:
                chosen.add(index)
                break
    return sorted(i for i in chosen if 0 <= i < count)


def cut(whole: Text, spans: list[tuple[int, int]], chosen: list[int], dash: int = 0
        ) -> Excerpt:
    """The excerpt of `whole` holding everything outside the tasks and the `chosen` ones."""
    first, stop = spans[0][0], spans[-1][1]
    kept = list(range(first))
    for index in chosen:
        kept.extend(range(*spans[index]))
    kept.extend(range(stop, len(whole.lines)))
    lines = [whole.lines[i] for i in kept]
    endings = [whole.endings[i] for i in kept]
    out = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
    data = out.encode("utf-8")
    raw = b"\xef\xbb\xbf" + data if whole.bom else data
    return Excerpt(whole, kept, chosen, raw, (first, stop), dash)
