"""The per-run view context: the URL's state, labels, and the served catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.app import data_io, urlstate
from dashboard.app.urlstate import Notice, ViewState
from dashboard.catalogue.models import Catalogue
from dashboard.figures import series
from dashboard.figures.grammar import Words
from dashboard.figures.i18n import Translator
from dashboard.figures.topics import topic_order

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
    topics: tuple[str, ...] = ()  # topics with indicators, in the curated order
    pages: dict[str, Any] = field(default_factory=dict)

    @property
    def catalogue(self) -> Catalogue:
        """The served catalogue. Pages run only when there is one (app.py asks
        chrome.catalogue_banner first); code that runs before that reads `loaded`."""
        catalogue = self.loaded.catalogue
        if catalogue is None:
            raise LookupError("no valid catalogue is being served")
        return catalogue

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
    topics: tuple[str, ...] = ()
    if loaded.catalogue is not None:
        catalogue = loaded.catalogue
        words = Words(Translator(labels, urlstate.DEFAULT_LANG), units)
        topics = data_io.per_version(
            loaded, "topic_order", (), lambda: tuple(topic_order(catalogue, words))
        )
    state, notices = urlstate.parse(query_lists(), known, bounds, topics)
    ctx = Context(
        state, Translator(labels, state.lang), loaded, units, frame, bounds, notices, topics
    )
    st.session_state[_CONTEXT_KEY] = ctx
    return ctx


def context() -> Context:
    """The context app.py built for this run (pages call this first)."""
    return st.session_state[_CONTEXT_KEY]
