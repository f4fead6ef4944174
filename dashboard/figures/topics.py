"""Topics as pages present them: the curated order, key statements filled with catalogue
figures, and each topic's indicators grouped by subject."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.catalogue.models import Catalogue, Indicator, Statement
from dashboard.catalogue.precision import derived_place
from dashboard.figures.grammar import Words, value_text


@dataclass(frozen=True)
class StatementView:
    """A key statement in one language, and the documents its figures come from."""

    text: str
    sources: tuple[str, ...]  # source ids, in the order their figures appear


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
    writes it ("超6600 项", "more than 6,600 demands")."""
    tr = words.tr
    values: dict[str, str] = {}
    sources: list[str] = []
    for name, ref in statement.figures.items():
        indicator = catalogue.indicators_by_id[ref.indicator]
        (obs,) = catalogue.find(ref)
        place = derived_place(catalogue, obs) if obs.is_derived else None
        values[name] = value_text(indicator, obs, words, place=place, with_unit=True, prose=True)
        sources.append(obs.source)
    text = tr.text(statement.text).format(**values)
    return StatementView(text, tuple(dict.fromkeys(sources)))


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
