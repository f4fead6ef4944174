"""A topic page's blocks: key statements with their documents, the topic's figures as
cards and small charts grouped by subject, its events, and the documents cited."""

from __future__ import annotations

import html

import streamlit as st

from dashboard.app import accessible, data_io, figure_cards, paging, urlstate
from dashboard.app.context import Context
from dashboard.figures import theme
from dashboard.figures.alt_text import timeline_alt
from dashboard.figures.formatting import escape_markdown as md
from dashboard.figures.grammar import Words
from dashboard.figures.topics import TopicView, build_topic
from dashboard.figures.views import ChartView


def topic_view(ctx: Context, topic: str) -> TopicView:
    """The topic's page content, built once per (catalogue version, language, mode)."""

    def build() -> TopicView:
        return build_topic(ctx.catalogue, topic, Words(ctx.tr, ctx.units), ctx.state.present)

    return data_io.per_version(
        ctx.loaded, "topic_view", (ctx.tr.lang, topic, ctx.state.present), build
    )


def statements(ctx: Context, view: TopicView) -> None:
    """The key statements, each followed by the numbers of the documents it rests on; in
    English each figure shows the source's own wording on hover ("152亿元")."""
    items = []
    for statement in view.statements:
        refs = "".join(f"[{view.numbers[s]}]" for s in statement.sources)
        body = "".join(
            f'<span class="figure" title="{html.escape(ctx.tr("chart.as_stated", value=orig))}">'
            f"{html.escape(words)}</span>"
            if orig and orig != words
            else html.escape(words)
            for words, orig in statement.parts
        )
        items.append(f"<li>{body} {html.escape(refs)}</li>")
    if items:
        st.html(f'<ul class="statements">{"".join(items)}</ul>')


# Indicators per page of a topic: today's largest topic (20) fits on one page, so no
# pager shows; a catalogue grown 40x would otherwise draw hundreds of cards per visit.
FIGURES_PER_PAGE = 24


def figure_grid(ctx: Context, view: TopicView) -> None:
    """Every indicator of the topic, by subject: a card for one figure, else a chart; a
    page of them at a time when the topic is large."""
    columns_per_row = 3 if ctx.state.present else 2
    with st.container(key="topic_grid"):  # base.css: one a row where two do not fit
        _grid(ctx, view, columns_per_row)


def _grid(ctx: Context, view: TopicView, columns_per_row: int) -> None:
    total = sum(len(views) for _, views in view.groups)
    window = paging.page_slice(
        ctx, total, FIGURES_PER_PAGE, f"w_topic_page_{view.topic}", "paging.figures"
    )
    start_of_group = 0
    for title, all_views in view.groups:
        first = max(window.start - start_of_group, 0)
        views = all_views[first : max(window.stop - start_of_group, 0)]
        start_of_group += len(all_views)
        if not views:
            continue
        if len(view.groups) > 1:  # one subject needs no heading of its own
            st.header(md(title), anchor=False)
        for start in range(0, len(views), columns_per_row):
            row = views[start : start + columns_per_row]
            for column, shown in zip(st.columns(columns_per_row), row, strict=False):
                with column:
                    _figure(ctx, shown)


def _figure(ctx: Context, shown: ChartView) -> None:
    indicator = shown.plan.series[0].indicator if shown.plan.series else None
    if shown.card is not None:
        figure_cards.figure_card_block(ctx, shown.card, compact=True)
        for note in shown.side_notes:
            st.caption(note)
    elif shown.figure is not None and indicator is not None:
        st.plotly_chart(
            shown.figure,
            config=theme.plotly_config(indicator.id),
            theme=None,
            key=f"topic_chart_{indicator.id}",
            alt=accessible.name(shown.alt),
        )
        accessible.describe(f"topic_chart_{indicator.id}", shown.alt)
    if indicator is not None:
        st.page_link(
            ctx.pages["trends"],
            label=ctx.tr("topic.open_trend"),
            icon=":material/show_chart:",
            query_params=urlstate.trends_params(ctx.state, [indicator.id]),
        )


def timeline(ctx: Context, view: TopicView) -> None:
    """The topic's events on a line, named and read out as a list of events."""
    if view.timeline is None:
        return
    alt = timeline_alt(view.events, ctx.tr, view.numbers)
    st.header(ctx.tr("topic.events"), anchor=False)
    st.plotly_chart(
        view.timeline,
        config={"displayModeBar": False},
        theme=None,
        key="timeline",
        alt=accessible.name(alt),
    )
    accessible.describe("timeline", alt)


def documents(ctx: Context, view: TopicView) -> None:
    """[n] and each document the page cites, linking to its text."""
    tr, cat = ctx.tr, ctx.catalogue
    for source_id, number in view.numbers.items():
        source = cat.sources_by_id[source_id]
        ref = source.reference or tr.text(source.short)
        st.page_link(
            ctx.pages["sources"],
            label=f"[{number}] {ref} · {tr.text(source.title)}",
            query_params=urlstate.source_params(ctx.state, source_id),
        )
