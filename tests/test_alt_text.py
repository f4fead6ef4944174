"""Charts' text alternatives (WCAG 1.1.1): a short name, and a sentence with every figure
the chart draws, in words, with its period, qualifier and unit, then the chart's notes."""

from __future__ import annotations

from dashboard.catalogue.models import Catalogue
from dashboard.figures.alt_text import sparkline_alt, timeline_alt
from dashboard.figures.grammar import plan_view
from dashboard.figures.i18n import Translator
from dashboard.figures.views import build_view
from tests.test_charts import AVG, DEMANDS, LABELS, STE, catalogue, words


def test_a_chart_is_named_by_its_title_and_unit() -> None:
    view = build_view(catalogue(DEMANDS), ["demands"], words(), (2019, 2025))
    assert view.alt is not None
    assert view.alt.name == "图表：demands（单位：项）"
    en = build_view(catalogue(DEMANDS), ["demands"], words("en"), (2019, 2025))
    assert en.alt is not None and en.alt.name.startswith("Chart: demands (unit: ")


def test_the_sentence_gives_every_figure_with_period_qualifier_and_unit() -> None:
    view = build_view(catalogue(DEMANDS), ["demands"], words(), (2019, 2025))
    assert view.alt is not None
    sentence = view.alt.sentence
    assert sentence.startswith("demands：")
    assert "累计 2617项" in sentence and "累计 超6600项" in sentence
    assert "2025年6月25日" in sentence and "2023年5月16日" in sentence
    en = build_view(catalogue(DEMANDS), ["demands"], words("en"), (2019, 2025))
    assert en.alt is not None
    assert "2,617 demands" in en.alt.sentence and "more than 6,600 demands" in en.alt.sentence


def test_the_sentence_keeps_the_notes_printed_on_the_chart() -> None:
    """A break is read out as the chart says it (no line across it), with the sources."""
    view = build_view(catalogue(STE), ["ste"], words(), (2019, 2025))
    assert view.alt is not None
    assert "表述由成交金额变为技术交易总额" in view.alt.sentence
    assert "资料来源：[1] 文1; [2] 文2。" in view.alt.sentence  # each note ends a sentence
    assert "文1" in view.alt.sentence and "文2" in view.alt.sentence


def test_spans_read_as_spans() -> None:
    view = build_view(catalogue(AVG), ["avg"], words("en"), (2010, 2021))
    assert view.alt is not None
    assert "7.8%" in view.alt.sentence and "29.2%" in view.alt.sentence
    assert "2011" in view.alt.sentence and "2020" in view.alt.sentence


def test_a_figure_card_needs_no_chart_alternative() -> None:
    lone: Catalogue = catalogue(
        {**DEMANDS, "id": "lone", "observations": DEMANDS["observations"][:1]}
    )
    view = build_view(lone, ["lone"], words(), (2019, 2025))
    assert view.card is not None and view.alt is None


def test_a_sparkline_and_a_timeline_are_named_too() -> None:
    cat = catalogue(DEMANDS)
    plan = plan_view(cat, ["demands"], words("en"), (2019, 2025))
    spark = sparkline_alt(cat, plan, words("en"), "InnoMatch demands")
    assert spark.name == "Trend line: InnoMatch demands"
    assert "2,617" in spark.sentence
    empty = timeline_alt([], Translator(LABELS, "zh"), {})
    assert empty.name == "大事记时间线" and empty.sentence == ""
