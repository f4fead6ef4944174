"""Headline cards on a page: latest value, period, change, sparkline or sentence, source."""

from __future__ import annotations

import html
from collections.abc import Mapping
from types import MappingProxyType

import streamlit as st

from dashboard.app import accessible, data_io, urlstate
from dashboard.app.context import Context
from dashboard.figures import theme
from dashboard.figures.formatting import escape_markdown as md
from dashboard.figures.grammar import Words
from dashboard.figures.headline import Headline, headline


def headline_cards(ctx: Context) -> Mapping[str, Headline | None]:
    """Every headline card of the served catalogue, built once per (catalogue version,
    language, presenter mode): rebuilding a dozen figures per run was most of the overview's
    time."""

    def build() -> Mapping[str, Headline | None]:
        words = Words(ctx.tr, ctx.units)
        ids = tuple(ctx.catalogue.headline_ids())
        by_id = ctx.catalogue.indicators_by_id
        return MappingProxyType(
            {i: headline(ctx.catalogue, by_id[i], words, ids, ctx.state.present) for i in ids}
        )

    return data_io.per_version(
        ctx.loaded, "headline_cards", (ctx.tr.lang, ctx.state.present), build
    )


def by_topic(ctx: Context, shown: Mapping[str, Headline | None]) -> dict[str, list[str]]:
    """The headline indicators of each topic, in the topics' and the cards' curated order."""
    topic_of = {i: ctx.catalogue.indicators_by_id[i].topic for i in shown}
    return {t: [i for i in shown if topic_of[i] == t] for t in ctx.topics}


def _value(ctx: Context, card: Headline) -> str:
    """The card's figure, saying so when it is derived rather than stated."""
    return card.value + (f" ({ctx.tr('overview.derived')})" if card.derived else "")


def tile(ctx: Context, card: Headline) -> str:
    """Presenter mode's compact card as one escaped HTML block: what, how much, when, its
    qualifier in words, another document's figure for the same date, a not-comparable
    neighbour (its reason on hover) and a one-line source; sized to the window by
    presenter.css so every headline figure fits one screen."""
    tr = ctx.tr
    period = card.period + (f" · {card.qualifier}" if card.qualifier else "")
    parts = [
        ("tile-topic", card.topic, ""),
        ("tile-title", card.title, card.name),
        (
            "tile-value",
            _value(ctx, card),
            tr("chart.as_stated", value=card.original) if card.original and tr.lang == "en" else "",
        ),
        ("tile-period", period, ""),
        *(("tile-flag", f"≠ {line}", "") for line in card.also),
        *((("tile-flag", f"⚠ {card.caution_short}", card.caution),) if card.caution else ()),
        ("tile-source", tr("overview.tile_source", source=card.source_short), card.source),
    ]
    body = "".join(
        f'<div class="{cls}"'
        + (f' title="{html.escape(hover)}"' if hover else "")
        + f">{html.escape(text)}</div>"
        for cls, text, hover in parts
    )
    return f'<div class="tile" id="tile-{card.indicator}">{body}</div>'


def card_text(ctx: Context, card: Headline) -> str:
    """The card's words as one escaped HTML block (topic, name, value, period, change,
    caution, and the sentence when there is no line to draw): one element instead of six,
    which is most of what a card costs the server per visit (bench/NOTES.md, issue 14)."""
    lines = [ctx.tr("overview.period", period=card.period), card.change, *card.also]
    parts = [
        f'<div class="card-topic">{html.escape(card.topic)}</div>',
        f'<div class="card-title" title="{html.escape(card.name)}">{html.escape(card.title)}</div>',
        f'<div class="card-value">{html.escape(_value(ctx, card))}</div>',
    ]
    if card.original and ctx.tr.lang == "en":  # the source's own wording, small: 152亿元
        stated = ctx.tr("chart.as_stated", value=card.original)
        parts.append(f'<div class="card-lines card-original">{html.escape(stated)}</div>')
    parts += [
        '<div class="card-lines">' + "<br>".join(html.escape(x) for x in lines) + "</div>",
    ]
    if card.caution:
        parts.append(f'<div class="card-lines card-caution">⚠ {html.escape(card.caution)}</div>')
    if card.figure is None and not ctx.state.present:
        # The quote is Chinese in either UI: lang lets a screen reader switch voice (3.1.2).
        parts.append(
            f'<div class="card-lines card-quote" lang="zh-CN">“{html.escape(card.quote)}”</div>'
        )
    return f'<div class="card" id="card-{html.escape(card.indicator)}">{"".join(parts)}</div>'


def headline_card(ctx: Context, indicator_id: str, card: Headline | None) -> None:
    """Latest value with qualifier, its period, the honest change since the previous
    comparable figure of the same indicator (never another one), a sparkline when there
    is a line to draw (else the sentence), the source and links."""
    tr = ctx.tr
    if card is None:
        return
    # Cards of one row share its height, so a row reads as one band on a slide.
    with st.container(border=True, height="stretch", key=f"card_{indicator_id}"):
        st.html(card_text(ctx, card))
        if card.figure is not None:
            st.plotly_chart(
                card.figure,  # shared: st.plotly_chart copies it (to_dict), never mutates it
                config=theme.SPARK_CONFIG,
                theme=None,
                key=f"spark_{indicator_id}",
                alt=accessible.name(card.alt),
            )
            accessible.describe(f"spark_{indicator_id}", card.alt)
        st.caption(md(card.source))
        with st.container(horizontal=True):
            st.page_link(
                ctx.pages["trends"],
                label=tr("overview.open"),
                icon=":material/show_chart:",
                query_params=urlstate.trends_params(ctx.state, [indicator_id]),
            )
            st.page_link(
                ctx.pages["sources"],
                label=tr("overview.open_source"),
                icon=":material/description:",
                query_params=urlstate.source_params(ctx.state, card.source_id, card.anchor),
            )
