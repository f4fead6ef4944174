"""Topics as pages and slides present them: the curated order, key statements filled with
catalogue figures, each topic's indicators grouped by subject, and what a topic deck shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from string import Formatter

import plotly.graph_objects as go

from dashboard.catalogue.models import Catalogue, Event, Indicator, Statement
from dashboard.catalogue.precision import derived_place
from dashboard.figures.charts import EventMark, timeline_figure
from dashboard.figures.formatting import shared_scales
from dashboard.figures.grammar import Words, fit_years, original_text, value_text
from dashboard.figures.views import ChartView, build_view
from dashboard.figures.wording import event_date_text


@dataclass(frozen=True)
class StatementView:
    """A key statement in one language, and the documents its figures come from."""

    text: str
    sources: tuple[str, ...]  # source ids, in the order their figures appear
    # The text in pieces: (words, "") and (a figure, as its source writes it), so a page
    # can put each figure's original one hover away ("15.2 bn yuan" over "152亿元").
    parts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Group:
    """A subject within a topic: its heading and indicators."""

    title: str
    indicators: tuple[Indicator, ...]


def topic_order(catalogue: Catalogue, words: Words) -> list[str]:
    """Topics with indicators: those curated under `topics:` first, in that order, then
    the rest in data/i18n.yaml's order."""
    used = {i.topic for i in catalogue.indicators}
    curated = [t.id for t in catalogue.topics]
    rest = [t for t in words.tr.topics() if t not in curated]
    return [t for t in dict.fromkeys(curated + rest + sorted(used)) if t in used]


def statement_view(catalogue: Catalogue, statement: Statement, words: Words) -> StatementView:
    """The statement's text with each {slot} replaced by its figure as the dashboard
    writes it ("超6600 项", "more than 6,600 demands"), every amount of the sentence in one
    scale (formatting.shared_scales)."""
    tr = words.tr
    found = {}
    for name, ref in statement.figures.items():
        (obs,) = catalogue.find(ref)
        found[name] = (catalogue.indicators_by_id[ref.indicator], obs)
    shown = [(indicator.unit, obs.value) for indicator, obs in found.values() if not obs.is_derived]
    scale_of = shared_scales(shown, tr.lang, words.units)
    values: dict[str, str] = {}
    originals: dict[str, str] = {}
    sources: list[str] = []
    for name, (indicator, obs) in found.items():
        place = derived_place(catalogue, obs) if obs.is_derived else None
        scale = None if obs.is_derived else scale_of.get(indicator.unit)
        values[name] = value_text(
            indicator, obs, words, scale=scale, place=place, with_unit=True, prose=True
        )
        originals[name] = original_text(indicator, obs, words, place) if tr.lang == "en" else ""
        sources.append(obs.source)
    template = tr.text(statement.text)
    text = template.format(**values)
    parts: list[tuple[str, str]] = []
    for literal, slot, _spec, _conv in Formatter().parse(template):
        if literal:
            parts.append((literal, ""))
        if slot is not None:
            parts.append((values[slot], originals[slot] or values[slot]))
    return StatementView(text, tuple(dict.fromkeys(sources)), tuple(parts))


def ordered_indicators(catalogue: Catalogue, topic_keys: Sequence[str]) -> list[str]:
    """Every indicator id, grouped by topic in the order of `topic_keys`, then in catalogue
    order (a topic not listed goes last)."""
    rank = {topic: k for k, topic in enumerate(topic_keys)}
    indicators = catalogue.indicators
    ranked = sorted(
        range(len(indicators)), key=lambda k: (rank.get(indicators[k].topic, len(rank)), k)
    )
    return [indicators[k].id for k in ranked]


def topic_indicators(catalogue: Catalogue, topic_id: str) -> list[Indicator]:
    return [i for i in catalogue.indicators if i.topic == topic_id]


def topic_groups(catalogue: Catalogue, topic_id: str, words: Words) -> list[Group]:
    """The topic's curated groups, then one group per subject for the indicators left."""
    tr = words.tr
    indicators = topic_indicators(catalogue, topic_id)
    by_id = catalogue.indicators_by_id
    groups: list[Group] = []
    placed: set[str] = set()
    topic = catalogue.topics_by_id.get(topic_id)
    for group in topic.groups if topic else []:
        members = tuple(by_id[i] for i in group.indicators if i in by_id)
        placed.update(i.id for i in members)
        groups.append(Group(tr.text(group.title), members))
    by_subject: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.id not in placed:
            by_subject.setdefault(tr.text(indicator.subject), []).append(indicator)
    groups += [Group(title, tuple(members)) for title, members in by_subject.items()]
    return groups


