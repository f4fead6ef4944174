"""Topics: each is a known topic, lists its own indicators, and its statements' slots and
figures match (so a statement's numbers always come from the catalogue)."""

from __future__ import annotations

import string
from collections.abc import Iterator

from dashboard.catalogue.checks.context import CheckContext, Loc
from dashboard.catalogue.checks.values import fmt
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Observation, Topic


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


_QUALIFIED = {"exact": "", "more_than": "more than ", "nearly": "nearly ", "about": "about "}


def _newer(a: Observation, b: Observation, as_of: dict[str, object]) -> bool:
    """`a` is newer than `b`: a later period end, or the same end in a later document."""
    if a.span.end != b.span.end:
        return a.span.end > b.span.end
    return bool(str(as_of.get(a.source, "")) > str(as_of.get(b.source, "")))


def statements_current(ctx: CheckContext) -> Iterator[Problem]:
    """A statement names the newest figure of each indicator it uses (or a newer one next
    to an older one, as in "grew from … to …"): a figure newer than all it names is a
    warning at the slot, so the analyst updates the words."""
    as_of: dict[str, object] = {s.id: s.as_of for s in ctx.catalogue.sources}
    for loc, topic in ctx.topics():
        for s, statement in enumerate(topic.statements):
            used: dict[str, list[tuple[str, Observation]]] = {}
            for name, ref in statement.figures.items():
                found = ctx.catalogue.find(ref)
                if len(found) == 1:
                    used.setdefault(ref.indicator, []).append((name, found[0]))
            for ident, named in used.items():
                indicator = ctx.catalogue.indicators_by_id[ident]
                name, newest = max(
                    named, key=lambda n: (n[1].span.end, str(as_of.get(n[1].source, "")))
                )
                later = [
                    o
                    for o in indicator.observations
                    if not o.is_derived and _newer(o, newest, as_of)
                ]
                if not later:
                    continue
                latest = max(later, key=lambda o: (o.span.end, str(as_of.get(o.source, ""))))
                source = ctx.source_of(latest.source)
                document = (source.reference or source.short.zh) if source else latest.source
                yield ctx.problem(
                    "statement-outdated",
                    (*loc, "statements", s, "figures", name),
                    f"statement {s + 1} of topic `{topic.id}` says {{{name}}} from `{ident}` "
                    f"for {newest.period} "
                    f"(`{newest.source}`), but the catalogue has a newer figure: "
                    f"{_QUALIFIED[latest.qualifier.value]}{fmt(latest.value)} {indicator.unit} "
                    f"for {latest.period} from {document} "
                    f"`{latest.source}`",
                    "update the statement: name the newer figure (period "
                    f'"{latest.period}"), or add it beside this one ("from … to …")',
                    severity="warning",
                )
