"""What changed between two catalogues: a fingerprint per entry and per figure, and their diff.

An index is plain JSON-able data, written beside every published vintage, so `publish` and
the "what changed" page compare a catalogue with an earlier vintage without parsing that
vintage's YAML again. A figure is keyed by (indicator, period, source): the same figure
with another value is "changed", not "removed and added".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard.catalogue.models import Catalogue, Indicator, Observation

# The kinds of entries a change summary names, in the order it names them.
KINDS = ("sources", "indicators", "figures", "topics", "events")
# What makes a figure "revised" for a reader (a changed quote or note is only "changed").
REVISED_FIELDS = ("value", "qualifier", "unit")
INDEX_VERSION = 1
Index = dict[str, Any]


def _fingerprint(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def figure_key(indicator_id: str, obs: Observation) -> str:
    return f"{indicator_id}|{obs.span.label}|{obs.source}"


def _figure_record(catalogue: Catalogue, indicator: Indicator, obs: Observation) -> dict[str, Any]:
    """What a figure was, enough to list it after it is gone or changed."""
    source = catalogue.sources_by_id.get(obs.source)
    return {
        "fp": _fingerprint([obs.model_dump(mode="json"), indicator.unit, indicator.measure]),
        "indicator": indicator.id,
        "period": obs.span.label,
        "source": obs.source,
        "value": obs.value,
        "qualifier": obs.qualifier.value,
        "unit": indicator.unit,
        "name": indicator.name.model_dump(),
        "document": (source.reference if source else None),
        "short": (source.short.model_dump() if source else None),
        "date": (source.as_of.isoformat() if source else None),
    }


def build_index(catalogue: Catalogue) -> Index:
    """A fingerprint for every source, indicator (without its figures), topic and event, and
    a record for every figure."""
    figures: dict[str, Any] = {}
    for indicator in catalogue.indicators:
        for obs in indicator.observations:
            key = figure_key(indicator.id, obs)
            n = 2
            while key in figures:  # the validator refuses duplicates; never lose one here
                key = f"{figure_key(indicator.id, obs)}#{n}"
                n += 1
            figures[key] = _figure_record(catalogue, indicator, obs)

    def fingerprints(entries: Iterable[Any], exclude: set[str] | None = None) -> dict[str, str]:
        return {e.id: _fingerprint(e.model_dump(mode="json", exclude=exclude)) for e in entries}

    return {
        "index_version": INDEX_VERSION,
        "sources": fingerprints(catalogue.sources),
        "indicators": fingerprints(catalogue.indicators, {"observations"}),
        "figures": figures,
        "topics": fingerprints(catalogue.topics),
        "events": fingerprints(catalogue.events),
    }


def _fp(entry: Any) -> Any:
    return entry.get("fp") if isinstance(entry, Mapping) else entry


@dataclass(frozen=True)
class Changes:
    """Per kind (KINDS): the keys added, changed and removed, each sorted."""

    added: dict[str, tuple[str, ...]] = field(default_factory=dict)
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    removed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    first: bool = False  # no earlier vintage: everything is "added"

    @property
    def empty(self) -> bool:
        found = (self.added, self.changed, self.removed)
        return not any(keys for by_kind in found for keys in by_kind.values())

    @property
    def removals(self) -> dict[str, tuple[str, ...]]:
        return {kind: keys for kind, keys in self.removed.items() if keys}

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            kind: {
                "added": len(self.added.get(kind, ())),
                "changed": len(self.changed.get(kind, ())),
                "removed": len(self.removed.get(kind, ())),
            }
            for kind in KINDS
        }

    def as_json(self) -> dict[str, Any]:
        """For the manifest: counts and every key, per kind."""
        return {
            "first": self.first,
            "counts": self.counts(),
            "added": {k: list(v) for k, v in self.added.items() if v},
            "changed": {k: list(v) for k, v in self.changed.items() if v},
            "removed": {k: list(v) for k, v in self.removed.items() if v},
        }

    def summary_lines(self, limit: int = 8) -> list[str]:
        """One line per kind: `figures: 3 added (a|2021|s, …), 1 changed, 0 removed`."""
        lines = []
        for kind in KINDS:
            parts = []
            for word, found in (
                ("added", self.added.get(kind, ())),
                ("changed", self.changed.get(kind, ())),
                ("removed", self.removed.get(kind, ())),
            ):
                text = f"{len(found)} {word}"
                if found and not (self.first and word == "added"):
                    text += f" ({shorten(found, limit)})"
                parts.append(text)
            lines.append(f"{kind}: " + ", ".join(parts))
        return lines


def shorten(keys: Iterable[str], limit: int = 8) -> str:
    """`a, b, c, … and 12 more`."""
    items = list(keys)
    shown = ", ".join(items[:limit])
    return shown + (f", … and {len(items) - limit} more" if len(items) > limit else "")


def diff(old: Index | None, new: Index) -> Changes:
    """What `new` adds, changes and removes relative to `old` (None: nothing before it)."""
    added: dict[str, tuple[str, ...]] = {}
    changed: dict[str, tuple[str, ...]] = {}
    removed: dict[str, tuple[str, ...]] = {}
    for kind in KINDS:
        before: Mapping[str, Any] = (old or {}).get(kind) or {}
        after: Mapping[str, Any] = new.get(kind) or {}
        added[kind] = tuple(sorted(k for k in after if k not in before))
        removed[kind] = tuple(sorted(k for k in before if k not in after))
        changed[kind] = tuple(
            sorted(k for k in after if k in before and _fp(after[k]) != _fp(before[k]))
        )
    return Changes(added, changed, removed, first=old is None)


def revised(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """A figure record whose value, qualifier or unit differs (not only its quote or notes)."""
    return any(old.get(name) != new.get(name) for name in REVISED_FIELDS)
