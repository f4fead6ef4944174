"""Turns pydantic's validation errors into located Problems with hints for an editor."""

from __future__ import annotations

import difflib
from typing import Any

from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import all_field_names, describe
from dashboard.catalogue.yaml_source import YamlDocument, render_path

Loc = tuple[str | int, ...]

_WRONG_TYPE_EXPECTED = {
    "string_type": "text",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "float_type": "a number",
    "number_type": "a number",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "list_type": "a list",
}


def _data_loc(loc: tuple, data: Any, missing: bool) -> Loc:
    """The error's location as a path through the data (drops pydantic's union-branch names)."""
    out: list[str | int] = []
    cur = data
    for i, part in enumerate(loc):
        in_dict = isinstance(cur, dict) and not isinstance(part, int) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            out.append(part)
            cur = cur[part]
        elif missing and i == len(loc) - 1 and isinstance(part, str):
            out.append(part)
        elif part == "[key]":
            break
    return tuple(out)


# Bilingual {zh, en} fields: an unknown key with no value inside one is a comma in flow style.
_TEXT_FIELDS = frozenset({"name", "title", "short", "issuer", "addressee", "description",
                          "subject", "notes", "reason", "basis", "ambiguity"})  # fmt: skip


def problem_from_error(err: dict[str, Any], doc: YamlDocument) -> Problem:
    """One pydantic error as a Problem at the key or value it is about."""
    kind = err["type"]
    loc = _data_loc(err["loc"], doc.data, kind == "missing")
    value = err.get("input")
    path = render_path(loc)
    hint: str | None = None
    if kind == "missing":
        key = loc[-1] if loc else "?"
        type_, message = "missing-key", f"required key `{key}` is missing"
        hint = "see docs/catalogue-format.md for the keys this entry needs"
        pos = doc.position(loc[:-1])
    elif kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        type_, message = "unknown-key", f"unknown key `{key}`"
        close = difflib.get_close_matches(str(key), sorted(all_field_names()), n=1)
        hint = f"did you mean `{close[0]}`?" if close else "remove it, or check its indentation"
        if value is None and len(loc) >= 2 and loc[-2] in _TEXT_FIELDS:
            # {zh: …, en: a, b}: YAML ended the text at the comma and made " b" a key.
            hint = 'a comma ended the text before it: quote the whole text, en: "a, b"'
        pos = doc.key_position(loc)
    elif kind in _WRONG_TYPE_EXPECTED:
        type_ = "wrong-type"
        message = f"expected {_WRONG_TYPE_EXPECTED[kind]}, got {describe(value)}"
        hint = _wrong_type_hint(kind, value)
        pos = doc.position(loc)
    elif kind == "period":
        type_, message = "invalid-period", err["msg"]
        hint = 'quote it: period: "2020", "2024-01/2024-11" or "../2025-06-25"'
        pos = doc.position(loc)
    else:
        type_, message = "invalid-value", _value_message(kind, err, value)
        hint = _value_hint(kind, loc, err)
        pos = doc.position(loc)
    line, col = pos if pos else (None, None)
    return Problem(type_, message, doc.file, line, col, path, hint)


def _wrong_type_hint(kind: str, value: Any) -> str | None:
    if kind == "number_type":
        return "write the bare number (300, not '超300' or '1,234') and use `qualifier`"
    if kind == "string_type":
        if isinstance(value, bool):
            return "YAML reads unquoted yes/no/on/off as true/false: put the text in quotes"
        if isinstance(value, int | float) or hasattr(value, "isoformat"):
            return "put it in quotes so YAML keeps it as text"
    return None


def _value_message(kind: str, err: dict, value: Any) -> str:
    ctx = err.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        return f"{describe(value)} is not allowed; expected one of {ctx.get('expected')}"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"{describe(value)} does not have the required form"
    return err["msg"]


def _value_hint(kind: str, loc: Loc, err: dict) -> str | None:
    if kind != "string_pattern_mismatch":
        return None
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if last == "sha256":
        return "64 lowercase hex digits: run `sha256sum FILE`"
    pattern = (err.get("ctx") or {}).get("pattern", "")
    if pattern == r"\S":
        return "write some text"
    return "ids are snake_case ASCII: ^[a-z][a-z0-9_]*$, at most 64 characters"
