"""Cite this figure: the sentence officials paste into reports, qualifier kept."""

from __future__ import annotations

from dashboard.catalogue.models import Catalogue, Indicator, Observation
from dashboard.catalogue.precision import derived_place
from dashboard.figures.grammar import Words, figure_words, value_text
from dashboard.figures.wording import date_words


def citation_sentence(
    catalogue: Catalogue, indicator: Indicator, obs: Observation, words: Words
) -> str:
    """据《题名》（文号，日期），期间，指标名称数值。 / According to “Title” (ref, date), name:
    value (period). The value keeps its qualifier (超/近/约) and a derived value its rounding."""
    tr = words.tr
    source = catalogue.sources_by_id[obs.source]
    place = derived_place(catalogue, obs) if obs.is_derived else None
    value = value_text(indicator, obs, words, place=place, with_unit=True, prose=True)
    _shown, period = figure_words(catalogue, indicator, obs, words)
    when = date_words(tr, source.as_of, "day")
    if source.signed.status.value != "stated" and source.published.status.value != "stated":
        when = tr("chart.date_inferred", date=when)
    return tr(
        "cite.sentence",
        title=tr.text(source.title),
        ref=source.reference or tr.text(source.short),
        date=when,
        period=period,
        name=tr.text(indicator.name),
        value=value,
    )
