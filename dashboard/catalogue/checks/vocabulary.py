"""Units and topics come from the data files, rates are percentages, count units say what
they count, and short labels are short."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.catalogue import paths
from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Measure
from dashboard.catalogue.scales import same_base, unit_problems, unknown_unit_hint
from dashboard.catalogue.yaml_source import DATA_FILE_MAX_BYTES, load_yaml

RATE_MEASURES = {Measure.growth_rate, Measure.average_growth_rate, Measure.share}
PERCENT_UNIT = "%"
# A ratio of counts counts nothing itself: these need no `counts` even in a count unit
# (a per-head count, 人均3.2件, is a ratio too).
# A rank (unit 名) is a place, not a count of things: it needs no count noun.
UNCOUNTED_MEASURES = RATE_MEASURES | {Measure.rate, Measure.ratio, Measure.rank}
# The most characters (a Latin letter counts as one) a short label may have, per language.
SHORT_LIMITS = {"zh": 16, "en": 40}


def _mapping(
    ctx: CheckContext, filename: str, key: str | None, problems: list[Problem]
) -> dict[object, object] | None:
    """A data file's mapping (or one of its mappings); None after saying why not."""
    path = paths.data_dir(ctx.base_dir) / filename
    result = load_yaml(path, paths.display_name(path), DATA_FILE_MAX_BYTES)
    data = result.document.data if result.document else None
    if key is not None and isinstance(data, dict):
        data = data.get(key)
    if result.problems or not isinstance(data, dict):
        problems.extend(result.problems)
        where = f"`{key}` from " if key else ""
        problems.append(
            Problem(
                "data-file-invalid",
                f"cannot read {where}{filename}",
                paths.display_name(path),
                None,
                None,
                "",
            )
        )
        return None
    return data


def _vocabulary(
    ctx: CheckContext, filename: str, key: str | None, problems: list[Problem]
) -> set[str] | None:
    """The keys of a data file (or of one of its mappings); None after saying why not."""
    data = _mapping(ctx, filename, key, problems)
    return None if data is None else {str(k) for k in data}


def units_and_topics(ctx: CheckContext) -> Iterator[Problem]:
    """Every indicator's unit is in data/units.yaml and its topic in data/i18n.yaml."""
    problems: list[Problem] = []
    table = _mapping(ctx, paths.UNITS_FILE, None, problems)
    units = None if table is None else {str(k): v for k, v in table.items()}
    topics = _vocabulary(ctx, paths.I18N_FILE, "topics", problems)
    ctx.topic_names = topics  # the topics check reads them too
    ctx.units = units or {}  # and the cross-document checks these
    yield from problems
    if units is not None:
        units_path = paths.display_name(paths.data_dir(ctx.base_dir) / paths.UNITS_FILE)
        for unit, problem in unit_problems(units):
            yield Problem("unit-scale", f"unit `{unit}`: {problem}", units_path, None, None, "")
    for loc, ind in ctx.indicators():
        if units is not None and ind.unit not in units:
            yield ctx.problem(
                "unknown-unit",
                (*loc, "unit"),
                f"unit `{ind.unit}` is not in data/units.yaml",
                unknown_unit_hint(ind.unit, units),
            )
        unknown = ctx.unknown_topic(ind.topic, (*loc, "topic"))
        if unknown:
            yield unknown
        if units is None:
            continue
        for j, obs in enumerate(ind.observations):
            if obs.unit is None or obs.unit == ind.unit:
                continue
            where = (*loc, "observations", j, "unit")
            if obs.unit not in units:
                yield ctx.problem(
                    "unknown-unit",
                    where,
                    f"unit `{obs.unit}` is not in data/units.yaml",
                    unknown_unit_hint(obs.unit, units),
                )
            elif not same_base(obs.unit, ind.unit, units):
                yield ctx.problem(
                    "observation-unit",
                    where,
                    f"unit `{obs.unit}` is not a scale of the indicator's unit `{ind.unit}`",
                    "a figure may be stated in a scaled form of its indicator's unit (万家 for "
                    "家: data/units.yaml `base`); otherwise it belongs to another indicator",
                )


def fractions(ctx: CheckContext) -> Iterator[Problem]:
    """A fraction (三分之二) is a share: only on indicators in %."""
    for loc, ind, obs in ctx.observations():
        if obs.fraction is not None and ind.unit != PERCENT_UNIT:
            yield ctx.problem(
                "fraction-unit",
                (*loc, "fraction"),
                f"a fraction is a share in %, but the indicator's unit is `{ind.unit}`",
                'record the share under an indicator in "%" (measure: share)',
            )


def rate_units(ctx: CheckContext) -> Iterator[Problem]:
    """Growth rates and shares are percentages."""
    for loc, ind in ctx.indicators():
        if ind.measure in RATE_MEASURES and ind.unit != PERCENT_UNIT:
            yield ctx.problem(
                "unit-mismatch",
                (*loc, "unit"),
                f"a {ind.measure.value} is a percentage, but the unit is `{ind.unit}`",
                'use unit: "%"',
            )


def count_nouns(ctx: CheckContext) -> Iterator[Problem]:
    """An indicator in a count unit (`count: true` in data/units.yaml) says what it counts,
    unless it is a rate or a share."""
    # An unreadable units file is reported by units_and_topics: nothing to add here.
    units = _mapping(ctx, paths.UNITS_FILE, None, [])
    if units is None:
        return
    count_units = {
        str(unit)
        for unit, spec in units.items()
        if isinstance(spec, dict) and spec.get("count") is True
    }
    for loc, ind in ctx.indicators():
        if ind.unit in count_units and ind.measure not in UNCOUNTED_MEASURES and not ind.counts:
            yield ctx.problem(
                "count-noun-missing",
                (*loc, "unit"),
                f"unit `{ind.unit}` counts things, but the indicator does not say what",
                "add `counts: {one: …, other: …}` after `unit:`, what one item is in English "
                "(e.g. `counts: {one: contract, other: contracts}`)",
            )


def short_labels(ctx: CheckContext) -> Iterator[Problem]:
    """A short label fits a legend: at most 16 characters in zh and 40 in en."""
    for loc, ind in ctx.indicators():
        if ind.short is None:
            continue
        for lang, limit in SHORT_LIMITS.items():
            length = len(getattr(ind.short, lang))
            if length > limit:
                yield ctx.problem(
                    "short-label-too-long",
                    (*loc, "short"),
                    f"the {lang} short label is {length} characters long; at most {limit}",
                    "keep the words that tell it from its neighbours; the full name is `name`",
                )
