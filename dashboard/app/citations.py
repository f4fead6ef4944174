"""Beside a chart: comparability notes, numbered documents with their quotes, indicator notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from dashboard.app import urlstate
from dashboard.app.context import Context
from dashboard.catalogue.models import Event
from dashboard.figures import series
from dashboard.figures.formatting import escape_markdown as md
from dashboard.figures.wording import event_date_text, source_date, value_of


def comparability_notes(ctx: Context, ids: Sequence[str], compact: bool = False) -> None:
    """Say where documents disagree or figures must not be compared, next to the chart."""
    tr, cat = ctx.tr, ctx.catalogue
    rows = ctx.frame[ctx.frame["indicator"].isin(list(ids))]
    lines: list[str] = []
    for indicator_id in series.multi_source(ctx.frame, ids):
        sources = dict.fromkeys(rows[rows["indicator"] == indicator_id]["source"])
        join = "、".join if tr.lang == "zh" else "; ".join
        shorts = join(tr.text(cat.sources_by_id[s].short) for s in sources)
        lines.append(tr("trends.multi_source", name=ctx.name(indicator_id), sources=shorts))
    seen: set[frozenset[str]] = set()
    for indicator_id in ids:
        for relation in cat.indicators_by_id[indicator_id].not_comparable_with:
            pair = frozenset((indicator_id, relation.indicator))
            if pair in seen:
                continue
            seen.add(pair)
            lines.append(
                tr(
                    "trends.not_comparable",
                    name=ctx.name(indicator_id),
                    other=ctx.name(relation.indicator),
                    reason=tr.text(relation.reason),
                )
            )
    if lines and compact:
        st.caption("  \n".join(md(line) for line in lines))
    elif lines:
        st.info("\n".join(f"- {md(line)}" for line in lines), icon=":material/compare_arrows:")


def citation_list(
    ctx: Context, rows: pd.DataFrame, numbers: Mapping[str, int], events: Sequence[Event]
) -> None:
    """[n] title, reference, date, then each verbatim quote behind the chart."""
    tr, cat = ctx.tr, ctx.catalogue
    for source_id, number in numbers.items():
        source = cat.sources_by_id[source_id]
        head = f"**[{number}]** {md(tr.text(source.title))}"
        ref = md(source.reference) if source.reference else tr("sources.no_reference")
        with st.container(border=True):
            when = md(source_date(ctx.tr, source))
            st.markdown(f"{head}  \n{md(tr.text(source.issuer))} · {ref} · {when}")
            for _, row in rows[rows["source"] == source_id].iterrows():
                name, period, label = ctx.name(row["indicator"]), row["period_text"], row["label"]
                st.markdown(f"{md(name)} · {md(period)} · **{md(label)}**  \n> {md(row['quote'])}")
                with st.container(horizontal=True):
                    st.page_link(
                        ctx.pages["sources"],
                        label=tr("trends.open_quote"),
                        icon=":material/format_quote:",
                        query_params=urlstate.source_params(ctx.state, source_id, row["anchor"]),
                    )
                with st.expander(tr("cite.copy")):
                    st.code(row["cite"], language=None, wrap_lines=True)
            for event in events:
                if event.source == source_id:
                    title = md(tr.text(event.title))
                    when = md(event_date_text(ctx.tr, event))
                    head = f"{tr('chart.event')} · {when} · **{title}**"
                    st.markdown(f"{head}  \n> {md(event.quote)}")
            st.page_link(
                ctx.pages["sources"],
                label=tr("trends.open_source"),
                query_params=urlstate.source_params(ctx.state, source_id),
            )


def as_reported(ctx: Context, table: pd.DataFrame) -> None:
    """Where documents restate an indicator (STE 152 then more than 300; InnoMatch 近8 and
    超8 on one day): each document's figure, date and wording, side by side."""
    tr = ctx.tr
    for indicator_id, rows in table.groupby("indicator", sort=False):
        if rows["source"].nunique() < 2:
            continue
        st.caption(
            tr(
                "trends.as_reported",
                name=ctx.catalogue.indicators_by_id[str(indicator_id)].label(tr.lang),
            )
        )
        st.dataframe(
            pd.DataFrame(
                {
                    tr("col.source"): rows["source_ref"].where(
                        rows["source_ref"] != "", rows["source"]
                    ),
                    tr("col.date"): rows["source_date"],
                    tr("col.shown"): rows["label"],
                    tr("col.period"): rows["period_text"],
                    tr("col.quote"): rows["quote"],
                }
            ),
            hide_index=True,
        )


def compact_citations(ctx: Context, numbers: Mapping[str, int]) -> None:
    """Presenter mode: one line per document, still enough to find it."""
    tr, cat = ctx.tr, ctx.catalogue
    parts = []
    for source_id, number in numbers.items():
        source = cat.sources_by_id[source_id]
        ref = source.reference or tr.text(source.short)
        parts.append(
            f"[{number}] {tr.text(source.issuer)}《{tr.text(source.title)}》{ref}, {source.as_of}"
        )
    st.caption(md("  ".join(parts)))


def indicator_about(ctx: Context, indicator_id: str) -> None:
    tr = ctx.tr
    indicator = ctx.catalogue.indicators_by_id[indicator_id]
    lines = [
        f"**{md(tr.text(indicator.name))}**",
        md(tr.text(indicator.description)),
        f"{tr('trends.subject')}: {md(tr.text(indicator.subject))} · "
        f"{tr('trends.measure')}: {tr('measure.' + value_of(indicator.measure))}",
    ]
    if indicator.notes:
        lines.append(f"{tr('trends.notes')}: {md(tr.text(indicator.notes))}")
    for obs in indicator.observations:
        if obs.derived is not None:
            lines.append(
                f"{md(obs.period)}: " + md(tr("trends.derived_from", formula=obs.derived.formula))
            )
        if obs.ambiguity is not None:
            lines.append(
                f"{md(obs.period)}: " + md(tr("trends.ambiguity", text=tr.text(obs.ambiguity)))
            )
        if obs.notes is not None:
            lines.append(f"{md(obs.period)}: {md(tr.text(obs.notes))}")
    st.markdown("  \n".join(lines))
