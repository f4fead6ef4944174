"""Units and topics come from the data files, and rates are percentages."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.catalogue import paths
from dashboard.catalogue.checks.context import CheckContext
from dashboard.catalogue.errors import Problem
from dashboard.catalogue.models import Measure
from dashboard.catalogue.yaml_source import DATA_FILE_MAX_BYTES, load_yaml

RATE_MEASURES = {Measure.growth_rate, Measure.average_growth_rate, Measure.share}
PERCENT_UNIT = "%"


def _vocabulary(
    ctx: CheckContext, filename: str, key: str | None, problems: list[Problem]
) -> set[str] | None:
    """The keys of a data file (or of one of its mappings); None after saying why not."""
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
    return {str(k) for k in data}


def units_and_topics(ctx: CheckContext) -> Iterator[Problem]:
    """Every indicator's unit is in data/units.yaml and its topic in data/i18n.yaml."""
    problems: list[Problem] = []
    units = _vocabulary(ctx, paths.UNITS_FILE, None, problems)
    topics = _vocabulary(ctx, paths.I18N_FILE, "topics", problems)
    yield from problems
    for loc, ind in ctx.indicators():
        if units is not None and ind.unit not in units:
            yield ctx.problem(
                "unknown-unit",
                (*loc, "unit"),
                f"unit `{ind.unit}` is not in data/units.yaml",
                "use a unit listed there, or add it there with its English label",
            )
        if topics is not None and ind.topic not in topics:
            yield ctx.problem(
                "unknown-topic",
                (*loc, "topic"),
                f"topic `{ind.topic}` is not in data/i18n.yaml `topics`",
                "one of: " + ", ".join(sorted(topics)),
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
