"""What every check shares: the catalogue, where each entry was written, the source texts."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.catalogue.errors import Problem, Severity
from dashboard.catalogue.models import (
    Catalogue,
    DerivedInput,
    Event,
    FigureRef,
    Indicator,
    Observation,
    Source,
    Topic,
)
from dashboard.catalogue.numbers import Mention, find_mentions
from dashboard.catalogue.textnorm import NormalizedText, normalize
from dashboard.catalogue.yaml_source import YamlDocument, render_path

Loc = tuple[str | int, ...]

# "did you mean" hints cost a pass over every id each: a file with thousands of broken
# references gets this many, and the rest of its problems without one.
SUGGESTIONS = 20


@dataclass
class CheckContext:
    """One validation run's shared state. Checks read it and return problems; the only
    things they write are the memos below (source texts, quote lookups, mentions).

    `catalogue` may hold only the entries that passed the schema (the others are reported
    already): `positions` maps each kept entry back to its index in the file, and
    `failed_ids` names the dropped entries, so no check reports a reference to an entry
    that exists but is broken as "unknown".
    """

    catalogue: Catalogue
    doc: YamlDocument
    base_dir: Path
    positions: Mapping[str, list[int]] = field(default_factory=dict)
    failed_ids: Mapping[str, frozenset[str]] = field(default_factory=dict)
    texts: dict[str, NormalizedText] = field(default_factory=dict)
    topic_names: set[str] | None = None  # data/i18n.yaml's topics, read by vocabulary
    # data/units.yaml as vocabulary read it ({} when it could not): the cross-document
    # checks compare a figure stated in a scale of its indicator's unit by these factors.
    units: Mapping[str, Any] = field(default_factory=dict)
    _quotes: dict[tuple[str, str], bool] = field(default_factory=dict)
    _mentions: dict[str, list[Mention]] = field(default_factory=dict)
    _suggestions_left: int = SUGGESTIONS

    # -- where entries are ---------------------------------------------------------------
    def index(self, section: str, k: int) -> int:
        """The file index of the k-th kept entry of `section`."""
        kept = self.positions.get(section)
        return kept[k] if kept is not None else k

    def sources(self) -> Iterator[tuple[Loc, Source]]:
        for k, source in enumerate(self.catalogue.sources):
            yield ("sources", self.index("sources", k)), source

    def indicators(self) -> Iterator[tuple[Loc, Indicator]]:
        for k, indicator in enumerate(self.catalogue.indicators):
            yield ("indicators", self.index("indicators", k)), indicator

    def observations(self) -> Iterator[tuple[Loc, Indicator, Observation]]:
        for loc, indicator in self.indicators():
            for j, obs in enumerate(indicator.observations):
                yield (*loc, "observations", j), indicator, obs

    def topics(self) -> Iterator[tuple[Loc, Topic]]:
        for k, topic in enumerate(self.catalogue.topics):
            yield ("topics", self.index("topics", k)), topic

    def events(self) -> Iterator[tuple[Loc, Event]]:
        for k, event in enumerate(self.catalogue.events):
            yield ("events", self.index("events", k)), event

    # -- problems ------------------------------------------------------------------------
    def problem(
        self,
        type_: str,
        loc: Loc,
        message: str,
        hint: str | None = None,
        severity: Severity = "error",
        acknowledged: bool = False,
    ) -> Problem:
        pos = self.doc.position(loc)
        line, col = pos if pos else (None, None)
        return Problem(
            type_,
            message,
            self.doc.file,
            line,
            col,
            render_path(loc),
            hint,
            severity,
            acknowledged and severity == "warning",
        )

    def suggest(self, ident: str, known: Mapping[str, object]) -> str | None:
        """A rationed "did you mean" hint."""
        if self._suggestions_left <= 0:
            return None
        self._suggestions_left -= 1
        close = difflib.get_close_matches(ident, list(known), n=1)
        return f"did you mean `{close[0]}`?" if close else None

    def source_of(self, source_id: str) -> Source | None:
        return self.catalogue.sources_by_id.get(source_id)

    def is_failed(self, section: str, ident: str) -> bool:
        """True when an entry with this id exists in the file but failed the schema."""
        return ident in self.failed_ids.get(section, frozenset())

    def unknown_source(self, ident: str, loc: Loc) -> Problem | None:
        if self.is_failed("sources", ident):
            return None
        known = self.catalogue.sources_by_id
        return self.problem(
            "unknown-source", loc, f"no source has id `{ident}`", self.suggest(ident, known)
        )

    def unknown_indicator(self, ident: str, loc: Loc) -> Problem | None:
        if self.is_failed("indicators", ident):
            return None
        known = self.catalogue.indicators_by_id
        return self.problem(
            "unknown-indicator", loc, f"no indicator has id `{ident}`", self.suggest(ident, known)
        )

    def unknown_topic(self, topic: str, loc: Loc) -> Problem | None:
        """unknown-topic, when data/i18n.yaml could be read and does not list `topic`."""
        if self.topic_names is None or topic in self.topic_names:
            return None
        return self.problem(
            "unknown-topic",
            loc,
            f"topic `{topic}` is not in data/i18n.yaml `topics`",
            "one of: " + ", ".join(sorted(self.topic_names)),
        )

    def resolve(self, ref: FigureRef | DerivedInput, loc: Loc) -> Observation | Problem | None:
        """The one observation a reference names; else the problem saying why (an unknown
        indicator at its `indicator`, else at its `period`), or None when its indicator
        failed the schema (reported)."""
        if ref.indicator not in self.catalogue.indicators_by_id:
            return self.unknown_indicator(ref.indicator, (*loc, "indicator"))
        found = self.catalogue.find(ref)
        if len(found) == 1:
            return found[0]
        if not found and self.is_failed("observations_of", ref.indicator):
            return None
        return self.problem(
            "unknown-observation" if not found else "ambiguous-input",
            (*loc, "period"),
            f"`{ref.indicator}` has {len(found) or 'no'} observations for period {ref.period}",
            "add `source:` to pick one" if found else None,
        )

    # -- quotes --------------------------------------------------------------------------
    def quote_found(self, source_id: str, quote: str) -> bool:
        """Whether `quote` is in the source's text; True when the text is unavailable (its
        own problem is reported by the sources check), so later checks still run."""
        text = self.texts.get(source_id)
        if text is None:
            return True
        key = (source_id, quote)
        found = self._quotes.get(key)
        if found is None:
            found = self._quotes[key] = text.contains(normalize(quote))
        return found

    def quote_problem(self, source_id: str, quote: str, loc: Loc) -> Problem | None:
        """quote-not-found, with a hint showing where the quote leaves the text."""
        if self.quote_found(source_id, quote):
            return None
        text = self.texts[source_id]
        needle = normalize(quote)
        found = text.longest_prefix(needle)
        hint = "copy the passage verbatim from the source"
        if found >= 2:
            at = text.norm.find(needle[:found])
            then = text.norm[at + found : at + found + 12]
            hint = (
                f"the source has “{needle[:found]}” but then “{then}…”, "
                f"not “{needle[found : found + 12]}…”"
            )
        return self.problem(
            "quote-not-found", loc, f"quote not found in source `{source_id}`", hint
        )

    def mentions(self, quote: str) -> list[Mention]:
        """The numbers a quote states (one sentence often cites several figures: once)."""
        found = self._mentions.get(quote)
        if found is None:
            found = self._mentions[quote] = find_mentions(quote)
        return found
