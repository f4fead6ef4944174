"""Which of the indicators asked for share one chart, and why the others do not, in the
reader's language: one rule for the Trends page and the `slides` command."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.catalogue.comparability import refusal
from dashboard.catalogue.models import Catalogue
from dashboard.figures.grammar import MAX_SERIES
from dashboard.figures.i18n import Translator
from dashboard.figures.wording import not_comparable_text


def kept_ids(catalogue: Catalogue, asked: Sequence[str]) -> list[str]:
    """The first indicator asked for, then those after it that may share its chart (the
    catalogue's comparability rule), at most `MAX_SERIES` in all; unknown ids are dropped."""
    by_id = catalogue.indicators_by_id
    known = [i for i in dict.fromkeys(asked) if i in by_id]
    if not known:
        return []
    first = by_id[known[0]]
    others = [i for i in known[1:] if refusal(catalogue, first, by_id[i]) is None]
    return [first.id, *others[: MAX_SERIES - 1]]


def refused_notices(
    catalogue: Catalogue, tr: Translator, asked: Sequence[str], kept: Sequence[str]
) -> list[str]:
    """Why each indicator asked for is not on the chart of `kept`, as the page words it:
    a different unit, a different measure, the catalogue's reason, or too many."""
    by_id = catalogue.indicators_by_id
    if not kept:
        return []
    first = by_id[kept[0]]
    notices = []
    over: list[str] = []
    for ident in asked[1:]:
        if ident in kept or ident not in by_id:
            continue
        other = by_id[ident]
        names = {"name": other.label(tr.lang), "first": first.label(tr.lang)}
        why = refusal(catalogue, first, other)
        if why is None:
            over.append(other.label(tr.lang))
        elif why.kind == "unit":
            notices.append(tr("trends.other_unit", **names))
        elif why.kind == "measure":
            measure = tr("measure." + other.measure.value)
            notices.append(tr("trends.other_measure", measure=measure, **names))
        else:
            # The catalogue's reason names its own indicator first, so "here" reads right.
            why_text = not_comparable_text(tr, catalogue, why, first, other)
            notices.append(tr("trends.refused_pair", name=names["name"], why=why_text))
    if over:
        sep = "、" if tr.lang == "zh" else ", "
        notices.append(
            tr("trends.too_many", asked=len(asked), count=MAX_SERIES, names=sep.join(over))
        )
    return notices
