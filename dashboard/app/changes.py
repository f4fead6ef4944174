"""The "what changed" page's blocks: the earlier vintage to compare with, and the figures
added, revised or withdrawn since then (figures/what_changed.py), newest document first.

Public: the vintage served against an earlier one (the previous by default). Authoring:
the working file against a vintage (the one public instances serve now, by default), so an
analyst sees what `publish` would bring to viewers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.app import data_io, paging, urlstate
from dashboard.app.context import Context
from dashboard.catalogue.changes import Index
from dashboard.catalogue.vintages import Vintage
from dashboard.figures.grammar import Words
from dashboard.figures.what_changed import changed_figures


def when(manifest: dict[str, Any]) -> str:
    """`2026-12-04 22:26 UTC` from a manifest's ISO time."""
    stamp = str(manifest.get("published_at") or "")
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp


def intro(ctx: Context) -> None:
    """What is compared: the vintage served (public) or the working file (authoring)."""
    loaded = ctx.loaded
    if loaded.vintage is not None:
        st.caption(
            ctx.tr("changes.public_intro", vintage=loaded.vintage.name, date=when(loaded.manifest))
        )
    else:
        st.caption(ctx.tr("changes.authoring_intro"))


def baseline(ctx: Context) -> tuple[Vintage, Index] | None:
    """The earlier vintage chosen to compare with, and its index; None (with a note) when
    there is none."""
    tr, loaded = ctx.tr, ctx.loaded
    listed = data_io.vintage_list(loaded)
    manifests = {v.name: m for v, m in listed}
    if loaded.vintage is not None:  # public: only vintages older than the one served
        options = [v for v, _ in listed if v.number < loaded.vintage.number]
        wanted = loaded.manifest.get("previous")
    else:
        options = [v for v, _ in listed]
        wanted = data_io.current_vintage_name(loaded)
    if not options:
        st.info(tr("changes.no_earlier"))
        return None
    names = [v.name for v in options]
    chosen = st.selectbox(
        tr("changes.since"),
        options,
        index=names.index(wanted) if wanted in names else 0,
        format_func=lambda v: tr(
            "changes.vintage_label",
            date=when(manifests[v.name]),
            vintage=v.name,
            current=tr("changes.current") if v.name == data_io.current_vintage_name(loaded) else "",
        ),
        key="w_changes_since",
    )
    index = data_io.vintage_index(chosen)
    if index is None:
        st.warning(tr("changes.unreadable", vintage=chosen.name))
        return None
    return chosen, index


def table(ctx: Context, since: Vintage, old_index: Index) -> pd.DataFrame:
    """The changed figures (shared read-only, once per catalogue version and comparison)."""
    loaded = ctx.loaded
    new_index = data_io.served_index(loaded)

    def build() -> pd.DataFrame:
        words = Words(ctx.tr, ctx.units)
        params = urlstate.common_params(ctx.state)
        return changed_figures(ctx.catalogue, words, new_index, old_index, params)

    inputs = (ctx.tr.lang, ctx.state.present, str(since.folder))
    return data_io.per_version(loaded, "what_changed", inputs, build)


def results(ctx: Context, frame: pd.DataFrame) -> None:
    """The count per kind of change, then the table, newest document first."""
    tr = ctx.tr
    if frame.empty:
        st.success(tr("changes.none"))
        return
    counts = frame["status"].value_counts()
    st.caption(
        tr(
            "changes.counts",
            added=int(counts.get("added", 0)),
            revised=int(counts.get("revised", 0)),
            removed=int(counts.get("removed", 0)),
        )
    )
    shown = frame.assign(status=frame["status"].map(lambda s: tr("changes.status_" + s)))
    # The date first (the order), then what changed; "before" only when something was
    # revised or withdrawn.
    columns = ["date", "status", "name", "shown", "before", "period", "document", "chart"]
    if not (frame["before"] != "").any():
        columns.remove("before")
    shown = shown[columns].rename(
        columns={
            "status": tr("changes.col_status"),
            "name": tr("col.name"),
            "shown": tr("col.shown"),
            "before": tr("changes.col_before"),
            "period": tr("col.period"),
            "document": tr("col.source"),
            "date": tr("col.doc_date"),
        }
    )
    st.dataframe(
        paging.page_of(ctx, shown, "w_changes_page"),
        hide_index=True,
        column_config={
            "chart": st.column_config.LinkColumn(tr("finder.chart"), display_text="↗"),
        },
    )
