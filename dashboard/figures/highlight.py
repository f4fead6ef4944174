"""A source text as HTML with chosen passages marked; everything from the text is escaped."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the original text, a CSS class and a tooltip."""

    start: int
    end: int
    kind: str
    title: str = ""


_KINDS = {"cited", "unaccounted"}


def _layered(spans: Iterable[Span], length: int) -> list[tuple[int, int, Span]]:
    """Cut overlapping spans into non-overlapping pieces; earlier-listed spans win."""
    owner: list[Span | None] = [None] * length
    for span in spans:
        start, end = max(0, span.start), min(length, span.end)
        for i in range(start, end):
            if owner[i] is None:
                owner[i] = span
    pieces: list[tuple[int, int, Span]] = []
    i = 0
    while i < length:
        current = owner[i]
        j = i
        while j < length and owner[j] is current:
            j += 1
        if current is not None:
            pieces.append((i, j, current))
        i = j
    return pieces


def render(text: str, spans: Iterable[Span]) -> str:
    """The whole text, HTML-escaped, with each span wrapped in <mark class=…>."""
    out: list[str] = []
    pos = 0
    for start, end, span in _layered(spans, len(text)):
        out.append(html.escape(text[pos:start]))
        kind = span.kind if span.kind in _KINDS else "cited"
        title = html.escape(span.title, quote=True)
        out.append(f'<mark class="hl-{kind}" title="{title}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return '<div class="source-text">' + "".join(out) + "</div>"


def quote_spans(text: str, quotes: Iterable[tuple[str, str]]) -> tuple[list[Span], int]:
    """Spans of every occurrence of each (quote, tooltip) in `text`, matched as the
    validator matches them (white space and width normalised); also how many are missing."""
    from dashboard.catalogue.textnorm import locate

    spans: list[Span] = []
    missing = 0
    for quote, title in quotes:
        found = locate(text, quote)
        if not found:
            missing += 1
        spans.extend(Span(start, end, "cited", title) for start, end in found)
    return spans, missing
