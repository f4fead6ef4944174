"""What changed between two figures of one indicator, saying no more than they do.

A change uses the source's own stated growth where the catalogue links one (`growth_of`).
Otherwise it is the difference of two comparable figures, and bounds give a bound: a rise
from 152 to more than 300 is "more than +148"; from more than 15 to 41.86 it is "less than
+26.86". 约 and a derived base make it approximate. No change is computed across a series
break, between two bounds of unknown direction, between two figures for one date, or between
two figures that contradict each other (catalogue/contradictions.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from dashboard.catalogue import contradictions
from dashboard.catalogue.models import Catalogue, Indicator, Observation
from dashboard.catalogue.periods import parse_period
from dashboard.catalogue.scales import convert
from dashboard.figures.formatting import (
    choose_scale,
    decimal_places,
    format_value,
    signed,
    to_decimal,
)
from dashboard.figures.i18n import Translator
from dashboard.figures.wording import period_words

ChangeKind = Literal["stated", "exact", "more_than", "less_than", "approx", "none"]

# Direction of what a qualifier says about the true value: more_than is a lower bound
# (true >= value), nearly an upper bound (true <= value).
_LOWER = {"more_than"}
# Growth over a span is itself a change: two of them are not subtracted.
SPAN_RATES = {"growth_rate", "average_growth_rate"}
_UPPER = {"nearly"}


@dataclass(frozen=True)
class Change:
    """A change in words, and what kind of statement it is."""

    kind: ChangeKind
    text: str
    note: str = ""
    brief: str = ""  # the text without its period, where the period is said already

    @property
    def short(self) -> str:
        return self.brief or self.text


def stated_growth(
    catalogue: Catalogue, indicator: Indicator, earlier: Observation, later: Observation
) -> tuple[Indicator, Observation] | None:
    """A growth figure the source states for exactly this pair of periods, if any."""
    for candidate in catalogue.indicators:
        if candidate.growth_of != indicator.id:
            continue
        for obs in candidate.observations:
            if obs.compared_with is None or obs.span.end != later.span.end:
                continue
            base = obs.compared_with
            if base == earlier.span.label or base == str(earlier.span.end.year):
                return candidate, obs
    return None


def _bound_kind(earlier: Observation, later: Observation) -> ChangeKind | None:
    """more_than / less_than / None (no bound) / "none" (the bounds leave it open)."""
    lo = {earlier.qualifier.value, later.qualifier.value}
    if not lo & (_LOWER | _UPPER):
        return None
    later_low = later.qualifier.value in _LOWER
    later_high = later.qualifier.value in _UPPER
    earlier_low = earlier.qualifier.value in _LOWER
    earlier_high = earlier.qualifier.value in _UPPER
    # change = later - earlier: a lower bound on later or an upper bound on earlier makes
    # it a lower bound; the opposite makes it an upper bound; both kinds: unknown.
    raises = later_low or earlier_high
    lowers = later_high or earlier_low
    if raises and lowers:
        return "none"
    return "more_than" if raises else "less_than"


def change_between(
    catalogue: Catalogue,
    indicator: Indicator,
    earlier: Observation,
    later: Observation,
    tr: Translator,
    units: Mapping[str, Any],
) -> Change:
    """The change from `earlier` to `later` of one indicator (see the module's rules)."""
    if indicator.measure.value in SPAN_RATES:
        return Change("none", tr("change.span_rates"))
    if later.series_break is not None:
        return Change("none", tr("change.across_break", reason=tr.text(later.series_break)))
    if contradictions.index(catalogue, units).between(earlier, later) is not None:
        return Change("none", tr("change.disputed"))
    if earlier.span.end == later.span.end:
        return Change("none", tr("change.same_date"))
    stated = stated_growth(catalogue, indicator, earlier, later)
    if stated is not None:
        _growth_indicator, growth = stated
        text = format_value(
            growth.value, "%", growth.qualifier.value, tr.lang, units, tr.qualifier_prefixes()
        )
        if growth.value > 0 and not text.startswith(tuple(tr.qualifier_prefixes().values())):
            text = "+" + text
        base = parse_period(growth.compared_with) if growth.compared_with else None
        period = period_words(tr, growth.span, "growth_rate", base)
        brief = tr("change.stated_brief", growth=text)
        return Change("stated", tr("change.stated", growth=text, period=period), brief=brief)
    kind = _bound_kind(earlier, later)
    if kind == "none":
        return Change("none", tr("change.unknown_bounds"))
    # Figures stated in a scale of the indicator's unit (万家 of 家) are compared in its unit.
    values = [
        convert(o.value, o.unit_in(indicator), indicator.unit, units) for o in (earlier, later)
    ]
    scale = choose_scale(indicator.unit, tr.lang, units, values)
    diff = (values[1] - values[0]) * scale.factor
    places = max(decimal_places(to_decimal(v) * scale.factor) for v in values)
    diff = round(diff, places)
    if indicator.unit == "%":
        diff_text = f"{signed(diff, tr.lang)} {tr('overview.points')}"
    else:
        noun = indicator.counts.model_dump() if indicator.counts is not None else None
        label = scale.label(tr.lang, noun)
        diff_text = signed(diff, tr.lang) + ("" if not label else f" {label}")
    note = tr("change.derived_base") if earlier.is_derived or later.is_derived else ""
    about = "about" in (earlier.qualifier.value, later.qualifier.value)
    if kind in ("more_than", "less_than"):
        note = note or (tr("change.approx_note") if about else "")
        return Change(kind, tr(f"change.{kind}", diff=diff_text), note)
    if about or note:
        return Change("approx", tr("change.approx", diff=diff_text), note)
    return Change("exact", tr("change.exact", diff=diff_text))
