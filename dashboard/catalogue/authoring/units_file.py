"""Add a unit to data/units.yaml (the review page's "add this unit", or by hand): one line
appended, every other byte kept, written atomically, refused rather than guessed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from dashboard.catalogue import paths
from dashboard.catalogue.authoring.safe_write import WriteRefused, take_snapshot, write_data_file
from dashboard.catalogue.scales import entry_line, suggest, unit_problems

_NOT_A_UNIT = re.compile(r"[\s:{}\[\],#&*!|>'\"%@`]")


def proposed_entry(base_dir: Path, unit: str) -> dict[str, Any]:
    """What `suggest` proposes for `unit` against the units already listed."""
    return suggest(unit, _units(base_dir))


def _units(base_dir: Path) -> dict[str, Any]:
    path = paths.data_dir(base_dir) / paths.UNITS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def add_unit(base_dir: Path, unit: str, entry: Mapping[str, Any]) -> str:
    """Append `unit: {entry}` to the data/units.yaml beside the catalogue in `base_dir` and
    return the line added; WriteRefused (nothing written) when the unit is listed already,
    is not a plain word, has no English name, or its base and factor make no sense, or when
    the file changed on disk meanwhile."""
    path = paths.data_dir(base_dir) / paths.UNITS_FILE
    shown = paths.display_name(path)
    if not unit or unit != unit.strip() or (_NOT_A_UNIT.search(unit) and unit != "%"):
        raise WriteRefused(f"{unit!r}: not added: a unit is one word as the source writes it")
    snapshot = take_snapshot(path)
    text = snapshot.text
    try:
        current = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise WriteRefused(f"{shown}: cannot be read to add a unit: {exc}") from None
    if not isinstance(current, dict):
        raise WriteRefused(f"{shown}: does not hold a mapping of units")
    if unit in current:
        raise WriteRefused(f"{unit}: not added: {shown} already lists it")
    en = entry.get("en")
    if not isinstance(en, str) or not en.strip() or "…" in en:
        raise WriteRefused(f"{unit}: not added: give its English name (`en`)")
    display = entry.get("display_en")
    if isinstance(display, Mapping) and "…" in str(display.get("suffix", "")):
        raise WriteRefused(f"{unit}: not added: give its English suffix (`display_en.suffix`)")
    line = entry_line(unit, entry)
    new_text = text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    try:
        after = yaml.safe_load(new_text)
    except yaml.YAMLError:
        after = None
    if not isinstance(after, dict) or after.get(unit) != dict(entry):
        raise WriteRefused(f"{unit}: not added: the line would not read back as written")
    problems = [problem for name, problem in unit_problems(after) if name == unit]
    if problems:
        raise WriteRefused(f"{unit}: not added: {problems[0]}")
    write_data_file(snapshot, new_text)
    return line
