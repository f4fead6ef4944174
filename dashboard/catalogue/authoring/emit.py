"""New catalogue entries as YAML text in the file's own style: block mappings, `{zh, en}`
texts on one line, quoted periods and dates, never anchors or tags."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

INDENT = 2
# A {zh, en} text stays on one line up to this width, as most of indicators.yaml does.
FLOW_WIDTH = 100
_NO_WRAP = 10**9
_DATE_LIKE = re.compile(r"^(\.\.|\d{4}(-\d{2}(-\d{2})?)?)(/\d{4}(-\d{2}(-\d{2})?)?)?$")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the loader refuses aliases: never write one


def scalar(value: Any) -> str:
    """One scalar as YAML text (block context)."""
    if isinstance(value, str) and _DATE_LIKE.match(value):
        return f'"{value}"'  # "2020", "2024-01/2024-11": never a YAML number or date
    text = yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, width=_NO_WRAP, default_flow_style=True
    )
    return text.removesuffix("\n...\n").rstrip("\n")


def _flow(mapping: Mapping[str, Any]) -> str:
    text = yaml.dump(
        dict(mapping),
        Dumper=_Dumper,
        allow_unicode=True,
        width=_NO_WRAP,
        default_flow_style=True,
        sort_keys=False,
    )
    return text.rstrip("\n")


def _is_text(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) <= {"zh", "en"} and bool(value)


def mapping_lines(data: Mapping[str, Any], indent: int) -> list[str]:
    """A block mapping, one key per line (nested mappings and lists indented under it)."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in data.items():
        if value is None:
            lines.append(f"{pad}{key}: null")
        elif _is_text(value) and all(v is None or isinstance(v, str) for v in value.values()):
            flow = f"{pad}{key}: {_flow(value)}"
            if len(flow) <= FLOW_WIDTH:
                lines.append(flow)
            else:
                lines.append(f"{pad}{key}:")
                lines.extend(mapping_lines(value, indent + INDENT))
        elif isinstance(value, Mapping):
            lines.append(f"{pad}{key}:")
            lines.extend(mapping_lines(value, indent + INDENT))
        elif isinstance(value, Sequence) and not isinstance(value, str):
            if value and all(isinstance(v, Mapping) for v in value):
                lines.append(f"{pad}{key}:")
                for item in value:
                    lines.extend(item_lines(item, indent + INDENT))
            else:
                lines.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]")
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")
    return lines


def item_lines(data: Mapping[str, Any], dash_indent: int) -> list[str]:
    """One item of a block sequence: `- key: value`, the other keys under it."""
    lines = mapping_lines(data, dash_indent + INDENT)
    if lines:
        first = lines[0]
        lines[0] = " " * dash_indent + "- " + first[dash_indent + INDENT :]
    return lines


def items_text(items: Sequence[Mapping[str, Any]], dash_indent: int) -> str:
    """Several sequence items as text ending with a newline."""
    lines = [line for item in items for line in item_lines(item, dash_indent)]
    return "\n".join(lines) + "\n"
