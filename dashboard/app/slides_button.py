"""The slides button: asks for the deck of what is on screen, shows its place in the
process's deck queue and its steps, then offers it."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date

import streamlit as st

from dashboard.app import deck_queue, trend
from dashboard.app.context import Context
from dashboard.app.urlstate import ViewState
from dashboard.figures import grammar, slides
from dashboard.figures.images import ImageError

# One deck per session: the last one built, with the view it was built for; and the deck
# this session waits for in the process's queue, with the view it was asked for.
_DECK_KEY = "_slides_deck"
_JOB_KEY = "_slides_job"

Key = tuple[Hashable, ...]


def deck_button(
    ctx: Context,
    request: Key,
    make_plan: Callable[[grammar.Words], slides.DeckPlan],
    file_name: str,
) -> None:
    """A button that asks for the deck `make_plan` describes (charts render for seconds, so
    only on a click), then a download button for it. Decks are built one at a time per
    server process (deck_queue): a viewer waits with their place shown, then sees the
    steps. `request` says what was on screen: a deck built for another view is never
    offered, and one still waiting for another view is dropped."""
    tr = ctx.tr
    key = (ctx.loaded.version, tr.lang, *request)
    queue = deck_queue.deck_queue()
    clicked = st.button(
        tr("slides.prepare"),
        help=tr("slides.prepare_help"),
        icon=":material/slideshow:",
        key="slides_prepare",
    )
    pending = st.session_state.get(_JOB_KEY)
    if pending is not None and (clicked or pending[0] != key):
        pending[1].cancel()  # a new click, or another view on screen: that deck is not wanted
        del st.session_state[_JOB_KEY]
        pending = None
    if clicked:
        words = grammar.Words(tr, ctx.units)
        catalogue = ctx.catalogue

        def build(progress: deck_queue.Progress) -> deck_queue.Deck:  # on the queue's thread
            plan = make_plan(words)
            data = slides.build_deck(catalogue, plan, words, progress=progress)
            return deck_queue.Deck(data, len(plan.pages))

        pending = _submit(ctx, queue, key, build)
    if pending is not None:
        deck = _wait_for(ctx, queue, key, pending[1])
        st.session_state.pop(_JOB_KEY, None)
        if deck is not None:
            st.session_state[_DECK_KEY] = (key, deck.data)
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


def _submit(
    ctx: Context,
    queue: deck_queue.DeckQueue,
    key: Key,
    build: Callable[[deck_queue.Progress], deck_queue.Deck],
) -> tuple[Key, deck_queue.DeckJob] | None:
    """Queue the deck for this session, or say the queue is full."""
    job = queue.submit(build)
    if job is None:
        st.warning(ctx.tr("slides.busy", count=queue.waiting()), icon=":material/hourglass:")
        return None
    st.session_state[_JOB_KEY] = (key, job)
    return key, job


def _wait_for(
    ctx: Context, queue: deck_queue.DeckQueue, key: Key, job: deck_queue.DeckJob
) -> deck_queue.Deck | None:
    """Show the job's place in the queue, then its steps, until it is built; the deck, or
    None (the status says why). Each look is also a moment this page can be interrupted
    (a click elsewhere, the tab closed): the job keeps its place for a few seconds."""
    tr = ctx.tr
    with st.status(tr("slides.prepare"), expanded=True) as status:
        said, place = 0, -1
        while True:
            job.touch()
            finished = job.done.wait(deck_queue.POLL_S)
            if job.dropped:  # this page was away too long: ask again, at the end
                again = _submit(ctx, queue, key, job.build)
                if again is None:
                    status.update(state="error")
                    return None
                job, said, place = again[1], 0, -1
                continue
            ahead = queue.ahead(job)
            if ahead and ahead != place and not finished:
                place = ahead
                status.write(tr.plural("slides.waiting", ahead))
            for message in job.messages[said:]:
                status.write(message)
            said = len(job.messages)
            # Every look sends the label: also where a rerun or a closed tab interrupts.
            waiting = tr.plural("slides.waiting", ahead) if ahead else tr("slides.prepare")
            status.update(label=waiting)
            if finished:
                break
        if job.result is not None:
            label = tr("slides.ready", count=job.result.slides)
            status.update(label=label, state="complete", expanded=False)
            return job.result
        error = job.error
        if isinstance(error, slides.EmptyDeck):
            status.update(label=str(error), state="error")
        elif isinstance(error, (ImageError, OSError)):
            status.update(label=tr("slides.failed", reason=str(error)), state="error")
        elif error is not None:
            raise error
        return None


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
