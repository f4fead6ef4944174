"""A source document cited in GB/T 7714 style: issuer. title: reference number[Z]. date."""

from __future__ import annotations

from dashboard.catalogue.models import DateStatus, Source, SourceKind

# GB/T 7714 document type codes: a news item is N (newspaper), any other document Z.
TYPE_CODES = {SourceKind.news_report: "N"}
DEFAULT_TYPE_CODE = "Z"


def cited_date(source: Source) -> str:
    """The date a citation gives: signed if stated, else published if stated, else the
    inferred one in square brackets (GB/T 7714 marks a date worked out, not printed, so)."""
    for status in (DateStatus.stated, DateStatus.inferred):
        for doc_date in (source.signed, source.published):
            if doc_date.status is status and doc_date.date is not None:
                return doc_date.date if status is DateStatus.stated else f"[{doc_date.date}]"
    return ""


def _text(bilingual: object, lang: str) -> str:
    return str(getattr(bilingual, lang, "") or getattr(bilingual, "zh", ""))


def gbt7714(source: Source, lang: str = "zh") -> str:
    """One reference entry: "上海市科学技术委员会. 对……的答复: 沪科提复〔2023〕48号[Z]. 2023-05-16."
    (issuer and title in `lang`; the reference number as the document prints it)."""
    title = _text(source.title, lang).strip()
    if source.reference:
        title = f"{title}: {source.reference.strip()}"
    code = TYPE_CODES.get(source.kind, DEFAULT_TYPE_CODE)
    entry = f"{_text(source.issuer, lang).strip()}. {title}[{code}]"
    when = cited_date(source)
    return f"{entry}. {when}." if when else f"{entry}."
