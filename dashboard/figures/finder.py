"""Every figure of the catalogue as one searchable table: names in both languages, subject,
unit, quote, and where each figure's chart and sentence are."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from dashboard.catalogue.models import Catalogue
from dashboard.figures.citation import citation_sentence
from dashboard.figures.grammar import Words, figure_text
from dashboard.figures.highlight import figure_anchor

COLUMNS = [
    "indicator",
    "name",
    "topic",
    "topic_name",
    "subject",
    "measure",
    "unit",
    "period",
    "year",
    "shown",
    "original",
    "qualifier",
    "derived",
    "source",
    "document",
    "quote",
    "chart",
    "in_source",
    "cite",
    "search",
]


def finder_table(catalogue: Catalogue, words: Words, params: dict[str, str]) -> pd.DataFrame:
    """One row per figure, in the reader's language; `params` (language, mode) go into the
    links. `search` holds both languages' names, the subject, unit and quote, lower-cased."""
    tr = words.tr
    rows = []
    for indicator in catalogue.indicators:
        for k, obs in enumerate(indicator.observations):
            source = catalogue.sources_by_id[obs.source]
            text = figure_text(catalogue, indicator, obs, words)
            document = source.reference or tr.text(source.short)
            haystack = " ".join(
                [
                    indicator.id,
                    indicator.name.zh,
                    indicator.name.en,
                    *((indicator.short.zh, indicator.short.en) if indicator.short else ()),
                    indicator.subject.zh,
                    indicator.subject.en,
                    indicator.unit,
                    tr.topic(indicator.topic),
                    obs.quote,
                ]
            ).lower()
            chart = {**params, "indicator": indicator.id}
            quote = {**params, "source": source.id, "quote": figure_anchor(indicator.id, k)}
            rows.append(
                {
                    "indicator": indicator.id,
                    "name": tr.text(indicator.name),
                    "topic": indicator.topic,
                    "topic_name": tr.topic(indicator.topic),
                    "subject": tr.text(indicator.subject),
                    "measure": indicator.measure.value,
                    "unit": indicator.unit,
                    "period": text.period,
                    "year": obs.span.end.year,
                    "shown": text.value,
                    "original": text.original,
                    "qualifier": obs.qualifier.value,
                    "derived": obs.is_derived,
                    "source": source.id,
                    "document": document,
                    "quote": obs.quote,
                    "chart": "trends?" + urlencode(chart),
                    "in_source": "sources?" + urlencode(quote),
                    "cite": citation_sentence(catalogue, indicator, obs, words),
                    "search": haystack,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def search(
    table: pd.DataFrame,
    text: str = "",
    *,
    topics: list[str] | None = None,
    sources: list[str] | None = None,
    qualifiers: list[str] | None = None,
    measures: list[str] | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """The rows matching every word of `text` (anywhere in `search`) and every filter."""
    keep = pd.Series(True, index=table.index)
    for word in text.lower().split():
        keep &= table["search"].str.contains(word, regex=False)
    for column, allowed in (
        ("topic", topics),
        ("source", sources),
        ("qualifier", qualifiers),
        ("measure", measures),
    ):
        if allowed:
            keep &= table[column].isin(allowed)
    if years is not None:
        keep &= table["year"].between(years[0], years[1])
    return table[keep]
