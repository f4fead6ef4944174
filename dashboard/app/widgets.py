"""Widgets; every widget writes its value back to the URL, which stays the truth."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from dashboard.app.context import Context, context
from dashboard.figures.i18n import LANGS


def sync_url(params: Mapping[str, str]) -> None:
    """Make the URL say exactly `params`, touching it only when it differs."""
    current = {key: st.query_params.get(key) for key in st.query_params}
    if current != dict(params):
        st.query_params.from_dict(dict(params))


def _preset(key: str, value: Any) -> None:
    # The URL is the truth: align the widget before it is drawn (allowed only before).
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def _set_param(name: str, key: str, encode: Callable[[Any], str | None]) -> None:
    value = encode(st.session_state.get(key))
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = value


def language_switch(ctx: Context) -> str:
    tr = ctx.tr
    _preset("w_lang", ctx.state.lang)
    st.segmented_control(
        tr("sidebar.language"),
        options=list(LANGS),
        format_func=lambda code: tr("language_name." + code),
        key="w_lang",
        required=True,
        on_change=_set_param,
        args=("lang", "w_lang", lambda v: v if v in LANGS else None),
    )
    return st.session_state["w_lang"]


def presenter_toggle(ctx: Context) -> bool:
    _preset("w_present", ctx.state.present)
    st.toggle(
        ctx.tr("sidebar.presenter"),
        key="w_present",
        help=ctx.tr("sidebar.presenter_help"),
        on_change=_set_param,
        args=("present", "w_present", lambda v: "1" if v else None),
    )
    return bool(st.session_state["w_present"])


def _indicator_label(ctx: Context, indicator_id: str) -> str:
    indicator = ctx.catalogue.indicators_by_id[indicator_id]
    return f"{ctx.tr.text(indicator.name)} · {ctx.tr.topic(indicator.topic)}"


def _write_indicators(primary_key: str, compare_key: str) -> None:
    primary = str(st.session_state.get(primary_key))
    by_id = context().catalogue.indicators_by_id
    if primary not in by_id:
        return
    unit = by_id[primary].unit
    others = [
        i
        for i in st.session_state.get(compare_key, [])
        if i != primary and i in by_id and by_id[i].unit == unit
    ]
    st.query_params["indicator"] = ",".join([primary, *others])


def indicator_picker(ctx: Context, chosen: list[str]) -> list[str]:
    """One indicator, then others sharing its unit (one axis, one unit: never mixed)."""
    by_id = ctx.catalogue.indicators_by_id
    ordered = sorted(by_id, key=lambda i: (by_id[i].topic, ctx.tr.text(by_id[i].name)))
    primary = chosen[0]
    unit = by_id[primary].unit
    same_unit = [i for i in ordered if i != primary and by_id[i].unit == unit]
    compare = [i for i in chosen[1:] if i in same_unit]
    # Streamlit keeps a select widget's value as its displayed label, and labels change with
    # the language: one widget per language (preset from the URL) never holds a stale label.
    keys = (f"w_primary_{ctx.state.lang}", f"w_compare_{ctx.state.lang}")
    _preset(keys[0], primary)
    _preset(keys[1], compare)
    st.selectbox(
        ctx.tr("trends.indicator"),
        options=ordered,
        format_func=lambda i: _indicator_label(ctx, i),
        key=keys[0],
        on_change=_write_indicators,
        args=keys,
    )
    st.multiselect(
        ctx.tr("trends.compare"),
        options=same_unit,
        format_func=ctx.name,
        key=keys[1],
        help=ctx.tr("trends.compare_help"),
        placeholder=ctx.tr("trends.compare_placeholder"),
        on_change=_write_indicators,
        args=keys,
    )
    return [primary, *compare]


def _write_years() -> None:
    low, high = st.session_state["w_years"]
    st.query_params["from"] = str(low)
    st.query_params["to"] = str(high)


def year_range(ctx: Context) -> tuple[int, int]:
    low, high = ctx.bounds
    _preset("w_years", (ctx.state.year_from, ctx.state.year_to))
    st.slider(
        ctx.tr("trends.years"),
        min_value=low,
        max_value=high,
        step=1,
        key="w_years",
        on_change=_write_years,
    )
    year_from, year_to = st.session_state["w_years"]
    return int(year_from), int(year_to)


def events_toggle(ctx: Context) -> bool:
    if "w_events" not in st.session_state:
        st.session_state["w_events"] = True
    return st.toggle(ctx.tr("trends.events"), key="w_events")


def source_picker(ctx: Context, chosen: str) -> str:
    sources = ctx.catalogue.sources
    ids = [s.id for s in sorted(sources, key=lambda s: s.as_of)]
    _preset("w_source", chosen)
    st.selectbox(
        ctx.tr("sources.choose"),
        options=ids,
        format_func=lambda i: (
            f"{ctx.catalogue.sources_by_id[i].as_of.isoformat()} · "
            f"{ctx.tr.text(ctx.catalogue.sources_by_id[i].short)}"
        ),
        key="w_source",
        on_change=_set_param,
        args=("source", "w_source", lambda v: v),
    )
    return st.session_state["w_source"]
