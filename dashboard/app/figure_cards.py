"""A figure card on a page: one figure with its qualifier, period, sentence and document."""

from __future__ import annotations

import html

import streamlit as st

from dashboard.app import urlstate
from dashboard.app.context import Context
from dashboard.figures.figure_card import FigureCard
from dashboard.figures.formatting import escape_markdown as md


def cite_block(ctx: Context, sentence: str) -> None:
    """The citation sentence in a box with a copy button (st.code has one)."""
    st.caption(ctx.tr("cite.copy"), help=ctx.tr("cite.copy_help"))
    st.code(sentence, language=None, wrap_lines=True)


def figure_card_block(ctx: Context, card: FigureCard, *, compact: bool = False) -> None:
    """The number large, then what it is, when, the quote and where it comes from; a
    `compact` card (a topic page's) keeps the number, period, quote and document."""
    tr = ctx.tr
    with st.container(border=True, key=f"figure_card_{card.indicator}"):
        st.caption(md(card.title if compact else card.name), help=card.name if compact else None)
        # The number large, but not a heading: a heading made of a number says nothing
        # in a screen reader's list of headings, and broke their order under a topic's h1.
        size = "figure-value compact" if compact else "figure-value"
        st.html(f'<p class="{size}">{html.escape(card.value)}</p>')
        if card.original and tr.lang == "en":  # the source's own wording: 超15亿元
            st.caption(md(tr("chart.as_stated", value=card.original)))
        st.markdown(f"**{md(card.period)}** · {md(card.qualifier)}")
        if card.derived:
            st.caption(md(card.derived))
        for label, note in card.disputes:
            st.warning(f"**{md(label)}** · {md(note)}", icon=":material/compare_arrows:")
        st.markdown(f"> {md(card.quote)}")
        st.caption(md(card.source))
        if not compact:
            cite_block(ctx, card.citation)
        with st.container(horizontal=True):
            st.page_link(
                ctx.pages["sources"],
                label=tr("trends.open_quote"),
                icon=":material/format_quote:",
                query_params=urlstate.source_params(ctx.state, card.source_id, card.anchor),
            )
            if not compact:
                st.caption(tr("figure_card.related"))
                for related in card.related:
                    st.page_link(
                        ctx.pages["trends"],
                        label=ctx.catalogue.indicators_by_id[related].label(tr.lang),
                        icon=":material/arrow_forward:",
                        query_params=urlstate.trends_params(ctx.state, [related]),
                    )
