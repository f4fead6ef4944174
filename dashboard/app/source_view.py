"""The Sources page's blocks: a document's metadata, its figures, its text with quotes marked."""

from __future__ import annotations

import html
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.app import data_io
from dashboard.app.context import Context
from dashboard.app.paging import page_of
from dashboard.catalogue.coverage import SourceCoverage
from dashboard.catalogue.models import Source
from dashboard.figures import highlight
from dashboard.figures.formatting import escape_markdown as md
from dashboard.figures.highlight import Span
from dashboard.figures.wording import doc_date_text, event_date_text, value_of


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
    st.markdown(f"#### {md(tr.text(source.title))}")
    st.markdown("  \n".join(f"**{label}**: {md(value)}" for label, value in rows))
    if source.notes is not None:
        st.caption(md(tr.text(source.notes)))


def _figures(ctx: Context, source_id: str) -> tuple[pd.DataFrame, str]:
    """The table of a document's figures and the Markdown list of its events."""
    tr, cat = ctx.tr, ctx.catalogue
    frame = ctx.frame[ctx.frame["source"] == source_id]
    table = pd.DataFrame()
    if not frame.empty:
        ids = list(dict.fromkeys(frame["indicator"]))
        rows = ctx.prepare(frame, ids)
        table = pd.DataFrame(
            {
                tr("col.name"): [ctx.name(i) for i in rows["indicator"]],
                tr("col.period"): rows["period_text"],
                tr("col.shown"): rows["label"],
                tr("col.derived"): rows["derived"],
                tr("col.quote"): rows["quote"],
            }
        )
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


def quotes_of(ctx: Context, source_id: str) -> list[tuple[str, str]]:
    """(quote, tooltip) for every observation and event citing `source_id`."""
    tr, cat = ctx.tr, ctx.catalogue
    out: list[tuple[str, str]] = []
    for indicator in cat.indicators:
        for obs in indicator.observations:
            if obs.source == source_id:
                out.append((obs.quote, f"{tr.text(indicator.name)} · {obs.period}"))
    for event in cat.events:
        if event.source == source_id:
            out.append((event.quote, f"{tr('chart.event')} · {tr.text(event.title)}"))
    return out


def highlighted_text(
    ctx: Context, source_id: str, text: str, coverage: Any | None, marked: bool
) -> tuple[str, int]:
    """The source text as HTML with its quotes (and, if `marked`, unaccounted numbers)
    marked, and how many quotes were not found. Built once per (catalogue version, source,
    language, marked): locating every quote re-normalised the whole text on each run."""

    def build() -> tuple[str, int]:
        spans, missing = highlight.quote_spans(text, quotes_of(ctx, source_id))
        if marked and coverage is not None:
            spans += unaccounted_spans(ctx, coverage)
        return highlight.render(text, spans), missing

    key = (source_id, ctx.tr.lang, marked, hash(text))
    return data_io.per_version(ctx.loaded, "highlighted_text", key, build)


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