@dataclass(frozen=True)
class TopicView:
    """Everything a topic page shows, in one language: built once per catalogue version."""

    topic: str
    name: str
    statements: tuple[StatementView, ...]
    groups: tuple[tuple[str, tuple[ChartView, ...]], ...]  # subject title, its views
    timeline: go.Figure | None
    events: tuple[Event, ...]
    numbers: dict[str, int]  # citation numbers of every document the page cites


def build_topic(
    catalogue: Catalogue, topic_id: str, words: Words, presenter: bool = False
) -> TopicView:
    """Key statements, then every indicator of the topic as a figure card or a small chart
    (the chart grammar decides), grouped by subject, and the topic's events on a line."""
    tr = words.tr
    topic = catalogue.topics_by_id.get(topic_id)
    statements = tuple(
        statement_view(catalogue, s, words) for s in (topic.statements if topic else [])
    )
    ids = {i.id for i in topic_indicators(catalogue, topic_id)}
    events = tuple(
        sorted(
            (e for e in catalogue.events if ids.intersection(e.indicators)),
            key=lambda e: (e.span.start or e.span.end, e.id),
        )
    )
    # One numbering of documents for the page: a statement's [n] and a chart's [n] name
    # the same document (each chart shows every figure of its indicator: fit_years).
    sources: list[str] = [s for st in statements for s in st.sources]
    sources += [o.source for i in topic_indicators(catalogue, topic_id) for o in i.observations]
    sources += [e.source for e in events]
    ordered = sorted(set(sources), key=lambda s: (catalogue.sources_by_id[s].as_of, s))
    numbers = {s: k + 1 for k, s in enumerate(ordered)}
    groups = []
    for group in topic_groups(catalogue, topic_id, words):
        views = tuple(
            build_view(
                catalogue,
                [i.id],
                words,
                fit_years(catalogue, [i.id]),
                show_events=False,
                presenter=presenter,
                compact=True,
                page_numbers=numbers,
            )
            for i in group.indicators
        )
        groups.append((group.title, views))
    timeline = None
    if events:
        years = (
            min((e.span.start or e.span.end).year for e in events),
            max(e.span.end.year for e in events),
        )
        marks = [
            EventMark(
                e.span.start or e.span.end,
                e.span.end,
                tr.text(e.short),
                f"{tr.text(e.title)}\n{event_date_text(tr, e)}\n[{numbers[e.source]}]",
            )
            for e in events
        ]
        timeline = timeline_figure(marks, years, presenter)
    return TopicView(
        topic=topic_id,
        name=tr.topic(topic_id),
        statements=statements,
        groups=tuple(groups),
        timeline=timeline,
        events=events,
        numbers=numbers,
    )


# --------------------------------------------------------------------------------------------
# What a topic deck shows (slides.topic_deck lays each part out).


@dataclass(frozen=True)
class TopicTitle:
    """The opening slide: the topic's name, the date and the documents behind it."""

    topic: str


@dataclass(frozen=True)
class KeyStatements:
    """The topic's key statements, each with the documents its figures come from."""

    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class IndicatorView:
    """One view of one or more indicators (a chart, a pair or a figure card), and the
    title of the group it is shown in."""

    ids: tuple[str, ...]
    group: str = ""


TopicPart = TopicTitle | KeyStatements | IndicatorView


def topic_parts(catalogue: Catalogue, topic_id: str, words: Words) -> list[TopicPart]:
    """A topic in the order its page shows it: the title, the key statements (when the
    catalogue curates any), then one view per indicator, group by group."""
    topic = catalogue.topics_by_id.get(topic_id)
    parts: list[TopicPart] = [TopicTitle(topic_id)]
    if topic is not None and topic.statements:
        parts.append(KeyStatements(tuple(topic.statements)))
    for group in topic_groups(catalogue, topic_id, words):
        parts += [IndicatorView((i.id,), group.title) for i in group.indicators]
    return parts
