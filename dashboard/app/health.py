"""The catalogue-health page's blocks: errors and warnings, the coverage matrix, ambiguities,
mention counts.

A catalogue grown 40x has thousands of indicators: the matrix is grouped by topic and both
long tables are shown a page at a time (paging.page_of), built once per catalogue version
and language (data_io.per_version) so a page view only slices them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from types import MappingProxyType
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.app import data_io
from dashboard.app.context import Context
from dashboard.app.paging import page_of
from dashboard.catalogue import paths
from dashboard.catalogue.coverage import SourceCoverage
from dashboard.figures import series
from dashboard.figures.formatting import period_text
from dashboard.figures.wording import event_date_text

_STATUS_MARKS = {"stated": "●", "bound": "▲", "derived": "○", "": ""}
ALL_TOPICS = ""


def validation(ctx: Context) -> None:
    """The file's errors as the validator prints them, or that it is valid."""
    loaded = ctx.loaded
    if loaded.problems:
        st.code("\n".join(str(p) for p in loaded.problems), language=None, wrap_lines=True)
    else:
        st.success(ctx.tr("health.valid", file=paths.display_name(loaded.path)))


def warning_list(ctx: Context) -> None:
    """Cross-document warnings, apart from the errors: the file stays valid with them.
    Open ones first (`check --strict` fails on them), then the acknowledged ones (the
    catalogue records the disagreement in an ambiguity naming the other document)."""
    tr = ctx.tr
    warnings = ctx.loaded.warnings
    if not warnings:
        st.caption(tr("health.no_warnings"))
        return
    opened = [p for p in warnings if p.is_open]
    done = [p for p in warnings if not p.is_open]
    if opened:
        st.caption(tr("health.warnings_help", count=len(opened)))
        st.code("\n".join(f"{p} [{p.type}]" for p in opened), language=None, wrap_lines=True)
    else:
        st.success(tr("health.no_open_warnings"))
    if done:
        st.markdown(f"**{tr('health.acknowledged', count=len(done))}**")
        st.caption(tr("health.acknowledged_help"))
        st.code("\n".join(f"{p} [{p.type}]" for p in done), language=None, wrap_lines=True)


def coverage_table(ctx: Context, matrix: pd.DataFrame) -> pd.DataFrame:
    """The indicator × year matrix with shapes for statuses and names in the reader's language."""
    table = matrix.replace(_STATUS_MARKS)
    table.index = [ctx.name(i) for i in matrix.index]
    table.index.name = ctx.tr("health.indicator_col")
    table.columns = [str(c) for c in matrix.columns]
    return table


def coverage_columns(table: pd.DataFrame) -> dict[str, Any]:
    """Narrow year columns and a pinned name column, so every year from 2011 to 2025 fits
    a 1440 px screen without scrolling sideways (names are truncated; hover shows them)."""
    config: dict[str, Any] = {"_index": st.column_config.TextColumn(width=300, pinned=True)}
    for column in table.columns:
        config[column] = st.column_config.TextColumn(width=40)
    return config


def _coverage_tables(ctx: Context) -> Mapping[str, pd.DataFrame]:
    """The localised matrix for all topics ("") and for each topic, in catalogue order."""
    matrix = series.coverage_matrix(ctx.frame, range(ctx.bounds[0], ctx.bounds[1] + 1))
    table = coverage_table(ctx, matrix)
    by_id = ctx.catalogue.indicators_by_id
    topics = pd.Series([by_id[i].topic if i in by_id else "" for i in matrix.index])
    tables = {ALL_TOPICS: table}
    for topic in dict.fromkeys(topics):
        tables[topic] = table[(topics == topic).to_numpy()]
    return MappingProxyType(tables)


def coverage_tables(ctx: Context) -> Mapping[str, pd.DataFrame]:
    """_coverage_tables once per (catalogue version, language, years); shared read-only."""
    build = partial(_coverage_tables, ctx)
    return data_io.per_version(ctx.loaded, "health_coverage", (ctx.tr.lang, ctx.bounds), build)


def topic_filter(ctx: Context, tables: Mapping[str, pd.DataFrame]) -> str:
    """All topics, or one; shown only when the catalogue has more than one."""
    topics = [t for t in tables if t != ALL_TOPICS]
    if len(topics) < 2:
        return ALL_TOPICS
    tr = ctx.tr

    def label(topic: str) -> str:
        name = tr("trends.topic_all") if topic == ALL_TOPICS else tr.topic(topic)
        return tr("health.topic_option", topic=name, count=len(tables[topic]))

    options = [ALL_TOPICS, *sorted(topics, key=tr.topic)]
    chosen = st.selectbox(
        tr("health.topic"),
        options,
        format_func=label,
        key="w_health_topic",
        placeholder=tr("a11y.choose_one"),
    )
    return chosen if chosen in tables else ALL_TOPICS


def _ambiguity_records(ctx: Context) -> pd.DataFrame:
    tr, cat = ctx.tr, ctx.catalogue
    records = []
    for indicator in cat.indicators:
        for obs in indicator.observations:
            if obs.ambiguity is not None:
                records.append(
                    {
                        tr("col.name"): tr.text(indicator.name),
                        tr("col.period"): period_text(obs.period, tr("period.as_of")),
                        tr("col.source"): tr.text(cat.sources_by_id[obs.source].short),
                        tr("col.text"): tr.text(obs.ambiguity),
                        tr("col.quote"): obs.quote,
                    }
                )
    for event in cat.events:
        if event.ambiguity is not None:
            records.append(
                {
                    tr("col.name"): f"{tr('chart.event')}: {tr.text(event.title)}",
                    tr("col.period"): event_date_text(ctx.tr, event),
                    tr("col.source"): tr.text(cat.sources_by_id[event.source].short),
                    tr("col.text"): tr.text(event.ambiguity),
                    tr("col.quote"): event.quote,
                }
            )
    return pd.DataFrame.from_records(records)


def ambiguity_table(ctx: Context) -> None:
    """Every recorded ambiguity of observations and events, with where it comes from."""
    build = partial(_ambiguity_records, ctx)
    table = data_io.per_version(ctx.loaded, "health_ambiguities", (ctx.tr.lang,), build)
    if table.empty:
        st.info(ctx.tr("health.no_ambiguities"))
        return
    st.dataframe(page_of(ctx, table, "w_health_ambiguity_page"), hide_index=True)


def mention_counts(ctx: Context, coverage: Mapping[str, SourceCoverage]) -> None:
    """Per document: numbers cited, dismissed and still unaccounted (coverage helper)."""
    tr, cat = ctx.tr, ctx.catalogue
    records = [
        {
            tr("col.source"): tr.text(cat.sources_by_id[source_id].short),
            tr("col.cited"): cov.cited,
            tr("col.dismissed"): cov.dismissed,
            tr("col.unaccounted"): cov.unaccounted,
            tr("col.total"): len(cov.mentions),
        }
        for source_id, cov in coverage.items()
        if source_id in cat.sources_by_id
    ]
    st.dataframe(pd.DataFrame.from_records(records), hide_index=True)
