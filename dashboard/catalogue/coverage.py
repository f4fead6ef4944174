"""Account for every numeric mention of every source: cited, dismissed or unaccounted."""

from __future__ import annotations

import argparse
import bisect
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.catalogue.numbers import Mention, find_mentions
from dashboard.catalogue.paths import DEFAULT_CATALOGUE
from dashboard.catalogue.textnorm import NormalizedText, normalize
from dashboard.catalogue.validate import read_source_text, validate_path

if TYPE_CHECKING:
    from dashboard.catalogue.models import Catalogue, Text

# Characters of context shown either side of a mention (never across a line break).
CONTEXT_CHARS = 20


class Status(StrEnum):
    """What the catalogue says about a mention."""

    cited = "cited"
    dismissed = "dismissed"
    unaccounted = "unaccounted"


@dataclass(frozen=True)
class MentionCoverage:
    """One mention, where it is (1-based line and column, in characters) and who accounts for it."""

    mention: Mention
    line: int
    col: int
    context: str
    status: Status
    # "indicators.<id>.observations[<i>]", "events.<id>", "dismissal_rules.<id>" or
    # "sources.<id>.dismissed[<i>]"; None when unaccounted.
    by: str | None = None
    # The dismissal's reason, so pages can show why a number is not a figure.
    reason: Text | None = None


@dataclass(frozen=True)
class SourceCoverage:
    """Every mention of one source, in text order, with the catalogue's account of it."""

    source_id: str
    file: str
    mentions: tuple[MentionCoverage, ...]
    # Per-source dismissals whose quote is not in the text or dismisses no mention: to remove.
    stale_dismissals: tuple[str, ...] = ()

    def count(self, status: Status) -> int:
        return sum(1 for m in self.mentions if m.status is status)

    @property
    def cited(self) -> int:
        return self.count(Status.cited)

    @property
    def dismissed(self) -> int:
        return self.count(Status.dismissed)

    @property
    def unaccounted(self) -> int:
        return self.count(Status.unaccounted)

    @property
    def complete(self) -> bool:
        return self.unaccounted == 0


@dataclass(frozen=True)
class _Cover:
    start: int
    end: int
    by: str
    reason: Text | None


class _Covers:
    """Spans that account for mentions; answers "which span contains [start, end)?" by bisection."""

    def __init__(self, covers: Iterable[_Cover]) -> None:
        ordered = sorted(covers, key=lambda c: (c.start, -c.end))
        self._starts = [c.start for c in ordered]
        # For each prefix of the spans sorted by start, the one reaching furthest right.
        self._reach: list[_Cover] = []
        for cover in ordered:
            if not self._reach or cover.end > self._reach[-1].end:
                self._reach.append(cover)
            else:
                self._reach.append(self._reach[-1])

    def containing(self, start: int, end: int) -> _Cover | None:
        i = bisect.bisect_right(self._starts, start) - 1
        if i < 0:
            return None
        best = self._reach[i]
        return best if best.end >= end else None


def compute_coverage(
    catalogue: Catalogue, base_dir: Path, source_ids: Sequence[str] | None = None
) -> dict[str, SourceCoverage]:
    """Coverage of each source (or only `source_ids`), keyed by source id in catalogue order.

    A mention is cited when an observation's or event's quote of that source contains it (quotes
    are located after normalising white space and width, every occurrence counts); else dismissed
    when a top-level `dismissal_rules` pattern, matched against the raw text with re.MULTILINE (so
    `\\s*` spans the sources' odd spacing and line breaks, and ^/$ anchor lines), or one of the
    source's own `dismissed:` quotes contains it; else unaccounted.
    """
    result: dict[str, SourceCoverage] = {}
    for source in catalogue.sources:
        if source_ids is not None and source.id not in source_ids:
            continue
        if source.id in result:  # duplicate ids are the validator's to report
            continue
        text = read_source_text(catalogue, source.id, base_dir)
        result[source.id] = text_coverage(text, catalogue, source.id, source.file)
    return result


def text_coverage(
    text: str, catalogue: Catalogue, source_id: str | None, file: str = ""
) -> SourceCoverage:
    """Coverage of one text: as the source `source_id` (its citations and own dismissals
    count), or, for a text not in the catalogue (None), by the dismissal rules alone."""
    source = catalogue.sources_by_id.get(source_id) if source_id is not None else None
    located = NormalizedText(text)
    cited = _Covers(_citations(catalogue, source_id, located) if source_id is not None else [])
    dismissals: list[_Cover] = []
    own: list[tuple[str, str, list[tuple[int, int]]]] = []
    for i, dismissal in enumerate(source.dismissed if source is not None else []):
        by = f"sources.{source_id}.dismissed[{i}]"
        spans = located.find_all(normalize(dismissal.quote))
        own.append((by, dismissal.quote, spans))
        dismissals.extend(_Cover(s, e, by, dismissal.reason) for s, e in spans)
    for rule in catalogue.dismissal_rules:
        by = f"dismissal_rules.{rule.id}"
        dismissals.extend(
            _Cover(m.start(), m.end(), by, rule.reason)
            for m in re.finditer(rule.pattern, text, re.MULTILINE)
            if m.end() > m.start()
        )
    dismissed = _Covers(dismissals)
    mentions = tuple(_classify(text, find_mentions(text), cited, dismissed))
    return SourceCoverage(
        source_id=source_id or "",
        file=file,
        mentions=mentions,
        stale_dismissals=tuple(_stale(own, mentions, file)),
    )


