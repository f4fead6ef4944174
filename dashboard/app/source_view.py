"""The Sources page's blocks: a document's metadata, its figures, its text with quotes marked."""

from __future__ import annotations

import html
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from dashboard.app import data_io, urlstate
from dashboard.app.context import Context
from dashboard.app.paging import page_of
from dashboard.catalogue.coverage import SourceCoverage
from dashboard.catalogue.models import Source
from dashboard.figures import highlight
from dashboard.figures.formatting import escape_markdown as md
from dashboard.figures.grammar import Words, figure_words
from dashboard.figures.highlight import Quote, Span, event_anchor, figure_anchor
from dashboard.figures.wording import doc_date_text, event_date_text, value_of

SCROLL_SCRIPT = Path(__file__).resolve().parent / "static" / "scroll_to_quote.js"


def source_metadata(ctx: Context, source: Source) -> None:
    """Issuer, reference, kind, dates (inferred ones marked), file; catalogue text escaped."""
    tr = ctx.tr
    rows = [
        (tr("sources.issuer"), tr.text(source.issuer)),
        (tr("sources.reference"), source.reference or tr("sources.no_reference")),
        (tr("sources.kind"), tr("kind." + value_of(source.kind))),
    ]
    if source.addressee is not None:
        rows.append((tr("sources.addressee"), tr.text(source.addressee)))
    rows += [
        (tr("sources.signed"), doc_date_text(ctx.tr, source.signed)),
        (tr("sources.published"), doc_date_text(ctx.tr, source.published)),
        (tr("sources.file"), source.file),
    ]
    st.header(md(tr.text(source.title)), anchor=False)  # h2 under the page's h1
    st.markdown("  \n".join(f"**{label}**: {md(value)}" for label, value in rows))
    if source.notes is not None:
        st.caption(md(tr.text(source.notes)))


def _figures(ctx: Context, source_id: str) -> tuple[pd.DataFrame, str]:
    """The table of a document's figures and the Markdown list of its events."""
    tr, cat = ctx.tr, ctx.catalogue
    words = Words(tr, ctx.units)
    rows: list[dict[str, object]] = []
    for indicator in cat.indicators:
        for obs in indicator.observations:
            if obs.source == source_id:
                value, period = figure_words(cat, indicator, obs, words)
                rows.append(
                    {
                        "#": len(rows) + 1,  # the number on its quote in the text below
                        tr("col.name"): indicator.label(tr.lang),
                        tr("col.period"): period,
                        tr("col.shown"): value,
                        tr("col.derived"): obs.is_derived,
                        tr("col.quote"): obs.quote,
                    }
                )
    table = pd.DataFrame(rows)
    events = sorted(
        (e for e in cat.events if e.source == source_id), key=lambda e: (e.span.end, e.id)
    )
    lines = (f"{md(event_date_text(ctx.tr, e))} · {md(tr.text(e.title))}" for e in events)
    return table, "  \n".join(lines)


def source_figures(ctx: Context, source_id: str) -> None:
    """Every figure and event this document contributes, each linking to its trend. Built
    once per (catalogue version, source, language) and shown a page at a time: a catalogue
    grown 40x cites each document thousands of times."""
    tr = ctx.tr
    build = partial(_figures, ctx, source_id)
    table, events = data_io.per_version(ctx.loaded, "source_figures", (source_id, tr.lang), build)
    if table.empty:
        st.caption(tr("sources.no_figures"))
    else:
        st.dataframe(page_of(ctx, table, f"w_source_page_{source_id}"), hide_index=True)
    if events:
        st.markdown(f"**{tr('sources.events')}**")
        st.markdown(events)


def quotes_of(ctx: Context, source_id: str) -> list[Quote]:
    """Every observation and event citing `source_id`, numbered as the figures table is,
    with its anchor and a link back to its figure's trend."""
    tr, cat = ctx.tr, ctx.catalogue
    out: list[Quote] = []
    for indicator in cat.indicators:
        for k, obs in enumerate(indicator.observations):
            if obs.source == source_id:
                params = urlstate.trends_params(ctx.state, [indicator.id])
                out.append(
                    Quote(
                        obs.quote,
                        f"{indicator.label(tr.lang)} · {obs.period}",
                        figure_anchor(indicator.id, k),
                        "trends?" + urlencode(params),
                        str(len(out) + 1),
                    )
                )
    for event in cat.events:
        if event.source == source_id:
            title = f"{tr('chart.event')} · {tr.text(event.title)}"
            out.append(Quote(event.quote, title, event_anchor(event.id)))
    return out


def highlighted_text(
    ctx: Context, source_id: str, text: str, coverage: SourceCoverage | None, focus: str
) -> tuple[str, int]:
    """The source text as HTML with its quotes (and, with `coverage`, its unaccounted
    numbers) marked, each quote anchored and linked to its figure, `focus` the one a link
    landed on; and how many quotes were not found. Built once per (catalogue version,
    source, language, marks, focus): locating every quote re-normalised the whole text."""

    def build() -> tuple[str, int]:
        spans, missing = highlight.quote_spans(text, quotes_of(ctx, source_id))
        if coverage is not None:
            spans += unaccounted_spans(ctx, coverage)
        return highlight.render(text, spans, focus, ctx.tr("sources.text")), missing

    key = (source_id, ctx.tr.lang, ctx.state.present, coverage is not None, focus, hash(text))
    return data_io.per_version(ctx.loaded, "highlighted_text", key, build)


def focused_quote(ctx: Context, source_id: str, text: str, focus: str) -> None:
    """The passage a link landed on, first and in its sentence, with a jump to it in the
    full text and the figure it states (the page also scrolls there)."""
    tr = ctx.tr
    quote = next((q for q in quotes_of(ctx, source_id) if q.anchor == focus), None)
    spans, _missing = highlight.quote_spans(text, [quote] if quote else [])
    if quote is None or not spans:
        return
    before, passage, after = highlight.context_of(text, spans[0].start, spans[0].end)
    with st.container(border=True, key="focused_quote"):
        st.caption(md(tr("sources.focused", title=quote.title)))
        st.markdown(f"…{md(before)}**{md(passage)}**{md(after)}…")
        st.markdown(f"[{md(tr('sources.jump'))}](#{focus})")
    # Scroll the full text to the anchor as well (same-origin frame; best effort). The
    # script is a fixed file, reading the anchor from the URL: the edge's CSP allows it by
    # its hash, never inline scripts in general.
    components.html(f"<script>{SCROLL_SCRIPT.read_text(encoding='utf-8')}</script>", height=0)


def unaccounted_spans(ctx: Context, coverage: SourceCoverage) -> list[Span]:
    return [
        Span(m.mention.start, m.mention.end, "unaccounted", ctx.tr("col.unaccounted"))
        for m in coverage.mentions
        if value_of(m.status) == "unaccounted"
    ]


def highlight_key(ctx: Context, with_unaccounted: bool) -> str:
    """A legend for the marks; labels come from i18n.yaml (our data) and are escaped."""
    cited = html.escape(ctx.tr("sources.legend_cited"))
    unaccounted = html.escape(ctx.tr("sources.legend_unaccounted"))
    key = f'<span class="hl-key hl-cited">{cited}</span>'
    if with_unaccounted:
        key += f'<span class="hl-key hl-unaccounted">{unaccounted}</span>'
    return f"<p>{key}</p>"
