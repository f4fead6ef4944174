"""Which indicators may share a chart: the catalogue decides, the pages only ask."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.catalogue.models import Catalogue, Indicator, Text


@dataclass(frozen=True)
class Refusal:
    """Why `other` cannot be drawn with `first`: a kind and, where the catalogue gives
    one, its reason."""

    kind: str  # "unit", "measure" or "not_comparable"
    reason: Text | None = None
    # The indicator whose `not_comparable_with` entry gives the reason: the catalogue writes
    # a reason from that indicator's side ("universities only here, all public research
    # units there"), so a sentence must name it first for "here" to mean it.
    holder: str = ""


def refusal(catalogue: Catalogue, first: Indicator, other: Indicator) -> Refusal | None:
    """None when `other` may share `first`'s chart: same unit, same measure, and neither
    marks the other as not comparable."""
    if other.unit != first.unit:
        return Refusal("unit")
    if other.measure != first.measure:
        return Refusal("measure")
    for a, b in ((first, other), (other, first)):
        for relation in a.not_comparable_with:
            if relation.indicator == b.id:
                return Refusal("not_comparable", relation.reason, a.id)
    return None


def comparable_with(catalogue: Catalogue, first: Indicator) -> list[Indicator]:
    """Every indicator that may share `first`'s chart, in catalogue order."""
    return [
        other
        for other in catalogue.indicators
        if other.id != first.id and refusal(catalogue, first, other) is None
    ]
