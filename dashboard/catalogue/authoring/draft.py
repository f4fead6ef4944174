"""`draft`: a proposed observation for every figure of a source that the catalogue neither
cites nor dismisses (or for every number, with `include_cited`), each with its value, unit,
qualifier, period, measure, a verbatim quote the validator accepts, and why.

Numbers are read by the project's own parser (numbers.find_mentions): it is the parser the
validator checks quotes with, so a drafted value is exactly what `check` will read, and it
already understands every form in the sources (Arabic and Chinese numerals, 万/亿, 余/多,
近/超/约, 成)."""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from dashboard.catalogue import paths
from dashboard.catalogue.authoring import mapping, reading
from dashboard.catalogue.authoring.emit import items_text
from dashboard.catalogue.authoring.mapping import Vocabulary
from dashboard.catalogue.coverage import MentionCoverage, Status, text_coverage
from dashboard.catalogue.models import Catalogue, DateStatus, Source
from dashboard.catalogue.numbers import Mention, find_mentions, same_number, states_share
from dashboard.catalogue.scales import suggested_line
from dashboard.catalogue.textnorm import NormalizedText, normalize
from dashboard.catalogue.validate import read_source_text

# Keys of a draft in output order: an observation's keys first, then what only a draft has.
OBSERVATION_KEYS = (
    "period",
    "compared_with",
    "value",
    "qualifier",
    "fraction",
    "source",
    "quote",
)
DRAFT_KEYS = ("indicator", "unit", "measure", "line", "why", "cited_by")


@dataclass(frozen=True)
class Draft:
    """One proposed observation, with where it is and why it reads as it does."""

    value: float | int
    unit: str
    qualifier: str
    period: str
    measure: str
    quote: str
    line: int
    indicator: str
    why: str
    source: str
    compared_with: str | None = None
    fraction: str | None = None
    cited_by: str | None = None
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def as_mapping(self) -> dict[str, Any]:
        """The draft's keys in output order (empty optional keys left out)."""
        out: dict[str, Any] = {}
        for key in OBSERVATION_KEYS + DRAFT_KEYS:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def observation(self) -> dict[str, Any]:
        """Only the keys an observation has: what goes under an indicator."""
        full = self.as_mapping()
        return {key: full[key] for key in OBSERVATION_KEYS if key in full}


def draft_source(
    catalogue: Catalogue, base_dir: Path, source_id: str, include_cited: bool = False
) -> list[Draft]:
    """Drafts for a source of the catalogue (its own citations and dismissals count)."""
    text = read_source_text(catalogue, source_id, base_dir)
    as_of = as_of_label(catalogue.sources_by_id[source_id])
    units = known_units(base_dir)
    return draft_text(text, catalogue, source_id, as_of, include_cited, source_id, units)


def as_of_label(source: Source) -> str:
    """The source's as-of date at the precision it is given ("2025" for a year inferred):
    the end of the periods of its running totals and levels."""
    for doc_date in (source.signed, source.published):
        if doc_date.status is DateStatus.stated and doc_date.date:
            return doc_date.date
    for doc_date in (source.signed, source.published):
        if doc_date.status is DateStatus.inferred and doc_date.date:
            return doc_date.date
    return source.as_of.isoformat()


def known_units(base_dir: Path) -> Units:
    """data/units.yaml and data/terms.yaml beside the catalogue (empty when unreadable)."""
    return Units(_mapping(base_dir, paths.UNITS_FILE), _mapping(base_dir, paths.TERMS_FILE))


