"""`add-drafts`: reviewed drafts from a file (what `draft --out` wrote, with the rows not
kept deleted and corrections made) into the catalogue, through the same rules and the same
safe writer as the review page: existing indicators get the observations, a new id needs
its names in the file, and nothing is written unless the result validates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dashboard.catalogue import data_files, paths
from dashboard.catalogue.authoring import apply
from dashboard.catalogue.authoring.safe_write import (
    Snapshot,
    WriteRefused,
    take_snapshot,
    validate_text,
    write_catalogue,
)
from dashboard.catalogue.validate import ValidationResult, validate_path

# What a draft for a new indicator may carry, for the indicator itself.
NEW_KEYS = ("name", "description", "subject", "topic", "counts")


@dataclass
class Accepted:
    """What add-drafts would write: the review and the edited catalogue text."""

    snapshot: Snapshot
    review: apply.Review
    new_text: str


def read_drafts(drafts_path: Path) -> list[dict[str, Any]]:
    """The drafts file as a list of mappings, rows with `keep: false` left out."""
    shown = paths.display_name(drafts_path)
    try:
        data = yaml.load(drafts_path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except OSError as exc:
        raise WriteRefused(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise WriteRefused(f"{shown}: not YAML: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise WriteRefused(f"{shown}: not a list of drafts (what `draft --out` writes)")
    return [item for item in data if item.get("keep", True) is not False]


def plan(catalogue_path: Path, drafts_path: Path) -> Accepted:
    """The catalogue with the drafts in it; WriteRefused naming the row and what it needs."""
    result = validate_path(catalogue_path)
    if not result.ok or result.catalogue is None:
        raise WriteRefused(
            f"{paths.display_name(catalogue_path)}: invalid: fix it first (python -m dashboard "
            "check)",
            result.errors,
        )
    rows = read_drafts(drafts_path)
    if not rows:
        raise WriteRefused(f"{paths.display_name(drafts_path)}: no drafts to add")
    names: dict[str, dict[str, Any]] = {}
    for row in rows:
        ident = str(row.get("indicator") or "")
        given = {key: row[key] for key in NEW_KEYS if key in row}
        if given:
            names.setdefault(ident, {}).update(given)
    base_dir = Path(catalogue_path).resolve().parent
    units = data_files.units(base_dir)
    try:
        review = apply.group(rows, result.catalogue, names, units)
    except apply.ReviewError as exc:
        raise WriteRefused(
            f"{paths.display_name(drafts_path)}: {exc} (a new indicator's first draft carries "
            "name: {zh, en}, description: {zh, en}, subject: {zh, en}, topic and, for a unit "
            "that counts, counts: {one, other})"
        ) from None
    snapshot = take_snapshot(Path(catalogue_path))
    try:
        new_text = apply.edited_text(snapshot.text, review)
    except apply.ReviewError as exc:
        raise WriteRefused(f"{snapshot.name}: not changed: {exc}") from None
    return Accepted(snapshot, review, new_text)


def check(accepted: Accepted) -> ValidationResult:
    """What `check` would say of the catalogue with the drafts in it (nothing written)."""
    return validate_text(accepted.snapshot, accepted.new_text)


def write(accepted: Accepted) -> ValidationResult:
    """Write the catalogue (refused unless it validates and is unchanged since read)."""
    return write_catalogue(accepted.snapshot, accepted.new_text)