def _stale(
    own: list[tuple[str, str, list[tuple[int, int]]]],
    mentions: tuple[MentionCoverage, ...],
    file: str,
) -> Iterable[str]:
    """Per-source dismissals that no longer do anything: quote gone, or every number in it cited."""
    starts = [m.mention.start for m in mentions]
    for by, quote, spans in own:
        if not spans:
            yield f"{by}: quote {quote!r} is not in {file}"
            continue
        inside = (
            m
            for s, e in spans
            for m in mentions[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]
            if m.mention.end <= e
        )
        if not any(m.status is Status.dismissed for m in inside):
            yield f"{by}: quote {quote!r} dismisses nothing (its numbers are cited or absent)"


def _citations(catalogue: Catalogue, source_id: str, located: NormalizedText) -> list[_Cover]:
    covers: list[_Cover] = []
    for indicator in catalogue.indicators:
        for i, observation in enumerate(indicator.observations):
            if observation.source == source_id:
                by = f"indicators.{indicator.id}.observations[{i}]"
                spans = located.find_all(normalize(observation.quote))
                covers.extend(_Cover(s, e, by, None) for s, e in spans)
    for event in catalogue.events:
        if event.source == source_id:
            spans = located.find_all(normalize(event.quote))
            covers.extend(_Cover(s, e, f"events.{event.id}", None) for s, e in spans)
    return covers


def _classify(
    text: str, mentions: list[Mention], cited: _Covers, dismissed: _Covers
) -> Iterable[MentionCoverage]:
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for mention in mentions:
        line_index = bisect.bisect_right(line_starts, mention.start) - 1
        line_start = line_starts[line_index]
        line_end = text.find("\n", mention.start)
        line_end = len(text) if line_end == -1 else line_end
        context = _context(text, mention, line_start, line_end)
        where = (line_index + 1, mention.start - line_start + 1, context)
        cover = cited.containing(mention.start, mention.end)
        if cover is not None:
            yield MentionCoverage(mention, *where, Status.cited, cover.by)
            continue
        cover = dismissed.containing(mention.start, mention.end)
        if cover is not None:
            yield MentionCoverage(mention, *where, Status.dismissed, cover.by, cover.reason)
            continue
        yield MentionCoverage(mention, *where, Status.unaccounted)


def _context(text: str, mention: Mention, line_start: int, line_end: int) -> str:
    start = max(line_start, mention.start - CONTEXT_CHARS)
    end = min(line_end, mention.end + CONTEXT_CHARS)
    # A mention may run across a line break ("2021 年\n5 月"); keep the context on its first line.
    end = max(end, min(mention.end, line_end))
    snippet = text[start:end].strip()
    return ("…" if start > line_start else "") + snippet + ("…" if end < line_end else "")


def format_report(coverage: dict[str, SourceCoverage]) -> list[str]:
    """The CLI's lines: per source its counts, then each unaccounted mention as FILE:LINE:COL."""
    lines: list[str] = []
    for cov in coverage.values():
        lines.append(
            f"{cov.source_id} ({cov.file}): {len(cov.mentions)} mentions: "
            f"{cov.cited} cited / {cov.dismissed} dismissed / {cov.unaccounted} unaccounted"
        )
        lines.extend(f"warning: {message}" for message in cov.stale_dismissals)
        lines.extend(
            f'{cov.file}:{m.line}:{m.col}: "{m.context}"'
            for m in cov.mentions
            if m.status is Status.unaccounted
        )
    total = sum(len(c.mentions) for c in coverage.values())
    unaccounted = sum(c.unaccounted for c in coverage.values())
    lines.append(
        f"total: {total} mentions: {sum(c.cited for c in coverage.values())} cited / "
        f"{sum(c.dismissed for c in coverage.values())} dismissed / {unaccounted} unaccounted"
    )
    return lines


def run_cli(argv: list[str]) -> int:
    """`python -m dashboard coverage [--source ID] [PATH]`: 1 if any mention is unaccounted."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard coverage",
        description="List every numeric mention of the sources that the catalogue neither cites "
        "nor dismisses.",
    )
    parser.add_argument("--source", metavar="ID", help="only this source id")
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_CATALOGUE,
        metavar="PATH",
        help="the catalogue (default: indicators.yaml at the repository root)",
    )
    args = parser.parse_args(argv)

    result = validate_path(args.path)
    if not result.ok or result.catalogue is None:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{args.path}: not checked for coverage: the catalogue is invalid", file=sys.stderr)
        return 1
    catalogue = result.catalogue
    if args.source is not None and args.source not in catalogue.sources_by_id:
        known = ", ".join(catalogue.sources_by_id)
        print(f"unknown source id {args.source!r} (hint: one of {known})", file=sys.stderr)
        return 2
    source_ids = None if args.source is None else [args.source]
    coverage = compute_coverage(catalogue, args.path.resolve().parent, source_ids)
    for line in format_report(coverage):
        print(line)
    return 1 if any(not c.complete for c in coverage.values()) else 0
