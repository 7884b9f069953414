"""Small edits on ruamel's round-trip tree that keep comments next to what they describe.

ruamel hangs the comments and blank lines that follow a value on that value, so a comment
that introduces the next key, or the blank line that separates two tasks, belongs to the
node before it. Inserting after such a node moves those lines below the new node; the
node's own end-of-line comment stays where it is.
"""

from __future__ import annotations

import re
from typing import Any

# The order the format lists keys in; a new key goes after the last key that precedes it.
TASK_KEYS = ("id", "title", "owner", "with", "due", "recurs", "start", "hard", "status",
             "completed", "progress", "extensions", "depends_on", "targets", "updates", "tags",
             "basis", "source", "notes")
TARGET_KEYS = ("metric", "target", "actual", "measured")


def is_map(node: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap

    return isinstance(node, CommentedMap)


def is_seq(node: Any) -> bool:
    from ruamel.yaml.comments import CommentedSeq

    return isinstance(node, CommentedSeq)


def is_flow(node: Any) -> bool:
    return bool((is_map(node) or is_seq(node)) and node.fa.flow_style())


# Plain scalars a YAML 1.1 reader (PyYAML, many editors' and CI tools') takes for something
# other than text: written quoted, whatever YAML 1.2 says.
_YAML11 = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|"
                     r"on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+"
                     r"(?:\.[0-9_]*)?|[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*"
                     r"(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+)|[-+]?\.(?:inf|Inf|INF)|"
                     r"\.(?:nan|NaN|NAN))$")


def unambiguous(value: Any) -> Any:
    """`value` as a new node: a string a YAML 1.1 reader would misread, quoted."""
    if isinstance(value, str) and _YAML11.match(value):
        from ruamel.yaml.scalarstring import SingleQuotedScalarString

        return SingleQuotedScalarString(value)
    return value


def new_map(pairs: dict[str, Any], flow: bool) -> Any:
    from ruamel.yaml.comments import CommentedMap

    return _styled(CommentedMap({k: unambiguous(v) for k, v in pairs.items()}), flow)


def new_seq(items: list[Any], flow: bool) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return _styled(CommentedSeq(unambiguous(item) for item in items), flow)


def _styled(node: Any, flow: bool) -> Any:
    if flow:
        node.fa.set_flow_style()
    else:
        node.fa.set_block_style()
    return node


def like(old: Any, new: Any) -> Any:
    """`new` written in the quoting style of the value it replaces."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(old, ScalarString) and isinstance(new, str) and "\n" not in new:
        return type(old)(new)
    return new


def _slot_index(container: Any) -> int:
    return 2 if is_map(container) else 0


def _tail_path(container: Any, key: Any) -> list[tuple[Any, Any]]:
    """The (container, key) slots from `container[key]` down its last block descendants."""
    path = [(container, key)]
    value = container[key]
    while (is_map(value) or is_seq(value)) and len(value) and not is_flow(value):
        last = list(value.keys())[-1] if is_map(value) else len(value) - 1
        path.append((value, last))
        value = value[last]
    return path


def _token(container: Any, key: Any) -> Any:
    entry = container.ca.items.get(key)
    return entry[_slot_index(container)] if entry else None


def _set_token(container: Any, key: Any, text: str | None) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    index = _slot_index(container)
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    entry[index] = CommentToken(text, CommentMark(0), None) if text else None


def take_trailing(container: Any, key: Any) -> str:
    """Detach the lines that follow `container[key]` (blank lines, comments) and return them.

    An end-of-line comment on the value's own line stays.
    """
    moved = ""
    path = _tail_path(container, key)
    for holder, slot in reversed(path):  # the order ruamel writes them in
        moved += _take_slot(holder, slot)
        moved += _take_end(holder[slot])
    return moved


def _take_end(value: Any) -> str:
    """Comment lines ruamel keeps at the end of a block collection, as text."""
    if not (is_map(value) or is_seq(value)) or is_flow(value) or not value.ca.end:
        return ""
    text = ""
    for token in value.ca.end:
        line = token.value if isinstance(token.value, str) else ""
        text += " " * token.column + line if line.startswith("#") else line
    value.ca.end = []
    return text


def _take_slot(holder: Any, slot: Any) -> str:
    token = _token(holder, slot)
    moved = ""
    if token is not None and isinstance(token.value, str):
        text: str = token.value
        if _is_block_scalar(holder[slot]):
            cut = 0  # a block scalar ends its own line: the whole text follows it
        else:
            cut = text.find("\n") + 1 if not text.startswith("\n") else 1
        own_line, moved = text[:cut], text[cut:]
        if own_line.strip():
            token.value = own_line
        else:
            _set_token(holder, slot, None)
    return moved


def put_trailing(container: Any, key: Any, lines: str, *, blank_before: bool = False) -> None:
    """Hang `lines` (as taken by take_trailing) after `container[key]`."""
    holder, slot = _tail_path(container, key)[-1]
    token = _token(holder, slot)
    bare = "" if _is_block_scalar(holder[slot]) else "\n"
    own_line = token.value if token is not None and isinstance(token.value, str) else bare
    text = own_line + ("\n" if blank_before else "") + lines
    _set_token(holder, slot, None if text == bare else text)


def _is_block_scalar(value: Any) -> bool:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, (FoldedScalarString, LiteralScalarString))


def set_key(mapping: Any, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set `mapping[key]`: in place when present, else at its place in `order`."""
    if key in mapping:
        mapping[key] = like(mapping[key], value)
        return
    keys = list(mapping.keys())
    rank = order.index(key) if key in order else len(order)
    position = 0
    for index, existing in enumerate(keys):
        if existing in order and order.index(existing) < rank:
            position = index + 1
    if position == 0 or is_flow(mapping):
        mapping.insert(position, key, value)
        return
    previous = keys[position - 1]
    moved = take_trailing(mapping, previous)
    mapping.insert(position, key, value)
    if moved:
        put_trailing(mapping, key, moved)


def delete_key(mapping: Any, key: str) -> None:
    """Remove `mapping[key]`, keeping the comments that followed it after the key before it."""
    if key not in mapping:
        return
    keys = list(mapping.keys())
    index = keys.index(key)
    moved = "" if is_flow(mapping) else take_trailing(mapping, key)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if moved and index > 0:
        put_trailing(mapping, keys[index - 1], moved)


def insert_item(seq: Any, index: int, item: Any) -> None:
    """Insert before item `index` (ruamel moves the comments of the items after it along);
    at the end, as `append_item` does."""
    if index >= len(seq):
        append_item(seq, item)
    else:
        seq.insert(index, item)


def append_item(seq: Any, item: Any, *, blank_before: bool = False) -> None:
    """Append to a sequence; lines that followed its last item now follow the new one."""
    if not len(seq) or is_flow(seq):
        seq.append(item)
        return
    last = len(seq) - 1
    moved = take_trailing(seq, last)
    if blank_before:
        put_trailing(seq, last, "", blank_before=True)
    seq.append(item)
    if moved:
        put_trailing(seq, last + 1, moved)