def _mapping(base_dir: Path, name: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load((paths.data_dir(base_dir) / name).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Units:
    """What drafting reads from the data folder: the units and the words for measures."""

    table: Mapping[str, Any] = field(default_factory=dict)
    terms: Mapping[str, Any] = field(default_factory=dict)

    def __contains__(self, unit: object) -> bool:
        return unit in self.table

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary.from_data(self.terms)


def draft_text(
    text: str,
    catalogue: Catalogue,
    source_id: str,
    as_of: date | str | None,
    include_cited: bool = False,
    known_source: str | None = None,
    units: Units | None = None,
) -> list[Draft]:
    """Drafts for a text: `known_source` is its id in the catalogue (None for a new text,
    which only the dismissal rules apply to); `source_id` is the id the drafts cite."""
    coverage = text_coverage(text, catalogue, known_source)
    structure = reading.Structure(text)
    cues = reading.find_cues(text)
    citing = _citations(text, catalogue, known_source) if include_cited else []
    drafts: list[Draft] = []
    per_line: dict[int, int] = {}
    # The figure's own words run up to its neighbouring figures (实现 23 家企业与 12 家银行…);
    # a date, a code or a title between them does not end them.
    figures = [c.mention for c in coverage.mentions if _figure_like(text, c.mention)]
    starts = [m.start for m in figures]
    ends = [m.end for m in figures]
    for covered in coverage.mentions:
        if covered.status is not Status.unaccounted and not include_cited:
            continue
        cited_by = _cited_by(citing, covered) if covered.status is Status.cited else None
        before = bisect.bisect_right(ends, covered.mention.start)
        after = bisect.bisect_left(starts, covered.mention.end)
        own = (
            ends[before - 1] if before else 0,
            starts[after] if after < len(starts) else len(text),
        )
        draft = _draft_one(
            text,
            catalogue,
            structure,
            cues,
            covered,
            source_id,
            as_of,
            per_line,
            cited_by,
            own,
            units or Units(),
        )
        if draft is not None and units is not None and draft.unit not in units:
            line = suggested_line(draft.unit, units.table)
            why = f"{draft.why}; unit {draft.unit} is not in data/units.yaml: add the line {line}"
            draft = replace(draft, why=why)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _citations(
    text: str, catalogue: Catalogue, source_id: str | None
) -> list[tuple[int, int, str, float]]:
    """(start, end, where, value) of every observation quote of the source in the text."""
    located = NormalizedText(text)
    out = []
    for indicator in catalogue.indicators:
        for i, obs in enumerate(indicator.observations):
            if obs.source == source_id:
                where = f"indicators.{indicator.id}.observations[{i}]"
                for start, end in located.find_all(normalize(obs.quote)):
                    out.append((start, end, where, float(obs.value)))
    return out


def _cited_by(citing: list[tuple[int, int, str, float]], covered: MentionCoverage) -> str | None:
    """The observation stating this very number (a quote may hold several figures), else
    whatever cites it (an event, another observation's quote)."""
    m = covered.mention
    inside = [c for c in citing if c[0] <= m.start and m.end <= c[1]]
    for _, _, where, value in inside:
        if any(same_number(value, v) for v in m.values):
            return where
    return covered.by


def _draft_one(
    text: str,
    catalogue: Catalogue,
    structure: reading.Structure,
    cues: list[reading.Cue],
    covered: MentionCoverage,
    source_id: str,
    as_of: date | str | None,
    per_line: dict[int, int],
    cited_by: str | None,
    own: tuple[int, int],
    units: Units,
) -> Draft | None:
    mention = covered.mention
    if not _figure_like(text, mention):
        return None
    found = reading.read_value(text, mention)
    if found is None or (not found.unit and not _is_rank(text, mention)):
        return None
    timing = reading.time_of(text, structure, cues, mention, found, as_of)
    unit = "名" if timing.measure == "rank" else found.unit
    qualifier = mention.qualifier or "exact"
    fraction = f"{found.fraction[0]}/{found.fraction[1]}" if found.fraction else None
    quote = _quote(text, structure, mention, found.value, qualifier, fraction)
    if quote is None:
        return None
    figure = mapping.FigureWords(
        unit, timing.measure, timing.period, *_words(text, structure, mention, found, own, unit)
    )
    match = mapping.choose(catalogue, figure, units.vocabulary, units.table)
    indicator, matched = match.indicator, match.reason
    if not indicator:
        matched = f"a new indicator: {matched}"
    if cited_by:
        matched = f"already cited by {cited_by}"
        if cited_by.startswith("indicators."):
            indicator = cited_by.split(".")[1]
    if not indicator:
        per_line[covered.line] = per_line.get(covered.line, 0) + 1
        indicator = f"new_{source_id}_l{covered.line}_{per_line[covered.line]}"[:64]
    said = text[mention.start : found.end]
    read_as = f"“{said}” read as {found.value} {unit}"
    if found.fraction is not None:
        n, d = found.fraction
        read_as = (
            f"“{said}” read as {n}/{d}, {found.value} % to one decimal (fraction: {n}/{d} "
            "records what the text states)"
        )
    why = "; ".join(
        [
            read_as
            + (f" ({found.assumed} assumed: the clause speaks of money)" if found.assumed else ""),
            _qualifier_why(text, mention, qualifier),
            timing.why,
            matched,
        ]
    )
    return Draft(
        value=found.value,
        unit=unit,
        qualifier=qualifier,
        period=timing.period,
        measure=timing.measure,
        quote=quote,
        line=covered.line,
        indicator=indicator,
        why=why,
        source=source_id,
        compared_with=timing.compared_with,
        fraction=fraction,
        cited_by=cited_by,
        start=mention.start,
        end=mention.end,
    )


def _figure_like(text: str, mention: Mention) -> bool:
    """A number that can be a figure: one value (not a range or a code), not inside a
    《title》 or a “name”, not an ordinal (第三方) unless a rank (居全国第一)."""
    if len(mention.values) > 1 and not _multiplied(mention):
        return False
    if re.search(r"[〔〕/A-Za-z]", mention.text):
        return False
    for opening, closing in (("《", "》"), ("“", "”")):
        left = text.rfind(opening, 0, mention.start)
        if left != -1 and text.find(closing, left) > mention.start:
            return False
    if mention.start > 0 and text[mention.start - 1] == "第":
        return _is_rank(text, mention)
    return True


def _multiplied(mention: Mention) -> bool:
    """4.6 万 reads as 4.6 and 46000; 三成 as 3 and 30: one figure, not a range."""
    return len(mention.values) == 2 and (
        mention.values[1] == mention.values[0] * 10 or mention.values[1] >= mention.values[0] * 1000
    )


def _is_rank(text: str, mention: Mention) -> bool:
    return bool(reading.RANK_WORDS.search(text[max(0, mention.start - 10) : mention.start]))


_MARKERS = {
    "more_than": re.compile(r"超过|超出|超|逾|余|多|以上|过(?=半)"),
    "nearly": re.compile(r"将近|接近|近"),
    "about": re.compile(r"大约|约|左右"),
}


def _qualifier_why(text: str, mention: Mention, qualifier: str) -> str:
    """The marker the qualifier was read from (超, 近, 约, 余, 以上…)."""
    if qualifier == "exact":
        return "exact (no 超/近/约 marker)"
    around = text[max(0, mention.start - 6) : mention.end + 6]
    found = _MARKERS[qualifier].findall(around)
    return f"{qualifier} ({found[-1] if found else 'marker by the number'})"


def _quote(
    text: str,
    structure: reading.Structure,
    mention: Mention,
    value: float,
    qualifier: str,
    fraction: str | None = None,
) -> str | None:
    """The shortest clause (then segment, then sentence) holding the figure that the
    validator reads back with the same value and qualifier."""
    for level in ("clause", "segment", "sentence"):
        start, end = structure.span(level, mention.start)
        quote = text[start:end].strip().rstrip("，,。；;：:、")
        quote = re.sub(r"\s*\n\s*", "", quote)  # a line break inside a sentence (PDF copy)
        if _reads_back(quote, value, qualifier, fraction):
            return quote
    return None


def _reads_back(quote: str, value: float, qualifier: str, fraction: str | None = None) -> bool:
    """The validator's own test (checks.values.values_in_quotes) on a would-be quote."""
    matching = [
        m
        for m in find_mentions(quote)
        if any(same_number(v, value) for v in m.values) or states_share(m, value, fraction)
    ]
    return any((m.qualifier or "exact") == qualifier for m in matching)


# -- indicators ------------------------------------------------------------------------------
def _words(
    text: str,
    structure: reading.Structure,
    mention: Mention,
    found: reading.Reading,
    own: tuple[int, int],
    unit: str,
) -> tuple[str, str, str, str, str, str]:
    """The figure's words for finding its indicator (mapping.FigureWords: its own words, its
    closest words, its paragraph before it, the rest of its clause, what follows it, its
    sentence to the end of its clause).

    Its own words are its clause, up to the figures beside it, and the words the clause
    opens with (征集 in 征集…1385家创新企业2617项需求); a rank's are its whole segment (居全国
    第一 ranks the amount stated before it)."""
    start, end = structure.span("clause", mention.start)
    if unit == "名" and reading.RANK_WORDS.search(text[max(0, mention.start - 10) : mention.start]):
        seg = structure.span("segment", mention.start)
        words = text[seg[0] : mention.start]
        close = re.sub(r"《[^》]*》", " ", words)
        after = ""
    else:
        lead = text[max(start, own[0]) : mention.start]
        # What follows names what is counted, up to the next item of a list (、).
        after = re.split(r"[、]", text[found.end : min(end, own[1])], maxsplit=1)[0]
        opening = text[start : own[0]] if own[0] > start else ""
        opening = re.split(r"[0-9０-９]", opening, maxsplit=1)[0]
        # A clause of a bare noun that goes on about the clause before it (技术合同登记 1200
        # 项，合同额超 300 亿元): that clause's words, up to its number, say what it counts too.
        previous = ""
        segment = structure.span("segment", mention.start)[0]
        bare = re.sub(r"超过|超出|超|逾|将近|接近|近|约|达到|达|为|共|计|\s", "", lead)
        if start > segment and len(bare) <= 3 and not re.search(r"[0-9０-９]", lead):
            before = text[structure.span("clause", start - 1)[0] : start]
            # Its words before its last number, dates and numbers left out.
            last = max((m.start() for m in re.finditer(r"[0-9０-９]", before)), default=0)
            previous = re.sub(r"[0-9０-９]+\s*[年月日]?", " ", before[:last])
        words = f"{previous} {opening} {lead} {after}"
        close = re.sub(r"《[^》]*》", " ", f"{lead} {after}")
    paragraph = structure.span("paragraph", mention.start)[0]
    sentence = structure.span("sentence", mention.start)[0]
    return (
        words,
        close,
        text[paragraph : mention.start],
        text[mention.start : end],
        after,
        text[sentence:end],
    )


# -- output ----------------------------------------------------------------------------------
def to_yaml(drafts: Sequence[Draft]) -> str:
    """A YAML list of mappings: an observation's keys first, then the draft-only keys
    (indicator, unit, measure, line, why, cited_by), which the validator refuses: delete
    them (or use the review page) once the figure is reviewed."""
    if not drafts:
        return "[]\n"
    return items_text([d.as_mapping() for d in drafts], 0)


def to_csv(drafts: Iterable[Draft]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(OBSERVATION_KEYS + DRAFT_KEYS), lineterminator="\n"
    )
    writer.writeheader()
    for draft in drafts:
        writer.writerow(draft.as_mapping())
    return out.getvalue()


def parse_yaml(text: str) -> list[dict[str, Any]]:
    """Drafts back from YAML (the review page's edited table round-trips through this)."""
    data = yaml.safe_load(text)
    return [dict(item) for item in data] if isinstance(data, list) else []
