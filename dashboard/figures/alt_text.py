"""Text alternatives for charts (WCAG 1.1.1): the name a screen reader announces for a chart
and the figure sentence it reads instead of the picture, built from what the chart draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.catalogue.models import Catalogue, Event
from dashboard.catalogue.precision import derived_place
from dashboard.figures.grammar import Plan, Words, value_text
from dashboard.figures.i18n import Translator
from dashboard.figures.wording import event_date_text

_ENDINGS = frozenset("。．.!?！？；;")


@dataclass(frozen=True)
class ChartAlt:
    """`name`: short, announced with the chart; `sentence`: every figure it shows, with its
    period, qualifier and unit, then the notes printed on it."""

    name: str
    sentence: str


def figures_sentence(catalogue: Catalogue, plan: Plan, words: Words) -> str:
    """Each series: its name, then each figure as its period and value in words, in the
    chart's own scale ("2023年 超300亿元"; a derived value rounded as drawn; "more than",
    not ">"), so that what is read is what is drawn."""
    tr = words.tr
    parts = []
    for series in plan.series:
        figures = []
        for mark in series.marks:
            place = derived_place(catalogue, mark.obs) if mark.derived else None
            value = value_text(
                series.indicator,
                mark.obs,
                words,
                scale=plan.scale,
                place=place,
                with_unit=True,
                prose=True,
            )
            key = "a11y.derived_figure" if mark.derived else "a11y.figure"
            figures.append(tr(key, period=mark.period_words, value=value))
        parts.append(
            tr("a11y.series", name=series.label, figures=tr("a11y.figure_sep").join(figures))
        )
    return " ".join(parts)


def chart_alt(
    catalogue: Catalogue, plan: Plan, words: Words, title: str, notes: Sequence[str] = ()
) -> ChartAlt:
    """A chart's name (its title and unit) and its sentence (figures, then `notes`: the
    change, breaks, sources and dates it prints)."""
    tr = words.tr
    name = tr("a11y.chart_name", title=title, unit=plan.unit_label or "—")
    stop = tr("a11y.full_stop")
    # A chart's note lines need not end a sentence; read aloud, each one does.
    ended = [n if n.rstrip()[-1:] in _ENDINGS else n.rstrip() + stop for n in notes if n.strip()]
    sentence = " ".join([figures_sentence(catalogue, plan, words), *ended]).strip()
    return ChartAlt(name=name, sentence=sentence)


def sparkline_alt(catalogue: Catalogue, plan: Plan, words: Words, title: str) -> ChartAlt:
    """A card's small line: named as the trend of its indicator, read as its figures."""
    return ChartAlt(
        name=words.tr("a11y.spark_name", title=title),
        sentence=figures_sentence(catalogue, plan, words),
    )


def timeline_alt(events: Sequence[Event], tr: Translator, numbers: dict[str, int]) -> ChartAlt:
    """A topic's events on a line: each event's title, date and document number."""
    items = [
        tr(
            "a11y.event",
            title=tr.text(e.title),
            date=event_date_text(tr, e),
            ref=f"[{numbers[e.source]}]" if e.source in numbers else "",
        ).strip()
        for e in events
    ]
    return ChartAlt(name=tr("a11y.timeline_name"), sentence=tr("a11y.figure_sep").join(items))
