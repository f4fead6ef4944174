"""Widgets; every widget writes its value back to the URL, which stays the truth."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from dashboard.app.context import Context, context
from dashboard.catalogue.comparability import comparable_with
from dashboard.catalogue.models import Indicator
from dashboard.figures import grammar, topics
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
    return f"{ctx.tr.topic(indicator.topic)} ▸ {indicator.label(ctx.tr.lang)}"


def _compare_options(primary: Indicator) -> list[str]:
    """Indicators the catalogue allows on one chart with `primary` (same unit and measure,
    not marked not comparable)."""
    return [i.id for i in comparable_with(context().catalogue, primary)]


def _write_indicators(primary_key: str, compare_key: str) -> None:
    primary = str(st.session_state.get(primary_key))
    by_id = context().catalogue.indicators_by_id
    if primary not in by_id:
        return
    allowed = set(_compare_options(by_id[primary]))
    others = [i for i in st.session_state.get(compare_key, []) if i in allowed]
    others = others[: grammar.MAX_SERIES - 1]
    st.query_params["indicator"] = ",".join([primary, *others])


def ordered_indicators(ctx: Context) -> list[str]:
    """Every indicator, grouped by topic in the curated topic order, then catalogue order."""
    return topics.ordered_indicators(ctx.catalogue, ctx.tr.topics())


def indicator_picker(ctx: Context, chosen: list[str]) -> list[str]:
    """One indicator (grouped by topic; type to search), then up to three others the
    catalogue allows on the same chart (same unit and measure, comparable)."""
    by_id = ctx.catalogue.indicators_by_id
    ordered = ordered_indicators(ctx)
    primary = chosen[0]
    allowed = _compare_options(by_id[primary])
    compare = [i for i in chosen[1:] if i in allowed][: grammar.MAX_SERIES - 1]
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
        placeholder=ctx.tr("a11y.choose_one"),
        on_change=_write_indicators,
        args=keys,
    )
    st.multiselect(
        ctx.tr("trends.compare"),
        options=allowed,
        format_func=lambda i: by_id[i].label(ctx.tr.lang),
        key=keys[1],
        help=ctx.tr("trends.compare_help"),
        placeholder=ctx.tr("trends.compare_placeholder"),
        max_selections=grammar.MAX_SERIES - 1,
        on_change=_write_indicators,
        args=keys,
    )
    return [primary, *compare]


def _write_years() -> None:
    low, high = st.session_state["w_years"]
    st.query_params["from"] = str(low)
    st.query_params["to"] = str(high)


def year_range(ctx: Context, shown: tuple[int, int]) -> tuple[int, int]:
    """The years slider, set to the years the chart shows (the link's, or fitted)."""
    low, high = ctx.bounds
    _preset("w_years", (max(low, shown[0]), min(high, shown[1])))
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
        placeholder=ctx.tr("a11y.choose_one"),
        on_change=_set_param,
        args=("source", "w_source", lambda v: v),
    )
    return st.session_state["w_source"]
