"""Headline cards: latest value, period, change, sparkline and source, built once per version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import plotly.graph_objects as go
import streamlit as st

from dashboard.app import data_io, urlstate
from dashboard.app.context import Context
from dashboard.figures import charts, series, theme
from dashboard.figures.formatting import escape_markdown as md
from dashboard.figures.formatting import format_change


@dataclass(frozen=True)
class Card:
    """What one headline card shows; the same for every viewer of one catalogue version,
    language and mode, so it is built once (data_io.per_version) and shared read-only."""

    topic: str
    name: str
    value: str
    period_change: str
    figure: go.Figure
    source_id: str
    source_line: str


def _card(ctx: Context, indicator_id: str, points: series.CardPoints) -> Card:
    tr = ctx.tr
    indicator = ctx.catalogue.indicators_by_id[indicator_id]
    latest, previous = points.latest, points.previous
    if previous is None:
        change = tr("overview.no_earlier")
    else:
        diff = format_change(
            latest["value"],
            previous["value"],
            indicator.unit,
            tr.lang,
            ctx.units,
            tr("overview.points"),
        )
        # Running totals and levels compare dates ("since 2023-05-16"), flows compare periods.
        at_end = previous["measure"] in ("cumulative", "stock")
        since = previous["period_end"] if at_end else previous["period_text"]
        change = tr("overview.change", period=since, change=diff)
        inexact = {latest["qualifier"], previous["qualifier"]} != {"exact"}
        if inexact or latest["derived"] or previous["derived"]:
            change += " " + tr("overview.change_approx")
    for _, other in points.same_end.iterrows():
        short = tr.text(ctx.catalogue.sources_by_id[other["source"]].short)
        change += "  \n" + tr("overview.also_reported", value=other["label"], source=short)
    source = ctx.catalogue.sources_by_id[latest["source"]]
    value = latest["label"] + (f" ({tr('overview.derived')})" if latest["derived"] else "")
    return Card(
        topic=md(tr.topic(indicator.topic)),
        name=f"**{md(tr.text(indicator.name))}**",
        value=f"### {md(value)}",
        period_change=md(tr("overview.period", period=latest["period_text"])) + "  \n" + md(change),
        figure=charts.sparkline(points.spark, ctx.state.present),
        source_id=source.id,
        source_line=md(tr("overview.source", source=tr.text(source.short), date=source.as_of)),
    )


def headline_cards(ctx: Context) -> Mapping[str, Card | None]:
    """Every headline card of the served catalogue, built once per (catalogue version,
    language, presenter mode): rebuilding 12 figures per run was most of the overview's time."""

    def build() -> Mapping[str, Card | None]:
        ids = [i.id for i in ctx.catalogue.indicators if i.headline]
        points = series.card_points(ctx.prepare(ctx.frame, ids))  # once for all cards
        return MappingProxyType({i: _card(ctx, i, points[i]) if i in points else None for i in ids})

    return data_io.per_version(
        ctx.loaded, "headline_cards", (ctx.tr.lang, ctx.state.present), build
    )


def headline_card(ctx: Context, indicator_id: str, card: Card | None) -> None:
    """Latest value with qualifier, its period, change since the previous figure of the
    same indicator (never another one), a sparkline, the source and a link to Trends."""
    tr = ctx.tr
    if card is None:
        return
    # Cards of one row share its height, so a row reads as one band on a slide.
    with st.container(border=True, height="stretch"):
        st.caption(card.topic)
        st.markdown(card.name)
        st.markdown(card.value)
        st.caption(card.period_change)
        st.plotly_chart(
            card.figure,  # shared: st.plotly_chart copies it (to_dict) and never mutates it
            config=theme.SPARK_CONFIG,
            theme=None,
            key=f"spark_{indicator_id}",
        )
        st.caption(card.source_line)
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
                query_params=urlstate.source_params(ctx.state, card.source_id),
            )
