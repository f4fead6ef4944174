"""Cite this figure: the sentence officials paste into reports, qualifier kept; and the
document's reference entry in GB/T 7714 style (slides' speaker notes)."""

from __future__ import annotations

from dashboard.catalogue.models import (
    Catalogue,
    DateStatus,
    Indicator,
    Observation,
    Source,
    SourceKind,
)
from dashboard.catalogue.precision import derived_place
from dashboard.figures.grammar import Words, figure_words, value_text
from dashboard.figures.wording import date_words

# GB/T 7714 document type codes: a news item is N (newspaper), any other document Z.
TYPE_CODES = {SourceKind.news_report: "N"}
DEFAULT_TYPE_CODE = "Z"


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


def cited_date(source: Source) -> str:
    """The date a reference entry gives: signed if stated, else published if stated, else
    the inferred one in square brackets (GB/T 7714 marks a date worked out, not printed)."""
    for status in (DateStatus.stated, DateStatus.inferred):
        for doc_date in (source.signed, source.published):
            if doc_date.status is status and doc_date.date is not None:
                return doc_date.date if status is DateStatus.stated else f"[{doc_date.date}]"
    return ""


def _text(bilingual: object, lang: str) -> str:
    return str(getattr(bilingual, lang, "") or getattr(bilingual, "zh", ""))


def gbt7714(source: Source, lang: str = "zh") -> str:
    """One reference entry, issuer. title: reference number[Z]. date.:
    "上海市科学技术委员会. 对……的答复: 沪科提复〔2023〕48号[Z]. 2023-05-16." (issuer and
    title in `lang`; the reference number as the document prints it)."""
    title = _text(source.title, lang).strip()
    if source.reference:
        title = f"{title}: {source.reference.strip()}"
    code = TYPE_CODES.get(source.kind, DEFAULT_TYPE_CODE)
    entry = f"{_text(source.issuer, lang).strip()}. {title}[{code}]"
    when = cited_date(source)
    return f"{entry}. {when}." if when else f"{entry}."
