"""Dates and enum values written out for readers: stated, inferred (marked) or unstated."""

from __future__ import annotations

from typing import Any

from dashboard.catalogue.models import DocDate, Event, Source
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
