"""One figure standing alone: the number with its qualifier, its period in words, the
sentence it comes from, the document, and the indicators related to it."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.catalogue.models import Catalogue, Indicator
from dashboard.figures.citation import citation_sentence
from dashboard.figures.grammar import Plan, Words, original_text, value_text
from dashboard.figures.wording import source_date

# At most this many related indicators are offered under a card.
MAX_RELATED = 6


@dataclass(frozen=True)
class FigureCard:
    """What a figure card shows (pages render it; slides put it on a card slide)."""

    indicator: str
    title: str  # the indicator's short label
    name: str  # its full name
    value: str  # "超 6600 项", "近 8 亿元"
    original: str  # as the source writes it ("近8亿元"); English cards show it small
    qualifier: str  # the qualifier in words: "超过（下限值）"
    period: str  # "截至2025年6月25日累计"
    quote: str
    source_id: str
    anchor: str  # its quote on the source's page
    source: str  # "沪科提复〔2025〕51号 · 2025-06-25（原文载明）"
    citation: str  # the sentence to paste into a report
    derived: str  # how a derived value was computed, else ""
    related: tuple[str, ...]  # ids of related indicators
    # Another document contradicts this figure: ("两份文件不一致", the note naming both).
    disputes: tuple[tuple[str, str], ...] = ()


def related_indicators(catalogue: Catalogue, indicator: Indicator) -> tuple[str, ...]:
    """Growth and level links, indicators it must not be compared with, then the rest of
    its subject in its topic: where a reader goes next."""
    ids: list[str] = []
    if indicator.growth_of:
        ids.append(indicator.growth_of)
    ids += [i.id for i in catalogue.indicators if i.growth_of == indicator.id]
    ids += [r.indicator for r in indicator.not_comparable_with]
    ids += [
        i.id
        for i in catalogue.indicators
        if i.topic == indicator.topic and i.subject == indicator.subject and i.id != indicator.id
    ]
    known = [i for i in dict.fromkeys(ids) if i in catalogue.indicators_by_id]
    return tuple(known[:MAX_RELATED])


def figure_card(catalogue: Catalogue, plan: Plan, words: Words) -> FigureCard:
    """The card of a plan that holds exactly one figure."""
    tr = words.tr
    (mark,) = plan.marks
    indicator = plan.series[0].indicator
    obs, source = mark.obs, mark.source
    # The document as the rest of the page names it in the reader's language: its number in
    # Chinese, its English short name ("SSTC reply No. 48 (2023)") in English, as on charts.
    reference = (source.reference if tr.lang == "zh" else "") or tr.text(source.short)
    derived = ""
    if obs.derived is not None:
        derived = tr("trends.derived_from", formula=obs.derived.formula)
    return FigureCard(
        indicator=indicator.id,
        title=indicator.label(tr.lang),
        name=tr.text(indicator.name),
        value=value_text(indicator, obs, words, place=mark.place, with_unit=True),
        original=original_text(indicator, obs, words, mark.place),
        qualifier=tr("qualifier." + obs.qualifier.value),
        period=mark.period_words,
        quote=obs.quote,
        source_id=source.id,
        anchor=mark.anchor,
        source=f"{reference} · {source_date(tr, source)}",
        citation=citation_sentence(catalogue, indicator, obs, words),
        derived=derived,
        related=related_indicators(catalogue, indicator),
        disputes=tuple((d.label, d.note.removeprefix("≠ ")) for d in plan.disputes),
    )
