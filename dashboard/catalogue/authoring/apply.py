"""Reviewed drafts into the catalogue: observations appended to their indicators, new
indicators added with the names the analyst gave, as a snippet to paste or as the edited
catalogue text that the safe writer checks and writes."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard.catalogue.authoring.draft import OBSERVATION_KEYS
from dashboard.catalogue.authoring.emit import items_text
from dashboard.catalogue.authoring.yaml_insert import InsertError, indicator_index, insert_items
from dashboard.catalogue.models import Catalogue
from dashboard.catalogue.scales import same_base

# What the analyst names for a new indicator (measure and unit come from its figures).
NEW_INDICATOR_TEXTS = ("name", "description", "subject")


class ReviewError(Exception):
    """The reviewed rows cannot go into the catalogue as they are; says which and why."""


@dataclass
class Review:
    """Reviewed rows grouped by indicator: existing ones and new ones."""

    existing: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    new: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(map(len, self.existing.values())) + sum(
            len(ind["observations"]) for ind in self.new.values()
        )


# {zh, en} texts the analyst may write with a figure (the review page's details, or the
# drafts file add-drafts reads).
TEXT_KEYS = ("ambiguity", "notes", "series_break")


def observation(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's observation keys, in the catalogue's order, empty ones left out; an
    `ambiguity` or `notes` given in both languages is kept as its {zh, en} text."""
    out: dict[str, Any] = {}
    for key in OBSERVATION_KEYS:
        value = row.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            continue
        if key == "value" and isinstance(value, float) and value.is_integer():
            value = int(value)
        out[key] = value
    for key in TEXT_KEYS:
        text = row.get(key)
        if isinstance(text, Mapping):
            zh, en = str(text.get("zh") or "").strip(), str(text.get("en") or "").strip()
            if zh and en:
                out[key] = {"zh": zh, "en": en}
    return out


def group(
    rows: Iterable[Mapping[str, Any]],
    catalogue: Catalogue,
    new_names: Mapping[str, Mapping[str, Any]],
    units: Mapping[str, Any] | None = None,
) -> Review:
    """The kept rows by indicator; ReviewError for a unit that is neither the indicator's
    nor a scale of it (data/units.yaml `base`), or a new indicator without its names. A
    figure in a scale of its indicator's unit (1.33 万家 under 家) keeps it as `unit:`."""
    review = Review()
    for n, row in enumerate(rows, start=1):
        ident = str(row.get("indicator") or "").strip()
        if not ident:
            raise ReviewError(f"row {n}: name its indicator (an existing id or a new one)")
        indicator = catalogue.indicators_by_id.get(ident)
        if indicator is not None:
            unit = row.get("unit")
            scaled = isinstance(unit, str) and same_base(unit, indicator.unit, units or {})
            if unit != indicator.unit and not scaled:
                raise ReviewError(
                    f"row {n}: unit {unit} is not {ident}'s unit {indicator.unit} nor a scale "
                    "of it (convert nothing: pick or name an indicator counted in that unit)"
                )
            kept = observation(row)
            if unit != indicator.unit:
                kept = _with_unit(kept, str(unit))
            review.existing.setdefault(ident, []).append(kept)
            continue
        entry = review.new.get(ident)
        if entry is None:
            entry = review.new[ident] = _new_indicator(ident, row, new_names.get(ident) or {}, n)
        elif row.get("unit") != entry["unit"]:
            raise ReviewError(f"row {n}: a new indicator has one unit ({entry['unit']})")
        entry["observations"].append(observation(row))
    return review


def _with_unit(obs: dict[str, Any], unit: str) -> dict[str, Any]:
    """The observation with its own unit after its qualifier, as the format orders keys."""
    out: dict[str, Any] = {}
    for key, value in obs.items():
        out[key] = value
        if key == "qualifier":
            out["unit"] = unit
    return out


def _new_indicator(
    ident: str, row: Mapping[str, Any], names: Mapping[str, Any], n: int
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": ident}
    for key in NEW_INDICATOR_TEXTS:
        text = names.get(key) or {}
        entry[key] = {
            "zh": str(text.get("zh") or "").strip(),
            "en": str(text.get("en") or "").strip(),
        }
        if not entry[key]["zh"] or not entry[key]["en"]:
            raise ReviewError(f"row {n}: the new indicator `{ident}` needs its {key} in zh and en")
    entry["topic"] = str(names.get("topic") or "")
    if not entry["topic"]:
        raise ReviewError(f"row {n}: the new indicator `{ident}` needs a topic")
    # Keys in the order of the other indicators: description, topic, subject, measure, unit.
    ordered = {
        "id": ident,
        "name": entry["name"],
        "description": entry["description"],
        "topic": entry["topic"],
        "subject": entry["subject"],
        "measure": row.get("measure"),
        "unit": row.get("unit"),
    }
    # What one item of a count unit is, in English (the validator asks for it).
    counts = names.get("counts") or {}
    one, other = str(counts.get("one") or "").strip(), str(counts.get("other") or "").strip()
    if one and other:
        ordered["counts"] = {"one": one, "other": other}
    ordered["observations"] = []
    return ordered


def edited_text(text: str, review: Review) -> str:
    """The catalogue text with the review in it: observations after their indicator's
    last one, new indicators at the end of `indicators:`."""
    for ident, observations in review.existing.items():
        index = indicator_index(text, ident)
        if index is None:
            raise ReviewError(f"`{ident}` is not in the catalogue file (was it renamed?)")
        try:
            text = insert_items(text, ("indicators", index, "observations"), observations)
        except InsertError as exc:
            raise ReviewError(f"`{ident}`: {exc}") from None
    if review.new:
        try:
            text = insert_items(text, ("indicators",), list(review.new.values()))
        except InsertError as exc:
            raise ReviewError(str(exc)) from None
    return text


def snippet(review: Review) -> str:
    """The review as YAML to paste: each block under a comment saying where it goes."""
    parts = []
    for ident, observations in review.existing.items():
        parts.append(f"# under indicator `{ident}`, at the end of its observations:\n")
        parts.append(items_text(observations, 6))
    if review.new:
        parts.append("# new indicators, at the end of `indicators:`:\n")
        parts.append(items_text(list(review.new.values()), 2))
    return "".join(parts) or "# nothing kept\n"
