"""A source text as HTML with chosen passages marked; everything from the text is escaped.

Each quoted passage can carry an anchor (so a link can land on it), a back-link to the
figure it states, and a tint that tells it from its neighbours."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the original text, a CSS class and a tooltip; a quote
    may add its anchor id, the link back to its figure and that link's label."""

    start: int
    end: int
    kind: str
    title: str = ""
    anchor: str = ""
    link: str = ""
    label: str = ""


@dataclass(frozen=True)
class Quote:
    """A passage to mark: the quote, its tooltip, and where it leads."""

    text: str
    title: str
    anchor: str = ""
    link: str = ""
    label: str = ""


_KINDS = {"cited", "unaccounted"}
_ANCHOR = re.compile(r"^[a-z0-9_-]{1,120}$")
# A few tints, so neighbouring quotes can be told apart (the n-th quote gets tint n % 4).
TINTS = 4


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


def render(text: str, spans: Iterable[Span], focus: str = "", label: str = "") -> str:
    """The whole text, HTML-escaped, with each span wrapped in <mark class=…>; a quote's
    first piece carries its anchor id, its last a back-link to its figure; the `focus`
    anchor is marked as the one a link landed on. The box scrolls, so it takes the
    keyboard's focus (WCAG 2.1.1) and, given a `label`, is a region named by it."""
    spans = list(spans)
    tint = {id(s): n % TINTS for n, s in enumerate(s for s in spans if s.anchor)}
    pieces = _layered(spans, len(text))
    last_piece = {id(span): k for k, (_s, _e, span) in enumerate(pieces)}
    out: list[str] = []
    pos = 0
    seen: set[int] = set()
    for k, (start, end, span) in enumerate(pieces):
        out.append(html.escape(text[pos:start]))
        kind = span.kind if span.kind in _KINDS else "cited"
        classes = [f"hl-{kind}"]
        attrs = ""
        anchor = span.anchor if _ANCHOR.match(span.anchor or "") else ""
        if anchor:
            classes.append(f"hl-t{tint.get(id(span), 0)}")
            if anchor == focus:
                classes.append("hl-focus")
            if id(span) not in seen:
                attrs = f' id="{anchor}"'
        seen.add(id(span))
        title = html.escape(span.title, quote=True)
        body = html.escape(text[start:end])
        out.append(f'<mark{attrs} class="{" ".join(classes)}" title="{title}">{body}</mark>')
        if anchor and span.link and last_piece[id(span)] == k:
            href = html.escape(span.link, quote=True)
            label = html.escape(span.label or "↗")
            out.append(f'<sup class="hl-ref"><a href="{href}" title="{title}">{label}</a></sup>')
        pos = end
    out.append(html.escape(text[pos:]))
    named = f' role="region" aria-label="{html.escape(label, quote=True)}"' if label else ""
    # The documents are Chinese in either UI: lang lets a screen reader switch voice (3.1.2).
    return f'<div class="source-text" lang="zh-CN" tabindex="0"{named}>' + "".join(out) + "</div>"


def quote_spans(text: str, quotes: Iterable[Quote | tuple[str, str]]) -> tuple[list[Span], int]:
    """Spans of every occurrence of each quote in `text`, matched as the validator matches
    them (white space and width normalised); also how many are missing."""
    from dashboard.catalogue.textnorm import NormalizedText, normalize

    located = NormalizedText(text)  # once: normalising the text per quote was most of a cold page
    spans: list[Span] = []
    missing = 0
    for item in quotes:
        quote = item if isinstance(item, Quote) else Quote(item[0], item[1])
        found = located.find_all(normalize(quote.text))
        if not found:
            missing += 1
        for n, (start, end) in enumerate(found):
            anchor = quote.anchor if n == 0 else ""  # an id names one element
            spans.append(Span(start, end, "cited", quote.title, anchor, quote.link, quote.label))
    return spans, missing


def context_of(text: str, start: int, end: int, around: int = 80) -> tuple[str, str, str]:
    """The passage [start, end) with up to `around` characters either side, cut at line
    breaks: (before, passage, after), for showing a quote in its sentence."""
    left = text.rfind("\n", 0, start)
    left = max(left + 1, start - around)
    right = text.find("\n", end)
    right = min(right if right != -1 else len(text), end + around)
    return text[left:start], text[start:end], text[end:right]


def figure_anchor(indicator_id: str, index: int) -> str:
    """The anchor of an observation's quote on its source's page (stable per catalogue)."""
    return f"q-{indicator_id}-{index}"


def event_anchor(event_id: str) -> str:
    return f"e-{event_id}"
