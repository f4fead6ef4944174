"""Dates and enum values written out for readers: stated, inferred (marked) or unstated."""

from __future__ import annotations

from datetime import date
from typing import Any

from dashboard.catalogue.comparability import Refusal
from dashboard.catalogue.models import Catalogue, DocDate, Event, Indicator, Source
from dashboard.catalogue.periods import Period
from dashboard.figures.i18n import Translator


def value_of(enum_or_text: Any) -> str:
    """An enum's value, or the text itself."""
    return str(getattr(enum_or_text, "value", enum_or_text))


def doc_date_text(tr: Translator, doc_date: DocDate) -> str:
    """A document date with its status: stated, inferred (and from what) or unstated."""
    status = value_of(doc_date.status)
    if status == "stated":
        return tr("sources.date_stated", date=doc_date.date)
    if status == "inferred":
        return tr("sources.date_inferred", date=doc_date.date, basis=tr.text(doc_date.basis))
    return tr("sources.date_unstated")


def source_date(tr: Translator, source: Source) -> str:
    """The date a reader should quote: signed if stated, else published, else inferred
    (and then marked as inferred)."""
    for status in ("stated", "inferred"):
        for doc_date in (source.signed, source.published):
            if value_of(doc_date.status) == status:
                return doc_date_text(tr, doc_date)
    return tr("sources.date_unstated")


def event_date_text(tr: Translator, event: Event) -> str:
    """An event's date as written, marked where the source leaves part of it out."""
    return tr("chart.date_inferred", date=event.date) if event.date_inferred else event.date


def date_words(tr: Translator, when: date, precision: str) -> str:
    """A date at its precision: "2025年6月25日" / "25 Jun 2025", "2022年8月", "2020年"."""
    month = tr(f"months.{when.month}")
    if precision == "day":
        return tr("date.day", y=when.year, m=month, d=when.day)
    if precision == "month":
        return tr("date.month", y=when.year, m=month)
    return tr("date.year", y=when.year)


def _start_words(tr: Translator, span: Period) -> str:
    assert span.start is not None and span.start_precision is not None
    return date_words(tr, span.start, span.start_precision)


def period_words(
    tr: Translator, span: Period, measure: str, compared_with: Period | None = None
) -> str:
    """What a figure's period means, in words: "2024年1—11月", "截至2025年6月25日累计",
    "2016—2020年年均", "2020年比2016年"; on charts, cards, slides and in citations."""
    if measure == "growth_rate" and compared_with is not None:
        period = period_words(tr, span, "flow")
        return tr(
            "period_words.growth", period=period, base=period_words(tr, compared_with, "flow")
        )
    end = date_words(tr, span.end, span.precision)
    if not span.is_interval:
        return end
    if measure == "cumulative":
        if span.start is None:
            return tr("period_words.cumulative_open", date=end)
        return tr("period_words.cumulative_from", start=_start_words(tr, span), end=end)
    if span.start is None:
        return tr("period_words.as_of", date=end)
    if measure == "average_growth_rate":
        return tr("period_words.average_growth", start=span.start.year, end=span.end.year)
    same_year = span.start.year == span.end.year
    if same_year and span.start_precision == "month" and span.precision == "month":
        return tr(
            "period_words.months_of_year",
            y=span.end.year,
            m1=tr(f"months.{span.start.month}"),
            m2=tr(f"months.{span.end.month}"),
        )
    return tr("period_words.interval", start=_start_words(tr, span), end=end)


def not_comparable_text(
    tr: Translator, catalogue: Catalogue, why: Refusal, first: Indicator, other: Indicator
) -> str:
    """Why two indicators must not be compared, with the indicator whose catalogue entry
    gives the reason named first: the reason is written from its side ("universities only
    here, all public research units there"), whichever of the two a page shows."""
    here = catalogue.indicators_by_id.get(why.holder, first)
    there = other if here is first else first
    reason = tr.text(why.reason).strip()
    return tr(
        "compare.not_comparable",
        here=here.label(tr.lang),
        there=there.label(tr.lang),
        reason=reason,
    )
