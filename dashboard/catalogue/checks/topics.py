"""Topics: each is a known topic, lists its own indicators, and its statements' slots and
figures match (so a statement's numbers always come from the catalogue)."""

from __future__ import annotations

import string
from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext, Loc
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Topic


def _slots(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _own_indicators(ctx: CheckContext, topic: Topic, ids: list[str], loc: Loc) -> Iterator[Problem]:
    seen: set[str] = set()
    for j, ident in enumerate(ids):
        indicator = ctx.catalogue.indicators_by_id.get(ident)
        if indicator is None:
            unknown = ctx.unknown_indicator(ident, (*loc, j))
            if unknown:
                yield unknown
        elif indicator.topic != topic.id:
            yield ctx.problem(
                "topic-mismatch",
                (*loc, j),
                f"`{ident}` belongs to topic `{indicator.topic}`, not `{topic.id}`",
                "list an indicator under its own topic, or change its `topic`",
            )
        if ident in seen:
            yield ctx.problem("duplicate-id", (*loc, j), f"`{ident}` is listed twice")
        seen.add(ident)


def topic_lists(ctx: CheckContext) -> Iterator[Problem]:
    """Topic ids are topics of data/i18n.yaml; headline and group lists name the topic's
    own indicators; no indicator is in two groups; no `headline: true` flag remains once
    the overview is curated by topic."""
    for loc, topic in ctx.topics():
        unknown = ctx.unknown_topic(topic.id, (*loc, "id"))
        if unknown:
            yield unknown
        yield from _own_indicators(ctx, topic, topic.headline, (*loc, "headline"))
        grouped: dict[str, int] = {}
        for g, group in enumerate(topic.groups):
            gloc = (*loc, "groups", g, "indicators")
            yield from _own_indicators(ctx, topic, group.indicators, gloc)
            for j, ident in enumerate(group.indicators):
                if grouped.get(ident, g) != g:
                    yield ctx.problem(
                        "duplicate-id",
                        (*gloc, j),
                        f"`{ident}` is already in groups[{grouped[ident]}]",
                        "an indicator belongs to one group",
                    )
                grouped.setdefault(ident, g)
    if ctx.catalogue.topics:
        for loc, indicator in ctx.indicators():
            if indicator.headline:
                yield ctx.problem(
                    "headline-flag",
                    (*loc, "headline"),
                    "the overview is curated under `topics:`, so `headline: true` is not read",
                    f"list `{indicator.id}` in its topic's `headline:` and remove this flag",
                )


def statements(ctx: CheckContext) -> Iterator[Problem]:
    """Every slot of a statement's zh and en text has a figure, every figure a slot, and
    each figure names exactly one observation."""
    for loc, topic in ctx.topics():
        for s, statement in enumerate(topic.statements):
            sloc = (*loc, "statements", s)
            named = set(statement.figures)
            for lang in ("zh", "en"):
                slots = _slots(getattr(statement.text, lang))
                if slots != named:
                    missing = sorted(slots - named)
                    unused = sorted(named - slots)
                    parts = []
                    if missing:
                        parts.append(f"slots without a figure: {', '.join(missing)}")
                    if unused:
                        parts.append(f"figures without a slot: {', '.join(unused)}")
                    yield ctx.problem(
                        "statement-slots",
                        (*sloc, "text", lang),
                        f"the {lang} text and `figures` disagree ({'; '.join(parts)})",
                        "write each figure as {name} in both languages",
                    )
            for name, ref in statement.figures.items():
                found = ctx.resolve(ref, (*sloc, "figures", name))
                if isinstance(found, Problem):
                    yield found
