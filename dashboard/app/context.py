"""The per-run view context: the URL's state, labels, and the served catalogue."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.app import data_io, mode, urlstate
from dashboard.app.urlstate import Notice, ViewState
from dashboard.catalogue.models import Catalogue
from dashboard.figures import series
from dashboard.figures.grammar import Words
from dashboard.figures.i18n import Translator
from dashboard.figures.topics import topic_order

_CONTEXT_KEY = "_view_context"


@dataclass(frozen=True)
class Counts:
    """What the sidebar and the health page count; once per catalogue version, since the
    model's counts walk every indicator (milliseconds per run at 40x)."""

    indicators: int = 0
    observations: int = 0
    derived: int = 0
    events: int = 0
    sources: int = 0


def _summary(
    catalogue: Catalogue,
    frame: pd.DataFrame,
    defaults: tuple[int, int],
    labels: dict[str, Any],
    units: dict[str, Any],
) -> tuple[tuple[int, int], Counts, tuple[str, ...]]:
    """Year bounds, counts and the topics with indicators in the curated order."""
    bounds = series.year_bounds(frame, defaults) if not frame.empty else defaults
    counts = Counts(
        len(catalogue.indicators),
        catalogue.observation_count,
        catalogue.derived_count,
        len(catalogue.events),
        len(catalogue.sources),
    )
    words = Words(Translator(labels, urlstate.DEFAULT_LANG), units)
    return bounds, counts, tuple(topic_order(catalogue, words))


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
    counts: Counts = field(default_factory=Counts)
    mode: mode.Mode = field(default_factory=mode.current)

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
    units = data_io.units(loaded)
    labels = data_io.labels()
    defaults = (urlstate.DEFAULT_FROM, urlstate.DEFAULT_TO)
    bounds, counts = defaults, Counts()
    topics: tuple[str, ...] = ()
    known: Collection[str] = ()
    if loaded.catalogue is not None:
        frame = data_io.observations(loaded)
        known = loaded.catalogue.indicators_by_id.keys()  # a view: no copy per run
        # Once per catalogue version (one lookup), not on every rerun.
        build = partial(_summary, loaded.catalogue, frame, defaults, labels, units)
        bounds, counts, topics = data_io.per_version(loaded, "context_summary", defaults, build)
    else:
        frame = pd.DataFrame()
    state, notices = urlstate.parse(query_lists(), known, bounds, topics)
    tr = Translator(labels, state.lang)
    ctx = Context(state, tr, loaded, units, frame, bounds, notices, topics, counts=counts)
    st.session_state[_CONTEXT_KEY] = ctx
    return ctx


def context() -> Context:
    """The context app.py built for this run (pages call this first)."""
    return st.session_state[_CONTEXT_KEY]
