"""Every figure of the catalogue as one searchable table: names in both languages, subject,
unit, quote, and where each figure's chart and sentence are."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
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
    "date",
    "quote",
    "chart",
    "in_source",
    "cite",
    "search",
]

# A search is at most this many characters and this many distinct words: what a person
# types or pastes to find a figure. The rest is cut (and the page says so), so a pasted
# document costs what a short query costs: each word is one pass over the table.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 8


def fold(text: str) -> str:
    """The form both the table's search text and a query are compared in: NFKC (full-width
    letters and digits become plain ones) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Query:
    """A search box's text as it is searched: distinct folded words, and whether the text
    was longer than the limits (then only its beginning is searched)."""

    terms: tuple[str, ...]
    cut: bool


def parse_query(text: str) -> Query:
    """The first MAX_QUERY_TERMS distinct words of the first MAX_QUERY_CHARS characters
    (a word found inside another one is not searched twice).
    Never looks past the limit, so a pasted megabyte costs no more than a line. A word the
    limit cuts is searched by its beginning (a long pasted quote still finds its figure)."""
    cut = len(text) > MAX_QUERY_CHARS
    words = list(dict.fromkeys(fold(text[:MAX_QUERY_CHARS]).split()))
    # A word inside another word finds nothing more: every row with "合同额" has "合同".
    terms = [w for w in words if not any(w != other and w in other for other in words)]
    if len(terms) > MAX_QUERY_TERMS:
        terms, cut = terms[:MAX_QUERY_TERMS], True
    return Query(tuple(terms), cut)


def finder_table(catalogue: Catalogue, words: Words, params: dict[str, str]) -> pd.DataFrame:
    """One row per figure, in the reader's language; `params` (language, mode) go into the
    links. `search` holds both languages' names, the subject, unit and quote, `fold`ed once
    here (the table is built once per catalogue version), never per query."""
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
            )
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
                    # The document's date (ISO, so it sorts): "which figure is newest?"
                    "date": source.as_of.isoformat(),
                    "quote": obs.quote,
                    "chart": "trends?" + urlencode(chart),
                    "in_source": "sources?" + urlencode(quote),
                    "cite": citation_sentence(catalogue, indicator, obs, words),
                    "search": fold(haystack),
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def search(
    table: pd.DataFrame,
    query: Query | str = "",
    *,
    topics: list[str] | None = None,
    sources: list[str] | None = None,
    qualifiers: list[str] | None = None,
    measures: list[str] | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """The rows matching every word of `query` (anywhere in `search`) and every filter. A
    text is parsed with `parse_query` first: at most MAX_QUERY_TERMS passes over the table."""
    if isinstance(query, str):
        query = parse_query(query)
    keep = pd.Series(True, index=table.index)
    for word in query.terms:
        if not keep.any():
            break
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


def newest_first(table: pd.DataFrame) -> pd.DataFrame:
    """The rows by document date, newest first (the catalogue's order within one date)."""
    return table.sort_values("date", ascending=False, kind="stable")
