"""Insert entries into the catalogue's text at a place the YAML parser locates, leaving every
other byte (comments, key order, quoting, blank lines) exactly as it was."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from dashboard.catalogue.authoring.emit import items_text

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Path_ = tuple[str | int, ...]


class InsertError(Exception):
    """The text cannot be edited as asked (nothing was changed)."""


def _compose(text: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InsertError(f"the catalogue is not valid YAML ({exc})") from None
    if not isinstance(node, yaml.MappingNode):
        raise InsertError("the catalogue is not a mapping of sections")
    return node


def _child(node: yaml.Node, step: str | int) -> yaml.Node:
    if isinstance(step, int) and isinstance(node, yaml.SequenceNode):
        if 0 <= step < len(node.value):
            return node.value[step]
    elif isinstance(step, str) and isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return value
    raise InsertError(f"no `{step}` in the catalogue where it was expected")


def _content_end(node: yaml.Node) -> int:
    """Offset just after the node's last value (not its trailing blank lines or comments)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return int(node.end_mark.index)
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [value for _, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    if not children:
        return int(node.end_mark.index)
    return max(_content_end(child) for child in children)


def _after_line(text: str, offset: int) -> int:
    """Start of the line after the one where the content before `offset` ends."""
    while offset > 0 and text[offset - 1] in " \t\r\n":
        offset -= 1
    newline = text.find("\n", offset)
    return len(text) if newline == -1 else newline + 1


def _blank_between(text: str, a: yaml.Node, b: yaml.Node) -> bool:
    gap = text[_after_line(text, _content_end(a)) : b.start_mark.index]
    return any(not line.strip() for line in gap.split("\n")[:-1])


def insert_items(
    text: str,
    path: Path_,
    items: Sequence[Mapping[str, Any]],
    after: int | None = None,
) -> str:
    """`text` with `items` added to the block list at `path` (after its item `after`, by
    default the last), indented and spaced like its neighbours; InsertError if that list is
    missing, empty or written in flow style, or if the result would not read back as the
    old data plus the new items."""
    if not items:
        return text
    seq = _compose(text)
    for step in path:
        seq = _child(seq, step)
    where = ".".join(map(str, path))
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        raise InsertError(f"`{where}` is not a non-empty block list: add the first entry by hand")
    index = len(seq.value) - 1 if after is None else after
    if not 0 <= index < len(seq.value):
        raise InsertError(f"`{where}` has no item {index}")
    anchor = seq.value[index]
    dash = anchor.start_mark.column - 2
    if dash < 0 or text[anchor.start_mark.index - 2 : anchor.start_mark.index] != "- ":
        raise InsertError(f"`{where}` is not written as `- key: value` items")
    spaced = len(seq.value) > 1 and _blank_between(text, seq.value[-2], seq.value[-1])
    at = _after_line(text, _content_end(anchor))
    block = items_text(items, dash)
    if spaced:
        block = "\n" + block
    prefix = text[:at] if text[:at].endswith("\n") or not at else text[:at] + "\n"
    new_text = prefix + block + text[at:]
    _verify(text, new_text, path, index, items)
    return new_text


def _verify(
    old: str, new: str, path: Path_, index: int, items: Sequence[Mapping[str, Any]]
) -> None:
    """The edit must read back as exactly the old data plus the new items."""
    expected = copy.deepcopy(yaml.load(old, Loader=_Loader))
    target = expected
    for step in path:
        target = target[step]
    target[index + 1 : index + 1] = [copy.deepcopy(dict(item)) for item in items]
    try:
        got = yaml.load(new, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InsertError(f"the edited text would not parse ({exc}); nothing written") from None
    if got != expected:
        raise InsertError("the edit would not read back as intended; nothing written")


def indicator_index(text: str, indicator_id: str) -> int | None:
    """Position of an indicator in `indicators:` (None when there is none with that id)."""
    seq = _child(_compose(text), "indicators")
    if not isinstance(seq, yaml.SequenceNode):
        return None
    for i, item in enumerate(seq.value):
        if not isinstance(item, yaml.MappingNode):
            continue
        for key, value in item.value:
            if (
                key.value == "id"
                and isinstance(value, yaml.ScalarNode)
                and value.value == indicator_id
            ):
                return i
    return None
