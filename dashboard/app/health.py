"""The catalogue-health page's blocks: errors and warnings, the coverage matrix, ambiguities,
mention counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.app.context import Context
from dashboard.catalogue import paths
from dashboard.catalogue.coverage import SourceCoverage
from dashboard.figures.formatting import period_text
from dashboard.figures.wording import event_date_text

_STATUS_MARKS = {"stated": "●", "bound": "▲", "derived": "○", "": ""}


def validation(ctx: Context) -> None:
    """The file's errors as the validator prints them, or that it is valid."""
    loaded = ctx.loaded
    if loaded.problems:
        st.code("\n".join(str(p) for p in loaded.problems), language=None, wrap_lines=True)
    else:
        st.success(ctx.tr("health.valid", file=paths.display_name(loaded.path)))


def warning_list(ctx: Context) -> None:
    """Cross-document warnings, apart from the errors: the file stays valid with them
    (`check --strict` fails on them). A recorded ambiguity is quoted in the warning."""
    warnings = ctx.loaded.warnings
    if not warnings:
        st.caption(ctx.tr("health.no_warnings"))
        return
    st.caption(ctx.tr("health.warnings_help", count=len(warnings)))
    lines = [f"{p} [{p.type}]" for p in warnings]
    st.code("\n".join(lines), language=None, wrap_lines=True)


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


def ambiguity_table(ctx: Context) -> None:
    """Every recorded ambiguity of observations and events, with where it comes from."""
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
    if not records:
        st.info(tr("health.no_ambiguities"))
        return
    st.dataframe(pd.DataFrame.from_records(records), hide_index=True)


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
