"""The slides button: builds the deck of what is on screen, with progress, then offers it."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date

import streamlit as st

from dashboard.app import trend
from dashboard.app.context import Context
from dashboard.app.urlstate import ViewState
from dashboard.figures import grammar, slides
from dashboard.figures.images import ImageError

# One deck per session: the last one built, with the view it was built for.
_DECK_KEY = "_slides_deck"


def deck_button(
    ctx: Context,
    request: tuple[Hashable, ...],
    make_plan: Callable[[grammar.Words], slides.DeckPlan],
    file_name: str,
) -> None:
    """A button that builds the deck `make_plan` describes (charts render for seconds, so
    only on a click, with its steps shown), then a download button for it. `request` says
    what was on screen: a deck built for another view is never offered."""
    tr = ctx.tr
    key = (ctx.loaded.version, tr.lang, *request)
    if st.button(
        tr("slides.prepare"),
        help=tr("slides.prepare_help"),
        icon=":material/slideshow:",
        key="slides_prepare",
    ):
        words = grammar.Words(tr, ctx.units)
        with st.status(tr("slides.prepare"), expanded=True) as status:
            try:
                plan = make_plan(words)
                data = slides.build_deck(ctx.catalogue, plan, words, progress=status.write)
            except slides.EmptyDeck as exc:
                status.update(label=str(exc), state="error")
                return
            except (ImageError, OSError) as exc:
                status.update(label=tr("slides.failed", reason=str(exc)), state="error")
                return
            status.update(
                label=tr("slides.ready", count=len(plan.pages)), state="complete", expanded=False
            )
        st.session_state[_DECK_KEY] = (key, data)
    held = st.session_state.get(_DECK_KEY)
    if held is not None and held[0] == key:
        st.download_button(
            tr("slides.download"),
            data=held[1],
            file_name=file_name,
            mime=slides.PPTX_MIME,
            icon=":material/download:",
            on_click="ignore",
            key="slides_download",
        )


def view_slides(ctx: Context, view: ViewState, show_events: bool) -> None:
    """The Trends view's deck: its chart or figure card over the years on screen."""
    ids = list(view.indicators)
    years = trend.view_years(ctx, view)
    stem = "-".join(ids)[:80]

    def make_plan(words: grammar.Words) -> slides.DeckPlan:
        return slides.view_deck(ctx.catalogue, ids, words, years, show_events=show_events)

    request = ("view", tuple(ids), years, show_events)
    deck_button(ctx, request, make_plan, f"{stem}_{years[0]}-{years[1]}.pptx")


def topic_slides(ctx: Context, topic: str) -> None:
    """A topic page's deck: its title slide, then one slide per indicator of the topic."""

    def make_plan(words: grammar.Words) -> slides.DeckPlan:
        return slides.topic_deck(ctx.catalogue, words, topic, today=date.today())

    deck_button(ctx, ("topic", topic), make_plan, f"{topic}.pptx")
