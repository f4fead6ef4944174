"""Widgets and the per-run view context; every widget writes its value back to the URL."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data_io, paths, series, urlstate
from dashboard.i18n import LANGS, Translator
from dashboard.urlstate import Notice, ViewState

_CONTEXT_KEY = "_view_context"


@dataclass
class Context:
    """Everything a page needs for one run: the URL's state, labels and the catalogue."""

    state: ViewState
    tr: Translator
    loaded: data_io.Loaded
    units: dict[str, Any]
    frame: pd.DataFrame
    bounds: tuple[int, int]
    notices: list[Notice] = field(default_factory=list)
    pages: dict[str, Any] = field(default_factory=dict)

    @property
    def catalogue(self) -> Any:
        return self.loaded.catalogue

    def prepare(self, frame: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
        """series.prepare in the reader's language (values, qualifiers, period words)."""
        tr = self.tr
        return series.prepare(
            frame, ids, tr.lang, self.units, tr.qualifier_prefixes(), tr("period.as_of")
        )

    def name(self, indicator_id: str) -> str:
        indicator = self.catalogue.indicators_by_id.get(indicator_id)
        return self.tr.text(indicator.name) if indicator else indicator_id


def query_lists() -> dict[str, list[str]]:
    """The URL's parameters with every repeated value kept (hostile links repeat keys)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def build_context() -> Context:
    """Load (cached) data and read the URL; app.py calls this once per run."""
    loaded = data_io.load_catalogue()
    units = data_io.units()
    labels = data_io.labels()
    if loaded.catalogue is not None:
        frame = data_io.observations(loaded)
        known = set(loaded.catalogue.indicators_by_id)
    else:
        frame = pd.DataFrame()
        known = set()
    defaults = (urlstate.DEFAULT_FROM, urlstate.DEFAULT_TO)
    bounds = defaults
    if not frame.empty:  # once per catalogue version, not on every rerun
        build = partial(series.year_bounds, frame, defaults)
        bounds = data_io.per_version(loaded, "year_bounds", defaults, build)
    state, notices = urlstate.parse(query_lists(), known, bounds)
    ctx = Context(state, Translator(labels, state.lang), loaded, units, frame, bounds, notices)
    st.session_state[_CONTEXT_KEY] = ctx
    return ctx


def context() -> Context:
    """The context app.py built for this run (pages call this first)."""
    return st.session_state[_CONTEXT_KEY]


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
    primary = st.session_state.get(primary_key)
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


_STATIC = paths.REPO_ROOT / "dashboard" / "static"


def inject_css(presenter: bool) -> None:
    """Our own constant CSS files only; nothing from users or the catalogue goes in here."""
    names = ["base.css", "presenter.css"] if presenter else ["base.css"]
    css = "\n".join((_STATIC / name).read_text(encoding="utf-8") for name in names)
    st.html(f"<style>{css}</style>")


_CARRIED_KEY = "_carried_notices"


def carry_notices(notices: list[Notice]) -> None:
    """Keep notices across a page switch so the page we land on can show them."""
    st.session_state[_CARRIED_KEY] = list(notices)


def show_notices(ctx: Context, notices: list[Notice] | None = None) -> None:
    """Tell the reader what was wrong with the link (values are sanitised code spans)."""
    if notices is None:
        notices = st.session_state.pop(_CARRIED_KEY, []) + ctx.notices
    for notice in notices:
        st.warning(ctx.tr("url." + notice.key, **dict(notice.values)), icon=":material/warning:")


def catalogue_banner(ctx: Context, limit: int = 5) -> bool:
    """A banner when the file on disk is invalid; False when nothing can be served."""
    loaded = ctx.loaded
    if not loaded.problems:
        return True
    if loaded.catalogue is not None and not loaded.stale:
        return True
    name = paths.display_name(loaded.path)
    key = "catalogue.stale" if loaded.catalogue is not None else "catalogue.unavailable"
    lines = [str(p) for p in loaded.problems[:limit]]
    more = len(loaded.problems) - limit
    with st.container(border=True):
        st.error(ctx.tr(key, file=f"`{urlstate.shown(name, 300)}`"), icon=":material/error:")
        st.code("\n".join(lines), language=None, wrap_lines=True)
        if more > 0:
            st.caption(ctx.tr("catalogue.more", count=more))
    return loaded.catalogue is not None


def page_links(ctx: Context, params: Mapping[str, str], horizontal: bool = False) -> None:
    """Links to every page that carry the language and presenter mode (Streamlit would
    otherwise drop query parameters on a page switch)."""
    names = ("overview", "trends", "sources", "health")
    if horizontal:
        columns = st.columns(len(names) + 1)
        for column, name in zip(columns, names, strict=False):
            with column:
                st.page_link(ctx.pages[name], label=ctx.tr("nav." + name), query_params=params)
        with columns[-1]:
            plain = {k: v for k, v in params.items() if k != "present"}
            current = ctx.pages.get("_current") or ctx.pages["overview"]
            st.page_link(current, label=ctx.tr("sidebar.exit_presenter"), query_params=plain)
        return
    for name in names:
        st.page_link(ctx.pages[name], label=ctx.tr("nav." + name), query_params=params)


def sidebar(ctx: Context) -> None:
    with st.sidebar:
        st.markdown(f"**{ctx.tr('app.title')}**")
        st.caption(ctx.tr("app.caption"))
        page_links(ctx, urlstate.common_params(ctx.state))
        st.divider()
        language_switch(ctx)
        presenter_toggle(ctx)
        if ctx.catalogue is not None:
            cat = ctx.catalogue
            st.caption(
                ctx.tr(
                    "sidebar.status",
                    indicators=len(cat.indicators),
                    observations=cat.observation_count,
                    sources=len(cat.sources),
                )
            )
