"""Indicators in the curated order (topic order from data/i18n.yaml, then catalogue order),
and what one topic shows: the one place that decides a topic's slides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.catalogue.models import Catalogue


def ordered_indicators(catalogue: Catalogue, topic_order: Sequence[str]) -> list[str]:
    """Every indicator id, grouped by topic in the curated order, then in catalogue order
    (a topic missing from the curated list goes last)."""
    rank = {topic: k for k, topic in enumerate(topic_order)}
    indicators = catalogue.indicators
    ranked = sorted(
        range(len(indicators)), key=lambda k: (rank.get(indicators[k].topic, len(rank)), k)
    )
    return [indicators[k].id for k in ranked]


def known_topics(catalogue: Catalogue, topic_order: Sequence[str]) -> list[str]:
    """The topics that have indicators, in the curated order."""
    used = {i.topic for i in catalogue.indicators}
    curated = [t for t in topic_order if t in used]
    return curated + sorted(used - set(curated))


def topic_indicators(catalogue: Catalogue, topic_order: Sequence[str], topic: str) -> list[str]:
    """The indicators of one topic, in the curated order."""
    by_id = catalogue.indicators_by_id
    return [i for i in ordered_indicators(catalogue, topic_order) if by_id[i].topic == topic]


@dataclass(frozen=True)
class TopicTitle:
    """A topic's opening slide: its name, the date and the documents behind it."""

    topic: str


@dataclass(frozen=True)
class IndicatorView:
    """One view of one or more indicators (a chart, a pair or a figure card)."""

    ids: tuple[str, ...]


TopicPart = TopicTitle | IndicatorView


def topic_parts(catalogue: Catalogue, topic_order: Sequence[str], topic: str) -> list[TopicPart]:
    """What a topic shows, in order: its title, then one view per indicator. (Curated
    statements of a topic will come in here, between them.)"""
    views: list[TopicPart] = [
        IndicatorView((i,)) for i in topic_indicators(catalogue, topic_order, topic)
    ]
    return [TopicTitle(topic), *views]
